"""The course of a disease: what each mention's cues say of it (history, treated, resolved, remission,
recurrence, with the date of that statement), whether the disease is episodic, and from those the merged
Condition's clinicalStatus and abatement; also the date comparisons merging relies on (onset, a year apart)."""

from __future__ import annotations

from typing import Any

from ...document import Mention
from ..common import BuildContext
from .model import _RANK, _Cond

_ENDING_CUES = ("resolved", "remission")
_END_DATE_REACH = 30  # characters between an ending cue and the date it gives ("en rémission complète depuis")
_ENDED = {"resolved", "remission"}
_PAST_COURSES = ("history", "resolved", "treated", "remission")
_COURSE_CUES = ("resolved", "remission", "recurrence", "treated", "history")  # the first one present wins
_YEAR_MONTHS = 12  # an episode dated this many months before the report's last date is over


def _course(ctx: BuildContext, m: Mention, recurrences: list[tuple[int, int]]) -> tuple[int, str | None, Any, Any]:
    """What the mention's own cues say of the disease's course, with the date of that statement when its sentence
    gives one. A recurrence cue that is itself a recurrence finding ("récidive ovarienne d'adénocarcinome
    gastrique") is that finding's Condition (``_fold_findings``), not a course of the tumour it names."""
    q = m.qualifiers
    end = range_end(m)
    if end is not None:  # "fumeur de 1975 à 1998", "ancien fumeur entre 1975 et 1998": it ended then
        return m.start, "resolved", end, m.date
    for kind in _COURSE_CUES:
        cue = q.get(kind)
        if cue is None:
            continue
        if kind == "recurrence" and any(
            s <= cue.start < e and (s, e) != (m.start, m.end) and not _recurrence_of(ctx, m, s, e)
            for s, e in recurrences
        ):
            continue
        if kind == "history" and "med_active" in q:
            break  # "antécédents d'IDC du sein sous aromasil": a past diagnosis still treated is current
        d = _date_after(ctx, cue.end, m.sentence) if kind in _ENDING_CUES else None
        if d is not None:  # "en rémission complète depuis 2017", "sevré en 2005": the end is that date
            return m.start, kind, d, m.date
        d = m.date
        same_sentence = (
            d is not None
            and d.start >= 0
            and ctx.structure is not None
            and ctx.structure.sentence_at(d.start) == m.sentence
        )
        return m.start, kind, d if same_sentence else None, m.date
    return m.start, None, None, m.date


def range_end(m: Mention) -> Any:
    """The end of the range the disease lasted ("fumeur de 1975 à 1998": 1998, set by ``dating.range_starts``; its
    onset is the range's start), or None."""
    return m.attrs.get("until")


def _recurrence_of(ctx: BuildContext, m: Mention, start: int, end: int) -> bool:
    """The recurrence word at ``start:end`` names ``m``'s recurrence ("récidive du cancer du sein", "lymphome de
    Hodgkin en rechute": phrases.yaml recurrence_of), not a recurrence finding of its own."""
    gap = (end, m.start) if end <= m.start else (m.end, start) if m.end <= start else None
    return gap is not None and ctx.mappings.phrases["recurrence_of"].fullmatch(ctx.text, *gap) is not None


def _date_after(ctx: BuildContext, offset: int, sentence: int) -> Any:
    """The date written right after an ending cue, in its sentence ("en rémission depuis 2017"), or None."""
    d = ctx.timeline.first_after(offset) if ctx.timeline is not None else None
    if d is None or d.start - offset > _END_DATE_REACH or ctx.structure is None:
        return None
    return d if ctx.structure.sentence_at(d.start) == sentence else None


def _episodic(ctx: BuildContext, c: _Cond) -> bool:
    ep = ctx.mappings.episodic
    if c.cim10 and (f"cim10:{c.cim10[0]}" in ep or f"cim10:{c.cim10[0][:3]}" in ep):
        return True
    if c.snomed and f"snomed:{c.snomed[0]}" in ep:
        return True
    row = c.mentions[0].row if c.key.startswith("finding:") else None
    return row is not None and f"finding:{row.term}" in ep


