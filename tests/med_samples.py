"""Score fhirconv's MedicationStatements against the annotated snippets of ``tests/data/med_samples.yaml``.

A gold drug is found by an output MedicationStatement whose main evidence (a derivation-reference without ``path``)
overlaps the drug's text; among several (the components of one regimen name), the one with the gold ATC code is
taken, and each output is used once. Precision counts outputs that found a gold drug: a drug the snippet lists
under ``absent`` (negated, refused, a homonym) and anything not annotated count against it. On found drugs: ATC
code, dose (value and UCUM code), route, timing, as-needed, status, start and end dates, regimen and reason are compared where the
gold states them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.golden import ROUTES, project, spans

SAMPLES = Path(__file__).resolve().parent / "data" / "med_samples.yaml"
FIELDS = ("atc", "dose", "route", "timing", "as_needed", "status", "start", "end", "regimen", "reason")


@dataclass
class Scores:
    gold: int = 0
    found: int = 0
    outputs: int = 0
    hits: int = 0
    right: Counter[str] = field(default_factory=Counter)
    asked: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.hits / self.outputs if self.outputs else 0.0

    def rate(self, what: str) -> float:
        return self.right[what] / self.asked[what] if self.asked[what] else 0.0


def load_samples(path: Path = SAMPLES) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)["samples"]


def _span(text: str, drug: dict[str, Any]) -> tuple[int, int]:
    start = -1
    for _ in range(drug.get("nth", 1)):
        start = text.find(drug["text"], start + 1)
    if start < 0:
        raise ValueError(f"{drug['text']!r} is not in the sample {text[:60]!r}")
    return start, start + len(drug["text"])


def _actual(res: dict[str, Any], by_id: dict[str, dict[str, Any]], text: str) -> dict[str, Any]:
    p = project(res)
    dosage = (res.get("dosage") or [{}])[0]
    rep = (dosage.get("timing") or {}).get("repeat") or {}
    reasons = []
    for ref in res.get("reasonReference", []):
        cond = by_id.get(ref["reference"].removeprefix("urn:uuid:"))
        reasons += [text[s:e] for s, e, _ in spans(cond)] if cond else []
    return {
        "atc": p["atc"],
        "dose": (p["dose"], p["unit"]) if p["dose"] is not None else None,
        "route": p["route"],
        "timing": [rep.get("frequency", 1), rep["period"], rep["periodUnit"]] if "period" in rep else None,
        "as_needed": dosage.get("asNeededBoolean", False),
        "status": p["status"],
        "regimen": p["regimen"],
        "start": p["start"],
        "end": p["end"],
        "reason": reasons,
    }


def _agrees(what: str, gold: dict[str, Any], got: dict[str, Any]) -> bool:
    if what == "dose":
        return got["dose"] is not None and got["dose"][0] == gold["dose"] and got["dose"][1] == gold["unit"]
    if what == "timing":
        return got["timing"] is not None and [float(x) if i < 2 else x for i, x in enumerate(got["timing"])] == [
            float(x) if i < 2 else x for i, x in enumerate(gold["timing"])
        ]
    if what == "reason":
        return any(gold["reason"].lower() in r.lower() or r.lower() in gold["reason"].lower() for r in got["reason"])
    if what == "regimen":
        return (got["regimen"] or "").split()[0].split("-")[0].upper() == gold["regimen"].split("-")[0].upper()
    return got[what] == gold[what]


def score(samples: list[dict[str, Any]], convert: Callable[[str], Any]) -> Scores:
    """Convert every sample with ``convert(text)`` (a :class:`fhirconv.ConversionResult`) and compare."""
    sc = Scores()
    assert set(ROUTES.values()) >= {"oral", "intravenous", "subcutaneous", "intramuscular", "transdermal"}
    for n, sample in enumerate(samples, start=1):
        text = sample["text"]
        resources = [e["resource"] for e in convert(text).data["entry"]]
        by_id = {r["id"]: r for r in resources}
        outs = [r for r in resources if r["resourceType"] == "MedicationStatement"]
        sc.outputs += len(outs)
        used: set[str] = set()
        for drug in sample.get("drugs", []):
            sc.gold += 1
            s, e = _span(text, drug)
            cands = [r for r in outs if r["id"] not in used and any(a < e and s < b for a, b, _ in spans(r))]
            if not cands:
                sc.problems.append(f"#{n} missed {drug['text']!r} ({drug['atc']})")
                continue
            best = next((r for r in cands if project(r)["atc"] == drug["atc"]), cands[0])
            used.add(best["id"])
            sc.found += 1
            sc.hits += 1
            got = _actual(best, by_id, text)
            for what in FIELDS:
                if what not in drug:
                    continue
                sc.asked[what] += 1
                if _agrees(what, drug, got):
                    sc.right[what] += 1
                else:
                    sc.problems.append(f"#{n} {drug['text']!r}: {what} expected {drug[what]!r}, got {got[what]!r}")
        for r in outs:
            if r["id"] not in used:
                sc.problems.append(f"#{n} extra {r['medicationCodeableConcept'].get('text')!r}")
    return sc
