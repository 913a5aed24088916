"""Row models of the observation tables: tests, units, qualitative results and lab value wording."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import field_validator, model_validator

from .base import Row, TermRow, _code, _Pattern


class ObservationRow(TermRow):
    # loinc may be empty for a test fhirconv should recognise but has no sure code for: it becomes a text-only
    # CodeableConcept, counted as unmapped.
    loinc: str | None = None
    display: str | None = None
    category: Literal["laboratory", "vital-signs", "exam", "survey", "imaging", "procedure", "social-history"]
    unit: str | None = None
    # The LOINC code for a result in moles (or equivalents) per volume when ``loinc`` is the mass one: the unit
    # written decides ("créatinine 71 mg/l" -> 2160-0, "créatinine 530 µmol/l" -> 14682-9).
    molar_loinc: str | None = None
    molar_display: str | None = None
    # The LOINC code for a day's output (a 24-hour urine collection) when ``loinc`` is a concentration: a unit per
    # time written decides ("natriurèse à 45 mmol/l" -> 2955-3, "natriurèse à 120 mmol/24h" -> 2956-1).
    time_loinc: str | None = None
    time_display: str | None = None
    # A qualitative.csv term the wording itself states as the result ("apyrétique": temperature normal).
    implies: str | None = None
    # The LOINC code when the result is written as an immunohistochemistry sign or score ("HER2-(0)", "HER2 3+"):
    # the stain itself, where ``loinc`` is the overall status ("HER2 négatif").
    sign_loinc: str | None = None
    sign_display: str | None = None
    # "low-high": the values this test can take, in its usual unit (or without unit for a score). A number outside
    # it is something else ("fièvre à 3 reprises", "pouls 500"); checked when the unit written is the usual one
    # or none.
    plausible: str | None = None
    _c = field_validator("loinc", "molar_loinc", "time_loinc", "sign_loinc")(lambda v: _code("loinc", v))

    @model_validator(mode="after")
    def _pairs(self) -> ObservationRow:
        if bool(self.molar_loinc) != bool(self.molar_display):
            raise ValueError("molar_loinc and molar_display go together")
        if bool(self.time_loinc) != bool(self.time_display):
            raise ValueError("time_loinc and time_display go together")
        if bool(self.sign_loinc) != bool(self.sign_display):
            raise ValueError("sign_loinc and sign_display go together")
        if self.plausible is not None:
            m = re.fullmatch(r"(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)", self.plausible)
            if not m or float(m.group(1)) > float(m.group(2)):
                raise ValueError(f"plausible {self.plausible!r} is not 'low-high'")
        return self

    @property
    def plausible_range(self) -> tuple[float, float] | None:
        if self.plausible is None:
            return None
        low, high = self.plausible.split("-")
        return float(low), float(high)


class UnitRow(Row):
    alias: str
    ucum: str
    display: str


class QualitativeRow(TermRow):
    # value: the result itself (positif -> Positive); interpretation: a judgement on a value (élevé -> H).
    kind: Literal["value", "interpretation"]
    code: str
    display: str

    @model_validator(mode="after")
    def _code_shape(self) -> QualitativeRow:
        if self.kind == "value":
            _code("snomed", self.code)
        elif not re.fullmatch(r"[A-Z]{1,3}", self.code):
            raise ValueError(f"{self.code!r} is not a v3 ObservationInterpretation code")
        return self


LabWordName = Literal[
    "comparator_below_or_equal",
    "comparator_below",
    "comparator_above_or_equal",
    "comparator_above",
    "list_and",
    "new_phrase",
    "elided_article",
    "rank",
    "times_normal",
    "copula",
    "governs",
    "article",
    "amount",
    "measure_verb",
    "range_head",
    "range_to",
    "from",
    "to",
    "score",
    "metres",
    "mutated_before",
    "class_word",
]


class LabWords(_Pattern):
    """A regex fragment of the wording around lab values (lab_values.yaml); ``name`` says where it goes."""

    name: LabWordName
    description: str = ""
