"""The table loader: every malformed table is refused with file:line, and overlays add or replace rows."""

from __future__ import annotations

from pathlib import Path

import pytest

import fhirconv
from fhirconv import MappingError, load_mappings
from fhirconv.tables.codes import loinc_ok, verhoeff_ok

HEADER = "# source: test\n# version: 1\n# licence: CC0\n"


def _overlay(tmp_path: Path, name: str, body: str) -> Path:
    d = tmp_path / "overlay"
    d.mkdir(exist_ok=True)
    (d / name).write_text(body, encoding="utf-8")
    return d


@pytest.mark.parametrize(
    "name, body, where, words",
    [
        ("medications.csv", HEADER + "term,atc,display\nfoo,L01XE4,x\n", "medications.csv:5", "ATC"),
        (
            "medications.csv",
            HEADER + "term,atc,display,extra\nfoo,L01EX01,sunitinib,1\n",
            "medications.csv:4",
            "unknown column",
        ),
        (
            "medications.csv",
            HEADER + "term,atc,display\nfoo,L01EX01,sunitinib\nFoos,L01EX01,sunitinib\n",
            "medications.csv:6",
            "duplicate",
        ),
        ("medications.csv", "term,atc,display\nfoo,L01EX01,sunitinib\n", "medications.csv:1", "source"),
        (
            "conditions.csv",
            HEADER + "term,cim10,display,snomed,snomed_display\nfoo,C7A.012,x,,\n",
            "conditions.csv:5",
            "CIM-10",
        ),
        (
            "conditions.csv",
            HEADER + "term,cim10,display,snomed,snomed_display\nfoo,D65,x,77477001,y\n",
            "conditions.csv:5",
            "Verhoeff",
        ),
        (
            "observations.csv",
            HEADER + "term,loinc,display,category,unit\nfoo,718-8,x,laboratory,\n",
            "observations.csv:5",
            "check digit",
        ),
        (
            "observations.csv",
            HEADER + "term,loinc,display,category,unit\nfoo,718-7,x,laboratory,g/dx\n",
            "observations.csv:5",
            "UCUM",
        ),
        ("units.csv", HEADER + "alias,ucum,display\nmachins,mgx/L,x\n", "units.csv:5", "UCUM"),
        ("units.csv", HEADER + 'alias,ucum,display\n"unterminated,mg,x\n', "units.csv:5", "malformed CSV"),
        (
            "assertions.yaml",
            'meta: {source: t, version: 1, licence: CC0}\ncues:\n  - {kind: negation, pattern: "(unclosed"}\n',
            "assertions.yaml:3",
            "regex",
        ),
        (
            "assertions.yaml",
            "meta: {source: t, version: 1, licence: CC0}\ncues:\n  - {kind: negation, pattern: x, colour: red}\n",
            "assertions.yaml:3",
            "unknown key",
        ),
        (
            "assertions.yaml",
            "meta: {source: t, version: 1, licence: CC0}\ncues: [\n",
            "assertions.yaml:",
            "malformed YAML",
        ),
        (
            "regimens.yaml",
            "meta: {source: t, version: 1, licence: CC0}\nregimens:\n  - {name: ZZZ, components: [nothing-like-this]}\n",
            "regimens.yaml:3",
            "component",
        ),
        ("bogus.csv", HEADER + "a\n", "bogus.csv:1", "unknown table"),
    ],
)
def test_bad_tables_name_file_and_line(tmp_path: Path, name: str, body: str, where: str, words: str) -> None:
    with pytest.raises(MappingError) as err:
        load_mappings(_overlay(tmp_path, name, body))
    assert where in str(err.value)
    assert words.lower() in str(err.value).lower()


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    body = "meta: {source: t, version: 1, licence: CC0}\ncues:\n  - !!python/object/apply:os.system ['echo hacked']\n"
    with pytest.raises(MappingError):
        load_mappings(_overlay(tmp_path, "assertions.yaml", body))


def test_overlay_adds_and_overrides_rows(tmp_path: Path) -> None:
    text = "Traitement par zorglubine 20 mg par jour et sunitinib 50 mg par jour."
    overlay = _overlay(
        tmp_path,
        "medications.csv",
        HEADER + "term,atc,display\nzorglubine,N02BE01,paracetamol\nsunitinib,L01EX01,sunitinib (local label)\n",
    )
    base = fhirconv.convert(text)
    assert not any("zorglubine" in str(e) for e in base.data["entry"])
    res = fhirconv.convert(text, mappings_dir=overlay)
    meds = [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
    by_code = {m["medicationCodeableConcept"]["coding"][0]["code"]: m for m in meds}
    assert by_code["N02BE01"]["medicationCodeableConcept"]["text"] == "zorglubine"
    assert by_code["L01EX01"]["medicationCodeableConcept"]["coding"][0]["display"] == "sunitinib (local label)"


def test_check_digits() -> None:
    assert loinc_ok("718-7") and not loinc_ok("718-6")
    assert verhoeff_ok("77477000") and not verhoeff_ok("77477001")


def test_builtin_tables_state_source_version_licence() -> None:
    maps = load_mappings()
    for name, info in maps.info.items():
        assert info.source and info.version and info.licence, name
        assert info.rows > 0, name
