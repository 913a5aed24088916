"""Conditions (diseases, tumours, metastases) and FamilyMemberHistory from condition / morphology mentions.

Policy (documented in README "Assertions"):
- a diagnosis the text says was ruled out (exclusion cue) or a disease or sign it says is absent ("pas
  d'hépatomégalie", "sans signe de récidive") -> Condition with verificationStatus ``refuted`` and clinicalStatus
  ``inactive``: never asserted, and the negative finding is kept (it matters for staging: "absence de métastases");
  a negated relative's disease is dropped (FamilyMemberHistory cannot state an absence);
- hypothesis -> ``provisional``, differential -> ``differential``;
- a relative's disease -> FamilyMemberHistory, never a Condition of the patient;
- clinicalStatus (``_clinical_status``): the course the last mention states. A resolution cue ("disparition de",
  "guérie") -> ``resolved`` (a cancer: ``remission``); remission cue -> ``remission``; recurrence cue ->
  ``recurrence``; a past or treated disease ("antécédent de", "avait présenté", "opéré d'une hernie") ->
  ``resolved`` only for a disease whose episodes end (assertions.yaml ``episodic``) or one treated (not a cancer:
  conservative); a cancer named again after it ended is active again. An episodic disease with no such cue is
  resolved when it is dated a year or more before the report's last date, or a recovery statement follows it.
- mentions of one disease (same code) merge into one Condition citing every mention; its verification is the
  strongest asserted one (confirmed > provisional > differential > refuted).
A tumour is a morphology mention (ICD-O-3) plus the body site written right after it ("de l'iléon", "gastrique");
the site gives the CIM-10 code (primary or, for behaviour /6, secondary). A histology written without its site
takes the one of the report's generic tumour of one organ ("tumeur du sein" ... "carcinome canalaire infiltrant"),
and an organ's code "sans précision" the one sub-site the report names for it ("quadrant supéro-externe"). Two
histology families (carcinoma, sarcoma ...) at one organ are two cancers. A metastasis takes the histology of the
document's primary tumour and links to it (mCODE related-primary extension).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .. import fhirspec as F
from ..document import Mention
from ..normalise import normalise, term_keys
from .common import BuildContext, Unmapped, coding, concept, evidence

__all__ = ["build_conditions"]

# The phrase grammar (site gaps, finding modifiers, node groups ...) is French wording: mappings/phrases.yaml,
# compiled at load into ctx.mappings.phrases.
_SITE_GAP_MAX_CHARS = 200  # six short words: no gap the site_gap pattern accepts is longer
_GENERIC_MORPH = {"8000", "8001", "8010"}
_HAEMATOLOGICAL_FIRST = 9590  # ICD-O-3: 9590-9999 are lymphoid and haematopoietic neoplasms
_CARCINOMA = (8010, 8589)  # ICD-O-3: epithelial neoplasms (carcinomas, adenocarcinomas)
_CONCEPTS = {"condition", "finding", "morphology", "symptom", "procedure", "medication", "observation", "regimen"}
# findings.csv courses of the words that may name the report's tumour again ("la lésion", "une masse du sein")
_ANAPHORS = ("anaphor", "evidence")
_ENDING_CUES = ("resolved", "remission")
_END_DATE_REACH = 30  # characters between an ending cue and the date it gives ("en rémission complète depuis")
_RANK = {"confirmed": 3, "provisional": 2, "differential": 1, "refuted": 0}
_NAME_STOP = re.compile(r"[.;:()\n]")  # a tumour's name does not run on past these
_NAME_WINDOW = 120  # characters after a tumour word where the rest of its name may be
_NAME_WORDS = 8
_BOARD_WINDOW = 80  # characters before a disease word where a board's name may start ("comité des ...")
_LAST_WORD = re.compile(r"[^\W\d_]+$")
_WORD = re.compile(r"[^\W\d_]+")
_TEST_WINDOW = 150  # characters before a disease word where the serology or vaccine naming it may be
_REFINE_WINDOW = 60  # characters after a disease word where the words refining its code may be (cim10_refine.yaml)
# the words refining a code stay in the disease's clause; a full stop ends them, not the one of "E. coli"
_REFINE_STOP = re.compile(r"[,;:()\n]|\.(?=\s+[A-ZÀ-Ý]|\s*$)")


@dataclass
class _Cond:
    mentions: list[Mention]
    key: str
    text: str
    cim10: tuple[str, str] | None = None  # (code, display)
    snomed: tuple[str, str] | None = None
    morph: tuple[str, str] | None = None
    site: tuple[str, str] | None = None  # ICD-O-3 topography
    verification: str = "confirmed"
    clinical: str = "active"
    onset: Any = None
    abatement: Any = None
    episodic: bool = False  # assertions.yaml ``episodic``: its episodes end
    # what each mention says of the course, in text order after sorting: (offset, course or None, date of the
    # course statement in its own sentence, date of the mention)
    courses: list[tuple[int, str | None, Any, Any]] = field(default_factory=list)
    primary: _Cond | None = None
    stage_refs: list[dict[str, Any]] = field(default_factory=list)
    resource: dict[str, Any] | None = None
    name_end: int = 0  # end of the words read as its name past a site ("tumeur testiculaire germinale")
    spread: tuple[int, int] | None = None  # "métastatique" calling this primary cancer metastatic (its metastases)
    host: _Cond | None = None  # the cancer whose metastases "métastatique" says these are (_spread)
    status_evidence: list[Mention] = field(default_factory=list)  # "Rémission complète en juin 2012."
    verification_evidence: list[Mention] = field(default_factory=list)  # "... a conclu à une tumeur fibreuse"
    not_metastatic: bool = False  # a finding said "non métastatique" (_metastatic_heads): not the cancer's spread


def _verification(m: Mention) -> str:
    q = m.qualifiers
    if "exclusion" in q or "negation" in q:
        return "refuted"
    if "differential" in q:
        return "differential"
    if "hypothesis" in q:
        return "provisional"
    return "confirmed"


_ENDED = {"resolved", "remission"}
_PAST_COURSES = ("history", "resolved", "treated", "remission")
_COURSE_CUES = ("resolved", "remission", "recurrence", "treated", "history")  # the first one present wins
_YEAR_MONTHS = 12  # an episode dated this many months before the report's last date is over


def _course(ctx: BuildContext, m: Mention, recurrences: list[tuple[int, int]]) -> tuple[int, str | None, Any, Any]:
    """What the mention's own cues say of the disease's course, with the date of that statement when its sentence
    gives one. A recurrence cue that is itself a recurrence finding ("récidive ovarienne d'adénocarcinome
    gastrique") is that finding's Condition (``_fold_findings``), not a course of the tumour it names."""
    q = m.qualifiers
    for kind in _COURSE_CUES:
        cue = q.get(kind)
        if cue is None:
            continue
        if kind == "recurrence" and any(s <= cue.start < e and (s, e) != (m.start, m.end) for s, e in recurrences):
            continue
        if kind == "history" and "med_active" in q:
            break  # "antécédents d'IDC du sein sous aromasil": a past diagnosis still treated is current
        d = _date_after(ctx, cue.end, m.sentence) if kind in _ENDING_CUES else None
        if d is not None:  # "en rémission complète depuis 2017", "sevré en 2005": the end is that date
            return m.start, kind, d, m.date
        d = m.date
        same_sentence = (
            d is not None
            and d.start >= 0
            and ctx.structure is not None
            and ctx.structure.sentence_at(d.start) == m.sentence
        )
        return m.start, kind, d if same_sentence else None, m.date
    return m.start, None, None, m.date


def _site_key(icdo3: str) -> str:
    """The site part of a tumour's merge key: the organ (ICD-O-3 3-character category), but a lymph node group by
    its region (C77.1 mediastinal, C77.2 abdominal ...): nodal metastases of two regions are two Conditions, and
    every reading of one adenopathy ("adénopathies ... métastatiques", a nodal site of a recurrence) meets there."""
    return icdo3 if icdo3.startswith("C77") else icdo3[:3]


def _date_after(ctx: BuildContext, offset: int, sentence: int) -> Any:
    """The date written right after an ending cue, in its sentence ("en rémission depuis 2017"), or None."""
    d = ctx.timeline.first_after(offset) if ctx.timeline is not None else None
    if d is None or d.start - offset > _END_DATE_REACH or ctx.structure is None:
        return None
    return d if ctx.structure.sentence_at(d.start) == sentence else None


def _episodic(ctx: BuildContext, c: _Cond) -> bool:
    ep = ctx.mappings.episodic
    if c.cim10 and (f"cim10:{c.cim10[0]}" in ep or f"cim10:{c.cim10[0][:3]}" in ep):
        return True
    if c.snomed and f"snomed:{c.snomed[0]}" in ep:
        return True
    row = c.mentions[0].row if c.key.startswith("finding:") else None
    return row is not None and f"finding:{row.term}" in ep


def _months(d: Any, latest: bool) -> int:
    """A partial date as a month count; a year alone counts as its last month (``latest``) or its first."""
    return int(d.year * 12 + (d.month or (12 if latest else 1)))


def _clinical_status(ctx: BuildContext, c: _Cond, present: Any, recovery: list[int]) -> tuple[str, Any]:
    """clinicalStatus and abatement of a merged Condition from its mentions' courses (policy in the docstring)."""
    if c.clinical == "recurrence":  # a recurrence finding made its own Condition (_fold_findings)
        return "recurrence", None
    malignant = bool(c.morph and c.morph[0][-1] in "36")
    state, abatement = "active", None
    # a cancer is past only when the text never names it as current ("antécédents de lymphome" in a report about
    # that lymphoma is its first diagnosis, not a cured disease)
    past_cancer = malignant and all(course is not None for _, course, *_ in c.courses)
    for _, course, date, _ in sorted(c.courses, key=lambda x: x[0]):
        if course is None:
            # a cancer named again after its remission or its past treatment is the current disease again
            if malignant and state in _ENDED:
                state, abatement = "active", None
            continue
        if course == "resolved":
            state, abatement = ("remission" if malignant else "resolved"), date
        elif course == "remission":
            state, abatement = "remission", date
        elif course == "recurrence":
            state, abatement = "recurrence", None
        elif course == "treated" and not malignant:
            state, abatement = "resolved", None
        elif course == "history" and (past_cancer or (not malignant and c.episodic)):
            state, abatement = "resolved", None
    if state != "active" or not c.episodic or not c.courses:
        return state, abatement
    if _year_after(c, present):
        return "resolved", None  # "admise en avril 2009 pour un abdomen aigu" in a report that goes on to 2016
    first = min(off for off, *_ in c.courses)
    if any(r > first for r in recovery):
        return "resolved", None  # "... l'état général s'est progressivement amélioré"
    return state, abatement


def _inside_anatomy(m: Mention, sites: list[Mention]) -> bool:
    """ "le nerf grand sciatique": a disease word inside a longer body-site name that starts before it is anatomy
    (a site that starts with the disease word, "adénopathie cervicale", is the disease at that site)."""
    k = bisect.bisect_right(sites, m.start, key=lambda s: s.start)
    return any(s.start < m.start and m.end <= s.end for s in sites[max(0, k - 3) : k])


def _test_of(ctx: BuildContext, m: Mention) -> bool:
    """ "sérologies VHC, VIH": a pathogen's name (phrases.yaml agent) names what a serology looks for or a vaccine
    prevents (phrases.yaml test_of, read on the words of its sentence before it), not the patient's disease."""
    if not ctx.mappings.phrases["agent"].fullmatch(m.text):
        return False
    lo = max(0, m.start - _TEST_WINDOW)
    if ctx.structure is not None and m.sentence >= 0:
        lo = max(lo, ctx.structure.sentences[m.sentence].start)
    return ctx.mappings.phrases["test_of"].search(ctx.text, lo, m.start) is not None


def _site_after(ctx: BuildContext, m: Mention, sites: list[Mention]) -> Mention | None:
    """The body site written right after a tumour word; the most specific one if several ("gastrique ... antral")."""
    found = []
    # sites are in text order: start at the first one after the tumour word (a bisection), and stop where the gap
    # is longer than _SITE_GAP can match; scanning every site of a sentence per tumour was quadratic
    for k in range(bisect.bisect_left(sites, m.end, key=lambda s: s.start), len(sites)):
        s = sites[k]
        if s.sentence != m.sentence or s.start - m.end > _SITE_GAP_MAX_CHARS:
            break
        if ctx.mappings.phrases["site_gap"].match(ctx.text[m.end : s.start]):
            found.append(s)
        elif found:
            break
    if not found:
        return None
    # C16.3 (antrum) is more specific than C16.9 (stomach NOS)
    return sorted(found, key=lambda s: s.row.icdo3.endswith(".9"))[0]


def _site_before(ctx: BuildContext, m: Mention, sites: list[Mention]) -> Mention | None:
    """A site noun right before an adjective tumour word: "ganglion métastatique". Sites do not overlap, so only
    the last one ending before the word can be separated from it by blanks alone."""
    i = bisect.bisect_right(sites, m.start, key=lambda s: s.end)
    if i and sites[i - 1].sentence == m.sentence and ctx.text[sites[i - 1].end : m.start].strip() == "":
        return sites[i - 1]
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
    for k in range(bisect.bisect_left(mentions, m.start, key=lambda o: o.start), len(mentions)):
        o = mentions[k]
        if o.start != m.start:
            break
        if o.kind == kind and o.end == m.end:
            yield o


def build_conditions(ctx: BuildContext) -> list[dict[str, Any]]:
    """Build Condition and FamilyMemberHistory resources; return the patient's Conditions (for stage linking)."""
    sites = [m for m in ctx.mentions if m.kind == "topography"]
    tumour_spans = {(o.start, o.end) for o in ctx.mentions if o.kind == "morphology"}
    nodes = [
        m for m in ctx.mentions if m.kind == "lymph_node" or (m.kind == "topography" and m.row.icdo3.startswith("C77"))
    ]
    conds: list[_Cond] = []
    family: list[tuple[Mention, Mention | None]] = []
    tumours: list[tuple[_Cond, Mention]] = []
    recurrences = [(m.start, m.end) for m in ctx.mentions if m.kind == "finding" and m.row.course == "recurrence"]
    name_end = 0  # tumour words inside a name already read ("... à petites cellules rondes") are that name
    for m in ctx.mentions:
        if m.kind == "morphology" and m.end <= name_end:
            continue
        if m.kind == "symptom":
            ctx.dropped.append((m, "symptom: recognised, not a diagnosis"))
            continue
        if m.kind not in ("condition", "finding", "morphology") or "alias_of" in m.attrs:
            continue
        if ctx.mappings.phrases["board"].search(ctx.text, max(0, m.start - _BOARD_WINDOW), m.start):
            ctx.dropped.append((m, "names a board or a unit (phrases.yaml board), not the patient's disease"))
            continue
        if m.kind in ("condition", "finding") and _inside_anatomy(m, sites):
            ctx.dropped.append((m, "part of an anatomical name (topography.csv), not a disease"))
            continue
        if m.kind == "condition" and _test_of(ctx, m):
            ctx.dropped.append((m, "a pathogen a serology or a vaccine is for (phrases.yaml test_of), not a disease"))
            continue
        if m.kind == "condition" and (m.start, m.end) in tumour_spans:
            continue  # same words in both tables: built once, as a tumour (the condition row gives its CIM-10)
        ver = _verification(m)
        if "family" in m.qualifiers:
            if ver == "refuted":  # "pas d'antécédents familiaux de cancer": FamilyMemberHistory cannot say "absent"
                ctx.dropped.append((m, "negated family history"))
            else:
                family.append((m, m.attrs.get("relative")))
            continue
        if m.kind == "finding":
            c = _finding(ctx, m, sites)
            if c is None:
                ctx.dropped.append((m, "finding head without the modifier it needs (findings.csv complement=required)"))
                continue
        elif m.kind == "condition":
            row = m.row
            m = _refine(ctx, m, row.cim10)
            code, display = m.attrs.get("refined") or (row.cim10, row.display)
            # the row's SNOMED CT concept still holds for a subdivision of its category, not for another category
            # ("alcoolisme occasionnel": F10.2 -> Z72.1 is no longer alcoholism)
            same = code[:3] == row.cim10[:3]
            c = _Cond(
                [m, *m.attrs.get("aliases", [])],
                f"cim10:{code}",
                m.text,
                (code, display),
                (row.snomed, row.snomed_display) if row.snomed and same else None,
            )
            if row.cim10.startswith("R59") and row.cim10 != "R59.1":
                _node_group(ctx, c, m, nodes)
        else:
            c = _tumour(ctx, m, sites, tumours)
            if c is None:
                continue
            name_end = max(name_end, c.name_end)
        c.verification, c.onset = ver, m.date
        end_cue = m.qualifiers.get("resolved") or m.qualifiers.get("remission")
        if end_cue is not None and m.date is not None and m.date.start >= end_cue.end:
            c.onset = None  # "tabagisme sevré en 2005", "guérie en mars 2012": the date is when it ended
        c.courses = [_course(ctx, m, recurrences)]
        c.episodic = _episodic(ctx, c)
        conds.append(c)
        if c.spread is not None and (spread := _spread(ctx, m, c)) is not None:
            spread.verification, spread.onset, spread.courses = ver, m.date, list(c.courses)
            conds.append(spread)
        for other in _coordinated(ctx, c, sites, ver == "refuted"):
            other.verification, other.onset, other.courses, other.episodic = ver, m.date, list(c.courses), c.episodic
            conds.append(other)
    conds = _metastatic_heads(ctx, conds)
    _subsite(ctx, conds, sites, _site_from_report(ctx, conds))
    p = _primary(conds)
    for c in conds:
        if c.host is not None and c.host.morph is not None and c.host.morph[0][:4] in _GENERIC_MORPH:
            c.host = None  # "cancer du sein métastatique": the histology the report names for its primary, if any
        if c.host is not None:
            c.primary = c.host
        elif c.morph and c.morph[0].endswith("/6") and p is not None:
            c.primary = p
            if c.morph[0].split("/")[0] in _GENERIC_MORPH:
                c.morph = (p.morph[0].split("/")[0] + "/6", p.morph[1]) if p.morph else c.morph
    merged = _fold_unspecified(_merge(_fold_findings(ctx, _merge(conds))))
    _ruled_out(ctx, merged)
    present = max(ctx.dates, key=lambda d: (d.year, d.month or 0, d.day or 0), default=None)
    recovery: list[int] | None = None
    for c in merged:
        if recovery is None and c.episodic:  # one pass of the recovery cues, only when it can matter
            recovery = [m.start() for p, _ in ctx.mappings.recovery for m in p.finditer(ctx.text)]
        c.clinical, c.abatement = _clinical_status(ctx, c, present, recovery or [])
    out = [_resource(ctx, c) for c in merged]
    final_primary = _primary(merged)
    for c in merged:
        # the metastases "métastatique" gives a cancer are that cancer's, else the document's primary's
        target = c.host if c.host is not None and c.host.resource is not None else final_primary
        if c.primary is not None and target is not None and target.resource is not None and c.resource is not None:
            c.resource["extension"].append({"url": F.RELATED_PRIMARY, "valueReference": ctx.ref(target.resource)})
    for m, rel in family:
        _family(ctx, m, rel, sites)
    ctx.conditions = merged  # type: ignore[attr-defined]
    return out


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
    pattern = ctx.mappings.phrases["final_diagnosis"]
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
        ):
            continue
        c.mentions.append(s)
        c.site = o.site  # its key stays its histology: the generic tumour is not merged with it
        if row.cim10_primary:
            c.cim10 = (row.cim10_primary, _cim10_display(ctx, row.cim10_primary))
        sited_histologies.add(c.morph[0][:4])
        given.append(c)
    return given


