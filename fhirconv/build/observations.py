"""Observations: lab results, vital signs, scores, tumour markers and IHC; the patient's age; stage and TNM.

A test mention becomes an Observation only when the text gives its result (a number, a sign such as
"HER2-(0)", or a qualitative word such as "normaux"); a test named without a result is not an observation.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from .. import fhirspec as F
from ..document import Mention, Quantity
from .common import BuildContext, Unmapped, coding, concept, evidence

__all__ = ["build_age", "build_observations", "build_staging"]

_STAGE_GAP = re.compile(r"[\s,;:()\[\]–-]{0,6}")  # only punctuation between a TNM and its stage group
_SIGN_VALUE = {"+": ("10828004", "Positive"), "-": ("260385009", "Negative")}
# FHIR R4 vital signs profile (observation-bp): the blood pressure panel carries systolic and diastolic values as
# components with these LOINC codes, and no value of its own.
BP_PANEL = "85354-9"
BP_COMPONENTS = (("8480-6", "Systolic blood pressure"), ("8462-4", "Diastolic blood pressure"))
# the UCUM unit of a day's output (units.csv "mmol/24h", "g/j"): a 24-hour urine collection, its own LOINC code
_PER_DAY = "/(24.h)"
# v3 ObservationInterpretation: qualitative words that judge a value
_CATEGORY_DISPLAY = {
    "laboratory": "Laboratory",
    "vital-signs": "Vital Signs",
    "exam": "Exam",
    "survey": "Survey",
    "imaging": "Imaging",
    "procedure": "Procedure",
    "social-history": "Social History",
}


def _category(cat: str) -> list[dict[str, Any]]:
    return [concept(_CATEGORY_DISPLAY[cat], coding(F.OBSERVATION_CATEGORY, cat, _CATEGORY_DISPLAY[cat]))]


def _base(ctx: BuildContext, m: Mention, code: dict[str, Any], cat: str, key: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": ctx.id_for("Observation", key),
        "extension": evidence(ctx, [m]),
        "status": "final",  # a result reported in a narrative is a final result
        "category": _category(cat),
        "code": code,
        "subject": ctx.patient_ref,
    }


def _dated(ctx: BuildContext, res: dict[str, Any], m: Mention) -> None:
    if m.date is not None:
        res["effectiveDateTime"] = m.date.iso()
        res["extension"].append(ctx.evidence(m.date.start, m.date.end, "Observation.effective"))


def _code_for(m: Mention, q: Quantity | None) -> tuple[str | None, str | None]:
    """The row's LOINC, its 24-hour twin when the unit written is per day, its molar twin when the unit written is a
    substance concentration, or its stain code when the result is an IHC sign or score."""
    row = m.row
    if q is not None and q.ucum and row.time_loinc and q.ucum.endswith(_PER_DAY):
        return row.time_loinc, row.time_display
    if q is not None and q.ucum and row.molar_loinc and ("mol" in q.ucum or "eq" in q.ucum):
        return row.molar_loinc, row.molar_display
    if m.attrs.get("sign") is not None and row.sign_loinc:
        return row.sign_loinc, row.sign_display
    return row.loinc, row.display


def _daily(q: Quantity, row: Any) -> Quantity:
    """A day's output written without its time ("natriurèse des 24 heures à 120 mmol"): the test's name states the
    24-hour collection, so the amount is per 24 hours, the row's unit. Any other quantity as written."""
    unit = row.unit or ""
    if q.ucum and unit.endswith(_PER_DAY) and q.ucum == unit.removesuffix(_PER_DAY):
        return Quantity(q.value, q.unit_text, unit, q.ucum + "/24 h", q.comparator, q.start, q.end)
    return q


