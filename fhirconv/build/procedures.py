"""Procedures from procedure mentions: SNOMED CT and/or CCAM, date or period, body site and side, reason, status
(not-done when negated), radiotherapy dose and fractions.

- Date: the mention's date (``dates.resolve_dates``); a period written right after it ("radiothérapie entre le
  07.11 et le 20.12.2005", "du 3 mars au 5 avril 2006") makes ``performedPeriod`` instead.
- Date of a not-done act: only a date of its own sentence (the occasion on which it was not done).
- Code: the row's; a bare act coordinated with a longer one reads the latter's complement when the table has that
  wording ("une aspiration et une biopsie de la moelle osseuse": aspiration de la moelle osseuse).
- Body site: the ICD-O-3 site named inside the mention or right after it ("biopsie du foie"), else the organ the row
  names (``site``: gastrectomie -> estomac); the side written
  after the procedure or its site ("annexectomie bilatérale", "mastectomie gauche") is the mCODE laterality
  qualifier of the body site (SNOMED CT Right / Left / Right and left, ``procedures.yaml``).
- Reason: a patient Condition whose mention follows a reason cue ("pour", "en raison de", "devant") in the
  procedure's sentence becomes ``reasonReference``.
- Radiotherapy: the total dose in Gy and the number of fractions of the clause go into the mCODE
  dose-delivered-to-volume extension (total dose in cGy, as mCODE requires; 30 Gy = 3000 cGy exactly) and the
  verbatim words into ``note``.
- Outcome: successful / unsuccessful / partially successful (FHIR procedure-outcome codes) when the sentence says
  so after the procedure ("n'a pas permis d'obtenir suffisamment de matériel", "non concluante").

A chemotherapy course is never a Procedure: drug administrations are MedicationStatements, one per drug, sharing a
regimen identifier (README, "Procedures and chemotherapy"), so a course is counted once.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

from .. import fhirspec as F
from ..document import Mention, PartialDate
from ..normalise import term_keys
from ..tables.prefilter import found_in_slice, windowed
from .common import BuildContext, ByStart, Unmapped, coding, concept, evidence, may_start, words_between

__all__ = ["build_procedures"]

# mCODE (STU3) extensions: the side of a body site, and the dose delivered by a radiotherapy course
LATERALITY = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier"
RADIOTHERAPY_DOSE = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-dose-delivered-to-volume"
_CLAUSE_END = re.compile(r"[.;:()\n]|,\s*(?:puis|et|avec|mais|qui|dont|ce|ont|a)\b")
_SIDE_GAP = re.compile(r"^[\s\w'’-]{0,40}$")  # side words follow the site closely, inside the same phrase
# a site right after the procedure, joined by a preposition at most: "biopsie du foie", "scanner thoracique"
_SITE_GAP = re.compile(r"^\s*(?:(?:du|de|des|d['’]|de\s+la|de\s+l['’]|au|aux|à\s+la|à\s+l['’])\s*)?$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_REASON_KINDS = {"condition", "morphology"}


def build_procedures(ctx: BuildContext, reasons: list[tuple[int, int, dict[str, Any]]]) -> None:
    """Procedures of the report's acts; ``reasons``: the Conditions' evidence spans by offset
    (``med_context.condition_spans``), which ``_reason`` bisects."""
    sites = ctx.sites
    reason_cues: dict[int, list[list[re.Match[str]]]] = {}  # sentence -> matches of each reason cue
    procedures = ByStart([m for m in ctx.mentions if m.kind == "procedure" and "alias_of" not in m.attrs])
    kept: list[Mention] = []
    kept_words: list[tuple[Any, frozenset[str]]] = []  # the row of each kept act and its word keys (``_not_an_act``)
    for m in procedures.mentions:
        why = _not_an_act(ctx, m, procedures, kept, kept_words)
        if why:
            ctx.dropped.append((m, why))
            continue
        kept.append(m)
        kept_words.append((m.row, _key_set(m.row.term)))
        row, shared = _shared_complement(ctx, m, procedures)
        codings = []
        if row.snomed:
            codings.append(coding(F.SNOMED, row.snomed, row.snomed_display))
        if row.ccam:
            codings.append(coding(F.CCAM, row.ccam, row.ccam_display))
        if not codings:
            ctx.unmapped.append(Unmapped("Procedure", m.text, m.start, m.end, "procedure row without code"))
        # a negation written after the act is its result ("les biopsies pleurales étaient négatives"): the act was
        # done; one before it ("pas de biopsie", "sans chirurgie") says it was not
        neg = m.qualifiers.get("negation")
        negated = (neg is not None and neg.start < m.start) or "exclusion" in m.qualifiers
        res: dict[str, Any] = {
            "resourceType": "Procedure",
            "id": ctx.id_for("Procedure", f"{m.start}:{m.end}"),
            "extension": evidence(ctx, [m, *m.attrs.get("aliases", [])]),
            "status": "not-done" if negated else "completed",
            "code": concept(m.text, *codings),
            "subject": ctx.patient_ref,
        }
        if shared is not None:
            res["extension"].append(ctx.evidence(shared[0], shared[1], "Procedure.code"))
        clause_end = _clause_end(ctx.text, m)
        _body_site(ctx, res, m, row, sites, clause_end)
        if not negated:
            _performed(ctx, res, m, clause_end)
            _reason(ctx, res, m, reasons, reason_cues)
            _outcome(ctx, res, m, procedures)
            if row.category == "radiotherapy":
                _radiotherapy(ctx, res, m, clause_end)
        elif m.date is not None and ctx.structure.sentence_at(m.date.start) == m.sentence:
            # "une péritonectomie sans chimiothérapie intrapéritonéale en janvier 2015": the occasion on which the
            # act was not done, written in its own sentence (a date borrowed from elsewhere is not given)
            _performed(ctx, res, m, clause_end)
        ctx.add(res)


def _shared_complement(ctx: BuildContext, m: Mention, procedures: ByStart) -> tuple[Any, tuple[int, int] | None]:
    """The row of ``m`` read with the complement of the act coordinated right after it, when ``m`` alone has no
    code and the table has that longer wording ("aspiration" + "de la moelle osseuse"); else ``m``'s own row."""
    if m.row.snomed or m.row.ccam:
        return m.row, None
    after = procedures.starting(m.end, len(ctx.text))
    nxt = after[0] if after else None
    # "une aspiration et une biopsie de la moelle osseuse" (procedures.yaml coordination)
    gap = next((g for p, _ in ctx.mappings.coordination_cues if (g := p.match(ctx.text, m.end))), None)
    if nxt is None or gap is None or gap.end() != nxt.start:
        return m.row, None
    head = _WORD.match(nxt.text)
    complement = nxt.text[head.end() :] if head else ""
    if not complement.strip():
        return m.row, None
    ref = ctx.mappings.procedure_by_term.get(term_keys(f"{m.text}{complement}")[0])
    row = ref.row if ref is not None else None
    if row is None or not (row.snomed or row.ccam):
        return m.row, None
    return row, (nxt.start + len(nxt.text) - len(complement), nxt.end)


