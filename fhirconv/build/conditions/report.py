"""What the whole report says of its tumours: a suspected tumour ruled out by the final diagnosis, the
site a histology written without one borrows from the report's generic tumour of one organ, from the carcinoma of its
sentence (an in situ component) or from the resection of one organ it was found in, and the sub-site that refines an
organ's code "sans précision"."""

from __future__ import annotations

import bisect
import re

from ...document import SENTENCE_SPAN, Mention
from ...normalise import term_keys
from ..common import BuildContext, ByStart, prefiltered
from .model import (
    _ANAPHORS,
    _GENERIC_MORPH,
    _cim10_display,
    _Cond,
    _family_of,
    _haematological,
    _site_key,
    _subsite_code,
)

_WORD = re.compile(r"[^\W\d_]+")


def _ruled_out(ctx: BuildContext, conds: list[_Cond]) -> None:
    """A tumour the report only suspected ("trois diagnostics ont été évoqués : un sarcome utérin, une tumeur
    ovarienne ou un syndrome de Krukenberg") is ruled out (``refuted``) when a later sentence states the final
    diagnosis (phrases.yaml final_diagnosis: "l'examen anatomopathologique a conclu à une tumeur fibreuse solitaire")
    and names another tumour. The words of that statement are cited as the evidence of its verificationStatus. Only
    tumours: a suspected infection beside a confirmed cancer is not answered by it."""
    if ctx.structure is None:
        return
    # primaries only: a suspected metastasis is not answered by the diagnosis of its primary
    suspected = [
        c for c in conds if c.morph and c.morph[0][-1] in "0123" and c.verification in ("provisional", "differential")
    ]
    if not suspected:
        return
    pattern = prefiltered(ctx.mappings, "final_diagnosis")  # most reports hold none of its words
    finals: list[tuple[int, Mention, _Cond]] = []  # (sentence, the statement's words, the tumour concluded to)
    for f in conds:
        if not f.morph or f.morph[0][-1] not in "0123" or f.verification != "confirmed":
            continue
        for m in f.mentions:
            if m.kind != "morphology" or m.sentence < 0:
                continue  # the final diagnosis names a histology ("de la lésion" is no conclusion)
            sent = ctx.structure.sentences[m.sentence]
            # the statement introduces the tumour: "a conclu à une X", "le diagnostic de X a été retenu"
            if (hit := pattern.search(ctx.text, sent.start, sent.end)) is not None and hit.start() < m.end:
                finals.append((m.sentence, Mention("cue", hit.start(), hit.end(), hit.group(), (), "", m.sentence), f))
                break
    folded: set[int] = set()
    for c in suspected:
        last = max(m.sentence for m in c.mentions)
        for sentence, cue, f in finals:
            if sentence <= last or f is c:
                continue
            if not _same_tumour(ctx, c, f):
                c.verification = "refuted"
                c.verification_evidence.append(cue)
            elif c.morph and f.morph and c.morph[0][:4] != f.morph[0][:4] and c.morph[0][:4] not in _GENERIC_MORPH:
                # "lymphome malin non hodgkinien" suspected, then "a confirmé le diagnostic de lymphome de Burkitt":
                # the suspicion named the same disease less precisely; one disease, one Condition
                f.mentions.extend(c.mentions)
                folded.add(id(c))
                for o in conds:
                    o.primary = f if o.primary is c else o.primary
                    o.host = f if o.host is c else o.host
            break
    if folded:
        conds[:] = [c for c in conds if id(c) not in folded]
    _dropped(ctx, [c for c in suspected if c.verification != "refuted" and id(c) not in folded])


def _dropped(ctx: BuildContext, suspected: list[_Cond]) -> None:
    """ "la piste néoplasique a été abandonnée" (phrases.yaml tumour_dropped): the tumours suspected before that
    sentence are ruled out, the statement cited as the evidence."""
    assert ctx.structure is not None
    # prefiltered: re tried the pattern's alternation of words at every offset of the report
    for hit in prefiltered(ctx.mappings, "tumour_dropped").finditer(ctx.text):
        sentence = ctx.structure.sentence_at(hit.start())
        cue = Mention("cue", hit.start(), hit.end(), hit.group(), (), "", sentence)
        for c in suspected:
            if c.verification != "refuted" and max(m.sentence for m in c.mentions) < sentence:
                c.verification = "refuted"
                c.verification_evidence.append(cue)


