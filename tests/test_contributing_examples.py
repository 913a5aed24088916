"""The three worked examples of CONTRIBUTING.md (a drug, a lab test, a negation cue), as real tests.

Each writes its row into an overlay folder, so the example keeps working whatever the built-in tables contain:
the assertions check that the overlay row is the one that fired and what it produced.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import fhirconv
from fhirconv.explain import explain

HEADER = "# source: CONTRIBUTING.md example\n# version: 1\n# licence: CC0\n"


def _resources(result: fhirconv.ConversionResult, rtype: str) -> list[dict]:
    return [e["resource"] for e in result.data["entry"] if e["resource"]["resourceType"] == rtype]


def test_add_a_drug(tmp_path: Path) -> None:
    # CONTRIBUTING.md, "Add a drug": tirzépatide and its brand name, ATC A10BX16 (WHO ATC index)
    (tmp_path / "medications.csv").write_text(
        HEADER + "term,atc,display\ntirzépatide,A10BX16,tirzepatide\nMounjaro,A10BX16,tirzepatide\n", encoding="utf-8"
    )
    result = fhirconv.convert("Diabète de type 2 traité par Mounjaro 5 mg une fois par semaine.", mappings_dir=tmp_path)
    [mention] = [m for m in result.mentions if m.kind == "medication"]
    assert mention.rule == f"{tmp_path / 'medications.csv'}:6"
    [ms] = _resources(result, "MedicationStatement")
    coding = ms["medicationCodeableConcept"]["coding"][0]
    assert (coding["system"], coding["code"]) == ("http://www.whocc.no/atc", "A10BX16")
    dose = ms["dosage"][0]["doseAndRate"][0]["doseQuantity"]
    assert (dose["value"], dose["code"]) == (5, "mg")


def test_add_a_lab_test(tmp_path: Path) -> None:
    # CONTRIBUTING.md, "Add a lab test": total 25-OH vitamin D, LOINC 62292-8, unit ng/mL
    (tmp_path / "observations.csv").write_text(
        HEADER + "term,loinc,display,category,unit\n"
        "25-OH vitamine D,62292-8,25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma,laboratory,ng/mL\n",
        encoding="utf-8",
    )
    result = fhirconv.convert("Bilan : 25-OH vitamine D à 12 ng/ml.", mappings_dir=tmp_path)
    [obs] = [o for o in _resources(result, "Observation") if o["code"]["coding"][0]["code"] == "62292-8"]
    assert obs["valueQuantity"]["value"] == 12
    assert (obs["valueQuantity"]["system"], obs["valueQuantity"]["code"]) == ("http://unitsofmeasure.org", "ng/mL")
    assert result.unmapped == []


def test_add_a_negation_cue(tmp_path: Path) -> None:
    # CONTRIBUTING.md, "Add a negation cue": "dépourvu de" (free of) negates what follows
    (tmp_path / "assertions.yaml").write_text(
        'meta: {source: CONTRIBUTING.md example, version: "1", licence: CC0}\n'
        "cues:\n"
        '  - {kind: negation, pattern: "\\\\bdépourvue?s?\\\\s+d(?:e|[\'’]|u|es)(?:\\\\s+toute?s?)?", max_words: 5}\n',
        encoding="utf-8",
    )
    e = explain("Le foie est dépourvu de métastase.", mappings=fhirconv.load_mappings(tmp_path))
    [m] = [m for s in e.sentences for m in s.mentions if m.text == "métastase"]
    assert m.qualifiers == [("negation", "dépourvu de", f"{tmp_path / 'assertions.yaml'}:3")]
    [cond] = _resources(e.result, "Condition")
    assert cond["verificationStatus"]["coding"][0]["code"] == "refuted"


ROOT = Path(__file__).resolve().parent.parent


def test_contributing_snippets_are_the_tests() -> None:
    """Every line of CONTRIBUTING.md's python examples is a line of this file (the guide cannot drift)."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    here = {line.strip() for line in Path(__file__).read_text(encoding="utf-8").splitlines()}
    blocks = re.findall(r"```python\n(.*?)```", guide, re.S)
    assert len(blocks) == 3
    missing = [line.strip() for b in blocks for line in b.splitlines() if line.strip() and line.strip() not in here]
    assert missing == []


def test_architecture_names_exist() -> None:
    """Every `module.function(` of ARCHITECTURE.md's diagram is a function of that module."""
    doc = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    names = set(re.findall(r"\b([a-z_]+)\.([a-z_]+)\(", doc))
    assert len(names) >= 10
    missing = [f"{mod}.{fn}" for mod, fn in sorted(names) if not callable(getattr(_module(mod), fn, None))]
    assert missing == []


def _module(name: str) -> object:
    return importlib.import_module(f"fhirconv.{name}")
