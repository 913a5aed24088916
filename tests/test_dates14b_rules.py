"""Session 14 (round 2) rules of the timeline: a disease told with its range ("fumeur de 1975 à 1998"), a disease
dated in an apposition of its discovery before an act of its sentence, on sentences written for these tests."""

from __future__ import annotations

from typing import Any

import fhirconv
from tests.golden import spans


def _conditions(text: str) -> dict[str, dict[str, Any]]:
    """The words of each Condition -> its onset, abatement and clinicalStatus (the first Condition of those words)."""
    out: dict[str, dict[str, Any]] = {}
    for e in fhirconv.convert(text, report_id="t").data["entry"]:
        r = e["resource"]
        where = spans(r)
        if r["resourceType"] != "Condition" or not where:
            continue
        out.setdefault(
            text[where[0][0] : where[0][1]].lower(),
            {
                "onset": r.get("onsetDateTime"),
                "abatement": r.get("abatementDateTime"),
                "clinical": r["clinicalStatus"]["coding"][0]["code"],
            },
        )
    return out


def _onset(text: str, words: str) -> Any:
    return _conditions(text)[words]["onset"]


# --- a range: onset its start, abatement its end ------------------------------------------------------------------


def test_a_habit_told_with_its_range_begins_at_the_start_and_ends_at_the_end() -> None:
    for text, words, span in (
        ("De 1975 à 1998, il a été un fumeur actif.", "fumeur", ("1975", "1998")),
        ("Entre 1980 et 2004, tabagisme à 25 paquets-années.", "tabagisme", ("1980", "2004")),
        ("Il a été fumeur de 1975 à 1998.", "fumeur", ("1975", "1998")),
        ("Patient de 70 ans, ancien fumeur de 1975 à 1998, hypertendu depuis 2001.", "fumeur", ("1975", "1998")),
        ("Antécédents : tabagisme de 1982 à 2003 (30 paquets-années), dyslipidémie.", "tabagisme", ("1982", "2003")),
    ):
        c = _conditions(text)[words]
        assert (c["onset"], c["abatement"], c["clinical"]) == (*span, "resolved"), text


def test_a_disease_told_with_its_range_of_months_ends_then() -> None:
    c = _conditions("Une hypertension artérielle de mars 2001 à juin 2010, normalisée depuis.")[
        "hypertension artérielle"
    ]
    assert (c["onset"], c["abatement"], c["clinical"]) == ("2001-03", "2010-06", "resolved")


def test_an_open_range_or_a_single_date_is_not_an_end() -> None:
    c = _conditions("Hypertendu depuis 2001, diabétique.")["hypertendu"]
    assert (c["onset"], c["abatement"], c["clinical"]) == ("2001", None, "active")
    c = _conditions("Ancien fumeur, sevré en 2005.")["fumeur"]
    assert (c["onset"], c["abatement"]) == (None, "2005")  # the date is when it ended: no onset


def test_a_range_of_an_act_or_a_stay_is_not_the_disease_s() -> None:
    for text, words in (
        ("Lymphome de Hodgkin traité par chimiothérapie de mars à juin 2013.", "lymphome de hodgkin"),
        ("Lymphome de Hodgkin traité de mars à juin 2013 par ABVD.", "lymphome de hodgkin"),
        ("Polyarthrite rhumatoïde sous méthotrexate de 2010 à 2015.", "polyarthrite rhumatoïde"),
        ("Traitée par chimiothérapie de mars à juin 2013 pour un lymphome de Hodgkin.", "lymphome de hodgkin"),
        ("Hospitalisée du 2 au 10 mars 2015 pour une pneumopathie.", "pneumopathie"),
    ):
        c = _conditions(text)[words]
        assert c["abatement"] is None and c["clinical"] == "active", text


# --- an apposition telling the discovery dates the disease, not a later act of the sentence -----------------------


def test_a_disease_diagnosed_before_an_act_keeps_its_own_date() -> None:
    for text in (
        "Diagnostiquée en avril 2015, une myasthénie a motivé une thymectomie le 2 juin 2015.",
        "En avril 2015, myasthénie généralisée, thymectomie le 2 juin 2015.",
        "Une myasthénie, diagnostiquée en avril 2015, a motivé une thymectomie le 2 juin 2015.",
        "En avril 2015, dans un contexte de ptosis, une myasthénie opérée le 2 juin 2015.",
        "Le patient, suivi pour une myasthénie découverte en avril 2015, a eu une thymectomie le 2 juin 2015.",
    ):
        assert _onset(text, "myasthénie") == "2015-04", text


def test_a_discovery_apposition_after_the_disease_gives_its_date() -> None:
    assert (
        _onset("Une sarcoïdose pulmonaire, connue depuis mars 2011, a été biopsiée.", "sarcoïdose pulmonaire")
        == "2011-03"
    )
    assert _onset("Un lupus, diagnostiqué en 2008, traité par hydroxychloroquine.", "lupus") == "2008"
    text = "En décembre 2011, lors du bilan, une métastase hépatique, découverte en avril 2012."
    assert _onset(text, "métastase hépatique") == "2012-04"


