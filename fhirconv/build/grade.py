"""Differentiation grade of a tumour (staging.yaml ``grades``) as an Observation focused on the tumour's Condition.

A grade expression belongs to the tumour written just before it in the same sentence ("adénocarcinome
moyennement différencié", "carcinome canalaire infiltrant de grade III"), with no other concept in between: a
toxicity grade ("neutropénie de grade 3") follows its own condition and is never taken for a tumour grade.
"""

from __future__ import annotations

import bisect
from typing import Any

from .. import fhirspec as F
from ..document import Mention
from .common import BuildContext, coding, concept, evidence

__all__ = ["build_grades"]

HISTOLOGIC_GRADE = ("371469007", "Histologic grade of neoplasm")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_MAX_GAP = 80  # characters from the end of the tumour words to the grade
_OTHER_CONCEPTS = {"condition", "finding", "symptom", "medication", "regimen", "procedure", "observation"}


def build_grades(ctx: BuildContext, conditions: list[Any]) -> None:
    """One Observation per grade expression that follows a tumour Condition's words."""
    hosts = [
        (m, c)
        for c in conditions
        if c.morph and c.verification != "refuted" and c.resource is not None
        for m in c.mentions
        if m.kind == "morphology"
    ]
    if not hosts:
        return
    # the tumour words by start (then rank, as the first of two with one start wins): a grade looks only at those
    # ending within _MAX_GAP before it, found by bisection (all of them for each grade made a long report quadratic)
    order = sorted(range(len(hosts)), key=lambda i: (hosts[i][0].start, i))
    starts = [hosts[i][0].start for i in order]
    longest = max(m.end - m.start for m, _ in hosts)
    seen: set[tuple[str, int]] = set()
    for pattern, ref in ctx.mappings.grades:
        for g in pattern.finditer(ctx.text):
            host = _host(ctx, g.start(), hosts, order, starts, longest)
            if host is None:
                continue
            value = ref.row.grade or _digit(g.group("grade"))
            key = (host.resource["id"], g.start())
            if value is None or key in seen:
                continue
            seen.add(key)
            m = Mention("grade", g.start(), g.end(), g.group(), (ref,), ref.where)
            ctx.add(
                {
                    "resourceType": "Observation",
                    "id": ctx.id_for("Observation", f"{g.start()}:grade"),
                    "extension": evidence(ctx, [m]),
                    "status": "final",
                    "category": [concept("Laboratory", coding(F.OBSERVATION_CATEGORY, "laboratory", "Laboratory"))],
                    "code": concept(g.group(), coding(F.SNOMED, *HISTOLOGIC_GRADE)),  # verbatim, as every code.text
                    "subject": ctx.patient_ref,
                    "focus": [ctx.ref(host.resource)],
                    "valueInteger": value,
                }
            )


def _host(
    ctx: BuildContext, at: int, hosts: list[tuple[Mention, Any]], order: list[int], starts: list[int], longest: int
) -> Any:
    """The tumour Condition a grade at ``at`` belongs to: the tumour words starting last at or before it, ending at
    most _MAX_GAP before it, in its sentence, with no other concept between them. ``order``: the ranks of ``hosts``
    by start (then rank), ``starts`` their starts, ``longest`` the longest tumour words."""
    sentence = ctx.structure.sentence_at(at)
    best = None
    # from the last tumour words starting at or before ``at``, back to the first that may still end near it; the
    # first found has the latest start (of one start, the first rank, as in hosts order)
    k = bisect.bisect_right(starts, at)
    while k > 0 and starts[k - 1] + longest >= at - _MAX_GAP:
        k -= 1
        m, c = hosts[order[k]]
        if best is not None and m.start < best[0].start:
            break
        if at - m.end <= _MAX_GAP and ctx.structure.sentence_at(m.start) == sentence:
            best = (m, c)
    if best is None:
        return None
    m, c = best
    lo = bisect.bisect_left(ctx.mention_starts, m.end)
    hi = bisect.bisect_left(ctx.mention_starts, at)
    if any(o.kind in _OTHER_CONCEPTS for o in ctx.mentions[lo:hi]):
        return None
    return c


def _digit(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else _ROMAN.get(text.upper())
