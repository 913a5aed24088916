"""Tumours from morphology mentions: the histology, behaviour, site and CIM-10 code of one tumour phrase,
a second morphology or a tail refining the one before, "métastatique" calling a cancer metastatic or naming a
metastasis, sites coordinated to a metastasis ("pulmonaires et osseuses"), and findings "métastatiques"."""

from __future__ import annotations

import bisect
import re
from typing import Any

from ...document import SENTENCE_SPAN, Mention
from ...normalise import term_keys
from ..common import BuildContext, ByStart
from .model import _GENERIC_MORPH, _cim10_display, _Cond, _site_key
from .nodal import _unsited_metastasis
from .reading import (
    _name_after,
    _same_span,
    _site_after,
    _site_attributed,
    _site_before,
    _site_of_exam,
    _site_within,
)

_LAST_WORD = re.compile(r"[^\W\d_]+$")
# ICD-O-3 morphologies from 9590 on are the haematolymphoid neoplasms (lymphomas, myeloma, leukaemias): ICD-O gives
# them no metastatic behaviour /6, and a "leucémie secondaire" is a therapy-related one, not a metastasis
_FIRST_HAEMATOLYMPHOID = "9590"
_MARKER_WINDOW = 45  # characters before a tumour word where "marqueurs (tumoraux) des" may start


