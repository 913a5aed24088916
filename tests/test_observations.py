"""Observations from lab results, vital signs, markers, IHC statuses and scores: one behaviour per test."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv
from fhirconv.errors import MappingError
from fhirconv.labvalues import parse_number

from .labscore import observations, reading


def _read(text: str) -> list[dict[str, Any]]:
    return [reading(r) for r in observations(fhirconv.convert(text).data)]


def _short(text: str) -> list[tuple[Any, ...]]:
    return [(g["loinc"] or g["text"], g["value"], g["unit"], g["comparator"], g["qualitative"]) for g in _read(text)]


@pytest.mark.parametrize("s, value", [("1 074,2", 1074.2), ("14 000", 14000), ("76.000", 76000), ("0,45", 0.45)])
def test_french_numbers(s: str, value: float) -> None:
    assert parse_number(s) == value


def test_connecting_words_between_test_and_value() -> None:
    got = _short("La créatine phosphokinase (CPK) était élevée à 1953 UI/L. La calcémie était supérieure à 3 mmol/l.")
    assert got == [("2157-6", 1953, "[iU]/L", None, None), ("2000-8", 3, "mmol/L", ">", None)]
    assert _read("Les LDH étaient élevées à 1250 UI/l.")[0]["interpretation"] == "H"


def test_unit_decides_mass_or_molar_code() -> None:
    got = _short("Créatinine 71 mg/l puis créatininémie à 530 µmol/l.")
    assert [g[0] for g in got] == ["2160-0", "14682-9"]


def test_value_before_the_test_with_its_unit() -> None:
    assert _short("Bilan : 2652 µmol/l de créatinine et 50 mmol/l d'urée.") == [
        ("14682-9", 2652, "umol/L", None, None),
        ("22664-7", 50, "mmol/L", None, None),
    ]


def test_blood_pressure_is_a_panel_with_two_components() -> None:
    res = observations(fhirconv.convert("TA 141 mmHg/85 mmHg.").data)[0]
    assert res["code"]["coding"][0]["code"] == "85354-9" and "valueQuantity" not in res
    comps = [
        (c["code"]["coding"][0]["code"], c["valueQuantity"]["value"], c["valueQuantity"]["code"])
        for c in res["component"]
    ]
    assert comps == [("8480-6", 141, "mm[Hg]"), ("8462-4", 85, "mm[Hg]")]


def test_finding_words_carry_a_value_and_stay_conditions() -> None:
    res = fhirconv.convert("Anémie à 7,2 g/dl et thrombopénie à 45000/mm 3.")
    assert _short(res.text) == [("718-7", 7.2, "g/dL", None, None), ("777-3", 45000, "/mm3", None, None)]
    assert sum(e["resource"]["resourceType"] == "Condition" for e in res.data["entry"]) == 2


def test_a_finding_without_value_is_no_observation() -> None:
    assert _read("Anémie ferriprive ancienne et fièvre.") == []


def test_implied_results() -> None:
    got = _short("Patient apyrétique, eupnéique et normotendu.")
    assert got == [
        ("8310-5", None, None, None, "normal"),
        ("9279-1", None, None, None, "normal"),
        ("85354-9", None, None, None, "normal"),
    ]


def test_signs_and_lists_of_ihc_results() -> None:
    got = _short("Profil CK7-, CK20+, TTF-1 négatif ; positif pour la vimentine et l'EMA.")
    assert got == [
        ("CK7", None, None, None, "negative"),
        ("CK20", None, None, None, "positive"),
        ("TTF-1", None, None, None, "negative"),
        ("vimentine", None, None, None, "positive"),
        ("EMA", None, None, None, "positive"),
    ]


def test_a_dash_between_names_is_not_a_negative_result() -> None:
    assert _read("Dosages demandés : TSH- calcémie- phosphorémie.") == []


def test_result_after_a_bracketed_list() -> None:
    got = _short("Les marqueurs (AFP, ACE et CA 19-9) étaient tous négatifs.")
    assert [(g[0], g[4]) for g in got] == [("1834-1", "negative"), ("2039-6", "negative"), ("24108-3", "negative")]


def test_an_article_breaks_a_shared_result() -> None:
    got = _read("Hyperleucocytose à polynucléaires neutrophiles et une CRP élevée.")
    assert [(g["loinc"], g["interpretation"]) for g in got] == [("1988-5", "H")]


@pytest.mark.parametrize(
    "text",
    [
        "Neutropénie de grade 3 au cycle 2.",
        "Anémie G2 puis thrombopénie grade 1.",
        "La lipasémie est à trois fois la normale ; ASAT à 5 fois la normale.",
        "Tumeur de taille supérieure à 10 mm.",
        "Une taille maximale de 2 cm.",
        "Un utérus de taille normale.",
        "Hémoglobine contrôlée 2 semaines plus tard.",
        "Hyperleucocytose à 85OOO.",
    ],
)
def test_numbers_that_are_not_results(text: str) -> None:
    assert _read(text) == [], _read(text)


def test_body_measures() -> None:
    assert _short("Taille de 1m57, poids 50 kg.") == [
        ("8302-2", 1.57, "m", None, None),
        ("29463-7", 50, "kg", None, None),
    ]


def test_dates_are_not_values_and_date_the_result() -> None:
    res = observations(fhirconv.convert("Le 12/03/2014, l'hémoglobine était à 11 g/dl.").data)
    assert [(reading(r)["value"], r.get("effectiveDateTime")) for r in res] == [(11, "2014-03-12")]


@pytest.mark.parametrize(
    ("column", "row"),
    [
        ("molar_loinc", "machin,2160-0,Creatinine,laboratory,,14682-9"),
        ("time_loinc", "machin,2955-3,Sodium,laboratory,,2956-1"),
    ],
)
def test_second_code_needs_its_display(tmp_path, column: str, row: str) -> None:
    (tmp_path / "observations.csv").write_text(
        f"# source: test\n# version: 1\n# licence: CC0\nterm,loinc,display,category,unit,{column}\n{row}\n",
        encoding="utf-8",
    )
    kind = column.split("_")[0]
    with pytest.raises(MappingError, match=f"{kind}_loinc and {kind}_display"):
        fhirconv.tables._load(tmp_path)


def test_implied_result_must_be_a_qualitative_term(tmp_path) -> None:
    (tmp_path / "observations.csv").write_text(
        "# source: test\n# version: 1\n# licence: CC0\nterm,loinc,display,category,implies\n"
        "trucmuche,8310-5,Body temperature,vital-signs,bizarre\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match="not a term of qualitative.csv"):
        fhirconv.tables._load(tmp_path)


def test_reference_range_in_brackets() -> None:
    res = observations(fhirconv.convert("CA 125 à 5 688 U/ml (0-35 UI/ml) ; CRP 40 mg/l (< 5 mg/l).").data)
    ranges = [r["referenceRange"][0] for r in res]
    assert [(x.get("low", {}).get("value"), x["high"]["value"], x["high"]["code"]) for x in ranges] == [
        (0, 35, "[iU]/mL"),
        (None, 5, "mg/L"),
    ]
    assert ranges[0]["text"] == "(0-35 UI/ml)"


def test_value_in_brackets_after_the_test() -> None:
    assert _short("Bilirubine totale 2,8, bilirubine conjuguée (2,5).")[1] == ("1968-7", 2.5, None, None, None)


def test_earlier_and_later_values() -> None:
    assert _short("Le CA 125 passe de 540 à 35 U/ml.") == [
        ("10334-1", 540, "U/mL", None, None),
        ("10334-1", 35, "U/mL", None, None),
    ]


def test_molecular_statuses() -> None:
    got = _short("EGFR muté, ALK non réarrangé, KRAS sauvage.")
    assert [(g[0], g[4]) for g in got] == [("EGFR", "positive"), ("ALK", "negative"), ("21702-6", "negative")]


def test_value_wording_comes_from_the_table(tmp_path) -> None:
    """lab_values.yaml holds the words around values: an overlay fragment changes what is read."""
    (tmp_path / "lab_values.yaml").write_text(
        'meta: {source: test, version: "1", licence: CC0}\n'
        "words:\n  - {name: comparator_below, pattern: 'moins\\s+que'}\n",
        encoding="utf-8",
    )
    maps = fhirconv.tables._load(tmp_path)
    res = observations(fhirconv.convert("CRP moins que 5 mg/l.", mappings=maps).data)
    assert reading(res[0])["comparator"] == "<"
    (tmp_path / "lab_values.yaml").write_text(
        'meta: {source: test, version: "1", licence: CC0}\nwords:\n  - {name: nimportequoi, pattern: x}\n',
        encoding="utf-8",
    )
    with pytest.raises(MappingError, match=r"lab_values.yaml:3: name: Input should be"):
        fhirconv.tables._load(tmp_path)


def test_implausible_numbers_are_something_else() -> None:
    assert _short("Fièvre à 3 reprises, pouls 500, température 38,2.") == [("8310-5", 38.2, None, None, None)]


# Wordings of results any French report may use, each with a counter-example that states no result: (sentence,
# expected Observations as (code or text, value, unit, comparator, qualitative), counter-example sentence).
WORDINGS = {
    "weight lost in kg, a measure of the symptom": (
        "Elle signale un amaigrissement chiffré à 9 kg et une perte de poids de 4 kg en un mois.",
        [("amaigrissement", 9, "kg", None, None), ("perte de poids", 4, "kg", None, None)],
        # a share of the weight, a duration, or the word alone
        "Amaigrissement de 8 % du poids ; perte de poids depuis 2 mois ; amaigrissement important.",
    ),
    "obstetric examination": (
        "Hauteur utérine à 29 cm, rythme cardiaque fœtal à 145 battements/min.",
        [("11881-0", 29, "cm", None, None), ("55283-6", 145, "/min", None, None)],
        "Hauteur utérine supérieure à 40 mm de la lésion.",  # a length elsewhere
    ),
    "breast imaging category, onconeural antibodies": (
        "Échographie mammaire : BI-RADS 3. Les anticorps anti-Yo et anti-Ri sont négatifs.",
        [
            ("BI-RADS", 3, None, None, None),
            ("anti-Yo", None, None, None, "negative"),
            ("anti-Ri", None, None, None, "negative"),
        ],
        "Classification BIRADS 9.",  # out of the 0-6 scale
    ),
    "pathergy test": (
        "Le test pathergique est revenu négatif.",
        [("test pathergique", None, None, None, "negative")],
        "Un test pathergique sera réalisé.",
    ),
    "a verb of finding before a normal result": (
        "Le bilan biologique n'a révélé aucune anomalie. Les analyses sanguines ne montraient rien d'anormal.",
        [("bilan biologique", None, None, None, "normal"), ("analyses sanguines", None, None, None, "normal")],
        # a negated verb, or a finding that is not a test
        "Le bilan biologique n'a pas été refait. L'examen clinique ne retrouvait aucune anomalie.",
    ),
    "HIV serology with a preposition": (
        "La sérologie pour le VIH était négative.",
        [("31201-7", None, None, None, "negative")],
        "La sérologie du VIH a été demandée.",
    ),
    "an IHC expression word governs the markers after it": (
        "Expression diffuse de la CK7 et de la vimentine, perte d'expression de la CK20 ; aucune expression de la desmine.",
        [
            ("CK7", None, None, None, "positive"),
            ("vimentine", None, None, None, "positive"),
            ("CK20", None, None, None, "negative"),
            ("desmine", None, None, None, "negative"),
        ],
        "PD-L1 : expression à évaluer.",  # the bare noun may introduce a share written after it
    ),
    "cerebrospinal fluid study": (
        "L'analyse du LCR s'est révélée normale.",
        [("analyse du LCR", None, None, None, "normal")],
        "Un examen du liquide céphalo-rachidien a été programmé.",
    ),
    "QT interval, serum protein electrophoresis, fetal biometry": (
        "QT corrigé à 470 ms. Électrophorèse des protéines sériques normale. Diamètre bipariétal à 80 mm.",
        [
            ("8636-3", 470, "ms", None, None),
            ("Électrophorèse des protéines sériques", None, None, None, "normal"),
            ("Diamètre bipariétal", 80, "mm", None, None),
        ],
        "Une électrophorèse des protides est prévue ; longueur fémorale au 50e percentile.",
    ),
    "tuberculin skin test": (
        "L'IDR à la tuberculine a été mesurée à 12 mm.",
        [("IDR à la tuberculine", 12, "mm", None, None)],
        "L'IDR à la tuberculine sera lue dans 3 jours.",  # a delay, not the induration
    ),
    "markers in brackets share the result after the bracket": (
        "L'immunomarquage (CD4, CD8) est négatif.",
        [("CD4", None, None, None, "negative"), ("CD8", None, None, None, "negative")],
        "Un immunomarquage CD4 et CD8 est demandé.",
    ),
}


@pytest.mark.parametrize("case", WORDINGS)
def test_result_wordings(case: str) -> None:
    text, expected, counter = WORDINGS[case]
    assert _short(text) == expected
    assert _read(counter) == []
