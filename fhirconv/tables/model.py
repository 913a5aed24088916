"""The loaded tables as the stages read them: the :class:`Mappings` object, its rows (:class:`RowRef`) and
table headers (:class:`TableInfo`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..matcher import TermMatcher
from .prefilter import Prefiltered
from .ucum import UcumChecker

# a table regex: compiled, or compiled and prefiltered (same methods, same matches)
Rx = re.Pattern[str] | Prefiltered


@dataclass(frozen=True)
class TableInfo:
    file: str
    path: str  # where it was read from (built-in or overlay)
    rows: int
    source: str
    version: str
    licence: str


@dataclass(frozen=True, slots=True)
class RowRef:
    """A table row as carried by a mention: which table, which line, and the validated row."""

    table: str
    path: str
    line: int
    row: Any
    # ``where``, built on first use: every mention, cue and resource asks it (not at load: 18,000 rows)
    _where: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def where(self) -> str:
        where = self._where
        if where is None:
            # built-in rows by table name (stable across installs); overlay rows by their file, so that explain and
            # mappings check point the user at their own file, not at a built-in line of the same number
            builtin = self.path == f"mappings/{self.table}"
            where = f"{self.table}:{self.line}" if builtin else f"{self.path}:{self.line}"
            object.__setattr__(self, "_where", where)  # frozen: the one field set after init (threads: same value)
        return where


@dataclass
class Mappings:
    """All tables, validated, with the compiled matchers. Read-only after load."""

    rows: dict[str, list[RowRef]]
    info: dict[str, TableInfo]
    matcher: TermMatcher  # concepts
    attribute_matcher: TermMatcher
    unit_regex: re.Pattern[str]
    dose_unit_regex: re.Pattern[str]  # units that can be a dose: no rates ("mg/24 h" is a dose plus a frequency)
    units: dict[str, RowRef]
    regimens: list[RowRef]
    frequencies: list[tuple[Rx, RowRef]]
    cues: list[tuple[Rx, RowRef]]
    sections: list[tuple[Rx, RowRef]]
    months: dict[str, int]
    date_patterns: list[tuple[Rx, RowRef]]
    episode_cues: list[tuple[Rx, RowRef]]
    undated_cues: list[tuple[Rx, RowRef]]
    stay_end_cues: list[tuple[Rx, RowRef]]
    episode_act_cues: list[tuple[Rx, RowRef]]
    later_act_cues: list[tuple[Rx, RowRef]]
    event_end_cues: list[tuple[Rx, RowRef]]  # "la fin de la chimiothérapie": the end of the named event
    range_end_cues: list[tuple[Rx, RowRef]]  # "à juin 2015", "jusqu'en octobre 2018": a date ending a range
    pathology_cues: list[tuple[Rx, RowRef]]  # "l'examen anatomopathologique": a result dated by its specimen
    follow_up_cues: list[tuple[Rx, RowRef]]  # "suivi trimestriel": not the care of the presenting episode
    specimen_act_cues: list[tuple[Rx, RowRef]]  # "il a été opéré", "réséquée": an act that took a specimen
    admission_cues: list[tuple[Rx, RowRef]]
    phrases: dict[str, re.Pattern[str]]  # phrases.yaml, by name (condition builder grammar)
    relative_rules: list[tuple[Rx, RowRef]]
    anchor_rules: list[tuple[Rx, RowRef]]
    period_rules: list[tuple[re.Pattern[str], re.Pattern[str]]]  # (opening, joining)
    laterality: dict[str, RowRef]  # side word (lower case) -> SNOMED CT laterality qualifier row
    reason_cues: list[tuple[Rx, RowRef]]
    radiotherapy: list[tuple[Rx, RowRef]]
    department_cues: list[tuple[Rx, RowRef]]
    outcome_cues: list[tuple[Rx, RowRef]]
    guidance_cues: list[tuple[Rx, RowRef]]
    aftermath_cues: list[tuple[Rx, RowRef]]
    coordination_cues: list[tuple[Rx, RowRef]]
    generic_surgery: frozenset[tuple[str, ...]]  # term keys (normalise.term_keys) of words naming surgery in general
    numbers: dict[str, int]  # number words and ordinals (lower case) -> value
    time_units: dict[str, str]  # unit words (lower case) -> day / week / month / year
    genders: list[RowRef]
    age_patterns: list[tuple[Rx, RowRef]]
    staging: list[tuple[Rx, RowRef]]
    grades: list[tuple[Rx, RowRef]]
    # (every suffix, the rules): a word ending with none of the suffixes is skipped at once
    disease_words: tuple[tuple[str, ...], list[RowRef]]
    ucum: UcumChecker
    medication_by_term: dict[tuple[str, ...], RowRef] = field(default_factory=dict)
    cim10_labels: dict[str, str] = field(default_factory=dict)  # code -> French label (cim10.csv)
    # medication_context.yaml: indication and period cues of drugs, by side / kind
    med_context: dict[str, list[tuple[Rx, RowRef]]] = field(default_factory=dict)
    qualitative_by_term: dict[str, RowRef] = field(default_factory=dict)  # qualitative.csv term -> row
    topography_by_term: dict[tuple[str, ...], RowRef] = field(default_factory=dict)  # term keys -> topography row
    procedure_by_term: dict[tuple[str, ...], RowRef] = field(default_factory=dict)  # term keys -> procedures.csv row
    # SNOMED CT codes of the procedures.csv rows whose words name surgery in general (generic_surgery)
    generic_surgery_codes: frozenset[str] = frozenset()
    lab: Any = None  # labvalues.LabPatterns compiled from lab_values.yaml
    # assertions.yaml ``episodic``: "system:code" of diseases whose episodes end (CIM-10 codes and categories)
    episodic: frozenset[str] = frozenset()
    recovery: list[tuple[Rx, RowRef]] = field(default_factory=list)  # assertions.yaml kind recovery
    # the same phrases with the table prefilter (``Prefiltered``), for the builders that scan a whole report or many
    # windows of it with one phrase (build/common.py ``prefiltered``): analysed here, so that the analysis is in the
    # tables cache, not redone by each process on first use (~60 M instructions, most in its first reports)
    phrase_scans: dict[str, Prefiltered] = field(default_factory=dict)
    # ICD-O-3 edition of the morphology codes written to the bundles: "3.2" (current, the tables' codes) or "3.1"
    # (the morphology.csv icdo3_1 column, for registries still holding ICD-O-3.1 data); see load_mappings
    icdo_edition: str = "3.2"
    icdo3_1_display: dict[str, str] = field(default_factory=dict)  # ICD-O-3.1 code -> display (icdo_editions.csv)
    # folded word keys of a morphology term -> its row: a tumour name split by a site ("carcinome ovarien séreux")
    morphology_by_key: dict[tuple[str, ...], RowRef] = field(default_factory=dict)
    # cim10_refine.yaml: CIM-10 code -> its refinement rules in table order (the first that matches wins)
    refinements: dict[str, list[tuple[re.Pattern[str], RowRef]]] = field(default_factory=dict)
    # cim10_refine.yaml ``sites``: findings.csv head -> (ICD-O-3 topography prefix, CIM-10 code), longest prefix first
    finding_sites: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # cim10_refine.yaml ``contexts``: findings.csv head -> (pattern, scope, unless pattern, CIM-10 code) in table order
    finding_contexts: dict[str, list[tuple[re.Pattern[str], str, re.Pattern[str] | None, str]]] = field(
        default_factory=dict
    )
    # cim10_refine.yaml ``bare``: findings.csv head -> CIM-10 code of the head written alone
    finding_bare: dict[str, str] = field(default_factory=dict)
    # cim10_refine.yaml ``joins``: CIM-10 category -> the categories whose disease its episodes belong to, in table
    # order (F32 -> F31, F33)
    joins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # cim10_refine.yaml ``dated``: CIM-10 code -> (the code of the disease older than that, the weeks the code covers)
    dated_refinements: dict[str, tuple[str, int]] = field(default_factory=dict)
    # cim10_refine.yaml ``types``: CIM-10 category of a disease's type not stated -> (the categories of its types,
    # the untyped code of the disease without complication): E14 -> ((E10, E11), E14.9)
    cim10_types: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    # haematological.csv: ICD-O-3 morphology of a lymphoma, leukaemia, myeloma -> (CIM-10 code, label)
    haematological: dict[str, tuple[str, str]] = field(default_factory=dict)
    # neoplasm_cim10.csv: (4-digit morphology or "", behaviour, topography prefix, "C" or "") -> (CIM-10 code, label),
    # None where the morphology is coded by its site's row
    neoplasm_cim10: dict[tuple[str, str, str], tuple[str, str] | None] = field(default_factory=dict)
    # tumours.yaml ``distinct_histologies``: the organs (ICD-O-3 topography categories) whose malignant tumours of two
    # specific histologies are two cancers, and the CIM-10 categories of their primary cancers (topography.csv)
    distinct_histology_sites: frozenset[str] = frozenset()
    distinct_histology_cim10: frozenset[str] = frozenset()
    # tumours.yaml ``umbrellas``: 4-digit ICD-O-3 morphology -> the earlier codes of the types it gathers
    umbrellas: dict[str, frozenset[str]] = field(default_factory=dict)
    # tumours.yaml ``local_histologies``: ICD-O-3 morphology prefixes of malignant tumours that almost never metastasise
    local_histologies: tuple[str, ...] = ()

    def ucum_problem(self, code: str) -> str | None:
        return self.ucum.problem(code)