def _tumour(ctx: BuildContext, m: Mention, sites: ByStart, tumours: list[tuple[_Cond, Mention]]) -> _Cond | None:
    if ctx.mappings.phrases["marker_of"].search(ctx.text, max(0, m.start - _MARKER_WINDOW), m.start):
        ctx.dropped.append((m, "the tumour type a marker is of (phrases.yaml marker_of), not the patient's tumour"))
        return None
    row = m.row
    code, display = row.icdo3, row.display
    # a prepositional tail ("à petites cellules", "non à petites cellules") names no tumour by itself: it refines
    # the tumour written just before it, across its site ("carcinome pulmonaire non à petites cellules")
    if ctx.mappings.phrases["tail"].match(row.term):
        for prev_c, prev_m in reversed(tumours):
            if prev_m.sentence != m.sentence or m.start - prev_m.start > SENTENCE_SPAN:
                break  # (and of a sentence without end, the tumours near it: each walked back to its start)
            gap = ctx.text[prev_c.mentions[0].end : m.start]
            if prev_m.sentence == m.sentence and len(gap) < 80 and ctx.mappings.phrases["site_gap"].match(gap):
                if prev_c.morph and _refinable(ctx, prev_c.morph, code):
                    prev_c.morph = _refined(prev_c.morph, code, display)
                prev_c.mentions.append(m)
                _site_past(ctx, prev_c, m, sites)
                break
        return None
    # "adénocarcinome ... avec des cellules en anneau de signet": a second morphology refining the first
    # (not a metastasis or a carcinomatosis, /6 or /9: "avec carcinomatose péritonéale" is a spread, no subtype)
    for prev_c, prev_m in reversed(tumours) if code[-1] not in "69" else ():
        if prev_m.sentence != m.sentence or m.start - prev_m.start > SENTENCE_SPAN:
            break  # tumours are in text order: the earlier ones are in earlier sentences, or too far for the gap
        if m.start - prev_m.end >= 80:
            continue
        gap = ctx.text[prev_m.end : m.start]
        # "adénocarcinome mucineux avec la présence de cellules en anneau de signet": a component of the tumour, not
        # a second one; it does not make the tumour of its type (phrases.yaml component)
        component = ctx.mappings.phrases["component"].search(gap) is not None
        if component or ctx.mappings.phrases["refines"].search(gap):
            if prev_c.morph and not component and _refinable(ctx, prev_c.morph, code):
                prev_c.morph = _refined(prev_c.morph, code, display)
            prev_c.mentions.append(m)
            _site_past(ctx, prev_c, m, sites)
            return None
    site_m = _site_after(ctx, m, sites) or _site_before(ctx, m, sites)
    far = _site_attributed(ctx, m, sites) if site_m is None and code[-1] in "01" else None
    site_m = site_m or far  # benign or uncertain: the site of the finding it is put down to
    name = _name_after(ctx, m, sites) if not code.endswith("/6") else None
    spread, base = _metastatic_primary(ctx, m, site_m, name)
    if base is not None:  # "adénocarcinome [pancréatique] métastatique": the cancer, said metastatic
        code, display, name = base.icdo3, base.display, None
    tail_start = m.end
    if name is not None:
        ref, name_end = name
        code, display = ref.row.icdo3, ref.row.display
        m = Mention("morphology", m.start, name_end, ctx.text[m.start : name_end], (ref,), m.rule, m.sentence)
        # a site word the name holds as its type is no site ("adénocarcinome moyennement différencié de type
        # intestinal de l'estomac": the stomach's); the site is then the one written after the whole name, as in
        # "tumeur stromale gastro-intestinale (GIST) maligne de l'estomac"
        if site_m is not None and site_m.end <= name_end:
            if ctx.mappings.phrases["type_before_site"].search(ctx.text, m.start, site_m.start):
                site_m = None
        site_m = site_m or _site_after(ctx, m, sites)
        tail_start = max(name_end, site_m.end if site_m else 0)
    words_end = max(tail_start, site_m.end if site_m else 0)
    if code[-1] in "01" and code < "8010" and (malignant := _staged(ctx, code, words_end)) is not None:
        code, display = malignant  # "tumeur rénale à cellules claires pT3a pN1 M1": TNM stages malignant tumours
    if code[-1] in "01" and (malignant := _said_malignant(ctx, code, (tail_start, words_end))) is not None:
        code, display = malignant  # "schwannome malin", "tumeur pelvienne maligne": the words say the behaviour
    if code[-1] == "1" and (benign := _said(ctx, "said_benign", code, "0", (tail_start, words_end))) is not None:
        code, display = benign  # "tumeur phyllode, histologiquement bénigne", "tératome histologiquement mature"
    behaviour = code[-1]
    tail = ctx.text[tail_start : max(tail_start, site_m.end if site_m else 0) + 15]
    said = 0  # "métastatique" read as part of this metastasis's name ("Pathologie : mélanome métastatique")
    solid = code[:4] < _FIRST_HAEMATOLYMPHOID
    if behaviour == "3" and not spread and solid and ctx.mappings.phrases["metastatic"].match(tail.strip()):
        behaviour = "6"
        if (word := ctx.mappings.phrases["metastatic_disease"].match(ctx.text, tail_start)) is not None:
            said = word.end()
    morph = (code[:-1] + behaviour, display)
    cim10 = None
    site = None
    mentions = [m]
    if site_m is not None:
        srow = site_m.row
        site = (srow.icdo3, srow.display)
        mentions.append(site_m)
        target = srow.cim10_secondary if behaviour == "6" else srow.cim10_primary if behaviour == "3" else None
        if target:
            cim10 = (target, _cim10_display(ctx, target))
    if behaviour != "6" and (cim10 is None or cim10[0].endswith(".9")):
        # a morphology word that is also a disease row ("cholangiocarcinome" -> C22.1); not for a metastasis of it,
        # whose CIM-10 code is the secondary one of a site the text does not give. Its code also beats the
        # unspecified one of its organ written as a site ("carcinome hépatocellulaire du foie": C22.0, not C22.9)
        for o in _same_span(ctx, m, "condition"):
            if cim10 is None or o.row.cim10[:3] == cim10[0][:3]:
                cim10 = (o.row.cim10, o.row.display)
            break
    exam_m = _site_of_exam(ctx, m, sites) if site_m is None and behaviour == "6" else None
    if exam_m is not None:  # the organ of the exam
        erow = exam_m.row
        site, cim10 = (erow.icdo3, erow.display), (erow.cim10_secondary, _cim10_display(ctx, erow.cim10_secondary))
    key = f"tumour:{behaviour}:{_site_key(site[0]) if site else morph[0]}"
    within = _site_within(ctx, m) if site_m is None and exam_m is None else None
    if within is not None:
        # "carcinomatose péritonéale": a table term that names its own site. The site is the bodySite; the CIM-10
        # code stays the term's own row, and the key its histology (measured: keying it by the site merged it with
        # other tumours of that organ)
        site = (within.row.icdo3, within.row.display)
        if behaviour == "6" and cim10 is None and within.row.cim10_secondary:
            # "implants péritonéaux": a metastasis term naming its site is coded as a metastasis of that site
            cim10 = (within.row.cim10_secondary, _cim10_display(ctx, within.row.cim10_secondary))
        elif behaviour == "3" and cim10 is None and within.row.cim10_primary:
            # "carcinome papillaire de la thyroïde" (8260/3, a histology of that organ only): a primary cancer term
            # naming its site is coded as a cancer of that site
            cim10 = (within.row.cim10_primary, _cim10_display(ctx, within.row.cim10_primary))
    # the site of the finding a tumour is put down to is its bodySite's evidence, not part of its name
    near = [x for x in mentions if x is not far]
    lo, hi = min(x.start for x in near), max([x.end for x in near] + [said])
    # the main evidence is the whole tumour phrase ("ganglion métastatique", "adénocarcinome gastrique")
    phrase = Mention("morphology", lo, hi, ctx.text[lo:hi], m.rows, m.rule, m.sentence)
    # the exam's site word is the bodySite's evidence, after the phrase (not inside it: the words are far apart)
    site_m = site_m or exam_m
    mentions = [phrase] + ([site_m] if site_m is not None else []) + ([within] if within is not None else [])
    c = _Cond(mentions, key, phrase.text, cim10, None, morph, site)
    # the word is read here, not as a tumour of its own
    c.name_end = max(m.end if name is not None else 0, spread, said)
    if spread:
        word = _LAST_WORD.search(ctx.text, max(0, spread - 40), spread)
        c.spread = (word.start(), spread) if word else None
    if site is None and behaviour == "6" and within is None:
        _unsited_metastasis(ctx, c, m, sites)
    tumours.append((c, m))
    return c


