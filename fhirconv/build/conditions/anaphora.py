"""A disease named again by its head word alone, after a definite or demonstrative determiner ("un abcès hépatique
... l'abcès a été drainé", "un ulcère gastrique ... cet ulcère"), is the disease named before with more words: more
evidence of it, not a second Condition."""

from __future__ import annotations

import re

from ...normalise import term_keys
from ..common import BuildContext
from .model import _Cond
from .status import _absorb, _apart

_DETERMINER_WINDOW = 12  # characters before the head word where its determiner ("cette ", "de l'") may be
_GLOSS = re.compile(r"\s*\(\s*")  # the opening bracket of a gloss right after a finding's words


def _fold_bare_heads(ctx: BuildContext, conds: list[_Cond]) -> list[_Cond]:
    """Fold each bare head ("l'abcès": its words are its table term, no site, no tumour) into the one disease named
    before it whose words start with that head ("abcès hépatique"). Left alone: a head with an indefinite article
    ("un abcès": maybe another one), a head two earlier diseases start with ("ulcère gastrique", "ulcère
    duodénal" ... "l'ulcère"), a refuted one on either side, two episodes a year apart, a tumour (the tumour
    anaphors of findings.py read "la tumeur", "la lésion")."""
    determiner = ctx.mappings.phrases["anaphoric_determiner"]
    # the folded words of each disease, read only once a bare head after a determiner needs them (most reports
    # have none), and the cheap tests before the words of the head itself
    keys: dict[int, tuple[str, ...]] | None = None
    target: dict[int, _Cond] = {}
    for c in conds:
        if c.verification == "refuted" or c.site or c.morph:
            continue
        head = _bare_head(c)
        if head is None:
            continue
        start = c.mentions[0].start
        if not determiner.search(ctx.text, max(0, start - _DETERMINER_WINDOW), start):
            continue
        if keys is None:
            keys = {id(o): term_keys(o.text)[0] for o in conds if not o.morph}
        hosts = [
            o
            for o in conds
            if o is not c
            and not o.morph
            and o.verification != "refuted"
            and len(keys[id(o)]) > len(head)
            and keys[id(o)][: len(head)] == head
            and any(m.start < start for m in o.mentions)
            and not ((c.episodic or o.episodic) and (_apart(o, c) or _apart(c, o)))
        ]
        if len(hosts) == 1:
            target[id(c)] = hosts[0]
    out = []
    for c in conds:
        host = target.get(id(c))
        if host is None or id(host) in target:
            out.append(c)
            continue
        _absorb(host, c)
    return out


def _bare_head(c: _Cond) -> tuple[str, ...] | None:
    """The folded words of ``c`` when they are its table term alone ("abcès", "ulcère"), else None."""
    m = c.mentions[0] if c.mentions else None
    term = getattr(m.row, "term", None) if m is not None and m.kind in ("condition", "finding") else None
    if not term:
        return None
    words = term_keys(c.text)[0]
    return words if words and words == term_keys(term)[0] else None


def _fold_glossed(ctx: BuildContext, conds: list[_Cond]) -> list[_Cond]:
    """A finding with no code of its own glossed in brackets by the disease it is ("exérèse d'une lésion de la base
    de la langue (cystadénolymphome)", "une masse rénale (carcinome à cellules claires)") is more evidence of that
    disease, not a second Condition. Only when the bracket opens right after the finding's words and starts with
    the disease's own words, and both are asserted alike."""
    by_start = {m.start: c for c in conds for m in c.mentions if m.kind != "topography"}
    out = []
    for c in conds:
        host = None
        if not c.cim10 and not c.morph and c.mentions and c.mentions[0].kind == "finding":
            end = max(m.end for m in c.mentions)
            gloss = _GLOSS.match(ctx.text, end)
            host = by_start.get(gloss.end()) if gloss is not None and "(" in gloss.group() else None
        if host is None or host is c or host.verification != c.verification:
            out.append(c)
            continue
        if host.morph and host.site is None and c.site is not None:
            host.site = c.site  # the tumour is where the finding is: its code follows (neoplasm_cim10.csv)
        _absorb(host, c)
    return out
