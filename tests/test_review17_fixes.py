"""Coding errors found in the session-16 review: a code refined by words that belong to another lesion of the clause
(a fracture's bone, a post-operative adrenal insufficiency), per-time urine rows, viral hepatitis C and B, the
topical ATC code of a drug's eye drops, ear drops, cream or inhaler, a broad plasma cell neoplasm. Texts written for
these tests (no corpus text)."""

from __future__ import annotations

import pytest

import fhirconv.tables
from fhirconv.errors import MappingError
from tests.bundle_facts import condition_codes, entries


def _coded(text: str, words: str) -> list[list[str]]:
    return [cs for k, cs in condition_codes(text).items() if words in k]


# the site of a fracture is its own complement, not a body part named after "et", "avec" ... in its clause
FRACTURE = [
    ("Fracture du poignet et contusion de la hanche après une chute.", "Fracture", "T14.2"),
    ("Une fracture costale avec hématome de la hanche.", "fracture", "T14.2"),
    ("Fracture du bassin sans atteinte de la cheville.", "Fracture", "T14.2"),
    ("Une fracture vertébrale chez une patiente opérée de la clavicule.", "fracture", "T14.2"),
    ("Fracture du sacrum et luxation de la rotule.", "Fracture", "T14.2"),
    # ... its own complement, after an adjective or two, still refines it
    ("Fracture ouverte de la cheville droite.", "Fracture", "S82.8"),
    ("Une fracture non déplacée de la clavicule gauche.", "fracture", "S42.0"),
    ("Une fracture déplacée du col du fémur droit a été opérée.", "fracture", "S72.0"),
    ("Des fractures de hanche à répétition.", "fractures", "S72.0"),
    ("Une fracture de la rotule gauche.", "fracture", "S82.0"),
    ("Fracture trimalléolaire de la cheville gauche.", "Fracture", "S82.8"),
    ("Une fracture du radius distal droit.", "fracture", "S52.5"),
]

# an adrenal insufficiency is postprocedural (E89.6) only when it is itself said post-operative
ADRENAL = [
    ("Insuffisance surrénalienne et fièvre post-opératoire.", "Insuffisance", "E27.4"),
    ("Hypocortisolisme avec un iléus post-opératoire.", "Hypocortisolisme", "E27.4"),
    ("Insuffisance surrénale révélée par un choc post-opératoire.", "Insuffisance", "E27.4"),
    ("Une insuffisance surrénalienne chez un patient post-opératoire.", "insuffisance", "E27.4"),
    # ... said so, it is
    ("Une insuffisance surrénalienne aiguë post-opératoire a été traitée.", "insuffisance", "E89.6"),
    ("Insuffisance surrénale en post-opératoire immédiat.", "Insuffisance", "E89.6"),
    ("Insuffisance surrénalienne transitoire après une surrénalectomie gauche.", "Insuffisance", "E89.6"),
    ("Un hypocortisolisme post-opératoire a été substitué.", "hypocortisolisme", "E89.6"),
]


@pytest.mark.parametrize(("text", "words", "code"), FRACTURE + ADRENAL)
def test_condition_code(text: str, words: str, code: str) -> None:
    got = _coded(text, words)
    assert got and all(code in cs for cs in got), got


def _urine(text: str) -> list[tuple[str, float, str]]:
    return [
        (r["code"]["coding"][0]["code"], r["valueQuantity"]["value"], r["valueQuantity"].get("code", ""))
        for r in entries(text, "Observation")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a day's output: the 24-hour LOINC code, a unit per 24 hours
        ("La natriurèse des 24 heures était à 120 mmol/24h.", ("2956-1", 120.0, "mmol/(24.h)")),
        ("Natriurèse à 140 mmol/24 heures sous régime.", ("2956-1", 140.0, "mmol/(24.h)")),
        ("Une natriurie à 210 mmol/j malgré le régime.", ("2956-1", 210.0, "mmol/(24.h)")),
        ("Natriurèse des 24h à 95 mmol.", ("2956-1", 95.0, "mmol/(24.h)")),  # the name states the 24 hours
        ("Protéinurie à 3,2 g/24h.", ("2889-4", 3.2, "g/(24.h)")),
        ("La protéinurie était de 2 g/j.", ("2889-4", 2.0, "g/(24.h)")),
        ("Protéinurie des 24 heures à 1,5 g.", ("2889-4", 1.5, "g/(24.h)")),
        ("Kaliurèse à 60 mmol/24h sous diurétiques.", ("2829-0", 60.0, "mmol/(24.h)")),
        ("La kaliurèse des 24 heures était de 80 mmol.", ("2829-0", 80.0, "mmol/(24.h)")),
        # ... a concentration keeps the per-volume code
        ("Natriurèse à 45 mmol/L.", ("2955-3", 45.0, "mmol/L")),
        ("Protéinurie à 0,8 g/L.", ("2888-6", 0.8, "g/L")),
        ("Kaliurèse à 30 mmol/l sur échantillon.", ("2828-2", 30.0, "mmol/L")),
        # ... and a serum sodium its own
        ("Natrémie à 128 mmol/l.", ("2951-2", 128.0, "mmol/L")),
    ],
)
def test_urine_per_day(text: str, expected: tuple[str, float, str]) -> None:
    assert _urine(text) == [expected]


