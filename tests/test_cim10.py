"""cim10.csv: the generated CIM-10 FR table, its place among the curated tables, and the rules that build it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import fhirconv
from fhirconv import MappingError, load_mappings
from fhirconv import fhirspec as F
from fhirconv.normalise import term_keys

ROOT = Path(__file__).resolve().parent.parent
HEADER = "# source: test\n# version: 1\n# licence: CC0\n"
CIM10_HEAD = HEADER + "code,display,term\n"
CONDITIONS_HEAD = HEADER + "term,cim10,display,snomed,snomed_display\n"


def _overlay(tmp_path: Path, **files: str) -> Path:
    d = tmp_path / "overlay"
    d.mkdir(exist_ok=True)
    for name, body in files.items():
        (d / f"{name}.csv").write_text(body, encoding="utf-8")
    return d


def _cim10() -> dict[str, object]:
    return {ref.row.code: ref.row for ref in load_mappings().rows["cim10.csv"]}


def test_table_loads_with_who_level_codes_and_french_labels() -> None:
    rows = _cim10()
    assert len(rows) > 14000
    assert all(re.fullmatch(r"[A-Z]\d\d(\.\d)?", code) for code in rows)  # no ATIH 5-6 character extensions
    assert rows["E11"].display == "Diabète sucré de type 2"
    assert rows["I10"].display == "Hypertension essentielle (primitive)"
    assert rows["J44.9"].display == "Maladie pulmonaire obstructive chronique, sans précision"
    assert rows["A69.2"].term == "maladie de Lyme"
    assert "B59" not in rows  # deleted by ATIH ("*** SU19 ***"): pneumocystosis is B48.5
    info = load_mappings().info["cim10.csv"]
    assert "edsnlp 0.23.0" in info.source and "BSD-3-Clause" in info.licence and "WHO/ATIH" in info.licence


def test_terms_are_unique_and_absent_from_chapters_handled_elsewhere() -> None:
    rows = _cim10()
    with_term = {code: row.term for code, row in rows.items() if row.term}
    assert 2500 < len(with_term) < 5000
    keys = [term_keys(t)[0] for t in with_term.values()]
    assert len(keys) == len(set(keys))
    # neoplasms, symptoms, injuries, external causes, Z and U codes keep their row but get no term
    assert not [c for c in with_term if c[0] in "CRSTVWXYZU" or (c[0] == "D" and c[1:3] <= "48")]
    assert rows["R10.4"].term is None and rows["C16.9"].term is None
    # "Choléra" (A00) and "Choléra, sans précision" (A00.9): the subdivided category gives its term to the .9
    assert rows["A00.9"].term == "choléra" and rows["A00"].term is None
    assert rows["B01.9"].term == "varicelle" and rows["B01"].term is None


def test_uncurated_cim10_term_becomes_a_coded_condition() -> None:
    res = fhirconv.convert("Homme de 54 ans, suivi pour une maladie de Lyme diagnostiquée en 2019.")
    lyme = next(m for m in res.mentions if m.kind == "condition")
    assert lyme.text == "maladie de Lyme"
    assert [r.table for r in lyme.rows] == ["cim10.csv"]
    conds = [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert len(conds) == 1
    assert conds[0]["code"]["coding"] == [{"system": F.CIM10, "code": "A69.2", "display": "Maladie de Lyme"}]
    assert conds[0]["code"]["text"] == "maladie de Lyme"


def test_cim10_row_works_for_a_relative() -> None:
    res = fhirconv.convert("Patiente de 40 ans. Sa mère avait une maladie de Lyme.")
    fmh = [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "FamilyMemberHistory"]
    assert [c["code"]["coding"][0]["code"] for f in fmh for c in f["condition"]] == ["A69.2"]


def test_curated_term_wins_and_gets_no_second_payload() -> None:
    # "hypertension essentielle" is both a conditions.csv term and the cim10.csv term of I10
    assert _cim10()["I10"].term == "hypertension essentielle"
    res = fhirconv.convert("Antécédents : HTA, hypertension essentielle ancienne.")
    conds = [m for m in res.mentions if m.kind == "condition"]
    assert [m.text for m in conds] == ["HTA", "hypertension essentielle"]
    for m in conds:
        assert [r.table for r in m.rows] == ["conditions.csv"], m.text
    resources = [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert {c["system"]: c["code"] for r in resources for c in r["code"]["coding"]}[F.CIM10] == "I10"


@pytest.mark.parametrize(
    "files, where, words",
    [
        ({"cim10": CIM10_HEAD + "A0,Bad code,\n"}, "cim10.csv:5", "CIM-10"),
        ({"cim10": CIM10_HEAD + "A69.8,Borréliose locale,maladie de Lyme\n"}, "cim10.csv:5", "duplicate term"),
        ({"cim10": CIM10_HEAD + "A69.7,X,zorglubose\nA69.6,Y,Zorgluboses\n"}, "cim10.csv:6", "duplicate term"),
        ({"cim10": CIM10_HEAD + "A69.7,X,\nA69.7,Y,\n"}, "cim10.csv:6", "duplicate code"),
        (
            {"conditions": CONDITIONS_HEAD + "zorglubose,A69.7,Zorglubose,,\n"},
            "conditions.csv:5",
            "A69.7 is not in cim10.csv",
        ),
        (
            {"symptoms": CONDITIONS_HEAD + "zorglurgie,R99.7,Zorglurgie,,\n"},
            "symptoms.csv:5",
            "R99.7 is not in cim10.csv",
        ),
        (
            {"topography": HEADER + "term,icdo3,display,cim10_primary,cim10_secondary\nzorgle,C16.9,Stomach,C16.7,\n"},
            "topography.csv:5",
            "C16.7 is not in cim10.csv",
        ),
    ],
)
def test_bad_overlays_name_file_and_line(tmp_path: Path, files: dict[str, str], where: str, words: str) -> None:
    with pytest.raises(MappingError) as err:
        load_mappings(_overlay(tmp_path, **files))
    assert where in str(err.value)
    assert words.lower() in str(err.value).lower()


def test_overlay_adds_and_replaces_rows_by_code(tmp_path: Path) -> None:
    overlay = _overlay(
        tmp_path,
        cim10=CIM10_HEAD + "A69.7,Zorglubose,zorglubose\nA69.2,Maladie de Lyme (libellé local),borréliose de Lyme\n",
        # a curated code that the built-in cim10.csv lacks is accepted once the overlay adds it; "+" forms are
        # ATIH extensions and are not looked up
        conditions=CONDITIONS_HEAD + "fièvre zorglube,A69.7,Zorglubose,,\npolypose zorglube,D12.6+0,Polypose,,\n",
    )
    maps = load_mappings(overlay)
    rows = {ref.row.code: ref for ref in maps.rows["cim10.csv"]}
    assert rows["A69.2"].row.display == "Maladie de Lyme (libellé local)"
    assert rows["A69.2"].path.startswith(str(overlay))
    res = fhirconv.convert("Suivi pour une borréliose de Lyme et une zorglubose.", mappings_dir=overlay)
    codes = [
        c["code"]
        for e in res.data["entry"]
        if e["resource"]["resourceType"] == "Condition"
        for c in e["resource"]["code"]["coding"]
    ]
    assert codes == ["A69.2", "A69.7"]


def _build_script():
    spec = importlib.util.spec_from_file_location("build_cim10", ROOT / "scripts" / "build_cim10.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_build_rules_on_sample_labels() -> None:
    b = _build_script()
    sample = [
        ("A00", "Choléra"),
        ("A000", "Choléra à Vibrio cholerae 01, biovar cholerae"),
        ("A009", "Choléra, sans précision"),
        ("A02", "Autres salmonelloses"),
        ("A170", "Méningite tuberculeuse (G01*)"),
        ("B59", "*** SU19 *** Pneumocystose"),
        ("D126+0", "Polypose (colique) familiale adénomateuse"),
        ("M4359", "Autres subluxations vertébrales récidivantes - Localisation vertébrale non précisée"),
        ("M89", "Maladies osseuses"),
        ("M899", "Maladie osseuse, sans précision"),
        ("K50", "Maladie de Crohn"),
        ("K509", "Maladie de Crohn, sans précision"),
        ("M10", "Goutte"),
        ("R104", "Douleurs abdominales, autres et non précisées"),
        ("R17", "Ictère, sans précision"),
        ("B24", "Immunodéficience humaine virale [VIH], sans précision"),
    ]
    table = {
        code: (display, term) for code, display, term in b.build([{"code": c, "long": label} for c, label in sample])
    }
    assert set(table) == {
        "A00",
        "A00.0",
        "A00.9",
        "A02",
        "A17.0",
        "M89",
        "M89.9",
        "K50",
        "K50.9",
        "M10",
        "R10.4",
        "R17",
        "B24",
    }
    terms = {code: term for code, (_, term) in table.items() if term}
    assert terms == {"A00.9": "choléra", "A17.0": "méningite tuberculeuse", "K50.9": "maladie de Crohn"}
    assert table["A00.9"][0] == "Choléra, sans précision"  # the display is the label as published
