"""A table regex that skips texts which cannot contain a match.

Why: the cue, date and context tables hold a few hundred regexes, each scanned over the whole report
(``finditer``); that was the largest cost of the mention stage, although most cues ("suspicion de", "sa mère",
"antécédent de") are absent from a given report. Python's ``re`` cannot skip ahead itself: the patterns start with
``\\b`` and are case-insensitive, which turns off its literal-prefix search.

How: from the parsed pattern, a set of literal strings of which every match must contain one (the most selective
such set found in the pattern's required items); a text that contains none of them (case-folded, when the pattern
ignores case) has no match, and the scan is skipped. The test is sound by construction: literals are only taken
from items every match goes through (not from optional parts or alternatives that lack one), and case folding
follows ``re``'s own equivalences (``re._casefix``). ``tests/test_prefilter.py`` checks it against the plain regex.

Where: this module holds ``Prefiltered`` and the helpers callers search rows of table regexes with (``present``,
``windowed``, ``first_match``, ``searches``, ``found_in_slice``); the analysis of a pattern into literals is in
``prefilter_needles.py`` (run once per pattern), the per-text state the patterns share (folded copy, needles held,
word-start index) in ``prefilter_text.py`` (computed once per text).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain, repeat
from operator import methodcaller
from typing import Any

from .prefilter_needles import (
    _by_head,
    anchor_literals,
    necessary_literals,
    run_literals,
    starts_at_word,
    word_necessary_literals,
    word_prefixes,
)
from .prefilter_needles import _fold as _fold  # (the tests' name)
from .prefilter_needles import _spaces as _spaces  # (the tests' name)
from .prefilter_starts import _Checks, start_checks, start_gates, start_tails
from .prefilter_text import (
    _at_word_start,
    _by_third,
    _checked,
    _Hay,
    _key,
    _run_start,
    _starting,
    _tailed,
    _Text,
    _text,
    _word_index,
)
from .prefilter_text import _word_starts as _word_starts  # (the tests' name)

__all__ = ["Prefiltered", "first_match", "found_in_slice", "necessary_literals", "present", "searches", "windowed"]

# candidates: fewer are tried at once, cheaper than finding the tails (a scan of the report each, ~5,000 instructions
# compiled, where a try costs ~1,500). Measured with 8: the tails of the cue and relative rules cost 0.3 M instructions
# a report more than the tries they saved; the year row of the dates, a hundred-odd "de", "en", "à" a report, pays.
_MIN_TAILED = 32

MIN_TEXT = 400  # shorter strings are scanned directly: folding them would cost more than the scan
_START = methodcaller("start")


# a decimal digit (\d) that is not 0-9: one search in C, no loop per digit. Every such digit is at U+0660 or above:
# the range tested first spares the Unicode category lookup of every other character (3x faster than "[^\D0-9]")
_OTHER_DIGIT = re.compile("[^\\x00-\u065f\\D]")


@lru_cache(maxsize=8)
def _other_digits(text: str) -> bool:
    """True if ``text`` has a decimal digit other than 0-9 (Arabic-Indic, fullwidth ...), which ``\\d`` matches."""
    return _OTHER_DIGIT.search(text) is not None


# Patterns of several tables look for the same starts (the digits of the date rows, the months, "pendant" of the
# frequency rows, "T1".."T4" of the TNM rows): each way of finding starts gets an id at compile time, and a text's
# candidates are computed once per id (``_Text.shared``), not once per pattern.
# The ids are this process's: a Prefiltered pickles its specs, not their ids, and gets this process's ids back when
# unpickled (the tables cache). A pickled id met a pattern compiled at run time (build/common.py match_starts) that
# drew the same number for another spec, and took its candidates: the cached tables converted differently.
_SPEC_IDS: dict[Any, int] = {}
_SPECS: list[Any] = []  # id -> spec
_SPEC_ATTRS = frozenset({"_spec_anchor", "_spec_words", "_spec_starts", "_spec_run", "_spec_checked", "_spec_tailed"})
_SPEC_LOCK = threading.Lock()


def _spec_id(spec: Any) -> int:
    with _SPEC_LOCK:  # patterns may be compiled at run time, in threads
        found = _SPEC_IDS.get(spec)
        if found is None:
            found = _SPEC_IDS[spec] = len(_SPECS)
            _SPECS.append(spec)
        return found


# the attributes of a Prefiltered, in the order __reduce__ pickles them (a module constant: the compiled build,
# setup.py, reads no __slots__ through the class)
_ATTRS = (
    "regex",
    "pattern",
    "flags",
    "_needles",
    "_starts",
    "_fold",
    "_last",
    "_at_word",
    "_digits",
    "_word_keys",
    "_anchor",
    "_cands",
    "_spec_anchor",
    "_spec_words",
    "_spec_starts",
    "_find",
    "_covered",
    "_run",
    "_spec_run",
    "_word_needles",
    "_checks",
    "_spec_checked",
    "_tails",
    "_spec_tailed",
)


class Prefiltered:
    """A compiled regex (same ``finditer`` / ``search`` / ``match`` / ``fullmatch``) that skips a long text
    holding none of its necessary literals."""

    __slots__ = _ATTRS

    def __init__(self, regex: re.Pattern[str], state: tuple[Any, ...] | None = None) -> None:
        if state is not None:  # unpickled (__reduce__, the tables cache): the analysis below is in ``state``
            for name, value in zip(_ATTRS, state):
                setattr(self, name, _spec_id(value) if name in _SPEC_ATTRS else value)
            return
        self.regex = regex
        self.pattern = regex.pattern
        self.flags = regex.flags
        self._needles = necessary_literals(regex)
        # literals one of which starts a word in every match: looked up in the word index (``_absent``)
        self._word_needles = word_necessary_literals(regex)
        self._fold = bool(regex.flags & re.IGNORECASE)
        self._last: tuple[str, bool] = ("", False)  # the verdict on the last text (windowed searches repeat it)
        # every match starts with one of these: only their occurrences are tried. Even one frequent letter ("a" of
        # "a été", "n" of "n'a pas") pays: finding its occurrences is a C loop, and re's scanner otherwise tries the
        # whole pattern at every position of the text (measured: cue and date patterns 3x faster)
        digits = [False]
        starts = necessary_literals(regex, prefix=True, digits=digits)
        # a literal at a short, bounded distance into every match, when it is more selective than the starts: only
        # the few offsets before its occurrences are tried ("pT2N0": the "T2", not every "p" of the text)
        anchor = anchor_literals(regex, digits)
        if anchor is not None and starts and min(map(len, anchor[0])) <= min(map(len, starts)):
            anchor = None
        self._anchor = anchor
        self._starts = starts or None
        # no start and no anchor: perhaps a literal after an opening word run ("\b\w+ectomie")
        self._run = run_literals(regex) if not starts and anchor is None else None
        self._cands: tuple[str, list[int]] = ("", [])  # the candidate starts of the last text (_candidates)
        # starts read from \\d hold the ASCII digits only: a text with another Unicode digit is scanned in full
        self._digits = digits[0] and not regex.flags & re.ASCII
        # "\\ba\\s+été": an "a" that starts a word; a per-text index of word starts saves trying every other "a"
        # (case-insensitive patterns only: they share the folded text's index; the few case-sensitive ones, "\\bG1",
        # start with a capital, rare enough for find())
        self._at_word = (
            self._fold
            and starts is not None
            and all(s[0].isalnum() and s[0] < "\u0250" for s in starts)
            and starts_at_word(regex)
        )
        # the starts by their first two characters (the keys of the word index): one lookup per key, then, unless a
        # start is the key itself, one startswith of all the longer starts at each word ("décembre", "déc."...)
        # (the one-letter starts extended by the character after them: "a " of "\\ba\\s+été", not every word in "a")
        groups: dict[str, set[str]] = {}
        for s in (word_prefixes(regex) if self._at_word else None) or starts or ():
            groups.setdefault(s[:2], set()).add(s)
        # the longer starts of a key by their first three characters in turn ("pro" of "proposé"), which a per-text
        # index of the key's words looks up (``_Hay.thirds``): not one startswith per word with the key ("pr")
        # and per pattern ("de" starts hundreds of words). A key of one character is a start itself: None.
        self._word_keys = tuple(
            (_key(key), None if key in group else _by_head(group)) for key, group in sorted(groups.items())
        )
        # (with the case rule: a case-sensitive pattern looks in the text, not in its folded copy)
        self._spec_anchor = _spec_id(("anchor", self._fold, anchor))
        self._spec_words = _spec_id(("words", self._fold, self._word_keys))
        # the find path: a start that begins with a shorter one adds no offset ("1er" after "1"); when every start
        # left is one character (the digits of the date rows), one character class finds them all, in order, in C
        needles = frozenset(s for s in starts or () if not any(t != s and s.startswith(t) for t in starts or ()))
        self._find: tuple[str, ...] | re.Pattern[str] = tuple(sorted(needles))
        self._checks: _Checks | None = None
        if needles and all(len(n) == 1 for n in needles):
            # (the offsets of one-character starts by one find loop each, in C: the digits of the date rows; a
            # finditer of their class made a match object per digit, 2.5x the cost)
            # a comma that must go on with blanks and a literal (", et on", ", finalement exclu"): the finder is the
            # comma and what must follow it (``start_gates``), so the commas before anything else are not tried
            gated = start_gates(regex, needles) if not self._at_word else {}
            if needles == gated.keys():
                self._find = re.compile("|".join(gated[n].pattern for n in sorted(needles)))
            elif not self._at_word and anchor is None:
                # the starts found, what must hold around them (``start_checks``): the digits of a report are a
                # hundred, a date's day starts at a few of them
                checked = [False]
                self._checks = start_checks(regex, checked)
                self._digits = self._digits or (checked[0] and not regex.flags & re.ASCII)
        self._spec_starts = _spec_id(("starts", self._fold, needles, self._find))
        self._spec_checked = _spec_id(("checked", self._spec_starts, self._checks))
        self._spec_run = _spec_id(("run", self._fold, self._run))
        # what every match has after its opening words, found back from its tail (``start_tails``): the year after
        # "de", "en", "à" ... of a date row, where the words a match may start at are a hundred in a report
        self._tails = start_tails(regex) if self._starts is not None or anchor is not None else None
        self._spec_tailed = _spec_id(("tailed", self._tails))
        # every start holds a necessary literal ("pas" of "\\bpas\\s+de\\b"): a text with none has no candidate start
        # either, and the candidates of a word-start pattern are a few index lookups, cheaper than the text searches
        # of ``_absent`` (which ``finditer`` then skips)
        prefixes = [p for group in groups.values() for p in group] + list(starts or ())
        self._covered = bool(
            self._at_word
            and anchor is None
            and self._needles
            and all(any(n in p for n in self._needles) for p in prefixes)
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled with its analysis (unpickling must not redo it: 0.1 s for the tables' 200 patterns). Through the
        # constructor: instances of the compiled build's classes (setup.py) can be made no other way.
        state = tuple(_SPECS[getattr(self, name)] if name in _SPEC_ATTRS else getattr(self, name) for name in _ATTRS)
        return (Prefiltered, (self.regex, state))

    def _absent(self, text: str) -> bool:
        if self._needles is None or len(text) < MIN_TEXT:
            return False
        last = self._last  # one tuple, replaced whole: safe when threads share the tables
        if last[0] is text:
            return last[1]
        whole = _text(text)
        state = whole.hay(self._fold)
        if self._word_needles is not None and len(state.hay) == len(text):
            words = _word_index(whole, state)
            if words is not None:
                for literals in self._word_needles:
                    if not any(_at_word_start(state, words, n) for n in literals):
                        self._last = (text, True)
                        return True
                if self._needles in self._word_needles:  # (found at a word start: no need to look for it again)
                    self._last = (text, False)
                    return False
        absent = self._scan(state)
        self._last = (text, absent)
        return absent

    def _contained(self, text: str) -> bool:
        """Whether ``text`` holds one of the necessary literals anywhere (True for a short text): the test for callers
        that search slices of ``text`` as strings of their own, where a match may start inside a word of ``text``
        (its ``\\b`` judged at the slice's start), which the word-start test of ``_absent`` would miss."""
        if self._needles is None or len(text) < MIN_TEXT:
            return True
        return not self._scan(_text(text).hay(self._fold))

    def _scan(self, state: _Hay) -> bool:
        """True if ``state.hay`` holds none of the necessary literals."""
        hay = state.hay
        seen = state.needles  # patterns share needles (the months, "pas", "été"): each is looked for once
        absent = True
        for needle in self._needles or ():  # (callers test for None first)
            found = seen.get(needle)
            if found is None:
                found = seen[needle] = needle in hay
            if found:
                absent = False
                break
        return absent

    def finditer(self, text: str, *args: Any) -> Iterator[re.Match[str]]:
        # (the window's parts passed one by one: a call with ``*window`` went through the generic Python call path,
        # compiled, not the direct one)
        if self._covered:
            window = self._window(text, args)
            if window is not None:
                state, hay, pos, endpos = window
                return iter(self._at_starts(text, state, hay, pos, endpos))
        if self._absent(text):
            return iter(())
        window = self._window(text, args)
        if window is not None:
            state, hay, pos, endpos = window
            return iter(self._at_starts(text, state, hay, pos, endpos))
        return self.regex.finditer(text, *args)

    def _window(self, text: str, args: tuple[Any, ...]) -> tuple[_Text, _Hay, int, int] | None:
        """(the text's state, the text as searched, pos, endpos) when the match starts of ``text`` can be tried from
        the candidates, else None (no starts known, a short text, another Unicode digit, folding that changed the
        length, odd bounds)."""
        if (
            (self._starts is None and self._anchor is None and self._run is None)
            or len(text) < MIN_TEXT
            or (self._digits and _other_digits(text))
        ):
            return None
        n = len(text)
        if not args:
            pos, endpos = 0, n
        elif len(args) == 2 and type(args[0]) is int and type(args[1]) is int and 0 <= args[0] <= args[1] <= n:
            pos, endpos = args  # a window of the text (the usual call: a sentence, a clause)
        else:
            return None
        state = _text(text)
        hay = state.hay(self._fold)
        if len(hay.hay) != n:  # folding changed the length: offsets in hay are not offsets in text
            return None
        return state, hay, pos, endpos

    def _candidates(self, state: _Text, hay: _Hay) -> list[int]:
        """Every offset where a match may start, sorted; kept for the last text, whose windows are searched next."""
        text = state.text
        last = self._cands  # one tuple, replaced whole: safe when threads share the tables
        if last[0] is text:
            return last[1]
        words = _word_index(state, hay) if self._at_word else None
        spec = (
            self._spec_anchor
            if self._anchor is not None
            else self._spec_run
            if self._run is not None
            else self._spec_words
            if words is not None
            else self._spec_starts
        )
        shared = state.shared
        found = shared.get(spec)
        if found is None:
            found = shared[spec] = self._find_starts(text, hay.hay, words, hay.thirds)
        checks = self._checks
        base = spec  # (the spec whose candidates ``found`` are)
        if checks is not None and spec == self._spec_starts:
            base = self._spec_checked
            # (patterns with the same starts and the same checks share the result too)
            checked = shared.get(self._spec_checked)
            if checked is None:
                checked = shared[self._spec_checked] = _checked(text, found, checks)
            found = checked
        tails = self._tails
        if tails is not None and len(found) >= _MIN_TAILED:
            # (patterns with the same starts and the same tails share the result: keyed by both)
            key = (base, self._spec_tailed)
            tailed = state.tailed.get(key)
            if tailed is None:
                tailed = state.tailed[key] = _tailed(text, hay.hay, found, tails)
            found = tailed
        self._cands = (text, found)
        return found

    def _find_starts(
        self, text: str, hay: str, words: dict[int, list[int]] | None, thirds: dict[int, dict[int, list[int]]]
    ) -> list[int]:
        """The candidate starts of ``_candidates``: around the anchor's occurrences, at the words starting with a
        start (``words``: the word index), or at every occurrence of a start."""
        starts: set[int] = set()
        if self._run is not None:
            for needle in self._run:
                i = hay.find(needle, 1)
                while i >= 0:
                    start = _run_start(text, i)  # word characters judged on the text, as re's \w and \b are
                    if start < i:  # the \w+ takes one character at least
                        starts.add(start)
                    i = hay.find(needle, i + 1)
        elif self._anchor is not None:
            literals, lo, hi = self._anchor
            for needle in literals:
                i = hay.find(needle)
                while i >= 0:
                    starts.update(range(max(0, i - hi), i - lo + 1))
                    i = hay.find(needle, i + 1)
        elif words is not None:
            runs = []
            one_letter = False  # a one-character key's words include those of its two-character keys
            for key, heads in self._word_keys:
                at = words.get(key)
                if not at:
                    continue
                if heads is None:
                    runs.append(at)
                    one_letter = one_letter or not key >> 21
                    continue
                by_head = thirds.get(key)  # (threads may both build one entry: same value)
                if by_head is None:
                    by_head = thirds[key] = _by_third(hay, at)
                for head, longer in heads:
                    sub = by_head.get(head)
                    if sub:
                        # the words with the head that also start with a longer start
                        runs.append(sub if longer is None else _starting(hay, longer, sub))
            if len(runs) == 1:  # sorted and distinct already: the index's list, read only (shared by the patterns)
                return runs[0]
            if not one_letter:
                # the words of distinct heads: disjoint sorted runs, which one sort merges (no set of them all)
                merged = list(chain.from_iterable(runs))
                merged.sort()
                return merged
            for run in runs:
                starts.update(run)
        elif isinstance(self._find, re.Pattern):
            return list(map(_START, self._find.finditer(hay)))
        else:
            # no offset is found twice: no needle starts with another one
            found: list[int] = []
            for needle in self._find:
                i = hay.find(needle)
                while i >= 0:
                    found.append(i)
                    i = hay.find(needle, i + 1)
            found.sort()
            return found
        return sorted(starts)

    def _at_starts(self, text: str, state: _Text, hay: _Hay, pos: int, endpos: int) -> list[re.Match[str]]:
        """What ``finditer(text, pos, endpos)`` yields, trying only where a match can start: leftmost first, then
        from its end (``match`` with the same ``endpos`` sees the text as ``finditer`` does, lookbehinds included).
        A list, made by one call: a caller of ``finditer`` takes every match (most patterns have none or one in a
        report), and a generator cost its object, a resumption per match and the iterators it was made of."""
        cands = self._candidates(state, hay)
        if pos == 0 and endpos == len(text):  # the whole text (the usual call): every candidate, no bisection
            lo, hi = 0, len(cands)
        else:
            lo, hi = bisect.bisect_left(cands, pos), bisect.bisect_right(cands, endpos)
        found: list[re.Match[str]] = []
        match = self.regex.match
        end = pos
        for k in range(lo, hi):
            # a candidate inside the match kept before it is not tried: finditer goes on from a match's end
            if cands[k] >= end:
                m = match(text, cands[k], endpos)
                if m is not None:
                    found.append(m)
                    end = m.end()
        return found

    def search(self, text: str, *args: Any) -> re.Match[str] | None:
        if self._absent(text):
            return None
        # re itself, also in a window: it stops at the first match, and a search is mostly one call in a short window
        # of a report that no other window of this pattern follows (measured: the candidates cost more, in sum)
        return self.regex.search(text, *args)

    def may_match(self, text: str, pos: int, endpos: int) -> bool:
        """False when no match lies in ``text[pos:endpos]`` for sure (``finditer(text, pos, endpos)``, or a search of
        the slice as a string of its own): the window holds none of the necessary literals. For a caller that searches
        a short window around each of many mentions: a few finds in C, where ``finditer`` and ``found_in_slice`` made
        the candidate starts of the whole report (of ordinary_word: its every "de" and digit) on the first window."""
        needles = self._needles
        if needles is None or len(text) < MIN_TEXT:
            return True
        hay = _text(text).hay(self._fold).hay
        if len(hay) != len(text):  # folding changed the length: offsets in hay are not offsets in text
            return True
        # (a find per literal in the window: one regex of them all cost twice as much, and a test of each literal on
        # the whole report first, more than the finds it saves; measured compiled)
        for needle in needles:
            if hay.find(needle, pos, endpos) >= 0:
                return True
        return False

    def window_candidates(self, text: str) -> list[int] | None:
        """Every offset of ``text`` where a match may start (sorted), or None when they are not known (see
        ``_window``): for a caller that searches many windows of one report, to skip the windows with none."""
        window = self._window(text, ())
        return None if window is None else self._candidates(window[0], window[1])

    def match(self, text: str, *args: Any) -> re.Match[str] | None:
        return self.regex.match(text, *args)

    def fullmatch(self, text: str, *args: Any) -> re.Match[str] | None:
        return self.regex.fullmatch(text, *args)

    def findall(self, text: str, *args: Any) -> list[Any]:
        if self._absent(text):
            return []
        return self.regex.findall(text, *args)

    @property
    def groupindex(self) -> Any:
        return self.regex.groupindex

    def __repr__(self) -> str:
        return f"Prefiltered({self.regex!r}, needles={sorted(self._needles) if self._needles else None})"


_PRESENT: dict[int, tuple[Any, str, list[tuple[Any, Any]]]] = {}


def present(rows: list[tuple[Any, Any]], text: str) -> list[tuple[Any, Any]]:
    """The (pattern, row) pairs of a table whose pattern may match somewhere in ``text``: for the callers that search
    many small windows of one report with every row, so that absent patterns are dropped once, not per window."""
    last = _PRESENT.get(id(rows))  # the entry holds ``rows`` itself, so its id cannot be reused by another list
    if last is not None and last[0] is rows and last[1] is text:
        return last[2]
    # the plain compiled regexes: the windows searched next need no prefilter of their own
    kept = [
        (p.regex if isinstance(p, Prefiltered) else p, r)
        for p, r in rows
        if not (isinstance(p, Prefiltered) and not p._contained(text))  # (the caller may search slices)
    ]
    _PRESENT[id(rows)] = (rows, text, kept)
    return kept


_WINDOWED: dict[int, tuple[Any, str, list[tuple[Any, Any, list[int] | None]]]] = {}


def windowed(rows: list[tuple[Any, Any]], text: str) -> list[tuple[Any, Any, list[int] | None]]:
    """The (regex, row, starts) of the rows of a table that may match in a window of ``text``, ``starts`` being each
    pattern's candidate starts in ``text`` (None: not known). A caller searching a window ``[pos, endpos]`` skips a
    row with no start in it (one bisection), and searches from the first one: no earlier offset can start a match,
    and lookbehinds see the text before ``pos`` either way.

    A row is kept unless the text cannot hold a match (``_absent``, as ``search`` asks of a window: mostly a lookup
    of its literals in the word index, where the test of ``_contained`` scanned the report for each literal no
    other pattern had asked for) or it has no start (it cannot match in any window). ``found_in_slice`` searches
    slices, whose first character may start a match where the text has no start: ``_sliced``."""
    last = _WINDOWED.get(id(rows))  # as in ``present``: the entry holds ``rows`` itself
    if last is not None and last[0] is rows and last[1] is text:
        return last[2]
    kept: list[tuple[Any, Any, list[int] | None]] = []
    for p, r in rows:
        if not isinstance(p, Prefiltered):
            kept.append((p, r, None))
        elif not p._absent(text):
            starts = p.window_candidates(text)
            if starts is None or starts:
                kept.append((p.regex, r, starts))
    _WINDOWED[id(rows)] = (rows, text, kept)
    return kept


_SLICED: dict[int, tuple[Any, str, list[tuple[Any, Any, list[int] | None]]]] = {}


def _sliced(rows: list[tuple[Any, Any]], text: str) -> list[tuple[Any, Any, list[int] | None]]:
    """``windowed`` for ``found_in_slice``: a row is kept when the text holds one of its literals anywhere (a slice
    that starts inside a word may match there, its ``\\b`` judged at its first character), even with no start."""
    last = _SLICED.get(id(rows))  # as in ``present``: the entry holds ``rows`` itself
    if last is not None and last[0] is rows and last[1] is text:
        return last[2]
    kept = [
        (p.regex, r, p.window_candidates(text)) if isinstance(p, Prefiltered) else (p, r, None)
        for p, r in rows
        if not (isinstance(p, Prefiltered) and not p._contained(text))
    ]
    _SLICED[id(rows)] = (rows, text, kept)
    return kept


def first_match(regex: re.Pattern[str], text: str, starts: list[int], pos: int, endpos: int) -> re.Match[str] | None:
    """What ``regex.search(text, pos, endpos)`` finds, ``starts`` being every offset where a match may start
    (``windowed``): None at once when the window holds none (most rows, for most windows), else tried only from the
    first one."""
    lo = bisect.bisect_left(starts, pos)
    if lo == len(starts) or starts[lo] > endpos:
        return None
    hi = bisect.bisect_right(starts, endpos, lo)
    if hi - lo > _FEW_STARTS:
        # several starts: re's own scan from the first one costs less than a match call at each
        return regex.search(text, starts[lo], endpos)
    # search tries each position in turn with the match it would make there: the first that matches is its result
    for k in range(lo, hi):
        m = regex.match(text, starts[k], endpos)
        if m is not None:
            return m
    return None


_FEW_STARTS = 2  # at most this many candidate starts in a window are tried one by one (``first_match``)


def searches(rows: list[tuple[Any, Any]], text: str, pos: int, endpos: int) -> Iterator[re.Match[str] | None]:
    """``pattern.search(text, pos, endpos)`` for each pattern of ``rows`` that may match in ``text`` (in order,
    lazily: ``any`` stops at the first hit), tried at the pattern's candidate starts in the window only (``windowed``,
    ``first_match``): the date rules ask this of every sentence that holds a date."""
    for regex, _, starts in windowed(rows, text):
        yield regex.search(text, pos, endpos) if starts is None else first_match(regex, text, starts, pos, endpos)


def found_in_slice(rows: list[tuple[Any, Any]], text: str, start: int, end: int) -> bool:
    """``any(pattern.search(text[start:end]) for pattern, _ in rows)``, trying each pattern at its candidate starts
    in ``text`` (``_sliced``) that lie in the slice. Not one pattern when the slice holds none of their literals
    (most windows of a few words: no ``_sliced``, whose candidate starts cost more than the windows of a report)."""
    for p, _ in rows:
        if not isinstance(p, Prefiltered) or p.may_match(text, start, end):
            break
    else:
        return False
    part = text[start:end]
    for regex, _, starts in _sliced(rows, text):
        if starts is None:
            if regex.search(part):
                return True
            continue
        # the slice is a string of its own: a match may start at its first character where the text has no candidate
        # (a \b or a lookbehind there sees the text's character before it), so that offset is always tried; at any
        # other offset the slice's characters, and the ones before them, are the text's, and so are the starts
        lo, hi = bisect.bisect_right(starts, start), bisect.bisect_right(starts, end)
        if regex.match(part) or any(map(regex.match, repeat(part), [c - start for c in starts[lo:hi]])):
            return True
    return False
