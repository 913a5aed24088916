"""Stage 6 - resource building: mentions -> FHIR resources (plain dicts, validated once in the bundle stage)."""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from typing import Any

from .. import fhirspec as F
from ..document import Mention, PartialDate, Structure
from ..tables import Mappings
from .common import BuildContext, Unmapped, evidence
from .conditions import build_conditions
from .grade import build_grades
from .med_context import condition_spans
from .medications import build_medications
from .observations import build_age, build_observations, build_staging
from .procedures import build_procedures

__all__ = ["BuildContext", "Unmapped", "build_resources"]


def build_resources(
    text: str,
    report_key: str,
    report_id: str | None,
    structure: Structure,
    mentions: list[Mention],
    mappings: Mappings,
    dates: list[PartialDate] | None = None,
    timeline: Any = None,
) -> BuildContext:
    """Build every resource of one report. The result holds resources in bundle order and the unmapped list."""
    ctx = BuildContext(text, report_key, mappings, mentions, structure, dates=dates or [], timeline=timeline)
    _document_reference(ctx, report_id)
    _patient(ctx)
    build_age(ctx)
    conditions = build_conditions(ctx)
    build_staging(ctx, ctx.conditions)
    build_grades(ctx, ctx.conditions)
    # the Conditions' evidence spans, read once for the diseases drugs and procedures are for
    spans = condition_spans(conditions)
    build_medications(ctx, conditions, spans)
    build_observations(ctx)
    build_procedures(ctx, spans)
    return ctx


def _document_reference(ctx: BuildContext, report_id: str | None) -> None:
    data = ctx.text.encode("utf-8")
    res: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": ctx.id_for("DocumentReference", "source"),
        "status": "current",
        "subject": ctx.patient_ref,
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": base64.b64encode(data).decode("ascii"),
                    # FHIR Attachment.hash is the base64 SHA-1 of the data (R4 datatypes, Attachment)
                    "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),  # noqa: S324 - spec-mandated
                    "size": len(data),
                }
            }
        ],
    }
    if report_id:
        res["identifier"] = [{"system": F.REPORT_IDENTIFIER_SYSTEM, "value": report_id}]
        res["content"][0]["attachment"]["title"] = report_id
    ctx.add(res)


def _spelt(m: Mention) -> bool:
    """A gender word as its row writes it, accents and case aside: word keys fold the feminine ending away, so the
    row "âgée" would otherwise match "âgé" and the noun "âge" ("un patient âgé de 60 ans ... depuis l'âge de 40 ans"
    counted two female cues)."""
    return _spelling(m.text) == _spelling(m.row.term)


def _titles(ctx: BuildContext) -> list[tuple[str, Mention]]:
    """The sex a title before the stated age says ("M. D., 71 ans": patient.yaml age row with a gender), cited by
    the title's words."""
    out = []
    for m in ctx.mentions:
        if m.kind == "age" and m.row.gender:
            start, end = m.attrs["title"]
            out.append((m.row.gender, Mention("gender", start, end, ctx.text[start:end], m.rows, m.rule, m.sentence)))
    return out


def _spelling(words: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", words.lower()) if not unicodedata.combining(c))
    return " ".join(bare.replace("-", " ").replace("'", " ").replace("’", " ").split())


def _patient(ctx: BuildContext) -> None:
    genders = [(m.row.gender, m) for m in ctx.mentions if m.kind == "gender" and _spelt(m)]
    strong = _titles(ctx) + [(g, m) for g, m in genders if m.row.strength == "strong"]
    pool = strong or genders
    res: dict[str, Any] = {"resourceType": "Patient", "id": ctx.id_for("Patient", "patient")}
    if pool:
        counts: dict[str, int] = {}
        for g, _ in pool:
            counts[g] = counts.get(g, 0) + 1
        best = max(counts, key=lambda g: (counts[g], -next(i for i, (h, _) in enumerate(pool) if h == g)))
        res["gender"] = best
        cited = [m for g, m in pool if g == best][:1]
        res["extension"] = evidence(ctx, cited, "Patient.gender")
    ctx.add(res)
