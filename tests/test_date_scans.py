"""The scans the date stage makes once per report give what the plain scans they replace gave: the relative rules'
key words (``timeline._key_starts``: one pass over the words, not a ``find`` of each key over the text) and the
episode cue of a sentence (``dating._cue_at``: a match at each candidate start, not a search of the sentence)."""

from __future__ import annotations

import pytest

from fhirconv import load_mappings
from fhirconv.dating import _cue_at
from fhirconv.sections import segment
from fhirconv.tables.prefilter import searches, windowed
from fhirconv.timeline import _key_starts

KEYS = {"mai", "mois", "après", "d'après", "j+", "j +", "j1", "même année", "suivant", "suivante", "tôt"}


def _found(text: str, keys: set[str]) -> dict[str, list[int]]:
    """Each key's occurrences in the lowercase text that no letter precedes (the definition)."""
    lower = text.lower()
    out: dict[str, list[int]] = {}
    for key in keys:
        out[key] = [
            at for at in range(len(lower)) if lower.startswith(key, at) and (at == 0 or not lower[at - 1].isalpha())
        ]
    return out


@pytest.mark.parametrize(
    "text",
    [
        "Trois mois après, en mai, une récidive ; la semaine suivante elle allait mieux.",
        "Mai 2015 : APRÈS la chirurgie. D'après le chirurgien, à J+3 et J +5 puis J1.",
        "à 3mois, 2mai, x_mai, ²mois, l'année suivante et la même année ; plus tôt, aj1",
        "İstanbul, en mai : elle y est retournée deux mois après.",  # İ lowercases to two characters
        "",
    ],
)
def test_key_starts_are_the_key_occurrences_that_start_a_word(text: str) -> None:
    assert _key_starts(text, KEYS) == _found(text, KEYS)


@pytest.mark.parametrize(
    "text",
    [
        "En mars 2015, elle a consulté aux urgences pour des douleurs. Elle a été admise le 3 mars. Le scanner a "
        "montré une masse, et un avis a été demandé en consultation.",
        "Il est adressé en consultation de pneumologie. Au service des urgences, un bilan a été fait.",
        "Une femme de 60 ans, opérée en 2009, se présente avec une dyspnée. Elle est hospitalisée en mars.",
    ],
)
def test_cue_at_finds_what_a_search_of_each_sentence_finds(text: str) -> None:
    mappings = load_mappings()
    text += " Le scanner était normal."  # a sentence without a cue
    seen = set()
    for sent in segment(text, mappings).sentences:
        searched = any(searches(mappings.episode_cues, text, sent.start, sent.end))
        matched = any(_cue_at(r, s, text, sent.start, sent.end) for r, _, s in windowed(mappings.episode_cues, text))
        assert matched == searched, text[sent.start : sent.end]
        seen.add(matched)
    assert seen == {True, False}
