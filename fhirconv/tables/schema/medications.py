"""Row models of the medication tables: drugs, routes, regimens, frequencies and their context."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import field_validator, model_validator

from .base import Row, TermRow, _code, _Pattern


class MedicationRow(TermRow):
    atc: str
    display: str
    _c = field_validator("atc")(lambda v: _code("atc", v))


class RouteRow(Row):
    alias: str
    edqm: str
    display: str
    # after_drug: a route only right after the drug name or its dose (adjectives that are also anatomy: "oral")
    placement: Literal["any", "after_drug"] | None = None
    _c = field_validator("edqm")(lambda v: _code("edqm", v))


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
    n_fills: Literal["period", "frequency", "duration", "count", "bounds"] | None = None
    count: int | None = None  # a fixed number of cycles written in words ("trois cycles")
    # how long the treatment lasts ("pendant 7 jours", "pendant 5 ans"): Timing.repeat.boundsDuration
    bounds_unit: Literal["h", "d", "wk", "mo", "a"] | None = None
    bounds: float | None = None  # a fixed length written in words ("pendant un an")
    # the days of a cycle ("jours 1 à 14", "J1 J8"): kept in the verbatim dosage text, no Timing field
    cycle_days: bool = False
    duration_unit: Literal["s", "min", "h", "d", "wk", "mo", "a"] | None = None
    as_needed: bool = False
    description: str = ""

    @model_validator(mode="after")
    def _fills(self) -> FrequencyRule:
        if self.n_fills and not {"n", "n2"} & set(re.compile(self.pattern).groupindex):
            raise ValueError(f"n_fills: {self.n_fills} needs a named group (?P<n>...) in the pattern")
        return self


class IndicationCue(_Pattern):
    """Words linking a drug to the disease it treats, by where they stand (medication_context.yaml)."""

    side: Literal["between_drug_condition", "between_condition_drug", "before_condition", "blocks"]


class PeriodCue(_Pattern):
    """Words that make a date the start or the end of a drug, or join two dates into a span
    (medication_context.yaml)."""

    kind: Literal["start", "end", "range_open", "range_join"]


class LabCue(_Pattern):
    """Words before a drug name that make it a measured substance (medication_context.yaml)."""


class FormRule(_Pattern):
    """A pharmaceutical form written with a drug (medication_context.yaml ``forms``): ``pattern`` matches the words
    right before the drug's name (``place: before``, "collyre de ") or right after it (``after``, "en collyre"). A
    substance that medications.csv codes in one of the ATC groups ``atc`` too takes that code there ("collyre de
    dexaméthasone": S01BA01, not the systemic H02AB02)."""

    place: Literal["before", "after"]
    atc: list[str]

    @field_validator("atc")
    @classmethod
    def _groups(cls, v: list[str]) -> list[str]:
        bad = [g for g in v if not re.fullmatch(r"[A-Z](?:\d\d(?:[A-Z](?:[A-Z](?:\d\d)?)?)?)?", g)]
        if not v or bad:
            raise ValueError(f"atc: ATC groups (S01, D07A ...), got {bad or v}")
        return v


class RecodeRule(_Pattern):
    """A drug coded ``atc`` takes ``to`` when its sentence matches ``pattern`` (medication_context.yaml)."""

    atc: str
    to: str
    display: str
    _c = field_validator("atc", "to")(lambda v: _code("atc", v))