@lru_cache(maxsize=4096)
def _key(term: str) -> tuple[str, ...]:
    """The folded word keys of a table term: a report asks them of the same few rows for each of its acts."""
    return term_keys(term)[0]


@lru_cache(maxsize=4096)
def _key_set(term: str) -> frozenset[str]:
    """``_key`` as a set, for the word comparisons of two acts: built once per term, not per pair of acts."""
    return frozenset(_key(term))


_CUE_WINDOW = 40  # characters before an act where a department, guidance or aftermath cue is read

_DEFINITE = re.compile(r"\b(?:l['’]|la|le|cette|cet|ce)\s*$", re.IGNORECASE)
_DEFINITE_LONGEST = 5  # characters of the longest determiner of _DEFINITE ("cette")


def _not_an_act(
    ctx: BuildContext,
    m: Mention,
    procedures: ByStart,
    kept: list[Mention],
    kept_words: list[tuple[Any, frozenset[str]]],
) -> str | None:
    """Why a procedure mention is not a Procedure of its own (a department, an umbrella word, a reference back).
    ``kept_words``: (row, word keys of its term) of each act of ``kept``, read once per act, not once per pair of
    acts (each act is compared with every act kept before it)."""
    if "family" in m.qualifiers:
        return "a relative's act, not the patient's (family qualifier)"
    row = m.row
    words = _key_set(row.term)
    lo = max(0, m.start - _CUE_WINDOW)
    # the cues of the act's 40 characters, tried only at the offsets where the report may hold one (``found_in_slice``:
    # re tried each cue the report holds at every offset of each act's window, ~15,000 instructions a window)
    if found_in_slice(ctx.mappings.department_cues, ctx.text, lo, m.start):
        return "department, not an act (procedures.yaml department)"
    if _guidance(ctx, m) and any(k.end <= m.start for k in kept):
        return "guidance of the procedure before it (procedures.yaml guidance)"
    # (the acts already kept, read before the words: the comparisons of a few acts cost less, and most acts have
    # none such)
    if any(k_row is row or words <= k_words for k_row, k_words in kept_words) and found_in_slice(
        ctx.mappings.aftermath_cues, ctx.text, lo, m.start
    ):
        return "aftermath of a procedure already named (procedures.yaml aftermath)"
    before = ctx.text[lo : m.start]
    generic = _key(row.term) in ctx.mappings.generic_surgery
    if generic:
        # "une intervention chirurgicale, avec une tumorectomie et ...": the act itself follows within the sentence
        sentence_end = ctx.structure.around(m.sentence, m.start, m.end)[1]
        if any(
            m.end <= o.start < sentence_end
            and o.row.category == "surgery"
            and words_between(ctx.text, m.end, o.start, 10) <= 10
            and _key(o.row.term) not in ctx.mappings.generic_surgery
            for o in procedures.starting(m.end, sentence_end)
        ):
            return "umbrella word of the surgical act that follows"
        if any(k_row.category == "surgery" and _same_time(ctx, k, m) for k, (k_row, _) in zip(kept, kept_words)) and (
            _definite(before)
        ):
            return "refers back to a surgery already named"
    elif any(
        (k_row is row or _synonym(ctx, k_row, k_words, row, words)) and _same_time(ctx, k, m)
        for k, (k_row, k_words) in zip(kept, kept_words)
    ) and _definite(before):
        return "refers back to a procedure already named"
    return None


