"""Procedures from procedure mentions: SNOMED CT and/or CCAM, date, status (not-done when negated).

A chemotherapy course is never a Procedure: drug administrations are MedicationStatements (README, "Procedures").
"""

from __future__ import annotations

import bisect
from typing import Any

from .. import fhirspec as F
from .common import BuildContext, Unmapped, coding, concept, evidence

__all__ = ["build_procedures"]


def build_procedures(ctx: BuildContext) -> None:
    sites = [m for m in ctx.mentions if m.kind == "topography"]
    for m in ctx.mentions:
        if m.kind != "procedure" or "alias_of" in m.attrs:
            continue
        row = m.row
        codings = []
        if row.snomed:
            codings.append(coding(F.SNOMED, row.snomed, row.snomed_display))
        if row.ccam:
            codings.append(coding(F.CCAM, row.ccam, row.ccam_display))
        if not codings:
            ctx.unmapped.append(Unmapped("Procedure", m.text, m.start, m.end, "procedure row without code"))
        negated = "negation" in m.qualifiers or "exclusion" in m.qualifiers
        res: dict[str, Any] = {
            "resourceType": "Procedure",
            "id": ctx.id_for("Procedure", f"{m.start}:{m.end}"),
            "extension": evidence(ctx, [m, *m.attrs.get("aliases", [])]),
            "status": "not-done" if negated else "completed",
            "code": concept(m.text, *codings),
            "subject": ctx.patient_ref,
        }
        inside = []
        for k in range(bisect.bisect_left(sites, m.start, key=lambda x: x.start), len(sites)):  # text order
            if sites[k].start >= m.end:
                break
            if sites[k].end <= m.end:
                inside.append(sites[k])
        if inside:
            s = inside[-1]
            res["bodySite"] = [concept(s.text, coding(F.ICDO3, s.row.icdo3, s.row.display))]
        if m.date is not None and not negated:
            res["performedDateTime"] = m.date.iso()
            res["extension"].append(ctx.evidence(m.date.start, m.date.end, "Procedure.performed"))
        ctx.add(res)
