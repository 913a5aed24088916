"""Session 14 rules of the timeline: which date each fact of a report takes (onset of a Condition, start of a
MedicationStatement, date of a Procedure), on sentences written for these tests."""

from __future__ import annotations

from typing import Any

import fhirconv
from tests.golden import project, spans

_FIELD = {"Condition": "onset", "MedicationStatement": "start", "Procedure": "date", "Observation": "date"}


def _dates(text: str) -> dict[str, Any]:
    """The words of each Condition, MedicationStatement, Procedure and Observation -> its date (onset, start,
    performed, effective); the first resource of those words when several."""
    out: dict[str, Any] = {}
    for e in fhirconv.convert(text, report_id="t").data["entry"]:
        r = e["resource"]
        field = _FIELD.get(r["resourceType"])
        where = spans(r)
        if field is None or not where:
            continue
        out.setdefault(text[where[0][0] : where[0][1]], project(r).get(field))
    return out


def _expect(cases: dict[str, tuple[str, str]]) -> None:
    """Each text gives the fact of those words that date."""
    for text, (words, date) in cases.items():
        assert _dates(text)[words] == date, text


# --- one written date read twice: the precise reading wins --------------------------------------------------------


def test_a_disease_named_on_a_dated_admission_keeps_its_day_when_the_diagnosis_section_names_it_again() -> None:
    for opening in (
        "M. T., 68 ans, admis en réanimation le 18/02/2024 pour un choc septique.",
        "Une femme de 71 ans a été hospitalisée le 18 février 2024 pour un choc septique.",
    ):
        text = f"""Anamnèse
{opening}

Examens complémentaires
Lactates 6,1 mmol/L.

Diagnostic
Choc septique d'origine biliaire.
"""
        assert _dates(text)["choc septique"] == "2024-02-18", opening


def test_two_different_dates_of_one_disease_still_give_the_earliest() -> None:
    text = """Anamnèse
Diabète de type 2 connu depuis 2010. Le patient est hospitalisé le 3 mai 2021 pour une hyperglycémie.

Diagnostic
Diabète de type 2 déséquilibré.
"""
    assert _dates(text)["Diabète de type 2"] == "2010"


# --- relative dates: the end of an event, "J15 de ce traitement" ----------------------------------------------------


def test_a_delay_after_the_end_of_a_treatment_counts_from_a_written_end_only() -> None:
    ended = (
        "Patiente traitée par FOLFOX de janvier à juin 2015. Six mois après la fin de la chimiothérapie, une récidive "
        "hépatique est découverte.",
        "Elle reçoit une chimiothérapie par carboplatine jusqu'en octobre 2018. Trois mois après la fin de la "
        "chimiothérapie, une récidive ganglionnaire est constatée.",
    )
    assert _dates(ended[0])["récidive hépatique"] == "2015-12"
    assert _dates(ended[1])["récidive ganglionnaire"] == "2019-01"
    # only the start is written: the end, hence the delay's date, is unknown (not the start + six months), and the
    # sentence does not borrow the date told before it either
    for text in (
        "Une chimiothérapie par FOLFOX est débutée en janvier 2015. Six mois après la fin de la chimiothérapie, une "
        "récidive hépatique est découverte.",
        "Une chimiothérapie par FOLFOX est débutée en janvier 2015. Six mois après l'arrêt de la chimiothérapie, "
        "une récidive hépatique est découverte.",
    ):
        assert _dates(text)["récidive hépatique"] is None, text
    # a delay after the treatment itself still counts from its start
    text = (
        "Une chimiothérapie par FOLFOX est débutée en janvier 2015. Six mois après la chimiothérapie, une récidive "
        "hépatique est découverte."
    )
    assert _dates(text)["récidive hépatique"] == "2015-07"


def test_a_day_counted_from_the_treatment_just_named() -> None:
    cases = {
        "Le 3 mars 2018, un traitement par sorafénib est débuté. À J15 de ce traitement, une thrombose de la veine "
        "porte est découverte.": ("thrombose de la veine porte", "2018-03-18"),
        "Un traitement par imatinib a été débuté le 5 juin 2019. À J21 de ce traitement, une neutropénie fébrile est "
        "survenue.": ("neutropénie fébrile", "2019-06-26"),
        "Le 3 mars 2018, une chimiothérapie par cisplatine est débutée. À J15 de la chimiothérapie, une neutropénie "
        "fébrile survient.": ("neutropénie fébrile", "2018-03-18"),
        "Un traitement par sunitinib est débuté le 10 janvier 2016. Au 20e jour du traitement par sunitinib, une "
        "hypertension artérielle apparaît.": ("hypertension artérielle", "2016-01-30"),
    }
    _expect(cases)


