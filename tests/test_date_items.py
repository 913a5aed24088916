"""Which fact a date governs: a date written right after an item of a list is that item's ("appendicectomie en 1998,
hypertension artérielle depuis 2005, diabète"), a dated act's cause is older than the act, what a dated exam finds
shares its date, and a disease the Diagnostic section names is dated by the last dated step of the work-up. An
unsupported date is worse than none: these texts are written for the tests, not taken from a corpus."""

import pytest

import fhirconv
from tests.bundle_facts import dated as _dated


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list of history items: each date stays with the item it follows
        (
            "Antécédents : appendicectomie en 1998, hypertension artérielle depuis 2005, diabète de type 2.",
            {"appendicectomie": "1998", "hypertension artérielle": "2005", "diabète de type 2": None},
        ),
        (
            "Antécédents de cholécystectomie en 2001 et de suivi en cardiologie pour une cardiomyopathie dilatée.",
            {"cholécystectomie": "2001", "cardiomyopathie dilatée": None},
        ),
        ("Opérée d'un cancer du sein en 2010, puis d'une hernie inguinale.", {"hernie inguinale": None}),
        # the date after the next item coordinated with a disease is that item's; an act that treats the disease,
        # not coordinated with it, leaves the disease its date
        (
            "On retrouve dans ses antécédents un asthme et une appendicectomie en 1995.",
            {"asthme": None, "appendicectomie": "1995"},
        ),
        (
            "Il a eu une pneumopathie puis une cholécystite en 2012.",
            {"pneumopathie": None, "cholécystite": "2012"},
        ),
        ("Antécédent d'adénocarcinome du côlon traité par colectomie en 2001.", {"adénocarcinome du côlon": "2001"}),
        # "depuis 2005" dates the dialysis, not its cause named after it, nor the episode the sentence goes on to
        (
            "Homme de 50 ans, hémodialysé chronique depuis 2005, suite à une glomérulonéphrite, qui consulte pour "
            "des céphalées et une diplopie.",
            {"hémodialysé": "2005", "glomérulonéphrite": None, "diplopie": None},
        ),
        # "à l'âge de 40 ans" gives no date without a birth date; the next item keeps its own
        (
            "Diabète de type 2 diagnostiqué à l'âge de 40 ans, hypertension artérielle en 2012.",
            {"Diabète de type 2": None, "hypertension artérielle": "2012"},
        ),
    ],
)
def test_a_date_stays_with_the_item_it_follows(text: str, expected: dict[str, str | None]) -> None:
    got = _dated(text)
    assert {k: got.get(k, "missing") for k in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date opening the sentence governs it
        ("En 2010, elle a présenté une pneumopathie.", {"pneumopathie": "2010"}),
        # a fronted circumstance with an exam in it dates the main clause
        (
            "Lors du scanner de contrôle en mars 2019, une embolie pulmonaire a été découverte.",
            {"embolie pulmonaire": "2019-03"},
        ),
        # what a dated exam found: a relative clause or a participle
        (
            "Un électromyogramme a été réalisé en février 2019, qui a confirmé une polyneuropathie axonale.",
            {"électromyogramme": "2019-02", "polyneuropathie": "2019-02"},
        ),
        (
            "Une coloscopie a été réalisée en mai 2017, montrant un polype du côlon.",
            {"polype du côlon": "2017-05"},
        ),
        # one act with its parts: one date
        (
            "Elle a subi une intervention chirurgicale le 24 octobre 2012 avec lobectomie supérieure droite et "
            "lymphadénectomie.",
            {"lymphadénectomie": "2012-10-24"},
        ),
        # a relative date still counts from the date before it
        (
            "Elle a été hospitalisée en octobre 2008 pour une pneumopathie. Trois mois plus tard, elle a présenté "
            "une embolie pulmonaire.",
            {"pneumopathie": "2008-10", "embolie pulmonaire": "2009-01"},
        ),
    ],
)
def test_a_date_governs_its_clause(text: str, expected: dict[str, str | None]) -> None:
    got = _dated(text)
    assert {k: got.get(k, "missing") for k in expected} == expected


