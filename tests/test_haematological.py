"""A lymphoma, a leukaemia or a myeloma is coded in CIM-10 by its histology wherever it is (haematological.csv), and
it does not metastasise: its relapse or its infiltration elsewhere is the disease itself."""

from __future__ import annotations

from pathlib import Path

import pytest

import fhirconv
from fhirconv import load_mappings
from fhirconv.errors import MappingError

CIM10 = "https://smt.esante.gouv.fr/terminologie-cim-10"
ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _conditions(text: str) -> list[dict]:
    return [e["resource"] for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == "Condition"]


def _codes(resource: dict) -> dict[str, str]:
    return {c["system"]: c["code"] for c in resource["code"].get("coding", [])}


@pytest.mark.parametrize(
    ("text", "cim10", "morph"),
    [
        # no conditions.csv row names these words: the histology gives the code
        ("Lymphome B diffus à grandes cellules CD20 positif.", "C83.3", "9680/3"),
        # at an organ, still the lymphoma's code, not the organ's (C16.9)
        ("Lymphome B diffus à grandes cellules gastrique.", "C83.3", "9680/3"),
        ("Lymphome de Hodgkin scléronodulaire.", "C81.1", "9663/3"),
    ],
)
def test_a_haematological_neoplasm_is_coded_by_its_histology(text: str, cim10: str, morph: str) -> None:
    (cond,) = _conditions(text)
    assert _codes(cond) == {CIM10: cim10, ICDO: morph}


def test_a_lymphoma_relapse_at_another_site_is_the_lymphoma_recurring() -> None:
    text = (
        "En janvier 2020, lymphome B diffus à grandes cellules. Rémission complète en juillet 2020. En mars 2022, "
        "une rechute ganglionnaire médiastinale est constatée."
    )
    conds = _conditions(text)
    relapse = next(c for c in conds if c["code"]["text"].startswith("rechute"))
    assert _codes(relapse) == {CIM10: "C83.3", ICDO: "9680/3"}  # not a metastasis 9680/6 of the mediastinal nodes
    assert relapse["clinicalStatus"]["coding"][0]["code"] == "recurrence"


def test_a_display_that_is_not_the_cim10_label_is_refused_with_file_and_line(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "haematological.csv").write_text(
        "# source: t\n# version: 1\n# licence: CC0\nicdo3,cim10,display\n9680/3,C83.3,Lymphome folliculaire\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as err:
        load_mappings(overlay)
    assert "haematological.csv:5" in str(err.value)
