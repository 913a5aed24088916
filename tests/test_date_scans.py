"""The scans the date stage makes once per report give what the plain scans they replace gave: the relative rules'
key words (``timeline._key_starts``: one pass over the words, not a ``find`` of each key over the text)."""

from __future__ import annotations

import pytest

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
