"""The words around one mention that decide what it is: a disease word inside an anatomical name or naming
what a serology is for (dropped), the body site written after, before or inside a tumour word, the rest of a
tumour's name past its site, the words refining a CIM-10 code (cim10_refine.yaml), an adenopathy's node group,
and a finding head with its modifiers and site."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from ...document import SENTENCE_SPAN, Mention
from ...normalise import normalise, term_keys, word_bounds, word_key
from ...timeline import days_before
from ..common import BuildContext, ByStart, prefiltered
from .model import _cim10_display, _Cond
from .nodal import group_right_after

# The phrase grammar (site gaps, finding modifiers, node groups ...) is French wording: mappings/phrases.yaml,
# compiled at load into ctx.mappings.phrases.
_SITE_GAP_MAX_CHARS = 200  # six short words: no gap the site_gap pattern accepts is longer
_SITE_PAST_MAX_CHARS = 60  # a finding's site past its modifiers: a few short words (phrases.yaml finding_site_gap)
_CONCEPTS = {"condition", "finding", "morphology", "symptom", "procedure", "medication", "observation", "regimen"}
_NAME_STOP = re.compile(r"[.;:()\n]")  # a tumour's name does not run on past these
_NAME_WINDOW = 120  # characters after a tumour word where the rest of its name may be
_NAME_WORDS = 8
_PREP_CHARS = 8  # the longest preposition before a site: "de la " + blanks
_ORDINARY_WINDOW = 32  # characters around a disease word where its ordinary use shows ("quelques gouttes", "herpès virus humain de type 8")
_TEST_WINDOW = 150  # characters before a disease word where the serology or vaccine naming it may be
_REFINE_WINDOW = 60  # characters after a disease word where the words refining its code may be (cim10_refine.yaml)
# the words refining a code stay in the disease's clause; a full stop ends them, not the one of "E. coli"
# a bracketed abbreviation of a tumour's name ("tumeur stromale gastro-intestinale (GIST) gastrique")
_ABBREVIATION = re.compile(r"\s*\([ \t]*[A-Z][\w-]{1,10}[ \t]*\)")
_NAMED_CHARS = 8  # characters before an abbreviation where the article naming it as a disease may be
_REFINE_STOP = re.compile(r"[,;:()\n]|\.(?=\s+[A-ZÀ-Ý]|\s*$)")


def _inside_anatomy(m: Mention, sites: ByStart) -> bool:
    """ "le nerf grand sciatique": a disease word inside a longer body-site name that starts before it is anatomy
    (a site that starts with the disease word, "adénopathie cervicale", is the disease at that site)."""
    k = bisect.bisect_right(sites.starts, m.start)
    return any(s.start < m.start and m.end <= s.end for s in sites.mentions[max(0, k - 3) : k])


def _test_of(ctx: BuildContext, m: Mention) -> bool:
    """ "sérologies VHC, VIH": a pathogen's name (phrases.yaml agent) names what a serology looks for or a vaccine
    prevents (phrases.yaml test_of, read on the words of its sentence before it), not the patient's disease."""
    if not ctx.mappings.phrases["agent"].fullmatch(m.text):
        return False
    lo = max(0, m.start - _TEST_WINDOW)
    if ctx.structure is not None and m.sentence >= 0:
        lo = max(lo, ctx.structure.sentences[m.sentence].start)
    return ctx.mappings.phrases["test_of"].search(ctx.text, lo, m.start) is not None


def _sentence_bounds(ctx: BuildContext, m: Mention) -> tuple[int, int]:
    """Where the mention's sentence starts and ends (the whole text when the structure is unknown)."""
    if ctx.structure is None or m.sentence < 0:
        return 0, len(ctx.text)
    s = ctx.structure.sentences[m.sentence]
    return s.start, s.end


