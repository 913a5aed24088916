"""Rules of session 15 found too wide by its review (r2s15-review): a recurrence ruled out right after another disease
than the cancer is that disease's, not the cancer's. Texts written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import conditions as _conditions


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # "sans récidive" of the disease named right before it, not of the report's cancer
        (
            "Adénocarcinome prostatique traité en 2018. Pancréatite aiguë biliaire en 2020, sans récidive de "
            "pancréatite depuis la cholécystectomie.",
            "C61",
        ),
        ("Adénocarcinome du côlon opéré en 2016. Lupus traité en 2019, sans rechute de son lupus depuis.", "C18.9"),
    ],
)
def test_recurrence_ruled_out_of_another_disease(text: str, code: str) -> None:
    verifications = [v for codes, v in _conditions(text).values() if code in codes]
    assert verifications == ["confirmed"]  # the cancer, and no refuted recurrence of it


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # counter-examples: the cancer is the last disease named before the recurrence
        ("Carcinome canalaire infiltrant du sein droit opéré en 2015. Pas de récidive à cinq ans.", "C50.9"),
        ("Adénocarcinome du côlon opéré en 2010, traité par FOLFOX, sans aucun signe de récidive.", "C18.9"),
        ("Adénocarcinome du côlon opéré en 2010. Pas de récidive de sa maladie néoplasique à cinq ans.", "C18.9"),
    ],
)
def test_recurrence_ruled_out_of_the_cancer(text: str, code: str) -> None:
    verifications = sorted(v for codes, v in _conditions(text).values() if code in codes)
    assert verifications == ["confirmed", "refuted"]


@pytest.mark.parametrize(
    ("text", "spread"),
    [
        # the nodal involvement of another disease named right before it is no spread of the report's cancer
        (
            "Adénocarcinome du côlon confirmé. Une sarcoïdose avec atteinte ganglionnaire médiastinale a été "
            "diagnostiquée.",
            False,
        ),
        # counter-examples: the cancer's own involvement, named with it or alone
        ("Cancer du côlon avec atteinte ganglionnaire mésentérique.", True),
        ("Adénocarcinome du côlon confirmé. Le scanner montre une atteinte ganglionnaire mésentérique.", True),
    ],
)
def test_nodal_involvement_of_another_disease(text: str, spread: bool) -> None:
    secondaries = [codes for codes, _ in _conditions(text).values() if any(c.startswith("C77") for c in codes)]
    assert bool(secondaries) == spread


@pytest.mark.parametrize(
    ("text", "disease"),
    [
        # a disease named with its article, then a list of markers with their result: the disease stands
        ("L'immunophénotypage confirmait une LAM, CD34 et CD117 positifs.", True),
        ("Les blastes exprimaient le CD13 ; diagnostic de LAM, CD34 positif.", True),
        # counter-examples: the abbreviation is a marker of the list (smooth muscle actin)
        ("Immunohistochimie : vimentine, LAM et desmine positives.", False),
        ("Immunohistochimie : CD3+, CD20-, LAM positif.", False),
    ],
)
def test_disease_named_before_a_stain_list(text: str, disease: bool) -> None:
    assert any("C92.0" in codes for codes, _ in _conditions(text).values()) == disease


@pytest.mark.parametrize(
    ("text", "code", "verification"),
    [
        # an exclusion (or a hypothesis) does not reach over a second verb of the exam that finds a disease
        ("La PCR élimine une infection à CMV et confirme une toxoplasmose.", "B58.9", "confirmed"),
        ("La PCR a éliminé une infection à CMV et a confirmé une toxoplasmose.", "B58.9", "confirmed"),
        ("Le scanner est en faveur d'une pneumopathie et montre un emphysème.", "J43.9", "confirmed"),
        # counter-example: the ruled out disease itself
        ("La PCR élimine une infection à CMV et confirme une toxoplasmose.", "B25.9", "refuted"),
    ],
)
def test_a_second_verb_finding_a_disease_ends_the_scope(text: str, code: str, verification: str) -> None:
    assert [v for codes, v in _conditions(text).values() if code in codes] == [verification]