def _subsite(ctx: BuildContext, conds: list[_Cond], sites: list[Mention], borrowed: list[_Cond]) -> None:
    """A primary cancer coded for its whole organ ("adénocarcinome pulmonaire" C34.9) takes the sub-site the report
    writes elsewhere for that organ ("masse du lobe supérieur droit" C34.1, "quadrant supéro-externe" C50.4): only
    when the report names one sub-site of that CIM-10 category and has one histology of that organ (counted on the
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
            organs.setdefault(o.cim10[0][:3], set()).add(o.morph[0][:4])
    subsites: dict[str, set[str]] = {}
    for s in sites:
        code = s.row.cim10_primary
        if code and code[-2:] not in (".8", ".9"):
            subsites.setdefault(code[:3], set()).add(code)
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
        subs = subsites.get(cat, set())
        if len(organs.get(cat, ())) > 1 or len(subs) != 1:
            continue
        code = next(iter(subs))
        c.cim10 = (code, _cim10_display(ctx, code))


def _primary(conds: list[_Cond]) -> _Cond | None:
    """The document's primary cancer: the first confirmed malignant tumour with a histology ("carcinome
    microcytaire"), else the first confirmed malignant one ("cellules malignes", "cancer")."""
    malignant = [c for c in conds if c.morph and c.morph[0].endswith("/3") and c.verification == "confirmed"]
    return next((c for c in malignant if c.morph and c.morph[0][:4] not in _GENERIC_MORPH), None) or next(
        iter(malignant), None
    )


