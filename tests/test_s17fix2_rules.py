"""Review fixes of session 17 (assertions and dates), on sentences written for these tests.

Condition cases use the inline markup of ``test_assert16`` (<hyp> provisional, <ok> confirmed and active, ...)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import condition_codings, entries
from tests.test_assert16 import parse, statuses

# 1. A cue on a treatment noun bears on the treatment (the head), not on the disease named in its complement.
TREATMENT_HEAD = [
    "Une chimiothérapie du <ok>cancer du sein</ok> est à discuter.",
    "Une radiothérapie de la <ok>tumeur</ok> a été discutée.",
    "Il n'y a pas eu d'exérèse de la <ok>tumeur</ok>.",
    "La résection des <ok>métastases hépatiques</ok> a été récusée.",
    "Pas de traitement chirurgical de l'<ok>anévrisme de l'aorte abdominale</ok>.",
    "Une prise en charge de la <ok>dépression</ok> est à discuter.",
]
# counter-examples: the disease is itself the cue's object
DISEASE_HEAD = [
    "Un <hyp>cancer du sein</hyp> est à discuter.",
    "Une <hyp>tuberculose</hyp> est suspectée.",
    "Pas de <neg>métastases hépatiques</neg>.",
    "Une chimiothérapie a été débutée ; pas de <neg>tuberculose</neg>.",
]


@pytest.mark.parametrize("marked", TREATMENT_HEAD + DISEASE_HEAD)
def test_cue_on_a_treatment_bears_on_the_treatment(marked: str) -> None:
    text, expected = parse(marked)
    assert statuses(text) == expected


def drug_statuses(text: str) -> dict[str, str]:
    """The status of each MedicationStatement, by the words that name its drug."""
    return {r["medicationCodeableConcept"]["text"]: r["status"] for r in entries(text, "MedicationStatement")}


# 2. A stop verb stops the drugs of its clause, not a drug whose own clause has its verb before the next drug.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le paracétamol a été administré par voie intraveineuse, le zolpidem a été arrêté.",
            {"paracétamol": "completed", "zolpidem": "stopped"},
        ),
        (
            "La metformine a été poursuivie et le zolpidem a été arrêté.",
            {"metformine": "active", "zolpidem": "stopped"},
        ),
        (
            "L'amoxicilline était bien tolérée ; la warfarine a été suspendue.",
            {"amoxicilline": "completed", "warfarine": "stopped"},
        ),
        # counter-examples: a list, or an apposition with no verb of its own, before the stop verb
        (
            "La metformine, le ramipril et le zolpidem ont été arrêtés.",
            {"metformine": "stopped", "ramipril": "stopped", "zolpidem": "stopped"},
        ),
        (
            "Le tamoxifène, débuté en 2015 à 20 mg par jour, a été arrêté.",
            {"tamoxifène": "stopped"},
        ),
    ],
)
def test_stop_verb_ends_at_a_clause_with_its_own_verb(text: str, expected: dict[str, str]) -> None:
    assert drug_statuses(text) == expected


def drug_starts(text: str) -> dict[str, str | None]:
    """The start date of each MedicationStatement (its period's start or its date), by the words that name it."""
    return {
        r["medicationCodeableConcept"]["text"]: r.get("effectivePeriod", {}).get("start") or r.get("effectiveDateTime")
        for r in entries(text, "MedicationStatement")
    }


# 3. A usual treatment has no start date unless one is written for it.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Patient de 70 ans hospitalisé en mars 2021 pour une pneumopathie. Traitement habituel : metformine "
            "1000 mg/j, ramipril 5 mg/j.",
            {"metformine": None, "ramipril": None},
        ),
        (
            "En janvier 2019, elle a été opérée d'une cholécystectomie. Son traitement comprenait du bisoprolol et de "
            "l'atorvastatine.",
            {"bisoprolol": None, "atorvastatine": None},
        ),
        ("En mai 2020, son traitement habituel comprenait de l'apixaban.", {"apixaban": None}),
        # counter-examples: a start written for the drug, and a drug that is no usual treatment
        ("Traitement habituel : lévothyroxine depuis 2012.", {"lévothyroxine": "2012"}),
        (
            "Patient hospitalisé en mars 2021 pour une pneumopathie. Une amoxicilline a été débutée.",
            {"amoxicilline": "2021-03"},
        ),
    ],
)
def test_usual_treatment_has_no_inherited_start(text: str, expected: dict[str, str | None]) -> None:
    assert drug_starts(text) == expected


