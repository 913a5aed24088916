"""tumours.yaml drives the tumour rules of the Condition builder: a row added in an overlay changes the output the
way the built-in rows do, and a broken row names its line."""

from __future__ import annotations

from pathlib import Path

import pytest

import fhirconv
from fhirconv import MappingError, load_mappings

M = "meta: {source: t, version: 1, licence: CC0}\n"


def _conditions(text: str, overlay: Path | None = None) -> list[str]:
    """(CIM-10 code, code text) of each Condition, in bundle order."""
    result = fhirconv.convert(text, mappings=load_mappings(overlay)) if overlay else fhirconv.convert(text)
    return [
        f"{e['resource']['code']['coding'][0]['code']} {e['resource']['code']['text']}"
        for e in result.data["entry"]
        if e["resource"]["resourceType"] == "Condition"
    ]


def _overlay(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "overlay"
    folder.mkdir()
    (folder / "tumours.yaml").write_text(M + body, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "text, built_in, with_row",
    [
        # built in, the breast is not such an organ: the second histology is the same cancer told again (merging);
        # a row naming the breast (C50) keeps the two apart, as the skin's row does for the skin
        (
            "Patiente de 60 ans opérée en 2010 d'un carcinome canalaire infiltrant du sein gauche. En 2020, découverte "
            "d'un carcinome lobulaire infiltrant du sein gauche.",
            ["C50.9 carcinome canalaire infiltrant du sein"],
            ["C50.9 carcinome canalaire infiltrant du sein", "C50.9 carcinome lobulaire infiltrant du sein"],
        ),
        # the report's one sub-site of the breast refines its one cancer (C50.9 -> C50.4); with the breast's row the
        # two histologies are two cancers, and the sub-site is not surely either's (report._subsite)
        (
            "Carcinome canalaire infiltrant du sein gauche. Masse du quadrant supéro-externe. Carcinome lobulaire "
            "infiltrant du sein gauche.",
            ["C50.4 Carcinome canalaire infiltrant du sein"],
            ["C50.9 Carcinome canalaire infiltrant du sein", "C50.9 Carcinome lobulaire infiltrant du sein"],
        ),
    ],
)
def test_an_organ_row_makes_two_histologies_two_cancers(
    tmp_path: Path, text: str, built_in: list[str], with_row: list[str]
) -> None:
    assert _conditions(text) == built_in
    assert _conditions(text, _overlay(tmp_path, "distinct_histologies:\n  - {topography: C50}\n")) == with_row


@pytest.mark.parametrize(
    "row, words",
    [
        ("{topography: C44.1}", "an ICD-O-3 topography category"),
        ("{topography: C99}", "topography C99: no row of topography.csv"),
    ],
)
def test_a_broken_organ_row_names_its_line(tmp_path: Path, row: str, words: str) -> None:
    overlay = _overlay(tmp_path, f"distinct_histologies:\n  - {row}\n")
    with pytest.raises(MappingError, match=rf"tumours\.yaml:3: .*{words}"):
        load_mappings(overlay)