def test_this_treatment_is_the_one_just_told_not_an_older_drug() -> None:
    for text in (
        # the treatment just told is a radiotherapy: not the older drug
        "Sous tamoxifène depuis le 3 janvier 2015. Le 2 avril 2017, une radiothérapie thoracique est débutée. À J15 "
        "de ce traitement, une œsophagite est constatée.",
        # the drug was told three sentences before: "ce" is not surely it
        "Le 3 mars 2018, un traitement par sorafénib est débuté. Le bilan hépatique est normal. Une échographie est "
        "réalisée. À J15 de ce traitement, une thrombose de la veine porte est découverte.",
        # no day 0 named at all
        "Le 3 mars 2018, un traitement par sorafénib est débuté. À J15, une thrombose de la veine porte est découverte.",
    ):
        got = _dates(text)
        assert got.get("œsophagite", got.get("thrombose de la veine porte")) is None, text


def test_a_treatment_relative_to_a_named_drug_needs_that_drug() -> None:
    # "le traitement par radiofréquence" names no drug: not the start of another drug of the report
    text = (
        "Un traitement par erlotinib est débuté en mai 2013. Deux mois après le traitement par radiofréquence, une "
        "pneumopathie survient."
    )
    assert _dates(text)["pneumopathie"] is None


# --- a drug started after a dated event of its paragraph ------------------------------------------------------------


def test_a_drug_started_after_a_dated_event_of_the_paragraph_takes_its_year() -> None:
    cases = {
        "En janvier 2014, il présente des troubles du comportement. Une IRM cérébrale montre des métastases "
        "cérébrales. Un traitement par afatinib est alors débuté.": ("afatinib", "2014"),
        "En mars 2016, une récidive hépatique est diagnostiquée. En conséquence, un traitement par sorafénib est "
        "instauré.": ("sorafénib", "2016"),
        "Le diagnostic d'adénocarcinome prostatique est posé en 2009. Il est traité par de la leuproréline.": (
            "leuproréline",
            "2009",
        ),
    }
    _expect(cases)


def test_a_drug_given_during_a_dated_stay_takes_its_month() -> None:
    for text in (
        "Le 2 mars 2015, elle s'est présentée aux urgences pour une hématurie et a été admise. Un traitement par "
        "vitamine K a été administré.",
        "Il a été hospitalisé le 14/06/2020 pour une pneumopathie. Une antibiothérapie par amoxicilline a été débutée.",
    ):
        got = _dates(text)
        assert got.get("vitamine K", got.get("amoxicilline")) in ("2015-03", "2020-06"), text


def test_a_drug_told_later_by_an_unknown_delay_or_far_from_the_date_is_not_dated() -> None:
    for text in (
        "Une mastectomie a été pratiquée en 2009. Par la suite, elle a reçu une chimiothérapie par docétaxel.",
        "Une mastectomie a été pratiquée en 2009. Ultérieurement, elle a reçu du docétaxel.",
        "Une mastectomie a été pratiquée en 2009. La patiente va bien. Elle fait du sport. Elle travaille. Elle "
        "reçoit du docétaxel.",
    ):
        assert _dates(text)["docétaxel"] is None, text
    # the patient's usual drugs, after a dated history: not dated by it
    text = "Antécédents : infarctus du myocarde en 2010. Traitement habituel : aspirine et bisoprolol."
    assert _dates(text)["aspirine"] is None


# --- a pathology result dates from its specimen -----------------------------------------------------------------


def test_a_pathology_result_takes_the_date_of_the_act_that_took_the_specimen() -> None:
    cases = {
        "Anamnèse\nEn octobre 2014, il a été opéré d'un naevus du dos.\n\nTests complémentaires\nL'étude "
        "anatomopathologique a montré un mélanome nodulaire.\n": ("mélanome nodulaire", "2014-10"),
        "Le 8 avril 2005, elle a subi une tumorectomie.\n\nLe résultat anatomopathologique a révélé un carcinome "
        "canalaire infiltrant.\n": ("carcinome canalaire infiltrant", "2005-04-08"),
        "Le 8 avril 2005, elle a subi une tumorectomie.\n\nL'étude immunohistochimique a montré des récepteurs aux "
        "œstrogènes positifs.\n": ("récepteurs aux œstrogènes", "2005-04-08"),
        "Une biopsie hépatique a été réalisée le 12/09/2018.\n\nExamens complémentaires\nL'examen histologique "
        "montre une cirrhose.\n": ("cirrhose", "2018-09-12"),
    }
    _expect(cases)


