"""Findings that restate the document's cancer: adenopathies as its nodal metastases, tumour cells, lesions
of a tumour's organ, recurrences and infiltrations elsewhere as metastases, remission statements as its course,
and generic words ("la tumeur", "la lésion") as more evidence of the disease they stand for."""

from __future__ import annotations

import bisect

from ...document import Mention
from ...normalise import term_keys
from ..common import BuildContext, ByStart
from .merging import _two_sides
from .model import _ANAPHORS, _GENERIC_MORPH, _RANK, _cim10_display, _Cond, _haematological, _primary, _site_key
from .status import _earliest
from .tumours import _coordinated

_DISEASE_BEFORE = 3  # mentions right before the involvement where its disease may end (its site words are mentions)


def _remitting(c: _Cond, conds: list[_Cond]) -> _Cond | None:
    """With no cancer in the report, the disease a remission stated alone is about: the last chronic disease named
    in its sentence or the one before ("Maladie de Crohn iléale sous infliximab. Rémission complète depuis 2019."),
    not an episodic one (an infection ends, it does not remit), not one only suspected or ruled out."""
    at = c.mentions[0]
    best = None
    for o in conds:
        if not o.key.startswith("cim10:") or o.verification != "confirmed" or o.episodic:
            continue
        last = max((m for m in o.mentions if m.end <= at.start), key=lambda m: m.end, default=None)
        if (
            last is not None
            and at.sentence - 1 <= last.sentence <= at.sentence
            and (best is None or last.end > best[0])
        ):
            best = (last.end, o)
    return best[1] if best is not None else None


def _of_another_disease(ctx: BuildContext, c: _Cond, conds: list[_Cond]) -> bool:
    """ "Pancréatite aiguë en 2020, sans récidive de pancréatite": a recurrence ruled out whose complement names a
    disease other than a tumour is that disease's, not the cancer's ("sans récidive de sa maladie néoplasique", "de la
    lésion" are the cancer's). (Once per recurrence ruled out: a report has few.)"""
    # (phrases.yaml recurrence_of: the words between a recurrence word and the disease it is the recurrence of)
    after = ctx.mappings.phrases["recurrence_of"].match(ctx.text, c.mentions[0].end)
    if after is None:
        return False
    # (a disease of a code of its own: not a finding, "sans récidive de la lésion trachéale" is the tumour's)
    return any(o.key.startswith("cim10:") and any(m.start == after.end() for m in o.mentions) for o in conds)


def _coordinated_spread(ctx: BuildContext, c: _Cond, primary: _Cond, sites: ByStart) -> list[_Cond]:
    """ "infiltration du foie et du pancréas", "envahissement des ganglions iliaques, du péritoine et de l'épiploon":
    each site coordinated with the spread's site is one more metastasis, as after a metastasis word
    (tumours._coordinated); not the primary's own organ, which is its local extent. ``sites``: the report's
    topography mentions in text order."""
    organ = primary.site[0][:3] if primary.site else None
    out = []
    for other in _coordinated(ctx, c, sites, False):
        if other.site is None or other.site[0][:3] != organ:
            head = other.mentions[0]  # the finding's word up to the site: still a finding, not a morphology term
            other.mentions[0] = Mention("finding", head.start, head.end, head.text, head.rows, head.rule, head.sentence)
            other.verification, other.onset, other.courses = c.verification, c.onset, list(c.courses)
            other.primary = primary
            out.append(other)
    return out


def _head_alone(c: _Cond) -> bool:
    """A finding written as its head word alone ("une récidive"), no modifier read after it."""
    return term_keys(c.text)[0] == term_keys(c.mentions[0].row.term)[0]


def _node_group_within(ctx: BuildContext, c: _Cond) -> None:
    """ "atteinte des ganglions lymphatiques para-aortiques": a spread to lymph nodes of no region (C77.9) takes the
    node group written within its words (lymph_nodes.csv), and that group's C77 code as its CIM-10 code."""
    if not c.site or c.site[0] != "C77.9":
        return
    words = c.mentions[0]
    k = bisect.bisect_left(ctx.mention_starts, words.start)
    for n in ctx.mentions[k:]:
        if n.start >= words.end:
            return
        if n.kind == "lymph_node" and n.end <= words.end and n.row.icdo3 != "C77.9":
            c.site = (n.row.icdo3, n.row.display)
            c.cim10 = (n.row.icdo3, _cim10_display(ctx, n.row.icdo3))
            c.mentions.append(Mention("topography", n.start, n.end, n.text, n.rows, n.rule, n.sentence))
            return


