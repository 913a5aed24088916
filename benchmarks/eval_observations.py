"""Value capture of Observations: right analyte (LOINC), number, UCUM unit (and comparator, qualitative result).

Three sets:
- samples: the snippets of tests/data/lab_samples.yaml, written for fhirconv with their expected Observations;
- seeds: the numeric observation facts of fixtures/golden/*.expected.yaml (the three example reports);
- E3C: the numeric result values (RML) linked to a test in the manually annotated part of
  ../shared/corpora/dev/e3c_fr.jsonl, with the LOINC code, value and unit annotated by hand for fhirconv in
  benchmarks/data/e3c_lab_values.csv (offsets only). A value is captured when an Observation cites it as its value
  (evidence overlapping the E3C span) with the expected code, number, unit and second value (diastolic pressure).

    python benchmarks/eval_observations.py [--corpora ../shared/corpora] [--misses]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fhirconv  # noqa: E402
from tests.golden import load_expected, spans  # noqa: E402
from tests.labscore import (  # noqa: E402
    Score,
    agrees,
    observations,
    reading,
    score_golden,
    score_samples,
)

E3C_VALUES = ROOT / "benchmarks" / "data" / "e3c_lab_values.csv"


def seeds() -> Score:
    total = Score()
    for seed in sorted((ROOT / "fixtures").glob("*.txt")):
        expected = load_expected(str(ROOT / "fixtures" / "golden" / f"{seed.stem}.expected.yaml"))
        res = fhirconv.convert(seed.read_text(encoding="utf-8"), report_id=seed.stem)
        total.add(score_golden(expected, res.data, seed.stem))
    return total


def _e3c_expectations() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    with E3C_VALUES.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for r in rows:
            exp: dict[str, Any] = {
                "start": int(r["start"]),
                "end": int(r["end"]),
                "loinc": r["loinc"] or None,
                "value": float(r["value"]),
                "unit": r["unit"] or None,
            }
            if r["value2"]:
                exp["value2"] = float(r["value2"])
            out.setdefault(r["doc_id"], []).append(exp)
    return out


def _value_spans(r: dict[str, Any]) -> list[tuple[int, int]]:
    return [
        (s, e)
        for s, e, path in spans(r, with_path=True)
        if path and path.startswith("Observation.component") or path == "Observation.value"
    ]


def e3c(corpora: Path) -> Score:
    expectations = _e3c_expectations()
    total = Score()
    with (corpora / "dev" / "e3c_fr.jsonl").open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if doc["doc_id"] not in expectations or doc["split"] != "l1-train":
                continue
            res = fhirconv.convert(doc["text"], report_id=doc["doc_id"])
            obs = observations(res.data)
            total.output += len(obs)
            for exp in expectations[doc["doc_id"]]:
                total.expected += 1
                lo, hi = exp["start"], exp["end"]
                hits = [reading(r) for r in obs if any(s < hi and lo < e for s, e in _value_spans(r))]
                want = {k: v for k, v in exp.items() if k not in ("start", "end")}
                if any(agrees(want, g) for g in hits):
                    total.captured += 1
                else:
                    ctx = doc["text"][max(0, lo - 40) : hi].replace("\n", " ")
                    total.misses.append(f"{doc['doc_id']}@{lo} ...{ctx!r}: expected {want}, got {hits}")
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--misses", action="store_true", help="list every value not captured")
    args = ap.parse_args()
    results = {"samples": score_samples(lambda t: fhirconv.convert(t)), "seeds": seeds()}
    corpora = Path(args.corpora)
    if (corpora / "dev" / "e3c_fr.jsonl").exists():
        results["E3C"] = e3c(corpora)
    print(f"{'set':8} {'values':>6} {'captured':>8} {'rate':>6}   (right LOINC + number + UCUM unit)")
    for name, s in results.items():
        print(f"{name:8} {s.expected:6} {s.captured:8} {s.rate:6.1%}")
    seeds_and_samples = Score()
    seeds_and_samples.add(results["samples"])
    seeds_and_samples.add(results["seeds"])
    print(
        f"{'samples+seeds':8} {seeds_and_samples.expected:1} {seeds_and_samples.captured:8} {seeds_and_samples.rate:6.1%}"
    )
    if args.misses:
        for name, s in results.items():
            for miss in s.misses:
                print(f"[{name}] {miss}")


if __name__ == "__main__":
    main()
