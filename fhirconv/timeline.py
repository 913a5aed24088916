"""Stage 5a (continued) - relative dates: "deux mois après", "six mois après le diagnostic initial", "au troisième
jour post-chimiothérapie", "après 14 mois sans maladie", "en décembre de la même année".

Each expression is resolved against one anchor date: the nearest date written before it (absolute, or relative
and already resolved), the nearest date before its sentence (a disease-free interval ends at the event of its own
sentence), or the date of the event it names ("le diagnostic initial", "post-opératoire": a dated mention of that
kind, ``anchors`` in ``dates.yaml``). The arithmetic keeps the uncertainty of both sides: the anchor is the
interval of days it may mean (``2013-03`` = 1-31 March), the offset moves both ends, and the result keeps only
the precision on which both ends agree, no finer than the offset's unit ("deux mois après" a day is a month).
An anchor that is not found, not certain, or a result that straddles two periods: the expression is left out.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .document import Mention, PartialDate, SpanSet, Structure
from .normalise import term_keys
from .tables import Mappings, RowRef
from .tables.prefilter import windowed
from .tables.prefilter_needles import _fold
from .tables.prefilter_text import _key, folded_words

__all__ = ["Timeline", "days_before", "find_periods", "resolve_relative", "shift"]

_UNIT_PRECISION = {"day": 3, "week": 3, "month": 2, "year": 1}  # finest precision an offset in this unit supports


@dataclass(frozen=True)
class Timeline:
    """Every date of a report in text order, absolute and resolved relative, for every resource builder.

    ``dates`` are the expressions that date mentions; a relative date carries its anchor (``PartialDate.anchor``)
    so that every date leads back to a date written in the text.
    """

    dates: tuple[PartialDate, ...]
    periods: tuple[tuple[PartialDate, PartialDate], ...] = ()  # "entre le 7/11 et le 20/12/2005", "du X au Y"
    episode: PartialDate | None = None  # the presenting episode (dating.presentation_date): the report's present

    def within(self, start: int, end: int) -> list[PartialDate]:
        """The dates whose expression lies inside ``[start, end)`` (e.g. a clause naming an end date)."""
        return [d for d in self.dates if start <= d.start and d.end <= end]

    def period_after(self, offset: int, limit: int) -> tuple[PartialDate, PartialDate] | None:
        """The period whose first date starts in ``[offset, limit)`` ("radiothérapie entre le ... et le ...")."""
        return next((p for p in self.periods if offset <= p[0].start < limit), None)

    def first_after(self, offset: int) -> PartialDate | None:
        """The first date whose expression starts at or after ``offset`` (a bisection: dates are in text order)."""
        k = bisect.bisect_left(self.dates, offset, key=lambda d: d.start)
        return self.dates[k] if k < len(self.dates) else None

    def last_before(self, offset: int) -> PartialDate | None:
        """The last date whose expression ends at or before ``offset``."""
        found = None
        for d in self.dates:
            if d.end <= offset:
                found = d
        return found


def find_periods(text: str, dates: list[PartialDate], mappings: Mappings) -> list[tuple[PartialDate, PartialDate]]:
    """Consecutive dates joined as a period ("entre le X et le Y", "du X au Y"), start not after end."""
    out = []
    for a, b in zip(dates, dates[1:]):
        # the opening and joining words may be the first of the date expressions themselves ("de 1975 à 1998":
        # "de 1975" and "à 1998" are years)
        lead_a, lead_b = _LEAD_WORD.match(text, a.start, a.end), _LEAD_WORD.match(text, b.start, b.end)
        heads = (text[max(0, a.start - 20) : a.start], lead_a.group() if lead_a else "")
        gaps = (text[a.end : b.start], text[a.end : b.start] + (lead_b.group() if lead_b else ""))
        for opening, joining in mappings.period_rules:
            if any(joining.search(g) for g in gaps) and any(opening.search(h) for h in heads if h):
                if _bounds(a)[0] <= _bounds(b)[1]:
                    out.append((a, b))
                break
    return out


def _bounds(d: PartialDate) -> tuple[dt.date, dt.date]:
    if d.month is None:
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    if d.day is None:
        return dt.date(d.year, d.month, 1), dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    day = dt.date(d.year, d.month, d.day)
    return day, day


def days_before(earlier: PartialDate, later: PartialDate) -> int:
    """The fewest days ``earlier`` may be before ``later``, read at their precision: from the last day ``earlier``
    may be to the first day ``later`` may be ("2009" is at least 2 630 days before "14 mars 2024"; negative when
    they may overlap or ``earlier`` is after)."""
    return (_bounds(later)[0] - _bounds(earlier)[1]).days


def _add(day: dt.date, n: int, unit: str) -> dt.date | None:
    if unit in ("day", "week"):
        try:
            return day + dt.timedelta(days=n * (7 if unit == "week" else 1))
        except OverflowError:
            return None
    months = day.month - 1 + n * (12 if unit == "year" else 1)
    year, month = day.year + months // 12, months % 12 + 1
    if not 1 <= year <= 9999:
        return None
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _precision(d: PartialDate) -> int:
    return 1 if d.month is None else 2 if d.day is None else 3


def shift(anchor: PartialDate, n: int, unit: str, *, half: bool = False) -> PartialDate | None:
    """``anchor`` moved by ``n`` units (negative: before), as precise as both allow, or None when uncertain.

    >>> shift(PartialDate(2008, 10), 1, "month").iso()
    '2008-11'
    >>> shift(PartialDate(2015, 3, 2), 2, "month").iso()   # "deux mois après": a month, not a day
    '2015-05'
    >>> shift(PartialDate(2015, 3), 3, "day") is None      # may be March or April
    True
    >>> shift(PartialDate(2015), 3, "month").iso()         # "trois mois plus tard" after "en 2015": the year at best
    '2015'
    >>> shift(PartialDate(2015), 8, "month") is None       # 2015 or 2016, as likely
    True
    """
    if half and unit in ("day", "week"):
        return None
    lo, hi = _bounds(anchor)
    steps = [(n, unit)]
    if half:  # "un an et demi": half a year is six months, half a month fifteen days
        sign = -1 if n < 0 else 1
        steps.append((6 * sign, "month") if unit == "year" else (15 * sign, "day"))
    for k, u in steps:
        lo2, hi2 = _add(lo, k, u), _add(hi, k, u)
        if lo2 is None or hi2 is None:
            return None
        lo, hi = lo2, hi2
    finest = min(_precision(anchor), _UNIT_PRECISION[steps[-1][1]])
    if lo.year != hi.year:
        return _year_within(anchor, lo, hi) if unit != "year" else None
    if finest == 1:
        return PartialDate(lo.year)
    if lo.month != hi.month:
        return None  # straddles two months: ambiguous at the precision the text speaks in
    if finest == 3 and lo.day == hi.day:
        return PartialDate(lo.year, lo.month, lo.day)
    return PartialDate(lo.year, lo.month)


def _year_within(anchor: PartialDate, lo: dt.date, hi: dt.date) -> PartialDate | None:
    """A year moved by less than half a year ("trois mois plus tard" after "en 2015"): the result may fall in the
    next (or previous) year, but most of its possible days stay in the anchor's year, and a report that counts a
    few months from a year goes on telling that year; only the year, nothing finer. Half a year or more: the other
    year is as likely, left out."""
    if anchor.month is not None or hi.year - lo.year != 1:
        return None
    if lo.year == anchor.year and lo < dt.date(lo.year, 7, 1):
        return PartialDate(anchor.year)  # moved forward: more than half the year still ahead of the offset
    if hi.year == anchor.year and hi >= dt.date(hi.year, 7, 1):
        return PartialDate(anchor.year)  # moved back
    return None


def _day(day: str | None, year: int, month: int) -> int | None:
    """The day of "le 1er décembre" / "le 11 novembre"; 0 when it does not exist; None when not written."""
    if not day:
        return None
    n = 1 if day.lower() == "1er" else int(day)
    return n if 1 <= n <= calendar.monthrange(year, month)[1] else 0


def _before(year: int, month: int, day: int | None, anchor: PartialDate) -> bool:
    if anchor.month is None or year != anchor.year:
        return year < anchor.year
    if month != anchor.month or day is None or anchor.day is None:
        return month < anchor.month
    return day < anchor.day


def _after(year: int, month: int, day: int | None, anchor: PartialDate) -> bool:
    if anchor.month is None or year != anchor.year:
        return year > anchor.year
    if month != anchor.month or day is None or anchor.day is None:
        return month > anchor.month
    return day > anchor.day


def _number(word: str, mappings: Mappings) -> int | None:
    word = word.lower().strip()
    if word in mappings.numbers:
        return mappings.numbers[word]
    digits = re.match(r"\d+", word)
    return int(digits.group()) if digits else None


_ANCHOR_HEAD = 40
_LEAD_WORD = re.compile(r"[^\W\d_]+\s+")  # the word a date expression opens with ("de 1975"), if any
_RANGE_HEAD = 20  # characters before a date searched for the words that make it a range's end
_ASIDE = frozenset({"negation", "exclusion", "hypothesis", "family"})


def _date_order(d: PartialDate) -> tuple[int, int, int]:
    return d.year, d.month or 0, d.day or 0


class _Dated:
    """The mentions that may anchor an event a relative date names, per anchor row, indexed once per report.

    An anchor is the last (or the earliest dated) mention of the row's kinds before the expression, dated in its
    own sentence; walking back over every earlier mention per expression made a long report quadratic. Per anchor
    row: the positions (in ``mentions``) of those mentions, all and by table row ("le diagnostic initial de CIVD"
    takes a mention of that row only), each with a running "earliest date so far" for ``pick: first``.
    """

    def __init__(self, mentions: list[Mention], structure: Structure) -> None:
        self.mentions = mentions
        self.structure = structure
        # id(anchor row) -> (every eligible mention, the eligible mentions by id(mention row)); each a _Run
        self._index: dict[int, tuple[_Run, dict[int, _Run]]] = {}

    def _runs(self, row: Any) -> tuple[_Run, dict[int, _Run]]:
        found = self._index.get(id(row))
        if found is None:
            every = _Run(self.mentions)
            by_row: dict[int, _Run] = {}
            sentence_at = self.structure.sentence_at
            for i, m in enumerate(self.mentions):
                if (
                    m.kind in row.kinds
                    and m.date is not None
                    and sentence_at(m.date.start) == m.sentence
                    and (not row.categories or getattr(m.row, "category", None) in row.categories)
                    and not m.qualifiers.keys() & _ASIDE
                ):
                    every.add(i, m.date)
                    run = by_row.get(id(m.row))
                    if run is None:
                        run = by_row[id(m.row)] = _Run(self.mentions)
                    run.add(i, m.date)
            found = self._index[id(row)] = (every, by_row)
        return found

    def anchor(self, row: Any, before: int, named: list[Mention]) -> PartialDate | None:
        """The date of the anchor among ``mentions[:before]``; ``named``: the mentions the expression names (their
        rows only), or none (any row)."""
        every, by_row = self._runs(row)
        if named:
            runs = [by_row[r] for r in {id(n.row) for n in named} if r in by_row]
        else:
            runs = [every]
        best = -1
        for run in runs:
            i = run.upto(before, row.pick == "first")
            if i >= 0 and (
                best < 0
                or (row.pick != "first" and i > best)
                or (row.pick == "first" and (_date_order(self._date(i)), i) < (_date_order(self._date(best)), best))
            ):
                best = i
        return self._date(best) if best >= 0 else None

    def last(self, row: Any, before: int) -> int:
        """The position of the last mention of ``row``'s kinds before ``mentions[before]``, dated or not, or -1."""
        for k in range(before - 1, -1, -1):
            m = self.mentions[k]
            if m.kind in row.kinds and not m.qualifiers.keys() & _ASIDE:
                return k
        return -1

    def _date(self, i: int) -> PartialDate:
        date = self.mentions[i].date
        assert date is not None  # only dated mentions are indexed
        return date


