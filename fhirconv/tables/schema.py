"""Row schemas of every mapping table: pydantic models with ``extra="forbid"`` and code-format checks."""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from .codes import CHECKS

__all__ = [
    "ConditionRow",
    "MorphologyRow",
    "HaematologicalRow",
    "NeoplasmRow",
    "IcdoEditionRow",
    "TopographyRow",
    "MedicationRow",
    "ObservationRow",
    "UnitRow",
    "RouteRow",
    "Cim10Row",
    "LymphNodeRow",
    "FindingRow",
    "DiseaseWordRule",
    "ProcedureRow",
    "RelativeRow",
    "QualitativeRow",
    "Regimen",
    "FrequencyRule",
    "Cue",
    "SectionRow",
    "DatePattern",
    "AgePattern",
    "GenderRow",
    "StagingRule",
    "PhrasePattern",
    "GradeRule",
    "MonthRow",
    "EpisodeCue",
    "UndatedCue",
    "IndicationCue",
    "LabCue",
    "PeriodCue",
    "RecodeRule",
    "NumberWord",
    "TimeUnitWord",
    "RelativeRule",
    "AnchorRule",
    "PeriodRule",
    "LateralityRow",
    "ReasonCue",
    "RadiotherapyPattern",
    "DepartmentCue",
    "GenericTerm",
    "OutcomeCue",
    "RefineRule",
    "FindingSiteRule",
]


class Row(BaseModel):
    # defer_build: a row model's validator is built on its first validation (loading the tables), not when the class
    # is made: a process that reads the tables from the cache (tables/cache.py) validates no row, and building the
    # ~60 validators cost every start ~110 M instructions (~0.03 s)
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


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


def _topography(column: str, v: str, *, codes: bool) -> str:
    """An ICD-O-3 topography category (``C22``), or also a code (``C17.0``) with ``codes``."""
    if not re.fullmatch(r"C\d\d(?:\.\d)?" if codes else r"C\d\d", v):
        raise ValueError(
            f"{column} {v!r}: an ICD-O-3 topography category (C22)" + (" or code (C17.0)" if codes else "")
        )
    return v


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
    def _pairs(self) -> ConditionRow:
        _both(self.snomed, self.snomed_display, "snomed")
        return self


class FindingRow(TermRow):
    """A pathological head noun (findings.csv): a Condition whose text is the head plus its modifiers."""

    snomed: str | None = None
    snomed_display: str | None = None
    complement: Literal["optional", "required"] = "optional"
    # recurrence: "récidive ovarienne" of the document's cancer; spread: "infiltration de la moelle osseuse" by it;
    # anaphor: "la lésion" with no site nor code names the document's cancer again; evidence: the same, and a
    # Condition only as evidence of a tumour ("une masse du sein" ... "carcinome lobulaire")
    # remission: "Rémission complète en juin 2012" with no disease named is the document's cancer's remission;
    # response: "réponse partielle", a statement on that cancer's course that changes no status
    course: Literal["recurrence", "spread", "cancer", "anaphor", "evidence", "remission", "response"] | None = None

    _s = field_validator("snomed")(lambda v: _code("snomed", v))

    @model_validator(mode="after")
    def _pairs(self) -> FindingRow:
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
    # The LOINC code for a result in moles (or equivalents) per volume when ``loinc`` is the mass one: the unit
    # written decides ("créatinine 71 mg/l" -> 2160-0, "créatinine 530 µmol/l" -> 14682-9).
    molar_loinc: str | None = None
    molar_display: str | None = None
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
    _c = field_validator("loinc", "molar_loinc", "sign_loinc")(lambda v: _code("loinc", v))

    @model_validator(mode="after")
    def _pairs(self) -> ObservationRow:
        if bool(self.molar_loinc) != bool(self.molar_display):
            raise ValueError("molar_loinc and molar_display go together")
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