def _same_tumour(ctx: BuildContext, c: _Cond, f: _Cond) -> bool:
    """Could the suspected tumour ``c`` be the tumour ``f`` the report concludes to, named vaguely before? Two sites
    (of their own key) are two tumours; a generic word ("tumeur", "carcinome"), two carcinomas, or a histology
    "NOS" whose head word the other's name repeats ("lymphome" -> "lymphome de Burkitt": Malignant lymphoma, NOS /
    Burkitt lymphoma) is the same one; two other histologies are two."""
    assert c.morph is not None and f.morph is not None
    if c.site and f.site and _site_key(c.site[0]) != _site_key(f.site[0]):
        return False
    if c.morph[0][:4] == f.morph[0][:4] or c.morph[0][:4] in _GENERIC_MORPH or f.morph[0][:4] in _GENERIC_MORPH:
        return True
    if _family_of(c) == _family_of(f) == "carcinoma":
        return True  # "CBNPC" then "adénocarcinome du poumon": carcinoma types overlap (non-small cell, NOS ...)
    nos = c.morph[1].endswith("NOS") or f.morph[1].endswith("NOS")
    return nos and bool(_head_words(ctx, c.morph[1]) & _head_words(ctx, f.morph[1]))


def _head_words(ctx: BuildContext, display: str) -> set[str]:
    """The words of an ICD-O-3 display that name a kind of tumour ("lymphoma", "leukemia", "squamous"), not the
    words every display shares (phrases.yaml display_filler)."""
    filler = ctx.mappings.phrases["display_filler"]
    return {w for w in _WORD.findall(display.lower()) if not filler.match(w)}


def _site_mention(c: _Cond) -> Mention | None:
    """The site mention written with a tumour (its evidence, with its topography.csv row)."""
    return next((m for m in c.mentions[1:] if m.kind == "topography" and m.row.icdo3 == (c.site or ("",))[0]), None)


def _site_from_report(ctx: BuildContext, conds: list[_Cond]) -> list[_Cond]:
    """A malignant histology written without its site ("Biopsie : carcinome canalaire infiltrant") takes the site of
    the tumour the report names generically with its organ ("tumeur du sein", "cancer du côlon"), only when those
    generic tumours are all of one organ (two organs: the text does not say which, no site is invented). Not when
    its histology is sited elsewhere in the report (those mentions merge, _merge), nor for a lymphoid or
    haematopoietic neoplasm (its CIM-10 code is not the organ's). Its key stays its histology: keyed by the organ it
    would merge with the other tumours of that organ and lose their histologies (measured on fracco). Returns the
    tumours given a site."""
    # a site written with the tumour word, not one its own term names ("tumeur stromale gastro-intestinale": its key
    # stays its histology, the mentions of that histology already merge)
    sited = [
        o
        for o in conds
        if o.morph
        and o.site
        and o.morph[0][-1] in "13"
        and o.verification == "confirmed"
        and o.key == f"tumour:{o.morph[0][-1]}:{o.site[0][:3]}"
        and _site_mention(o) is not None
    ]
    given: list[_Cond] = []
    # the generic tumours of one organ, the most specific site first (C50.4 before C50.9); read once, not per tumour
    same = [o for o in sited if o.morph and o.morph[0][:4] in _GENERIC_MORPH]
    if not same:
        # no generic tumour: the lesions the report describes at an organ ("lésion bourgeonnante de la paroi
        # vésicale" ... "carcinome urothélial"), the findings.csv ``anaphor`` heads, on the same terms
        same = [
            o
            for o in conds
            if o.key.startswith("finding:")
            and o.site
            and o.verification == "confirmed"
            and getattr(o.mentions[0].row, "course", None) in _ANAPHORS
            and _site_mention(o) is not None
            # lesions said secondary ("lésions osseuses d'allure secondaire") are the spread, not the primary's organ
            and not ctx.mappings.phrases["metastatic"].search(o.text)
        ]
    if not same or len({o.site[0][:3] for o in same if o.site}) != 1:
        return given
    o = sorted(same, key=lambda x: bool(x.site and x.site[0].endswith(".9")))[0]
    s = _site_mention(o)
    assert o.site is not None and s is not None
    row = s.row
    # histologies sited somewhere in the report (the mentions of one histology merge, _merge), kept up to date as
    # tumours are given a site below
    sited_histologies = {x.morph[0][:4] for x in conds if x.site and x.morph}
    for c in conds:
        if (
            not c.morph
            or c.site
            or not c.morph[0].endswith("/3")
            or c.morph[0][:4] in _GENERIC_MORPH
            or c.verification == "refuted"
            or _haematological(c)
            or c.morph[0][:4] in sited_histologies
            or _own_site_words(ctx, c, s)
            or (c.verification != "confirmed" and _organ_elsewhere(ctx, c.morph[0], row.cim10_primary))
        ):
            continue
        c.mentions.append(s)
        c.site = o.site  # its key stays its histology: the generic tumour is not merged with it
        if row.cim10_primary:
            c.cim10 = (row.cim10_primary, _cim10_display(ctx, row.cim10_primary))
        sited_histologies.add(c.morph[0][:4])
        given.append(c)
    return given