class _Run:
    """Positions of some mentions in text order, with the position of the earliest date up to each (the first one
    among equal dates, as ``min`` over them in text order picks)."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.at: list[int] = []
        self.earliest: list[int] = []
        self._mentions = mentions
        self._best: tuple[int, int, int] | None = None

    def add(self, i: int, date: PartialDate) -> None:
        order = _date_order(date)
        if self._best is None or order < self._best:
            self._best = order
            self.earliest.append(i)
        else:
            self.earliest.append(self.earliest[-1])
        self.at.append(i)

    def upto(self, before: int, first: bool) -> int:
        """The last position below ``before`` (``first``: the one with the earliest date among them), or -1."""
        k = bisect.bisect_left(self.at, before)
        if not k:
            return -1
        return self.earliest[k - 1] if first else self.at[k - 1]


def _named_anchor(
    text: str,
    span: tuple[int, int],
    words: str,
    at: int,
    dated: _Dated,
    episode: PartialDate | None,
    mappings: Mappings,
) -> PartialDate | None:
    head = words[:_ANCHOR_HEAD]  # the event is named right after the cue, not somewhere later in the clause
    if any(p.match(head) for p, _ in mappings.event_end_cues):
        # "six mois après la fin de la chimiothérapie": the event's dated mention gives when it began; only a date
        # written as the end of a range ("de janvier à juin 2015") is when it ended
        found = _named_anchor(text, span, head[head.find(" ") :], at, dated, None, mappings)
        ends = found is not None and any(
            p.search(text, max(0, found.start - _RANGE_HEAD), found.start) for p, _ in mappings.range_end_cues
        )
        return found if ends else None
    mentions = dated.mentions
    for pattern, ref in mappings.anchor_rules:
        if not pattern.search(head):
            continue
        row = ref.row
        if row.episode:
            return episode if episode is not None and episode.end <= at else None
        # "six mois après le diagnostic initial de CIVD": the event of that very disease (or act), not any
        lo = bisect.bisect_left(mentions, span[0], key=lambda x: x.start)
        hi = bisect.bisect_left(mentions, span[1], key=lambda x: x.start)
        named = [
            m for m in mentions[lo:hi] if m.kind in row.kinds and term_keys(m.text)[0] not in mappings.generic_surgery
        ]  # "la chirurgie": any surgery
        # only a mention dated in its own sentence is a certain anchor (not one dated by its paragraph): the last one
        # before the expression, or the earliest dated (``pick: first``)
        if row.named and not named:
            return None  # "le traitement par radiofréquence": not a drug, the row's event is not named
        before = bisect.bisect_left(mentions, at, key=lambda x: x.start)
        if row.sentences is not None:
            # "ce traitement": the last such mention, if it is near and dated in its own sentence; one further back
            # is not surely the one meant
            k = dated.last(row, before)
            m = mentions[k] if k >= 0 else None
            if m is None or m.date is None or m.sentence < dated.structure.sentence_at(at) - row.sentences:
                return None
            return m.date if dated.structure.sentence_at(m.date.start) == m.sentence else None
        return dated.anchor(row, before, named)
    return None  # the text names an event we cannot date: ambiguous, left out


def resolve_relative(
    text: str,
    absolute: list[PartialDate],
    mentions: list[Mention],
    structure: Structure,
    episode: PartialDate | None,
    mappings: Mappings,
    unresolved: list[int] | None = None,
) -> list[PartialDate]:
    """The relative date expressions of ``text`` that resolve with certainty, in text order.

    ``absolute`` are the absolute dates (``dates.find_dates``); ``mentions`` carry the dates those give them
    (named anchors); ``episode`` is the date of the presenting episode ("au 3e jour de son hospitalisation").
    ``unresolved``, when given, receives where each expression that does not resolve starts.
    """
    found: list[tuple[int, int, re.Match[str], RowRef]] = []
    taken = SpanSet()
    absolute = sorted(absolute, key=lambda d: d.start)
    # the rules the text may match, each with where its matches may start (None: not known, every offset is tried)
    rules = windowed(mappings.relative_rules, text)
    rule_keys = [
        [k for key in ref.row.keys for k in (mappings.months if key == "{MONTH}" else [key])] for _, ref, _ in rules
    ]
    # rules share keys (the months, "après", "jour"): each is found once
    lower = text.lower()
    # (the word index the table patterns built for the report, when its offsets are those of ``lower``)
    index = folded_words(text) if len(lower) == len(text) else None
    key_starts = _key_starts(lower, {k for keys in rule_keys for k in keys}, index)
    for (pattern, ref, starts), keys in zip(rules, rule_keys, strict=True):
        for m in _search(pattern, starts, text, keys, key_starts):
            k = bisect.bisect_left(absolute, m.end(), key=lambda d: d.start)  # dates are short: neighbours only
            if any(m.start() < d.end and d.start < m.end() for d in absolute[max(0, k - 4) : k]):
                continue
            if taken.overlaps(m.start(), m.end()):
                continue
            found.append((m.start(), m.end(), m, ref))
            taken.add(m.start(), m.end())
    found.sort(key=lambda f: f[0])
    resolved: list[PartialDate] = []
    dated = _Dated(mentions, structure)
    for start, end, m, ref in found:
        date = _resolve(text, start, end, m, ref, absolute, resolved, dated, structure, episode, mappings)
        if date is not None:
            resolved.append(date)
        elif unresolved is not None:
            unresolved.append(start)
    return resolved


_WINDOW = 90  # characters searched on each side of a key word


_SHARED_SCAN = 8  # keys opening with one letter from which one scan for the letter costs less than one per key


def _key_starts(
    lower: str, keys: set[str], index: tuple[str, dict[int, list[int]]] | None = None
) -> dict[str, list[int]]:
    """Where each key starts a word of ``lower`` ("mai", not "semaine"), in text order. A scan of the text costs about
    the same whatever it finds: a key that extends a shorter one ("décembre" of "déc") is looked for only where the
    shorter one starts a word, and the many keys opening with one letter ("j1" ... "j9", "j+", "janvier", "jour")
    where the letter does (``_SHARED_SCAN``), not each in a scan of its own.

    ``index``: the report's folded copy and word-start index (``prefilter_text.folded_words``), when built: a key is
    then looked for only at the words starting with its first two characters (no scan of the text at all; ~30 scans
    were a tenth of the date stage). Those are the starts of letter and digit runs: a key right after a digit
    ("15jours") is not found there, and no relative rule matches such a key (each has its keys after a blank, a
    hyphen or at a ``(?<![\\w-])``)."""
    out: dict[str, list[int]] = {}
    by_letter: dict[str, list[str]] = {}
    # (in alphabetical order a key's prefixes come before it, the shorter first: a sort with no key function, which
    # compiled called a Python lambda per comparison)
    for key in sorted(keys):
        by_letter.setdefault(key[0], []).append(key)
    for letter, group in by_letter.items():
        shared = _word_starts_of(lower, letter) if len(group) >= _SHARED_SCAN and index is None else None
        for n, key in enumerate(group):
            shorter = shared
            for k in range(n):  # the shortest earlier key that starts this one
                if key.startswith(group[k]):
                    shorter = out[group[k]]
                    break
            if shorter is None:
                out[key] = _word_starts_of(lower, key) if index is None else _indexed_starts(lower, key, index)
            else:
                size = len(key)  # (a slice compared: startswith with an offset was a generic method call, compiled)
                out[key] = [at for at in shorter if lower[at : at + size] == key]
    return out


_HEADS: dict[str, int] = {}  # key -> the word index key of its first two characters, folded


def _indexed_starts(lower: str, key: str, index: tuple[str, dict[int, list[int]]]) -> list[int]:
    """Where ``key`` (two characters at least) starts a word of ``lower``, from the words of the index whose first two
    folded characters are the key's."""
    head = _HEADS.get(key)
    if head is None:
        head = _HEADS[key] = _key(_fold(key[:2]))  # (the keys are the table's: a few dozen, folded once)
    at = index[1].get(head)
    if not at:
        return []
    size = len(key)
    return [i for i in at if lower[i : i + size] == key]