def _name_after(ctx: BuildContext, m: Mention, sites: list[Mention]) -> tuple[Any, int] | None:
    """The rest of a tumour's name written past a body site or a differentiation grade: "carcinome ovarien séreux"
    is "carcinome séreux", "tumeur desmoplastique abdominale à petites cellules rondes", "adénocarcinome modérément
    différencié de type intestinal". The words with one such run left out are looked up in morphology.csv, the
    longest name wins; returns (its row, where the name ends) or None. (Without a run left out the matcher has
    already read the longest name.)"""
    text = ctx.text
    stop = _NAME_STOP.search(text, m.end, m.end + _NAME_WINDOW)
    end = stop.start() if stop else min(m.end + _NAME_WINDOW, len(text))
    toks = normalise(text[m.end : end]).tokens[:_NAME_WORDS]
    if len(toks) < 2:
        return None
    gaps = []
    for k in range(bisect.bisect_left(sites, m.end, key=lambda s: s.start), len(sites)):
        if sites[k].start >= end:
            break  # sites are in text order (scanning all later ones was quadratic in a long report)
        gaps.append((sites[k].start, sites[k].end))
    gaps += [(g.start(), g.end()) for g in ctx.mappings.phrases["name_gap"].finditer(text, m.end, end)]
    skip = [any(a <= m.end + t.start and m.end + t.end <= b for a, b in gaps) for t in toks]
    head = term_keys(m.text)[0]
    best: tuple[int, Any, int] | None = None
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
                    best = (n, ref, m.end + rest[n - 1].end)
                break
        i = j
    return (best[1], best[2]) if best else None


