"""A metastasis named without its site: the lesion of a site it is the suspected nature of, or the lymph node its
sentence names."""

from __future__ import annotations

import bisect

from ...document import SENTENCE_SPAN, Mention
from ..common import BuildContext, ByStart
from .model import _cim10_display, _Cond, _site_key


def _unsited_metastasis(ctx: BuildContext, c: _Cond, m: Mention, sites: ByStart) -> None:
    """The site of a metastasis word written without one: the lesions it names the nature of ("nodules pulmonaires
    évoquant des métastases"), else the lymph node of its sentence."""
    k = bisect.bisect_right(sites.ends, m.start)
    before = sites.mentions[k - 1] if k else None
    if (
        before is not None
        and before.sentence == m.sentence
        and ctx.mappings.phrases["nature_of"].fullmatch(ctx.text, before.end, m.start)
    ):
        _place(ctx, c, before)
    else:
        _nodal(ctx, c, m, sites)


def _place(ctx: BuildContext, c: _Cond, site: Mention) -> None:
    c.site = (site.row.icdo3, site.row.display)
    target = site.row.cim10_secondary
    if target:
        c.cim10 = (target, _cim10_display(ctx, target))
    c.key = f"tumour:6:{_site_key(site.row.icdo3)}"
    c.mentions.append(site)


def _nodal(ctx: BuildContext, c: _Cond, m: Mention, sites: ByStart) -> None:
    """ "La biopsie du ganglion sentinelle a retrouvé une micrométastase", "le curage axillaire : 2 ganglions sur 12
    sont le siège de métastases": a metastasis word with no site of its own after a lymph node (a C77 site) of its
    sentence is a nodal one, not adopted by the organ metastases the report names later (merging). It is given no
    site: placing it at the node cost FRACCO 0.2 point of morphology F1 (measured); only the node's secondary CIM-10
    code (C77.x), once merges are done (resource._neoplasm_code)."""
    # the sites of its sentence before it, walked back from it (sites are in text order and do not overlap): testing
    # every site of the report for each metastasis made a long report's cost quadratic; and of a sentence without
    # end (a text without full stops), those within SENTENCE_SPAN of it
    k = bisect.bisect_right(sites.ends, m.start)
    while k and sites.mentions[k - 1].sentence == m.sentence and m.start - sites.mentions[k - 1].start <= SENTENCE_SPAN:
        k -= 1
        if sites.mentions[k].row.icdo3.startswith("C77"):
            c.nodal, c.nodal_code = True, sites.mentions[k].row.cim10_secondary or None
            if sites.mentions[k].row.icdo3 == "C77.9":
                c.nodal_code = _named_group(ctx, sites, k) or c.nodal_code
            return
    c.nodal = False


_GROUP_REACH = 1000  # characters back to the same node words named with their group: the same paragraph, close
_DETERMINER_CHARS = 8  # "cette " and a space or two before the node's words


def _named_group(ctx: BuildContext, sites: ByStart, k: int) -> str | None:
    """ "une biopsie du ganglion sentinelle inguinal gauche ... ; le ganglion sentinelle contenait un dépôt
    métastatique": the lymph node named with no group (C77.9) is the one its same words named earlier in the
    paragraph with a group right after them (phrases.yaml node_gap): that group's C77 code, else None."""
    node, sentences = sites.mentions[k], ctx.structure.sentences if ctx.structure is not None else None
    # a definite or demonstrative determiner names the same node again ("le ganglion sentinelle"); an indefinite one
    # ("un second ganglion sentinelle") may name another
    anaphoric = ctx.mappings.phrases["anaphoric_determiner"]
    if sentences is None or not anaphoric.search(ctx.text, max(0, node.start - _DETERMINER_CHARS), node.start):
        return None
    words = node.text.lower()
    for j in range(k - 1, -1, -1):
        before = sites.mentions[j]
        if (
            node.start - before.start > _GROUP_REACH
            or sentences[before.sentence].paragraph != sentences[node.sentence].paragraph
        ):
            return None
        if before.text.lower() == words:
            groups = ByStart([n for n in ctx.mentions if n.kind == "lymph_node" and before.end <= n.start < node.start])
            group = group_right_after(ctx, before.end, before.sentence, groups)
            return str(group.row.icdo3) if group is not None else None
    return None


def _node_region(ctx: BuildContext, conds: list[_Cond], nodes: ByStart) -> None:
    """ "4 ganglions métastatiques sur 19 (secteurs VI et III)": a nodal metastasis placed in lymph nodes with no
    region (C77.9) takes the node group written right after its words in its sentence (phrases.yaml node_gap: a
    count, a bracket), as an adenopathy does (reading._node_group); its CIM-10 code is that group's C77 code."""
    for c in conds:
        if not c.morph or not c.morph[0].endswith("/6") or not c.site or c.site[0] != "C77.9":
            continue
        last = max(c.mentions, key=lambda x: x.end)
        n = group_right_after(ctx, last.end, last.sentence, nodes)
        if n is not None:
            c.site = (n.row.icdo3, n.row.display)
            c.cim10 = (n.row.icdo3, _cim10_display(ctx, n.row.icdo3))
            c.key = f"tumour:6:{_site_key(n.row.icdo3)}"
            c.mentions.append(Mention("topography", n.start, n.end, n.text, n.rows, n.rule, n.sentence))


def group_right_after(ctx: BuildContext, end: int, sentence: int, nodes: ByStart) -> Mention | None:
    """The lymph node group written right after the words ending at ``end`` in sentence ``sentence`` ("adénopathies
    dans la chaîne iliaque", "4 ganglions sur 19 (secteurs VI et III)"): the first of ``nodes`` (nodal mentions in
    text order) after ``end`` in that sentence that names a group (not C77.9), with only the words of phrases.yaml
    node_gap (a count, a bracket, a verb of finding, adjectives) between, else None. Nodes named again without a
    group on the way belong to the chain ("2 métastases ganglionnaires sur 12 ganglions (aires axillaires)"): the gap
    is read from the last of them. The one reading of "the group right after" for an adenopathy
    (reading._node_group), a nodal metastasis (_node_region) and a node named again (_named_group)."""
    node_gap = ctx.mappings.phrases["node_gap"]
    start = end
    for k in range(bisect.bisect_left(nodes.starts, end), len(nodes.mentions)):
        n = nodes.mentions[k]
        if (sentence >= 0 and n.sentence > sentence) or n.start - end > SENTENCE_SPAN:
            break  # a mention's sentence is the one its start is in: the later nodes are in later sentences
        if n.sentence != sentence or n.start < start or not node_gap.match(ctx.text[start : n.start]):
            continue
        if n.row.icdo3 != "C77.9":
            return n
        start = n.end
    return None
