"""What must hold around a candidate start of a table regex for a match to begin there, read from the parsed pattern
once, when a ``Prefiltered`` is made (``prefilter.py``): the words that must follow a start word (``start_gates``),
the characters around a one-character start (``start_checks``), and what every match has after its opening
(``start_tails``). The literals every match holds are ``prefilter_needles.py``'s; the per-text use of all of it is
``prefilter_text.py``'s.

Why a module of its own: these three readings narrow the starts a pattern is tried at, while the needles decide
whether and where to look at all; ``prefilter_needles.py`` had grown to 787 lines with them. The same rule holds:
only what every match goes through is used, and case folding follows ``re``'s own equivalences, so that the
prefilter stays sound by construction.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

from .prefilter_needles import (
    _MAX_OFFSET,
    _fold,
    _literal_run,
    _opening,
    _prefixes,
    _spaces,
    _Unsupported,
)

try:  # (as in prefilter_needles: without re's extra case equivalences, no tails for case-insensitive patterns)
    from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older Pythons
    _EXTRA_CASES = None

_MAX_GATES = 48  # heads a pattern may have for its gates (the paths through optional items multiply them)


def _is_blanks(item: Any) -> bool:
    """True if ``item`` repeats ``\\s`` (``\\s+``, ``\\s*``, ``\\s{1,3}`` ...)."""
    op, av = item
    if op not in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) or len(av[2].data) != 1:
        return False
    return bool(av[2].data[0] == (C.IN, [(C.CATEGORY, C.CATEGORY_SPACE)]))


def _add_gate(
    out: dict[str, tuple[int, frozenset[str]] | None], head: str, gate: tuple[int, frozenset[str]] | None
) -> None:
    if len(out) >= _MAX_GATES and head not in out:
        raise _Unsupported
    if head in out:
        old = out[head]
        # two paths with one head: what either allows (an ungated path lets every offset through)
        gate = None if old is None or gate is None else (min(old[0], gate[0]), old[1] | gate[1])
    out[head] = gate


def _gates(items: Any, out: dict[str, tuple[int, frozenset[str]] | None]) -> bool:
    """Fill ``out`` with the literal heads every match of ``items`` starts with, each with what must follow it: None
    (anything), or (n, tails): at least ``n`` blanks (``\\s``) then one of the literals ``tails`` ("a" + "\\s+" +
    "été" of "(?:a|avait)\\s+été"; "," + "\\s*" + "et" of ",\\s*et\\s+on"). False when some match path has no
    literal head. Alternatives and optional items are read as paths, each with what follows them."""
    items = list(items)
    i = _opening(items)
    if i == len(items):
        return False
    op, av = items[i]
    if _is_blanks(items[i]):  # (after a head: "a" + (?:|vait) + "\\s+été", re's reading of "(?:a|avait)\\s+été")
        digits = [False]
        tails = _prefixes(items[i + 1 :], digits)
        _add_gate(out, "", (av[0], tails) if tails and not digits[0] else None)
        return True
    if op is C.LITERAL:
        head, i = _literal_run(items, i)
        rest = items[i:]
        k = 0
        while k < len(rest) and rest[k][0] in (C.AT, C.ASSERT, C.ASSERT_NOT):
            k += 1  # zero-width: "a\\b\\s+été" still has the blanks right after the "a"
        if k < len(rest) and _is_blanks(rest[k]):
            digits = [False]
            tails = _prefixes(rest[k + 1 :], digits)
            # (a \\d read as 0-9 would need the check of other digits: no gate)
            _add_gate(out, head, (rest[k][1][0], tails) if tails and not digits[0] else None)
        elif rest and rest[0][0] in (C.BRANCH, C.SUBPATTERN):
            # "r" + (?:écidive|echute): re factors the alternatives' common start out; put it back on each
            sub: dict[str, tuple[int, frozenset[str]] | None] = {}
            if not _gates(rest, sub):
                _add_gate(out, head, None)
            for h, gate in sub.items():
                _add_gate(out, head + h, gate)
        else:
            _add_gate(out, head, None)
        return True
    if op is C.SUBPATTERN:
        if av[1] or av[2]:
            raise _Unsupported
        return _gates([*av[3], *items[i + 1 :]], out)
    if op is C.BRANCH:
        return all([_gates([*b, *items[i + 1 :]], out) for b in av[1]])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
        return _gates([*av[2], *items[i + 1 :]], out) and _gates(items[i + 1 :], out)
    return False


def start_gates(pattern: re.Pattern[str], starts: frozenset[str]) -> dict[str, re.Pattern[str]]:
    """For each start of ``starts`` (literals every match of ``pattern`` starts with, folded as the text searched)
    after which every match goes on with blanks and a literal (``_gates``): a regex of the heads the start may open
    and what must follow them (",\\s{0,}(?:et)" of ",\\s*et\\s+on"). A comma is found at dozens of offsets of a
    report, most of them followed by something else: one scan for the gate finds the few a match may start at."""
    gates: dict[str, tuple[int, frozenset[str]] | None] = {}
    try:
        if not _gates(_parser.parse(pattern.pattern, pattern.flags).data, gates):
            return {}
    except (_Unsupported, re.error, RecursionError):
        return {}
    if pattern.flags & re.IGNORECASE:
        if _EXTRA_CASES is None:
            return {}
        folded: dict[str, tuple[int, frozenset[str]] | None] = {}
        for head, gate in gates.items():
            if len(_fold(head)) != len(head):
                return {}
            if gate is not None:
                tails = frozenset(_fold(t) for t in gate[1])
                gate = (gate[0], tails) if all(len(_fold(t)) == len(t) for t in gate[1]) else None
            _add_gate(folded, _fold(head), gate)
        gates = folded
    out: dict[str, re.Pattern[str]] = {}
    for s in starts:
        # the heads a match found at ``s`` may begin with: every match path's head is a prefix of its start ("a" of
        # the start "a " the word index keys it with, "d" of "d'") or the reverse ("avait" of the start "a")
        found = sorted((h for h in gates if h.startswith(s) or s.startswith(h)), key=lambda h: (-len(h), h))
        if not found or any(gates[h] is None for h in found) or s.isspace():
            continue  # an ungated head: every offset is tried
        # no start inside what a gate matches after its own (only the head opens it): a scan of the text for the
        # gates, whose matches do not overlap, misses none
        inside = [h[1:] for h in found] + [t for h in found for t in gates[h][1]]  # type: ignore[index]
        if any(n in part for n in starts for part in inside):
            continue
        alternatives = []
        for head in found:
            low, tails = gates[head]  # type: ignore[misc]
            follow = "|".join(re.escape(t) for t in sorted(tails, key=lambda t: (-len(t), t)))
            alternatives.append(f"{re.escape(head)}\\s{{{low},}}(?:{follow})")
        out[s] = re.compile("|".join(alternatives))
    return out


# What must hold around a one-character start for a match to begin there (``start_checks``): whether ``\\b`` is
# there, the characters the one before it may not be (a lookbehind), and the few characters (a small class) that
# must be found a bounded distance after it.
_Checks = tuple[bool, frozenset[str], bool, tuple[tuple[int, int, frozenset[str]], ...]]

_CHECK_REACH = 6  # characters after the start: a class further on is near most starts of a text anyway
_MAX_CHECKS = 3  # classes tested per start, the smallest first


def _uncased(c: str) -> bool:
    # a character that no other one equals under IGNORECASE (digits, punctuation, blanks): tested as it is in the text
    return c.lower() == c == c.upper()


def _class_of(item: Any, fold: bool, digits: list[bool], whole: bool) -> tuple[frozenset[str], bool] | None:
    """The characters the one-character ``item`` (a literal or a class) matches, and whether it matches every ``\\w``
    character. ``whole``: all of them or None (a required character: ``\\d`` read as the ASCII digits, noted in
    ``digits``); else some of them, those that are easy to list (a character the text may not hold: fewer is
    sound). Under IGNORECASE only characters without case are listed."""
    op, av = item
    members = [(op, av)] if op is not C.IN else av
    if any(o is C.NEGATE for o, _ in members):
        return None  # "[^,;]": every character but these
    chars: set[str] = set()
    word = False
    for o, a in members:
        if o is C.LITERAL or (o is C.RANGE and a[1] - a[0] < 64):
            span = [chr(a)] if o is C.LITERAL else [chr(x) for x in range(a[0], a[1] + 1)]
            kept = [c for c in span if not fold or _uncased(c)]
            if whole and len(kept) < len(span):
                return None
            chars.update(kept)
        elif o is C.CATEGORY and a is C.CATEGORY_DIGIT:
            chars.update("0123456789")
            digits[0] = digits[0] or whole
        elif o is C.CATEGORY and a is C.CATEGORY_SPACE:
            chars |= _spaces()
        elif o is C.CATEGORY and a is C.CATEGORY_WORD and not whole:
            word = True
        elif whole:
            return None  # (a negated class, another category: not listed)
    return frozenset(chars), word


def _checks(items: list[Any], state: Any, fold: bool, unicode: bool, digits: list[bool]) -> _Checks | None:
    """``start_checks`` of the parsed ``items``."""
    boundary, word_before = False, False
    before: frozenset[str] = frozenset()
    i = _opening(items)
    for op, av in items[:i]:
        if op is C.AT and av is C.AT_BOUNDARY and unicode:
            boundary = True
        elif op is C.ASSERT_NOT and av[0] == -1 and len(av[1].data) == 1:  # (?<![\\d/.,]): one character before
            found = _class_of(av[1].data[0], fold, digits, whole=False)
            if found is not None:
                before, word_before = before | found[0], word_before or (found[1] and unicode)
    ahead: list[tuple[int, int, frozenset[str]]] = []
    lo = hi = 0
    while i < len(items) and hi <= _CHECK_REACH:
        op, av = items[i]
        if op is C.SUBPATTERN:  # a group's items are read in place (its width is theirs)
            if av[1] or av[2]:
                break  # scoped flags: another case rule inside
            items = [*items[:i], *av[3].data, *items[i + 1 :]]
            continue
        one = av[2].data if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1 else [items[i]]
        if lo >= 1 and len(one) == 1 and one[0][0] in (C.LITERAL, C.IN):
            found = _class_of(one[0], fold, digits, whole=True)
            if found is not None and found[0]:
                ahead.append((lo, hi, found[0]))
        width = _parser.SubPattern(state, [items[i]]).getwidth()
        lo, hi = lo + width[0], hi + width[1]
        i += 1
    ahead = sorted(ahead, key=lambda c: (len(c[2]), c[1] - c[0], c[0]))[:_MAX_CHECKS]
    if not (boundary or before or word_before or ahead):
        return None
    return boundary, before, word_before, tuple(ahead)


def start_checks(pattern: re.Pattern[str], digits: list[bool]) -> _Checks | None:
    """What must hold at and after an offset for a match of ``pattern`` to start there, read from its parsed form:
    (``\\b`` there, characters the one before may not be, ``\\w`` among them, and (lo, hi, characters): one of them
    lies ``lo`` to ``hi`` characters after the offset); None when nothing is known. "(?<![\\d/.,])[0-3]?\\d([/.])"
    starts only at a digit after none of "0-9/.," that a "/" or "." follows one or two characters later: of the
    hundred digits of a report, a few. ``digits[0]`` is set when a ``\\d`` was read as the ASCII digits."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        unicode = not pattern.flags & (re.ASCII | re.LOCALE)  # (\\w and \\b as str.isalnum() and "_")
        return _checks(list(parsed.data), parsed.state, bool(pattern.flags & re.IGNORECASE), unicode, digits)
    except (_Unsupported, re.error, RecursionError):
        return None