class RouteRow(Row):
    alias: str
    edqm: str
    display: str
    # after_drug: a route only right after the drug name or its dose (adjectives that are also anatomy: "oral")
    placement: Literal["any", "after_drug"] | None = None
    _c = field_validator("edqm")(lambda v: _code("edqm", v))


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
    def _code_shape(self) -> QualitativeRow:
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


class TypoRule(Row):
    """A typing-slip rule (disease_words.yaml ``typos``): an unknown word of ``min_length`` letters or more ending
    with one of ``suffixes`` is read as the word of a ``table`` term it is one edit away from, when only one is."""

    note: str
    table: Literal["morphology.csv"]
    suffixes: tuple[str, ...]
    min_length: int = 10

    @field_validator("suffixes")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        if not v or any(not w or w != w.strip().lower() for w in v):
            raise ValueError("suffixes must be non-empty, lower case, without spaces around")
        return v


class DiseaseWordRule(Row):
    """A word-formation rule (disease_words.yaml): a word with one of ``suffixes`` names a disorder (a finding)."""

    note: str
    # tuples and a frozenset, built once at load: fires() runs on every candidate word of every report
    suffixes: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    min_length: int = 6
    exceptions: frozenset[str] = frozenset()
    excluded_endings: tuple[str, ...] = ()
    # read like a findings.csv row by fhirconv.build.conditions
    complement: Literal["optional"] = "optional"
    course: None = None
    snomed: None = None
    snomed_display: None = None

    @field_validator("suffixes", "prefixes", "exceptions", "excluded_endings")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        if any(not w or w != w.strip().lower() for w in v):
            raise ValueError("words must be non-empty, lower case, without spaces around")
        return v

    @property
    def term(self) -> str:
        return "-" + "/-".join(self.suffixes)

    def fires(self, word: str) -> bool:
        """``word`` is lower case."""
        if len(word) < self.min_length or not word.endswith(self.suffixes):
            return False
        if self.prefixes and not word.startswith(self.prefixes):
            return False
        if word in self.exceptions or word.rstrip("s") in self.exceptions:
            return False
        return not (self.excluded_endings and word.endswith(self.excluded_endings))


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


PhraseName = Literal[
    "adjective",
    "attributed_to",
    "preposition",
    "site_gap",
    "name_gap",
    "board",
    "refines",
    "component",
    "another",
    "other_lesion",
    "metastatic_head",
    "metastatic",
    "metastatic_disease",
    "origin_gap",
    "specimen",
    "tail",
    "marker_of",
    "modifiers",
    "trailing_preposition",
    "empty_modifier",
    "anaphoric_determiner",
    "participle",
    "type_before_site",
    "site_coordination",
    "node_gap",
    "finding_site_gap",
    "test_of",
    "agent",
    "germ",
    "germ_found",
    "infection_when_positive",
    "positive_result",
    "specimen_act",
    "component_of",
    "stain_result",
    "stain_context",
    "final_diagnosis",
    "display_filler",
    "sample_cells",
    "measure_name",
    "ordinary_word",
    "nature_of",
    "broad_histology",
    "recurrence_of",
    "date_item_break",
    "date_fronted",
    "date_item_cause",
    "date_disease_aside",
    "date_act_word",
    "range_of_care",
    "enum_goes_on",
    "enum_bare_item",
    "enum_separator",
    "enum_list_item",
    "patient_relative",
    "relative_acts_on_patient",
    "relative_named_after",
    "relatives_have_it",
    "own_site",
    "complication_of",
    "relation_of",
    "relation_pair",
    "paired_with",
    "cause_of",
    "tumour_dropped",
    "relatives_coordinated",
    "relative_notices",
    "tnm_gap",
    "said_malignant",
    "said_benign",
    "invaded_structure",
    "other_nature",
    "nodal_involvement",
    "with_involvement",
    "side_after",
]


class PhrasePattern(Row):
    """A pattern of the condition builder's phrase grammar (phrases.yaml); compiled by the loader once the
    ``{ADJ}`` / ``{PREP}`` fragments are filled in."""

    name: PhraseName
    pattern: str


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