def _site_past(ctx: BuildContext, c: _Cond, m: Mention, sites: ByStart) -> None:
    """ "adénocarcinome peu cohésif à cellules en bague à chaton de l'antre": the site written after the words that
    refine a tumour's histology is the tumour's, when the tumour has none yet."""
    if c.site is not None or c.morph is None or c.morph[0][-1] != "3":
        return
    site_m = _site_after(ctx, m, sites)
    if site_m is None:
        return
    srow = site_m.row
    c.site, c.key = (srow.icdo3, srow.display), f"tumour:3:{_site_key(srow.icdo3)}"
    c.mentions.append(site_m)
    if srow.cim10_primary:
        c.cim10 = (srow.cim10_primary, _cim10_display(ctx, srow.cim10_primary))


def _coordinated(ctx: BuildContext, c: _Cond, sites: ByStart, negated: bool) -> list[_Cond]:
    """ "métastases pulmonaires et osseuses", "métastases hépatiques, pulmonaires et cérébrales": each site joined
    to the metastasis's site (phrases.yaml site_coordination) is a metastasis of its own, of the same histology.
    Its evidence is the metastasis word and that site."""
    site_m = c.mentions[1] if len(c.mentions) > 1 and c.mentions[1].kind == "topography" else None
    if c.morph is None or not c.morph[0].endswith("/6") or site_m is None:
        return []
    out: list[_Cond] = []
    k = bisect.bisect_left(sites.starts, site_m.start)
    end = site_m.end
    coordination, adjective = ctx.mappings.phrases["site_coordination"], ctx.mappings.phrases["adjective"]
    word = c.mentions[0]
    while k + 1 < len(sites.mentions) and sites.mentions[k + 1].start >= end:
        joined = coordination.fullmatch(ctx.text, end, sites.mentions[k + 1].start)
        if joined is None or (joined.group("alternative") and not negated):
            break
        # only an adjective goes on qualifying the metastasis word ("et ganglionnaires médiastinales"), or a node
        # group, the commonest site named as a noun ("osseuses, ganglions lymphatiques ..."), or a noun after the
        # repeated preposition ("au foie et aux poumons"); another noun is an organ of its own clause ("métastases
        # hépatiques, rate et reins normaux": they are said normal)
        nxt = sites.mentions[k + 1]
        noun_ok = joined.group("preposition") is not None or nxt.row.icdo3.startswith("C77")
        if not (noun_ok or adjective.fullmatch(nxt.text.split()[0])):
            break
        k += 1
        n, end = sites.mentions[k], sites.mentions[k].end
        target = n.row.cim10_secondary
        head = Mention(
            "morphology", word.start, n.end, ctx.text[word.start : n.end], word.rows, word.rule, word.sentence
        )
        cim10 = (target, _cim10_display(ctx, target)) if target else None
        out.append(
            _Cond(
                [head, n],
                f"tumour:6:{_site_key(n.row.icdo3)}",
                head.text,
                cim10,
                None,
                c.morph,
                (n.row.icdo3, n.row.display),
            )
        )
    return out