# hepatitis B or C: B19 is the viral hepatitis whose virus is not stated; CIM-10 FR has no B19.1 / B19.2 (ICD-10-CM
# codes): the index codes a hepatitis B or C with no course to its acute category, a chronic one to B18
HEPATITIS = [
    ("Antécédent d'hépatite C traitée par antiviraux.", "hépatite C", "B17.1"),
    ("Une hépatite virale C a été découverte.", "hépatite virale C", "B17.1"),
    ("Hépatite C aiguë post-transfusionnelle.", "Hépatite C aiguë", "B17.1"),
    ("Elle est suivie pour une hépatite chronique C.", "hépatite chronique C", "B18.2"),
    ("Hépatite C chronique génotype 1.", "Hépatite C chronique", "B18.2"),
    ("Vaccinée, elle n'a jamais eu d'hépatite B.", "hépatite B", "B16.9"),
    ("Une hépatite B aiguë fulminante.", "hépatite B aiguë", "B16.9"),
    ("Hépatite chronique B active sous entécavir.", "Hépatite chronique B", "B18.1"),
    # ... the virus not stated stays B19.9
    ("Une hépatite virale a été évoquée.", "hépatite virale", "B19.9"),
]


@pytest.mark.parametrize(("text", "words", "code"), HEPATITIS)
def test_hepatitis(text: str, words: str, code: str) -> None:
    got = _coded(text, words)
    assert got and all(code in cs for cs in got), got


def _atc(text: str) -> dict[str, list[str]]:
    return {
        r["medicationCodeableConcept"]["text"].lower(): [c["code"] for c in r["medicationCodeableConcept"]["coding"]]
        for r in entries(text, "MedicationStatement")
    }


# the form written with a drug chooses its substance's local ATC code (medication_context.yaml forms)
@pytest.mark.parametrize(
    ("text", "drug", "atc"),
    [
        ("Un collyre de dexaméthasone a été prescrit trois fois par jour.", "dexaméthasone", "S01BA01"),
        ("Elle reçoit de la dexaméthasone en collyre.", "dexaméthasone", "S01BA01"),
        ("Un implant intravitréen de dexaméthasone a été posé.", "dexaméthasone", "S01BA01"),
        ("Collyre au kétorolac après la chirurgie de la cataracte.", "kétorolac", "S01BC05"),
        ("Trois injections intravitréennes d'aflibercept.", "aflibercept", "S01LA05"),
        ("Crème à l'hydrocortisone sur les plaques deux fois par jour.", "hydrocortisone", "D07AA02"),
        ("Le métronidazole en crème a été appliqué sur la rosacée.", "métronidazole", "D06BX01"),
        ("Corticoïdes en inhalation au long cours.", "corticoïdes", "R03BA"),
        # ... without a form of its own, the drug keeps its systemic code
        ("Dexaméthasone 40 mg par jour, puis un collyre antibiotique.", "dexaméthasone", "H02AB02"),
        ("Hydrocortisone 20 mg le matin pour son insuffisance surrénalienne.", "hydrocortisone", "H02AB09"),
        ("Aflibercept 4 mg/kg toutes les deux semaines avec le FOLFIRI.", "aflibercept", "L01XX44"),
        ("Métronidazole 500 mg trois fois par jour par voie intraveineuse.", "métronidazole", "J01XD01"),
        ("Une crème émolliente et de la dexaméthasone par voie orale.", "dexaméthasone", "H02AB02"),
    ],
)
def test_form_chooses_the_atc_code(text: str, drug: str, atc: str) -> None:
    assert _atc(text).get(drug) == [atc], _atc(text)


def test_a_form_names_atc_groups(tmp_path) -> None:
    (tmp_path / "medication_context.yaml").write_text(
        'meta: {source: test, version: "1", licence: CC0}\n'
        'forms:\n  - {place: before, atc: [eye], pattern: "collyre\\\\s+$"}\n',
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match="ATC groups"):
        fhirconv.tables._load(tmp_path)


# a hearing loss caused by a drug is ototoxic (H91.0; CIM-10 H90 excludes it), when the cause is the loss's own
OTOTOXIC = [
    ("Elle garde une surdité de perception bilatérale liée au cisplatine.", "surdité", "H91.0"),
    ("Surdité bilatérale secondaire aux aminosides.", "Surdité", "H91.0"),
    ("Une hypoacousie ototoxique a été dépistée.", "hypoacousie", "H91.0"),
    ("Surdité neurosensorielle bilatérale induite par le carboplatine.", "Surdité", "H91.0"),
    # ... a cause after another lesion, or none written, leaves the loss's own code
    ("Surdité de perception bilatérale et neuropathie liée au cisplatine.", "Surdité", "H90.3"),
    ("Surdité de perception bilatérale congénitale.", "Surdité", "H90.3"),
    ("Surdité bilatérale chez un patient traité par cisplatine.", "Surdité", "H91.9"),
]


@pytest.mark.parametrize(("text", "words", "code"), OTOTOXIC)
def test_ototoxic_hearing_loss(text: str, words: str, code: str) -> None:
    got = _coded(text, words)
    assert got and all(code in cs for cs in got), got