def _refine(ctx: BuildContext, m: Mention, code: str) -> Mention:
    """The disease mention with the words after it that make its code more specific (cim10_refine.yaml:
    "thrombophlébite du membre inférieur gauche" I80.9 -> I80.3), or ``m`` itself. The refined mention spans those
    words and carries ``attrs["refined"] = (code, display)``."""
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


def _node_group(ctx: BuildContext, c: _Cond, m: Mention, nodes: list[Mention]) -> None:
    """The lymph node group of an adenopathy: a nodal site covering its words ("adénopathies axillaires") or written
    right after them ("adénopathie hilaire droite", "adénopathies dans la chaîne iliaque"). Localised adenopathies
    are R59.0 with that bodySite; in a cancer document _fold_findings makes them the cancer's nodal metastases."""
    site = next((n for n in nodes if n.start <= m.start and m.end <= n.end and n.row.icdo3 != "C77.9"), None)
    if site is None:
        site = next(
            (
                n
                for n in nodes
                if n.sentence == m.sentence
                and n.start >= m.end
                and n.row.icdo3 != "C77.9"
                and ctx.mappings.phrases["node_gap"].match(ctx.text[m.end : n.start])
            ),
            None,
        )
    if site is None:
        return
    c.site = (site.row.icdo3, site.row.display)
    c.cim10 = ("R59.0", _cim10_display(ctx, "R59.0"))
    c.key = f"nodes:{site.row.icdo3}"
    c.mentions.append(Mention("topography", site.start, site.end, site.text, site.rows, site.rule, site.sentence))


def _finding(ctx: BuildContext, m: Mention, sites: list[Mention]) -> _Cond | None:
    """A finding head with its modifiers, which stop before the next concept ("masse ... adénocarcinome")."""
    match = ctx.mappings.phrases["modifiers"].match(ctx.text, m.end)
    end = match.end() if match else m.end
    # mentions are in text order: the first concept starting inside the modifiers ends them
    for k in range(bisect.bisect_left(ctx.mentions, m.end, key=lambda x: x.start), len(ctx.mentions)):
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
    if end == m.end and m.row.complement == "required":
        return None
    phrase = Mention("finding", m.start, end, ctx.text[m.start : end], m.rows, m.rule, m.sentence)
    # sites are in text order: from the first one starting at the finding (a scan of all of them was quadratic)
    site_m = None
    for k in range(bisect.bisect_left(sites, m.start, key=lambda s: s.start), len(sites)):
        if sites[k].start >= end:
            break
        if sites[k].end <= end:
            site_m = sites[k]
            break
    site = (site_m.row.icdo3, site_m.row.display) if site_m is not None else None
    row = m.row
    key = "finding:" + " ".join(phrase.text.lower().split())
    # "abcès au niveau du foie": the head at its site has a CIM-10 code (cim10_refine.yaml sites)
    at_site = ctx.mappings.finding_sites.get(getattr(row, "term", "")) if site else None
    code = next((c for prefix, c in at_site or () if site and site[0].startswith(prefix)), None)
    return _Cond(
        [phrase] + ([site_m] if site_m is not None else []),
        key,
        phrase.text,
        (code, _cim10_display(ctx, code)) if code else None,
        (row.snomed, row.snomed_display) if row.snomed else None,
        None,
        site,
    )