def _germ_unfound(ctx: BuildContext, m: Mention) -> bool:
    """ "Helicobacter pylori", "Staphylococcus aureus": a germ's name (phrases.yaml germ) is the patient's infection
    only where its sentence says a test found it (germ_found: "positive", "a isolé", "éradication") or a cue
    negates it (a negative test: refuted); otherwise it is named for something else (a vaccine, a drug's spectrum)."""
    if not ctx.mappings.phrases["germ"].fullmatch(m.text) or m.qualifiers.keys() & {"negation", "exclusion"}:
        return False
    lo, hi = _sentence_bounds(ctx, m)
    return ctx.mappings.phrases["germ_found"].search(ctx.text, lo, hi) is None


def _positive_test(ctx: BuildContext, m: Mention) -> _Cond | None:
    """ "sérologie VIH positive": a test whose positive result is the infection it looks for (phrases.yaml
    infection_when_positive, read on the words after the test's first one: "VIH", not "CMV", whose positive
    serology is an immunity) is that infection, coded by its conditions.csv row ("VIH": B24)."""
    q = m.attrs.get("qualitative")
    if q is None or ctx.mappings.phrases["positive_result"].fullmatch(q.text) is None:
        return None
    agent = ctx.mappings.phrases["infection_when_positive"].search(m.text)
    if agent is None:
        return None
    for hit in ctx.mappings.matcher.find(normalise(agent.group(0))):
        rows = [ref.row for kind, ref in hit.payloads if kind == "condition"]
        if rows and hit.start == 0:
            row = rows[0]
            return _Cond([m, q], f"cim10:{row.cim10}", m.text, (row.cim10, row.display), None)
    return None


def _stain_marker(ctx: BuildContext, m: Mention) -> bool:
    """ "CD3+, CD20-, LAM positif": an abbreviation followed by a stain's result (phrases.yaml stain_result) in a
    sentence about staining (stain_context) is a marker of the list, not a disease."""
    if ctx.mappings.phrases["stain_result"].match(ctx.text, m.end) is None:
        return False
    # the result closing a list the abbreviation starts ("vimentine, LAM et desmine positives") is not the result of
    # a disease named with its article ("une LAM, CD34 et CD117 positifs", "diagnostic de LAM, CD34 positif")
    phrases = ctx.mappings.phrases
    if phrases["list_goes_on"].match(ctx.text, m.end) and phrases["named_before"].search(
        ctx.text, max(0, m.start - _NAMED_CHARS), m.start
    ):
        return False
    lo, hi = _sentence_bounds(ctx, m)
    return ctx.mappings.phrases["stain_context"].search(ctx.text, lo, hi) is not None


def _context_code(ctx: BuildContext, m: Mention, head: str) -> str | None:
    """The CIM-10 code the context gives a finding head written without a site (cim10_refine.yaml ``contexts``: "pas
    d'infarctus ni d'AVC" is a myocardial infarction, a bare "infarctus" in a stroke report a cerebral one)."""
    rules = ctx.mappings.finding_contexts.get(head)
    if not rules:
        return None
    lo, hi = _sentence_bounds(ctx, m)
    for pattern, scope, unless, code in rules:
        a, b = (lo, hi) if scope == "sentence" else (0, len(ctx.text))
        if pattern.search(ctx.text, a, b) and not (unless is not None and unless.search(ctx.text, a, b)):
            return code
    return None


def _ordinary_word(ctx: BuildContext, m: Mention) -> bool:
    """A disease word used as an ordinary noun ("2 gouttes", "goutte-à-goutte": phrases.yaml ordinary_word, read in
    the few words around it)."""
    lo, hi = max(0, m.start - _ORDINARY_WINDOW), min(len(ctx.text), m.end + _ORDINARY_WINDOW)
    # (prefiltered: run for every disease word, it is tried only where its window has "goutte", "effet" ...)
    pattern = prefiltered(ctx.mappings, "ordinary_word")
    if not pattern.may_match(ctx.text, lo, hi):
        return False
    return any(h.start() <= m.start < h.end() for h in pattern.finditer(ctx.text, lo, hi))


