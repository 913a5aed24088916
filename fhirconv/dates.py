"""Stage 5a - dates: the absolute French date expressions of a text as FHIR partial dates (``find_dates``), and the
stage's entry point ``resolve_dates``; which mention each date dates is ``dating.py``.

Finding: the ``patterns`` of ``dates.yaml`` in table order (the most precise first), none overlapping a date already
found; the patterns leave out counts, citations, classification years and lab values ("(OMS 2017)", "2-3-15"). Only
what the text gives: "mars 2013" is ``2013-03``, never ``2013-03-01``. A two-digit year is of the 2000s below 50,
else of the 1900s; a year outside 1900-2100, a month outside 1-12 or a day its month does not have is no date
("31/02/2015").
The stage: the absolute dates date the mentions (``dating.assign_dates``); relative dates ("deux mois après", "au 3e
jour post-opératoire") are resolved by ``timeline.py`` against a certain anchor and date the mentions of sentences
that have no absolute date (an absolute date is the better evidence), and a sentence whose relative date does not
resolve borrows no date; a disease written with its own range ("fumeur de 1975 à 1998") takes the range's start
(``dating.range_starts``). Nothing is guessed. ``resolve_dates`` sets ``Mention.date`` for every resource type and
returns the report's ``Timeline``.
"""

from __future__ import annotations

import calendar

from .dating import CueScans, assign_dates, presentation_date, range_starts
from .document import Mention, PartialDate, SpanSet, Structure
from .tables import Mappings
from .timeline import Timeline, find_periods, resolve_relative

__all__ = ["find_dates", "resolve_dates"]


def resolve_dates(text: str, mentions: list[Mention], structure: Structure, mappings: Mappings) -> Timeline:
    """Find the absolute and relative dates of ``text``, set ``mention.date`` and return the timeline.

    >>> # "En octobre 2008, ... Un mois après, il s'est présenté ..." -> dates 2008-10 and 2008-11 (anchored)
    """
    absolute = find_dates(text, mappings)
    scans = CueScans(text, structure, mappings) if absolute else None  # once: assign_dates may run twice
    assign_dates(text, mentions, absolute, structure, mappings, scans)
    episode = presentation_date(text, absolute, structure, mappings, scans)
    unresolved: list[int] = []
    relative = resolve_relative(text, absolute, mentions, structure, episode, mappings, unresolved)
    newly_undated = False
    if scans is not None and unresolved:
        # "six mois après la fin de la chimiothérapie" with no date of that end: the sentence's events are later
        # than the dates told before it by a delay we do not know; they borrow none (as "à 48 heures")
        before = len(scans.undated)
        scans.undated.update(structure.sentence_at(u) for u in unresolved)
        newly_undated = len(scans.undated) > before
    # An interval that ends at the event of its own sentence ("après 14 mois sans maladie, une masse ... en mai
    # 2015") does not date mentions where the sentence writes that event's absolute date.
    with_absolute = {structure.sentence_at(d.start) for d in absolute} if relative else set()
    intervals = {ref.where for _, ref in mappings.relative_rules if ref.row.anchor == "before_sentence"}
    usable = [d for d in relative if d.rule not in intervals or structure.sentence_at(d.start) not in with_absolute]
    if usable or newly_undated:
        for m in mentions:
            m.date = None
        dating = sorted([*absolute, *usable], key=lambda d: d.start)
        assign_dates(text, mentions, dating, structure, mappings, scans)
        asides = {(d.start, d.end): close for d in usable if (close := _bracket_close(text, d)) is not None}
        if asides:
            _undate_asides(text, mentions, dating, asides, structure, mappings, scans)
    every = sorted([*absolute, *relative], key=lambda d: d.start)
    periods = find_periods(text, every, mappings)
    if periods:
        range_starts(text, mentions, periods, structure, mappings)
    return Timeline(tuple(every), tuple(periods), episode)


_BRACKET_REACH = 80  # characters: an aside in brackets is short


def _bracket_close(text: str, d: PartialDate) -> int | None:
    """Where the brackets the date is written in close ("(contre 85 µmol/L six mois plus tôt)"), or None."""
    opened = text.rfind("(", max(0, d.start - _BRACKET_REACH), d.start)
    if opened < 0 or ")" in text[opened : d.start]:
        return None
    close = text.find(")", d.end, d.end + _BRACKET_REACH)
    return None if close < 0 or "(" in text[d.end : close] else close


def _undate_asides(
    text: str,
    mentions: list[Mention],
    dating: list[PartialDate],
    asides: dict[tuple[int, int], int],
    structure: Structure,
    mappings: Mappings,
    scans: CueScans | None,
) -> None:
    """A relative date in brackets is the aside's own ("Créatinine 265 µmol/L (contre 85 µmol/L six mois plus tôt),
    hématurie ..."): it dates what the brackets and the words before them say, not what the text tells after them
    (the rest of the sentence, the paragraph, the work-up); those mentions take the date they have without it."""
    late = [m for m in mentions if m.date is not None and m.start > asides.get((m.date.start, m.date.end), m.start)]
    if not late:
        return
    kept = [m.date for m in mentions]
    for m in mentions:
        m.date = None
    assign_dates(text, mentions, [d for d in dating if (d.start, d.end) not in asides], structure, mappings, scans)
    moved = {id(m) for m in late}
    for m, date in zip(mentions, kept, strict=True):
        if id(m) not in moved:
            m.date = date


def find_dates(text: str, mappings: Mappings) -> list[PartialDate]:
    """Every absolute date expression, non-overlapping, in text order."""
    found: list[PartialDate] = []
    taken = SpanSet()  # a bisection per match: testing each against every kept one was quadratic
    for pattern, ref in mappings.date_patterns:  # table order = priority (most precise first)
        for m in pattern.finditer(text):
            if taken.overlaps(m.start(), m.end()):
                continue
            date = _to_date(m.groupdict(), ref.row.precision, mappings)
            if date is None:
                continue
            found.append(PartialDate(date[0], date[1], date[2], m.start(), m.end(), ref.where))
            taken.add(m.start(), m.end())
    found.sort(key=lambda d: d.start)
    return found


def _to_date(g: dict[str, str | None], precision: str, mappings: Mappings) -> tuple[int, int | None, int | None] | None:
    year_s = g.get("year")
    if not year_s:
        return None
    year = int(year_s)
    if len(year_s) == 2:  # 2-digit years in case reports: 00-49 -> 2000s, 50-99 -> 1900s
        year += 2000 if year < 50 else 1900
    if not 1900 <= year <= 2100:
        return None
    if precision == "year":
        return year, None, None
    month_name, month_digits = g.get("month_name"), g.get("month")
    if month_name:
        month = mappings.months.get(month_name.lower().rstrip("."))
    else:
        month = int(month_digits) if month_digits else None
    if month is None or not 1 <= month <= 12:
        return None
    if precision == "month":
        return year, month, None
    day_s = g.get("day") or ""
    day = 1 if day_s.lower() == "1er" else int(day_s) if day_s.isdigit() else 0
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return year, month, day
