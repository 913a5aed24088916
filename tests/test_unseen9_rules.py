"""Rules found wrong on the ninth batch of our own reports (session 16, u61-u68: bladder, ovarian, Hodgkin, acral
melanoma, osteosarcoma, small-cell lung, colorectal, prostate cancers): a denied family history that made the
patient's complaints a relative's, a suspicion with an adverb or "envisagée", a lesion mistaken for a disease, aspect
and type adjectives between a tumour and its site, Hodgkin subtypes written with "classique", the heel, skin
carcinomas of a trunk or limb region, immune-related hepatitis, viral warts, the urine sodium. Texts written for these
tests (no corpus text)."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv


def _resources(text: str, rtype: str) -> list[dict[str, Any]]:
    data = fhirconv.convert(text).data
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == rtype]


def _codes(cc: dict[str, Any]) -> set[str]:
    return {c["code"] for c in cc.get("coding", [])}


def _conditions(text: str) -> dict[str, tuple[set[str], str]]:
    """Condition text -> (codes, verification)."""
    return {
        r["code"].get("text", ""): (_codes(r["code"]), r["verificationStatus"]["coding"][0]["code"])
        for r in _resources(text, "Condition")
    }


def _all_codes(text: str) -> set[str]:
    return {c for codes, _ in _conditions(text).values() for c in codes}


@pytest.mark.parametrize(
    "text",
    [
        "Un homme de 60 ans, sans antécédent familial de cancer digestif, consulte pour des rectorragies.",
        "Patiente de 45 ans, pas d'antécédents familiaux de maladie thromboembolique, admise pour une embolie pulmonaire.",
        "Aucun antécédent familial de diabète, hospitalisé pour une pancréatite aiguë.",
    ],
)
def test_a_denied_family_history_reaches_only_its_clause(text: str) -> None:
    """The patient's disease after the comma is his own, not a relative's."""
    conditions = _conditions(text)
    assert len(conditions) == 1
    assert next(iter(conditions.values()))[1] == "confirmed"
    assert _resources(text, "FamilyMemberHistory") == []


@pytest.mark.parametrize(
    "text",
    [
        # counter-examples: a family history stated, over the whole sentence as before
        "Antécédents familiaux : mère traitée pour un diabète de type 2, père décédé d'un infarctus du myocarde.",
        "Il a des antécédents familiaux de cancer du côlon chez son père.",
    ],
)
def test_a_stated_family_history_still_covers_its_sentence(text: str) -> None:
    assert _resources(text, "FamilyMemberHistory")
    assert not [v for _, v in _conditions(text).values() if v == "confirmed"]


@pytest.mark.parametrize(
    ("text", "disease"),
    [
        # the disease several words before the verb, an adverb between the auxiliary and the participle
        ("Une pneumopathie infectieuse du lobe inférieur droit est d'abord suspectée.", "pneumopathie infectieuse"),
        ("Des métastases hépatiques multiples étaient initialement suspectées.", "métastases hépatiques"),
        ("Une tuberculose a été envisagée devant les adénopathies.", "tuberculose"),
        ("Une toxoplasmose et une sarcoïdose ont également été envisagées.", "toxoplasmose"),
        ("Une sarcoïdose était également évoquée.", "sarcoïdose"),
    ],
)
def test_a_suspicion_with_an_adverb_or_envisagee_is_a_hypothesis(text: str, disease: str) -> None:
    assert _conditions(text)[disease][1] == "provisional"


@pytest.mark.parametrize(
    ("text", "disease"),
    [
        # (the adverb forms, "prise initialement pour", are test_unseen4_rules')
        ("Lésion du talon prise pour une verrue plantaire par son médecin traitant.", "verrue plantaire"),
        ("Des douleurs confondues avec une sciatique.", "sciatique"),
        ("Une éruption confondue avec une varicelle après la fièvre.", "varicelle"),
    ],
)
def test_a_lesion_mistaken_for_a_disease_is_not_that_disease(text: str, disease: str) -> None:
    assert _conditions(text)[disease][1] == "refuted"


@pytest.mark.parametrize(
    "text",
    [
        # a plan in the present tense stays a planned drug, not a hypothesis
        "Un traitement par imatinib est envisagé.",
        "Une chimiothérapie par cisplatine et étoposide est envisagée.",
    ],
)
def test_a_treatment_envisaged_stays_intended(text: str) -> None:
    assert {r["status"] for r in _resources(text, "MedicationStatement")} == {"intended"}


@pytest.mark.parametrize(
    ("text", "disease"),
    [
        # a drug taken for a disease: the disease is the patient's
        ("La metformine, prise pour un diabète, est poursuivie.", "diabète"),
        ("Il a pris pour une hypertension du ramipril.", "hypertension"),
        ("Une embolie pulmonaire est confirmée.", "embolie pulmonaire"),
    ],
)
def test_a_drug_taken_for_a_disease_keeps_it_confirmed(text: str, disease: str) -> None:
    assert _conditions(text)[disease][1] == "confirmed"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # (a bare "tumeur" is of uncertain behaviour: D37.4 is the colon's, D37.5 the rectum's)
        ("La coloscopie retrouve une tumeur ulcéro-bourgeonnante sténosante du côlon sigmoïde.", "D37.4"),
        ("Les biopsies concluent à un adénocarcinome lieberkühnien moyennement différencié du rectum.", "C20"),
        ("Biopsie : adénocarcinome lieberkühnien du côlon droit.", "C18.2"),
        ("Biopsie : ostéosarcome ostéoblastique conventionnel de haut grade du tibia.", "C40.2"),
        ("Volumineux adénocarcinome bourgeonnant du bas rectum.", "C20"),
    ],
)
def test_aspect_and_type_adjectives_between_a_tumour_and_its_site(text: str, code: str) -> None:
    assert code in _all_codes(text)


def test_the_adjectives_do_not_carry_a_tumour_to_a_site_after_a_verb() -> None:
    """Counter-example: the gap words stop at a verb; the liver after "découverte" is no site of the cancer."""
    codes = _all_codes("Un adénocarcinome sténosant découvert lors du bilan hépatique.")
    assert "C22.0" not in codes and "C22.9" not in codes


@pytest.mark.parametrize(
    ("text", "morph", "cim10"),
    [
        ("Biopsie : lymphome de Hodgkin classique à cellularité mixte.", "9652/3", "C81.2"),
        ("Biopsie : lymphome hodgkinien à cellularité mixte.", "9652/3", "C81.2"),
        ("Biopsie : lymphome de Hodgkin classique à déplétion lymphocytaire.", "9653/3", "C81.3"),
        ("Biopsie : lymphome de Hodgkin classique riche en lymphocytes.", "9651/3", "C81.4"),
        # unchanged: the classical form alone, and the nodular sclerosis
        ("Biopsie : lymphome de Hodgkin classique.", "9650/3", "C81.9"),
        ("Biopsie : lymphome de Hodgkin classique scléronodulaire.", "9663/3", "C81.1"),
    ],
)
def test_hodgkin_subtypes_written_with_classique(text: str, morph: str, cim10: str) -> None:
    assert {morph, cim10} <= _all_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Exérèse d'un mélanome acral lentigineux du talon gauche.", "C43.7"),
        ("Exérèse d'un mélanome de la plante du pied.", "C43.7"),
        ("Exérèse d'un mélanome du dos.", "C43.5"),
        # skin carcinomas of a trunk or limb region are of that region's skin, as melanomas are
        ("Exérèse d'un carcinome basocellulaire du dos.", "C44.5"),
        ("Exérèse d'un carcinome basocellulaire de la jambe.", "C44.7"),
        ("Exérèse d'un carcinome basocellulaire de l'avant-bras.", "C44.6"),
        ("Exérèse d'un carcinome basocellulaire.", "C44.9"),
    ],
)
def test_skin_tumours_of_a_body_region(text: str, code: str) -> None:
    assert code in _all_codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Immunothérapie interrompue pour une hépatite immuno-induite de grade 3.", "K71.6"),
        ("Verrue plantaire traitée par cryothérapie.", "B07"),
        ("Une hépatite virale B chronique.", "B18.1"),
    ],
)
def test_condition_rows(text: str, code: str) -> None:
    assert code in _all_codes(text)


def test_the_urine_sodium() -> None:
    obs = _resources("Natrémie à 121 mmol/L, natriurèse à 68 mmol/L.", "Observation")
    got = {(c, o.get("valueQuantity", {}).get("value")) for o in obs for c in _codes(o["code"])}
    assert {("2951-2", 121), ("2955-3", 68)} <= got