ADMISSION = """Anamnèse
Une femme de 60 ans s'est présentée aux urgences le 10 novembre 2014 pour des douleurs abdominales.

Tests complémentaires
Un scanner abdominal a montré une masse annexielle gauche.
{surgery}
Diagnostic
Adénocarcinome séreux de haut grade de l'ovaire gauche, stade IV de la FIGO.
"""


def test_the_diagnosis_is_dated_by_the_last_dated_step_of_the_work_up() -> None:
    got = _dated(ADMISSION.format(surgery="Le 1er décembre, elle a subi une chirurgie de cytoréduction.\n"))
    assert got["Adénocarcinome séreux de haut grade de l'ovaire"] == "2014-12-01"
    assert got["stade IV de la FIGO"] == "2014-12-01"
    assert got["scanner abdominal"] == "2014-11"  # the exam before it stays in the admission's month


def test_without_a_dated_step_the_diagnosis_takes_the_admission() -> None:
    got = _dated(ADMISSION.format(surgery=""))
    assert got["Adénocarcinome séreux de haut grade de l'ovaire"] == "2014-11"


def test_a_history_item_date_is_not_the_presenting_episode() -> None:
    text = """Anamnèse
Une femme de 60 ans, opérée d'une cholécystectomie en mars 2009, s'est présentée aux urgences pour des douleurs.

Tests complémentaires
Un scanner abdominal a montré une masse annexielle gauche.

Diagnostic
Adénocarcinome séreux de haut grade de l'ovaire gauche.
"""
    got = _dated(text)
    assert got["cholécystectomie"] == "2009-03"
    assert got["scanner abdominal"] is None
    assert got["Adénocarcinome séreux de haut grade de l'ovaire"] is None


def test_a_fronted_date_still_gives_the_episode() -> None:
    text = """Anamnèse
Le 2 mars 2015, une femme de 60 ans s'est présentée aux urgences pour des douleurs abdominales.

Tests complémentaires
Un scanner abdominal a montré une masse annexielle gauche.
"""
    assert _dated(text)["scanner abdominal"] == "2015-03"


def test_a_history_disease_seen_again_in_the_episode_keeps_no_onset_from_it() -> None:
    text = """Anamnèse
Une femme de 50 ans a été opérée d'un carcinome canalaire infiltrant du sein droit.

En novembre 2009, la patiente a consulté pour un hématome du sein droit.

Examen physique
Tumeur érythémateuse fluctuante de 50 mm.
"""
    # the tumour of the examination is dated by the episode; the carcinoma it folds into began years before
    assert _dated(text)["carcinome canalaire infiltrant du sein"] is None


def test_results_of_the_work_up_take_the_admission() -> None:
    text = """Anamnèse
Un homme de 70 ans s'est présenté aux urgences le 12 mars 2016 pour une dyspnée.

Examen physique
Fréquence cardiaque à 110 battements par minute.

Tests complémentaires
Hémoglobine à 9,8 g/dl.
"""
    got = _dated(text)
    assert got["Fréquence cardiaque"] == "2016-03-12"  # examined on arrival
    assert got["Hémoglobine"] == "2016-03"  # a test of the stay: that month, not surely that day


def _med_starts(text: str) -> dict[str, str | None]:
    out = {}
    for e in fhirconv.convert(text, report_id="t").data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "MedicationStatement":
            out[r["medicationCodeableConcept"]["text"]] = (r.get("effectivePeriod") or {}).get("start")
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # named again when it goes on or stops: that date is not when the drug started
        (
            "Un traitement par sorafénib 400 mg par jour a été débuté. En janvier 2015, elle a subi une "
            "péritonectomie et a poursuivi le traitement par sorafénib.",
            None,
        ),
        (
            "Un traitement par sorafénib 400 mg par jour a été débuté, avec une bonne réponse. En janvier 2015, elle "
            "a subi une péritonectomie. En mars 2016, le sorafénib a été arrêté.",
            None,
        ),
        # named again with the date its course began: that start
        (
            "Un traitement par sorafénib a été proposé. En janvier 2015, elle a commencé le sorafénib 400 mg par jour.",
            "2015-01",
        ),
    ],
)
def test_a_drug_named_again_gives_its_start_only_when_that_mention_starts_it(text: str, expected: str | None) -> None:
    assert _med_starts(text)["sorafénib"] == expected
