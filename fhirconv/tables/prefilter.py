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
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain, compress, repeat
from operator import methodcaller
from typing import Any

try:  # the extra case equivalences re applies with IGNORECASE (ı ~ i, ſ ~ s, K ~ k ...)
    from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older Pythons: no prefilter for case-insensitive patterns
    _EXTRA_CASES = None

from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

from ..normalise import word_starts

__all__ = ["Prefiltered", "first_match", "found_in_slice", "necessary_literals", "present", "searches", "windowed"]

MIN_TEXT = 400  # shorter strings are scanned directly: folding them would cost more than the scan
_FOLD: dict[int, str] = {}
if _EXTRA_CASES is not None:
    for base, others in _EXTRA_CASES.items():
        for o in (base, *others):
            folded = min(chr(base).casefold(), *(chr(x).casefold() for x in others))
            if chr(o).casefold() != folded:  # identities would only slow translate down
                _FOLD[o] = folded
# translate() looks every character up: skip it when the text has none of the few characters it changes
_FOLD_NEEDED = re.compile("[" + "".join(re.escape(chr(c).casefold()) for c in _FOLD) + "]") if _FOLD else None


_DOTTED_I = str.maketrans({"İ": "i"})  # re's simple lowercase of İ is i; casefold would give i + a combining dot


def _fold(s: str) -> str:
    if "İ" in s:
        s = s.translate(_DOTTED_I)
    s = s.casefold()
    return s.translate(_FOLD) if _FOLD_NEEDED is not None and _FOLD_NEEDED.search(s) else s


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


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    # the most selective: the set whose shortest literal is longest, then the smallest set
    return max(sets, key=lambda s: (min(map(len, s)), -len(s))) if sets else None


