"""Stage 1 - normalise: decode-independent text, words and their matching keys.

The original text is never changed: every offset in fhirconv is a Python ``str`` index into the text as given
(CONVENTIONS.md, "Offsets count Unicode code points ... before any normalisation"). Normalisation lives only in
the *keys* of words, which is what the mapping tables are matched on: case, accents, ligatures, French gender
and plural endings are folded away so that ``Métastases hépatiques`` and ``métastase hépatique`` meet.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import repeat
from typing import NamedTuple

__all__ = [
    "Token",
    "NormalisedText",
    "normalise",
    "word_key",
    "word_starts",
    "word_count",
    "word_bounds",
    "WordBounds",
    "exact_keys",
    "term_keys",
    "is_case_sensitive_term",
]

# A word is a run of letters/digits. Hyphens, apostrophes and slashes separate words, so "5-FU", "d'un" and
# "pipéracilline/tazobactam" are several words and tables need not list each spelling.
_WORD = re.compile(r"[^\W_]+")
# The same words as the odd items of a split (``_split``: a Match object per word cost more than the split).
_WORD_SPLIT = re.compile(r"([^\W_]+)")
# What may stand between two words of one term: spaces, hyphens, apostrophes, slashes, or a lone dot inside
# a code ("CA 19.9"). A comma or a sentence end breaks a term.
_JOINER = re.compile(r"[\s\-‐‑–'’/]*|\.")
# The punctuation that most often opens or closes a word ("ans.", "(HV)", "« tumeur »"): no letter or digit, so a part
# of the text that is a word between runs of them is that one word (``_split``)
_EDGES = "\n\r\t.,;:!?()[]{}\"'’«»-/%°"

_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"}


class Token(NamedTuple):
    # a NamedTuple, not a frozen dataclass: a report has thousands of words and a tuple is built 3x faster
    start: int
    end: int
    raw: str  # the word as written
    key: str  # folded key: lower case, no accents, singular masculine
    exact: str  # accents folded but case kept, for case-sensitive abbreviations


@dataclass(frozen=True)
class NormalisedText:
    """The words of ``text`` as parallel tuples (word ``i`` is ``raws[i]`` at ``starts[i]:ends[i]``): the matchers
    read these directly; a ``Token`` per word is built only when ``tokens`` is asked for (short texts)."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    raws: tuple[str, ...]  # the words as written
    keys: tuple[str, ...]  # folded keys: lower case, no accents, singular masculine

    @cached_property
    def exacts(self) -> tuple[str, ...]:
        """Accents folded but case kept, for case-sensitive abbreviations: built on demand (the matcher folds only
        the few words where a case-sensitive term may end, ``exact_keys``)."""
        return tuple(map(_strip_accents, self.raws))

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        # tuple.__new__ is what Token(...) calls, without its Python-level __new__ frame
        return tuple(map(tuple.__new__, repeat(Token), zip(self.starts, self.ends, self.raws, self.keys, self.exacts)))

    def joinable(self, left: Token, right: Token) -> bool:
        """True if two consecutive words may belong to one term (nothing but joiners between them)."""
        return _JOINER.fullmatch(self.text, left.end, right.start) is not None

    def joined(self, i: int) -> bool:
        """True if words ``i - 1`` and ``i`` may belong to one term (``joinable`` by index)."""
        return _JOINER.fullmatch(self.text, self.ends[i - 1], self.starts[i]) is not None


@lru_cache(maxsize=65536)
def _strip_accents(word: str) -> str:
    if word.isascii():  # most words: nothing to fold (a miss of this cache cost a decomposition per new word)
        return word
    # a character folds the same wherever it stands (a decomposition is per character, and the reordering of the
    # combining marks it makes is undone by dropping them): each non-ASCII character is folded once, then a word is
    # one translate (a decomposition and two joins per new word were most of the cost of a report's new words)
    table = _CHAR_FOLDS
    for c in word:
        if c > "\x7f" and ord(c) not in table:
            table[ord(c)] = _fold_char(c)
    return word.translate(table)


# code point -> the character folded (``_fold_char``): the table of ``str.translate``, filled as words bring new
# characters (at most the few hundred letters a corpus writes; threads may both fill one entry: same value)
_CHAR_FOLDS: dict[int, str] = {}


def _fold_char(c: str) -> str:
    """One character with its accents dropped and its ligature spelt out (``Œ`` -> ``OE``, ``é`` -> ``e``)."""
    decomposed = unicodedata.normalize("NFD", _LIGATURES.get(c, c))
    return "".join(x for x in decomposed if not unicodedata.combining(x)).replace("µ", "u")


# word -> its key: a plain dict, not lru_cache (a report repeats most of its words, and a hit of lru_cache cost more
# than the dict lookup: its linked list is reordered on every call); emptied when full, so memory stays bounded
_KEYS: dict[str, str] = {}
_MAX_KEYS = 65536