def _definite(before: str) -> bool:
    """The words before an act end with a definite or demonstrative determiner ("la biopsie", "cette IRM")."""
    # a match is a determiner ending where the trailing blanks begin (\s is str.isspace): re searches from the last
    # few characters, not from each of the 40 (an alternation under IGNORECASE tried at every offset)
    return _DEFINITE.search(before, max(0, len(before.rstrip()) - _DEFINITE_LONGEST)) is not None


def _synonym(ctx: BuildContext, earlier: Any, before: frozenset[str], row: Any, words: frozenset[str]) -> bool:
    """Another wording (``row``, its word keys ``words``) of the act already named (``earlier``, ``before``: "un
    scanner" ... "la TDM"): the same code, not the generic one, and no word that the earlier wording lacks ("le
    doppler artériel" after "le doppler veineux" is another exam)."""
    if not row.snomed or earlier.snomed != row.snomed or row.snomed in ctx.mappings.generic_surgery_codes:
        return False
    return not words & before or words <= before


def _guidance(ctx: BuildContext, m: Mention) -> bool:
    return found_in_slice(ctx.mappings.guidance_cues, ctx.text, max(0, m.start - _CUE_WINDOW), m.start)


def _same_time(ctx: BuildContext, earlier: Mention, m: Mention) -> bool:
    """A reference back has no date of its own sentence ("l'IRM de contrôle de mai 2015" is another exam)."""
    if m.date is None or ctx.structure.sentence_at(m.date.start) != m.sentence:
        return True
    return earlier.date is not None and earlier.date.iso() == m.date.iso()


