"""Row schemas of every mapping table: pydantic models with ``extra="forbid"`` and code-format checks."""

from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from .codes import CHECKS

__all__ = [
    "ConditionRow", "MorphologyRow", "TopographyRow", "MedicationRow", "ObservationRow", "UnitRow", "RouteRow",
    "Cim10Row",
    "ProcedureRow", "RelativeRow", "QualitativeRow", "Regimen", "FrequencyRule", "Cue", "SectionRow", "DatePattern",
    "AgePattern", "GenderRow", "StagingRule", "MonthRow", "EpisodeCue",
]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _code(kind: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    problem = CHECKS[kind](value)
    if problem:
        raise ValueError(problem)
    return value


def _both(code: str | None, display: str | None, what: str) -> None:
    if bool(code) != bool(display):
        raise ValueError(f"{what}: a code needs its display and a display its code")


class TermRow(Row):
    term: str

    @field_validator("term")
    @classmethod
    def _term(cls, v: str) -> str:
        if len(v) < 2:
            raise ValueError("term shorter than 2 characters")
        return v


class ConditionRow(TermRow):
    cim10: str
    display: str
    snomed: str | None = None
    snomed_display: str | None = None

    _c = field_validator("cim10")(lambda v: _code("cim10", v))
    _s = field_validator("snomed")(lambda v: _code("snomed", v))

    @model_validator(mode="after")
    def _pairs(self) -> "ConditionRow":
        _both(self.snomed, self.snomed_display, "snomed")
        return self


class Cim10Row(Row):
    """A CIM-10 code with its French label (generated ``cim10.csv``); ``term`` is empty when the label is not a
    wording a report would use. The read-only ``cim10``/``snomed`` properties let a row stand where a condition row
    is read (fhirconv.build.conditions)."""

    code: str
    display: str
    term: str | None = None
    _c = field_validator("code")(lambda v: _code("cim10", v))

    @field_validator("term")
    @classmethod
    def _term(cls, v: str | None) -> str | None:
        if v is not None and len(v) < 2:
            raise ValueError("term shorter than 2 characters")
        return v

    @property
    def cim10(self) -> str:
        return self.code

    @property
    def snomed(self) -> None:
        return None

    @property
    def snomed_display(self) -> None:
        return None


class MorphologyRow(TermRow):
    icdo3: str
    display: str
    _c = field_validator("icdo3")(lambda v: _code("icdo3_morphology", v))


class TopographyRow(TermRow):
    icdo3: str
    display: str
    cim10_primary: str | None = None
    cim10_secondary: str | None = None
    _t = field_validator("icdo3")(lambda v: _code("icdo3_topography", v))
    _c = field_validator("cim10_primary", "cim10_secondary")(lambda v: _code("cim10", v))


class MedicationRow(TermRow):
    atc: str
    display: str
    _c = field_validator("atc")(lambda v: _code("atc", v))


class ObservationRow(TermRow):
    # loinc may be empty for a test fhirconv should recognise but has no sure code for: it becomes a text-only
    # CodeableConcept, counted as unmapped.
    loinc: str | None = None
    display: str | None = None
    category: Literal["laboratory", "vital-signs", "exam", "survey", "imaging", "procedure", "social-history"]
    unit: str | None = None
    _c = field_validator("loinc")(lambda v: _code("loinc", v))


class UnitRow(Row):
    alias: str
    ucum: str
    display: str


class RouteRow(Row):
    alias: str
    edqm: str
    display: str
    _c = field_validator("edqm")(lambda v: _code("edqm", v))


class ProcedureRow(TermRow):
    snomed: str | None = None
    snomed_display: str | None = None
    ccam: str | None = None
    ccam_display: str | None = None
    category: Literal[
        "surgery", "biopsy", "endoscopy", "imaging", "interventional", "radiotherapy", "transfusion", "other"
    ]
    _s = field_validator("snomed")(lambda v: _code("snomed", v))
    _c = field_validator("ccam")(lambda v: _code("ccam", v))

    @model_validator(mode="after")
    def _pairs(self) -> "ProcedureRow":
        _both(self.snomed, self.snomed_display, "snomed")
        _both(self.ccam, self.ccam_display, "ccam")
        # A row with no code names a procedure fhirconv should recognise but has no sure code for: it becomes a
        # text-only CodeableConcept, counted as unmapped (better than a wrong code).
        return self


class RelativeRow(TermRow):
    code: str
    display: str
    _c = field_validator("code")(lambda v: _code("v3_rolecode", v))


class GenderRow(TermRow):
    gender: Literal["female", "male", "other", "unknown"]
    # strong: says the sex (femme, homme, Mme); weak: grammatical gender of a generic word (patiente, patient)
    strength: Literal["strong", "weak"] = "weak"


class QualitativeRow(TermRow):
    # value: the result itself (positif -> Positive); interpretation: a judgement on a value (élevé -> H).
    kind: Literal["value", "interpretation"]
    code: str
    display: str

    @model_validator(mode="after")
    def _code_shape(self) -> "QualitativeRow":
        if self.kind == "value":
            _code("snomed", self.code)
        elif not re.fullmatch(r"[A-Z]{1,3}", self.code):
            raise ValueError(f"{self.code!r} is not a v3 ObservationInterpretation code")
        return self


class _Pattern(Row):
    pattern: str
    # named groups the code reads from a match of this kind of pattern (a missing one would fail mid-conversion)
    _required_groups: ClassVar[tuple[str, ...]] = ()

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            # {MONTH} (dates.yaml) is filled at load with the month names; any word stands for it here
            compiled = re.compile(v.replace("{MONTH}", "(?:mars)"))
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        if compiled.fullmatch(""):
            raise ValueError("regex matches the empty string (it would match everywhere)")
        missing = [g for g in cls._required_groups if g not in compiled.groupindex]
        if missing:
            raise ValueError(f"regex lacks the named group(s) {', '.join(missing)} (?P<name>...)")
        return v


class Regimen(Row):
    name: str
    aliases: list[str] = []
    components: list[str]
    require_context: list[str] = []
    exclude_context: list[str] = []


class FrequencyRule(_Pattern):
    """A frequency pattern; the named group ``n`` (if any) fills ``n_fills``."""

    frequency: int | None = None
    period: float | None = None
    period_unit: Literal["s", "min", "h", "d", "wk", "mo", "a"] | None = None
    n_fills: Literal["period", "frequency", "duration", "count"] | None = None
    duration_unit: Literal["s", "min", "h", "d", "wk", "mo", "a"] | None = None
    as_needed: bool = False
    description: str = ""

    @model_validator(mode="after")
    def _fills(self) -> "FrequencyRule":
        if self.n_fills and not {"n", "n2"} & set(re.compile(self.pattern).groupindex):
            raise ValueError(f"n_fills: {self.n_fills} needs a named group (?P<n>...) in the pattern")
        return self


class Cue(_Pattern):
    kind: Literal[
        "negation", "exclusion", "hypothesis", "differential", "family", "history", "pseudo",
        "med_stopped", "med_active", "med_intended", "recurrence", "remission", "termination",
    ]
    direction: Literal["forward", "backward", "both"] = "forward"
    max_words: int = 8  # scope length in words, counted again from each item of an enumeration
    # clause: until the next clause break (comma, semicolon, "mais" ...) unless an enumeration continues;
    # sentence: the whole sentence in the cue's direction.
    scope: Literal["clause", "sentence"] = "clause"


class SectionRow(_Pattern):
    key: str


class DatePattern(_Pattern):
    precision: Literal["year", "month", "day"]
    _required_groups = ("year",)

    @model_validator(mode="after")
    def _parts(self) -> "DatePattern":
        groups = set(re.compile(self.pattern.replace("{MONTH}", "(?:mars)")).groupindex)
        if self.precision != "year" and not {"month", "month_name"} & groups:
            raise ValueError(f"precision {self.precision} needs a (?P<month>...) or (?P<month_name>...) group")
        if self.precision == "day" and "day" not in groups:
            raise ValueError("precision day needs a (?P<day>...) group")
        return self


class EpisodeCue(_Pattern):
    """Words of the sentence that dates the presenting episode ("s'est présentée aux urgences", "a été admis")."""


class AgePattern(_Pattern):
    _required_groups = ("value", "unit")


class MonthRow(Row):
    name: str
    number: int


class StagingRule(_Pattern):
    """Stage group or TNM; a TNM rule codes its T, N and M groups as Observation components."""

    kind: Literal["stage", "tnm"]
    loinc: str | None = None
    display: str | None = None
    t_loinc: str | None = None
    n_loinc: str | None = None
    m_loinc: str | None = None
    _c = field_validator("loinc", "t_loinc", "n_loinc", "m_loinc")(lambda v: _code("loinc", v))

    @model_validator(mode="after")
    def _groups(self) -> "StagingRule":
        groups = set(re.compile(self.pattern).groupindex)
        if self.kind == "stage" and ("value" not in groups or not (self.loinc and self.display)):
            raise ValueError("a stage rule needs a (?P<value>...) group, a loinc and its display")
        if self.kind == "tnm" and not {"t", "n", "m"} <= groups:
            raise ValueError("a tnm rule needs the groups (?P<t>...), (?P<n>...) and (?P<m>...)")
        return self
