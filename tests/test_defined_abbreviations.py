"""Abbreviations a report defines for a disease in brackets: the bracket and the later uses are that disease's
evidence (fhirconv/abbreviations.py); brackets of other words are not."""

from __future__ import annotations

import random
import re

import pytest

import fhirconv
from fhirconv.abbreviations import _occurrences

from .bundle_facts import conditions, entries


def _cited(text: str, code: str | None = None) -> list[int]:
    """The evidence offsets of the Conditions coded ``code`` (of every Condition without one)."""
    return [
        x["extension"][1]["valueInteger"]
        for r in entries(text, "Condition")
        if code is None or any(c["code"] == code for c in r["code"].get("coding", []))
        for x in r["extension"]
        if x["url"].endswith("derivation-reference")
    ]


@pytest.mark.parametrize(
    ("text", "abbr", "code"),
    [
        ("Découverte d'une hémorragie vitréenne (HV) à l'examen. Deux mois après, l'HV persiste.", "HV", "H43.1"),
        ("Elle est suivie pour une myasthénie grave (MG) depuis 2015. La MG reste stable.", "MG", "G70.0"),
        ("Antécédent de décollement de la rétine (DR) opéré. Le DR n'a pas récidivé.", "DR", "H33.2"),
    ],
)
def test_a_defined_abbreviation_and_its_uses_are_the_disease(text: str, abbr: str, code: str) -> None:
    cited = _cited(text, code)
    first = text.index(abbr)
    assert first in cited  # the bracket
    assert text.index(abbr, first + 1) in cited  # the later use: one Condition, not an unknown word


def test_a_later_use_is_qualified_where_it_stands() -> None:
    text = "Insuffisance mitrale (IM) découverte en 2019. Au contrôle, absence d'IM résiduelle après la plastie."
    verifications = {
        x["valueInteger"]: r["verificationStatus"]["coding"][0]["code"]
        for r in entries(text, "Condition")
        for e in r["extension"]
        if e["url"].endswith("derivation-reference")
        for x in e["extension"][1:2]
    }
    assert verifications[text.index("IM")] == "confirmed"
    assert verifications[text.rindex("IM")] == "refuted"


@pytest.mark.parametrize(
    "text",
    [
        # the bracket abbreviates the eye or the measure, not the disease before it
        "Perte de vision de l'œil droit (OD) depuis hier. La pression de l'OD est normale.",
        "Glaucome dans l'œil gauche (OI) traité. L'OI est douloureux.",
        "Baisse de l'acuité visuelle (AV) brutale. L'AV remonte à 4/10.",
        # a roman numeral is a type, not an abbreviation
        "Diabète sucré de type (II) connu. Le II est un chiffre.",
    ],
)
def test_a_bracket_of_other_words_defines_nothing(text: str) -> None:
    found = conditions(text)
    spans = _cited(text)
    bracket = text.index("(") + 1
    assert bracket not in spans, found
    assert text.rindex(text[bracket : text.index(")")]) not in spans, found


def test_an_abbreviation_defined_with_two_senses_is_left_alone() -> None:
    text = "Hémorragie vitréenne (HV) de l'œil droit. Hépatite virale (HV) ancienne. Contrôle : l'HV a régressé."
    last = text.rindex("HV")
    assert last not in _cited(text, "H43.1")
    data = fhirconv.convert(text).data
    assert all(
        x["extension"][1]["valueInteger"] != last
        for e in data["entry"]
        for x in e["resource"].get("extension", [])
        if x["url"].endswith("derivation-reference")
    )


def test_a_findings_abbreviation_is_evidence_of_the_finding() -> None:
    text = "Un décollement choroïdien (DC) est visible. Le DC régresse sous corticoïdes."
    conds = entries(text, "Condition")
    assert [c["code"]["text"] for c in conds] == ["décollement choroïdien"]
    cited = [
        x["extension"][1]["valueInteger"] for x in conds[0]["extension"] if x["url"].endswith("derivation-reference")
    ]
    assert text.index("DC") in cited and text.rindex("DC") in cited


def test_the_reports_definition_overrides_a_tables_other_sense() -> None:
    # "PR" is the progesterone receptor in observations.csv; this report defines it as its patient's disease
    text = "Polyarthrite rhumatoïde (PR) depuis 20 ans. La PR est active sous méthotrexate."
    cited = _cited(text, "M06.9")
    assert text.index("PR") in cited and text.rindex("PR") in cited
    assert entries(text, "Observation") == []


def test_a_score_named_after_a_disease_word_keeps_its_abbreviation() -> None:
    # "coma" inside the scale's name is no disease, and "GCS" stays the Glasgow score with its values
    text = "Son échelle de coma de Glasgow (GCS) était de 15. Le GCS est à 12 le lendemain."
    assert conditions(text) == {}
    assert sorted(o["valueQuantity"]["value"] for o in entries(text, "Observation")) == [12, 15]


def test_the_uses_found_with_find_are_the_whole_word_matches() -> None:
    # abbreviations._occurrences replaces a pattern compiled per abbreviation: same starts on texts built from
    # pieces that glue to the word or not (letters, digits, "_", hyphens, accents, brackets, apostrophes)
    rng = random.Random(8)
    pieces = ["HV", "MG", "DT2", "ECR-NMDA", "h", "é", "2", "_", "-", " ", "'", "(", ")", ".", "l'", "\n", "Ü"]
    for abbr in ("HV", "DT2", "ECR-NMDA", "MG"):
        pattern = re.compile(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])")
        for _ in range(400):
            text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30)))
            pos = rng.randrange(len(text) + 1)
            expected = [u.start() for u in pattern.finditer(text, pos)]
            assert _occurrences(text, abbr, pos) == expected, (text, abbr, pos)
    assert _occurrences("La MG, l'MG et la MG-2 ou MGX : MG.", "MG", 0) == [3, 9, 32]