def _word_starts_of(lower: str, key: str) -> list[int]:
    """Where ``key`` starts a word of ``lower``."""
    found: list[int] = []
    at = lower.find(key)
    while at != -1:
        if at == 0 or not lower[at - 1].isalpha():
            found.append(at)
        at = lower.find(key, at + 1)
    return found


def _search(
    pattern: re.Pattern[str],
    starts: list[int] | None,
    text: str,
    keys: list[str],
    key_starts: dict[str, list[int]],
) -> list[re.Match[str]]:
    """``pattern.finditer(text)``, restricted to windows around the key words when the rule names some, tried only at
    ``starts`` (the table prefilter's candidate starts: every offset where a match may start), when known.
    ``key_starts``: where each key starts a word (``_key_starts``)."""
    if not keys:
        return list(pattern.finditer(text)) if starts is None else _at_starts(pattern, text, starts, 0, len(text))
    windows: list[list[int]] = []
    for key in keys:
        windows.extend([max(0, at - _WINDOW), min(len(text), at + len(key) + _WINDOW)] for at in key_starts[key])
    windows.sort()
    merged: list[list[int]] = []
    for w in windows:
        if merged and w[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], w[1])
        else:
            merged.append(w)
    out: list[re.Match[str]] = []
    for lo, hi in merged:
        # (a window without a candidate start costs one bisection, not a finditer call)
        out.extend(pattern.finditer(text, lo, hi) if starts is None else _at_starts(pattern, text, starts, lo, hi))
    return out


