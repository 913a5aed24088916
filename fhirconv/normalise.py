"""Stage 1 - normalise: decode-independent text, words and their matching keys.

The original text is never changed: every offset in fhirconv is a Python ``str`` index into the text as given
(CONVENTIONS.md, "Offsets count Unicode code points ... before any normalisation"). Normalisation lives only in
the *keys* of words, which is what the mapping tables are matched on: case, accents, ligatures, French gender
and plural endings are folded away so that ``Métastases hépatiques`` and ``métastase hépatique`` meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

__all__ = ["Token", "NormalisedText", "normalise", "word_key", "term_keys", "is_case_sensitive_term"]

# A word is a run of letters/digits. Hyphens, apostrophes and slashes separate words, so "5-FU", "d'un" and
# "pipéracilline/tazobactam" are several words and tables need not list each spelling.
_WORD = re.compile(r"[^\W_]+")
# What may stand between two words of one term: spaces, hyphens, apostrophes, slashes, or a lone dot inside
# a code ("CA 19.9"). A comma or a sentence end breaks a term.
_JOINER = re.compile(r"[\s\-‐‑–'’/]*|\.")

_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}


class Token(NamedTuple):
    # a NamedTuple, not a frozen dataclass: a report has thousands of words and a tuple is built 3x faster
    start: int
    end: int
    raw: str  # the word as written
    key: str  # folded key: lower case, no accents, singular masculine
    exact: str  # accents folded but case kept, for case-sensitive abbreviations


@dataclass(frozen=True, slots=True)
class NormalisedText:
    text: str
    tokens: tuple[Token, ...]

    def joinable(self, left: Token, right: Token) -> bool:
        """True if two consecutive words may belong to one term (nothing but joiners between them)."""
        return _JOINER.fullmatch(self.text, left.end, right.start) is not None


@lru_cache(maxsize=65536)
def _strip_accents(word: str) -> str:
    word = "".join(_LIGATURES.get(c, c) for c in word)
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("µ", "u")


@lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """The matching key of one word: ``'Différenciées'`` -> ``'differencie'``.

    Folding rules (French morphology, deliberately crude and symmetric: tables go through the same function):
    feminine ``-ée``/``-ienne``/``-euse``/``-ale`` and plurals ``-aux``/``-s``/``-x`` on words of more than three
    letters.
    """
    k = _strip_accents(word).lower()
    if len(k) <= 3 or k.isdigit():
        return k
    if k.endswith("aux") and len(k) > 4:
        return k[:-3] + "al"
    if k[-1] in "sx":
        k = k[:-1]
    if k.endswith("ee"):
        k = k[:-1]
    elif k.endswith("ienne"):
        k = k[:-2]
    elif k.endswith("euse"):
        k = k[:-2]  # osseuse -> osseu, like osseux -> osseu
    elif k.endswith("ale") and len(k) > 4:
        k = k[:-1]
    return k


def is_case_sensitive_term(term: str) -> bool:
    """A short abbreviation written in capitals (``FA``, ``5-FU``, ``CIVD``: at most 4 letters) is matched
    case-sensitively, so that it does not fire on an ordinary word; longer capitals (``FOLFOX``) match any case."""
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and len(letters) <= 4 and all(c.isupper() for c in letters)


def term_keys(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys of a table term: (folded keys, exact-case keys) of its words."""
    words = _WORD.findall(term)
    return tuple(word_key(w) for w in words), tuple(_strip_accents(w) for w in words)


def normalise(text: str) -> NormalisedText:
    """Split ``text`` into words with their offsets and matching keys.

    >>> [t.key for t in normalise("Métastases hépatiques").tokens]
    ['metastase', 'hepatique']
    """
    keys = _keys
    new = tuple.__new__  # what Token(...) calls, without its Python-level __new__ frame (a report has ~1,000 words)
    tokens: list[Token] = []
    append = tokens.append
    for m in _WORD.finditer(text):
        word = m.group()
        start, end = m.span()
        key, exact = keys(word)
        append(new(Token, (start, end, word, key, exact)))
    return NormalisedText(text, tuple(tokens))


@lru_cache(maxsize=65536)
def _keys(word: str) -> tuple[str, str]:
    return word_key(word), _strip_accents(word)