def _necessary(items: Any) -> frozenset[str] | None:
    """A set of literals one of which every match of ``items`` (a parsed sequence) contains, or None."""
    found: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 3:
            found.append(frozenset(["".join(run)]))
        run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero-width: the literals on both sides are still adjacent in the text
        elif op is C.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unsupported  # scoped flags: the case rule would change inside
            flush()
            inner = _necessary(sub)
            if inner:
                found.append(inner)
        elif op is C.BRANCH:
            flush()
            branches = [_necessary(b) for b in av[1]]
            if all(branches):
                found.append(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            flush()
            low, _, sub = av
            if low >= 1:
                inner = _necessary(sub)
                if inner:
                    found.append(inner)
        elif op in (C.ATOMIC_GROUP,):
            flush()
            inner = _necessary(av)
            if inner:
                found.append(inner)
        else:  # a class, any character, a back-reference ...: the literal run ends here
            flush()
    flush()
    return _best(found)


class _Unsupported(Exception):
    pass


def _word_char(c: str) -> bool:
    # a character that starts a word of the word index, and whose case variants do too (the Latin block, as
    # ``_at_word`` requires of the starts)
    return c.isalnum() and c < "\u0250"


def _not_word(item: Any) -> bool:
    """True if every character ``item`` (one character: a literal or a class of literals and whitespace) matches is
    a non-word character under re's Unicode \\w (also with its case variants: punctuation and spaces have none)."""
    op, av = item
    if op is C.LITERAL:
        return not (chr(av).isalnum() or chr(av) == "_")
    if op is C.IN:
        return all(
            (o is C.LITERAL and not (chr(a).isalnum() or chr(a) == "_")) or (o is C.CATEGORY and a is C.CATEGORY_SPACE)
            for o, a in av
        )
    return False


def _ends_not_word(items: Any) -> bool:
    """True if every match of ``items`` (a parsed sequence) ends with a non-word character ("forte\\s+",
    "(?:d['’]abord|initialement)\\s+"): a word character after it starts a word."""
    items = [item for item in items if item[0] not in (C.AT, C.ASSERT, C.ASSERT_NOT)]
    if not items:
        return False
    op, av = items[-1]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        # "l['’]\\s*": a repetition that may be empty ends what is before it in that case
        return _ends_not_word(av[2]) and (av[0] >= 1 or _ends_not_word(items[:-1]))
    if op is C.SUBPATTERN:
        return not (av[1] or av[2]) and _ends_not_word(av[3])
    if op is C.ATOMIC_GROUP:
        return _ends_not_word(av)
    if op is C.BRANCH:
        return all(_ends_not_word(b) for b in av[1])
    return _not_word((op, av))


def _word_necessary(items: Any, boundary: bool) -> list[frozenset[str]]:
    """Sets of literals such that every match of ``items`` contains, for each set, one of its literals starting at a
    word start (a word character right after ``\\b``, or after a non-word character). ``boundary``: a word character
    at the start of ``items`` starts a word. Such a literal is looked up in the word index (``_Hay.words``), not
    found by a scan of the whole text (``_absent``): most cue literals ("exclu", "suspecté", "hypothèse") are absent
    from a report, and each was a full scan; and each set is tested, not only the most selective one."""
    found: list[frozenset[str]] = []
    run: list[str] = []
    aligned = False

    def flush(rest: Any = None) -> None:
        if aligned and run:
            head = "".join(run)
            # "s" + (?:uspect|oupçonn), "n" + ['’]: re factors the common start of alternatives out, and a short
            # run goes on with what every match of the rest starts with
            digits = [False]
            after = _prefixes(rest, digits) if rest else None
            if after and not digits[0] and min(map(len, after)) + len(head) >= 3:
                found.append(frozenset(head + a for a in after))
            elif len(head) >= 3:
                found.append(frozenset([head]))
        run.clear()

    items = list(items)
    for k, (op, av) in enumerate(items):
        if op is C.LITERAL:
            c = chr(av)
            if not run:
                aligned = boundary and _word_char(c)
            run.append(c)
            boundary = _not_word((op, av))
        elif op is C.AT:
            # zero-width: the character before is unchanged; \\b and ^ make a word character after a word start
            if av is C.AT_NON_BOUNDARY:
                flush()
                boundary = False
            elif av in (C.AT_BOUNDARY, C.AT_BEGINNING, C.AT_BEGINNING_STRING):
                flush()
                boundary = True
        elif op in (C.ASSERT, C.ASSERT_NOT):
            continue  # zero-width: the character before the next one is unchanged
        elif op in (C.SUBPATTERN, C.ATOMIC_GROUP):
            flush(items[k:])
            sub = av if op is C.ATOMIC_GROUP else av[3]
            if op is C.SUBPATTERN and (av[1] or av[2]):
                raise _Unsupported
            found.extend(_word_necessary(sub, boundary))
            boundary = _ends_not_word(sub)
        elif op is C.BRANCH:
            flush(items[k:])
            branches = [_best(_word_necessary(b, boundary)) for b in av[1]]
            if all(branches):
                found.append(frozenset().union(*branches))  # type: ignore[arg-type]
            boundary = all(_ends_not_word(b) for b in av[1])
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            flush(items[k:])
            low, _, sub = av
            if low >= 1:  # the first repetition starts here
                found.extend(_word_necessary(sub, boundary))
            # after "\\s+" or "(?:forte\\s+)?" a word character starts a word ("\\s*": if one did before it too)
            boundary = _ends_not_word(sub) and (low >= 1 or boundary)
        else:  # one character: a class, any character ...
            flush(items[k:])
            boundary = _not_word((op, av))
    flush()
    return found


def _class_chars(items: Any, digits: list[bool]) -> set[str] | None:
    """The characters a small class matches (``[Ss]``, ``[0-3]``, ``\\d`` read as the ASCII digits, noted in
    ``digits``: re's ``\\d`` also takes the other Unicode digits, which the caller checks the text for), or None."""
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(chr(av))
        elif op is C.RANGE and av[1] - av[0] < 32:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            out.update("0123456789")
            digits[0] = True
        else:
            return None
    return out


def _opening(items: list[Any]) -> int:
    """The index of the first item of ``items`` that is not zero-width (where a match's first character is read)."""
    i = 0
    while i < len(items) and _zero_width(items[i]):
        i += 1
    return i


def _literal_run(items: list[Any], i: int) -> tuple[str, int]:
    """The literal characters of ``items`` from ``i`` on, as a string, and the index of the item after them."""
    run = []
    while i < len(items) and items[i][0] is C.LITERAL:
        run.append(chr(items[i][1]))
        i += 1
    return "".join(run), i


def _prefixes(items: Any, digits: list[bool] | None = None, extend: bool = False) -> frozenset[str] | None:
    """Literals one of which every match of ``items`` starts with (after zero-width assertions), or None. With
    ``extend``, a one-character literal that is the whole of its item is followed by each character the next item
    may start with ("a" of "(?:a|ont)\\s+": "a " ...)."""
    digits = digits if digits is not None else [False]
    items = list(items)
    i = _opening(items)
    if i == len(items):
        return None
    op, av = items[i]
    if op is C.LITERAL:
        head, i = _literal_run(items, i)
        if extend and i < len(items) and items[i][0] is C.BRANCH and not all(items[i][1][1]):
            # "a" + (?:|vait) of "(?:a|avait)\\s+été": an empty alternative goes on with what follows the branch, so
            # each alternative is read with it ("a" + blank, "avait"), not "a" alone (every word in "a")
            literals = [(C.LITERAL, ord(c)) for c in head]
            alternatives = [_prefixes([*literals, *b, *items[i + 1 :]], digits, extend) for b in items[i][1][1]]
            if all(alternatives):
                return frozenset().union(*alternatives)  # type: ignore[arg-type]
        if extend and i < len(items) and items[i][0] is C.MAX_REPEAT and items[i][1][:2] == (0, 1):
            # "n" + ['’]? of "n['’]?(?:a|est)": read as the two alternatives, with and without the optional item
            literals = [(C.LITERAL, ord(c)) for c in head]
            alternatives = [
                _prefixes([*literals, *items[i][1][2], *items[i + 1 :]], digits, extend),
                _prefixes([*literals, *items[i + 1 :]], digits, extend),
            ]
            if all(alternatives):
                return frozenset().union(*alternatives)  # type: ignore[arg-type]
        # "r" + (?:écidive|echute): re factors alternatives' common start out; put it back on each
        if i < len(items) and items[i][0] in (C.BRANCH, C.SUBPATTERN):
            rest = _prefixes(items[i:], digits, extend)
        else:
            rest = _next_chars(items[i]) if extend and len(head) == 1 and i < len(items) else None
        return frozenset(head + p for p in rest) if rest else frozenset([head])
    if extend and i + 1 < len(items):
        whole = _exact(items[i])
        after = _next_chars(items[i + 1]) if whole and all(whole) else None
        if whole and after:
            return frozenset(w + c for w in whole if len(w) == 1 for c in after) | {w for w in whole if len(w) > 1}
    if op is C.SUBPATTERN:
        if av[1] or av[2]:
            raise _Unsupported
        return _prefixes(av[3], digits, extend)
    if op is C.BRANCH:
        branches = [_prefixes(b, digits, extend) for b in av[1]]
        return frozenset().union(*branches) if all(branches) else None  # type: ignore[arg-type]
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _, sub = av
        first = _prefixes(sub, digits, extend)
        if low >= 1 or first is None:
            return first
        # an optional start: a match begins with it or with what follows
        after_it = _prefixes(items[i + 1 :], digits, extend)
        return first | after_it if after_it else None
    if op is C.IN:
        chars = _class_chars(av, digits)
        if not chars:
            return None
        # "[Ss]tade": each character followed by the literals after the class ("Stade", "stade"), not every "s" of
        # the text as a start (measured: the find loop over every "s" cost 0.5 M instructions a report)
        literal_next = i + 1 < len(items) and items[i + 1][0] is C.LITERAL
        rest = _prefixes(items[i + 1 :], digits, extend) if literal_next else None
        if rest and len(chars) * len(rest) <= _MAX_PRODUCT:
            return frozenset(c + p for c in chars for p in rest)
        return frozenset(chars)
    return None


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


_MAX_PRODUCT = 16  # class characters times the literals after them, at most (a larger class stays one character)


def _exact(item: Any) -> list[str] | None:
    """The strings a group of plain literal alternatives matches, whole ("(?:a|ont|avait)"), or None."""
    op, av = item
    if op is C.SUBPATTERN:
        if av[1] or av[2] or len(av[3].data) != 1:
            return None
        op, av = av[3].data[0]
    if op is not C.BRANCH:
        return None
    out = []
    for alternative in av[1]:
        if not all(o is C.LITERAL for o, _ in alternative):
            return None
        out.append("".join(chr(a) for _, a in alternative))
    return out


@lru_cache(maxsize=1)
def _spaces() -> frozenset[str]:
    # what \s matches in a str pattern (Py_UNICODE_ISSPACE, as str.isspace; none is above U+3000)
    return frozenset(c for c in map(chr, range(0x3001)) if c.isspace())


def _next_chars(item: Any) -> frozenset[str] | None:
    """The characters a match of ``item`` starts with, when it is a literal, a small class or whitespace, taken at
    least once ("\\s+", "['’]", "[\\s-]+"), and each folds to one character; else None."""
    op, av = item
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _, sub = av
        if low < 1 or len(sub.data) != 1:
            return None
        op, av = sub.data[0]
    chars: set[str] = set()
    for o, a in [(op, av)] if op is not C.IN else av:
        if o is C.LITERAL:
            chars.add(chr(a))
        elif o is C.RANGE and a[1] - a[0] < 32:
            chars.update(chr(c) for c in range(a[0], a[1] + 1))
        elif o is C.CATEGORY and a is C.CATEGORY_SPACE:
            chars |= _spaces()
        else:
            return None
    if not chars or len(chars) > 40 or any(len(_fold(c)) != 1 for c in chars):
        return None
    return frozenset(chars)


def word_prefixes(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """``necessary_literals(pattern, prefix=True)`` with the one-character starts extended (``_prefixes``), folded
    when the pattern ignores case: the keys of the word index a pattern looks up."""
    try:
        literals = _prefixes(_parser.parse(pattern.pattern, pattern.flags).data, None, extend=True)
    except (_Unsupported, re.error, RecursionError):
        return None
    if literals is None or (pattern.flags & re.IGNORECASE and _EXTRA_CASES is None):
        return None
    return frozenset(_fold(s) for s in literals) if pattern.flags & re.IGNORECASE else literals


def _zero_width(item: Any) -> bool:
    """True if ``item`` only asserts (``\\b``, ``^``, a lookaround), also as a group whose every alternative only
    asserts ("(?:^|(?<=^[-•]))"): a match starts where what follows it starts."""
    op, av = item
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return True
    if op is C.SUBPATTERN:
        return not (av[1] or av[2]) and all(_zero_width(x) for x in av[3])
    if op is C.BRANCH:
        return all(all(_zero_width(x) for x in b) for b in av[1])
    return False


_MAX_OFFSET = 16  # an anchor further from the match start than this tries too many starts per occurrence


def _anchor(parsed: Any, digits: list[bool]) -> tuple[frozenset[str], int, int] | None:
    """Literals one of which every match contains at an offset in ``[lo, hi]`` from its start: ``(literals, lo, hi)``
    for the most selective such set (shortest literal longest), or None. "(?:et)?(?P<prefix>y?p|r?p)T(?:is|[0-4])":
    "T0", "T1" ... "Tis" at 1 to 4 characters from the start, where the starts ("p", "r", "y", "et") are frequent
    letters."""
    items = list(parsed.data)
    lo = hi = 0
    best: tuple[frozenset[str], int, int] | None = None
    for k, item in enumerate(items):
        if item[0] is C.LITERAL:
            found = _prefixes(items[k:], digits)
            if found and (best is None or min(map(len, found)) > min(map(len, best[0]))):
                best = (found, lo, hi)
        width = _parser.SubPattern(parsed.state, [item]).getwidth()
        lo, hi = lo + width[0], hi + width[1]
        if hi > _MAX_OFFSET:
            break
    return best


def _boundary_first(items: Any) -> bool:
    """True if every match of ``items`` begins at ``\\b`` (the pattern opens with it, in every alternative)."""
    items = list(items)
    if not items:
        return False
    op, av = items[0]
    if op is C.AT:
        return bool(av is C.AT_BOUNDARY)
    if op is C.ASSERT_NOT and av[0] < 0:
        # "(?<![\w-])x", "(?<!\w)x": no word character before, and every start begins with a letter or digit of
        # the Latin block, whose case variants are all word characters (checked by the caller): a word starts there
        return len(av[1].data) == 1 and _has_word_class(av[1].data[0])
    if op is C.SUBPATTERN:
        return not (av[1] or av[2]) and _boundary_first(av[3])
    if op is C.BRANCH:
        return all(_boundary_first(b) for b in av[1])
    return False


def _has_word_class(item: Any) -> bool:
    """True if the one-character ``item`` matches every \\w character (it is \\w, or a class holding \\w)."""
    op, av = item
    if op is C.CATEGORY:
        return bool(av is C.CATEGORY_WORD)
    return op is C.IN and any(x == (C.CATEGORY, C.CATEGORY_WORD) for x in av)


def starts_at_word(pattern: re.Pattern[str]) -> bool:
    """True if every match of ``pattern`` starts at a (Unicode) word boundary."""
    if pattern.flags & (re.ASCII | re.LOCALE):  # another \\w: the word-start index would not hold its boundaries
        return False
    try:
        return _boundary_first(_parser.parse(pattern.pattern, pattern.flags).data)
    except (re.error, RecursionError):
        return False


_WORD_START = re.compile(r"\b\w")
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
_SPEC_ATTRS = frozenset({"_spec_anchor", "_spec_words", "_spec_starts", "_spec_run", "_spec_checked"})
_SPEC_LOCK = threading.Lock()


def _spec_id(spec: Any) -> int:
    with _SPEC_LOCK:  # patterns may be compiled at run time, in threads
        found = _SPEC_IDS.get(spec)
        if found is None:
            found = _SPEC_IDS[spec] = len(_SPECS)
            _SPECS.append(spec)
        return found


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
                found = any(map(hay.hay.startswith, repeat(needle), at))
            else:
                found = needle in hay.hay
        seen[needle] = found
    return found


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


def _by_head(starts: set[str]) -> tuple[tuple[int, tuple[str, ...] | None], ...]:
    """``starts`` (of three characters at least, with one two-character key) by their third character's code: (code,
    None when the first three characters are a start themselves, else the longer starts with them), sorted."""
    groups: dict[str, set[str]] = {}
    for s in starts:
        groups.setdefault(s[:3], set()).add(s)
    return tuple(
        (ord(head[2]), None if head in group else tuple(sorted(group))) for head, group in sorted(groups.items())
    )


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


def anchor_literals(pattern: re.Pattern[str], digits: list[bool]) -> tuple[frozenset[str], int, int] | None:
    """``_anchor`` of ``pattern`` with its literals folded when the pattern ignores case, or None."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        found = _anchor(parsed, digits)
    except (_Unsupported, re.error, RecursionError):
        return None
    if found is None or (pattern.flags & re.IGNORECASE and _EXTRA_CASES is None):
        return None
    literals, lo, hi = found
    return (frozenset(_fold(s) for s in literals) if pattern.flags & re.IGNORECASE else literals), lo, hi


def run_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Literals one of which every match has right after an opening ``\\b\\w+`` ("\\b\\w+ectomie"), folded when the
    pattern ignores case; or None. Such a match starts where the run of word characters before the literal starts:
    re's scanner would try the whole pattern at every word of the text (no literal opens it)."""
    if pattern.flags & (re.ASCII | re.LOCALE):  # another \w than str.isalnum() and "_"
        return None
    try:
        items = list(_parser.parse(pattern.pattern, pattern.flags).data)
        if len(items) < 3 or items[0] != (C.AT, C.AT_BOUNDARY) or items[1][0] not in (C.MAX_REPEAT, C.MIN_REPEAT):
            return None
        low, _, sub = items[1][1]
        if low < 1 or len(sub.data) != 1 or not _has_word_class(sub.data[0]):
            return None
        if sub.data[0][0] is C.IN and len(sub.data[0][1]) != 1:  # [\w-]: more than the word characters
            return None
        digits = [False]
        literals = _prefixes(items[2:], digits)
        if digits[0]:  # \d read as the ASCII digits: not worth the check of other digits here
            return None
    except (_Unsupported, re.error, RecursionError):
        return None
    if literals is None or (pattern.flags & re.IGNORECASE and _EXTRA_CASES is None):
        return None
    return frozenset(_fold(s) for s in literals) if pattern.flags & re.IGNORECASE else literals


def _run_start(text: str, i: int) -> int:
    """Where the run of word characters (re's \\w: letters, digits, "_") that ends at ``i`` starts."""
    while i and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return i


def word_necessary_literals(pattern: re.Pattern[str]) -> tuple[frozenset[str], ...] | None:
    """``_word_necessary`` of ``pattern``, folded (the most selective sets first): None unless the pattern ignores case (the word index is the folded
    text's) and its \\w is the Unicode one (the index's words)."""
    if not pattern.flags & re.IGNORECASE or pattern.flags & (re.ASCII | re.LOCALE) or _EXTRA_CASES is None:
        return None
    try:
        sets = _word_necessary(_parser.parse(pattern.pattern, pattern.flags).data, False)
    except (_Unsupported, re.error, RecursionError):
        return None
    out = []
    for literals in sets:
        folded = [_fold(s) for s in literals]
        # a folded literal must still start with a word character of the Latin block and keep its length
        if all(len(f) == len(s) and _word_char(f[0]) for f, s in zip(folded, literals)):
            out.append(frozenset(folded))
    return tuple(sorted(set(out), key=lambda s: (-min(map(len, s)), sorted(s)))) or None


def necessary_literals(
    pattern: re.Pattern[str], prefix: bool = False, digits: list[bool] | None = None
) -> frozenset[str] | None:
    """Literals one of which is in every match of ``pattern`` (with ``prefix``: every match starts with one), folded
    when the pattern ignores case; or None. ``digits[0]`` is set when a ``\\d`` was read as the ASCII digits."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        literals = _prefixes(parsed.data, digits) if prefix else _necessary(parsed.data)
    except (_Unsupported, re.error, RecursionError):
        return None
    if literals is None:
        return None
    if pattern.flags & re.IGNORECASE:
        if _EXTRA_CASES is None:
            return None
        literals = frozenset(_fold(s) for s in literals)
    return literals


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
        if self._covered:
            window = self._window(text, args)
            if window is not None:
                return self._at_starts(text, *window)
        if self._absent(text):
            return iter(())
        window = self._window(text, args)
        if window is not None:
            return self._at_starts(text, *window)
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
        if checks is not None and spec == self._spec_starts:
            # (patterns with the same starts and the same checks share the result too)
            checked = shared.get(self._spec_checked)
            if checked is None:
                checked = shared[self._spec_checked] = _checked(text, found, checks)
            found = checked
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
                        # the words with the head that also start with a longer start, tested in C
                        runs.append(
                            sub if longer is None else list(compress(sub, map(hay.startswith, repeat(longer), sub)))
                        )
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

    def _at_starts(self, text: str, state: _Text, hay: _Hay, pos: int, endpos: int) -> Iterator[re.Match[str]]:
        """What ``finditer(text, pos, endpos)`` yields, trying only where a match can start: leftmost first, then
        from its end (``match`` with the same ``endpos`` sees the text as ``finditer`` does, lookbehinds included)."""
        cands = self._candidates(state, hay)
        lo, hi = bisect.bisect_left(cands, pos), bisect.bisect_right(cands, endpos)
        # every candidate is tried by one C loop (map, filter), the Python loop sees only the matches: a match that
        # starts inside the one kept before it is dropped, as finditer would not have tried there (a match at a
        # candidate starts at it, and matches are short: few candidates lie inside one)
        end = pos
        # (a slice of the candidates: islice would step over every candidate before the window, one by one)
        for m in filter(None, map(self.regex.match, repeat(text), cands[lo:hi], repeat(endpos))):
            if m.start() >= end:
                yield m
                end = m.end()

    def search(self, text: str, *args: Any) -> re.Match[str] | None:
        if self._absent(text):
            return None
        # re itself, also in a window: it stops at the first match, and a search is mostly one call in a short window
        # of a report that no other window of this pattern follows (measured: the candidates cost more, in sum)
        return self.regex.search(text, *args)

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
    """``present`` with each pattern's candidate starts in ``text`` (None: not known): (regex, row, starts). A caller
    searching a window ``[pos, endpos]`` skips a row with no start in it (one bisection), and searches from the first
    one: no earlier offset can start a match, and lookbehinds see the text before ``pos`` either way."""
    last = _WINDOWED.get(id(rows))  # as in ``present``: the entry holds ``rows`` itself
    if last is not None and last[0] is rows and last[1] is text:
        return last[2]
    kept = [
        (p.regex, r, p.window_candidates(text)) if isinstance(p, Prefiltered) else (p, r, None)
        for p, r in rows
        if not (isinstance(p, Prefiltered) and not p._contained(text))  # (found_in_slice searches slices)
    ]
    _WINDOWED[id(rows)] = (rows, text, kept)
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
    in ``text`` (``windowed``) that lie in the slice."""
    part = text[start:end]
    for regex, _, starts in windowed(rows, text):
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
