"""Row models of the tumour tables: ICD-O-3 morphology and topography, their CIM-10 codes, grade and stage."""

from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import field_validator, model_validator

from .base import Row, TermRow, _both, _code, _Pattern, _topography


class MorphologyRow(TermRow):
    """``icdo3`` is the ICD-O-3.2 code of the words; ``icdo3_1`` their ICD-O-3.1 code where it differs (a change
    listed in icdo_editions.csv, checked at load)."""

    icdo3: str
    display: str
    icdo3_1: str | None = None
    _c = field_validator("icdo3", "icdo3_1")(lambda v: _code("icdo3_morphology", v))


class IcdoEditionRow(Row):
    """A well-established ICD-O-3.1 -> ICD-O-3.2 change of code or behaviour (icdo_editions.csv): the words that
    ICD-O-3.2 codes ``icdo3_2`` were coded ``icdo3_1`` (``display_3_1``) in ICD-O-3.1; ``source`` says where."""

    icdo3_2: str
    icdo3_1: str
    display_3_1: str
    source: str
    _c = field_validator("icdo3_2", "icdo3_1")(lambda v: _code("icdo3_morphology", v))


class HaematologicalRow(Row):
    """The CIM-10 code of a lymphoid or haematopoietic neoplasm by its ICD-O-3 morphology (haematological.csv): a
    lymphoma is coded by its histology wherever it is."""

    icdo3: str
    cim10: str
    display: str
    _m = field_validator("icdo3")(lambda v: _code("icdo3_morphology", v))
    _c = field_validator("cim10")(lambda v: _code("cim10", v))

    @field_validator("icdo3")
    @classmethod
    def _haematological(cls, v: str) -> str:
        if not "9590" <= v[:4] <= "9999":
            raise ValueError("not a lymphoid or haematopoietic neoplasm (ICD-O-3 9590-9999)")
        return v


class NeoplasmRow(Row):
    """The CIM-10 code of a tumour by its ICD-O-3 morphology, behaviour and site (neoplasm_cim10.csv): ``morphology``
    blank (any), ``dddd`` or a range ``dddd-dddd``; ``topography`` blank (any, site written or not), ``C`` (any site
    written) or an ICD-O-3 prefix (``C50``, ``C50.1``). A row without a morphology codes a benign, uncertain or in
    situ tumour of a site, so its code is in that behaviour's CIM-10 block (D10-D36, D37-D48, D00-D09). A morphology's
    row without a code sends the tumour to its site's row there (a naevus of the skin is D22, of another organ its
    organ's code). A row with neither morphology nor topography codes a tumour of its behaviour whose site is not
    written (D36, D48, D09, C80, C77-C79: site not stated): a written site codes it by its site's row."""

    morphology: str | None = None
    behaviour: Literal["0", "1", "2", "3", "6"]
    topography: str | None = None
    cim10: str | None = None  # blank on a morphology's row at a site: that site's row codes it
    display: str | None = None
    _c = field_validator("cim10")(lambda v: _code("cim10", v))

    _BLOCKS: ClassVar[dict[str, tuple[str, str]]] = {"0": ("D10", "D36"), "1": ("D37", "D48"), "2": ("D00", "D09")}
    # the codes of a tumour whose site is not written, by behaviour (site not stated)
    _UNSITED: ClassVar[dict[str, tuple[str, ...]]] = {
        "0": ("D36",),
        "1": ("D48",),
        "2": ("D09",),
        "3": ("C80",),
        "6": ("C77", "C78", "C79"),
    }

    @field_validator("morphology")
    @classmethod
    def _morphology(cls, v: str | None) -> str | None:
        if v and (not re.fullmatch(r"\d{4}(-\d{4})?", v) or v[5:] and v[5:] < v[:4]):
            raise ValueError(f"{v!r}: expected an ICD-O-3 morphology dddd or a range dddd-dddd (low-high)")
        return v

    @field_validator("topography")
    @classmethod
    def _topography(cls, v: str | None) -> str | None:
        if v and not re.fullmatch(r"C(\d\d(\.\d)?)?", v):
            raise ValueError(f"{v!r}: expected C (any site) or an ICD-O-3 topography prefix Cdd or Cdd.d")
        return v

    @model_validator(mode="after")
    def _generic(self) -> NeoplasmRow:
        _both(self.cim10, self.display, "cim10")
        if self.behaviour == "6" or (not self.morphology and not self.topography):
            unsited = self._UNSITED[self.behaviour]
            if self.morphology or self.topography or not self.cim10 or not self.cim10.startswith(unsited):
                raise ValueError(f"an unsited /{self.behaviour} row: no morphology nor topography, a code {unsited}")
            return self
        if self.morphology:
            if not self.cim10 and not self.topography:
                raise ValueError("a morphology's row without a code needs a topography (where its site codes it)")
            return self
        if not self.cim10:
            raise ValueError("a row without a morphology needs a code")
        if self.behaviour == "3" or not self.topography or self.topography == "C":
            raise ValueError("a row without a morphology needs behaviour 0, 1 or 2 and an ICD-O-3 site")
        low, high = self._BLOCKS[self.behaviour]
        if not low <= self.cim10[:3] <= high:
            raise ValueError(f"cim10 {self.cim10}: behaviour /{self.behaviour} of a site is coded {low}-{high}")
        return self


