"""Review fixes of session 17 (assertions and dates), on sentences written for these tests.

Condition cases use the inline markup of ``test_assert16`` (<hyp> provisional, <ok> confirmed and active, ...)."""

from __future__ import annotations

import pytest

import fhirconv
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
    out = {}
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "MedicationStatement":
            out[r["medicationCodeableConcept"]["text"]] = r["status"]
    return out


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