def _site_after(ctx: BuildContext, m: Mention, sites: ByStart) -> Mention | None:
    """The body site written right after a tumour word; the most specific one if several ("gastrique ... antral")."""
    found = []
    # sites are in text order: start at the first one after the tumour word (a bisection), and stop where the gap
    # is longer than _SITE_GAP can match; scanning every site of a sentence per tumour was quadratic
    for k in range(bisect.bisect_left(sites.starts, m.end), len(sites.mentions)):
        s = sites.mentions[k]
        if s.sentence != m.sentence or s.start - m.end > _SITE_GAP_MAX_CHARS:
            break
        gap = ctx.text[m.end : s.start]
        # a site after the abbreviation of a name that holds a site of its own is the tumour's ("tumeur stromale
        # gastro-intestinale (GIST) gastrique"). Not after any name (measured: with "carcinome canalaire infiltrant
        # (CDI) du sein" the "carcinome mammaire" named later merges into it, and FRACCO codes that one apart, 8010/3)
        abbreviation = _ABBREVIATION.match(gap)
        if abbreviation is not None and _site_within(ctx, m) is not None:
            gap = gap[abbreviation.end() :]
        # (from the tumour's start: its own words may end with the verb, "carcinome urothélial infiltrant | le muscle";
        # searched only behind a gap that may join the site: most do not)
        if ctx.mappings.phrases["site_gap"].match(gap) and not ctx.mappings.phrases["invaded_structure"].search(
            ctx.text, m.start, s.end
        ):
            found.append(s)
        elif found:
            break
    if not found:
        return None
    # C16.3 (antrum) is more specific than C16.9 (stomach NOS); another organ further on is not the tumour's
    # ("adénocarcinome pancréatique métastatique au foie": the liver is where its metastasis is)
    organ = found[0].row.icdo3[:3]
    return sorted((s for s in found if s.row.icdo3[:3] == organ), key=lambda s: s.row.icdo3.endswith(".9"))[0]


def _site_of_exam(ctx: BuildContext, m: Mention, sites: ByStart) -> Mention | None:
    """ "une IRM cérébrale a montré ... 8 lésions métastatiques": a metastasis written without its site, after an
    imaging exam of one organ in its sentence, is in that organ. The organ is the site word written right after the
    exam word (procedures.csv category imaging), and only an organ with a secondary CIM-10 code (not a region:
    "scanner thoracique" may show metastases of the lung, the pleura or the bones). It must be the nearest site word
    before the metastasis, with no other exam or result word between them: in "l'IRM cérébrale a montré ..., ainsi
    que des nodules pulmonaires évoquant des métastases" the metastasis goes with the lesion's words."""
    k = bisect.bisect_left(sites.starts, m.start)
    if not k or sites.mentions[k - 1].sentence != m.sentence or not sites.mentions[k - 1].row.cim10_secondary:
        return None
    s = sites.mentions[k - 1]
    if m.start - s.start > SENTENCE_SPAN:  # not one clause (a text without sentence ends: one giant sentence)
        return None
    # only the mentions of the sentence before the metastasis are read (ctx.mentions is sorted by start): reading
    # them all for each metastasis made a long report's cost quadratic; and of a giant sentence, those near the site
    lo = ctx.structure.around(m.sentence, s.start, m.end)[0] if ctx.structure is not None and m.sentence >= 0 else 0
    i = bisect.bisect_left(ctx.mention_starts, lo)
    near = ctx.mentions[i : bisect.bisect_left(ctx.mention_starts, m.start, i)]
    exam = any(
        p.kind == "procedure"
        and p.sentence == m.sentence
        and p.end <= s.start
        and getattr(p.row, "category", None) == "imaging"
        and not ctx.text[p.end : s.start].strip()
        for p in near
    )
    if not exam:
        return None
    # another exam or a result word in between ("l'IRM cérébrale est normale, la TEP montre des métastases"): the
    # metastasis is not what this exam showed
    between = any(o.kind in ("procedure", "qualitative") and s.end <= o.start and o.end <= m.start for o in near)
    return None if between else s


