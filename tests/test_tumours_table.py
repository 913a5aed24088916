"""The table rows behind rules of the Condition builder drive them (tumours.yaml, cim10_refine.yaml ``types``): a row
added in an overlay changes the output the way the built-in rows do, and without the built-in rows the rule is gone.
A broken row names its line: tests/test_tables_errors.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import fhirconv
from fhirconv import load_mappings

M = "meta: {source: t, version: 1, licence: CC0}\n"


def _conditions(text: str, overlay: Path | None = None, **without: object) -> list[str]:
    """ "code text" of each Condition, in bundle order (its codes joined by "+"); ``without``: Mappings fields
    replaced (emptied) in the tables loaded."""
    maps = replace(load_mappings(overlay), **without)
    result = fhirconv.convert(text, mappings=maps)
    return [
        "+".join(c["code"] for c in e["resource"]["code"]["coding"]) + " " + e["resource"]["code"]["text"]
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
            ["C50.9+8500/3 carcinome canalaire infiltrant du sein"],
            [
                "C50.9+8500/3 carcinome canalaire infiltrant du sein",
                "C50.9+8520/3 carcinome lobulaire infiltrant du sein",
            ],
        ),
        # the report's one sub-site of the breast refines its one cancer (C50.9 -> C50.4); with the breast's row the
        # two histologies are two cancers, and the sub-site is not surely either's (report._subsite)
        (
            "Carcinome canalaire infiltrant du sein gauche. Masse du quadrant supéro-externe. Carcinome lobulaire "
            "infiltrant du sein gauche.",
            ["C50.4+8500/3 Carcinome canalaire infiltrant du sein"],
            [
                "C50.9+8500/3 Carcinome canalaire infiltrant du sein",
                "C50.9+8520/3 Carcinome lobulaire infiltrant du sein",
            ],
        ),
    ],
)
def test_an_organ_row_makes_two_histologies_two_cancers(
    tmp_path: Path, text: str, built_in: list[str], with_row: list[str]
) -> None:
    assert _conditions(text) == built_in
    assert _conditions(text, _overlay(tmp_path, "distinct_histologies:\n  - {topography: C50}\n")) == with_row


def test_the_umbrella_rows_let_an_earlier_type_refine_its_umbrella() -> None:
    # a non-small cell carcinoma (8046) "à grandes cellules" is a large cell carcinoma (8012): tumours.yaml umbrellas
    text = "Carcinome pulmonaire non à petites cellules à grandes cellules."
    assert _conditions(text) == ["C34.9+8012/3 Carcinome pulmonaire non à petites cellules"]
    assert _conditions(text, umbrellas={}) == ["C34.9+8046/3 Carcinome pulmonaire non à petites cellules"]


def test_the_types_row_gives_an_untyped_complication_the_patients_type() -> None:
    # cim10_refine.yaml types: E14.2 of "néphropathie diabétique" is E11.2 in a type 2 diabetic
    text = "Patient diabétique de type 2. Néphropathie diabétique."
    assert _conditions(text)[-1] == "E11.2 Néphropathie diabétique"
    assert _conditions(text, cim10_types={})[-1] == "E14.2 Néphropathie diabétique"


def test_the_local_histology_rows_keep_a_basal_cell_carcinoma_from_lending_its_histology() -> None:
    # tumours.yaml local_histologies: a basal cell carcinoma (809x) almost never metastasises, the node is the
    # squamous cell carcinoma's; without the rows it is the first named cancer's
    text = (
        "Antécédent de carcinome basocellulaire de l'aile du nez opéré en 2015. Carcinome épidermoïde de la joue avec "
        "métastase ganglionnaire cervicale."
    )
    assert _conditions(text)[-1] == "C77.0+8070/6 métastase ganglionnaire cervicale"
    assert _conditions(text, local_histologies=())[-1] == "C77.0+8090/6 métastase ganglionnaire cervicale"


def test_a_local_histology_row_added_in_an_overlay_drives_the_primary(tmp_path: Path) -> None:
    # a row naming the squamous cell carcinomas (807x) makes the basal cell carcinoma the primary again
    text = (
        "Antécédent de carcinome basocellulaire de l'aile du nez opéré en 2015. Carcinome épidermoïde de la joue avec "
        "métastase ganglionnaire cervicale."
    )
    row = 'local_histologies:\n  - {morphology: "807"}\n'
    assert _conditions(text, _overlay(tmp_path, row))[-1] == "C77.0+8090/6 métastase ganglionnaire cervicale"