def _tumour(ctx: BuildContext, m: Mention, sites: list[Mention], tumours: list[tuple[_Cond, Mention]]) -> _Cond | None:
    row = m.row
    code, display = row.icdo3, row.display
    # a prepositional tail ("à petites cellules", "non à petites cellules") names no tumour by itself: it refines
    # the tumour written just before it, across its site ("carcinome pulmonaire non à petites cellules")
    if ctx.mappings.phrases["tail"].match(row.term):
        for prev_c, prev_m in reversed(tumours):
            if prev_m.sentence != m.sentence:
                break
            gap = ctx.text[prev_c.mentions[0].end : m.start]
            if prev_m.sentence == m.sentence and len(gap) < 80 and ctx.mappings.phrases["site_gap"].match(gap):
                if prev_c.morph and (prev_c.morph[0][:4] in _GENERIC_MORPH or prev_c.morph[0][:4] < code[:4]):
                    prev_c.morph = _refined(prev_c.morph, code, display)
                prev_c.mentions.append(m)
                break
        return None
    # "adénocarcinome ... avec des cellules en anneau de signet": a second morphology refining the first
    # (not a metastasis or a carcinomatosis, /6 or /9: "avec carcinomatose péritonéale" is a spread, no subtype)
    for prev_c, prev_m in reversed(tumours) if code[-1] not in "69" else ():
        if prev_m.sentence != m.sentence:
            break  # tumours are in text order: the earlier ones are in earlier sentences
        if (
            prev_m.sentence == m.sentence
            and m.start - prev_m.end < 80
            and ctx.mappings.phrases["refines"].search(ctx.text[prev_m.end : m.start])
        ):
            if prev_c.morph and (prev_c.morph[0][:4] in _GENERIC_MORPH or prev_c.morph[0][:4] < code[:4]):
                prev_c.morph = _refined(prev_c.morph, code, display)
            prev_c.mentions.append(m)
            return None
    site_m = _site_after(ctx, m, sites) or _site_before(ctx, m, sites)
    name = _name_after(ctx, m, sites) if not code.endswith("/6") else None
    spread, base = _metastatic_primary(ctx, m, site_m, name)
    if base is not None:  # "adénocarcinome [pancréatique] métastatique": the cancer, said metastatic
        code, display, name = base.icdo3, base.display, None
    tail_start = m.end
    if name is not None:
        ref, name_end = name
        code, display = ref.row.icdo3, ref.row.display
        m = Mention("morphology", m.start, name_end, ctx.text[m.start : name_end], (ref,), m.rule, m.sentence)
        tail_start = max(name_end, site_m.end if site_m else 0)
    behaviour = code[-1]
    tail = ctx.text[tail_start : max(tail_start, site_m.end if site_m else 0) + 15]
    said = 0  # "métastatique" read as part of this metastasis's name ("Pathologie : mélanome métastatique")
    if behaviour == "3" and not spread and ctx.mappings.phrases["metastatic"].match(tail.strip()):
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
    if cim10 is None and behaviour != "6":
        # a morphology word that is also a disease row ("cholangiocarcinome" -> C22.1); not for a metastasis of it,
        # whose CIM-10 code is the secondary one of a site the text does not give
        for o in _same_span(ctx, m, "condition"):
            cim10 = (o.row.cim10, o.row.display)
            break
    key = f"tumour:{behaviour}:{_site_key(site[0]) if site else morph[0]}"
    within = _site_within(ctx, m) if site_m is None else None
    if within is not None:
        # "carcinomatose péritonéale": a table term that names its own site. The site is the bodySite; the CIM-10
        # code stays the term's own row, and the key its histology (measured: keying it by the site merged it with
        # other tumours of that organ)
        site = (within.row.icdo3, within.row.display)
    lo, hi = min(x.start for x in mentions), max([x.end for x in mentions] + [said])
    # the main evidence is the whole tumour phrase ("ganglion métastatique", "adénocarcinome gastrique")
    phrase = Mention("morphology", lo, hi, ctx.text[lo:hi], m.rows, m.rule, m.sentence)
    mentions = [phrase] + ([site_m] if site_m is not None else []) + ([within] if within is not None else [])
    c = _Cond(mentions, key, phrase.text, cim10, None, morph, site)
    # the word is read here, not as a tumour of its own
    c.name_end = max(m.end if name is not None else 0, spread, said)
    if spread:
        word = _LAST_WORD.search(ctx.text, max(0, spread - 40), spread)
        c.spread = (word.start(), spread) if word else None
    tumours.append((c, m))
    return c


def _coordinated(ctx: BuildContext, c: _Cond, sites: list[Mention], negated: bool) -> list[_Cond]:
    """ "métastases pulmonaires et osseuses", "métastases hépatiques, pulmonaires et cérébrales": each site joined
    to the metastasis's site (phrases.yaml site_coordination) is a metastasis of its own, of the same histology.
    Its evidence is the metastasis word and that site."""
    site_m = c.mentions[1] if len(c.mentions) > 1 and c.mentions[1].kind == "topography" else None
    if c.morph is None or not c.morph[0].endswith("/6") or site_m is None:
        return []
    out: list[_Cond] = []
    k = bisect.bisect_left(sites, site_m.start, key=lambda s: s.start)
    end = site_m.end
    coordination, adjective = ctx.mappings.phrases["site_coordination"], ctx.mappings.phrases["adjective"]
    word = c.mentions[0]
    while k + 1 < len(sites) and sites[k + 1].start >= end:
        joined = coordination.fullmatch(ctx.text, end, sites[k + 1].start)
        if joined is None or (joined.group("alternative") and not negated):
            break
        # only an adjective goes on qualifying the metastasis word ("et ganglionnaires médiastinales"), or a node
        # group, the commonest site named as a noun ("osseuses, ganglions lymphatiques ..."); another noun is an
        # organ of its own clause ("métastases hépatiques, rate et reins normaux": they are said normal)
        nxt = sites[k + 1]
        if not (adjective.fullmatch(nxt.text.split()[0]) or nxt.row.icdo3.startswith("C77")):
            break
        k += 1
        n, end = sites[k], sites[k].end
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


def _spread(ctx: BuildContext, m: Mention, host: _Cond) -> _Cond | None:
    """The metastases "métastatique" says a cancer has, their sites unwritten: a metastasis Condition citing the
    word, with that cancer's histology (behaviour /6) and linked to it (mCODE secondary cancer condition,
    related-primary)."""
    assert host.spread is not None and host.morph is not None
    start, end = host.spread
    ref = ctx.mappings.morphology_by_key.get(term_keys(ctx.text[start:end])[0])
    if ref is None or not ref.row.icdo3.endswith("/6"):
        return None
    word = Mention("morphology", start, end, ctx.text[start:end], (ref,), m.rule, m.sentence)
    morph = (host.morph[0][:4] + "/6", host.morph[1])
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


def _edition(ctx: BuildContext, morph: tuple[str, str], mentions: list[Mention]) -> tuple[str, str]:
    """The morphology code in the output edition: under ICD-O-3.1, the words that gave the code keep their
    ICD-O-3.1 code where ICD-O-3.2 changed it (morphology.csv icdo3_1: "thymome" 8580/1, "GIST" 8936/1). Only a
    code still equal to the row's is recoded: a behaviour read from the context (/6) is the same in both. Words of
    the same code that ICD-O-3.1 codes alike win ("tumeur neuroendocrine" ... "tumeur carcinoïde": 8240/3 in both,
    "thymome" ... "thymome malin": 8580/3 in both)."""
    if ctx.mappings.icdo_edition == "3.1":
        rows = [m.row for m in mentions if m.kind == "morphology" and m.row.icdo3 == morph[0]]
        if rows and all(row.icdo3_1 for row in rows):
            return rows[0].icdo3_1, ctx.mappings.icdo3_1_display[rows[0].icdo3_1]
    return morph