def _metastatic_heads(ctx: BuildContext, conds: list[_Cond]) -> list[_Cond]:
    """ "nodules pulmonaires métastatiques", "lésions métastatiques hépatiques", "adénopathies médiastinales
    métastatiques": the word "métastatique" (ICD-O-3 8000/6) after a finding or a disease names what they are, a
    metastasis. The finding written right before it (nothing but spaces between, or sharing its site word) joins
    the metastasis: its words are the metastasis's, its own code (R91 "nodules pulmonaires") no longer holds."""
    out: list[_Cond] = []
    for c in conds:
        prev = out[-1] if out else None
        if (
            prev is not None
            and c.morph is not None
            and c.morph[0] == "8000/6"
            and prev.morph is None
            and prev.verification != "refuted"
        ):
            head, word = prev.mentions[0], c.mentions[0]
            head_end = max(m.end for m in prev.mentions)  # with its node group ("adénopathies médiastinales")
            next_to = head.start <= word.start and (
                head_end > word.start or not ctx.text[head_end : word.start].strip()
            )
            if not ctx.mappings.phrases["metastatic_head"].match(head.text):
                next_to = False  # a complication the metastasis causes ("compression médullaire métastatique")
            elif c.verification == "refuted" and head_end <= word.start:
                # "adénopathies axillaires(,) non métastatiques": one word between, the negation, is the pair's
                next_to = len(ctx.text[head_end : word.start].replace(",", " ").split()) <= 1
            if next_to and c.verification == "refuted":
                # "adénopathies axillaires non métastatiques": the finding stays, said not to be the cancer's spread
                prev.not_metastatic = True
            elif next_to:
                # the finding's site stands when the word has none, and an adenopathy's node group always
                # ("adénopathies métastatiques médiastinales": mediastinal nodes C77.1, not the mediastinum C38.3)
                own = prev.site is not None and (c.site is None or prev.site[0].startswith("C77"))
                c.mentions = [m for m in prev.mentions if m.kind != "topography" or own] + [
                    m for m in c.mentions if m.kind != "topography" or not own
                ]
                c.text = ctx.text[head.start : max(word.end, head_end)]
                if own and prev.site is not None:
                    c.site = prev.site
                    target: str | None = c.site[0]  # a node group's CIM-10 code is its C77 code (lymph_nodes.csv)
                    if not c.site[0].startswith("C77"):
                        target = next((m.row.cim10_secondary for m in prev.mentions if m.kind == "topography"), None)
                    c.cim10 = (target, _cim10_display(ctx, target)) if target else None
                    c.key = f"tumour:6:{_site_key(c.site[0])}"
                out[-1] = c
                continue
        out.append(c)
    return out