def _at_starts(pattern: re.Pattern[str], text: str, starts: list[int], pos: int, endpos: int) -> list[re.Match[str]]:
    """What ``pattern.finditer(text, pos, endpos)`` finds, ``starts`` holding every offset where a match may start:
    a match is tried at each start in the window, one that starts inside the match kept before it is dropped (as
    ``finditer`` goes on from a match's end), as ``Prefiltered._at_starts`` does for ``Prefiltered.finditer``; here
    one call per window and rule."""
    lo = bisect.bisect_left(starts, pos)
    hi = bisect.bisect_right(starts, endpos, lo)
    out: list[re.Match[str]] = []
    end = pos
    for k in range(lo, hi):
        if starts[k] < end:
            continue
        m = pattern.match(text, starts[k], endpos)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


def _resolve(
    text: str,
    start: int,
    end: int,
    m: re.Match[str],
    ref: RowRef,
    absolute: list[PartialDate],
    resolved: list[PartialDate],
    dated: _Dated,
    structure: Structure,
    episode: PartialDate | None,
    mappings: Mappings,
) -> PartialDate | None:
    row = ref.row
    g = m.groupdict()
    anchor: PartialDate | None
    if row.anchor == "named" and g.get("anchor"):
        anchor = _named_anchor(text, m.span("anchor"), g["anchor"], start, dated, episode, mappings)
    elif row.anchor == "following":  # the first date starting after the expression (dates are in text order)
        k = bisect.bisect_left(absolute, end, key=lambda d: d.start)
        anchor = absolute[k] if k < len(absolute) else None
    elif row.anchor == "before_sentence":
        anchor = _last_ending_by(absolute, resolved, structure.sentences[structure.sentence_at(start)].start)
    else:
        anchor = _last_ending_by(absolute, resolved, start)
        if anchor is not None and _flashback(anchor, start, absolute, structure):
            return None
    if anchor is None:
        return None
    sign = -1 if row.direction == "before" else 1
    if row.keep == "year":
        if g.get("month"):
            month: int | None = int(g["month"]) if 1 <= int(g["month"]) <= 12 else None
        else:
            month = mappings.months.get((g.get("month_name") or "").lower().rstrip("."))
        if month is None:
            return None
        year = anchor.year + sign * (row.n or 0)
        day = _day(g.get("day"), year, month)
        if day == 0 or (row.forward and _before(year, month, day, anchor)):
            return None
        if row.anchor == "following" and _after(year, month, day, anchor):
            return None
        return PartialDate(year, month, day, start, end, ref.where, anchor)
    n = _number(g["n"], mappings) if g.get("n") else _number(g["ord"], mappings) if g.get("ord") else row.n
    unit = mappings.time_units.get((g.get("unit") or "").lower()) or row.unit
    if n is None or unit is None:
        return None
    date = shift(anchor, sign * n, unit, half=bool(g.get("half")))
    if date is None:
        return None
    return PartialDate(date.year, date.month, date.day, start, end, ref.where, anchor)