def cim10_codes(text: str) -> list[str]:
    """The CIM-10 codes of the Conditions."""
    return sorted(condition_codings(text, "cim-10"))


# 4. A myocardial infarction dated more than 4 weeks before the report's present is an old one (I25.2).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Patient de 70 ans hospitalisé le 14 mars 2024 pour une chute. Antécédents : infarctus du myocarde en 2009.",
            ["I25.2"],
        ),
        (
            "Il a été admis le 2 juin 2023 pour une pneumopathie. Il avait pour antécédents un infarctus du myocarde "
            "en janvier 2021.",
            ["I25.2", "J18.9"],
        ),
        # counter-examples: the infarction of the admission, one 2 weeks before it, and a report about the infarction
        ("Patient hospitalisé le 14 mars 2024 pour un infarctus du myocarde.", ["I21.9"]),
        (
            "Hospitalisé le 3 mai 2024 pour une dyspnée. Antécédents : infarctus du myocarde le 20 avril 2024.",
            ["I21.9"],
        ),
        ("En mars 2009, il a présenté un infarctus du myocarde. Revu en 2012, il allait bien.", ["I21.9"]),
    ],
)
def test_dated_past_infarction_is_old(text: str, expected: list[str]) -> None:
    assert cim10_codes(text) == expected


# 5. A lymph node named again with its words and a definite determiner is the node named before with its group.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Une biopsie du ganglion sentinelle inguinal gauche a été réalisée le 18 septembre 2019 ; le ganglion "
            "sentinelle contenait un dépôt métastatique de 1,5 mm.",
            ["C77.4"],
        ),
        (
            "Un ganglion sentinelle axillaire gauche a été prélevé. Ce ganglion sentinelle contenait une "
            "micrométastase.",
            ["C77.3"],
        ),
        # counter-examples: another node ("un second"), and a node named with no group before
        (
            "Un ganglion sentinelle axillaire a été prélevé. Un second ganglion sentinelle contenait une "
            "micrométastase.",
            ["C77.9"],
        ),
        ("La biopsie du ganglion sentinelle a retrouvé une micrométastase.", ["C77.9"]),
    ],
)
def test_node_named_again_keeps_its_group(text: str, expected: list[str]) -> None:
    assert cim10_codes(text) == expected


def onsets(text: str) -> dict[str, str | None]:
    """The onset of each Condition, by its words."""
    return {r["code"]["text"]: r.get("onsetDateTime") for r in entries(text, "Condition")}


# 6. A disease the patient was operated on or treated for is past: it takes no date of its paragraph.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Une femme de 40 ans a consulté en mars 2021 pour une toux. Elle avait été opérée d'une appendicite à "
            "14 ans.",
            {"appendicite": None},
        ),
        (
            "Il a été hospitalisé en mai 2019 pour une dyspnée. Il avait été opéré d'une hernie inguinale dans sa "
            "jeunesse.",
            {"hernie inguinale": None},
        ),
        # counter-examples: a date written for the operated disease, and a disease of the episode
        ("Il avait été opéré d'une hernie inguinale en 2008.", {"hernie inguinale": "2008"}),
        # a tumour operated on goes on: it keeps the date of the examination that found it
        (
            "Un scanner réalisé le 3 mars 2015 montrait des adénopathies. Le patient a été opéré d'une récidive "
            "métastatique ganglionnaire.",
            {"adénopathies": "2015-03-03", "métastatique ganglionnaire": "2015-03-03"},
        ),
        (
            "Il a été hospitalisé en mai 2019 pour une dyspnée. Une pneumopathie a été diagnostiquée.",
            {"pneumopathie": "2019-05"},
        ),
    ],
)
def test_operated_disease_takes_no_paragraph_date(text: str, expected: dict[str, str | None]) -> None:
    assert onsets(text) == expected
