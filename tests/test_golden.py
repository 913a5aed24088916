"""Golden tests: each seed report against facts written by reading it (fixtures/golden/*.expected.yaml).

The expected facts are the truth; ``known_gaps.lst`` lists the differences fhirconv has today, one line each. The
test fails on any difference not listed there (a regression or a new error) and on any listed gap that is now
fixed (so the list only shrinks). The failure message is the readable diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import FIXTURES, SEEDS
from .golden import compare, load_expected

GAPS_FILE = FIXTURES / "golden" / "known_gaps.lst"


def _known_gaps() -> dict[str, set[str]]:
    gaps: dict[str, set[str]] = {}
    if GAPS_FILE.exists():
        for line in GAPS_FILE.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                stem, _, diff = line.partition(" | ")
                gaps.setdefault(stem, set()).add(diff)
    return gaps


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_matches_golden(seed: Path, seed_results) -> None:
    expected = load_expected(str(FIXTURES / "golden" / f"{seed.stem}.expected.yaml"))
    result = seed_results[seed.stem]
    diffs = set(compare(expected, result.data, result.text))
    known = _known_gaps().get(seed.stem, set())
    new = sorted(diffs - known)
    fixed = sorted(known - diffs)
    message = ""
    if new:
        message += "differences from the expected facts (not in known_gaps.lst):\n  " + "\n  ".join(new)
    if fixed:
        message += "\nfixed gaps: remove these lines from known_gaps.lst:\n  " + "\n  ".join(
            f"{seed.stem} | {f}" for f in fixed
        )
    assert not message, message


def test_golden_facts_point_at_their_text() -> None:
    """The expected files themselves: every span is where it says (guards against edited reports)."""
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        expected = load_expected(str(FIXTURES / "golden" / f"{seed.stem}.expected.yaml"))
        for fact in expected["facts"]:
            assert text[fact["at"] : fact["at"] + len(fact["text"])] == fact["text"], fact
            for t, o in fact.get("also_at", []):
                assert text[o : o + len(t)] == t, (fact["text"], t, o)


def test_issue_examples_report_000(seed_results) -> None:
    """The facts the issue names for report 000, checked one by one."""
    data = seed_results["000_cc71d98d2c67bead"].data
    res = [e["resource"] for e in data["entry"]]
    patient = next(r for r in res if r["resourceType"] == "Patient")
    assert patient["gender"] == "female"
    age = next(r for r in res if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == "30525-0")
    assert (age["valueQuantity"]["value"], age["valueQuantity"]["code"], age["effectiveDateTime"]) == (
        51,
        "a",
        "2013-03",
    )
    codes = {c["code"] for r in res if r["resourceType"] == "Condition" for c in r["code"].get("coding", [])}
    assert {"8246/3", "C17.2", "C78.7", "D65"} <= codes
    meds = {
        c["code"]: r
        for r in res
        if r["resourceType"] == "MedicationStatement"
        for c in r["medicationCodeableConcept"].get("coding", [])
    }
    sunitinib = meds["L01EX01"]
    assert sunitinib["status"] == "stopped"
    assert sunitinib["effectivePeriod"]["start"] == "2015-02-11"
    dosage = sunitinib["dosage"][0]
    assert dosage["doseAndRate"][0]["doseQuantity"]["value"] == 37.5
    assert dosage["route"]["coding"][0]["code"] == "20053000"  # EDQM oral use
    assert dosage["timing"]["repeat"]["period"] == 24 and dosage["timing"]["repeat"]["periodUnit"] == "h"
    labs = {(r["code"].get("coding") or [{}])[0].get("code"): r for r in res if r["resourceType"] == "Observation"}
    assert labs["718-7"]["valueQuantity"]["value"] == 8.3 and labs["718-7"]["effectiveDateTime"] == "2015-03-02"
    assert labs["6301-6"]["valueQuantity"]["comparator"] == ">"
    assert labs["5902-2"]["valueQuantity"]["comparator"] == "<" and labs["5902-2"]["valueQuantity"]["value"] == 120
    assert labs["3255-7"]["valueQuantity"]["value"] == 0.17 and labs["3255-7"]["valueQuantity"]["code"] == "g/L"