def _flashback(anchor: PartialDate, at: int, absolute: list[PartialDate], structure: Structure) -> bool:
    """The nearest earlier date goes back before a date written earlier ("adressée le 3 février 2024 ... Une phlébite
    survenue en 2016 avait guéri. ... Trois mois plus tard, ..."), two sentences back or more: the report may have
    come back to its later events since, so "plus tard" or "l'année précédente" may count from either date; left
    out. (In the next sentence the past is still being told: "... un cancer en 2010. Deux ans plus tard, ...".)"""
    if anchor.anchor is not None or structure.sentence_at(at) - structure.sentence_at(anchor.start) < 2:
        return False
    k = bisect.bisect_left(absolute, anchor.start, key=lambda d: d.start)
    return any(_before(anchor.year, anchor.month or 12, anchor.day, d) for d in absolute[:k])


def _last_ending_by(absolute: list[PartialDate], resolved: list[PartialDate], pos: int) -> PartialDate | None:
    """The last date (absolute or already resolved) that ends by ``pos``. Both lists are in text order and their
    dates do not overlap (relative expressions on an absolute date are skipped), so they are in end order too: two
    bisections, where sorting every earlier date for each expression made a long report quadratic."""
    best: PartialDate | None = None
    for dates in (absolute, resolved):
        i = bisect.bisect_right(dates, pos, key=lambda d: d.end)
        if i and (best is None or dates[i - 1].start > best.start):
            best = dates[i - 1]
    return best
