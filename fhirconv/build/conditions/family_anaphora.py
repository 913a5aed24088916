"""A relative said to have the disease named just before ("... une polykystose rénale ; sa mère et son oncle
maternel en étaient atteints"): the pronoun "en" (phrases.yaml relatives_have_it) gives the disease to every relative
named between it and the disease. The disease stays the patient's too when the report says so. Relatives
coordinated with the one a disease is linked to have it too ("son père et son frère sont diabétiques")."""

from __future__ import annotations

import bisect

from ...document import Mention
from ..common import BuildContext, prefiltered, words_between

__all__ = ["anaphoric_family", "coordinated_family"]

_MAX_WORDS = 30  # words from the disease to the pronoun: a longer gap names something else in between


def anaphoric_family(ctx: BuildContext, family: list[tuple[Mention, Mention | None]]) -> list[tuple[Mention, Mention]]:
    """(disease, relative) pairs of the relatives that "en" gives the disease named before them; ``family``: the
    pairs already found (a relative with its own disease linked is left to it)."""
    pattern = prefiltered(ctx.mappings, "relatives_have_it")  # scans the report: tried where "en" is
    out: list[tuple[Mention, Mention]] = []
    linked = {(r.start, r.end) for _, r in family if r is not None}
    relatives = [m for m in ctx.mentions if m.kind == "relative"]
    if not relatives:
        return out
    diseases = [
        m
        for m in ctx.mentions
        if m.kind in ("condition", "morphology")
        and "alias_of" not in m.attrs
        and not ({"family", "negation", "exclusion", "hypothesis"} & m.qualifiers.keys())
    ]
    for match in pattern.finditer(ctx.text):
        s = match.start()
        sent = ctx.structure.sentence_at(s)
        rels = [r for r in relatives if r.sentence == sent and r.end <= s]
        if not rels:
            continue
        i = bisect.bisect_right(diseases, rels[-1].start, key=lambda d: d.end)
        if not i:
            continue
        d = diseases[i - 1]
        if d.sentence not in (sent, sent - 1) or words_between(ctx.text, d.end, s, _MAX_WORDS) > _MAX_WORDS:
            continue
        out.extend((d, r) for r in rels if r.start >= d.end and (r.start, r.end) not in linked)
    return out


def coordinated_family(
    ctx: BuildContext, family: list[tuple[Mention, Mention | None]]
) -> list[tuple[Mention, Mention]]:
    """(disease, relative) pairs of the relatives coordinated with the one a disease is linked to, before or after
    it ("son père et son frère sont diabétiques de type 2", "cancer du sein chez sa mère et sa sœur"): only
    conjunctions and determiners between them (phrases.yaml relatives_coordinated)."""
    pattern = ctx.mappings.phrases["relatives_coordinated"]
    out: list[tuple[Mention, Mention]] = []
    relatives = [m for m in ctx.mentions if m.kind == "relative"]
    index = {id(r): k for k, r in enumerate(relatives)}
    for d, rel in family:
        i = index.get(id(rel)) if rel is not None else None
        if i is None:
            continue
        j = i
        while j > 0 and pattern.fullmatch(ctx.text, relatives[j - 1].end, relatives[j].start):
            j -= 1
            out.append((d, relatives[j]))
        j = i
        while j + 1 < len(relatives) and pattern.fullmatch(ctx.text, relatives[j].end, relatives[j + 1].start):
            j += 1
            out.append((d, relatives[j]))
    return out