def _site_before(ctx: BuildContext, m: Mention, sites: ByStart) -> Mention | None:
    """A site noun right before an adjective tumour word: "ganglion métastatique". Sites do not overlap, so only
    the last one ending before the word can be separated from it by blanks alone."""
    i = bisect.bisect_right(sites.ends, m.start)
    if (
        i
        and sites.mentions[i - 1].sentence == m.sentence
        and ctx.text[sites.mentions[i - 1].end : m.start].strip() == ""
    ):
        return sites.mentions[i - 1]
    return None


def _site_attributed(ctx: BuildContext, m: Mention, sites: ByStart) -> Mention | None:
    """The site adjective of the finding a benign tumour is put down to, before it in its sentence: "un nodule
    surrénalien gauche de 15 mm a été rattaché à un adénome" (phrases.yaml attributed_to between them). The caller
    reads it for benign or uncertain tumours only: a cancer found in an organ's lesion may be another's metastasis."""
    i = bisect.bisect_right(sites.ends, m.start)
    if i and sites.mentions[i - 1].sentence == m.sentence:
        if ctx.mappings.phrases["attributed_to"].fullmatch(ctx.text, sites.mentions[i - 1].end, m.start):
            return sites.mentions[i - 1]
    return None


def _site_within(ctx: BuildContext, m: Mention) -> Mention | None:
    """The site a tumour term names in its own words after the first ("carcinomatose péritonéale"): the mention
    stage keeps the longer term, so the site word is found again here, in the term alone."""
    if not any(c.isspace() or c in "-'’" for c in m.text.strip()):
        return None
    for hit in ctx.mappings.attribute_matcher.find(normalise(m.text)):
        refs = tuple(ref for kind, ref in hit.payloads if kind == "topography")
        # "adénocarcinome de type intestinal": a histological type, not the intestine
        if refs and hit.start > 0 and not ctx.mappings.phrases["type_before_site"].search(m.text, 0, hit.start):
            start, end = m.start + hit.start, m.start + hit.end
            return Mention("topography", start, end, ctx.text[start:end], refs, refs[0].where, m.sentence)
    return None


def _same_span(ctx: BuildContext, m: Mention, kind: str) -> Iterator[Mention]:
    """Mentions of ``kind`` on exactly the span of ``m``, found by bisection (mentions are in text order)."""
    mentions = ctx.mentions
    for k in range(bisect.bisect_left(ctx.mention_starts, m.start), len(mentions)):
        o = mentions[k]
        if o.start != m.start:
            break
        if o.kind == kind and o.end == m.end:
            yield o


