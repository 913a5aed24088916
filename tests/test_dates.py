"""The date resolver on inline cases: a text with its expected dates marked up, compared as whole lists.

Markup: ``<d v="2015-03-02">2 mars 2015</d>`` marks the exact span of a date expression and the FHIR partial date it
must give. Every date the resolver finds must be marked and every marked date found: an ambiguous expression left
unmarked in a case is asserted to give no date.
"""

from __future__ import annotations

import re

import pytest

import fhirconv
from fhirconv import load_mappings
from fhirconv.dates import find_dates, resolve_dates
from fhirconv.document import PartialDate
from fhirconv.mentions import find_mentions
from fhirconv.normalise import normalise
from fhirconv.qualifiers import qualify
from fhirconv.sections import segment
from fhirconv.timeline import shift

MARK = re.compile(r'<d v="([^"]*)">(.*?)</d>')


def parse(marked: str) -> tuple[str, list[tuple[str, str]]]:
    """Text without markup, and the expected (expression, date) list in text order."""
    expected = [(m.group(2), m.group(1)) for m in MARK.finditer(marked)]
    return MARK.sub(lambda m: m.group(2), marked), expected


def timeline_of(text: str):
    maps = load_mappings()
    structure = segment(text, maps)
    mentions = find_mentions(normalise(text), structure, maps)
    qualify(text, structure, mentions, maps)
    return resolve_dates(text, mentions, structure, maps), mentions


def found(text: str) -> list[tuple[str, str]]:
    timeline, _ = timeline_of(text)
    return [(text[d.start : d.end], d.iso()) for d in timeline.dates]


ABSOLUTE = [
    'Bilan du <d v="2015-02-11">11/2/15</d> normal.',
    'Elle a été opérée le <d v="2015-03-02">2/3/2015</d>.',
    'Le <d v="2015-03-02">2 mars 2015</d>, elle s\'est rendue aux urgences.',
    'Le <d v="2016-01-01">1er janvier 2016</d>, reprise du traitement.',
    'Douleurs depuis <d v="2013-03">mars 2013</d>.',
    'Le diagnostic a été posé <d v="2009">en 2009</d>.',
    'Récidive <d v="2016">fin 2016</d>.',
    'Radiographie (<d v="2015-03-30">30-3-2015</d>) : épanchement.',
    'Traitement débuté en <d v="2017-09">septembre/2017</d>.',
    'Nodule thyroïdien droit (<d v="2009">2009</d>).',
    'Scanner en <d v="2013-03">03/2013</d>.',
    'Première tumeur\n<d v="2009">2009</d> : carcinome du sein.',
    'Récidive locale <d v="2015">en 2015</d> <d v="2018">et 2018</d>.',
    'Antécédents :\n- <d v="1987">1987</d> : maladie de Crohn.',
    # not dates: an impossible day, a count, a classification year, a lab value
    "Le 31/2/2015 est impossible. Hb 8,3 g/dl, 2000 plaquettes. Classification OMS 2010. CPK élevée à 1953 UI/L.",
    "Critères de Chompret (Tinat, 2009) remplis.",
]