def _organ_elsewhere(ctx: BuildContext, morph: str, lent: str | None) -> bool:
    """ "un glioblastome a été évoqué" in a breast cancer report: a histology that ICD-10 codes by its own organ only
    (neoplasm_cim10.csv: a row with no site, a glioma C71.9, and none by site), only suspected, does not take a site
    lent from the report's tumour of another organ (C50): it is another diagnosis than that tumour. A histology of
    any organ (sarcomas, melanomas: rows by site) still takes it ("évocateur d'un sarcome" of a mandibular mass).
    (Measured: for confirmed tumours too, it lost the right sites that the report's "masse" of an organ lends on
    FRACCO.)"""
    table = ctx.mappings.neoplasm_cim10
    code, behaviour = morph[:4], morph[-1]
    rule = table.get((code, behaviour, ""))
    if rule is None or not lent or rule[0][:3] == lent[:3]:
        return False
    return not any(k[0] == code and k[1] == behaviour and k[2] for k in table)


def _own_site_words(ctx: BuildContext, c: _Cond, site: Mention) -> bool:
    """ "mélanome nodulaire du mollet": the tumour's own words name a site topography.csv lacks, another than the
    one it would take ("lésions cérébrales"); it takes none (phrases.yaml own_site: "du", "de la", "de l'" and a noun
    that is no grade, type or person). The same noun is the same site ("carcinome ... de l'amygdale droite" takes
    "amygdale palatine"); an abbreviation is not read."""
    own_site = ctx.mappings.phrases["own_site"]
    lent = site.text.lower()
    for m in c.mentions:
        hit = own_site.match(ctx.text, m.end) if m.kind == "morphology" else None
        word = _WORD.findall(hit.group(0))[-1] if hit is not None else ""
        # an abbreviation ("de l'UGE") may be the lent site written short: no judgement
        if word and not word.isupper() and word.lower() not in lent:
            return True
    return False


