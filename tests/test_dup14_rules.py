"""One tumour, one Condition; two cancers, two (session 14): two malignant tumours of one organ written on two sides
("sein droit" in the history, "sein gauche" now) are two cancers, whatever their histologies; one side written
once, or the same side named again, is one tumour. Texts written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import condition_codings as _codings


def _morphologies(text: str) -> list[str]:
    return sorted(_codings(text, "icd-o-3"))


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # two sides of one organ: two cancers, a generic and a specific histology alike
        (
            "Antécédent de cancer du sein droit en 2005, traité par chirurgie. En 2019, découverte d'un carcinome du "
            "sein gauche.",
            ["8000/3", "8010/3"],
        ),
        (
            "En 2005, carcinome canalaire infiltrant du sein droit. En 2019, carcinome lobulaire infiltrant du sein "
            "gauche.",
            ["8500/3", "8520/3"],
        ),
        (
            "Cancer du rein gauche opéré en 2010. En 2021, carcinome à cellules claires du rein droit.",
            ["8000/3", "8310/3"],
        ),
    ],
)
def test_two_sides_of_one_organ_are_two_cancers(text: str, codes: list[str]) -> None:
    assert _morphologies(text) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # one side named again, or a side written once: one tumour, its specific histology
        ("Carcinome canalaire infiltrant du sein gauche. Le cancer du sein gauche mesure 2 cm.", ["8500/3"]),
        ("Carcinome canalaire infiltrant du sein gauche. Le cancer du sein a été opéré.", ["8500/3"]),
        ("Carcinome à cellules claires du rein droit. Suivi du cancer du rein.", ["8310/3"]),
        # the sides of a metastasis are the organs it reached, not another primary
        ("Adénocarcinome du poumon droit avec métastases pulmonaires gauches.", ["8140/3", "8140/6"]),
    ],
)
def test_one_side_is_one_tumour(text: str, codes: list[str]) -> None:
    assert _morphologies(text) == codes