RELATIVE = [
    # anchored on the nearest earlier date, as precise as both allow
    'En <d v="2008-10">octobre 2008</d>, il était déployé. <d v="2008-11">Un mois après</d>, il a consulté.',
    'Le <d v="2015-03-02">2 mars 2015</d>, admission. <d v="2015-05">Deux mois après</d>, elle va bien.',
    'Le <d v="2015-03-02">2 mars 2015</d>, admission. <d v="2015-03-09">Une semaine plus tard</d>, sortie.',
    '<d v="2009">En 2009</d>, chirurgie. <d v="2011">Deux ans après</d>, récidive.',
    'Opérée en <d v="2013-03">mars 2013</d>. <d v="2014-09">Un an et demi plus tard</d>, récidive.',
    # uncertain: days after a month may fall in the next month, months after a year in the next year
    'En <d v="2015-03">mars 2015</d>, admission. Trois jours après, transfusion.',
    '<d v="2009">En 2009</d>, chirurgie. Six mois après, récidive.',
    # the named anchor: the initial diagnosis, dated in its own sentence
    'Un adénocarcinome gastrique a été diagnostiqué en <d v="2011-11">novembre 2011</d>. '
    '<d v="2012-05">Six mois après le diagnostic initial</d>, une TDM a été réalisée.',
    # the diagnosis of a named disease is that disease's own date, not the first diagnosis of the report
    (
        'Un adénocarcinome gastrique a été diagnostiqué en <d v="2011-11">novembre 2011</d>. Une coagulation '
        'intravasculaire disséminée a été diagnostiquée en <d v="2015-08">août 2015</d>. <d v="2016-02">Six mois après '
        "le diagnostic initial de coagulation intravasculaire disséminée</d>, rechute."
    ),
    (
        'Un adénocarcinome gastrique a été diagnostiqué en <d v="2011-11">novembre 2011</d>. Six mois après le '
        "diagnostic initial de coagulation intravasculaire disséminée, rechute."
    ),
    # the initial diagnosis is the earliest dated one, even when the report tells it second
    (
        'Une coagulation intravasculaire disséminée a été diagnostiquée en <d v="2015-08">août 2015</d>. Un '
        'adénocarcinome gastrique avait été diagnostiqué en <d v="2011-11">novembre 2011</d>. <d v="2012-05">Six '
        "mois après le diagnostic initial</d>, rechute."
    ),
    # an operation named without a disease or act of its own: the last dated surgery before the expression
    'Le <d v="2014-06-05">5 juin 2014</d>, une colectomie a été réalisée. Le <d v="2014-06-10">10 juin 2014</d>, '
    'une gastrectomie a été réalisée. À <d v="2014-06-13">J3 post-opératoire</d>, fièvre.',
    # a named event fhirconv cannot date, or no date at all: left out
    "Six mois après le diagnostic initial, une TDM a été réalisée.",
    'En <d v="2012-01">janvier 2012</d>, bilan. Deux mois après la naissance de son fils, récidive.',
    # approximate durations are not resolved
    'En <d v="2014-01">janvier 2014</d>, bilan. Presque deux ans plus tard, récidive.',
    # a day after a day-precise chemotherapy; the same after a month-precise one is uncertain
    'Le <d v="2015-05-04">4 mai 2015</d>, elle a reçu une cure de FOLFOX. '
    '<d v="2015-05-07">Au troisième jour post-chimiothérapie</d>, neutropénie fébrile.',
    'En <d v="2015-05">mai 2015</d>, elle a reçu une cure de FOLFOX. Au troisième jour post-chimiothérapie, fièvre.',
    # J3 post-opératoire after a dated surgery
    'Le <d v="2014-06-05">5 juin 2014</d>, une colectomie a été réalisée. '
    'À <d v="2014-06-08">J3 post-opératoire</d>, fièvre.',
    # "au jour +10" of a day-precise chemotherapy
    'Le <d v="2015-03-10">10 mars 2015</d>, elle a reçu une cure de FOLFOX. '
    '<d v="2015-03-20">Au jour +10 de la chimiothérapie</d>, CRP à 45 mg/l.',
    # the hospital stay of the presenting episode
    'Anamnèse\nLe <d v="2015-03-02">2 mars 2015</d>, elle s\'est présentée aux urgences. '
    '<d v="2015-03-05">Au 3e jour de son hospitalisation</d>, fièvre.',
    # a disease-free interval ends at the event of its sentence: anchored before the sentence
    'Traitement terminé en <d v="2014-02">février 2014</d>. <d v="2015-04">Après 14 mois</d> sans maladie, une masse '
    "a été détectée.",
    # month or day without a year: the year of the nearest earlier date, never moving backwards
    'En <d v="2016-06">juin 2016</d>, rechute. Sorafénib <d v="2016-12">jusqu\'en décembre</d>.',
    'En <d v="2016-06">juin 2016</d>, rechute; sorafénib poursuivi jusqu\'en <d v="2016-12">décembre de la même '
    "année</d>.",
    'Bilan le <d v="2014-11-03">3 novembre 2014</d>. Laparoscopie le <d v="2014-11-11">11 novembre</d>.',
    'Le <d v="2015-03-02">2 mars 2015</d>, scanner. En février, biopsie.',
    # a delay fhirconv does not resolve: the result is left undated, not given the previous sentence's day
    'Le <d v="2015-03-02">2 mars 2015</d>, admission. Le <d v="2015-03-05">5 mars</d>, scanner. '
    "À 48 heures de l'admission, les plaquettes étaient à 20 000/mm3.",
    # "il y a 35 ans" counts from the date of writing, which a case report does not give
    "Ligature des trompes il y a 35 ans.",
]


