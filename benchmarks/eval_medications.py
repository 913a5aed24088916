"""Score medication extraction on the annotated snippets of tests/data/med_samples.yaml.

Prints drug-mention recall and precision, then on found drugs the share with the right ATC code, dose (value and
UCUM unit), route, timing, as-needed flag, status, regimen and reason, then every miss. ``--gold-dev`` also scores
the medications of ../shared/corpora/fhir_gold_dev on the same fields (dose, route, status, start and end dates).

    python benchmarks/eval_medications.py [--samples tests/data/med_samples.yaml] [--gold-dev [--corpora DIR]]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fhirconv  # noqa: E402
from tests.golden import ROUTES, project, spans  # noqa: E402
from tests.med_samples import FIELDS, SAMPLES, load_samples, score  # noqa: E402

# gold field -> projected field (tests/golden.project)
GOLD_FIELDS = {
    "dose_value": "dose",
    "dose_unit": "unit",
    "route": "route",
    "status": "status",
    "start_date": "start",
    "end_date": "end",
}


def gold_dev(corpora: Path) -> None:
    """Found medications of the FHIR-level gold, and how many of their stated fields agree."""
    texts = {}
    for f in (corpora / "dev").glob("*.jsonl"):
        for line in f.open(encoding="utf-8"):
            d = json.loads(line)
            texts.setdefault(d["doc_id"], d["text"])
    gold_n = found = 0
    right: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    for gf in sorted((corpora / "fhir_gold_dev").glob("*.gold.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        res = fhirconv.convert(texts[gold["doc_id"]], report_id=gold["doc_id"])
        outs = [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
        for f in gold["medications"]:
            gold_n += 1
            hits = [r for r in outs if any(s < f["end"] and f["start"] < e for s, e, _ in spans(r))]
            if not hits:
                continue
            found += 1
            p = project(next((r for r in hits if project(r)["atc"] == f.get("atc")), hits[0]))
            for g, k in GOLD_FIELDS.items():
                if f.get(g) is not None and not (g == "route" and f[g] not in ROUTES.values()):
                    asked[g] += 1
                    right[g] += p[k] == f[g]
    print(f"fhir_gold_dev medications: {found}/{gold_n} found; on found drugs with the field stated:")
    for g in GOLD_FIELDS:
        rate = right[g] / asked[g] if asked[g] else 0
        print(f"  {g:10} {right[g]:3}/{asked[g]:<3} {rate:5.0%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=SAMPLES)
    ap.add_argument("--gold-dev", action="store_true", help="also score ../shared/corpora/fhir_gold_dev")
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = ap.parse_args()
    samples = load_samples(args.samples)
    sc = score(samples, lambda text: fhirconv.convert(text))
    print(f"{len(samples)} samples, {sc.gold} gold drugs, {sc.outputs} MedicationStatements")
    print(
        f"drug mentions: recall {sc.recall:.0%} ({sc.found}/{sc.gold}), "
        f"precision {sc.precision:.0%} ({sc.hits}/{sc.outputs})"
    )
    for what in FIELDS:
        print(f"  {what:10} {sc.right[what]:3}/{sc.asked[what]:<3} {sc.rate(what):5.0%}")
    for line in sc.problems:
        print("  " + line)
    if args.gold_dev:
        gold_dev(args.corpora)


if __name__ == "__main__":
    main()