class Cue(_Pattern):
    kind: Literal[
        "negation",
        "exclusion",
        "hypothesis",
        "differential",
        "family",
        "history",
        "pseudo",
        "med_stopped",
        "med_active",
        "med_intended",
        "recurrence",
        "remission",
        "resolved",
        "treated",
        "recovery",
        "termination",
    ]
    direction: Literal["forward", "backward", "both"] = "forward"
    max_words: int = 8  # scope length in words, counted again from each item of an enumeration
    # clause: until the next clause break (comma, semicolon, "mais" ...) unless an enumeration continues;
    # sentence: the whole sentence in the cue's direction; enumeration: a plural result written after a list
    # ("les sérologies de l'hépatite B, de l'hépatite C et du VIH sont négatives"), backward over every item of the
    # list, each item at most max_words words; bracket: a cue ending with an opening bracket reaches every item of
    # the bracketed list, commas and all, up to the closing bracket.
    scope: Literal["clause", "sentence", "enumeration", "bracket"] = "clause"


class CourseRow(Row):
    """A disease whose episodes end (assertions.yaml ``episodic``): a past episode of it ("antécédent d'abcès",
    one dated long before the report's last date, one followed by the patient's recovery) is resolved, while a
    disease without a row (diabète, hypertension) stays active when the text lists it among the antecedents.
    ``code``: a CIM-10 code or category (``A41`` covers ``A41.9``), a SNOMED CT code, or a findings.csv head."""

    system: Literal["cim10", "snomed", "finding"]
    code: str
    note: str = ""


class RefineRule(_Pattern):
    """A more specific CIM-10 code that the words written right after a disease support (cim10_refine.yaml): a
    condition coded ``code`` takes ``to`` when ``pattern`` matches there ("thrombophlébite du membre inférieur":
    I80.9 -> I80.3). The first matching rule of a code wins."""

    code: str
    to: str
    note: str = ""
    _c = field_validator("code", "to")(lambda v: _code("cim10", v))


class JoinRule(Row):
    """A CIM-10 category whose diseases are episodes of another one when the report names both (cim10_refine.yaml
    ``joins``): CIM-10 F31 excludes a manic episode (F30) or a depressive episode (F32) of a bipolar disorder, so
    "épisode maniaque" beside "trouble bipolaire" is the bipolar disorder's episode, one Condition F31."""

    code: str
    host: str
    note: str = ""
    _c = field_validator("code", "host")(lambda v: _code("cim10", v))


class TypesRule(Row):
    """The CIM-10 categories of one disease by type that share their subdivisions (cim10_refine.yaml ``types``): a
    complication coded in the ``untyped`` category (E14.2) is one of the patient's stated type (E11.2); ``bare`` is
    the untyped code of the disease itself (E14.9), never recoded."""

    untyped: str
    typed: tuple[str, ...]
    bare: str
    note: str = ""
    _c = field_validator("untyped", "bare")(lambda v: _code("cim10", v))
    _t = field_validator("typed")(lambda v: tuple(_code("cim10", code) for code in v))


class FindingSiteRule(Row):
    """The CIM-10 code of a findings.csv head at a body site (cim10_refine.yaml ``sites``): "abcès" at the liver
    (ICD-O-3 topography C22.x) is K75.0. ``icdo3``: a topography category (``C22``) or code (``C17.0``); the longest
    one that the finding's site starts with wins."""

    finding: str
    icdo3: str
    cim10: str
    note: str = ""
    _c = field_validator("cim10")(lambda v: _code("cim10", v))
    _t = field_validator("icdo3")(lambda v: _topography("icdo3", v, codes=True))


class FindingContextRule(_Pattern):
    """The CIM-10 code of a findings.csv head written without a site, from its context (cim10_refine.yaml
    ``contexts``): a bare "infarctus" beside a stroke ("pas d'infarctus ni d'AVC") or in a coronary report is a
    myocardial infarction, in a stroke report a cerebral one. ``pattern`` is looked for in the head's sentence
    (``scope: sentence``) or the whole report (``report``), and the rule holds only when ``unless`` (if any) is not
    found there. The first rule of a head that holds wins."""

    finding: str
    cim10: str
    scope: Literal["sentence", "report"]
    unless: str | None = None
    note: str = ""
    _c = field_validator("cim10")(lambda v: _code("cim10", v))