def _clause_end(text: str, m: Mention) -> int:
    found = _CLAUSE_END.search(text, m.end, min(len(text), m.end + 200))
    return found.start() if found else min(len(text), m.end + 200)


def _body_site(ctx: BuildContext, res: dict[str, Any], m: Mention, row: Any, sites: ByStart, clause_end: int) -> None:
    inside = [s for s in sites.starting(m.start, m.end) if s.end <= m.end]
    # "biopsie du foie", "scanner thoraco-abdominal": a site within three words after the procedure (the first one:
    # the gaps to the later sites of the clause are not read)
    site = (
        inside[-1]
        if inside
        else next((s for s in sites.starting(m.end, clause_end) if _SITE_GAP.match(ctx.text[m.end : s.start])), None)
    )
    side = _side(ctx, m.start, max(m.end, site.end if site is not None else m.end), clause_end)
    # the organ the wording itself names ("gastrectomie": the stomach), when no site is written
    organ = ctx.mappings.topography_by_term.get(_key(row.site)) if site is None and row.site else None
    if site is None and side is None and organ is None:
        return
    body: dict[str, Any] = {}
    cited = []
    if site is not None:
        body = concept(site.text, coding(F.ICDO3, site.row.icdo3, site.row.display))
        if site.end > m.end:
            cited.append((site.start, site.end))
    elif organ is not None:
        body = concept(m.text, coding(F.ICDO3, organ.row.icdo3, organ.row.display))
    else:
        body = {"text": ctx.text[m.start : side[1]] if side else m.text}
    if side is not None:
        start, end, row = side
        if start >= m.end:
            cited.append((start, end))
        body["extension"] = [
            {
                "url": LATERALITY,
                "valueCodeableConcept": concept(ctx.text[start:end], coding(F.SNOMED, row.snomed, row.display)),
            }
        ]
    res["bodySite"] = [body]
    for start, end in cited:
        res["extension"].append(ctx.evidence(start, end, "Procedure.bodySite"))


def _side(ctx: BuildContext, start: int, phrase_end: int, clause_end: int) -> tuple[int, int, Any] | None:
    """A side word inside the procedure phrase (mention and its site), or at most three words after it."""
    past = 0  # words read after the phrase: past three, a side word further on is too far (the clause is not read)
    for word in _WORD.finditer(ctx.text, start, clause_end):
        ref = ctx.mappings.laterality.get(word.group().lower())
        if ref is None:
            if word.start() >= phrase_end:
                past += 1
                if past > 3:
                    return None
            continue
        gap = ctx.text[phrase_end : word.start()]
        if word.start() >= phrase_end and (not _SIDE_GAP.match(gap) or len(_WORD.findall(gap)) > 3):
            return None
        return word.start(), word.end(), ref.row
    return None


def _performed(ctx: BuildContext, res: dict[str, Any], m: Mention, clause_end: int) -> None:
    timeline = ctx.timeline
    period = timeline.period_after(m.end, clause_end) if timeline is not None else None
    if period is not None and words_between(ctx.text, m.end, period[0].start, 8) <= 8:
        first, last = period
        res["performedPeriod"] = {"start": first.iso(), "end": last.iso()}
        for end_point in (first, last):
            res["extension"].append(ctx.evidence(end_point.start, end_point.end, "Procedure.performed"))
    elif m.date is not None:
        date: PartialDate = m.date
        res["performedDateTime"] = date.iso()
        res["extension"].append(ctx.evidence(date.start, date.end, "Procedure.performed"))