def _subsite(ctx: BuildContext, conds: list[_Cond], sites: ByStart, borrowed: list[_Cond]) -> None:
    """A primary cancer coded for its whole organ ("adénocarcinome pulmonaire" C34.9) takes the sub-site the report
    writes elsewhere for that organ ("masse du lobe supérieur droit" C34.1, "quadrant supéro-externe" C50.4): only
    when the report names one sub-site of that CIM-10 category and has one histology family of that organ (counted on the
    tumours whose site is written with them, not ``borrowed`` from another by _site_from_report). The bodySite stays
    the organ written with the tumour: the sub-site only refines the CIM-10 code (measured: giving the sub-site as
    bodySite, or citing its words as evidence, made the Condition's site disagree with the words it cites)."""
    # per CIM-10 category, read once (per tumour, it made a long report quadratic): the histologies of that organ
    # and its sub-sites the report names
    lent = {id(o) for o in borrowed}
    organs: dict[str, set[str]] = {}
    for o in conds:
        if (
            o.morph
            and o.cim10
            and id(o) not in lent
            and o.morph[0].endswith("/3")
            and o.morph[0][:4] not in _GENERIC_MORPH
            and o.verification != "refuted"
        ):
            # by histology family: "adénocarcinome canalaire du pancréas" (8500) and "adénocarcinome de la tête du
            # pancréas" (8140) are one carcinoma named twice, a carcinoma and a sarcoma of one organ two tumours; but
            # two carcinomas of the skin of two histologies are two cancers (tumours.yaml distinct_histologies,
            # merging._distinct_histologies)
            cat = o.cim10[0][:3]
            by_histology = cat in ctx.mappings.distinct_histology_cim10
            organs.setdefault(cat, set()).add(o.morph[0][:4] if by_histology else _family_of(o) or o.morph[0][:4])
    subsites: dict[str, set[str]] = {}
    for s in sites.mentions:
        code = s.row.cim10_primary
        if code and _subsite_code(code):
            subsites.setdefault(code[:3], set()).add(code)
    # the sub-sites a cancer of the organ is written with ("adénocarcinome de la tête du pancréas") first: the other
    # sub-sites of the report may be no tumour's ("dilatation du canal de Wirsung")
    sited: dict[str, set[str]] = {}
    for o in conds:
        if o.morph and o.cim10 and o.morph[0].endswith("/3") and o.verification != "refuted" and id(o) not in lent:
            if _subsite_code(o.cim10[0]) and o.cim10[0][:3] in subsites:
                sited.setdefault(o.cim10[0][:3], set()).add(o.cim10[0])
    for c in conds:
        if (
            not c.morph
            or not c.site
            or not c.cim10
            or not c.morph[0].endswith("/3")
            or c.verification == "refuted"
            or not c.cim10[0].endswith(".9")
        ):
            continue
        cat = c.cim10[0][:3]
        own = _own_subsites(ctx, c, cat, sites)
        subs = own or sited.get(cat) or subsites.get(cat, set())
        if (len(organs.get(cat, ())) > 1 and not own) or len(subs) != 1:
            continue
        code = next(iter(subs))
        c.cim10 = (code, _cim10_display(ctx, code))


def _own_subsites(ctx: BuildContext, c: _Cond, cat: str, sites: ByStart) -> set[str]:
    """The sub-sites of CIM-10 category ``cat`` a tumour's own site words are refined by, right after them ("carcinome
    épidermoïde cutané du cuir chevelu": C44.4; phrases.yaml subsite_of between, "du", "de la", "de l'", "des"): the
    tumour's, even where the organ has tumours of other histologies whose sub-sites the report also names."""
    subsite_of = ctx.mappings.phrases["subsite_of"]
    out: set[str] = set()
    for t in c.mentions:
        if t.kind != "topography":
            continue
        k = bisect.bisect_left(sites.starts, t.end)
        s = sites.mentions[k] if k < len(sites.mentions) else None
        code = s.row.cim10_primary if s is not None else None
        if s is None or not code or code[:3] != cat or not _subsite_code(code):
            continue
        if subsite_of.fullmatch(ctx.text[t.end : s.start]):
            out.add(code)
    return out