def word_key(word: str) -> str:
    """The matching key of one word: ``'Différenciées'`` -> ``'differencie'`` (cached)."""
    key = _KEYS.get(word)
    if key is None:
        if len(_KEYS) >= _MAX_KEYS:
            _KEYS.clear()
        key = _KEYS[word] = _fold_word(word)
    return key


def _fold_word(word: str) -> str:
    """The key of ``word``, computed (``word_key``).

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


# term -> its keys (``term_keys``): the builders ask again and again for the keys of the same few terms and mention
# texts (a regex findall and two folds of each word per call); a plain dict emptied when full, as ``_KEYS``
_TERM_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def term_keys(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Keys of a table term: (folded keys, exact-case keys) of its words (cached)."""
    keys = _TERM_KEYS.get(term)
    if keys is None:
        if len(_TERM_KEYS) >= _MAX_KEYS:
            _TERM_KEYS.clear()
        words = _WORD.findall(term)
        keys = _TERM_KEYS[term] = (tuple(word_key(w) for w in words), tuple(_strip_accents(w) for w in words))
    return keys


@lru_cache(maxsize=8)
def _split(text: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]:
    # kept for the last texts: the table prefilter reads the report's word starts again (``word_starts``)
    # Most words stand between two spaces: the text is cut at its spaces by one C-level split, a part made only of
    # letters and digits is a word as it is, and only the parts with punctuation ("ans.", "d'un", "(HV)": about a
    # fifth) go through the word pattern. A regex split of the whole text cost four times as much: the re engine
    # restarts a match at every word and separator, and its running offsets were a second pass.
    raws: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0  # where ``part`` starts
    edges, split_words = _EDGES, _WORD_SPLIT.split  # (module constants: a dict lookup each, compiled)
    for part in text.split(" "):
        size = len(part)
        if part.isalnum():  # str.isalnum is re's [^\W_] on each character
            raws.append(part)
            starts.append(pos)
            ends.append(pos + size)
        elif size:
            # most parts with punctuation are one word between punctuation marks ("ans.", "(HV)", "gauche,"): the
            # word is the part stripped of them, found by two C-level strips, not by a regex split (which cost ten
            # times as much: a list and a string per piece); or two words joined by an apostrophe in the stripped
            # word, as "d'un" and "l’examen" are two words on either side of the apostrophe
            head = part.lstrip(edges)
            word = head.rstrip(edges)
            start = pos + size - len(head)
            if word.isalnum():
                raws.append(word)
                starts.append(start)
                ends.append(start + len(word))
                pos += size + 1
                continue
            left, quote, right = word.partition("'" if "'" in word else "’")
            if quote and left.isalnum() and right.isalnum():
                raws.append(left)
                raws.append(right)
                starts.append(start)
                starts.append(start + len(left) + 1)
                ends.append(start + len(left))
                ends.append(start + len(word))
                pos += size + 1
                continue
            at = pos
            # separator, word, separator, word, ..., separator
            for k, piece in enumerate(split_words(part)):
                if k % 2:
                    raws.append(piece)
                    starts.append(at)
                    ends.append(at + len(piece))
                at += len(piece)
        pos += size + 1
    return tuple(raws), tuple(starts), tuple(ends)


def word_starts(text: str) -> tuple[int, ...]:
    """Where each word of ``text`` starts (a word as ``normalise`` reads it: a run of letters and digits)."""
    return _split(text)[1]


class WordBounds(NamedTuple):
    """Where the words of a text (runs of letters and digits, as ``normalise`` reads them) start and end: the words
    of any slice are counted by two bisections, not by a scan of the slice (the scope tests count the words of many
    gaps of one report, some of them long in a report without sentence ends)."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def within(self, start: int, end: int) -> int:
        """The words of ``text[start:end]``, a word cut by either end counted too: what
        ``len(re.findall(r"[^\\W_]+", text[start:end]))`` gives."""
        if end <= start:
            return 0
        # the words that end after ``start`` and begin before ``end``: words are disjoint and in order
        return max(0, bisect_left(self.starts, end) - bisect_right(self.ends, start))


def word_bounds(text: str) -> WordBounds:
    """The ``WordBounds`` of ``text`` (cached with the words of the last texts normalised)."""
    _, starts, ends = _split(text)
    return WordBounds(starts, ends)


def word_count(text: str, start: int, end: int) -> int:
    """The number of words in ``text[start:end]`` (``WordBounds.within``)."""
    return word_bounds(text).within(start, end)


def normalise(text: str) -> NormalisedText:
    """Split ``text`` into words with their offsets and matching keys.

    >>> normalise("Métastases hépatiques").keys
    ('metastase', 'hepatique')
    """
    raws, starts, ends = _split(text)
    # the key is cached per word (``word_key``): a report repeats most of its words, looked up here without a call
    keys = _KEYS
    return NormalisedText(text, starts, ends, raws, tuple([keys.get(w) or word_key(w) for w in raws]))


def exact_keys(raws: tuple[str, ...]) -> tuple[str, ...]:
    """The case-kept keys of some words (``NormalisedText.exacts`` of a slice of ``raws``)."""
    return tuple(map(_strip_accents, raws))