class BareFindingRule(Row):
    """The CIM-10 code of a findings.csv head written alone, with no modifier, no site and no other code
    (cim10_refine.yaml ``bare``): the code the CIM-10 alphabetical index gives the bare word ("thrombose" I82.9,
    "adhérences" K66.0). Only for a head that always names a disease: never a head that may name the report's
    cancer again or a mere mass (course anaphor, evidence), nor a course statement (remission, response)."""

    finding: str
    cim10: str
    note: str = ""
    _c = field_validator("cim10")(lambda v: _code("cim10", v))


class SectionRow(_Pattern):
    key: str


class DatePattern(_Pattern):
    precision: Literal["year", "month", "day"]
    _required_groups = ("year",)

    @model_validator(mode="after")
    def _parts(self) -> DatePattern:
        groups = set(re.compile(self.pattern.replace("{MONTH}", "(?:mars)")).groupindex)
        if self.precision != "year" and not {"month", "month_name"} & groups:
            raise ValueError(f"precision {self.precision} needs a (?P<month>...) or (?P<month_name>...) group")
        if self.precision == "day" and "day" not in groups:
            raise ValueError("precision day needs a (?P<day>...) group")
        return self


class EpisodeCue(_Pattern):
    """Words of the sentence that dates the presenting episode ("s'est présentée aux urgences", "a été admis")."""


class StayEndCue(_Pattern):
    """Words that close a hospital stay or move the story past it ("a pu rentrer chez elle", "par la suite"): the
    sentences after them no longer take the date of the admission."""


class AdmissionCue(_Pattern):
    """Words that place what their sentence tells at the admission itself ("lors de l'admission"): the day of the
    dated admission sentence before it."""


class LaterActCue(_Pattern):
    """Words right before an act that make it follow the event its sentence dates ("une rechute en juin 2016 qui a
    été réintervenue"): the act takes only that date's year."""


class EventEndCue(_Pattern):
    """Words opening the event a relative date names that make it the end of that event ("six mois après la fin de
    la chimiothérapie"): a dated mention of the event gives its start, so the expression is resolved only when that
    date is the end of a range the text writes ("de janvier à juin 2015", ``range_end``)."""


class RangeEndCue(_Pattern):
    """Words right before a date that make it the end of a range ("de janvier à juin 2015", "jusqu'en octobre
    2018"). Tested on the words before the date."""


class FollowUpCue(_Pattern):
    """Words of a sentence that tells a follow-up ("suivi trimestriel", "surveillance"): not the care of the presenting
    episode, which may be years before."""


class PathologyCue(_Pattern):
    """Words of a sentence that reports a pathology result ("l'examen anatomopathologique", "l'étude
    immunohistochimique"): what it finds dates from the specimen, the last dated act that took one."""


class SpecimenActCue(_Pattern):
    """Words of a sentence that tells an act taking a specimen, besides the surgery and biopsy rows of procedures.csv
    ("il a été opéré d'un naevus", "la lésion a été réséquée")."""


class EpisodeActCue(_Pattern):
    """Words that tie an undated act of the treatment section to the presenting episode ("une intervention
    chirurgicale urgente a été pratiquée")."""


class UndatedCue(_Pattern):
    """A time expression fhirconv does not resolve ("à 48 heures", "J8" with no day 0): its sentence's mentions
    take no date from elsewhere, since the borrowed date would be wrong by the stated delay."""


class NumberWord(Row):
    """A number or ordinal written in words ("deux" 2, "troisième" 3), for relative dates."""

    word: str
    value: int
    ordinal: bool = False


class TimeUnitWord(Row):
    word: str
    unit: Literal["day", "week", "month", "year"]


