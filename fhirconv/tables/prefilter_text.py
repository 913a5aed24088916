"""The per-text state of the prefilter (``prefilter.py``): the text as the patterns search it, plain and folded
(``_Hay``, ``_Text``, ``_text``), which needles it holds, and its word-start index (``_word_index``,
``_word_starts``, ``_by_third``, ``_at_word_start``), with the checks of candidate starts (``_checked``).

Why a module of its own: a report is scanned by some 300 table patterns, and what they ask of it is computed once
for all of them, here, not once per pattern.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from ..normalise import word_starts
from .prefilter_needles import _fold
from .prefilter_starts import _Checks, _Tails


class _Hay:
    """What the patterns of one case rule find in one text, computed once for all of them: the text as they search it
    (``hay``: folded when the patterns ignore case), which needles it holds, its word-start index."""

    def __init__(self, hay: str) -> None:
        self.hay = hay
        # needle -> whether ``hay`` contains it, filled as patterns ask (threads may both fill one entry: same value)
        self.needles: dict[str, bool] = {}
        self.words: dict[int, list[int]] | None = None  # ``_word_starts``, built on the first ask that may use it
        # two-character key -> ``_by_third`` of its words, built for the keys patterns ask for
        self.thirds: dict[int, dict[int, list[int]]] = {}
        # needle -> whether a word of the text starts with it (``_at_word_start``), as ``needles``
        self.word_needles: dict[str, bool] = {}


class _Text:
    """The per-text state of every pattern (``_text``): the folded and plain ``_Hay``, the candidate starts by spec
    id (``shared``), whether a pattern asked for the word index already (``_word_index``).

    Why one object: a report is scanned by some 300 pattern calls, and each looked its text up in four or five
    ``lru_cache`` memos (folded copy, needles, word index, shared starts, third index): ~1 M instructions per report
    in the cache calls alone, compiled."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._folded: _Hay | None = None
        self.plain = _Hay(text)
        # spec id -> the candidate starts of ``text`` (threads may both fill one entry: same value)
        self.shared: dict[int, list[int]] = {}
        self.asked = False
        # (spec id of the candidates, spec id of the tails) -> the candidates the tails allow (``_tailed``)
        self.tailed: dict[tuple[int, int], list[int]] = {}

    @property
    def folded(self) -> _Hay:
        found = self._folded
        if found is None:
            found = self._folded = _Hay(_fold(self.text))  # one folded copy per text, shared by every pattern
        return found

    def hay(self, fold: bool) -> _Hay:
        return self.folded if fold else self.plain


_TEXTS: tuple[_Text, ...] = ()  # the states of the last texts, last used first (a new tuple each time: thread-safe)
_MAX_TEXTS = 8


def _text(text: str) -> _Text:
    """The state of ``text``: found by identity among the last texts (the report is the same string object in every
    stage), else made (an equal string that is another object gets a state of its own: only a recomputation)."""
    global _TEXTS
    texts = _TEXTS
    if texts and texts[0].text is text:  # the report being converted
        return texts[0]
    for k, state in enumerate(texts):
        if state.text is text:
            _TEXTS = (state, *texts[:k], *texts[k + 1 :])  # the last used first, as an LRU cache
            return state
    state = _Text(text)
    _TEXTS = (state, *texts[: _MAX_TEXTS - 1])
    return state


def folded_words(text: str) -> tuple[str, dict[int, list[int]]] | None:
    """The folded copy of ``text`` and its word-start index (``_word_starts``, keys by ``_key``; lists read only), when
    the table patterns have built them for this text and folding kept its length; else None (nothing is built)."""
    texts = _TEXTS
    state = texts[0] if texts and texts[0].text is text else next((t for t in texts if t.text is text), None)
    hay = state._folded if state is not None else None
    if hay is None or hay.words is None or len(hay.hay) != len(text):
        return None
    return hay.hay, hay.words


_WORD_START = re.compile(r"\b\w")


def _word_index(state: _Text, hay: _Hay) -> dict[int, list[int]] | None:
    """The word-start index of the text, from the second pattern that scans it on: building it costs a pass over the
    text, which pays for the report scanned by dozens of table patterns, not for a sentence searched by one."""
    if not state.asked:
        state.asked = True
        return None
    words = hay.words
    if words is None:
        words = hay.words = _word_starts(state.text, hay.hay)
    return words


_FEW_WORDS = 24  # a needle is tested at each word of its two-character key when it has at most this many


def _at_word_start(hay: _Hay, words: dict[int, list[int]], needle: str) -> bool:
    """Whether a word of the text starts with ``needle`` (three characters at least), or, when that would cost more
    than a scan, whether ``hay`` holds it at all (a sound "maybe"): one or two lookups in the word index (and its
    per-key index of three characters, when patterns built it), not a scan of the whole text."""
    seen = hay.word_needles
    found = seen.get(needle)
    if found is None:
        key = _key(needle)
        at = words.get(key)
        if not at:
            found = False
        else:
            by_head = hay.thirds.get(key)
            if by_head is not None:
                at = by_head.get(ord(needle[2]))
            if not at:
                found = False
            elif len(at) <= _FEW_WORDS:
                found = _starts_a_word(hay.hay, needle, at)
            else:
                found = needle in hay.hay
        seen[needle] = found
    return found


