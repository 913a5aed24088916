"""Numbers, units, comparators, dosages and dates read the French way."""

from __future__ import annotations

import re

import pytest

import fhirconv
from fhirconv.values import parse_number


@pytest.mark.parametrize(
    "s, value",
    [
        ("37,5", 37.5),
        ("2.400", 2400),
        ("97 000", 97000),
        ("76.000", 76000),
        ("0,17", 0.17),
        ("7,36", 7.36),
        ("1 250", 1250),
        ("8", 8),
    ],
)
def test_parse_number(s: str, value: float) -> None:
    assert parse_number(s) == value


def _obs(text: str) -> list[tuple]:
    res = fhirconv.convert(text)
    out = []
    for e in res.data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Observation" and r["code"].get("coding", [{}])[0].get("code") != "30525-0":
            q = r.get("valueQuantity", {})
            out.append(
                (
                    r["code"]["coding"][0]["code"] if r["code"].get("coding") else r["code"]["text"],
                    q.get("comparator"),
                    q.get("value"),
                    q.get("code"),
                    r.get("effectiveDateTime"),
                )
            )
    return out


def test_lab_list_with_french_numbers() -> None:
    got = _obs(
        "Le 2 mars 2015 : Hb 9,7 g/dl, 115 000 plaquettes/mcrl, activité prothrombinique 46 %, INR >8, "
        "D-dimères > 20 mcrg/ml, fibrinogène 0,17 g/l."
    )
    assert got == [
        ("718-7", None, 9.7, "g/dL", "2015-03-02"),
        ("777-3", None, 115000, "/uL", "2015-03-02"),
        ("5894-1", None, 46, "%", "2015-03-02"),
        ("6301-6", ">", 8, None, "2015-03-02"),
        ("48065-7", ">", 20, "ug/mL", "2015-03-02"),
        ("3255-7", None, 0.17, "g/L", "2015-03-02"),
    ]


def test_numbers_are_not_dates_and_dates_are_not_numbers() -> None:
    got = _obs("En 2009, 2000 plaquettes.")
    assert got == [("777-3", None, 2000, None, "2009")]


def test_dosage() -> None:
    res = fhirconv.convert("Le 11/2/15, le Sunitinib 37,5mg/24h VO a été ajouté.")
    med = next(e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "MedicationStatement")
    d = med["dosage"][0]
    assert d["text"] == "37,5mg/24h VO"
    assert d["doseAndRate"][0]["doseQuantity"] == {
        "value": 37.5,
        "unit": "mg",
        "system": "http://unitsofmeasure.org",
        "code": "mg",
    }
    assert d["timing"]["repeat"] == {"frequency": 1, "period": 24.0, "periodUnit": "h"}
    assert med["effectivePeriod"] == {"start": "2015-02-11"}


