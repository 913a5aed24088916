"""Row models of the disease tables: conditions, findings, CIM-10, disease words, their refinements."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator, model_validator

from .base import Row, TermRow, _both, _code, _Pattern, _topography


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


class DatedRefineRule(Row):
    """A code CIM-10 gives a disease only for a while after its onset (cim10_refine.yaml ``dated``): a condition coded
    ``code`` whose own date is surely more than ``weeks`` weeks before the report's presenting episode takes ``to``
    (I21 covers the 4 weeks from the onset of a myocardial infarction; an older one is I25.2)."""

    code: str
    to: str
    weeks: int
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