def _nodal_involvement(ctx: BuildContext, c: _Cond) -> bool:
    """ "atteinte ganglionnaire", "l'atteinte des ganglions iliaques": a generic involvement word (phrases.yaml
    nodal_involvement) whose site is a lymph node; with a confirmed cancer, its spread to the nodes."""
    site = next((m for m in c.mentions if m.kind == "topography"), None)
    return (
        site is not None
        and site.row.icdo3.startswith("C77")
        and ctx.mappings.phrases["nodal_involvement"].match(c.text) is not None
        and not _involvement_of_a_disease(ctx, c.mentions[0].start)
    )


def _involvement_of_a_disease(ctx: BuildContext, start: int) -> bool:
    """ "une sarcoïdose avec atteinte ganglionnaire médiastinale": the involvement is of the disease named right
    before it ("avec", "et"), not a cancer's spread (a tumour's words are also a morphology mention: "cancer du
    côlon avec atteinte ganglionnaire" is its spread)."""
    k = bisect.bisect_left(ctx.mention_starts, start)
    window = ctx.mentions[max(0, k - _DISEASE_BEFORE) : k]
    tumours = {m.start for m in window if m.kind == "morphology"}
    return any(
        m.kind == "condition"
        and m.start not in tumours
        and ctx.mappings.phrases["with_involvement"].fullmatch(ctx.text, m.end, start)
        for m in window
    )


def _words_and_site(c: _Cond, host: _Cond) -> list[Mention]:
    """The mentions of a finding folded into ``host`` that ``host`` cites: its words, and its site word when that is
    the host's organ ("la masse pulmonaire" folded into the lung adenocarcinoma: "pulmonaire" is more evidence of the
    bodySite). A site elsewhere is not the host's: it is left out."""
    organ = host.site[0][:3] if host.site else None
    return [m for m in c.mentions if m.kind != "topography" or (organ is not None and m.row.icdo3[:3] == organ)]