def _refined(morph: tuple[str, str], code: str, display: str) -> tuple[str, str]:
    """A tumour's histology refined by a later word: the behaviour stays the tumour's (metastatic, in situ,
    malignant), except that a neoplasm of unknown or benign behaviour ("tumeur" /1) takes the refining word's:
    "tumeur à petites cellules" is a small cell carcinoma 8041/3 (there is no 8041/1)."""
    behaviour = morph[0][-1]
    if morph[0][:4] in _GENERIC_MORPH and behaviour in "01":
        behaviour = code[-1]
    return code[:-1] + behaviour, display


def _cim10_display(ctx: BuildContext, code: str) -> str:
    # every CIM-10 code of the curated tables is checked at load to be in cim10.csv
    return ctx.mappings.cim10_labels.get(code, code)


def _merge(conds: list[_Cond]) -> list[_Cond]:
    by_key: dict[str, _Cond] = {}
    order: list[_Cond] = []
    for c in conds:
        # one disease, one Condition; but localised findings of different sites stay apart ("nodes:C77.3")
        key = f"cim10:{c.cim10[0]}" if c.cim10 and not c.morph and not c.site else c.key
        refuted = c.verification == "refuted"
        # an absent disease ("absence de néoplasie résiduelle", "pas de thrombophlébite") is its own negative
        # finding: merged into the patient's confirmed Condition it would vanish (confirmed outranks refuted)
        if refuted and not key.endswith("|refuted"):
            key += "|refuted"
        # an unsited tumour joins the sited primary of the same histology ("carcinome neuroendocrine" ... "de l'iléon")
        if c.morph and not c.site and c.morph[0].endswith("/3") and not refuted:
            for o in order:
                if o.morph and o.site and o.morph[0] == c.morph[0] and o.verification != "refuted":
                    key = o.key
                    break
        # (not nodal metastases read from adenopathies, keyed by their full C77.x: the report's unsited
        # "métastases" are its organ metastases, not the lymph nodes it describes separately)
        if c.morph and c.site and c.cim10 and not c.key.startswith("tumour:6:C77.") and not refuted:
            for o in order:
                if (
                    o.morph
                    and not o.site
                    and o.morph[0] == c.morph[0]
                    and o.key in by_key
                    and o.verification != "refuted"
                ):
                    # adopt the earlier unsited mention of the same tumour
                    del by_key[o.key]
                    order.remove(o)
                    recurs = _recurs(c)
                    c.mentions = o.mentions + c.mentions
                    c.verification = max(c.verification, o.verification, key=_RANK.__getitem__)
                    c.courses = o.courses + c.courses
                    # a recurrence at a new site ("nouvelle rechute au niveau sacré ... métastase") starts when
                    # the recurrence is written, not when the earlier unsited mention was
                    c.onset = c.onset if recurs and c.onset is not None else _earliest(c.onset, o.onset)
                    break
        if key in by_key and _two_cancers(by_key[key], c):
            key += f"|family:{_family_of(c)}"  # "angiosarcome du sein" years after a breast carcinoma: two cancers
        if key in by_key and c.episodic and _apart(by_key[key], c):
            # "une occlusion intestinale due à des brides" in 2011, "une subocclusion intestinale" in 2015: two
            # episodes of an episodic disease, each with its own onset and course
            key += f"|episode:{c.onset.year}:{c.onset.month or 0}"
        if key in by_key:
            t = by_key[key]
            t.mentions.extend(c.mentions)
            if _RANK[c.verification] > _RANK[t.verification]:
                t.verification = c.verification
            if t.morph and c.morph and t.morph[0][:4] in _GENERIC_MORPH and c.morph[0][:4] not in _GENERIC_MORPH:
                t.morph = c.morph
            elif t.morph and c.morph and _subtype(t, c):
                t.morph = c.morph
            t.onset = _earliest(t.onset, c.onset)
            t.courses.extend(c.courses)
            if c.clinical == "recurrence":  # a recurrence finding's Condition stays one (_fold_findings)
                t.clinical = "recurrence"
        else:
            c.key = key
            by_key[key] = c
            order.append(c)
    return order


def _family_of(c: _Cond) -> str:
    """The broad family of a tumour's histology: carcinoma (ICD-O-3 8010-8589), lymphoid / haematopoietic, other
    (sarcoma, melanoma, germ cell ...); "" for a generic or missing one."""
    if not c.morph or c.morph[0][:4] in _GENERIC_MORPH or not c.morph[0][:4].isdigit():
        return ""
    n = int(c.morph[0][:4])
    return "carcinoma" if _CARCINOMA[0] <= n <= _CARCINOMA[1] else "haem" if _haematological(c) else "other"


def _two_cancers(t: _Cond, c: _Cond) -> bool:
    """Two tumours keyed by one organ are two cancers when their histologies are of two families (a carcinoma and a
    sarcoma of one breast); a generic word ("cancer du sein") or a subtype of one family is the same tumour."""
    if not (t.morph and c.morph and t.morph[0].endswith("/3") and c.morph[0].endswith("/3")):
        return False  # metastases of one site merge whatever they are said to be
    a, b = _family_of(t), _family_of(c)
    return bool(a and b and a != b)


def _fold_unspecified(conds: list[_Cond]) -> list[_Cond]:
    """One disease, one Condition:
    - a disease coded "sans précision" (``.9``) joins a more specific code of its CIM-10 category named elsewhere in
      the report ("grossesse extra-utérine" O00.9 ... "grossesse tubaire" O00.1, "thrombophlébite" I80.9 ... "du
      membre inférieur" I80.3);
    - a disease named again with more words joins that longer name, when a single disease of the report is it
      ("appendicite" K37 ... "appendicite aiguë" K35.8, "diabète" ... "diabète de type 2").
    Not a tumour or a localised finding (their site keeps them apart), not across a refuted one, nor two episodes of
    an episodic disease a year apart."""
    words = {id(c): _term_words(c) for c in conds}  # the words of each disease's table term, read once
    target: dict[int, _Cond] = {}
    for c in conds:
        if c.cim10 is None or c.morph or c.site:
            continue
        same_course = [
            o
            for o in conds
            if o is not c
            and o.cim10
            and not o.morph
            and not o.site
            and (o.verification == "refuted") == (c.verification == "refuted")
            # either name may be the episodic one ("appendicite" K37 in 2010 ... "appendicite aiguë" K35 in 2023)
            and not ((c.episodic or o.episodic) and (_apart(o, c) or _apart(c, o)))
        ]
        host = None
        if c.cim10[0].endswith(".9"):
            host = next(
                (
                    o
                    for o in same_course
                    if o.cim10 and o.cim10[0][:3] == c.cim10[0][:3] and not o.cim10[0].endswith(".9")
                ),
                None,
            )
        # the shorter name must be its term alone: "hépatite C" is read from "hépatite" and its agent, it is not
        # the first words of "hépatite B chronique"
        mine = words[id(c)] if term_keys(c.text)[0] == words[id(c)] else ()
        if host is None and mine:
            longer = {
                o.key: o
                for o in same_course
                if len(words[id(o)]) > len(mine)
                and words[id(o)][: len(mine)] == mine
                # a past episode and a current one are two ("antécédent de diabète gestationnel" ... "actuellement
                # diabète"): the longer name may be another disease of the same word
                and not ((c.episodic or o.episodic) and _ended(c) != _ended(o))
            }
            host = next(iter(longer.values())) if len(longer) == 1 else None
        if host is not None:
            target[id(c)] = host
    out: list[_Cond] = []
    for c in conds:
        host, seen = target.get(id(c)), {id(c)}
        while host is not None and id(host) in target and id(target[id(host)]) not in seen:  # a chain ends somewhere
            seen.add(id(host))
            host = target[id(host)]
        if host is None or id(host) in target:  # no host, or a cycle: keep it
            out.append(c)
            continue
        host.mentions.extend(c.mentions)
        if _RANK[c.verification] > _RANK[host.verification]:
            host.verification = c.verification
        host.onset = _earliest(host.onset, c.onset)
        host.courses.extend(c.courses)
    return out


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


