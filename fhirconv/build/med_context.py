"""What a drug's sentence says around it: the disease it treats and the dates that end it.

Both read ``mappings/medication_context.yaml``:
- ``indication_of``: the Condition a drug treats, when its sentence links them ("furosémide 40 mg/j pour une
  insuffisance cardiaque", "hypertension artérielle traitée par amlodipine", "Pour une fibrillation auriculaire, il
  prend du Xarelto"), never when the words between make the disease a consequence of the drug or the reason to
  stop it ("CIVD secondaire au traitement par Sunitinib").
- ``period_of``: a start and an end date when a start or end word precedes a date ("débuté le premier cycle en
  septembre 2016", "arrêté en juin 2016") or two dates are joined as a span ("de septembre 2017 à février 2018");
  else the date of the first mention. A date that ends a drug never starts it.
- ``form_code``: the local ATC code of a substance written with its form ("collyre de dexaméthasone" S01BA01, not
  the systemic H02AB02).
"""

from __future__ import annotations

import bisect
from itertools import pairwise
from typing import Any

from ..document import Mention, PartialDate
from .common import BuildContext, words_between

__all__ = ["condition_spans", "form_code", "indication_of", "period_of"]

_MAX_GAP_WORDS = 12  # drug and disease further apart than this are not linked
_BEFORE_WINDOW = 25  # characters before a disease searched for "pour une"
_END_WINDOW = 30  # characters before a date searched for an end word
_FORM_REACH = 40  # characters before or after a drug's name where its form is written ("gouttes auriculaires de")
_DATE_REACH = 1000  # characters after a drug where its start / end dates are looked for (qualifiers.MAX_SCOPE_CHARS)


def form_code(ctx: BuildContext, m: Mention) -> tuple[str, str] | None:
    """The ATC code of a drug's substance in the groups of the form written with it (medication_context.yaml
    ``forms``: "collyre de dexaméthasone" S01BA01, "hydrocortisone crème" D07AA02), or None: no form written, the
    drug's code already of that form, or no code of the substance there."""
    others = _substance_codes(ctx).get(m.row.display)
    if others is None:  # the substance has one code: no form changes it (most drugs; no pattern is tried)
        return None
    before = ctx.text[max(0, m.start - _FORM_REACH) : m.start]
    for pattern, ref in ctx.mappings.med_context.get("forms", ()):
        if ref.row.place == "before":
            hit = pattern.search(before)
        else:
            hit = pattern.match(ctx.text, m.end, m.end + _FORM_REACH)
        if hit is not None:
            groups = tuple(ref.row.atc)
            if m.row.atc.startswith(groups):
                return None
            return next((c for c in others if c[0].startswith(groups)), None)
    return None


# medications.csv by substance (display) -> its codes, for substances with more than one; one per table object
_SUBSTANCES: dict[int, tuple[Any, dict[str, list[tuple[str, str]]]]] = {}


def _substance_codes(ctx: BuildContext) -> dict[str, list[tuple[str, str]]]:
    table = ctx.mappings.medication_by_term
    held = _SUBSTANCES.get(id(table))
    if held is None or held[0] is not table:
        codes: dict[str, set[str]] = {}
        for ref in table.values():
            codes.setdefault(ref.row.display, set()).add(ref.row.atc)
        out = {d: [(c, d) for c in sorted(cs)] for d, cs in codes.items() if len(cs) > 1}
        held = _SUBSTANCES[id(table)] = (table, out)
    return held[1]


def condition_spans(conditions: list[dict[str, Any]]) -> list[tuple[int, int, dict[str, Any]]]:
    """Main evidence spans of the asserted Conditions (not refuted ones), in text order."""
    out = []
    for cond in conditions:
        if cond.get("resourceType") != "Condition":
            continue
        if any(c["code"] == "refuted" for c in cond.get("verificationStatus", {}).get("coding", [])):
            continue
        for ext in cond.get("extension", []):
            span = _main_span(ext.get("extension", ()))
            if span is not None:
                out.append((span[0], span[1], cond))
    return sorted(out, key=lambda x: x[0])


def _main_span(sub: Any) -> tuple[int, int] | None:
    """(start, end) an evidence extension cites, unless it cites the words of one element (a ``path``). A loop over
    its three or four parts, not a dict of them built per extension: a report reads ~100 of them, twice."""
    offset = length = None
    for e in sub:
        url = e["url"]
        if url == "offset":
            offset = e
        elif url == "length":
            length = e
        elif url == "path":
            return None
    if offset is None or length is None:  # every evidence extension has both (BuildContext.evidence)
        return None
    start = offset["valueInteger"]
    return start, start + length["valueInteger"]