def _spread(ctx: BuildContext, m: Mention, host: _Cond, sites: ByStart) -> _Cond | None:
    """The metastases "métastatique" says a cancer has: a metastasis Condition citing the word, with that cancer's
    histology (behaviour /6) and linked to it (mCODE secondary cancer condition, related-primary). A site written
    right after the word is where they are ("cancer du sein métastatique au niveau osseux": C79.5), else their
    sites are unwritten."""
    assert host.spread is not None and host.morph is not None
    start, end = host.spread
    ref = ctx.mappings.morphology_by_key.get(term_keys(ctx.text[start:end])[0])
    if ref is None or not ref.row.icdo3.endswith("/6"):
        return None
    word = Mention("morphology", start, end, ctx.text[start:end], (ref,), m.rule, m.sentence)
    morph = (host.morph[0][:4] + "/6", host.morph[1])
    site_m = _site_after(ctx, word, sites)
    if site_m is not None and ctx.mappings.phrases["origin_gap"].fullmatch(ctx.text[end : site_m.start].lstrip()):
        site_m = None  # "métastatique du rectum": the primary's organ (_metastatic_primary), not where they are
    if site_m is not None and site_m.row.cim10_secondary:
        srow = site_m.row
        phrase = Mention("morphology", start, site_m.end, ctx.text[start : site_m.end], (ref,), m.rule, m.sentence)
        cim10 = (srow.cim10_secondary, _cim10_display(ctx, srow.cim10_secondary))
        site = (srow.icdo3, srow.display)
        c = _Cond([phrase, site_m], f"tumour:6:{_site_key(srow.icdo3)}", phrase.text, cim10, None, morph, site)
    else:
        c = _Cond([word], f"tumour:6:{morph[0]}", word.text, None, None, morph, None)
    c.host = host
    return c


def _metastatic_primary(
    ctx: BuildContext, m: Mention, site_m: Mention | None, name: tuple[Any, int] | None
) -> tuple[int, Any]:
    """Where "métastatique" ends when it calls the patient's cancer metastatic rather than naming a metastasis
    (phrases.yaml metastatic_disease), with the morphology.csv row of that cancer when the word is part of the
    tumour's term or name ("adénocarcinome métastatique" 8140/6 -> "adénocarcinome" 8140/3); (0, None) otherwise.
    - With the organ named: "adénocarcinome pancréatique métastatique", "carcinome lobulaire métastatique du sein",
      "adénocarcinome du rectum métastatique" are that organ's cancer (behaviour /3, the organ's primary CIM-10
      code), stage IV, not a metastasis in that organ. A site after the word with another preposition is where the
      metastasis is ("métastatique au foie", "métastatique hépatique", as in "métastase hépatique").
    - Without: "atteint d'un mélanome métastatique" is the patient's melanoma; the result of a sample
      ("Biopsie musculaire : adénocarcinome métastatique", phrases.yaml specimen) is a metastasis."""
    phrases = ctx.mappings.phrases
    word = phrases["metastatic_disease"]
    base, end = None, 0
    # the word as the last of the tumour's term or of its name read past the site
    for row, stop in ((m.row, m.end), *(((name[0].row, name[1]),) if name else ())):
        if row.icdo3.endswith("/6") and word.fullmatch(" " + row.term.split()[-1]):
            ref = ctx.mappings.morphology_by_key.get(term_keys(row.term)[0][:-1])
            if ref is not None and ref.row.icdo3.endswith("/3"):
                base, end = ref.row, stop
    if not end:
        if not m.row.icdo3.endswith("/3"):
            return 0, None
        after = site_m.end if site_m is not None and site_m.start >= m.end else None
        for pos in (m.end, name[1] if name else None, after):
            if pos is not None and (hit := word.match(ctx.text, pos)) is not None:
                end = hit.end()
                break
    if not end:
        return 0, None
    if site_m is not None and site_m.start >= m.end:  # the organ named after the tumour word
        if site_m.end <= end:
            return end, base
        gap = ctx.text[end : site_m.start].lstrip()
        return (end, base) if gap and phrases["origin_gap"].fullmatch(gap) else (0, None)
    if (
        ctx.structure is None
        or m.sentence < 0
        or phrases["specimen"].search(ctx.text, ctx.structure.sentences[m.sentence].start, m.start)
    ):
        return 0, None
    return end, base


