"""Session 14 rules of the timeline: which date each fact of a report takes (onset of a Condition, start of a
MedicationStatement, date of a Procedure), on sentences written for these tests."""

from __future__ import annotations

from typing import Any

import fhirconv
from tests.golden import project, spans

_FIELD = {"Condition": "onset", "MedicationStatement": "start", "Procedure": "date", "Observation": "date"}


def _dates(text: str) -> dict[str, Any]:
    """The words of each Condition, MedicationStatement, Procedure and Observation -> its date (onset, start,
    performed, effective); the first resource of those words when several."""
    out: dict[str, Any] = {}
    for e in fhirconv.convert(text, report_id="t").data["entry"]:
        r = e["resource"]
        field = _FIELD.get(r["resourceType"])
        where = spans(r)
        if field is None or not where:
            continue
        out.setdefault(text[where[0][0] : where[0][1]], project(r).get(field))
    return out


# --- one written date read twice: the precise reading wins --------------------------------------------------------


def test_a_disease_named_on_a_dated_admission_keeps_its_day_when_the_diagnosis_section_names_it_again() -> None:
    for opening in (
        "M. T., 68 ans, admis en réanimation le 18/02/2024 pour un choc septique.",
        "Une femme de 71 ans a été hospitalisée le 18 février 2024 pour un choc septique.",
    ):
        text = f"""Anamnèse
{opening}

Examens complémentaires
Lactates 6,1 mmol/L.

Diagnostic
Choc septique d'origine biliaire.
"""
        assert _dates(text)["choc septique"] == "2024-02-18", opening


def test_two_different_dates_of_one_disease_still_give_the_earliest() -> None:
    text = """Anamnèse
Diabète de type 2 connu depuis 2010. Le patient est hospitalisé le 3 mai 2021 pour une hyperglycémie.

Diagnostic
Diabète de type 2 déséquilibré.
"""
    assert _dates(text)["Diabète de type 2"] == "2010"