def _starts_a_word(hay: str, needle: str, at: list[int]) -> bool:
    """Whether ``needle`` starts at one of the offsets ``at`` of ``hay``: a str.find bounded to the needle at each
    (a C call, compiled: ``startswith`` with a start offset is a generic method call there, and a ``map`` of it made
    three iterator objects per ask)."""
    n = len(needle)
    for i in at:
        if hay.find(needle, i, i + n) == i:
            return True
    return False


def _starting(hay: str, literals: tuple[str, ...], at: list[int]) -> list[int]:
    """The offsets of ``at`` where one of ``literals`` starts in ``hay``, in order (bounded str.find calls, as in
    ``_starts_a_word``)."""
    out: list[int] = []
    for i in at:
        for s in literals:
            if hay.find(s, i, i + len(s)) == i:
                out.append(i)
                break
    return out


def _key(s: str) -> int:
    """The word index key of ``s``: its first two characters (the first one alone for a one-character ``s``) as one
    int, so that building the index slices and hashes no string per word of the text (measured: 0.8 k instructions
    a word compiled, most of it the two-character slice and its hash)."""
    return ord(s[0]) << 21 | ord(s[1]) if len(s) > 1 else ord(s[0])


def _word_starts(text: str, hay: str) -> dict[int, list[int]]:
    """First two characters, and first character (of ``hay``, as ``_key`` codes them) -> the offsets where a word of
    ``text`` starts with them: where a pattern opening with ``\\b`` and a letter can match (``\\b`` is judged on
    ``text``, the string the regex runs on). Two characters: "de", "en", "et" ... would each try every word starting
    with "d" or "e"."""
    # a \b\w position starts a run of \w: without "_" (a \w character that normalise does not count as a letter),
    # the runs are normalise's words, whose starts the pipeline has just computed for this report (cached)
    starts = word_starts(text) if "_" not in text else [m.start() for m in _WORD_START.finditer(text)]
    index: dict[int, list[int]] = {}  # (a plain dict: a defaultdict's lookup costs more per word compiled)
    last = len(hay) - 1
    for i in starts:
        key = ord(hay[i]) << 21 | ord(hay[i + 1]) if i < last else ord(hay[i])
        found = index.get(key)
        if found is None:
            index[key] = [i]
        else:
            found.append(i)
    # one character: the union of its two-character keys (one pass over the few hundred keys, not over the words);
    # a key of one character already there is a one-letter word ending the text.
    for key, at in list(index.items()):
        if key >> 21:
            one = index.get(key >> 21)
            if one is None:
                index[key >> 21] = list(at)
            else:
                one.extend(at)
    # sorted, as the two-character lists already are (one sort of a few runs per key and report): a pattern with one
    # key then takes its list as it is, with no set and no sort of its own
    for key, at in index.items():
        if not key >> 21:
            at.sort()
    return index


def _by_third(hay: str, at: Iterable[int]) -> dict[int, list[int]]:
    """The offsets ``at`` (of words with one two-character key) by the code of their third character (-1: none),
    each list sorted, as ``at`` is."""
    groups: dict[int, list[int]] = {}
    last = len(hay) - 2
    for i in at:
        head = ord(hay[i + 2]) if i < last else -1
        found = groups.get(head)
        if found is None:
            groups[head] = [i]
        else:
            found.append(i)
    return groups


def _is_word(c: str) -> bool:
    # re's Unicode \w
    return c.isalnum() or c == "_"


def _checked(text: str, starts: list[int], checks: _Checks) -> list[int]:
    """The offsets of ``starts`` where ``checks`` (``start_checks``) hold in ``text``."""
    boundary, before, word_before, ahead = checks
    n = len(text)
    out: list[int] = []
    for p in starts:
        prev_word = False
        if p:
            c = text[p - 1]
            if c in before:
                continue
            prev_word = _is_word(c)
            if word_before and prev_word:
                continue
        if boundary and prev_word == (p < n and _is_word(text[p])):
            continue
        kept = True
        for lo, hi, chars in ahead:
            k, last = p + lo, min(p + hi, n - 1)
            while k <= last and text[k] not in chars:
                k += 1
            if k > last:
                kept = False
                break
        if kept:
            out.append(p)
    return out


def _tailed(text: str, hay: str, starts: list[int], tails: _Tails) -> list[int]:
    """The offsets of ``starts`` (sorted) where ``tails`` (``start_tails``) may hold: an occurrence of a tail in
    ``hay`` after a run of at least ``low`` run characters that may begin ``lo`` to ``hi`` characters after the
    offset. Found from the tails' occurrences back (the years of a report: a few), not tested at each start; when the
    tails are found more than half as often as ``starts`` hold offsets, ``starts`` itself: each occurrence costs about
    what a try does (counted first, in C: "an" of "deux ans" is in a hundred words of a report)."""
    lo, hi, chars, low, literals = tails
    budget = len(starts) // 2
    for literal in literals:
        budget -= hay.count(literal)
        if budget < 0:
            return starts
    kept: set[int] = set()
    for literal in literals:
        i = hay.find(literal)
        while i >= 0:
            j = i
            while j and text[j - 1] in chars:  # the run before the tail (its characters are read in the text)
                j -= 1
            if i - j >= low:
                # the run between the opening and the tail begins at j or later, and leaves ``low`` characters
                first, last = bisect_left(starts, j - hi), bisect_right(starts, i - low - lo)
                if first < last:
                    kept.update(starts[first:last])
            i = hay.find(literal, i + 1)
    return sorted(kept)


def _run_start(text: str, i: int) -> int:
    """Where the run of word characters (re's \\w: letters, digits, "_") that ends at ``i`` starts."""
    while i and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return i