@pytest.mark.parametrize("marked", ABSOLUTE)
def test_absolute_dates(marked: str) -> None:
    text, expected = parse(marked)
    assert found(text) == expected


@pytest.mark.parametrize("marked", RELATIVE)
def test_relative_dates(marked: str) -> None:
    text, expected = parse(marked)
    assert found(text) == expected


def test_year_case_without_previous_date_is_left_out() -> None:
    # "sorafénib ... décembre de la même année" with no earlier date: nothing to take the year from
    assert found("Sorafénib poursuivi jusqu'en décembre de la même année.") == []


def test_relative_date_chains_back_to_a_written_date() -> None:
    text = "En octobre 2008, il était déployé. Un mois après, il a consulté. Deux mois plus tard, il a été opéré."
    timeline, _ = timeline_of(text)
    last = timeline.dates[-1]
    assert (text[last.start : last.end], last.iso()) == ("Deux mois plus tard", "2009-01")
    chain = []
    d: PartialDate | None = last
    while d is not None:
        chain.append(text[d.start : d.end])
        d = d.anchor
    assert chain == ["Deux mois plus tard", "Un mois après", "octobre 2008"]


@pytest.mark.parametrize(
    ("anchor", "n", "unit", "half", "expected"),
    [
        (PartialDate(2008, 10), 1, "month", False, "2008-11"),
        (PartialDate(2015, 1, 31), 1, "month", False, "2015-02"),  # a month offset never claims a day
        (PartialDate(2015, 12, 30), 3, "day", False, "2016-01-02"),
        (PartialDate(2013, 3), 1, "year", True, "2014-09"),
        (PartialDate(2013), 2, "year", False, "2015"),
        (PartialDate(2013), 6, "month", False, None),
        (PartialDate(2015, 3), 3, "day", False, None),
        (PartialDate(2015, 3), -2, "month", False, "2015-01"),
        (PartialDate(2015, 3, 2), 2, "week", True, None),  # "deux semaines et demie": not resolved
    ],
)
def test_shift_keeps_only_certain_precision(anchor, n, unit, half, expected) -> None:
    got = shift(anchor, n, unit, half=half)
    assert (got.iso() if got else None) == expected


def test_relative_date_dates_a_procedure_and_cites_the_expression() -> None:
    text = "Le 2 mars 2015, elle a été hospitalisée. Deux mois après, une coloscopie a été réalisée."
    result = fhirconv.convert(text)
    procedures = [e["resource"] for e in result.data["entry"] if e["resource"]["resourceType"] == "Procedure"]
    assert [p.get("performedDateTime") for p in procedures] == ["2015-05"]
    cited = [
        {s["url"]: s for s in ext["extension"]}
        for ext in procedures[0]["extension"]
        if any(s.get("valueString") == "Procedure.performed" for s in ext["extension"])
    ]
    off, length = cited[0]["offset"]["valueInteger"], cited[0]["length"]["valueInteger"]
    assert text[off : off + length] == "Deux mois après"


def test_absolute_date_of_the_sentence_beats_a_disease_free_interval() -> None:
    # "Après 14 mois sans maladie" from February 2014 is April 2015, but the sentence writes May 2015
    text = (
        "Elle a terminé trois cycles de XELIRI en février 2014. Après 14 mois sans maladie, une masse annexielle "
        "gauche a été détectée en mai 2015. Elle a subi une laparoscopie exploratoire."
    )
    _, mentions = timeline_of(text)
    dated = {m.text: m.date.iso() for m in mentions if m.date is not None and m.kind == "procedure"}
    assert dated == {"laparoscopie exploratoire": "2015"}  # the next sentence inherits only the year