def test_a_pathology_result_after_another_dated_event_or_with_its_own_undated_biopsy_is_not_dated_by_an_act() -> None:
    # the last date before the result is a consultation, not the act that took the specimen: the work-up of that
    # episode (its month), not the older operation
    text = (
        "Anamnèse\nOpéré d'un lipome en 2010. En mars 2015, il consulte pour une masse de la cuisse.\n\n"
        "Tests complémentaires\nL'examen histologique montre un liposarcome.\n"
    )
    assert _dates(text)["liposarcome"] == "2015-03"
    # the sentence names its own (undated) biopsy: that is the specimen
    text = (
        "Anamnèse\nUne tumorectomie a été réalisée en 2009.\n\nTests complémentaires\nBiopsie du foie : "
        "l'examen histologique montre une métastase hépatique.\n"
    )
    assert _dates(text)["métastase hépatique"] is None


# --- the care and course of a dated presenting episode, told with no date since ------------------------------------

_EPISODE = "Anamnèse\nEn janvier 2019, il présente une confusion, pour laquelle il a été décidé de l'admettre.\n\n"


def test_the_care_and_course_of_the_presenting_episode_take_its_year() -> None:
    text = (
        _EPISODE + "Traitement\nUn traitement par lévétiracétam a été débuté.\n\n"
        "Évolution\nIl a présenté des crises convulsives généralisées nécessitant une intubation orotrachéale. Un "
        "traitement par rituximab a ensuite été débuté.\n"
    )
    got = _dates(text)
    assert got["lévétiracétam"] == "2019"
    assert got["crises convulsives généralisées"] == "2019"
    assert got["intubation orotrachéale"] == "2019"
    assert got["rituximab"] == "2019"


def test_a_follow_up_or_a_later_date_or_a_background_disease_is_not_the_episode_care() -> None:
    text = (
        _EPISODE + "Évolution\nSuivi radiologique semestriel par IRM. Par la suite, un traitement par rituximab a été "
        "débuté. En mars 2021, une récidive est traitée par cyclophosphamide. Une thrombose veineuse profonde est "
        "diagnostiquée.\n"
    )
    got = _dates(text)
    assert got["IRM"] is None  # a follow-up may run for years
    assert got["rituximab"] is None  # "par la suite": later by a delay the text does not give
    assert got["thrombose veineuse profonde"] == "2021-03"  # the last date told is no longer the episode's
    # the usual treatment told in the treatment section is not the episode's care
    for usual in (
        "Pas de traitement régulier, seulement la prise occasionnelle de paracétamol.",
        "Poursuite de son traitement habituel par amlodipine.",
    ):
        got = _dates(_EPISODE + f"Traitement\n{usual}\n")
        assert got.get("paracétamol", got.get("amlodipine")) is None, usual
    # a disease of the history named again in the course is the patient's background, not the episode's
    text = (
        "Anamnèse\nPatient suivi pour une BPCO. En janvier 2019, il a été hospitalisé pour une pneumopathie.\n\n"
        "Évolution\nDécompensation de sa BPCO.\n"
    )
    assert _dates(text).get("BPCO") is None


# --- a date after a list of acts is every act's ----------------------------------------------------------------------


def test_a_date_after_a_list_of_acts_dates_every_act() -> None:
    got = _dates("Lors du suivi par IRM, scanner et TEP en mars 2019, la maladie est restée stable.")
    assert got["IRM"] == got["scanner"] == "2019-03"
    got = _dates("Une échographie, une mammographie et une biopsie ont été réalisées le 3 mai 2018.")
    assert got["échographie"] == got["mammographie"] == got["biopsie"] == "2018-05-03"


def test_a_list_without_and_or_told_in_sequence_keeps_the_date_to_its_last_act() -> None:
    # a history list of dated items, a sequence ("puis"), a list that goes on to a disease
    for text, first in (
        ("Appendicectomie, cholécystectomie en 2010.", "Appendicectomie"),
        ("Une coloscopie, puis une hémicolectomie droite en juin 2016.", "coloscopie"),
        ("Appendicectomie, cholécystectomie et fracture du poignet en 2010.", "Appendicectomie"),
    ):
        assert _dates(text)[first] is None, text


def test_the_care_of_an_undated_episode_takes_the_year_of_its_first_dated_exam() -> None:
    text = (
        "Anamnèse\nLa patiente se présente aux urgences pour un ictère.\n\nExamens complémentaires\nÉchographie "
        "abdominale (9/10/2014) : dilatation des voies biliaires.\n\nTraitement\nUne endoprothèse biliaire a été "
        "posée, compliquée d'une angiocholite traitée par imipénem.\n"
    )
    got = _dates(text)
    assert got["endoprothèse biliaire"] == got["angiocholite"] == got["imipénem"] == "2014"
    # a date written since (the chemotherapy of November) is the last date: the care that follows is not the episode's
    text = text.replace("Traitement\n", "Traitement\nUne chimiothérapie est débutée en novembre 2014. Par ailleurs, ")
    assert _dates(text)["angiocholite"] != "2014"
