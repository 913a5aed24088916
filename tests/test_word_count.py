"""``normalise.word_count`` (bisections over the report's word bounds) counts what a regex scan of the slice counts,
for every slice: the scope tests of the qualifiers rely on it being the same number."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fhirconv.normalise import word_count

_WORD = re.compile(r"[^\W_]+")
# letters with and without accents, digits, "_" (a \w that is no word letter), spaces, punctuation, a ligature
_ALPHABET = "ab é É1_ '’-,.;:()\n\tœ"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.integers(-3, 45), st.integers(-3, 45))
def test_word_count_is_the_words_of_the_slice(text: str, start: int, end: int) -> None:
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    assert word_count(text, start, end) == len(_WORD.findall(text[start:end]))


def test_word_count_counts_cut_words() -> None:
    text = "pas de fièvre, ni de toux"
    assert word_count(text, 0, len(text)) == 6
    assert word_count(text, 1, 5) == 2  # "as" and "d": both cut words count
    assert word_count(text, 13, 15) == 0  # ", "
    assert word_count(text, 9, 9) == 0  # an empty slice inside a word


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET + '٣２  \u00a0\u2009«»%/°"', max_size=40))
def test_words_are_the_letter_and_digit_runs_with_or_without_underscore(text: str) -> None:
    # normalise cuts the text at its spaces and splits only the parts that are not all letters and digits: the words
    # and their offsets are the runs of [^\W_] all the same (runs of spaces, other white space, "_" included)
    from fhirconv.normalise import normalise

    doc = normalise(text)
    runs = list(_WORD.finditer(text))
    assert list(doc.raws) == [m.group() for m in runs]
    assert list(zip(doc.starts, doc.ends)) == [m.span() for m in runs]


def test_words_of_parts_with_punctuation() -> None:
    # the parts between spaces that hold punctuation (a word between marks, two words around an apostrophe, codes
    # and lists) are split apart from the plain words (normalise._split): the words and offsets of the word pattern
    from fhirconv.normalise import normalise

    text = "(HV) ans. «tumeur» d'un l’examen d'l' 'a'b' 5-FU mg/kg x_y -- ; aujourd'hui, (d'une) ''a'' é’é"
    doc = normalise(text)
    runs = list(_WORD.finditer(text))
    assert list(doc.raws) == [m.group() for m in runs]
    assert list(zip(doc.starts, doc.ends)) == [m.span() for m in runs]


def _strip_whole_word(word: str) -> str:
    # the definition: ligatures spelt out, the word decomposed (NFD), its combining marks dropped, µ read as u
    import unicodedata

    word = "".join({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}.get(c, c) for c in word)
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c)).replace("µ", "u")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aeÉéèêëïôùçÇœŒæÆßµ\u0301\u0327\u0308\u0345ǅﬁ가ΐḗİ1_", max_size=12))
def test_accents_are_folded_character_by_character_as_the_whole_word_decomposition_folds_them(word: str) -> None:
    from fhirconv.normalise import _strip_accents

    assert _strip_accents(word) == _strip_whole_word(word)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="aéÉœ1_ -'’FU", max_size=12), min_size=1, max_size=6))
def test_term_keys_cached_are_the_keys_computed(terms: list[str]) -> None:
    # normalise.term_keys answers from its cache after the first call: the same keys as computing them afresh
    from fhirconv.normalise import _strip_accents, term_keys, word_key

    for term in terms + terms:
        words = _WORD.findall(term)
        assert term_keys(term) == (tuple(word_key(w) for w in words), tuple(_strip_accents(w) for w in words))