class TopographyRow(TermRow):
    icdo3: str
    display: str
    cim10_primary: str | None = None
    cim10_secondary: str | None = None
    _t = field_validator("icdo3")(lambda v: _code("icdo3_topography", v))
    _c = field_validator("cim10_primary", "cim10_secondary")(lambda v: _code("cim10", v))


class DistinctHistologiesRow(Row):
    """An organ whose malignant tumours of two specific histologies are two cancers (tumours.yaml
    ``distinct_histologies``): the skin (C44), where a basal cell carcinoma and a squamous cell carcinoma are two."""

    topography: str  # ICD-O-3 topography category
    note: str = ""
    _t = field_validator("topography")(lambda v: _topography("topography", v, codes=False))


class LocalHistologyRow(Row):
    """A malignant histology that almost never metastasises (tumours.yaml ``local_histologies``): not the primary
    cancer the report's metastases take their histology from when another is named. A 3- or 4-digit ICD-O-3
    morphology prefix, without behaviour ("809": the basal cell carcinomas 8090-8098)."""

    morphology: str
    note: str = ""

    @model_validator(mode="after")
    def _prefix(self) -> LocalHistologyRow:
        if not re.fullmatch(r"\d{3,4}", self.morphology):
            raise ValueError(f"{self.morphology!r}: a 3- or 4-digit ICD-O-3 morphology prefix, without behaviour (809)")
        return self


class UmbrellaRow(Row):
    """An ICD-O-3 umbrella histology and the types it gathers whose codes come before its own (tumours.yaml
    ``umbrellas``): a non-small cell carcinoma (8046) "à grandes cellules" is a large cell carcinoma (8012). A type
    coded after its umbrella refines it anyway (ICD-O-3 codes grow more specific): such a row is an error."""

    morphology: str  # 4-digit ICD-O-3 morphology, without behaviour
    types: tuple[str, ...]
    note: str = ""

    @model_validator(mode="after")
    def _earlier(self) -> UmbrellaRow:
        for code in (self.morphology, *self.types):
            if not re.fullmatch(r"\d{4}", code):
                raise ValueError(f"{code!r}: a 4-digit ICD-O-3 morphology code, without behaviour (8046)")
        later = [t for t in self.types if t >= self.morphology]
        if not self.types or later:
            raise ValueError(f"types {later or '[]'}: the earlier codes the umbrella gathers (a later one refines it)")
        return self


class LymphNodeRow(TermRow):
    """A region word of lymph nodes (lymph_nodes.csv) with its ICD-O-3 C77 topography."""

    icdo3: str
    display: str
    _t = field_validator("icdo3")(lambda v: _code("icdo3_topography", v))

    @field_validator("icdo3")
    @classmethod
    def _c77(cls, v: str) -> str:
        if not v.startswith("C77."):
            raise ValueError("a lymph node region is a C77.x topography")
        return v


class GradeRule(_Pattern):
    """A differentiation grade expression (staging.yaml ``grades``): ``grade`` 1-4, or a named group ``grade``
    holding the digit or Roman numeral ("grade 3", "grade III", "G2")."""

    grade: int | None = None
    display: str

    @field_validator("grade")
    @classmethod
    def _grade(cls, v: int | None) -> int | None:
        if v is not None and not 1 <= v <= 4:
            raise ValueError("grade must be 1 to 4 (ICD-O-3 grade digit)")
        return v

    @model_validator(mode="after")
    def _value(self) -> GradeRule:
        if self.grade is None and "(?P<grade>" not in self.pattern:
            raise ValueError("a grade rule needs grade: N or a (?P<grade>...) group")
        return self


class StagingRule(_Pattern):
    """Stage group or TNM; a TNM rule codes its T, N and M groups as Observation components."""

    kind: Literal["stage", "tnm"]
    loinc: str | None = None
    display: str | None = None
    t_loinc: str | None = None
    n_loinc: str | None = None
    m_loinc: str | None = None
    # the LOINC long common names of the T, N and M codes ("Primary tumor.clinical [Class] Cancer")
    t_display: str | None = None
    n_display: str | None = None
    m_display: str | None = None
    _c = field_validator("loinc", "t_loinc", "n_loinc", "m_loinc")(lambda v: _code("loinc", v))

    @model_validator(mode="after")
    def _groups(self) -> StagingRule:
        groups = set(re.compile(self.pattern).groupindex)
        if self.kind == "stage" and ("value" not in groups or not (self.loinc and self.display)):
            raise ValueError("a stage rule needs a (?P<value>...) group, a loinc and its display")
        if self.kind == "tnm" and not {"t", "n", "m"} <= groups:
            raise ValueError("a tnm rule needs the groups (?P<t>...), (?P<n>...) and (?P<m>...)")
        for part in "tnm":
            if bool(getattr(self, f"{part}_loinc")) != bool(getattr(self, f"{part}_display")):
                raise ValueError(f"{part}_loinc and {part}_display go together")
        return self