def _fold_findings(ctx: BuildContext, conds: list[_Cond]) -> list[_Cond]:
    """Findings that restate the document's cancer.
    - A lesion of the organ where a tumour or metastasis is diagnosed ("lésions hépatiques" ... "métastases
      hépatiques") becomes more evidence of that Condition, not a second one.
    - A recurrence or an infiltration (findings.csv ``course``) at another site than the confirmed primary is a
      metastasis of that site with the primary's histology ("récidive ovarienne", "infiltration de la moelle
      osseuse"); at the primary's site or none, a recurrence is the primary recurring (clinicalStatus recurrence),
      an infiltration is the primary's local extent (more evidence of it).
    A refuted finding ("pas de lésion hépatique") stays a negative finding of its own."""
    # the tumour of each organ; its named histology rather than a generic tumour word of that organ, whatever their
    # order ("adénocarcinome du rectum ... la tumeur rectale": the tumour restates the adenocarcinoma)
    tumours: dict[str, _Cond] = {}
    for c in conds:
        if c.morph and c.site and c.verification != "refuted":
            known = tumours.get(c.site[0][:3])
            generic = c.morph[0][:4] in _GENERIC_MORPH
            if known is None or not generic or (known.morph is not None and known.morph[0][:4] in _GENERIC_MORPH):
                tumours[c.site[0][:3]] = c
    primary = _primary(ctx, conds)
    out = []
    for c in conds:
        # localised adenopathies of a patient with a confirmed cancer are its nodal metastases, as registries and
        # the annotation code them ("adénopathie hilaire suspecte" stays provisional, a refuted one stays refuted)
        # (not a lymphoma's or a leukaemia's, ICD-O-3 9590-9999: its nodes are the disease itself, not a secondary
        # tumour; they stay adenopathies R59.x)
        if (
            c.key.startswith("nodes:")
            and c.site
            and not c.not_metastatic
            and primary is not None
            and primary.morph is not None
            and c.verification != "refuted"
            and not _haematological(primary)
        ):
            c.morph = (primary.morph[0][:4] + "/6", primary.morph[1])
            c.cim10 = (c.site[0], _cim10_display(ctx, c.site[0]))
            c.snomed, c.primary = None, primary
            c.key = f"tumour:6:{_site_key(c.site[0])}"
            out.append(c)
            continue
        # "cellules tumorales / malignes" (8001) in a document with a named tumour are that tumour's cells
        if (
            c.morph
            and c.morph[0][:4] == "8001"
            and c.verification != "refuted"
            and primary is not None
            and primary is not c
            and primary.morph
            and primary.morph[0][:4] not in _GENERIC_MORPH
        ):
            host = tumours.get(c.site[0][:3], primary) if c.site else primary
            if host is c:  # the tumour of its own site: the cells of the primary, elsewhere
                host = primary
            host.mentions.extend([m for m in c.mentions if m.kind != "topography"])
            continue
        status_course = getattr(c.mentions[0].row, "course", None) if c.key.startswith("finding:") else None
        if status_course == "recurrence" and c.verification == "refuted" and not c.site:
            # "sans signe de récidive", "pas de rechute locale": the recurrence of the patient's cancer is ruled out
            # (a refuted Condition with that cancer's codes); of no named cancer, or of another disease, it says nothing
            if primary is not None and primary.morph is not None and not _of_another_disease(ctx, c, conds):
                c.morph, c.cim10, c.snomed = primary.morph, primary.cim10, None
                c.key, c.recurs = f"recurrence:{primary.key}", primary
                out.append(c)
            else:
                ctx.dropped.append((c.mentions[0], "a recurrence ruled out, of no named cancer"))
            continue
        if status_course in ("remission", "response"):
            target = primary if primary is not None and primary.morph is not None else _remitting(c, conds)
            if c.verification == "confirmed" and target is not None:
                # "Rémission complète en juin 2012.": the cancer's course, from the date the sentence gives; the
                # words are the evidence of its clinicalStatus, not of the cancer
                target.status_evidence.extend(c.mentions)
                if status_course == "remission":
                    target.courses.append((c.mentions[0].start, "remission", c.onset, c.onset))
            else:
                ctx.dropped.append((c.mentions[0], "a remission of no named disease (findings.csv course remission)"))
            continue
        named = _antecedent(ctx, c, conds, tumours, primary)
        if named is not None:
            named.mentions.extend(m for m in c.mentions if m.kind != "topography" or named.site is not None)
            if c.morph:  # a tumour found before its histology was known: the disease starts then
                named.onset = _earliest(named.onset, c.onset)
            continue
        if status_course == "recurrence" and _head_alone(c):
            # "une récidive" alone, not ruled out (above): it is the cancer's course the recurrence cue gives, not a
            # Condition of its own (DisTEMIST does not count it as a disease); of no named cancer, of nothing
            ctx.dropped.append((c.mentions[0], "a recurrence word alone (findings.csv course recurrence)"))
            continue
        finding = c.key.startswith("finding:") and c.verification != "refuted"
        course = c.mentions[0].row.course if finding else None
        course = None if course in _ANAPHORS else course  # with a site or a code, an ordinary finding
        if finding and course is None and _nodal_involvement(ctx, c):
            course = "spread"
        if finding and course and primary is not None and primary.morph is not None:
            site_m = next((m for m in c.mentions if m.kind == "topography"), None)
            # (a lymphoma or a leukaemia does not metastasise: its relapse or infiltration elsewhere is the disease
            # itself, recurring or extending)
            # the primary's organ: its site words, or the organ its histology names when no site word is written
            # ("carcinome hépatocellulaire" is C22.0 by itself: its "récidive hépatique" is the primary recurring)
            organ = primary.site[0][:3] if primary.site else primary.cim10[0][:3] if primary.cim10 else None
            if (
                course != "cancer"
                and site_m is not None
                and _elsewhere(site_m, primary, organ)
                and not _haematological(primary)
            ):
                secondary = site_m.row.cim10_secondary  # (not `target`: one type per variable, for mypyc)
                c.morph = (primary.morph[0][:4] + "/6", primary.morph[1])
                c.cim10 = (secondary, _cim10_display(ctx, secondary)) if secondary else None
                c.primary, c.snomed = primary, None
                c.key = f"tumour:6:{site_m.row.icdo3[:3]}"
                _node_group_within(ctx, c)
                out.append(c)
                out.extend(_coordinated_spread(ctx, c, primary, ctx.sites))
                continue
            if course == "cancer":
                primary.mentions.extend(m for m in c.mentions if m.kind != "topography")
                continue
            if course == "recurrence":
                c.morph, c.site, c.cim10, c.snomed = primary.morph, primary.site, primary.cim10, None
                # the site is the primary's: its evidence is where the primary's site is written
                c.mentions = [m for m in c.mentions if m.kind != "topography"]
                c.mentions += [m for m in primary.mentions if m.kind == "topography"][:1]
                if not any(m.kind == "topography" for m in c.mentions):
                    c.site = None
                c.clinical, c.recurs = "recurrence", primary
                c.key = f"recurrence:{primary.key}"
                out.append(c)
                continue
            primary.mentions.extend(_words_and_site(c, primary))
            continue
        # (not a finding of another nature at the tumour's organ: "un abcès pulmonaire" is no more of the lung cancer)
        other = ctx.mappings.phrases["other_nature"].match(c.text) is not None
        target_c = tumours.get(c.site[0][:3]) if finding and c.site and not other else None
        if target_c is not None:
            target_c.mentions.extend(_words_and_site(c, target_c))
            target_c.onset = _earliest(target_c.onset, c.onset)
            continue
        if c.key.startswith("finding:") and getattr(c.mentions[0].row, "course", None) == "evidence":
            ctx.dropped.append((c.mentions[0], "a mass or nodule joined to no tumour (findings.csv course evidence)"))
            continue
        out.append(c)
    return out


