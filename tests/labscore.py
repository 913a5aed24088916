"""Scoring of result capture: does an Observation carry the expected LOINC code, number, UCUM unit, comparator and
qualitative result? Shared by tests/test_observations_samples.py and benchmarks/eval_observations.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .golden import spans

SAMPLES = Path(__file__).resolve().parent / "data" / "lab_samples.yaml"
# SNOMED CT qualifier values written by fhirconv (qualitative.csv) -> the names used in expectations
QUALITATIVE = {
    "17621005": "normal",
    "260385009": "negative",
    "10828004": "positive",
    "260415000": "not-detected",
    "263654008": "abnormal",
}
FIELDS = ("value", "unit", "comparator", "qualitative", "interpretation", "value2")


@dataclass
class Score:
    expected: int = 0
    captured: int = 0
    output: int = 0  # Observations produced (other than the age)
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.captured / self.expected if self.expected else 0.0

    def add(self, other: Score) -> None:
        self.expected += other.expected
        self.captured += other.captured
        self.output += other.output
        self.misses += other.misses


def observations(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The result Observations of a bundle (not the age, not stage / TNM)."""
    out = []
    for e in bundle["entry"]:
        r = e["resource"]
        if r["resourceType"] != "Observation":
            continue
        codes = [c.get("code") for c in r.get("code", {}).get("coding", [])]
        if (
            "30525-0" in codes
            or any(c in ("21908-9", "21902-2") for c in codes)
            or r["code"].get("text", "").startswith("TNM")
        ):
            continue
        out.append(r)
    return out


def reading(r: dict[str, Any]) -> dict[str, Any]:
    """What one Observation says, in the terms of the expectations."""
    coding = (r.get("code", {}).get("coding") or [{}])[0]
    got: dict[str, Any] = {"loinc": coding.get("code"), "text": r.get("code", {}).get("text")}
    comps = r.get("component") or []
    q = r.get("valueQuantity") or (comps[0]["valueQuantity"] if comps else {})
    got["value"] = q.get("value")
    got["unit"] = q.get("code")
    got["comparator"] = q.get("comparator")
    got["value2"] = comps[1]["valueQuantity"].get("value") if len(comps) > 1 else None
    vcc = r.get("valueCodeableConcept") or {}
    snomed = next((c["code"] for c in vcc.get("coding", []) if "snomed" in c["system"]), None)
    got["qualitative"] = QUALITATIVE.get(snomed or "", vcc.get("text"))
    interp = [c["code"] for i in r.get("interpretation", []) for c in i.get("coding", [])]
    got["interpretation"] = interp[0] if interp else None
    return got


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return abs(float(expected) - float(got)) < 1e-9
    return expected == got


def agrees(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    """Every field the expectation states agrees (``unit: null`` states that no unit is written)."""
    if expected.get("loinc") != got["loinc"]:
        return False
    if expected.get("loinc") is None and expected.get("text") and expected["text"] != got["text"]:
        return False
    return all(_same(expected[k], got[k]) for k in FIELDS if k in expected)


def score_snippet(expect: list[dict[str, Any]], bundle: dict[str, Any], label: str) -> Score:
    """Each expected result must be carried by its own Observation of the snippet's bundle."""
    readings = [reading(r) for r in observations(bundle)]
    score = Score(expected=len(expect), output=len(readings))
    used: set[int] = set()
    for exp in expect:
        hit = next((i for i, g in enumerate(readings) if i not in used and agrees(exp, g)), None)
        if hit is None:
            near = [g for g in readings if g["loinc"] == exp.get("loinc")]
            score.misses.append(f"{label}: expected {exp}, got {near or 'nothing with that code'}")
        else:
            used.add(hit)
            score.captured += 1
    extra = [g for i, g in enumerate(readings) if i not in used]
    score.misses += [f"{label}: unexpected {g}" for g in extra if not expect]
    return score


def load_samples(path: Path = SAMPLES) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)["samples"]


def score_samples(convert: Any, samples: list[dict[str, Any]] | None = None) -> Score:
    total = Score()
    for i, s in enumerate(samples if samples is not None else load_samples()):
        total.add(score_snippet(s["expect"], convert(s["text"]).data, f"sample {i + 1} {s['text'][:50]!r}"))
    return total


def score_golden(expected: dict[str, Any], bundle: dict[str, Any], label: str) -> Score:
    """Seed reports: every expected observation fact with a number, found through its evidence span."""
    score = Score()
    obs = observations(bundle)
    for fact in expected.get("facts", []):
        if fact["type"] != "observation" or fact.get("value") is None:
            continue
        score.expected += 1
        lo, hi = fact["at"], fact["at"] + len(fact["text"])
        hits = [reading(r) for r in obs if any(s < hi and lo < e for s, e, _ in spans(r))]
        want = {
            "loinc": fact.get("loinc"),
            "value": fact["value"],
            "unit": fact.get("unit"),
            "comparator": fact.get("comparator"),
        }
        if any(agrees(want, g) for g in hits):
            score.captured += 1
        else:
            score.misses.append(f"{label} {fact['text']!r}@{fact['at']}: expected {want}, got {hits}")
    return score
