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
from ..normalise import term_keys
from .common import BuildContext, coding, concept, evidence

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


def build_medications(ctx: BuildContext, conditions: list[dict[str, Any]]) -> None:
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
        bracket = _BRACKET_OPEN.match(text[r.end : r.end + 40])
        inside: list[Mention] = []
        if bracket:
            open_at = r.end + bracket.end() - 1
            close_at = _closing(text, open_at)
            # mentions are in text order: a bisection to the bracket, not a scan of the whole report per regimen
            for k in range(bisect.bisect_right(mentions, open_at, key=lambda x: x.start), len(mentions)):
                if mentions[k].start >= close_at:
                    break
                if mentions[k].kind == "medication":
                    inside.append(mentions[k])
        if inside:
            for m in inside:
                regimen_of[m.start] = r
            _share_bracket_timing(inside)
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
        if "negation" in m.qualifiers or "exclusion" in m.qualifiers:
            ctx.dropped.append((m, "negated"))
            continue
        row = m.row
        r = regimen_of.get(m.start)
        s = _Stmt((row.atc, row.display), m.text, [m], r.row.name if r else None, r)
        s.dose = m.attrs.get("dose")
        s.statuses = _statuses(m)
        s.start = m.date or (r.date if r else None)
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
            target.start = target.start or s.start
    for s in merged:
        _resource(ctx, s, conditions)


def _share_bracket_timing(inside: list[Mention]) -> None:
    """"(épirubicine 50 mg/m2 jour 1, ..., capécitabine 1 250 mg/m2 jours 1 à 21, tous les 21 jours)": a period
    written once after the last component applies to the components that state none."""
    last = inside[-1].attrs.get("timing", {})
    if "period" not in last:
        return
    for m in inside[:-1]:
        timing = m.attrs.setdefault("timing", {})
        timing.setdefault("period", last["period"])


def _sent(ctx: BuildContext, m: Mention) -> tuple[int, int]:
    # the structure is not in the context; the sentence is found from the mention's sentence index
    sent = ctx.structure.sentences[m.sentence]  # type: ignore[attr-defined]
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


def _resource(ctx: BuildContext, s: _Stmt, conditions: list[dict[str, Any]]) -> None:
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
    reason = _stop_reason(ctx, s, conditions) if status == "stopped" else None
    res: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": ctx.id_for("MedicationStatement", f"{main.start}:{s.atc[0] if s.atc else s.text}:{s.dose.value if s.dose else ''}"),
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
        res["identifier"] = [{"system": F.REGIMEN_IDENTIFIER_SYSTEM,
                              "value": f"{written}@{s.regimen_mention.start if s.regimen_mention else main.start}"}]
    if s.start is not None:
        res["effectivePeriod"] = {"start": s.start.iso()}
        res["extension"].append(ctx.evidence(s.start.start, s.start.end, "MedicationStatement.effective"))
    dosage = _dosage(ctx, s, res)
    if dosage:
        res["dosage"] = [dosage]
    ctx.add(res)


def _stop_reason(ctx: BuildContext, s: _Stmt, conditions: list[dict[str, Any]]) -> tuple[dict[str, Any], int, int] | None:
    """The disease named in the sentence that stops the drug ("Compte tenu de la CIVD ..., suspendre ...")."""
    cue_sentences = {m.sentence for m in s.mentions if "med_stopped" in m.qualifiers}
    for cond in conditions:
        for ext in cond.get("extension", []):
            sub = {e["url"]: e for e in ext.get("extension", [])}
            if "offset" not in sub or "path" in sub:
                continue
            start = sub["offset"]["valueInteger"]
            end = start + sub["length"]["valueInteger"]
            if ctx.structure.sentence_at(start) in cue_sentences:
                return dict(cond["code"], text=ctx.text[start:end]), start, end
    return None


def _dosage(ctx: BuildContext, s: _Stmt, res: dict[str, Any]) -> dict[str, Any] | None:
    m = next((x for x in s.mentions if x.kind == "medication" and x.attrs.get("dosage_span")), None)
    if m is None:
        return None
    lo, hi = m.attrs["dosage_span"]
    d: dict[str, Any] = {"text": ctx.text[lo:hi]}
    res["extension"].append(ctx.evidence(lo, hi, "MedicationStatement.dosage"))
    timing = m.attrs.get("timing") or {}
    if timing.get("asNeeded"):
        d["asNeededBoolean"] = True
    repeat: dict[str, Any] = {}
    if "period" in timing:
        freq, period, unit = timing["period"]
        repeat.update(frequency=freq, period=period, periodUnit=unit)
    if "duration" in timing:
        value, unit = timing["duration"]
        repeat.update(duration=value, durationUnit=unit)
    if repeat:
        d["timing"] = {"repeat": repeat}
    route = m.attrs.get("route")
    if route is not None:
        d["route"] = concept(route.text, coding(F.EDQM, route.row.edqm, route.row.display))
    dose = m.attrs.get("dose")
    if dose is not None:
        d["doseAndRate"] = [{"doseQuantity": dose.fhir()}]
    return d