def test_a_comma_clause_that_is_not_a_discovery_does_not_date_the_disease() -> None:
    assert _onset("Une anémie, traitée en avril 2015 par transfusion.", "anémie") is None
    assert _onset("En 2010, une HTA, traitée par amlodipine en 2012.", "hta") == "2010"
    assert _onset("En mars 2015, une pneumopathie, hospitalisée le 4 avril 2015.", "pneumopathie") == "2015-03"


# --- a few months counted from a year: that year at best ----------------------------------------------------------


def test_months_after_a_year_give_that_year() -> None:
    for text in (
        "En 2015, elle a présenté une pancréatite. Trois mois plus tard, une pneumopathie a été diagnostiquée.",
        "En 2015, pancréatite aiguë. Deux semaines plus tard, une pneumopathie.",
        "Pancréatite aiguë en 2015. Au bout de quatre mois, une pneumopathie.",
    ):
        assert _onset(text, "pneumopathie") == "2015", text


def test_half_a_year_or_more_after_a_year_is_left_out() -> None:
    for text in (
        "En 2015, pancréatite aiguë. Huit mois plus tard, une pneumopathie.",
        "En 2015, pancréatite aiguë. Un an et demi plus tard, une pneumopathie.",
    ):
        assert _onset(text, "pneumopathie") is None, text
    # a year counted from a year is a year; months from a month stay a month
    assert _onset("En 2015, pancréatite aiguë. Un an plus tard, une pneumopathie.", "pneumopathie") == "2016"
    assert _onset("En mars 2015, pancréatite aiguë. Trois mois plus tard, une pneumopathie.", "pneumopathie") == (
        "2015-06"
    )


# --- a disease the admission found: the admission's day ----------------------------------------------------------


def test_a_disease_told_after_the_sentences_of_a_dated_admission_takes_its_day() -> None:
    for text, words in (
        (
            "Le 2 mars 2015, elle s'est présentée aux urgences pour une hématurie.\n"
            "Un bilan sanguin a été réalisé, elle a donc été admise.\n"
            "Lors de l'admission, un frottis sanguin a été réalisé.\n"
            "Compte tenu de la coagulation intravasculaire disséminée, le traitement a été suspendu.",
            "coagulation intravasculaire disséminée",
        ),
        (
            "Le 4 mai 2016, il a été hospitalisé pour une dyspnée.\nUne embolie pulmonaire a été retenue.",
            "embolie pulmonaire",
        ),
    ):
        assert _onset(text, words) == ("2015-03-02" if "2015" in text else "2016-05-04"), text


def test_a_disease_told_later_in_the_stay_or_after_it_is_not_dated_by_the_admission() -> None:
    for text in (
        "Le 4 mai 2016, il a été hospitalisé pour une dyspnée.\nUn traitement par héparine a été débuté.\n"
        "Une pneumopathie est apparue.",
        "Le 4 mai 2016, il a été hospitalisé pour une dyspnée.\nIl est sorti à domicile.\nUne pneumopathie est apparue.",
        "En 2016, il a été hospitalisé pour une dyspnée.\nUne pneumopathie a été retenue.",
        "Le 4 mai 2016, un scanner a été réalisé.\nUne pneumopathie a été retenue.",
    ):
        assert _onset(text, "pneumopathie") is None, text


# --- a pathology result: the day of its specimen --------------------------------------------------------------------

_WORKUP = """Anamnèse
Une femme de 61 ans s'est présentée aux urgences le 10 novembre 2014 pour des douleurs abdominales.

Examens complémentaires
"Le bilan biologique a montré un CA 125 élevé à 900 U/ml.
"Une laparoscopie diagnostique a été pratiquée le 11 novembre, montrant une carcinose péritonéale.
"Des prélèvements péritonéaux ont montré un immunophénotype séreux (WT1 et p53 positifs), de sorte que le 1er
décembre, elle a subi une chirurgie de cytoréduction.
"Une échographie cardiaque a été réalisée. Le bilan biologique de contrôle a montré un CA 125 à 400 U/ml.
"""


def _observations(text: str) -> list[tuple[str, Any]]:
    out = []
    for e in fhirconv.convert(text, report_id="t").data["entry"]:
        r = e["resource"]
        where = spans(r)
        if r["resourceType"] == "Observation" and where:
            out.append((text[where[0][0] : where[0][1]], r.get("effectiveDateTime")))
    return sorted(out, key=lambda x: text.index(x[0]))


def test_an_immunophenotype_takes_the_day_of_its_specimen_not_of_a_later_act_of_its_sentence() -> None:
    found = dict(_observations(_WORKUP))
    assert (found["WT1"], found["p53"]) == ("2014-11-11", "2014-11-11")


def test_an_undated_biopsy_told_before_the_result_in_its_sentence_is_still_its_specimen() -> None:
    text = _WORKUP.replace("Des prélèvements péritonéaux ont montré", "Une biopsie péritonéale a montré")
    assert dict(_observations(text))["WT1"] != "2014-11-11"