def test_regimen_expands_into_components() -> None:
    res = fhirconv.convert("Elle a reçu trois cycles de FOLFIRI en 2016.")
    meds = [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
    atcs = sorted(m["medicationCodeableConcept"]["coding"][0]["code"] for m in meds)
    assert atcs == ["L01BC02", "L01CE02", "V03AF03"]
    assert len({m["identifier"][0]["value"] for m in meds}) == 1


@pytest.mark.parametrize(
    "text, date",
    [
        ("en mars 2013", "2013-03"),
        ("le 2 mars 2015", "2015-03-02"),
        ("le 2/3/2015", "2015-03-02"),
        ("fin 2016", "2016"),
        ("en 2009", "2009"),
    ],
)
def test_dates_keep_their_precision(text: str, date: str) -> None:
    got = _obs(f"{text.capitalize()}, hémoglobine 12 g/dl.")
    assert got[0][4] == date


def test_sentence_ends_are_the_dots_outside_numbers_and_the_line_breaks() -> None:
    # dosage and labvalues find a sentence end with the dot before its lookbehind (re then scans for the dot):
    # the same ends as a dot with no digit on either side, a line break (and for lab values a semicolon)
    from fhirconv import dosage, labvalues

    text = "Créatinine 1.2 mg/dl. Puis 3. ou 4.5 g\nen 2 prises; soit 12 mg/j. Fin.5 et 5.x .7 " * 3
    for regex, plain in (
        (dosage._SENTENCE_END, re.compile(r"(?<!\d)\.(?!\d)|\n")),
        (labvalues._SENTENCE_END, re.compile(r"(?<!\d)\.(?!\d)|\n|;")),
    ):
        for lo in range(len(text)):
            for hi in (lo, lo + 1, lo + 9, len(text)):
                got, want = regex.search(text, lo, hi), plain.search(text, lo, hi)
                assert (got and got.span()) == (want and want.span()), (lo, hi)


def test_read_timing_finds_what_a_search_of_each_frequency_row_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    # read_timing tries a frequency row with a match call at each of its candidate starts in the drug's window (the
    # first that matches is the search's match): the same timing as a plain search of the window with every row
    from fhirconv import dosage
    from fhirconv.tables.prefilter import windowed

    maps = fhirconv.load_mappings()
    text = (
        "Paracétamol 1 g 3 fois par jour pendant 5 jours, puis 2 x/j en 10 min, puis 1 g x 4/j toutes les 6 heures; "
        "méthotrexate 15 mg 1 fois par semaine, 2 à 3 cures de 21 jours, J1 à J5 tous les 28 jours si besoin. "
    ) * 3
    windows = [(lo, lo + size) for lo in range(0, len(text) - 120, 7) for size in (12, 40, 120)]
    got = [dosage.read_timing(text, lo, hi, maps) for lo, hi in windows]
    monkeypatch.setattr(dosage, "windowed", lambda rows, t: [(p, r, None) for p, r, _ in windowed(rows, t)])
    want = [dosage.read_timing(text, lo, hi, maps) for lo, hi in windows]
    assert got == want
    assert sum(1 for timing, _ in got if timing) > 100


def test_a_window_without_digit_is_skipped_only_when_it_holds_no_value(monkeypatch: pytest.MonkeyPatch) -> None:
    # _observation_value tries the score and value patterns only when a digit follows the test within its window:
    # the same values as with both patterns tried after every test (a "digit" found everywhere)
    from fhirconv import labvalues

    texts = [
        "Hémoglobine 12 g/dl, CRP normale, plaquettes à 250 G/l et HER2 score 3+. LDH élevées; TSH:4",
        "La créatinine sérique était revenue nettement plus élevée à 180 µmol/l. Ferritine basse. Kaliémie ٤,٥ mmol/l",
        "HER2 (2+), Ki67 supérieur à 80%, albumine : normale, CA 125 était normal, glycémie 1,2",
    ]
    got = [_obs(t) for t in texts]
    monkeypatch.setattr(labvalues, "_DIGIT", re.compile(""))
    assert [_obs(t) for t in texts] == got
    assert sum(len(g) for g in got) >= 8 and any(q[2] == 4.5 for q in got[1])


def test_the_words_a_gene_pattern_needs_are_searched_as_written_not_case_folded():
    # casefold turns "ß" into "ss", which re, ignoring case one character for one, does not match to "ß": the words
    # searched first must be the pattern's own, else a report writing them as the pattern does would lose its result
    from fhirconv.labvalues import _mutation_words

    pattern = re.compile(r"(?P<mut>straße|fusion)", re.IGNORECASE)
    words = _mutation_words(pattern)
    assert words is not None
    for text in ("la Straße", "la STRAßE", "une FUSION"):
        assert pattern.search(text) is not None
        assert words.search(text) is not None, text
    assert words.search("la rue") is None
    assert _mutation_words(re.compile(r"(?i)(?P<mut>mutation)")) is None  # case folding asked inline: no words
