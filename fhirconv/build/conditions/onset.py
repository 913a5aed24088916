"""The onset of a disease named several times: an inherited date (the paragraph's, the presenting episode's) tells
when a later mention saw the disease again, not when it began; only the first naming's may date its onset."""

from __future__ import annotations

from typing import Any

from ...document import Mention, PartialDate
from ..common import BuildContext
from .model import _Cond

_NAMING = {"condition", "finding", "morphology"}  # the mentions that name a disease (not its site)
_HISTORY = {"history"}  # sections.yaml key of the history section


def seen_again_onset(ctx: BuildContext, conds: list[_Cond]) -> None:
    """Drop the onset of each Condition whose first naming, in the history section, is undated and whose onset comes only from a later
    mention dated by another sentence, by a date written after that first naming ("Antécédents : carcinome
    canalaire infiltrant du sein ... En novembre 2009, hématome du sein. Examen physique : tumeur érythémateuse"):
    the later date tells when the disease was seen again, an upper bound of its onset. The earliest date a
    mention's own sentence writes, if any, stays the onset."""
    structure = ctx.structure
    if structure is None:
        return
    by_span = {(m.start, m.end): m for m in ctx.mentions}  # the Condition's mentions are copies: the stage's dates
    for c in conds:
        if c.onset is None:
            continue
        named = sorted(
            (by_span.get((m.start, m.end), m) for m in c.mentions if m.kind in _NAMING), key=lambda m: m.start
        )
        if len(named) < 2 or named[0].date is not None or _section(named[0], structure) not in _HISTORY:
            continue  # a first naming in the work-up is dated by the episode once the work-up concludes
        sources = [m for m in named[1:] if m.date is not None and m.date.iso() == c.onset.iso()]
        if not sources or any(
            _own(m, m.date, structure) or m.date.start < named[0].end for m in sources if m.date is not None
        ):
            continue  # a date written before the first naming may be the whole story's ("En mars 2013, ...")
        own = [m.date for m in named if m.date is not None and _own(m, m.date, structure)]
        c.onset = min(own, key=lambda d: (d.year, d.month or 0, d.day or 0)) if own else None


def _own(m: Mention, d: PartialDate, structure: Any) -> bool:
    return bool(d.start >= 0 and structure.sentence_at(d.start) == m.sentence)


def _section(m: Mention, structure: Any) -> str:
    return str(structure.sections[structure.sentences[m.sentence].section].key)