def _name_after(ctx: BuildContext, m: Mention, sites: ByStart) -> tuple[Any, int] | None:
    """The rest of a tumour's name written past a body site or a differentiation grade: "carcinome ovarien séreux"
    is "carcinome séreux", "tumeur desmoplastique abdominale à petites cellules rondes", "adénocarcinome modérément
    différencié de type intestinal". The words with one such run left out are looked up in morphology.csv, the
    longest name wins; returns (its row, where the name ends) or None. (Without a run left out the matcher has
    already read the longest name.)"""
    text = ctx.text
    gaps = []
    # the abbreviation of the name in brackets right after it does not end it: "tumeur stromale gastro-intestinale
    # (GIST) maligne" is "tumeur stromale gastro-intestinale maligne"
    start = m.end
    if abbreviation := _ABBREVIATION.match(text, m.end):
        gaps.append((abbreviation.start(), abbreviation.end()))
        start = abbreviation.end()
    stop = _NAME_STOP.search(text, start, m.end + _NAME_WINDOW)
    end = stop.start() if stop else min(m.end + _NAME_WINDOW, len(text))
    for k in range(bisect.bisect_left(sites.starts, m.end), len(sites.mentions)):
        if sites.mentions[k].start >= end:
            break  # sites are in text order (scanning all later ones was quadratic in a long report)
        gaps.append((_with_preposition(ctx, m.end, sites.mentions[k].start), sites.mentions[k].end))
    # (prefiltered: the window is tried at the report's occurrences of the gap words, not at each of its offsets)
    gaps += [(g.start(), g.end()) for g in prefiltered(ctx.mappings, "name_gap").finditer(text, m.end, end)]
    # "mésothéliome pleural malin de type épithélioïde": a term holding a site word is also a name without it, the
    # site being a run left out inside the term ("mésothéliome malin de type épithélioïde")
    bare = _without_sites(ctx, m, sites)
    if not gaps and not bare:
        return None  # no run to leave out (most tumour words): the words need not be read
    toks = _words(text, m.end, end, _NAME_WORDS)
    best: tuple[int, Any, int] | None = None
    for n in range(len(toks), 0, -1) if bare else ():
        ref = ctx.mappings.morphology_by_key.get(bare + tuple(t.key for t in toks[:n]))
        # (not a name less specific than the term: ICD-O-3 codes grow more specific, "mésothéliome" 9050 -> 9052)
        if ref is not None and ref.row.icdo3[:4] >= m.row.icdo3[:4]:
            best = (n, ref, toks[n - 1].end)
            break
    if len(toks) < 2:
        return (best[1], best[2]) if best else None
    skip = [any(a <= t.start and t.end <= b for a, b in gaps) for t in toks]
    head = term_keys(m.text)[0]
    i = 0
    while i < len(toks):
        if not skip[i]:
            i += 1
            continue
        j = i
        while j < len(toks) and skip[j]:
            j += 1
        rest = toks[:i] + toks[j:]
        for n in range(len(rest), i, -1):  # the name goes on past the run: at least one word after it
            ref = ctx.mappings.morphology_by_key.get(head + tuple(t.key for t in rest[:n]))
            if ref is not None:
                if best is None or n > best[0]:
                    best = (n, ref, rest[n - 1].end)
                break
        i = j
    return (best[1], best[2]) if best else None


def _without_sites(ctx: BuildContext, m: Mention, sites: ByStart) -> tuple[str, ...]:
    """The keys of a tumour term's words without the site words inside it after its first word, their preposition
    included ("mésothéliome [pleural]", "mésothéliome [de la plèvre]"); empty when the term holds no site."""
    inner = []
    # sites are in text order: from the first one after the term's start (a scan of all of them per tumour word was
    # quadratic on a long report)
    for k in range(bisect.bisect_right(sites.starts, m.start), len(sites.mentions)):
        if sites.mentions[k].start >= m.end:
            break
        if sites.mentions[k].end <= m.end:
            inner.append((_with_preposition(ctx, m.start, sites.mentions[k].start), sites.mentions[k].end))
    if not inner:
        return ()
    toks = _words(ctx.text, m.start, m.end, _NAME_WORDS)
    return tuple(t.key for t in toks if not any(a <= t.start and t.end <= b for a, b in inner))


def _with_preposition(ctx: BuildContext, lo: int, start: int) -> int:
    """Where a site written as a complement starts, its preposition included: "carcinome papillaire séreux [de
    l'ovaire] de haut grade" leaves "de l'ovaire" out, not "ovaire" alone. ``start`` itself when no preposition of
    phrases.yaml ``preposition`` ends right before the site (after ``lo``, the end of the tumour word)."""
    prep = ctx.mappings.phrases["preposition"]
    for s in range(max(lo, start - _PREP_CHARS), start):
        if ctx.text[s - 1 : s].isspace() and prep.fullmatch(ctx.text, s, start):
            return s
    return start


class _Word(NamedTuple):
    start: int  # offsets in the report
    end: int
    key: str  # normalise's matching key


def _words(text: str, start: int, end: int, most: int) -> list[_Word]:
    """The first ``most`` words of ``text[start:end]`` as ``normalise`` reads that slice (a word cut by either end
    is its part inside), at their offsets in ``text``. Read from the report's word bounds, computed once per text:
    normalising each slice cost more than the rest of the tumour's reading, and evicted the report's own words
    from the cache of the last texts split."""
    bounds = word_bounds(text)
    out: list[_Word] = []
    for k in range(bisect.bisect_right(bounds.ends, start), len(bounds.starts)):
        if bounds.starts[k] >= end or len(out) == most:
            break
        s, e = max(bounds.starts[k], start), min(bounds.ends[k], end)
        out.append(_Word(s, e, word_key(text[s:e])))
    return out


