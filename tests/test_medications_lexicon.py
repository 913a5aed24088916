"""medications.csv: curated rows, the rows generated from the edsnlp drug lexicon (scripts/build_drugs.py), and the
ATC corrections that keep every generated code current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import fhirconv
from fhirconv import fhirspec as F
from fhirconv import load_mappings

ROOT = Path(__file__).resolve().parent.parent


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_drugs", ROOT / "scripts" / "build_drugs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rows() -> dict[str, object]:
    return {ref.row.term: ref.row for ref in load_mappings().rows["medications.csv"]}


def test_no_row_keeps_a_pre_2022_atc_code() -> None:
    """The WHO moved kinase inhibitors to L01E, monoclonal antibodies to L01F, GLP-1 analogues to A10BJ ...: an old
    code left in the table would be a wrong code today."""
    mod = _script()
    stale = {old for old, (new, _) in mod.read_alterations(mod.ALTERATIONS).items() if old != new}
    bad = [(t, r.atc) for t, r in _rows().items() if r.atc in stale or r.atc.startswith(("L01XE", "L01XC"))]
    assert bad == []


def test_generated_brands_take_the_current_code() -> None:
    rows = _rows()
    assert rows["Sutent"].atc == "L01EX01"  # lexicon: L01XE04
    assert rows["Nexavar"].atc == "L01EX02"
    assert rows["Glivec"].atc == "L01EA01"
    assert rows["Avastin"].atc == "L01FG01"  # lexicon: L01XC07
    assert rows["Doliprane"].atc == "N02BE01"
    assert rows["Kardégic"].atc == "B01AC06"
    assert rows["Aspegic Injectable"].atc == "N02BA01"  # aspirin as an analgesic, not the antiplatelet code


def test_curated_inn_wins_over_the_lexicon_and_alterations() -> None:
    mod = _script()
    curated = {("sunitinib",): ("L01EX01", "sunitinib")}
    alterations = {"L01XE04": ("L01EX99", "wrong"), "L01XE10": ("L01EG02", "everolimus")}
    assert mod.resolve("L01XE04", "sunitinib", curated, alterations) == ("L01EX01", "sunitinib")
    assert mod.resolve("L01XE10", "everolimus", curated, alterations) == ("L01EG02", "everolimus")
    # a reorganised group without a known current code is left out, not written stale
    assert mod.resolve("L01XE99", "nouveauinib", curated, alterations) is None
    assert mod.resolve("N02BE01", "paracetamol", curated, alterations) == ("N02BE01", "paracetamol")
    # a code still valid is kept even when the curated INN row has the substance's other use
    aspirin = {("acide", "acetylsalicylique"): ("B01AC06", "acetylsalicylic acid")}
    assert mod.resolve("N02BA01", "acetylsalicylique acide", aspirin, {}) == ("N02BA01", "acetylsalicylique acide")


def test_build_filters_brands_that_are_words_abbreviations_or_ambiguous() -> None:
    mod = _script()
    lexicon = {
        "S01XA20": ["VITAMINE B"],
        "J05AF02": ["VIDEX", "didanosine"],  # "Videx" folds to "vide"
        "N02BE01": ["DOLKO", "UFT", "paracetamol"],
        "L04AC06": ["NUCALA"],
        "R03DX09": ["NUCALA", "mepolizumab"],  # filed under two codes: ambiguous
        "M05BA08": ["zoledronique acide"],
        "A10BD07": ["JANUMET", "metformine et sitagliptine"],
    }
    rows, _ = mod.build(lexicon, [], {})
    terms = {r[0]: r[1] for r in rows}
    assert terms.get("Dolko") == "N02BE01"
    assert terms.get("acide zoledronique") == "M05BA08"
    assert terms.get("didanosine") == "J05AF02"
    assert terms.get("mepolizumab") == "R03DX09"
    for absent in ("Videx", "Uft", "UFT", "Nucala", "Vitamine B", "metformine et sitagliptine"):
        assert absent not in terms


def test_brand_name_in_a_report_is_coded() -> None:
    res = fhirconv.convert("Traitement habituel : Kardegic 75 mg par jour et Inexium 20 mg le soir.")
    codes = sorted(
        c["code"]
        for e in res.data["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
        for c in e["resource"]["medicationCodeableConcept"]["coding"]
        if c["system"] == F.ATC
    )
    assert codes == ["A02BC05", "B01AC06"]