def _months(d: Any, latest: bool) -> int:
    """A partial date as a month count; a year alone counts as its last month (``latest``) or its first."""
    return int(d.year * 12 + (d.month or (12 if latest else 1)))


def _clinical_status(ctx: BuildContext, c: _Cond, present: Any, recovery: list[int]) -> tuple[str, Any]:
    """clinicalStatus and abatement of a merged Condition from its mentions' courses (policy in the docstring)."""
    if c.clinical == "recurrence":  # a recurrence finding made its own Condition (_fold_findings)
        return "recurrence", None
    malignant = bool(c.morph and c.morph[0][-1] in "36")
    state, abatement = "active", None
    # a cancer is past only when the text never names it as current ("antécédents de lymphome" in a report about
    # that lymphoma is its first diagnosis, not a cured disease)
    past_cancer = malignant and all(course is not None for _, course, *_ in c.courses)
    for _, course, date, _ in sorted(c.courses, key=lambda x: x[0]):
        if course is None:
            # a cancer named again after its remission or its past treatment is the current disease again
            if malignant and state in _ENDED:
                state, abatement = "active", None
            continue
        if course == "resolved":
            state, abatement = ("remission" if malignant else "resolved"), date
        elif course == "remission":
            state, abatement = "remission", date
        elif course == "recurrence":
            state, abatement = "recurrence", None
        elif course == "treated" and not malignant:
            state, abatement = "resolved", None
        elif course == "history" and (past_cancer or (not malignant and c.episodic)):
            state, abatement = "resolved", None
    if state != "active" or not c.episodic or not c.courses:
        return state, abatement
    if _year_after(c, present):
        return "resolved", None  # "admise en avril 2009 pour un abdomen aigu" in a report that goes on to 2016
    first = min(off for off, *_ in c.courses)
    if any(r > first for r in recovery):
        return "resolved", None  # "... l'état général s'est progressivement amélioré"
    return state, abatement


def _ended(c: _Cond) -> bool:
    """Every mention of ``c`` says it is past (antecedent, resolved, treated, in remission)."""
    return bool(c.courses) and all(kind in _PAST_COURSES for _, kind, *_ in c.courses)


def _recurs(c: _Cond) -> bool:
    """``c`` was read from a recurrence finding ("rechute", "récidive": findings.csv course)."""
    row = c.mentions[0].row if c.mentions else None
    return bool(row is not None and getattr(row, "course", None) == "recurrence")


def _apart(t: _Cond, c: _Cond) -> bool:
    """``c`` is dated a year or more after every dated mention of ``t``."""
    return _year_after(t, c.onset)


def _year_after(t: _Cond, when: Any) -> bool:
    """``when`` is a year or more after every dated mention of ``t`` (False when either has no date)."""
    dated = [d for *_, d in t.courses if d is not None]
    return bool(
        when is not None and dated and _months(when, False) - max(_months(d, True) for d in dated) >= _YEAR_MONTHS
    )


def _earliest(a: Any, b: Any) -> Any:
    """Onset of merged mentions: the earliest date any of them gives (a year alone sorts before its months). Two
    readings of one written date ("admis le 18/02/2024 pour un choc septique" and the Diagnostic section's "Choc
    septique", dated by that admission's month) are one date: the precise one, as written, wins."""
    if a is None or b is None:
        return a or b
    if a.start == b.start >= 0 and a.year == b.year and (a.month is None or b.month is None or a.month == b.month):
        return max(a, b, key=lambda d: (d.month is not None, d.day is not None))
    return min(a, b, key=lambda d: (d.year, d.month or 0, d.day or 0))


def _absorb(host: _Cond, c: _Cond) -> None:
    """``c`` is more evidence of ``host`` (the same disease named again): its mentions, the surer verification,
    the earlier onset and its courses go to ``host``."""
    host.mentions.extend(c.mentions)
    if _RANK[c.verification] > _RANK[host.verification]:
        host.verification = c.verification
    host.onset = _earliest(host.onset, c.onset)
    host.courses.extend(c.courses)