def _ended(c: _Cond) -> bool:
    """Every mention of ``c`` says it is past (antecedent, resolved, treated, in remission)."""
    return bool(c.courses) and all(kind in _PAST_COURSES for _, kind, *_ in c.courses)


def _term_words(c: _Cond) -> tuple[str, ...]:
    """The folded words of the conditions.csv term a disease was read from (empty for a finding or a tumour)."""
    m = c.mentions[0] if c.mentions else None
    if m is None or m.kind != "condition":
        return ()
    return term_keys(m.row.term)[0]


def _morph_row(c: _Cond) -> Any:
    """The morphology.csv row that gave a tumour its code (None once a later word refined it)."""
    assert c.morph is not None
    return next((m.row for m in c.mentions if m.kind == "morphology" and m.row.icdo3 == c.morph[0]), None)


def _subtype(t: _Cond, c: _Cond) -> bool:
    """``c`` names a subtype of ``t``'s "NOS" histology, in the same words plus more: "adénocarcinome pulmonaire"
    then "adénocarcinome pulmonaire de type acineux" (8140/3 -> 8550/3), "lymphome" then "lymphome B diffus à
    grandes cellules". A different histology of the same organ ("carcinome épidermoïde") is not a subtype."""
    a, b = _morph_row(t), _morph_row(c)
    if a is None or b is None or a.icdo3 == b.icdo3 or not a.display.endswith("NOS"):
        return False
    head, longer = term_keys(a.term)[0], term_keys(b.term)[0]
    return len(longer) > len(head) and longer[: len(head)] == head


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
    primary = _primary(conds)
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
        finding = c.key.startswith("finding:") and c.verification != "refuted"
        course = c.mentions[0].row.course if finding else None
        course = None if course in _ANAPHORS else course  # with a site or a code, an ordinary finding
        if finding and course and primary is not None and primary.morph is not None:
            site_m = next((m for m in c.mentions if m.kind == "topography"), None)
            # (a lymphoma or a leukaemia does not metastasise: its relapse or infiltration elsewhere is the disease
            # itself, recurring or extending)
            if (
                course != "cancer"
                and site_m is not None
                and (primary.site is None or site_m.row.icdo3[:3] != primary.site[0][:3])
                and not _haematological(primary)
            ):
                target = site_m.row.cim10_secondary
                c.morph = (primary.morph[0][:4] + "/6", primary.morph[1])
                c.cim10 = (target, _cim10_display(ctx, target)) if target else None
                c.primary, c.snomed = primary, None
                c.key = f"tumour:6:{site_m.row.icdo3[:3]}"
                out.append(c)
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
                c.clinical = "recurrence"
                c.key = f"recurrence:{primary.key}"
                out.append(c)
                continue
            primary.mentions.extend(m for m in c.mentions if m.kind != "topography")
            continue
        target_c = tumours.get(c.site[0][:3]) if finding and c.site else None
        if target_c is not None:
            target_c.mentions.extend(m for m in c.mentions if m.kind != "topography")
            target_c.onset = _earliest(target_c.onset, c.onset)
            continue
        if c.key.startswith("finding:") and getattr(c.mentions[0].row, "course", None) == "evidence":
            ctx.dropped.append((c.mentions[0], "a mass or nodule joined to no tumour (findings.csv course evidence)"))
            continue
        out.append(c)
    return out