DATE_ELEMENTS = {  # resource date element -> the evidence path that must cite its expression
    "onsetDateTime": "Condition.onset",
    "performedDateTime": "Procedure.performed",
    "effectiveDateTime": "Observation.effective",
}


def _date_values(resource: dict) -> list[tuple[str, str]]:
    out = [(resource[k], path) for k, path in DATE_ELEMENTS.items() if k in resource]
    for k, root in (("effectivePeriod", "MedicationStatement.effective"), ("performedPeriod", "Procedure.performed")):
        for v in resource.get(k, {}).values():
            out.append((v, root))
    return out


NO_DATE_INVENTED = [
    "Le 2 mars 2015, elle s'est présentée aux urgences. Deux mois après, une coloscopie a été réalisée. "
    "En 2009, une gastrectomie a été réalisée. Une TDM a été faite. Trois jours après, une transfusion.",
    "Anamnèse\nEn mars 2013, une femme de 51 ans s'est présentée aux urgences.\n\nTests complémentaires\n"
    "Échographie abdominale : lésions hépatiques. Biopsie hépatique : carcinome neuroendocrine.",
    "Anamnèse\nElle a été admise en chirurgie le 12 avril 2009 pour un abdomen aigu.\n\nTraitement\nUne intervention "
    "chirurgicale urgente a été pratiquée.\n\nÉvolution\nLe 2 mars 2015, elle a été hospitalisée.\nUne "
    "transfusion de plaquettes a été réalisée.",
]


@pytest.mark.parametrize("source", ["seeds", *range(len(NO_DATE_INVENTED))])
def test_no_date_invented(source, seed_results) -> None:
    """Every date of every resource cites a date expression of the text and is no more precise than it; a
    relative date leads back, anchor by anchor, to an absolute date written in the text."""
    results = list(seed_results.values()) if source == "seeds" else [fhirconv.convert(NO_DATE_INVENTED[source])]
    checked = 0
    for result in results:
        dates = {(d.start, d.end): d for d in result.timeline.dates}
        for entry in result.data["entry"]:
            res = entry["resource"]
            cited = []
            for ext in res.get("extension", []):
                sub = {s["url"]: s for s in ext.get("extension", [])}
                if "path" in sub:
                    off = sub["offset"]["valueInteger"]
                    cited.append((sub["path"]["valueString"], (off, off + sub["length"]["valueInteger"])))
            for value, path in _date_values(res):
                spans = [span for p, span in cited if p == path and span in dates]
                assert spans, f"{res['resourceType']} date {value} cites no date expression"
                assert any(dates[s].iso().startswith(value) for s in spans), (value, [dates[s].iso() for s in spans])
                d = dates[spans[0]]
                while d.anchor is not None:
                    d = d.anchor
                written = result.text[d.start : d.end]  # the root, read again on its own, says the same date
                assert [x.iso() for x in find_dates(written, load_mappings())] == [d.iso()], written
                checked += 1
    assert checked > 0