def build_observations(ctx: BuildContext) -> None:
    for m in ctx.mentions:
        if m.kind != "observation" or "alias_of" in m.attrs:
            continue
        row = m.row
        q: Quantity | None = m.attrs.get("quantity")
        sign = m.attrs.get("sign")
        qual: Mention | None = m.attrs.get("qualitative")
        implied: str | None = m.attrs.get("implied")
        grade: tuple[str, int, int] | None = m.attrs.get("class")
        if q is None and sign is None and qual is None and implied is None and grade is None:
            continue
        loinc, display = _code_for(m, q)
        code = concept(m.text, coding(F.LOINC, loinc, display or loinc) if loinc else None)
        if not loinc:
            ctx.unmapped.append(
                Unmapped("Observation", m.text, m.start, m.end, "test without LOINC code in the tables")
            )
        res = _base(ctx, m, code, row.category, f"{m.start}:{loinc or m.text}")
        res["extension"] += evidence(ctx, m.attrs.get("aliases", []))
        q2: Quantity | None = m.attrs.get("quantity2")
        if q is not None and q2 is not None and loinc == BP_PANEL:
            res["component"] = [
                {"code": concept(label, coding(F.LOINC, c, label)), "valueQuantity": x.fhir()}
                for (c, label), x in zip(BP_COMPONENTS, (q, q2))
            ]
            res["extension"].append(ctx.evidence(q.start, q2.end, "Observation.component.value"))
        elif q is not None:
            res["valueQuantity"] = _daily(q, row).fhir()
            res["extension"].append(ctx.evidence(q.start, q.end, "Observation.value"))
            if "range" in m.attrs:
                low, high, start, end, urow = m.attrs["range"]
                unit = (
                    {"unit": urow.display, "system": F.UCUM, "code": urow.ucum}
                    if urow
                    else {k: v for k, v in q.fhir().items() if k in ("unit", "system", "code")}
                )
                rr = {key: {"value": x, **unit} for key, x in (("low", low), ("high", high)) if x is not None}
                res["referenceRange"] = [{**rr, "text": ctx.text[start:end]}]
                res["extension"].append(ctx.evidence(start, end, "Observation.referenceRange"))
        elif sign is not None:
            code_, display_ = _SIGN_VALUE[sign[0]]
            label = ctx.text[sign[2] : sign[3]].strip()
            res["valueCodeableConcept"] = concept(label, coding(F.SNOMED, code_, display_))
            res["extension"].append(ctx.evidence(sign[2], sign[3], "Observation.value"))
        elif qual is not None:
            _qualitative(ctx, res, qual.row, qual.text)
            res["extension"].append(ctx.evidence(qual.start, qual.end, "Observation.value"))
        elif grade is not None:  # "Child-Pugh B": the class as written
            res["valueCodeableConcept"] = {"text": grade[0]}
            res["extension"].append(ctx.evidence(grade[1], grade[2], "Observation.value"))
        elif implied is not None:
            # "apyrétique": the test wording states its own result; the evidence is the mention itself
            _qualitative(ctx, res, ctx.mappings.qualitative_by_term[implied].row, m.text)
        interp: Mention | None = m.attrs.get("interpretation")
        if interp is not None and "interpretation" not in res:
            res["interpretation"] = [
                concept(interp.text, coding(F.V3_INTERPRETATION, interp.row.code, interp.row.display))
            ]
            res["extension"].append(ctx.evidence(interp.start, interp.end, "Observation.interpretation"))
        _dated(ctx, res, m)
        ctx.add(res)
        later: Quantity | None = m.attrs.get("later")
        if later is not None:  # "passé de 24 à 0,1 ng/ml": the later value is a result of its own
            res2 = _base(ctx, m, code, row.category, f"{m.start}:{loinc or m.text}:later")
            res2["extension"].append(ctx.evidence(later.start, later.end, "Observation.value"))
            res2["valueQuantity"] = later.fhir()
            _dated(ctx, res2, m)
            ctx.add(res2)


def _qualitative(ctx: BuildContext, res: dict[str, Any], qrow: Any, text: str) -> None:
    if qrow.kind == "value":
        res["valueCodeableConcept"] = concept(text, coding(F.SNOMED, qrow.code, qrow.display))
    else:
        res["interpretation"] = [concept(text, coding(F.V3_INTERPRETATION, qrow.code, qrow.display))]


def build_age(ctx: BuildContext) -> None:
    m = next((x for x in ctx.mentions if x.kind == "age"), None)
    if m is None:
        return
    unit_ref = ctx.mappings.units.get(m.attrs["unit"]) or ctx.mappings.units.get(m.attrs["unit"].lower())
    if unit_ref is None:
        ctx.unmapped.append(
            Unmapped("Observation", m.text, m.start, m.end, f"age unit {m.attrs['unit']!r} not in units.csv")
        )
        return
    # LOINC 30525-0 "Age" (CONVENTIONS.md: age at presentation is an Observation, never a birthDate)
    code = concept("âge", coding(F.LOINC, "30525-0", "Age"))
    res = _base(ctx, m, code, "survey", "age")
    res["valueQuantity"] = {
        "value": m.attrs["value"],
        "unit": unit_ref.row.display,
        "system": F.UCUM,
        "code": unit_ref.row.ucum,
    }
    _dated(ctx, res, m)
    ctx.add(res)


