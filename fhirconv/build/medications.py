"""MedicationStatements from drug and regimen mentions.

- A regimen name followed by a bracket lists its components with their doses: the drugs inside the bracket carry
  the regimen. A regimen named without a bracket expands into its components from ``regimens.yaml`` (no dose), each
  citing the regimen name as evidence. Components of one regimen share an identifier naming the regimen.
- Mentions of the same drug merge into one statement unless they state another dose (a new dose is a new
  statement); a later mention of a regimen merges into the earlier course of the same regimen.
- Status: a stop cue -> stopped; an intention -> intended; an ongoing cue -> active; else completed (case reports
  narrate past treatment). A negated drug is not asserted.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from .. import fhirspec as F
from ..document import Mention, PartialDate, Quantity
from ..dosage import _CYCLES_WINDOW, cycles_before, read_timing
from ..normalise import term_keys
from ..tables.prefilter import first_match, windowed
from .common import BuildContext, coding, concept, evidence
from .med_context import form_code, indication_of, period_of

__all__ = ["build_medications"]

_BRACKET_OPEN = re.compile(r"^[^().;]{0,25}\(")
_WORDS = re.compile(r"[^\W_]+")
_CONTEXT_CHARS = 1000  # reach of require_context / exclude_context words (a long sentence; not a giant one)


@dataclass
class _Stmt:
    atc: tuple[str, str] | None
    text: str
    mentions: list[Mention]
    regimen: str | None = None
    regimen_mention: Mention | None = None
    dose: Quantity | None = None
    dose_mention: Mention | None = None
    statuses: set[str] = field(default_factory=set)
    start: PartialDate | None = None


def build_medications(
    ctx: BuildContext, conditions: list[dict[str, Any]], spans: list[tuple[int, int, dict[str, Any]]]
) -> None:
    """MedicationStatements of the report's drugs and regimens; ``conditions`` the patient's Condition resources,
    ``spans`` their evidence spans (``med_context.condition_spans``), for the diseases the drugs are for."""
    text = ctx.text
    mentions = ctx.mentions
    regimen_of: dict[int, Mention] = {}  # drug mention start -> regimen mention
    stmts: list[_Stmt] = []
    for r in [m for m in mentions if m.kind == "regimen"]:
        row = r.row
        # the regimen's sentence, at most _CONTEXT_CHARS each side: in a text without sentence ends, lowering the
        # whole "sentence" once per regimen was quadratic
        lo, hi = _sent(ctx, r)
        sentence = ctx.text[max(lo, r.start - _CONTEXT_CHARS) : min(hi, r.end + _CONTEXT_CHARS)].lower()
        if row.exclude_context and any(w.lower() in sentence for w in row.exclude_context):
            ctx.dropped.append((r, "regimen homonym (exclude_context)"))
            continue
        if row.require_context and not any(w.lower() in sentence for w in row.require_context):
            ctx.dropped.append((r, "regimen without context (require_context)"))
            continue
        if "negation" in r.qualifiers:
            ctx.dropped.append((r, "negated"))
            continue
        listed = _components_listed_before(ctx, r)
        if listed:
            for m in listed:
                regimen_of[m.start] = r
            continue
        bracket = _BRACKET_OPEN.match(text[r.end : r.end + 40])
        inside: list[Mention] = []
        if bracket:
            open_at = r.end + bracket.end() - 1
            close_at = _closing(text, open_at)
            # mentions are in text order: a bisection to the bracket, not a scan of the whole report per regimen
            for k in range(bisect.bisect_right(ctx.mention_starts, open_at), len(mentions)):
                if mentions[k].start >= close_at:
                    break
                if mentions[k].kind == "medication":
                    inside.append(mentions[k])
        if inside:
            for m in inside:
                regimen_of[m.start] = r
            _share_bracket_timing(inside)
            _timing_after_bracket(ctx, close_at, inside)
        else:
            for comp in row.components:
                ref = ctx.mappings.medication_by_term[term_keys(comp)[0]]
                s = _Stmt((ref.row.atc, ref.row.display), f"{r.text} ({comp})", [r], row.name, r)
                s.statuses = _statuses(r)
                s.start = r.date
                stmts.append(s)
    lab_results = {o.start for o in mentions if o.kind == "observation" and o.attrs.get("quantity")}
    for m in mentions:
        if m.kind != "medication" or "alias_of" in m.attrs:
            continue
        if m.start in lab_results:
            continue  # "vitamine B12 350 pg/ml" is a lab result, not a drug
        if _restated_class(ctx, m):
            ctx.dropped.append((m, "drug class restated by the substance named in the same sentence"))
            continue
        if "lab_value" in m.attrs or _measured(ctx, m):
            ctx.dropped.append((m, "a lab result (concentration after the name), not a drug"))
            continue
        if "negation" in m.qualifiers or "exclusion" in m.qualifiers:
            ctx.dropped.append((m, "negated"))
            continue
        if "family" in m.qualifiers:
            ctx.dropped.append((m, "a relative's drug, not the patient's (family qualifier)"))
            continue
        reg = regimen_of.get(m.start)
        s = _Stmt(_code(ctx, m), m.text, [m], reg.row.name if reg else None, reg)
        s.dose = m.attrs.get("dose")
        s.statuses = _statuses(m)
        s.start = m.date or (reg.date if reg else None)
        stmts.append(s)
    stmts.sort(key=lambda s: s.mentions[0].start)
    merged: list[_Stmt] = []
    for s in stmts:
        target = _merge_target(merged, s)
        if target is None:
            merged.append(s)
        else:
            target.mentions.extend(s.mentions)
            target.statuses |= s.statuses
            target.start = target.start or _later_start(ctx, s)
    dates = sorted(ctx.dates, key=lambda d: d.start)  # med_context looks dates up by binary search
    # the count wordings the report may hold, picked once with where each may start (the drugs' dosages have asked
    # the same already): _cycles looks for them before each course
    rows = windowed(ctx.mappings.frequencies, text) if merged else []
    counts = [(p, starts) for p, ref, starts in rows if ref.row.n_fills == "count" or ref.row.count]
    # the diseases of each sentence, read once, when a drug is stopped (its reason is looked for in the sentence)
    stops = _disease_sentences(ctx, conditions) if any("med_stopped" in s.statuses for s in merged) else {}
    for s in merged:
        _resource(ctx, s, stops, dates, spans, counts)


def _later_start(ctx: BuildContext, s: _Stmt) -> PartialDate | None:
    """The start a later mention gives a drug first named undated: only a date its own sentence writes, of a
    mention that does not say the drug went on or stopped ("a poursuivi le traitement par sorafénib" in January
    2015, "après avoir retiré le T-DM1" in March 2019: the drug had started before)."""
    d = s.start
    if d is None or s.statuses & {"med_active", "med_stopped"} or ctx.structure is None or d.start < 0:
        return None
    return d if ctx.structure.sentence_at(d.start) == s.mentions[0].sentence else None


_LISTED_WINDOW = 150  # characters before "(AC)" searched for the components it abbreviates


def _components_listed_before(ctx: BuildContext, r: Mention) -> list[Mention]:
    """ "doxorubicine et cyclophosphamide (AC)": a bracketed regimen name right after its components restates them;
    the drug mentions are the course (tagged with the regimen), the name adds no second statement."""
    if not ctx.text[max(0, r.start - 2) : r.start].strip().endswith("("):
        return []
    wanted = {ctx.mappings.medication_by_term[term_keys(c)[0]].row.atc for c in r.row.components}
    before = [
        m
        for m in ctx.mentions
        if m.kind == "medication" and m.sentence == r.sentence and r.start - _LISTED_WINDOW <= m.start < r.start
    ]
    return before if wanted <= {m.row.atc for m in before} else []


def _code(ctx: BuildContext, m: Mention) -> tuple[str, str]:
    """The drug's ATC code and display: its substance's code in the form written with it ("collyre de
    dexaméthasone" S01BA01), or a second code by use when its sentence says so (methotrexate in a rheumatoid
    arthritis is L04AX03, not the antineoplastic L01BA01)."""
    form = form_code(ctx, m)
    if form is not None:
        return form
    sent = ctx.structure.sentences[m.sentence]
    for pattern, ref in ctx.mappings.med_context.get("recode", []):
        if ref.row.atc == m.row.atc and pattern.search(ctx.text, sent.start, sent.end):
            return ref.row.to, ref.row.display
    return m.row.atc, m.row.display


_LAB_WINDOW = 40  # characters before a drug searched for "taux de", "sérologies de"


def _measured(ctx: BuildContext, m: Mention) -> bool:
    """ "les sérologies de l'acide folique", "taux de vancomycine": the drug named as a measured substance."""
    before = ctx.text[max(0, m.start - _LAB_WINDOW) : m.start]
    return any(p.search(before) for p, _ in ctx.mappings.med_context.get("lab", []))


def _restated_class(ctx: BuildContext, m: Mention) -> bool:
    """ "une antibiothérapie ... à base de ceftriaxone et de ciprofloxacine": a class (an ATC group code) whose
    substance the same sentence names is the same treatment, stated once by the substance."""
    group = m.row.atc
    if len(group) >= 7:
        return False
    start, end = ctx.structure.around(m.sentence, m.start, m.end)
    lo = bisect.bisect_left(ctx.mention_starts, start)
    hi = bisect.bisect_right(ctx.mention_starts, end)
    return any(
        o is not m
        and o.kind == "medication"
        and o.sentence == m.sentence
        and len(o.row.atc) == 7
        and o.row.atc.startswith(group)
        for o in ctx.mentions[lo:hi]
    )


def _share_bracket_timing(inside: list[Mention]) -> None:
    """ "(épirubicine 50 mg/m2 jour 1, ..., capécitabine 1 250 mg/m2 jours 1 à 21, tous les 21 jours)": a period
    written once after the last component applies to the components that state none."""
    last = inside[-1].attrs.get("timing", {})
    if "period" not in last:
        return
    for m in inside[:-1]:
        timing = m.attrs.setdefault("timing", {})
        timing.setdefault("period", last["period"])


def _timing_after_bracket(ctx: BuildContext, close_at: int, inside: list[Mention]) -> None:
    """ "FOLFIRINOX (oxaliplatine 85 mg/m², ..., 5-FU 2400 mg/m² en 46 heures) tous les 14 jours": a period written
    right after the bracket, in the same sentence, is the cycle of every component that states none."""
    sent = ctx.structure.sentences[ctx.structure.sentence_at(close_at)]
    # mentions are in text order: from the first one after the bracket (a scan from the start was quadratic)
    first = bisect.bisect_right(ctx.mention_starts, close_at)
    mentions = ctx.mentions
    nxt = next(
        (mentions[k].start for k in range(first, len(mentions)) if mentions[k].kind in ("medication", "regimen")),
        sent.end,
    )
    timing, _ = read_timing(ctx.text, close_at + 1, min(sent.end, nxt), ctx.mappings)
    if "period" not in timing:
        return
    for m in inside:
        m.attrs.setdefault("timing", {}).setdefault("period", timing["period"])
        m.attrs["timing"].setdefault("evidence", []).extend(timing["evidence"])


def _sent(ctx: BuildContext, m: Mention) -> tuple[int, int]:
    # the structure is not in the context; the sentence is found from the mention's sentence index
    sent = ctx.structure.sentences[m.sentence]
    return sent.start, sent.end


def _closing(text: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, min(len(text), open_at + 1500)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return min(len(text), open_at + 1500)


def _statuses(m: Mention) -> set[str]:
    return {k for k in ("med_stopped", "med_intended", "med_active") if k in m.qualifiers}


def _merge_target(merged: list[_Stmt], s: _Stmt) -> _Stmt | None:
    for t in reversed(merged):
        if t.atc != s.atc:
            continue
        if s.regimen and t.regimen and s.regimen != t.regimen:
            continue
        if s.dose is None or t.dose is None:
            if s.regimen == t.regimen or not s.regimen:
                return t
            continue
        if (s.dose.value, s.dose.ucum) == (t.dose.value, t.dose.ucum) and s.regimen == t.regimen:
            return t
    return None


def _resource(
    ctx: BuildContext,
    s: _Stmt,
    stops: dict[int, tuple[int, dict[str, Any], int, int]],
    dates: list[PartialDate],
    spans: list[tuple[int, int, dict[str, Any]]],
    counts: list[tuple[re.Pattern[str], list[int] | None]],
) -> None:
    main = s.mentions[0]
    if "med_stopped" in s.statuses:
        status = "stopped"
    elif "med_active" in s.statuses:
        status = "active"
    elif "med_intended" in s.statuses and s.start is None:
        status = "intended"
    else:
        status = "completed"
    codings = [coding(F.ATC, s.atc[0], s.atc[1])] if s.atc else []
    reason = _stop_reason(ctx, s, stops) if status == "stopped" else None
    res: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": ctx.id_for(
            "MedicationStatement", f"{main.start}:{s.atc[0] if s.atc else s.text}:{s.dose.value if s.dose else ''}"
        ),
        "extension": evidence(ctx, s.mentions),
        "status": status,
        "medicationCodeableConcept": concept(s.text, *codings),
        "subject": ctx.patient_ref,
    }
    if reason is not None:
        res["statusReason"] = [reason[0]]
        res["extension"].append(ctx.evidence(reason[1], reason[2], "MedicationStatement.statusReason"))
    if s.regimen:
        # the regimen as written ("FOLFOX-6"), and where its course starts: components of one course share it
        written = s.regimen_mention.text if s.regimen_mention else s.regimen
        res["identifier"] = [
            {
                "system": F.REGIMEN_IDENTIFIER_SYSTEM,
                "value": f"{written}@{s.regimen_mention.start if s.regimen_mention else main.start}",
            }
        ]
    start, end = period_of(ctx, s.mentions, dates)
    if start is None and s.start is not None and (end is None or s.start.start != end.start):
        start = s.start  # the date of the regimen's mention, unless it is the date the drug ended
    if end is not None and start is not None and end.iso()[: len(start.iso())] < start.iso()[: len(end.iso())]:
        end = None  # an end before the start is a misreading of the timeline: keep the start only
    period = {k: d.iso() for k, d in (("start", start), ("end", end)) if d is not None}
    if period:
        res["effectivePeriod"] = period
        for d in (start, end):
            if d is not None:
                res["extension"].append(ctx.evidence(d.start, d.end, "MedicationStatement.effective"))
    indication = indication_of(ctx, s.mentions, spans)
    if indication is not None:
        cond, cs, ce = indication
        res["reasonReference"] = [ctx.ref(cond)]
        res["extension"].append(ctx.evidence(cs, ce, "MedicationStatement.reasonReference"))
    dosage = _dosage(ctx, s, res)
    dosage = _cycles(ctx, s, res, dosage, counts)
    if dosage:
        res["dosage"] = [dosage]
    ctx.add(res)


def _cycles(
    ctx: BuildContext,
    s: _Stmt,
    res: dict[str, Any],
    dosage: dict[str, Any] | None,
    counts: list[tuple[re.Pattern[str], list[int] | None]],
) -> dict[str, Any] | None:
    """ "six cures de R-CHOP", "trois cycles d'EOX (...)": the number of cycles before the course's first mention is
    Timing.repeat.count of each of its drugs."""
    first = s.regimen_mention or s.mentions[0]
    sent = ctx.structure.sentences[first.sentence]
    # without a count wording in the window cycles_before reads, there is no count to find; reading every frequency
    # row in that window for each course was most of the cost of its statement
    lo = max(sent.start, first.start - _CYCLES_WINDOW)
    # (each row tried at its candidate starts in the window only, ``first_match``: re's search tried every offset)
    if not any(
        (p.search(ctx.text, lo, first.start) if starts is None else first_match(p, ctx.text, starts, lo, first.start))
        for p, starts in counts
    ):
        return dosage
    found = cycles_before(ctx.text, first.start, sent.start, ctx.mappings)
    if found is None:
        return dosage
    count, start, end = found
    d = dosage or {"text": ctx.text[start:end]}
    repeat = d.setdefault("timing", {}).setdefault("repeat", {})
    if "count" not in repeat:
        repeat["count"] = count
        res["extension"].append(ctx.evidence(start, end, "MedicationStatement.dosage.timing"))
    return d


def _disease_sentences(
    ctx: BuildContext, conditions: list[dict[str, Any]]
) -> dict[int, tuple[int, dict[str, Any], int, int]]:
    """Sentence -> the first disease words cited in it, in the order of the Conditions and their evidence: (that
    rank, the Condition, start, end). Read once per report: reading every Condition's evidence for each stopped drug
    made a long report quadratic."""
    out: dict[int, tuple[int, dict[str, Any], int, int]] = {}
    rank = 0
    for cond in conditions:
        for ext in cond.get("extension", []):
            sub = {e["url"]: e for e in ext.get("extension", [])}
            if "offset" not in sub or "path" in sub:
                continue
            start = sub["offset"]["valueInteger"]
            end = start + sub["length"]["valueInteger"]
            sentence = ctx.structure.sentence_at(start)
            if sentence not in out:
                out[sentence] = (rank, cond, start, end)
            rank += 1
    return out


def _stop_reason(
    ctx: BuildContext, s: _Stmt, stops: dict[int, tuple[int, dict[str, Any], int, int]]
) -> tuple[dict[str, Any], int, int] | None:
    """The disease named in the sentence that stops the drug ("Compte tenu de la CIVD ..., suspendre ..."): the first
    one of ``stops`` (``_disease_sentences``) in a sentence of a stop cue."""
    found = [stops[m.sentence] for m in s.mentions if "med_stopped" in m.qualifiers and m.sentence in stops]
    if not found:
        return None
    _, cond, start, end = min(found, key=lambda x: x[0])
    return dict(cond["code"], text=ctx.text[start:end]), start, end


def _dosage(ctx: BuildContext, s: _Stmt, res: dict[str, Any]) -> dict[str, Any] | None:
    m = next((x for x in s.mentions if x.kind == "medication" and x.attrs.get("dosage_span")), None)
    if m is None:
        return None
    lo, hi = m.attrs["dosage_span"]
    d: dict[str, Any] = {"text": ctx.text[lo:hi]}
    res["extension"].append(ctx.evidence(lo, hi, "MedicationStatement.dosage"))
    timing = m.attrs.get("timing") or {}
    for start, end, _ in timing.get("evidence", []):
        if not lo <= start < hi:  # a cycle period written after the regimen's bracket
            res["extension"].append(ctx.evidence(start, end, "MedicationStatement.dosage.timing"))
    if timing.get("asNeeded"):
        d["asNeededBoolean"] = True
    repeat: dict[str, Any] = {}
    if "period" in timing:
        freq, period, unit = timing["period"]
        repeat.update(frequency=freq, period=period, periodUnit=unit)
    if "duration" in timing:
        value, unit = timing["duration"]
        repeat.update(duration=value, durationUnit=unit)
    if "count" in timing:
        repeat["count"] = timing["count"]
    if "bounds" in timing:
        value, unit = timing["bounds"]
        repeat["boundsDuration"] = {"value": value, "unit": unit, "system": F.UCUM, "code": unit}
    if repeat:
        d["timing"] = {"repeat": repeat}
    route = m.attrs.get("route")
    if route is not None:
        d["route"] = concept(route.text, coding(F.EDQM, route.row.edqm, route.row.display))
    dose = m.attrs.get("dose")
    if dose is not None:
        d["doseAndRate"] = [{"doseQuantity": dose.fhir()}]
    elif "dose_range" in m.attrs:
        low, high = m.attrs["dose_range"]
        d["doseAndRate"] = [{"doseRange": {"low": low.fhir(), "high": high.fhir()}}]
    return d
