"""ICD-O-3 edition of the tumour morphology codes: ICD-O-3.2 by default, ICD-O-3.1 on request for registries still
holding 3.1 data (``--icdo-edition 3.1``); the words whose code or behaviour changed keep their 3.1 code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import fhirconv
from fhirconv import MappingError, load_mappings
from fhirconv.cli import main
from fhirconv.errors import FhirconvError
from fhirconv.tables import with_icdo_edition

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"
H = "# source: test\n# version: 1\n# licence: CC0\n"


def _morphology(text: str, edition: str | None = None) -> dict[str, str]:
    """Condition code.text -> its ICD-O-3 morphology code."""
    res = fhirconv.convert(text, icdo_edition=edition)
    out = {}
    for e in res.data["entry"]:
        r = e["resource"]
        for c in r.get("code", {}).get("coding", []) if r["resourceType"] == "Condition" else []:
            if c["system"] == ICDO:
                out[r["code"]["text"]] = c["code"]
    return out


@pytest.mark.parametrize(
    ("text", "words", "v32", "v31"),
    [
        (
            "Diagnostic : tumeur stromale gastro-intestinale de l'estomac.",
            "tumeur stromale gastro-intestinale de l'estomac",
            "8936/3",
            "8936/1",
        ),
        ("Le scanner montre un GIST gastrique.", "GIST gastrique", "8936/3", "8936/1"),
        ("Exérèse d'un phéochromocytome surrénalien droit.", "phéochromocytome surrénalien", "8700/3", "8700/0"),
        ("Biopsie : thymome de type B2.", "thymome de type B2", "8584/3", "8584/1"),
        ("Masse du médiastin : thymome.", "thymome", "8580/3", "8580/1"),
        (
            "Résection d'une tumeur fibreuse solitaire de la plèvre.",
            "tumeur fibreuse solitaire de la plèvre",
            "8815/1",
            "8815/0",
        ),
        (
            "Garçon de 8 ans suivi pour une histiocytose à cellules de Langerhans.",
            "histiocytose à cellules de Langerhans",
            "9751/3",
            "9751/1",
        ),
        ("Cytologie : carcinome séreux de haut grade.", "carcinome séreux de haut grade", "8461/3", "8441/3"),
        # a neuroendocrine tumour of no grade: a term of its own only since the 2018 update
        ("Biopsie : tumeur neuroendocrine du pancréas.", "tumeur neuroendocrine du pancréas", "8240/3", "8246/3"),
        ("Biopsie : tumeur carcinoïde de l'iléon.", "tumeur carcinoïde de l'iléon", "8240/3", "8240/3"),
        ("Biopsie : hémangioendothéliome épithélioïde.", "hémangioendothéliome épithélioïde", "9133/3", "9133/1"),
        # the malignant terms were /3 in ICD-O-3.1 already: no change
        ("Diagnostic de thymome malin.", "thymome malin", "8580/3", "8580/3"),
        # one tumour named both ways: the words 3.1 codes alike (malignant, carcinoid) decide
        ("Thymome du médiastin. Il s'agit d'un thymome malin.", "Thymome du médiastin", "8580/3", "8580/3"),
        ("Biopsie : tumeur neuroendocrine. Tumeur carcinoïde.", "tumeur neuroendocrine", "8240/3", "8240/3"),
        ("Exérèse d'une tumeur fibreuse solitaire maligne.", "tumeur fibreuse solitaire maligne", "8815/3", "8815/3"),
        # a code that did not change stays itself
        ("Adénocarcinome gastrique.", "Adénocarcinome gastrique", "8140/3", "8140/3"),
    ],
)
def test_edition_codes(text: str, words: str, v32: str, v31: str) -> None:
    assert _morphology(text)[words] == v32  # the default is the current edition
    assert _morphology(text, "3.2")[words] == v32
    assert _morphology(text, "3.1")[words] == v31


def test_metastasis_behaviour_is_the_same_in_both_editions() -> None:
    # /6 is read from the context, it is no table code: nothing to recode
    text = "GIST gastrique. Métastases hépatiques de la tumeur stromale gastro-intestinale."
    assert "8936/6" in _morphology(text, "3.1").values()
    assert "8936/1" in _morphology(text, "3.1").values()


def test_edition_display_is_the_edition_one() -> None:
    res = fhirconv.convert("Phéochromocytome.", icdo_edition="3.1")
    codings = [c for e in res.data["entry"] for c in e["resource"].get("code", {}).get("coding", [])]
    assert {"system": ICDO, "code": "8700/0", "display": "Pheochromocytoma, NOS"} in codings


def test_unknown_edition_is_an_error() -> None:
    with pytest.raises(FhirconvError, match="unknown ICD-O-3 edition '3.0'"):
        with_icdo_edition(load_mappings(), "3.0")
    with pytest.raises(FhirconvError):
        load_mappings(icdo_edition="ICD-O-2")
    res = CliRunner().invoke(main, ["convert", "-", "--icdo-edition", "3.0"], input="Thymome.")
    assert res.exit_code == 2 and "3.0" in res.output + res.stderr


def test_load_mappings_edition_is_cached_and_tables_shared() -> None:
    m31 = load_mappings(icdo_edition="3.1")
    assert m31 is load_mappings(icdo_edition="3.1")
    assert m31.icdo_edition == "3.1" and load_mappings().icdo_edition == "3.2"
    assert m31.matcher is load_mappings().matcher  # same tables, only the output edition differs


def test_cli_convert_edition(tmp_path: Path) -> None:
    report = tmp_path / "cas.txt"
    report.write_text("Homme de 60 ans. Diagnostic : GIST gastrique.", encoding="utf-8")
    codes = {}
    for edition in ("3.2", "3.1"):
        out = tmp_path / edition
        res = CliRunner().invoke(main, ["convert", str(report), "-o", str(out), "-q", "--icdo-edition", edition])
        assert res.exit_code == 0, res.output
        bundle = json.loads((out / "cas.json").read_text(encoding="utf-8"))
        codes[edition] = {
            c["code"]
            for e in bundle["entry"]
            for c in e["resource"].get("code", {}).get("coding", [])
            if c["system"] == ICDO
        }
    assert codes == {"3.2": {"8936/3"}, "3.1": {"8936/1"}}


def test_cli_eval_edition(tmp_path: Path) -> None:
    # a one-document corpus annotated in ICD-O-3.1: scored right only when the output edition is 3.1
    text = "Homme de 60 ans. Diagnostic : GIST gastrique."
    start = text.index("GIST")
    doc = {
        "corpus": "t",
        "doc_id": "d1",
        "split": "x",
        "text": text,
        "mentions": [
            {
                "id": "m1",
                "label": "morphologie",
                "fhir": "Condition.code",
                "start": start,
                "end": start + 4,
                "text": "GIST",
                "codes": [{"system": "ICD-O-3-morphology", "code": "8936/1"}],
            }
        ],
    }
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = {}
    for edition in ("3.2", "3.1"):
        res = CliRunner().invoke(main, ["eval", str(corpus), "--icdo-edition", edition])
        assert res.exit_code == 0, res.output
        lines[edition] = next(ln for ln in res.output.splitlines() if "document-codes:morphologie" in ln)
    assert "100.0%" not in lines["3.2"] and lines["3.1"].split()[1:] == ["1", "100.0%", "1", "100.0%", "100.0%"]


def test_edition_code_without_its_source_is_a_table_error(tmp_path: Path) -> None:
    # every ICD-O-3.1 code of morphology.csv must be a change icdo_editions.csv lists (with its source)
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "morphology.csv").write_text(
        H + 'term,icdo3,display,icdo3_1\nadénocarcinome bizarre,8140/3,"Adenocarcinoma, NOS",8140/1\n',
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match=r"morphology\.csv:5: icdo3_1 8140/1: not a change"):
        load_mappings(overlay)


def test_edition_table_rows_are_checked(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "icdo_editions.csv").write_text(
        H + "icdo3_2,icdo3_1,display_3_1,source\n8936/3,8936,GIST,note\n", encoding="utf-8"
    )
    with pytest.raises(MappingError, match=r"icdo_editions\.csv:5: icdo3_1"):
        load_mappings(overlay)


@pytest.mark.parametrize(
    ("text", "v32", "v31"),
    [
        # a histology ICD-O-3.2 recoded: its metastases take the ICD-O-3.1 histology too
        ("Métastases hépatiques d'une tumeur neuroendocrine iléale.", "8240/6", "8246/6"),
        ("Carcinome séreux de haut grade de l'ovaire avec métastases péritonéales.", "8461/6", "8441/6"),
        # a behaviour change alone, or a word both editions code alike: the metastasis is the same in both
        ("GIST gastrique avec métastases hépatiques.", "8936/6", "8936/6"),
        ("Tumeur carcinoïde iléale avec métastases hépatiques.", "8240/6", "8240/6"),
    ],
)
def test_metastasis_of_a_recoded_histology_by_edition(text: str, v32: str, v31: str) -> None:
    assert v32 in _morphology(text).values()
    assert v31 in _morphology(text, "3.1").values()


@pytest.mark.parametrize(
    ("text", "v32", "v31"),
    [
        ("Carcinome séreux de haut grade de l'ovaire opéré en 2015. Récidive tumorale en 2018.", "8461/3", "8441/3"),
        ("Tumeur stromale gastro-intestinale de l'estomac en 2014. Récidive locale en 2017.", "8936/3", "8936/1"),
    ],
)
def test_recurrence_has_its_cancers_code_in_either_edition(text: str, v32: str, v31: str) -> None:
    assert set(_morphology(text).values()) == {v32}
    assert set(_morphology(text, "3.1").values()) == {v31}
