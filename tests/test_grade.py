"""Differentiation grade of a tumour: an Observation focused on the tumour's Condition (staging.yaml grades)."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv


def _grades(text: str) -> list[tuple[int, str]]:
    data = fhirconv.convert(text).data
    by_ref = {e["fullUrl"]: e["resource"] for e in data["entry"]}
    out = []
    for e in data["entry"]:
        r: dict[str, Any] = e["resource"]
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == "371469007":
            out.append((r["valueInteger"], by_ref[r["focus"][0]["reference"]]["code"]["text"]))
    return out


@pytest.mark.parametrize(
    "text, grade",
    [
        ("Adénocarcinome bien différencié du rectum.", 1),
        ("Adénocarcinome moyennement différencié du côlon sigmoïde.", 2),
        ("Carcinome épidermoïde peu différencié.", 3),
        ("Carcinome indifférencié du nasopharynx.", 4),
        ("Carcinome canalaire infiltrant du sein gauche de grade III.", 3),
        ("Carcinome canalaire infiltrant, grade SBR 2.", 2),
        ("Tumeur neuroendocrine G2 du pancréas.", 2),
    ],
)
def test_grade_of_the_tumour_written_before_it(text: str, grade: int) -> None:
    [(value, _)] = _grades(text)
    assert value == grade


@pytest.mark.parametrize(
    "text",
    [
        "Neutropénie fébrile de grade 3 après la chimiothérapie.",  # toxicity grade, no tumour
        "Adénocarcinome du côlon traité par FOLFOX, compliqué d'une neuropathie de grade 2.",  # another concept between
        "Carcinome canalaire infiltrant. Le patient présente une mucite de grade 2.",  # another sentence
    ],
)
def test_other_grades_are_not_tumour_grades(text: str) -> None:
    assert _grades(text) == []


def test_the_grade_goes_to_the_tumour_written_last_before_it() -> None:
    # two tumours of one sentence: the grade follows the second
    text = "Carcinome épidermoïde du poumon et adénocarcinome du côlon moyennement différencié."
    assert _grades(text) == [(2, "adénocarcinome du côlon")]


def test_grades_of_a_long_report_each_go_to_their_tumour() -> None:
    one = "Adénocarcinome du rectum bien différencié. Carcinome canalaire infiltrant du sein de grade III. "
    grades = _grades(one * 25)
    assert len(grades) == 50 and {g for g, _ in grades} == {1, 3}, grades