def test_relative_rule_that_breaks_once_filled_names_its_line(tmp_path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    # compiles as written, but {N} makes the look-behind variable-width once filled
    (overlay / "dates.yaml").write_text(
        'meta: {source: t, version: 1, licence: CC0}\nrelative:\n  - {pattern: "(?<=x{N})mois"}\n', encoding="utf-8"
    )
    with pytest.raises(fhirconv.MappingError, match=r"dates\.yaml:3: regex does not compile once filled"):
        load_mappings(overlay)


def test_a_result_after_an_unresolved_delay_is_left_undated() -> None:
    import fhirconv

    data = fhirconv.convert(
        "Le 2 mars 2015, admission. Hémoglobine à 9,7 g/dl. Le 5 mars, scanner. "
        "À 48 heures de l'admission, les plaquettes étaient à 20 000/mm3."
    ).data
    obs = {
        e["resource"]["code"]["text"].lower(): e["resource"].get("effectiveDateTime")
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    assert obs["hémoglobine"] == "2015-03-02"
    assert obs["plaquettes"] is None  # not 2015-03-05, borrowed from the scanner's sentence


def procedure_dates(text: str) -> dict[str, str | None]:
    data = fhirconv.convert(text).data
    return {
        e["resource"]["code"]["text"]: e["resource"].get("performedDateTime")
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Procedure"
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a dated admission opens a stay: the acts of the next sentences, in other paragraphs, took place in it
        (
            "Évolution\nLe 2 mars 2015, elle s'est rendue au service des urgences pour une hématurie, elle a donc été "
            "admise.\nLors de l'admission, un frottis a été réalisé.\nUne transfusion de concentrés de globules rouges "
            "et un lavage continu ont été mis en place.",
            {"transfusion de concentrés de globules rouges": "2015-03", "lavage continu": "2015-03"},
        ),
        # the stay ends when the patient goes home: what follows is not dated by the admission
        (
            "Évolution\nLe 2 mars 2015, elle a été hospitalisée.\nElle a pu rentrer chez elle après un mois.\n"
            "Une coloscopie a été réalisée.",
            {"coloscopie": None},
        ),
        # the nearest date before is another event, not the admission
        (
            "Évolution\nLe 2 mars 2015, elle a été hospitalisée.\nEn 2016, une récidive a été constatée.\n"
            "Une coloscopie a été réalisée.",
            {"coloscopie": None},
        ),
        # a year is no admission date ("hémodialysé depuis 2005 ... a consulté")
        (
            "Un homme hémodialysé depuis 2005 a consulté pour des céphalées.\nLa ponction lombaire était normale.",
            {"ponction lombaire": None},
        ),
        # within its own paragraph a later act still takes only the year (paragraph rule, no admission cue)
        (
            "En juin 2013, une résection intestinale a été réalisée. Deux séances de chimioembolisation hépatique "
            "ont suivi.",
            {"résection intestinale": "2013-06", "chimioembolisation hépatique": "2013"},
        ),
    ],
)
def test_acts_of_a_hospital_stay(text: str, expected: dict[str, str | None]) -> None:
    got = procedure_dates(text)
    assert {k: got.get(k, "no such procedure") for k in expected} == expected


@pytest.mark.parametrize(
    ("treatment", "expected"),
    [
        # an emergency act of the treatment section belongs to the presenting episode: its month
        ("Une intervention chirurgicale urgente a été pratiquée.", "2009-04"),
        ("Elle a été opérée en urgence : une laparotomie exploratrice a été réalisée.", "2009-04"),
        # the treatment section may tell years of follow-up: an act not tied to the emergency is not dated by it
        ("Suivi radiologique trimestriel par IRM.", None),
    ],
)
def test_treatment_act_of_the_presenting_episode(treatment: str, expected: str | None) -> None:
    text = (
        "Anamnèse\nUne femme de 39 ans a été admise en chirurgie générale le 12 avril 2009 pour un abdomen aigu.\n\n"
        f"Traitement\n{treatment}"
    )
    assert list(procedure_dates(text).values()) == [expected]


def test_episode_from_a_decision_to_admit() -> None:
    text = (
        "Anamnèse\nEn janvier 2019, il a présenté une désorientation, pour laquelle il a été décidé de l'admettre.\n\n"
        "Tests complémentaires\nLa tomodensitométrie crânienne a révélé une ischémie."
    )
    assert procedure_dates(text) == {"tomodensitométrie": "2019-01"}
    # the same history without anything saying the patient came to care dates no episode
    assert procedure_dates(text.replace(", pour laquelle il a été décidé de l'admettre", "")) == {
        "tomodensitométrie": None
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the act of a relative clause followed the finding its sentence dates: that year, not that month
        (
            "Lors de la réévaluation en juin 2016, elle a présenté une rechute sacrée qui a été réintervenue.",
            {"réintervenue": "2016"},
        ),
        # the act the main clause dates keeps the date's precision
        ("En juin 2016, une coloscopie a été réalisée.", {"coloscopie": "2016-06"}),
    ],
)
def test_act_of_a_relative_clause_after_a_dated_finding(text: str, expected: dict[str, str]) -> None:
    assert procedure_dates(text) == expected


