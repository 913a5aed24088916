"""Assertion scopes fixed in session 16, round 2: enumerations glued to "d'", one-word cues and "allergie à" that do
not run down a list, a relative subject of its sentence past the usual window. Sentences written for these tests
(markup of tests/test_assert16.py)."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv
from tests.test_assert16 import parse, statuses

ENUMERATIONS = [
    # an item glued to "d'" right after a comma goes on with the negated list
    "Absence d'<neg>adénopathie</neg>, d'<neg>hépatomégalie</neg> et de <neg>splénomégalie</neg>.",
    "Pas de <sym>fièvre</sym>, d’<neg>ascite</neg> ni d’<neg>adénopathie</neg>.",
    "Pas d'<neg>asthme</neg>, d'<neg>épilepsie</neg>, de <neg>diabète</neg>.",
    "L'examen retrouve une patiente sans <neg>adénopathie</neg>, d'<neg>hépatomégalie</neg> ni de "
    "<neg>splénomégalie</neg>.",
    "Il n'y avait pas d'<neg>hépatomégalie</neg>, d'<neg>ascite</neg> ou de <neg>splénomégalie</neg>.",
]
COUNTER = [
    # a one-word cue ("non", "ex-") qualifies one word: the history listed after the comma is there
    "Antécédents de <ok>diabète non insulinodépendant</ok>, d'<ok>hypertension artérielle</ok> et d'<ok>asthme</ok>.",
    "Il présente un <ok>diabète non compliqué</ok>, d'<ok>hypertension artérielle</ok> ancienne.",
    "Patiente non <neg>fumeuse</neg>, suivie pour une <ok>épilepsie</ok>, d'<ok>asthme</ok>.",
    # "allergie à" lists its items with "à": "d'" goes on with the history
    "Antécédents d'<ok>allergie</ok> à l'amoxicilline, d'<ok>asthme</ok> et d'<ok>hypertension artérielle</ok>.",
]
OTHER_SITES = [
    # the other sites of a disease are what is absent, not the disease (phrases.yaml complication_of)
    "La recherche d'autres sites de <ok>tuberculose</ok> est revenue négative.",
    "Pas d'autre localisation de la <ok>tuberculose</ok>.",
    "Le bilan ne retrouvait aucun autre foyer de <ok>tuberculose</ok>.",
    "La recherche d'une <neg>tuberculose</neg> est revenue négative.",
    "Pas de <neg>tuberculose</neg> ni d'autre <neg>infection</neg>.",
]
RELATIVES = [
    # a relative opening the sentence is its subject: a relative clause or an apposition may stand between
    "Un cousin avec qui il partageait sa chambre a été traité pour une <fam>tuberculose</fam>.",
    "Un cousin qui vivait sous le même toit depuis de longues années a été traité pour une <fam>tuberculose</fam>.",
    "Sa sœur aînée, qui habite dans une autre région depuis plusieurs années, a un <fam>diabète</fam>.",
    "Son père, qui travaillait dans une usine de textile depuis trente ans, est décédé d'un <fam>mésothéliome</fam>.",
    # counter-examples: the patient is a subject between, or the relative acts on the patient
    "Son frère est venu avec lui à la consultation et le patient présentait une <ok>tuberculose pulmonaire</ok>.",
    "Sa mère l'a amenée aux urgences car depuis plusieurs jours la fillette présentait une <ok>pneumopathie</ok>.",
    "Son mari est venu la voir tous les jours pendant l'hospitalisation, elle présentait une <ok>pneumopathie</ok>.",
    # a completive clause after a relative who reports has its own subject, the patient
    "La mère rapporte qu'il a présenté depuis une semaine des épisodes de toux avec une <ok>otite moyenne</ok> aiguë.",
    "Sa mère raconte que depuis plusieurs jours elle se plaignait de douleurs avec une <ok>pneumopathie</ok>.",
    "Un cousin avec qui il partageait sa chambre a été traité ; depuis plusieurs semaines le patient a une "
    "<ok>tuberculose</ok>.",
]


@pytest.mark.parametrize("marked", ENUMERATIONS + COUNTER + OTHER_SITES + RELATIVES)
def test_assertion_scope(marked: str) -> None:
    text, want = parse(marked)
    assert statuses(text) == want


def _procedures(text: str) -> list[str]:
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r: dict[str, Any] = e["resource"]
        if r["resourceType"] == "Procedure":
            out.append(r["code"].get("text", ""))
    return out


def test_a_relatives_act_past_an_apposition() -> None:
    """The act of a relative subject of the sentence, an apposition between, is not the patient's."""
    assert _procedures("Sa fille, porteuse de la même mutation, a eu une mastectomie prophylactique.") == []
    assert (
        _procedures(
            "Sa sœur, qui est suivie dans un autre hôpital depuis des années, a eu une mastectomie prophylactique."
        )
        == []
    )
    assert _procedures("Elle a eu une mastectomie prophylactique.") != []