def _antecedent(
    ctx: BuildContext, c: _Cond, conds: list[_Cond], tumours: dict[str, _Cond], primary: _Cond | None
) -> _Cond | None:
    """The named disease a generic word stands for, or None. A report names its cancer once and then calls it
    "la tumeur", "le processus tumoral", "la lésion": those words (a generic tumour, ICD-O-3 8000 /1 or /3, or a
    findings.csv ``anaphor`` head alone: no modifier, no site, no code) are more evidence of the tumour of their
    organ, or of the document's primary when they name no organ, not a second disease. Not a benign one ("tumeur
    bénigne" 8000/0: another tumour), not one said to be another ("une seconde tumeur", phrases.yaml another), not
    a refuted one, and not into a tumour asserted less firmly than the word ("une tumeur" confirmed, its histology
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


def _haematological(c: _Cond) -> bool:
    """A lymphoid or haematopoietic neoplasm (ICD-O-3 morphology 9590-9999): lymphoma, leukaemia, myeloma."""
    return bool(c.morph and c.morph[0][:4].isdigit() and int(c.morph[0][:4]) >= _HAEMATOLOGICAL_FIRST)


def _recurs(c: _Cond) -> bool:
    """``c`` was read from a recurrence finding ("rechute", "récidive": findings.csv course)."""
    row = c.mentions[0].row if c.mentions else None
    return bool(row is not None and getattr(row, "course", None) == "recurrence")


def _apart(t: _Cond, c: _Cond) -> bool:
    """``c`` is dated a year or more after every dated mention of ``t``."""
    return _year_after(t, c.onset)


def _year_after(t: _Cond, when: Any) -> bool:
    """``when`` is a year or more after every dated mention of ``t`` (False when either has no date)."""
    dated = [d for *_, d in t.courses if d is not None]
    return bool(
        when is not None and dated and _months(when, False) - max(_months(d, True) for d in dated) >= _YEAR_MONTHS
    )


def _earliest(a: Any, b: Any) -> Any:
    """Onset of merged mentions: the earliest date any of them gives (a year alone sorts before its months)."""
    if a is None or b is None:
        return a or b
    return min(a, b, key=lambda d: (d.year, d.month or 0, d.day or 0))


def _neoplasm_code(ctx: BuildContext, c: _Cond) -> None:
    """The CIM-10 code of a tumour by its final histology, behaviour and site (neoplasm_cim10.csv), once merges and
    sites borrowed from the report are done: the most specific rule, a morphology's before a site's, the longest
    site prefix first. A benign, uncertain or in situ tumour ("tumeur rénale" D41.0) takes it when it has no code or
    the unspecified code of the same category ("mélanome in situ" D03.9 of the trunk: D03.5); a conditions.csv row
    naming its words keeps its code otherwise. A malignant histology that ICD-10 codes by itself (mesothelioma C45,
    Kaposi sarcoma C46, melanoma of the skin C43) replaces its site's code, as haematological.csv does; its rule
    with no site only codes a tumour that has no code yet (a melanoma of the choroid stays C69.3)."""
    assert c.morph is not None
    behaviour, morph = c.morph[0][-1], c.morph[0][:4]
    site = c.site[0] if c.site else ""
    table = ctx.mappings.neoplasm_cim10
    for key in (morph, ""):
        for prefix in (site, site[:3], "C", "") if site else ("",):
            if (key, behaviour, prefix) not in table:
                continue
            rule = table[key, behaviour, prefix]
            if rule is None:
                break  # the histology is coded by its site here ("nævus" of an organ): the site's row
            current = c.cim10[0] if c.cim10 else ""
            vaguer = current[:3] == rule[0][:3] and current != rule[0] and (len(current) == 3 or current[-2:] == ".9")
            if not current or vaguer or (behaviour == "3" and prefix != ""):
                c.cim10 = rule
            return


def _resource(ctx: BuildContext, c: _Cond) -> dict[str, Any]:
    main = c.mentions[0]
    codings = []
    if c.morph and c.morph[0].endswith("/3") and c.morph[0] in ctx.mappings.haematological:
        # a lymphoma, a leukaemia, a myeloma is coded by its final histology wherever it is (haematological.csv):
        # "lymphome" C85.9 refined to "B diffus à grandes cellules" is C83.3, a gastric one is not C16.9
        c.cim10 = ctx.mappings.haematological[c.morph[0]]
    if c.morph:
        _neoplasm_code(ctx, c)
    if c.cim10:
        codings.append(coding(F.CIM10, c.cim10[0], c.cim10[1]))
    if c.morph:
        codings.append(coding(F.ICDO3, *_edition(ctx, c.morph, c.mentions)))
    if c.snomed:
        codings.append(coding(F.SNOMED, c.snomed[0], c.snomed[1]))
    if not codings:
        ctx.unmapped.append(Unmapped("Condition", main.text, main.start, main.end, "no code in the tables"))
    res: dict[str, Any] = {
        "resourceType": "Condition",
        "id": ctx.id_for("Condition", f"{c.key}:{main.start}"),
        "extension": evidence(ctx, [m for m in c.mentions if m.kind != "topography"], None)
        + evidence(ctx, [m for m in c.mentions if m.kind == "topography"], "Condition.bodySite")
        + evidence(ctx, c.status_evidence, "Condition.clinicalStatus")
        + evidence(ctx, c.verification_evidence, "Condition.verificationStatus"),
        # refuted: the disease is not there, so it is not "active"; R5 makes clinicalStatus mandatory.
        "clinicalStatus": concept(
            c.clinical if c.verification != "refuted" else "inactive",
            coding(
                F.CONDITION_CLINICAL,
                c.clinical if c.verification != "refuted" else "inactive",
                (c.clinical if c.verification != "refuted" else "inactive").capitalize(),
            ),
        ),
        "verificationStatus": concept(
            c.verification, coding(F.CONDITION_VERIFICATION, c.verification, c.verification.capitalize())
        ),
        "category": [
            concept("Problem List Item", coding(F.CONDITION_CATEGORY, "problem-list-item", "Problem List Item"))
        ],
        "code": concept(c.text, *codings),
        "subject": ctx.patient_ref,
    }
    if c.site:
        res["bodySite"] = [
            concept(next(m.text for m in c.mentions if m.kind == "topography"), coding(F.ICDO3, c.site[0], c.site[1]))
        ]
    if c.onset is not None and c.verification != "refuted":  # an absent disease has no onset
        res["onsetDateTime"] = c.onset.iso()
        res["extension"].append(ctx.evidence(c.onset.start, c.onset.end, "Condition.onset"))
    if c.abatement is not None and c.verification != "refuted" and c.clinical in _ENDED:
        res["abatementDateTime"] = c.abatement.iso()
        res["extension"].append(ctx.evidence(c.abatement.start, c.abatement.end, "Condition.abatement"))
    c.resource = res
    return ctx.add(res)


def _family(ctx: BuildContext, m: Mention, rel: Mention | None, sites: list[Mention]) -> None:
    row = m.row
    codings = []
    text, cited = m.text, [m]
    if m.kind == "condition":
        codings.append(coding(F.CIM10, row.cim10, row.display))
    elif m.kind == "finding":
        codings.extend([coding(F.SNOMED, row.snomed, row.snomed_display)] if row.snomed else [])
    else:
        codings.append(coding(F.ICDO3, *_edition(ctx, (row.icdo3, row.display), [m])))
        for o in _same_span(ctx, m, "condition"):
            codings.insert(0, coding(F.CIM10, o.row.cim10, o.row.display))
        site_m = _site_after(ctx, m, sites)
        target = site_m.row.cim10_primary if site_m is not None and row.icdo3.endswith("/3") else None
        if site_m is not None and target and not any(c["system"] == F.CIM10 for c in codings):
            # "sa mère ... d'un cancer de l'ovaire": the relative's cancer is that organ's (C56.9), as for the patient
            codings.insert(0, coding(F.CIM10, target, _cim10_display(ctx, target)))
            text = ctx.text[m.start : site_m.end]
            # one span for the words, as a patient's tumour phrase is cited ("cancer de l'ovaire")
            cited = [Mention(m.kind, m.start, site_m.end, text, m.rows, m.rule, m.sentence)]
    relationship = (
        concept(rel.text, coding(F.V3_ROLECODE, rel.row.code, rel.row.display))
        if rel is not None
        else concept("membre de la famille", coding(F.V3_ROLECODE, "FAMMEMB", "family member"))
    )
    res = {
        "resourceType": "FamilyMemberHistory",
        "id": ctx.id_for("FamilyMemberHistory", f"{m.start}:{m.end}"),
        "extension": evidence(ctx, cited) + (evidence(ctx, [rel], "FamilyMemberHistory.relationship") if rel else []),
        "status": "completed",  # the report states the relative's disease; nothing is pending
        "patient": ctx.patient_ref,
        "relationship": relationship,
        "condition": [{"code": concept(text, *codings)}],
    }
    ctx.add(res)