def _site_beside(ctx: BuildContext, conds: list[_Cond]) -> list[_Cond]:
    """A tumour written without its site takes the organ its sentence gives it:
    - an in situ carcinoma, the organ of the malignant tumours of its sentence ("carcinome urothélial ... de la
      vessie, associé à un carcinome in situ": D09.0), when they are of one organ;
    - a component of a mixed tumour, the organ of the tumour it composes ("tumeur germinale mixte du testicule,
      composée de carcinome embryonnaire ...": phrases.yaml component_of between them), not a later mass's;
    - a malignant histology, the organ of the resection or biopsy it was found in, named before it in its sentence
      ("la RTUV montrait un carcinome urothélial": the bladder), an act of phrases.yaml specimen_act whose
      procedures.csv ``site`` is that organ, and one such act in the sentence; not a histology the report sites at
      another organ.
    Not a lymphoid or haematopoietic neoplasm (its code is not the organ's). Returns the tumours given a site."""
    if ctx.structure is None:
        return []
    by_sentence: dict[int, list[_Cond]] = {}
    # sentence -> (end, index in by_sentence's list) of each tumour word there, sorted: _composed reads the tumours
    # whose words end near its own, not every tumour of a sentence without end (a text without full stops)
    words_at: dict[int, list[tuple[int, int]]] = {}
    for o in conds:
        if o.morph and o.site and o.morph[0][-1] == "3" and o.verification == "confirmed" and _site_mention(o):
            for m in o.mentions:
                if m.kind == "morphology":
                    listed = by_sentence.setdefault(m.sentence, [])
                    words_at.setdefault(m.sentence, []).append((m.end, len(listed)))
                    listed.append(o)
    for ends in words_at.values():
        ends.sort()
    acts: dict[int, list[Mention]] = {}
    specimen = ctx.mappings.phrases["specimen_act"]
    for m in ctx.mentions:
        if m.kind == "procedure" and m.row.site and specimen.search(m.text):
            acts.setdefault(m.sentence, []).append(m)
    sited_histologies: dict[str, set[str]] = {}  # histology -> the organs the report writes it at
    for x in conds:
        if x.site and x.morph:
            sited_histologies.setdefault(x.morph[0][:4], set()).add(_site_key(x.site[0]))
    given: list[_Cond] = []
    for c in conds:
        if not c.morph or c.site or c.verification == "refuted" or _haematological(c):
            continue
        first = next((m for m in c.mentions if m.kind == "morphology"), None)
        if first is None or first.sentence < 0:
            continue
        site: Mention | None = None
        if c.morph[0].endswith("/2"):
            beside = by_sentence.get(first.sentence, [])
            if beside and len({_site_key(o.site[0]) for o in beside if o.site}) == 1:
                site = _site_mention(beside[0])
        elif c.morph[0].endswith("/3") and c.morph[0][:4] not in _GENERIC_MORPH:
            site = _composed(ctx, first, by_sentence.get(first.sentence, []), words_at.get(first.sentence, []))
            found = [a for a in acts.get(first.sentence, []) if a.end <= first.start] if site is None else []
            ref = ctx.mappings.topography_by_term.get(term_keys(found[0].row.site)[0]) if len(found) == 1 else None
            # not a histology the report sites at another organ: its mentions merge there ("adénocarcinome du
            # côlon" ... "l'hépatectomie a retrouvé un adénocarcinome" is the colon's, spread to the liver)
            elsewhere = sited_histologies.get(c.morph[0][:4], set())
            if ref is not None and elsewhere and _site_key(ref.row.icdo3) not in elsewhere:
                ref = None
            if ref is not None:
                a = found[0]
                site = Mention("topography", a.start, a.end, a.text, (ref,), a.rule, a.sentence)
                site.attrs["act_organ"] = a.row.site  # the bodySite's name; the act's words are no site's
        if site is None:
            continue
        c.mentions.append(site)
        c.site = (site.row.icdo3, site.row.display)
        if c.morph[0].endswith("/3") and site.row.cim10_primary:
            c.cim10 = (site.row.cim10_primary, _cim10_display(ctx, site.row.cim10_primary))
        given.append(c)
    return given


def _composed(ctx: BuildContext, m: Mention, beside: list[_Cond], ends: list[tuple[int, int]]) -> Mention | None:
    """The site of the sited tumour ``m`` is a component of: its tumour word before ``m`` in the sentence, the words
    between saying it is made of it (phrases.yaml component_of: "composée de", "contingent de"), within
    SENTENCE_SPAN characters (a text without sentence ends is one sentence: each pair of its tumours was a scan).
    ``ends``: (end, index in ``beside``) of the tumour words of ``beside``, sorted; the tumours tried in their order."""
    component = ctx.mappings.phrases["component_of"]
    lo = bisect.bisect_left(ends, (m.start - SENTENCE_SPAN, -1))
    hi = bisect.bisect_right(ends, (m.start, len(beside)))
    for i in sorted({i for _, i in ends[lo:hi]}):
        o = beside[i]
        words = [x for x in o.mentions if x.kind == "morphology" and x.sentence == m.sentence and x.end <= m.start]
        if words and m.start - words[-1].end <= SENTENCE_SPAN and component.search(ctx.text, words[-1].end, m.start):
            return _site_mention(o)
    return None