def _stage_value(attrs: dict[str, Any]) -> str:
    """The stage group as one word ("stade III B" -> "IIIB", "IVb" -> "IVB"), after the classification named with
    it (a group named scheme*: "FIGO IIIC")."""
    value = "".join(attrs["value"].split()).upper()
    scheme = next((" ".join(v.split()) for k, v in attrs.items() if k.startswith("scheme")), None)
    return f"{scheme} {value}" if scheme else value


def _stage_of_tnm(ctx: BuildContext) -> dict[int, Mention]:
    """Each TNM's stage group written right before or after it, only punctuation between ("pT3bN1aM0, stade IIIC",
    "stade FIGO IIIC (T3cN0M0)"): id of the TNM mention -> the stage mention."""
    staging = [m for m in ctx.mentions if m.kind in ("stage", "tnm")]
    out: dict[int, Mention] = {}
    for a, b in zip(staging, staging[1:]):
        if a.kind != b.kind and a.end <= b.start and _STAGE_GAP.fullmatch(ctx.text, a.end, b.start):
            tnm, stage = (a, b) if a.kind == "tnm" else (b, a)
            if id(tnm) not in out and stage not in out.values():
                out[id(tnm)] = stage
    return out


def _last_named(tumours: list[Any], named: list[tuple[int, int]], at: int) -> Any:
    """The tumour with the last mention starting before ``at`` (of two with that start, the first in ``tumours``),
    else the first tumour, else None. ``named``: every tumour mention as (start, rank in ``tumours``), sorted."""
    k = bisect.bisect_left(named, (at, -1))  # the mentions starting before ``at``
    if not k:
        return tumours[0] if tumours else None
    return tumours[named[bisect.bisect_left(named, (named[k - 1][0], -1))][1]]


def build_staging(ctx: BuildContext, conditions: list[Any]) -> None:
    """Stage group and TNM Observations, referenced from the stage of the tumour they follow."""
    tumours = [c for c in conditions if c.morph and c.verification != "refuted" and c.resource is not None]
    # every tumour mention as (start, the tumour's rank), sorted: the tumour named last before a stage is found by
    # bisection (reading every tumour's mentions for each stage made a long report quadratic)
    named = sorted((x.start, i) for i, c in enumerate(tumours) for x in c.mentions)
    paired = _stage_of_tnm(ctx)
    merged = {id(s) for s in paired.values()}
    for m in ctx.mentions:
        if m.kind not in ("stage", "tnm") or id(m) in merged:
            continue
        row = m.row
        group = paired.get(id(m))
        if m.kind == "stage":
            code = concept(m.text, coding(F.LOINC, row.loinc, row.display))
            res = _base(ctx, m, code, "survey", f"{m.start}:stage")
            res["valueCodeableConcept"] = {"text": _stage_value(m.attrs)}
        else:
            # a TNM written with its stage group ("pT3bN1aM0, stade IIIC") is that stage group's Observation (coded
            # by the TNM's clinical or pathological rule) whose components are its T, N, M; alone it has no code
            code = concept(f"TNM {m.text}", coding(F.LOINC, row.loinc, row.display) if group and row.loinc else None)
            res = _base(ctx, m, code, "survey", f"{m.start}:tnm")
            if group is not None:
                res["valueCodeableConcept"] = {"text": _stage_value(group.attrs)}
                res["extension"].append(ctx.evidence(group.start, group.end, "Observation.value"))
            pre = (m.attrs.get("prefix") or "").lower()
            comps = []
            for part, loinc, label in (
                ("t", row.t_loinc, row.t_display),
                ("n", row.n_loinc, row.n_display),
                ("m", row.m_loinc, row.m_display),
            ):
                value = m.attrs.get(part)
                if value:
                    comps.append(
                        {
                            "code": concept(f"{part.upper()}", coding(F.LOINC, loinc, label)),
                            # "pT1c pN1a cM0": a clinical M written inside a pathological TNM keeps its own prefix
                            "valueCodeableConcept": {
                                "text": f"{(m.attrs.get('mprefix') if part == 'm' else None) or pre}{part.upper()}{value}"
                            },
                        }
                    )
            res["component"] = comps
        _dated(ctx, res, m)
        ctx.add(res)
        # the tumour named last before the stage (by its nearest mention: a differential named in between does not
        # take the stage of the diagnosis written again right before it), else the first one of the report
        target = _last_named(tumours, named, m.start)
        if target is not None and target.resource is not None:
            stages = target.resource.setdefault("stage", [])
            entry: dict[str, Any] = {"assessment": [ctx.ref(res)]}
            if m.kind == "stage" or group is not None:
                entry["summary"] = {"text": (group or m).text}
            stages.append(entry)
