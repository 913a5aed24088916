"""Stage 5a - dates: absolute French date expressions as FHIR partial dates, and which mention each one dates.

Only what the text gives: "mars 2013" is ``2013-03``, never ``2013-03-01``. A mention takes the nearest date
before it in its sentence, else the nearest after it in the same sentence. Laboratory results, stages and
diagnoses may also take the last date of their paragraph (a panel or a diagnosis reported just after a dated
event), and diagnoses of the work-up sections the date of the presenting episode (see ``dates.yaml``). Relative
dates are left out for now (see the timeline issue); nothing is guessed.
"""

from __future__ import annotations

import bisect
import calendar
import re

from .document import Mention, PartialDate, SpanSet, Structure
from .tables import Mappings

__all__ = ["find_dates", "assign_dates"]


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
    if g.get("month_name"):
        month = mappings.months.get(g["month_name"].lower().rstrip("."))
    else:
        month = int(g["month"]) if g.get("month") else None
    if month is None or not 1 <= month <= 12:
        return None
    if precision == "month":
        return year, month, None
    day_s = g.get("day") or ""
    day = 1 if day_s.lower() == "1er" else int(day_s) if day_s.isdigit() else 0
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return year, month, day


# Kinds that take the last earlier date of their paragraph when their sentence has none: a result panel or a
# diagnosis reported just after a dated event ("Le 2 mars 2015, elle s'est rendue aux urgences ... Compte tenu de
# la coagulation intravasculaire disséminée ...").
_PARAGRAPH_DATED = {"observation", "stage", "tnm", "condition", "morphology"}
# Diagnoses written in the work-up sections without a date of their own belong to the presenting episode.
_EPISODE_DATED = {"condition", "morphology", "stage", "tnm"}
_WORKUP = {"exam", "tests", "diagnosis"}
_CLAUSE_BREAK = re.compile(r"[,;:()]")
_WORD = re.compile(r"[^\W_]+")


def _close_after(text: str, end: int, date_start: int) -> bool:
    gap = text[end:date_start]
    return not _CLAUSE_BREAK.search(gap) and len(_WORD.findall(gap)) <= 10


def presentation_date(text: str, dates: list[PartialDate], structure: Structure, mappings: Mappings) -> PartialDate | None:
    """The date of the presenting episode: the last date of a history-section sentence with an episode cue."""
    found = None
    for d in dates:
        sent = structure.sentences[structure.sentence_at(d.start)]
        if structure.sections[sent.section].key != "history":
            continue
        sentence = text[sent.start : sent.end]
        if any(p.search(sentence) for p, _ in mappings.episode_cues):
            found = d
    return found


def assign_dates(text: str, mentions: list[Mention], dates: list[PartialDate], structure: Structure,
                 mappings: Mappings) -> None:
    """Set ``mention.date`` from the dates of its sentence, its paragraph (results, diagnoses) or the presenting
    episode (diagnoses found in the work-up sections)."""
    if not dates:
        return
    episode = presentation_date(text, dates, structure, mappings)
    by_sentence: dict[int, list[PartialDate]] = {}
    by_paragraph: dict[int, list[PartialDate]] = {}  # grouped once: scanning every date per mention was quadratic
    for d in dates:
        sentence = structure.sentence_at(d.start)
        by_sentence.setdefault(sentence, []).append(d)
        by_paragraph.setdefault(structure.sentences[sentence].paragraph, []).append(d)
    for m in mentions:
        same = by_sentence.get(m.sentence, [])
        # Dates are in text order and do not overlap: the last one ending before the mention is a bisection away
        # (scanning the sentence's dates per mention was quadratic on a report without sentence ends).
        before = bisect.bisect_right(same, m.start, key=lambda d: d.end)
        # a date after the mention dates it only within the same clause, close by ("une résection intestinale
        # en juin 2013"), not a later event of the sentence (", il a été décidé de réaliser ... en juin 2013");
        # a longer gap only adds words and breaks, so only the first date after the mention can qualify
        after = bisect.bisect_left(same, m.end, key=lambda d: d.start)
        if before:
            m.date = same[before - 1]
        elif after < len(same) and _close_after(text, m.end, same[after].start):
            m.date = same[after]
        elif m.kind in _PARAGRAPH_DATED:
            para = structure.sentences[m.sentence].paragraph
            in_paragraph = by_paragraph.get(para, [])
            earlier = bisect.bisect_right(in_paragraph, m.start, key=lambda d: d.end)
            if earlier:
                m.date = in_paragraph[earlier - 1]
            elif m.kind in _EPISODE_DATED and episode is not None and episode.end <= m.start:
                if structure.sections[structure.sentences[m.sentence].section].key in _WORKUP:
                    m.date = episode
