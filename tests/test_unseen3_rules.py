"""Rules found wrong on the third batch of reports written for session 11 (tests/data/unseen/u17..u24: paediatrics,
obstetrics, psychiatry, infectious diseases, haematology, thoracic oncology, neurology, gynaecological oncology): a
finding "ne mettait pas en évidence", a disease "recherchée" or "redoutée" or prevented, an exception after a negation,
a relative named after the disease ("K du colon chez son pere"), an antibiogram's drugs, CIM-10 subdivisions the
words state, lower-case abbreviations, a FIGO stage with its edition. Texts written for these tests (no corpus
text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import conditions as _conditions
from tests.bundle_facts import entries as _entries


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # "ne" + a verb of finding + "pas": the disease after it is absent
        (
            "L'IRM cérébrale ne mettait pas en évidence d'embolie cérébrale ni d'anévrisme.",
            "embolie cérébrale",
            "refuted",
        ),
        ("Le scanner ne montre aucune adénopathie médiastinale.", "adénopathie", "refuted"),
        ("Elle ne souffre pas d'hypertension artérielle.", "hypertension artérielle", "refuted"),
        # not any verb: "ne correspond pas à" says nothing of the disease named after it
        ("La masse ne correspond pas à l'évolution de la tuberculose connue.", "tuberculose", "confirmed"),
        # what the exception names is there
        ("L'IRM ne montre aucune anomalie à l'exception d'une hernie discale.", "hernie discale", "confirmed"),
        ("Bonne tolérance, sans toxicité à l'exception d'une mucosite de grade 1.", "mucosite", "confirmed"),
        # looked for, feared, prevented: not (yet) there
        ("Une amylose a été recherchée : biopsie des glandes salivaires négative.", "amylose", "provisional"),
        ("Une éclampsie imminente était redoutée.", "éclampsie", "provisional"),
        ("Sulfate de magnésium en prévention de l'éclampsie.", "éclampsie", "provisional"),
        ("Cotrimoxazole en prophylaxie de la pneumocystose.", "pneumocystose", "provisional"),
    ],
)
def test_assertion_cues(text: str, words: str, verification: str) -> None:
    got = [v for k, (_, v) in _conditions(text).items() if words.split()[0] in k]
    assert got == [verification]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the relative named after the disease is its relative, not the one of the item before
        (
            "ATCD familiaux : K du sein gauche chez sa soeur a 48 ans, K du colon chez son pere.",
            {("SIS", "C50.9"), ("FTH", "C18.9")},
        ),
        (
            "Antécédents familiaux : lupus chez sa mère, vitiligo chez sa sœur et cancer du poumon chez son frère.",
            {("MTH", "M32.9"), ("SIS", "L80"), ("BRO", "C34.9")},
        ),
        ("Un cancer gastrique a été diagnostiqué chez son père.", {("FTH", "C16.9")}),
    ],
)
def test_relative_named_after_the_disease(text: str, expected: set[tuple[str, str]]) -> None:
    got = {
        (r["relationship"]["coding"][0]["code"], c["code"])
        for r in _entries(text, "FamilyMemberHistory")
        for x in r["condition"]
        for c in x["code"].get("coding", [])
        if "/" not in c["code"]
    }
    assert got == expected
    assert _entries(text, "Condition") == []


@pytest.mark.parametrize(
    ("text", "atc"),
    [
        # an antibiogram names drugs the germ was tested against
        ("Hémocultures à E. coli sensible au céfotaxime.", None),
        ("Staphylococcus aureus résistant à la méticilline, sans haut niveau de résistance à la gentamicine.", None),
        ("Pyélonéphrite traitée par ceftriaxone 1 g/j.", "J01DD04"),
        # a tumour's sensitivity to a drug given
        ("Mutation avec une sensibilité à l'erlotinib, qui a été débuté en mars.", "L01EB02"),
    ],
)
def test_antibiogram_drugs_are_not_given(text: str, atc: str | None) -> None:
    codes = [c["code"] for r in _entries(text, "MedicationStatement") for c in r["medicationCodeableConcept"]["coding"]]
    assert codes == ([atc] if atc else [])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Convulsions fébriles simples à 18 mois.", "R56.0"),
        ("Épilepsie généralisée idiopathique traitée par lamotrigine.", "G40.3"),
        ("Migraine sans aura.", "G43.0"),
        ("Migraine avec aura visuelle.", "G43.1"),
        ("Metrorragies post-menopausiques depuis deux mois.", "N95.0"),
        ("Hypothyroïdie post-radique substituée.", "E89.0"),
        ("Hypothyroïdie sous lithium.", "E03.2"),
        ("Il est insuffisant rénal chronique modéré.", "N18.3"),
        ("IRC sévère.", "N18.4"),
        # a severity word of another disease in the clause is not the stage
        ("Insuffisance rénale chronique avec une anémie modérée.", "N18.9"),
        ("Patiente drépanocytaire SC.", "D57.2"),
        ("Drépanocytose SS.", "D57.1"),
        ("Crise vaso-occlusive osseuse.", "D57.0"),
        ("Prééclampsie compliquée d'un HELLP syndrome.", "O14.2"),
        ("Mme P., obese, hta et diabete de type 2.", "I10"),
    ],
)
def test_cim10_the_words_state(text: str, code: str) -> None:
    codes = {c for cs, _ in _conditions(text).values() for c in cs}
    assert code in codes


def test_a_lone_k_is_not_a_cancer() -> None:
    assert _entries("Kaliémie : K 4,2 mmol/L. Vitamine K de synthèse.", "Condition") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Stade FIGO 2009 IB, pT1b N0.", "IB"),
        ("Tumeur classée FIGO 2018 IIIC1.", "IIIC1"),
        ("Stade IB de la FIGO.", "IB"),
    ],
)
def test_figo_stage_with_its_edition(text: str, value: str) -> None:
    stages = [
        r.get("valueCodeableConcept", {}).get("text")
        for r in _entries(text, "Observation")
        # a stage group: clinical (21908-9), or pathological (21902-2) when a pTNM is written with it
        if any(c["code"] in ("21908-9", "21902-2") for c in r["code"].get("coding", []))
    ]
    assert stages and all(value in (s or "") for s in stages)


@pytest.mark.parametrize(
    ("text", "loinc", "value", "unit"),
    [
        ("Lithiémie 3,8 mmol/L.", "14334-7", 3.8, "mmol/L"),
        ("ECG : QTc 470 ms.", "8636-3", 470, "ms"),
        ("EFR : VEMS 1,1 L.", "20150-9", 1.1, "L"),
    ],
)
def test_new_observations(text: str, loinc: str, value: float, unit: str) -> None:
    got = [
        (r["valueQuantity"]["value"], r["valueQuantity"].get("code"))
        for r in _entries(text, "Observation")
        if any(c["code"] == loinc for c in r["code"].get("coding", []))
    ]
    assert got == [(value, unit)]


def test_a_negated_disease_does_not_negate_its_cause() -> None:
    # the lymphoma is the cause of the leukaemia the text rules out; a haematological malignancy has no /6
    conds = _conditions("Lymphome de Hodgkin en rémission. Pas de leucémie secondaire au traitement du lymphome.")
    assert conds["leucémie"] == (["C95.9", "9800/3"], "refuted")
    assert conds["lymphome"][1] == "confirmed"
    # a differential suspects the cause too
    conds = _conditions("Diagnostics différentiels possibles : CIVD secondaire à une septicémie ou récidive.")
    assert conds["septicémie"][1] == "differential"