def _staged(ctx: BuildContext, code: str, end: int) -> tuple[str, str] | None:
    """The malignant code (/3) of a tumour of benign or uncertain behaviour whose words a TNM classification follows
    (UICC TNM classifies malignant tumours only), if the tables know that code; None otherwise. Only for the ICD-O-3
    block 800 (8000-8005: a tumour of no type, whose behaviour its words do not give): a typed tumour keeps the
    behaviour its words say ("tumeur phyllode de bas grade cT2N0M0" is staged as a breast mass, not a malignant one)."""
    mentions = ctx.mentions
    i = bisect.bisect_left(ctx.mention_starts, end)
    while i < len(mentions) and mentions[i].kind != "tnm" and mentions[i].start < end + 12:
        i += 1
    if (
        i == len(mentions)
        or mentions[i].kind != "tnm"
        or not ctx.mappings.phrases["tnm_gap"].fullmatch(ctx.text, end, mentions[i].start)
    ):
        return None
    return _known(ctx, code[:-1] + "3")


def _said_malignant(ctx: BuildContext, code: str, ends: tuple[int, int]) -> tuple[str, str] | None:
    """The malignant code (/3) of a tumour of benign or uncertain behaviour that the words right after its name or
    its site call malignant (phrases.yaml said_malignant: "schwannome malin", "neurofibrome avec dégénérescence
    maligne", "néoformation vésicale maligne"), if the tables know that code: ICD-O-3 codes the behaviour the
    pathologist states even where the term with that behaviour is not listed (rule F, the behaviour code matrix)."""
    return _said(ctx, "said_malignant", code, "3", ends)


def _said(ctx: BuildContext, phrase: str, code: str, behaviour: str, ends: tuple[int, int]) -> tuple[str, str] | None:
    """The code of behaviour ``behaviour`` of a tumour whose words right after its name or its site state that
    behaviour (phrases.yaml ``phrase``), if the tables know that code."""
    said = ctx.mappings.phrases[phrase]
    if not any(said.match(ctx.text, end) for end in ends):
        return None
    return _known(ctx, code[:-1] + behaviour)


def _known(ctx: BuildContext, code: str) -> tuple[str, str] | None:
    """The code and display of a morphology row of ``code``, None if no row has it."""
    return next(
        ((r.row.icdo3, r.row.display) for r in ctx.mappings.rows["morphology.csv"] if r.row.icdo3 == code), None
    )


def _refinable(ctx: BuildContext, morph: tuple[str, str], code: str) -> bool:
    """Whether a histology written after a tumour's (same phrase) refines it: a generic one is refined by any, an
    umbrella by the types it gathers (tumours.yaml ``umbrellas``), a code by a later one of its block (ICD-O-3 codes
    grow more specific)."""
    head = morph[0][:4]
    if head in _GENERIC_MORPH or head < code[:4]:
        return True
    gathered = ctx.mappings.umbrellas.get(head)
    return gathered is not None and code[:4] in gathered


def _refined(morph: tuple[str, str], code: str, display: str) -> tuple[str, str]:
    """A tumour's histology refined by a later word: the behaviour stays the tumour's (metastatic, in situ,
    malignant), except that a neoplasm of unknown or benign behaviour ("tumeur" /1) takes the refining word's:
    "tumeur à petites cellules" is a small cell carcinoma 8041/3 (there is no 8041/1)."""
    behaviour = morph[0][-1]
    if morph[0][:4] in _GENERIC_MORPH and behaviour in "01":
        behaviour = code[-1]
    return code[:-1] + behaviour, display