class RelativeRule(_Pattern):
    """A relative date expression ("deux mois après", "au troisième jour post-chimiothérapie").

    Groups: ``n`` (number, digits or words), ``ord`` (ordinal), ``unit``, ``half`` ("et demi"), ``month_name``,
    ``anchor`` (the event named after the cue). ``n`` / ``unit`` fix the offset when the pattern has no such group.
    ``anchor``: ``nearest`` = the nearest date before the expression; ``before_sentence`` = the nearest date before
    its sentence (a disease-free interval ends at the event of its own sentence); ``following`` = the next date
    written (the end of a period "du 3 mars au 5 avril 2006" gives the start its year); ``named`` = the event named by
    the ``anchor`` group when the text names one (``anchors`` list; an event not in the list: left out), else the
    nearest date before. ``keep: year`` takes the anchor's
    year and the expression's month and day ("en décembre de la même année", "le 11 novembre"); ``forward``: left
    out when that falls before the anchor (the text may have moved on to the next year); with a ``following``
    anchor, left out when it falls after it.
    """

    direction: Literal["after", "before"] = "after"
    n: int | None = None
    unit: Literal["day", "week", "month", "year"] | None = None
    anchor: Literal["nearest", "before_sentence", "named", "following"] = "nearest"
    keep: Literal["year"] | None = None
    forward: bool = False
    # words (lower case) of which one is always in or near an expression: the pattern is only tried around them
    # (speed: most of a report has no relative date); "{MONTH}" = any month name; empty = tried everywhere
    keys: list[str] = []


class AnchorRule(_Pattern):
    """An event a relative date can name ("le diagnostic initial", "post-opératoire") and where its date is read.

    ``kinds`` / ``categories``: dated mentions that are that event (procedure categories of procedures.csv);
    ``pick``: ``first`` = the earliest of their dates, ``nearest`` = the last one before the expression;
    ``episode``: the date of the presenting episode (``episode`` cues); ``sentences``: the mention must be at most
    that many sentences before the expression (a demonstrative, "ce traitement", points to what was just told).
    """

    kinds: list[str] = []
    categories: list[str] = []
    pick: Literal["first", "nearest"] = "nearest"
    episode: bool = False
    sentences: int | None = None
    named: bool = False  # only a mention of those kinds in the words after the cue ("du traitement par sunitinib")


class PeriodRule(Row):
    """Two dates that make a period: ``opening`` ends right before the first, ``joining`` is the gap between."""

    opening: str
    joining: str

    @field_validator("opening", "joining")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        return v


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


class AgePattern(_Pattern):
    _required_groups = ("value", "unit")
    # the sex a title before the age says where no gender word does ("M. D., 71 ans": "M." is no table term, the
    # matcher would read it on any lone "M"); the group ``title`` is its evidence
    gender: Literal["female", "male"] | None = None

    @model_validator(mode="after")
    def _titled(self) -> AgePattern:
        if self.gender and "title" not in re.compile(self.pattern).groupindex:
            raise ValueError("a pattern with a gender needs the named group title (?P<title>...), its evidence")
        return self


class MonthRow(Row):
    name: str
    number: int


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


class IndicationCue(_Pattern):
    """Words linking a drug to the disease it treats, by where they stand (medication_context.yaml)."""

    side: Literal["between_drug_condition", "between_condition_drug", "before_condition", "blocks"]


class PeriodCue(_Pattern):
    """Words that make a date the start or the end of a drug, or join two dates into a span
    (medication_context.yaml)."""

    kind: Literal["start", "end", "range_open", "range_join"]


class LabCue(_Pattern):
    """Words before a drug name that make it a measured substance (medication_context.yaml)."""


class RecodeRule(_Pattern):
    """A drug coded ``atc`` takes ``to`` when its sentence matches ``pattern`` (medication_context.yaml)."""

    atc: str
    to: str
    display: str
    _c = field_validator("atc", "to")(lambda v: _code("atc", v))