def observation_dates(text: str) -> list[tuple[str, str | None]]:
    data = fhirconv.convert(text).data
    return [
        (e["resource"]["code"]["text"], e["resource"].get("effectiveDateTime"))
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation" and e["resource"]["code"]["text"] != "ans"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "lors de l'admission": the day of the dated admission of the stay
        (
            "Évolution\nLe 2 mars 2015, elle s'est rendue au service des urgences, elle a donc été admise.\n"
            "Lors de l'admission, l'hémoglobine était à 8,3 g/dl.\nL'hémoglobine était ensuite à 9,1 g/dl.",
            [("hémoglobine", "2015-03-02"), ("hémoglobine", None)],
        ),
        # in the work-up: the day of the presenting episode; a result after an unresolved delay stays undated
        (
            "Anamnèse\nLe 12 avril 2009, elle s'est présentée aux urgences.\n\nTests complémentaires\n"
            "Analyse à l'admission : hémoglobine 12,3 g/dl.\nAnalyse à 48 heures : hémoglobine 9,7 g/dl.",
            [("hémoglobine", "2009-04-12"), ("hémoglobine", None)],
        ),
        # no dated admission: nothing to take
        (
            "Anamnèse\nElle s'est présentée aux urgences.\n\nTests complémentaires\n"
            "Analyse à l'admission : hémoglobine 12,3 g/dl.",
            [("hémoglobine", None)],
        ),
    ],
)
def test_results_at_the_admission(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert observation_dates(text) == expected


def test_a_history_or_family_date_does_not_date_the_next_sentences() -> None:
    text = (
        "Homme de 78 ans aux antécédents d'HTA et d'AVC ischémique en 2018. Il est adressé pour une dyspnée. "
        "La radiographie objective une cardiomégalie. Une scintigraphie est réalisée."
    )
    data = fhirconv.convert(text).data
    onsets = {
        e["resource"]["code"]["text"]: e["resource"].get("onsetDateTime")
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Condition"
    }
    assert onsets["AVC ischémique"] == "2018"  # its own sentence's date
    assert onsets["cardiomégalie"] is None  # not the history's 2018
    assert procedure_dates(text)["scintigraphie"] is None
    # a date of the narrative still dates the acts that follow it in its paragraph
    got = procedure_dates("Antécédent d'HTA. En juin 2013, une colectomie a été réalisée. Une scintigraphie a suivi.")
    assert got["scintigraphie"] == "2013"


def test_the_disease_key_is_the_code_of_the_row_else_its_words() -> None:
    # rows of the same class have the same fields (looked up once per class, not by a getattr that fails per mention)
    from fhirconv.dating import _disease_key

    doc = fhirconv.convert(
        "Patient de 60 ans. BPCO et bronchopneumopathie chronique obstructive. Anémie. Adénocarcinome."
    )
    keys = {m.text: _disease_key(m) for m in doc.mentions if m.kind in ("condition", "finding", "morphology")}
    assert keys["BPCO"] == keys["bronchopneumopathie chronique obstructive"] == "J44.9"
    for m in doc.mentions:
        if m.kind in ("condition", "finding", "morphology"):
            want = getattr(m.row, "cim10", None) or getattr(m.row, "icdo3", None) or m.text.lower()
            assert _disease_key(m) == want, m.text


def test_sentence_ends_are_a_stop_before_spaces_and_a_capital_or_a_line_break() -> None:
    # sections._SENTENCE_END opens with one class (re scans for it): the same ends as the plain alternation
    from fhirconv import sections

    plain = re.compile(r"[.!?](?=\s+[A-ZÀ-ÝŒ0-9\-«\"(])|\n")
    text = (
        "Vu le 3.4. Elle va mieux ! Taux à 19.9 mg.\nPuis ? « Non. » (bilan) 2. Fin.\n\nÉtat stable. Œdème.  -Suite ?"
    )
    for lo in range(len(text)):
        for hi in (lo, lo + 3, lo + 20, len(text)):
            got = [m.span() for m in sections._SENTENCE_END.finditer(text, lo, hi)]
            assert got == [m.span() for m in plain.finditer(text, lo, hi)], (lo, hi)