def _reason(
    ctx: BuildContext,
    res: dict[str, Any],
    m: Mention,
    conditions: list[tuple[int, int, dict[str, Any]]],
    cues: dict[int, list[list[re.Match[str]]]],
) -> None:
    sent = ctx.structure.sentences[m.sentence]
    found = cues.get(m.sentence)
    if found is None:  # once per sentence, not per procedure (a report written as one sentence made it quadratic)
        found = cues[m.sentence] = [
            list(pattern.finditer(ctx.text, sent.start, sent.end)) for pattern, _ in ctx.mappings.reason_cues
        ]
    for matches in found:
        for cue in matches:
            # "colectomie pour un adénocarcinome": the cue follows the procedure closely, the disease the cue;
            # "Devant une perforation, une laparotomie ...": the cue and its disease come before the procedure
            if m.end <= cue.start():
                if words_between(ctx.text, m.end, cue.start(), 6) > 6:
                    continue
                limit = sent.end
            elif cue.end() <= m.start:
                limit = m.start
            else:
                continue
            # the first condition after the cue: a later one is further from it still
            i = bisect.bisect_left(conditions, cue.end(), key=lambda c: c[0])
            if i < len(conditions):
                start, end, cond = conditions[i]
                if start < limit and words_between(ctx.text, cue.end(), start, 4) <= 4:
                    res["reasonReference"] = [ctx.ref(cond)]
                    res["extension"].append(ctx.evidence(start, end, "Procedure.reasonReference"))
                    return


def _outcome(ctx: BuildContext, res: dict[str, Any], m: Mention, procedures: ByStart) -> None:
    """ "Une biopsie ... a été réalisée, mais n'a pas permis d'obtenir ...": the first outcome cue after the
    procedure in its sentence, within 15 words and before any other procedure."""
    end = ctx.structure.sentences[m.sentence].end
    # the cues the report may hold, found once per report: each act searched every cue's prefilter again; a cue
    # with no possible start between the act and ``nxt`` is not searched, nor ``nxt`` found when none may start
    # before the sentence ends (most acts: the acts after it are not read for a guidance cue)
    cues = [row for row in windowed(ctx.mappings.outcome_cues, ctx.text) if may_start(row[2], m.end, end)]
    if not cues:
        return
    nxt = next((o.start for o in procedures.starting(m.end, end) if not _guidance(ctx, o)), end)
    best = None
    for pattern, ref, starts in cues:
        if not may_start(starts, m.end, nxt):
            continue
        found = pattern.search(ctx.text, m.end, nxt)
        if (
            found
            and words_between(ctx.text, m.end, found.start(), 15) <= 15
            and (best is None or found.start() < best[0].start())
        ):
            best = (found, ref.row)
    if best is not None:
        found, row = best
        res["outcome"] = concept(found.group(), coding(F.SNOMED, row.snomed, row.display))
        res["extension"].append(ctx.evidence(found.start(), found.end(), "Procedure.outcome"))


def _radiotherapy(ctx: BuildContext, res: dict[str, Any], m: Mention, clause_end: int) -> None:
    # the dose often sits in brackets right after the mention: "radiothérapie holocrânienne (30 Gy)"
    end = min(len(ctx.text), max(clause_end, ctx.text.find(")", m.end, m.end + 80) + 1))
    sent_end = ctx.structure.sentences[m.sentence].end
    end = min(max(end, m.end), sent_end)
    parts: dict[str, tuple[int, int, str]] = {}
    for pattern, ref in ctx.mappings.radiotherapy:
        found = pattern.search(ctx.text, m.end, end)
        if found and ref.row.kind not in parts:
            parts[ref.row.kind] = (found.start(), found.end(), found.group("value"))
    if not parts:
        return
    sub: list[dict[str, Any]] = []
    if "dose" in parts:
        gy = float(parts["dose"][2].replace(",", "."))
        sub.append(
            {
                "url": "totalDoseDelivered",
                "valueQuantity": {"value": round(gy * 100, 3), "unit": "cGy", "system": F.UCUM, "code": "cGy"},
            }
        )
    if "fractions" in parts:
        sub.append({"url": "fractionsDelivered", "valueUnsignedInt": int(parts["fractions"][2])})
    res["extension"].append({"url": RADIOTHERAPY_DOSE, "extension": sub})
    lo, hi = min(p[0] for p in parts.values()), max(p[1] for p in parts.values())
    res["note"] = [{"text": ctx.text[lo:hi]}]
    for start, stop, _ in parts.values():
        res["extension"].append(ctx.evidence(start, stop, "Procedure.extension"))