def _refine(ctx: BuildContext, m: Mention, code: str) -> Mention:
    """The disease mention with the words after it that make its code more specific (cim10_refine.yaml:
    "thrombophlébite du membre inférieur gauche" I80.9 -> I80.3), or ``m`` itself. The refined mention spans those
    words and carries ``attrs["refined"] = (code, display)``."""
    older = _older(ctx, m, code)
    if older is not None:
        out = Mention(m.kind, m.start, m.end, m.text, m.rows, m.rule, m.sentence)
        out.qualifiers, out.date, out.attrs = m.qualifiers, m.date, {**m.attrs, "refined": older}
        return out
    rules = ctx.mappings.refinements.get(code)
    if not rules:
        return m
    stop = _REFINE_STOP.search(ctx.text, m.end, m.end + _REFINE_WINDOW)
    end = stop.start() if stop else min(m.end + _REFINE_WINDOW, len(ctx.text))
    for pattern, ref in rules:
        hit = pattern.search(ctx.text, m.end, end)
        if hit is not None:
            out = Mention(m.kind, m.start, hit.end(), ctx.text[m.start : hit.end()], m.rows, m.rule, m.sentence)
            out.qualifiers, out.date = m.qualifiers, m.date
            out.attrs = {**m.attrs, "refined": (ref.row.to, _cim10_display(ctx, ref.row.to))}
            return out
    return m


def _older(ctx: BuildContext, m: Mention, code: str) -> tuple[str, str] | None:
    """The code of the disease ``m`` coded ``code`` when its date is surely older than the weeks CIM-10 gives that
    code (cim10_refine.yaml ``dated``: "un infarctus du myocarde en 2009" in a report of an admission in 2024 is
    I25.2), else None. The report's present is its presenting episode (timeline.episode); in a report without one, the
    latest date it tells, for a disease it tells as the patient's history ("Il avait pour antécédents ...")."""
    rule = ctx.mappings.dated_refinements.get(code)
    if rule is None or m.date is None or ctx.timeline is None:
        return None
    present = ctx.timeline.episode
    if present is None and "history" in m.qualifiers:
        present = max(ctx.timeline.dates, key=lambda d: (d.year, d.month or 0, d.day or 0), default=None)
    if present is None or days_before(m.date, present) <= rule[1] * 7:
        return None
    return rule[0], _cim10_display(ctx, rule[0])


def _node_group(ctx: BuildContext, c: _Cond, m: Mention, nodes: ByStart, longest: int) -> None:
    """The lymph node group of an adenopathy: a nodal site covering its words ("adénopathies axillaires") or written
    right after them ("adénopathie hilaire droite", "adénopathies dans la chaîne iliaque"). Localised adenopathies
    are R59.0 with that bodySite; in a cancer document _fold_findings makes them the cancer's nodal metastases.
    ``nodes``: the nodal sites in text order, ``longest`` the length of the longest."""
    # nodes are in text order: only those that may cover the words (starting at most the longest node's length
    # before their end), then those after them in their sentence, found by bisection (a scan of every node for
    # each adenopathy made a long report quadratic)
    lo = bisect.bisect_left(nodes.starts, m.end - longest)
    hi = bisect.bisect_right(nodes.starts, m.start, lo)
    site = next((n for n in nodes.mentions[lo:hi] if m.end <= n.end and n.row.icdo3 != "C77.9"), None)
    if site is None:
        site = group_right_after(ctx, m.end, m.sentence, nodes)
    if site is None:
        return
    c.site = (site.row.icdo3, site.row.display)
    c.cim10 = ("R59.0", _cim10_display(ctx, "R59.0"))
    c.key = f"nodes:{site.row.icdo3}"
    c.mentions.append(Mention("topography", site.start, site.end, site.text, site.rows, site.rule, site.sentence))