# What every match has after its opening (``start_tails``): (lo, hi, chars, low, tails): ``lo`` to ``hi`` characters
# from its start, at least ``low`` characters of ``chars``, then one of the literals ``tails`` (folded as the text
# searched).
_Tails = tuple[int, int, frozenset[str], int, frozenset[str]]

# Tails are found by a scan of the report each (~5,000 instructions, compiled, about what 3 tries of a pattern cost):
# a few, of two characters at least (a letter alone is in most words). Measured: the twenty month names after a day,
# the "a" of "et a confirmé", the "de" after a word cost more than the tries they saved.
_MAX_TAILS = 4
_MIN_TAIL = 2


def start_tails(pattern: re.Pattern[str]) -> _Tails | None:
    """What must follow the opening of every match of ``pattern`` (``_Tails``), read from its parsed form: the first
    repeat of one listable character (``[\\s-]+``, ``\\s*``) that a literal follows, the opening before it of bounded
    width; None when there is none. "\\b(?:en|depuis|de|...)[\\s-]+(?P<year>(?:19|20)\\d\\d)": 2 to 9 characters,
    blanks or dashes, then "19" or "20": of the hundred-odd "de", "en", "à" that open the words of a report, the few
    before a year. Unlike ``start_checks`` the run may be of any length: a match is found from its tail, back."""
    fold = bool(pattern.flags & re.IGNORECASE)
    if fold and _EXTRA_CASES is None:
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        items = list(parsed.data)
        lo = hi = 0
        for k, item in enumerate(items):
            op, av = item
            if k and op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and len(av[2].data) == 1:
                digits = [False]
                # (the run's characters as they are in the text: under IGNORECASE, only characters without case)
                found = _class_of(av[2].data[0], fold, digits, whole=True)
                tails = _prefixes(items[k + 1 :], digits) if found and found[0] else None
                if found and tails and not digits[0]:  # (\\d read as 0-9 would need the check of other digits)
                    if any(len(_fold(t)) != len(t) for t in tails):
                        return None
                    folded = frozenset(_fold(t) for t in tails) if fold else tails
                    # a tail that extends a shorter one ("années" of "an") adds no occurrence
                    kept = frozenset(t for t in folded if not any(u != t and t.startswith(u) for u in folded))
                    if len(kept) > _MAX_TAILS or min(map(len, kept)) < _MIN_TAIL:
                        return None
                    return lo, hi, found[0], av[0], kept
            width = _parser.SubPattern(parsed.state, [item]).getwidth()
            lo, hi = lo + width[0], hi + width[1]
            if hi > _MAX_OFFSET:
                return None
    except (_Unsupported, re.error, RecursionError):
        return None
    return None
