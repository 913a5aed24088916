"""Condition rules found wrong against the FHIR-level gold in session 15 (kinds of errors, not documents): a plural
normal result closing a list of serologies whose last items are lab tests, a patient on chronic dialysis (end-stage
kidney disease and the dialysis itself). Texts written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import condition_codes as _codes
from tests.bundle_facts import entries as _entries
from tests.bundle_facts import verifications as _verifications


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # a plural normal result closes the whole list: a lab test as a later item does not take it for itself
        (
            "Les sérologies de la rougeole, de l'hépatite B, de l'hépatite C et du Quantiferon sont normales.",
            "hépatite B",
            "refuted",
        ),
        (
            "Les sérologies de la varicelle, de l'hépatite C et de la ferritine sont normales.",
            "hépatite C",
            "refuted",
        ),
        # the test of the disease itself, right after it, takes the result: the past disease stands
        ("Aux antécédents d'une hépatite B ancienne guérie (AgHBs négatif), il consulte.", "hépatite", "confirmed"),
        ("Il a une hépatite C traitée dont la PCR et les transaminases sont normales.", "hépatite", "confirmed"),
    ],
)
def test_plural_result_closes_a_list(text: str, words: str, verification: str) -> None:
    assert _verifications(text, words) == [verification]


@pytest.mark.parametrize(
    ("text", "procedure"),
    [
        ("Patient de 60 ans, hémodialysé chronique depuis 2010 pour une néphropathie diabétique.", "302497006"),
        ("Elle est hémodialysée chronique depuis trois ans.", "302497006"),
        ("Il est en hémodialyse chronique depuis 2019.", "302497006"),
        ("Homme dialysé chronique, adressé pour une fistule.", "108241001"),
    ],
)
def test_chronic_dialysis_is_end_stage_kidney_disease(text: str, procedure: str) -> None:
    # chronic dialysis means stage 5 kidney disease; the dialysis stays a Procedure of the same words
    assert "N18.5" in [c for codes in _codes(text).values() for c in codes]
    assert procedure in [c["code"] for p in _entries(text, "Procedure") for c in p["code"].get("coding", [])]


@pytest.mark.parametrize(
    "text",
    [
        "Elle a été hémodialysée en urgence pour une hyperkaliémie.",
        "Une dialyse a été nécessaire pendant trois jours.",
    ],
)
def test_acute_dialysis_is_no_kidney_disease(text: str) -> None:
    assert not any(c.startswith("N18") for codes in _codes(text).values() for c in codes)