def _elsewhere(site_m: Mention, primary: _Cond, organ: str | None) -> bool:
    """Whether a site word is another organ than the primary's (``organ``, its ICD-O-3 category): another category,
    or in one category two organs a cancer spreads to as to two (their secondary CIM-10 codes differ: the pleura
    C38.4, C78.2, is not the mediastinum C38.3, C78.1, the primary's site of a thymoma "récidive pleurale du
    thymome")."""
    if organ is None or site_m.row.icdo3[:3] != organ:
        return True
    if primary.site is None:
        return False  # the organ the histology itself names ("carcinome hépatocellulaire", C22.0)
    own = next((m.row for m in primary.mentions if m.kind == "topography" and m.row.icdo3 == primary.site[0]), None)
    secondary = site_m.row.cim10_secondary
    return bool(own is not None and own.cim10_secondary and secondary and secondary != own.cim10_secondary)


def _antecedent(
    ctx: BuildContext, c: _Cond, conds: list[_Cond], tumours: dict[str, _Cond], primary: _Cond | None
) -> _Cond | None:
    """The named disease a generic word stands for, or None. A report names its cancer once and then calls it
    "la tumeur", "le processus tumoral", "la lésion": those words (a generic tumour, ICD-O-3 8000 /1 or /3, or a
    findings.csv ``anaphor`` head alone: no modifier, no site, no code) are more evidence of the tumour of their
    organ, or of the document's primary when they name no organ, not a second disease. Not a benign one ("tumeur
    bénigne" 8000/0: another tumour), not one said to be another ("une seconde tumeur", phrases.yaml another) or
    on another side of its organ ("cancer du rein gauche" ... "carcinome du rein droit"), not a refuted one, and not into a tumour asserted less firmly than the word ("une tumeur" confirmed, its histology
    only suspected: the histology must not become confirmed). A bare "lésion" stands for the last lesion named
    before it, which may be no cancer ("une lésion cutanée ... la lésion a régressé", "un kyste biliaire ... cette
    lésion est bénigne"): then it is more evidence of that lesion."""
    if c.verification == "refuted" or primary is None or not primary.morph or primary.morph[0][:4] in _GENERIC_MORPH:
        return None
    generic = bool(c.morph and c.morph[0][:4] == "8000" and c.morph[0][-2:] in ("/1", "/3"))
    bare = _bare(c)
    if not (generic or bare):
        return None
    start = c.mentions[0].start
    # (a second "lésion" in a cancer report is mostly more of its spread: it stays the cancer's)
    if generic and ctx.mappings.phrases["another"].search(ctx.text, max(0, start - 20), start):
        return None
    host = tumours.get(c.site[0][:3]) if c.site else primary
    last = _last_lesion(ctx, c, conds) if bare else None
    if last is not None:
        host = last
    if host is None or host is c or _RANK[host.verification] < _RANK[c.verification]:
        return None
    if _two_sides(ctx, host, c):  # "cancer du rein gauche" in 2010, "carcinome ... du rein droit" now: two cancers
        return None
    return host


def _bare(c: _Cond) -> bool:
    """A findings.csv ``anaphor`` head alone ("la lésion", "ces lésions"). With modifiers ("lésions millimétriques
    supratentorielles", "lésion du sinus sphénoïde") it describes a finding of its own, maybe at a site no table
    knows."""
    row = c.mentions[0].row
    return (
        c.key.startswith("finding:")
        and c.site is None
        and c.cim10 is None
        and getattr(row, "course", None) in _ANAPHORS
        and term_keys(c.text)[0] == term_keys(row.term)[0]
    )


def _last_lesion(ctx: BuildContext, c: _Cond, conds: list[_Cond]) -> _Cond | None:
    """The disease named last before ``c`` when it is a circumscribed lesion other than a tumour, coded in CIM-10
    (phrases.yaml other_lesion: "kyste biliaire" K83.5, "abcès hépatique"). A finding ("une masse", "la lésion
    hépatique", "une éruption") or a tumour named last leaves the word to the cancer: in a cancer report they are
    mostly the cancer or its spread."""
    start = c.mentions[0].start
    best: tuple[int, _Cond | None] = (-1, None)
    for o in conds:
        if o is c or o.verification == "refuted" or _bare(o):
            continue
        at = max((m.start for m in o.mentions if m.kind != "topography" and m.start < start), default=-1)
        if at > best[0]:
            best = (at, o)
    last = best[1]
    if last is None or last.morph or last.cim10 is None or last.key.startswith(("finding:", "nodes:")):
        return None
    return last if ctx.mappings.phrases["other_lesion"].match(last.text) else None
