"""Row models of the procedure tables: acts and the words around them (procedures.yaml)."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator, model_validator

from .base import Row, TermRow, _both, _code, _Pattern


class ProcedureRow(TermRow):
    snomed: str | None = None
    snomed_display: str | None = None
    ccam: str | None = None
    ccam_display: str | None = None
    category: Literal[
        "surgery", "biopsy", "endoscopy", "imaging", "interventional", "radiotherapy", "transfusion", "other"
    ]
    site: str | None = None  # a topography.csv term: the organ of an act whose wording has no site word (gastrectomie)
    _s = field_validator("snomed")(lambda v: _code("snomed", v))
    _c = field_validator("ccam")(lambda v: _code("ccam", v))

    @model_validator(mode="after")
    def _pairs(self) -> ProcedureRow:
        _both(self.snomed, self.snomed_display, "snomed")
        _both(self.ccam, self.ccam_display, "ccam")
        # A row with no code names a procedure fhirconv should recognise but has no sure code for: it becomes a
        # text-only CodeableConcept, counted as unmapped (better than a wrong code).
        return self


class LateralityRow(Row):
    term: str
    snomed: str
    display: str
    _s = field_validator("snomed")(lambda v: _code("snomed", v))


class ReasonCue(_Pattern):
    """Words that introduce the reason of a procedure ("pour", "en raison de", "devant")."""


class DepartmentCue(_Pattern):
    """Words before a procedure word that make it a department ("service de chirurgie"), the guidance of the act
    before it ("guidée par") or the aftermath of an act ("changements post-chirurgicaux à la suite d'une")."""


class CoordinationCue(_Pattern):
    """What joins two coordinated acts ("une aspiration et une biopsie de ..."), matched right after the first."""


class OutcomeCue(_Pattern):
    """Words stating how a procedure went, with the SNOMED CT code of the FHIR procedure-outcome value set."""

    snomed: str
    display: str
    _s = field_validator("snomed")(lambda v: _code("snomed", v))


class GenericTerm(Row):
    term: str


class RadiotherapyPattern(_Pattern):
    """A radiotherapy total dose in Gy (group ``value``) or number of fractions."""

    kind: Literal["dose", "fractions"]