def _cue(ctx: BuildContext, side: str, gap: str) -> bool:
    return any(p.search(gap) for p, _ in ctx.mappings.med_context.get(side, []))


def indication_of(
    ctx: BuildContext, mentions: list[Mention], spans: list[tuple[int, int, dict[str, Any]]]
) -> tuple[dict[str, Any], int, int] | None:
    """The Condition (and its evidence span) the drug of ``mentions`` treats, or None."""
    text = ctx.text
    best: tuple[int, tuple[dict[str, Any], int, int]] | None = None
    for m in mentions:
        sent = ctx.structure.sentences[m.sentence]
        # spans are in text order: only those of the drug's sentence are looked at (linear cost in long reports)
        # and within _DATE_REACH of the drug: at most _MAX_GAP_WORDS words apart (a sentence without end, in a report
        # without stops, made every drug look at every disease: quadratic)
        lo = bisect.bisect_left(spans, max(sent.start, m.start - _DATE_REACH), key=lambda x: x[0])
        hi = bisect.bisect_right(spans, min(sent.end, m.end + _DATE_REACH), key=lambda x: x[0])
        for cs, ce, cond in spans[lo:hi]:
            if not (sent.start <= cs and ce <= sent.end) or (cs < m.end and m.start < ce):
                continue
            if m.end <= cs:
                # the drug's own dosage does not count as distance ("Zométa 4 mg en perfusion ... pour des ...")
                after = max(m.end, m.attrs.get("dosage_span", (0, 0))[1])
                g0 = after if after <= cs else m.end
                words = words_between(text, g0, cs, _MAX_GAP_WORDS)
                if words > _MAX_GAP_WORDS:
                    if after <= cs:
                        break  # spans are in text order: the later ones are further still
                    continue
                gap = text[g0:cs]
                ok = _cue(ctx, "between_drug_condition", gap)
            else:
                words = words_between(text, ce, m.start, _MAX_GAP_WORDS)
                if words > _MAX_GAP_WORDS:
                    continue
                gap = text[ce : m.start]
                ok = _cue(ctx, "between_condition_drug", gap) or (
                    "med_stopped" not in m.qualifiers
                    and _cue(ctx, "before_condition", text[max(sent.start, cs - _BEFORE_WINDOW) : cs])
                )
            if not ok or _cue(ctx, "blocks", gap):
                continue
            if best is None or words < best[0]:
                best = (words, (cond, cs, ce))
    return best[1] if best else None


def period_of(
    ctx: BuildContext, mentions: list[Mention], dates: list[PartialDate]
) -> tuple[PartialDate | None, PartialDate | None]:
    """(start, end) of a drug from the dates of its mentions' sentences; (None, None) when none is stated."""
    text = ctx.text
    start: PartialDate | None = None
    end: PartialDate | None = None
    ends: set[int] = set()
    # per sentence: its dates and the "du ... au ..." ranges among them, read once (a drug named in every clause of
    # a sentence without end repeated the reading for each mention: quadratic)
    seen: dict[int, tuple[list[PartialDate], list[tuple[PartialDate, PartialDate]]]] = {}
    for m in mentions:
        sent = ctx.structure.sentences[m.sentence]
        if m.sentence not in seen:
            lo = bisect.bisect_left(dates, sent.start, key=lambda d: d.start)
            hi = bisect.bisect_right(dates, sent.end, key=lambda d: d.start)
            same = [d for d in dates[lo:hi] if sent.start <= d.start and d.end <= sent.end]
            ranges = [
                (a, b)
                for a, b in pairwise(same)
                if any(p.fullmatch(text, a.end, b.start) for p, _ in ctx.mappings.med_context.get("range_join", []))
                and _cue(ctx, "range_open", text[max(sent.start, a.start - 10) : a.start])
            ]
            seen[m.sentence] = (same, ranges)
        same, ranges = seen[m.sentence]
        for a, b in ranges:
            start, end = start or a, b
            ends.add(b.start)
        # the dates after the drug, within reach (a cue sits right before its date; a sentence of a normal report is
        # far shorter than the reach)
        for d in same[bisect.bisect_left(same, m.end, key=lambda d: d.start) :]:
            if d.start > m.end + _DATE_REACH:
                break
            if d.start in ends:
                continue
            before = text[max(m.end, d.start - _END_WINDOW) : d.start]
            if _cue(ctx, "end", before):
                end = end or d
                ends.add(d.start)
            elif start is None and _cue(ctx, "start", before):
                start = d
    # the statement's first mention dates it; a later mention's date is another moment of the course
    first = mentions[0].date
    dated = first if first is not None and first.start not in ends else None
    return start or dated, end