def _site_past(ctx: BuildContext, end: int, sentence: int, sites: ByStart) -> Mention | None:
    """The first body site after a finding's words, in its sentence, when only the words of phrases.yaml
    finding_site_gap stand between them ("lithiase [dans la] vessie")."""
    k = bisect.bisect_left(sites.starts, end)
    if k == len(sites.mentions):
        return None
    s = sites.mentions[k]
    if s.sentence != sentence or s.start - end > _SITE_PAST_MAX_CHARS:
        return None
    return s if ctx.mappings.phrases["finding_site_gap"].match(ctx.text[end : s.start]) else None


def _finding(ctx: BuildContext, m: Mention, sites: ByStart) -> _Cond | None:
    """A finding head with its modifiers, which stop before the next concept ("masse ... adénocarcinome")."""
    match = ctx.mappings.phrases["modifiers"].match(ctx.text, m.end)
    end = match.end() if match else m.end
    # mentions are in text order: the first concept starting inside the modifiers ends them
    for k in range(bisect.bisect_left(ctx.mention_starts, m.end), len(ctx.mentions)):
        if ctx.mentions[k].start >= end:
            break
        if ctx.mentions[k].kind in _CONCEPTS:
            end = ctx.mentions[k].start
            break
    tail = ctx.text[m.end : end]
    trailing = ctx.mappings.phrases["trailing_preposition"].search(tail)  # "récidive de la [maladie]"
    end = m.end + (trailing.start() if trailing and end > m.end else 0)
    participle = ctx.mappings.phrases["participle"]
    if participle.search(m.text) and not participle.search(m.row.term):
        return None
    if m.row.complement == "required" and (
        end == m.end or ctx.mappings.phrases["empty_modifier"].fullmatch(ctx.text, m.end, end)
    ):
        return None  # "syndrome" alone, "la maladie actuelle": the head names nothing without a real modifier
    phrase = Mention("finding", m.start, end, ctx.text[m.start : end], m.rows, m.rule, m.sentence)
    # sites are in text order: from the first one starting at the finding (a scan of all of them was quadratic)
    site_m = straddling = None
    for k in range(bisect.bisect_left(sites.starts, m.start), len(sites.mentions)):
        if sites.mentions[k].start >= end:
            break
        if sites.mentions[k].end <= end:
            site_m = sites.mentions[k]
            break
        if sites.mentions[k].start > m.end:
            straddling = sites.mentions[
                k
            ]  # starts in the modifiers, ends past them ("du tiers supérieur de l'œsophage")
            break
    row = m.row
    at_site = ctx.mappings.finding_sites.get(getattr(row, "term", ""))
    if site_m is None and at_site:
        # "lithiase dans la vessie": a site written past the modifiers that gives the head its code; "corps
        # étrangers du tiers supérieur de l'œsophage": a site of several words the modifiers cut
        past = straddling or _site_past(ctx, end, m.sentence, sites)
        if past is not None and any(past.row.icdo3.startswith(prefix) for prefix, _ in at_site):
            site_m = past
            phrase = Mention("finding", m.start, past.end, ctx.text[m.start : past.end], m.rows, m.rule, m.sentence)
    site = (site_m.row.icdo3, site_m.row.display) if site_m is not None else None
    key = "finding:" + " ".join(phrase.text.lower().split())
    # "abcès au niveau du foie": the head at its site has a CIM-10 code (cim10_refine.yaml sites)
    code = next((c for prefix, c in at_site or () if site and site[0].startswith(prefix)), None)
    if code is None and site is None:
        code = _context_code(ctx, m, getattr(row, "term", ""))
    return _Cond(
        [phrase] + ([site_m] if site_m is not None else []),
        key,
        phrase.text,
        (code, _cim10_display(ctx, code)) if code else None,
        (row.snomed, row.snomed_display) if row.snomed else None,
        None,
        site,
    )
