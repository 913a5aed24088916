"""The analysis of a table regex for the prefilter (``prefilter.py``): the literals every match must contain
(``necessary_literals``, ``word_necessary_literals``), start with (``necessary_literals(prefix=True)``,
``word_prefixes``, ``run_literals``) or hold a bounded distance in (``anchor_literals``). What must hold around a
candidate start (gates, checks, tails) is ``prefilter_starts.py``'s.

Why a module of its own: it reads the parsed pattern (``re._parser``) once, when a ``Prefiltered`` is made; none of
it runs per text. Literals are only taken from items every match goes through (not from optional parts or
alternatives that lack one), and case folding follows ``re``'s own equivalences (``re._casefix``, ``_fold``), so
that the prefilter stays sound by construction.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:  # the extra case equivalences re applies with IGNORECASE (ı ~ i, ſ ~ s, K ~ k ...)
    from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - older Pythons: no prefilter for case-insensitive patterns
    _EXTRA_CASES = None

from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

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


def _by_head(starts: set[str]) -> tuple[tuple[int, tuple[str, ...] | None], ...]:
    """``starts`` (of three characters at least, with one two-character key) by their third character's code: (code,
    None when the first three characters are a start themselves, else the longer starts with them), sorted."""
    groups: dict[str, set[str]] = {}
    for s in starts:
        groups.setdefault(s[:3], set()).add(s)
    return tuple(
        (ord(head[2]), None if head in group else tuple(sorted(group))) for head, group in sorted(groups.items())
    )


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
