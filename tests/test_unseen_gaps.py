"""Rules found missing on the reports of tests/data/unseen (session 10): clinical scores read as Observations.
Texts written for these tests (no corpus text)."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv


def _observations(text: str) -> list[tuple[str, list[str], float | None]]:
    data = fhirconv.convert(text).data
    out = []
    for e in data["entry"]:
        r = e["resource"]
        # scores: survey Observations with a number (a stage is one too, valued by a CodeableConcept)
        if r["resourceType"] != "Observation" or r["category"][0]["coding"][0]["code"] != "survey":
            continue
        if "valueCodeableConcept" in r:
            continue
        value = r.get("valueQuantity", {}).get("value")
        out.append((r["code"]["text"], [c["code"] for c in r["code"].get("coding", [])], value))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # stroke scales: NIHSS total (LOINC 72089-6), modified Rankin (75859-9), "X N", "X = N", "X de N/M", "X à N"
        ("À l'admission, score NIHSS 9, puis NIHSS = 4 à la 24e heure.", [("score NIHSS", 9.0), ("NIHSS", 4.0)]),
        ("L'examen retrouvait un NIHSS de 17/42.", [("NIHSS", 17.0)]),
        ("À six mois, le score de Rankin modifié était à 1.", [("score de Rankin modifié", 1.0)]),
        ("Autonome à domicile, mRS 0 avant l'accident.", [("mRS", 0.0)]),
        # liver: MELD-Na has a LOINC code; MELD and Child-Pugh are text-only, the class letter before the points
        ("Cirrhose avec un score MELD-Na à 24.", [("score MELD-Na", 24.0)]),
        (
            "Le score MELD était de 19 et le score de Child-Pugh C11.",
            [("score MELD", 19.0), ("score de Child-Pugh", 11.0)],
        ),
        # lymphoma: IPI and the Deauville score of a PET, text-only
        ("Lymphome folliculaire de stade IV, IPI à 3.", [("IPI", 3.0)]),
        ("La TEP d'intérim était négative, score de Deauville 3.", [("score de Deauville", 3.0)]),
        ("Score CHA2DS2-VASc à 4 et HAS-BLED à 2.", [("Score CHA2DS2-VASc", 4.0), ("HAS-BLED", 2.0)]),
    ],
)
def test_scores_are_observations(text: str, expected: list[tuple[str, float]]) -> None:
    assert [(t, v) for t, _, v in _observations(text)] == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [("Score NIHSS 12.", ["72089-6"]), ("Rankin modifié à 3.", ["75859-9"]), ("MELD-Na 30.", ["100348-2"])],
)
def test_score_codes(text: str, code: list[str]) -> None:
    assert [c for _, c, _ in _observations(text)] == [code]


@pytest.mark.parametrize(
    "text",
    [
        "Un NIHSS de 55 est impossible.",  # outside 0-42: not this score's result
        "Elle habitait à Deauville depuis 30 ans.",  # the town, no score
        "IPI élevé.",  # no number
    ],
)
def test_no_score_without_a_plausible_value(text: str) -> None:
    found: list[Any] = [v for _, _, v in _observations(text) if v is not None]
    assert found == []
