"""Load, check and overlay the mapping tables (``mappings/``): every clinical fact fhirconv knows.

``load_mappings()`` reads the built-in tables shipped in the package ``fhirconv.mappings``; ``load_mappings(dir)``
adds a user overlay folder whose files of the same name add rows or replace rows with the same term (the same
code in the generated ``cim10.csv``). Any problem raises :class:`~fhirconv.errors.MappingError` naming
``file:line``. Loaded tables are immutable and cached, so threads and processes can share them.
"""

from __future__ import annotations

import gc
import re
import threading
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from ..errors import FhirconvError, MappingError
from ..matcher import TermMatcher
from ..normalise import is_case_sensitive_term, term_keys, word_key
from . import schema as S
from .cache import cached
from .prefilter import Prefiltered
from .readers import LINE, key_line, read_csv, read_yaml
from .ucum import UcumChecker

__all__ = ["Mappings", "Rx", "TableInfo", "load_mappings", "with_icdo_edition", "ICDO_EDITIONS"]

# table file -> (row model, key column). The key column must be unique (after normalisation for terms).
CSV_TABLES: dict[str, tuple[type[BaseModel], str]] = {
    "conditions.csv": (S.ConditionRow, "term"),
    "symptoms.csv": (S.ConditionRow, "term"),
    "findings.csv": (S.FindingRow, "term"),
    "morphology.csv": (S.MorphologyRow, "term"),
    "topography.csv": (S.TopographyRow, "term"),
    "lymph_nodes.csv": (S.LymphNodeRow, "term"),
    "medications.csv": (S.MedicationRow, "term"),
    "observations.csv": (S.ObservationRow, "term"),
    "procedures.csv": (S.ProcedureRow, "term"),
    "units.csv": (S.UnitRow, "alias"),
    "routes.csv": (S.RouteRow, "alias"),
    "relatives.csv": (S.RelativeRow, "term"),
    "qualitative.csv": (S.QualitativeRow, "term"),
    "cim10.csv": (S.Cim10Row, "code"),
    "icdo_editions.csv": (S.IcdoEditionRow, "icdo3_2"),
    "haematological.csv": (S.HaematologicalRow, "icdo3"),
    # a row is a rule: its key is the three columns together ("+")
    "neoplasm_cim10.csv": (S.NeoplasmRow, "morphology+behaviour+topography"),
}
# Columns that must be unique as well as the key (after normalisation): a cim10.csv term names one code.
UNIQUE_COLUMNS = {"cim10.csv": "term"}
# YAML table -> {list key: row model}
YAML_TABLES: dict[str, dict[str, type[BaseModel]]] = {
    "regimens.yaml": {"regimens": S.Regimen},
    "frequencies.yaml": {"rules": S.FrequencyRule},
    "assertions.yaml": {"cues": S.Cue, "episodic": S.CourseRow},
    "sections.yaml": {"sections": S.SectionRow},
    "dates.yaml": {
        "months": S.MonthRow,
        "patterns": S.DatePattern,
        "episode": S.EpisodeCue,
        "undated": S.UndatedCue,
        "stay_end": S.StayEndCue,
        "episode_acts": S.EpisodeActCue,
        "later_acts": S.LaterActCue,
        "event_end": S.EventEndCue,
        "range_end": S.RangeEndCue,
        "pathology": S.PathologyCue,
        "follow_up": S.FollowUpCue,
        "specimen_acts": S.SpecimenActCue,
        "at_admission": S.AdmissionCue,
        "numbers": S.NumberWord,
        "units": S.TimeUnitWord,
        "relative": S.RelativeRule,
        "anchors": S.AnchorRule,
        "periods": S.PeriodRule,
    },
    "patient.yaml": {"gender": S.GenderRow, "age": S.AgePattern},
    "staging.yaml": {"rules": S.StagingRule, "grades": S.GradeRule},
    "disease_words.yaml": {"rules": S.DiseaseWordRule, "typos": S.TypoRule},
    "phrases.yaml": {"patterns": S.PhrasePattern},
    "cim10_refine.yaml": {
        "rules": S.RefineRule,
        "sites": S.FindingSiteRule,
        "contexts": S.FindingContextRule,
        "bare": S.BareFindingRule,
        "joins": S.JoinRule,
        "types": S.TypesRule,
    },
    "medication_context.yaml": {
        "indication": S.IndicationCue,
        "period": S.PeriodCue,
        "lab": S.LabCue,
        "recode": S.RecodeRule,
    },
    "procedures.yaml": {
        "laterality": S.LateralityRow,
        "reason": S.ReasonCue,
        "radiotherapy": S.RadiotherapyPattern,
        "department": S.DepartmentCue,
        "generic_surgery": S.GenericTerm,
        "outcome": S.OutcomeCue,
        "guidance": S.DepartmentCue,
        "aftermath": S.DepartmentCue,
        "coordination": S.CoordinationCue,
    },
    "lab_values.yaml": {"words": S.LabWords},
    "tumours.yaml": {
        "distinct_histologies": S.DistinctHistologiesRow,
        "umbrellas": S.UmbrellaRow,
        "local_histologies": S.LocalHistologyRow,
    },
}
# Term tables whose rows become mentions of the kind named here.
# Concepts become resources; attributes (sites, relatives, routes, qualitative words, gender) qualify them and
# are matched separately so that a long concept never hides an attribute inside it.
ATTRIBUTE_KINDS = {"topography", "lymph_node", "relative", "qualitative", "route", "gender"}
MENTION_TABLES = {
    "conditions.csv": "condition",
    "symptoms.csv": "symptom",
    "findings.csv": "finding",
    "morphology.csv": "morphology",
    "topography.csv": "topography",
    "lymph_nodes.csv": "lymph_node",
    "medications.csv": "medication",
    "observations.csv": "observation",
    "procedures.csv": "procedure",
    "relatives.csv": "relative",
    "qualitative.csv": "qualitative",
    "routes.csv": "route",
}


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


_cache: dict[str, Mappings] = {}
_edition_cache: dict[tuple[str, str], Mappings] = {}
_lock = threading.Lock()


ICDO_EDITIONS = ("3.2", "3.1")


def load_mappings(overlay: str | Path | None = None, *, icdo_edition: str = "3.2") -> Mappings:
    """Load the built-in tables, plus an overlay folder if given. Cached per overlay path and edition.

    ``icdo_edition`` is the ICD-O-3 edition of the morphology codes in the bundles: ``"3.2"`` (the current one,
    default) or ``"3.1"`` (see :func:`with_icdo_edition`)."""
    key = str(Path(overlay).resolve()) if overlay else ""
    with _lock:
        if key not in _cache:
            _cache[key] = cached(Path(overlay) if overlay else None, _load)  # disk cache: see tables/cache.py
            _freeze()
        if (key, icdo_edition) not in _edition_cache:  # callers may compare Mappings by identity: one per edition
            _edition_cache[key, icdo_edition] = with_icdo_edition(_cache[key], icdo_edition)
        return _edition_cache[key, icdo_edition]


def _freeze() -> None:
    """Move the objects alive now, the tables just loaded among them, to the garbage collector's permanent generation.

    Why: the tables are some 150,000 immutable container objects, and every full collection of the cyclic GC walked
    them all again (about 0.1 s each). A long report creates enough objects to trigger several, so a report 100 times
    longer cost 124 times the time (issue 8: at most 120); frozen, 112 times, as in the ``fhirconv`` command.
    Why it is safe in a host process: frozen objects are still freed by reference counting as usual; what changes is
    only that a reference cycle among the objects alive at this moment (the host's included) that becomes garbage
    later is not collected until ``gc.unfreeze()``. That is a bounded, one-time set (what existed at the first load),
    and ``gc.freeze()`` is the documented way to exempt long-lived start-up objects from collection. Python offers no
    way to freeze only some objects, and fewer tracked containers in the tables (shared pydantic field sets, a slotted
    matcher trie: 148,000 -> 104,000 objects) measured 119x: not a reliable margin."""
    gc.freeze()


def with_icdo_edition(maps: Mappings, edition: str) -> Mappings:
    """The same tables writing morphology codes of ICD-O-3 ``edition``: "3.2" (the tables' codes) or "3.1", where
    the words whose code or behaviour ICD-O-3.2 changed keep their ICD-O-3.1 code (morphology.csv ``icdo3_1``,
    each change sourced in icdo_editions.csv): for registries still holding ICD-O-3.1 data."""
    if edition not in ICDO_EDITIONS:
        raise FhirconvError(f"unknown ICD-O-3 edition {edition!r}; expected one of {', '.join(ICDO_EDITIONS)}")
    return maps if maps.icdo_edition == edition else replace(maps, icdo_edition=edition)


def _builtin_files() -> dict[str, tuple[str, str]]:
    base = resources.files("fhirconv.mappings")
    out = {}
    for name in list(CSV_TABLES) + list(YAML_TABLES) + ["ucum.yaml"]:
        res = base.joinpath(name)
        if not res.is_file():
            raise MappingError(f"fhirconv/mappings/{name}", 1, "built-in table missing from the installation")
        out[name] = (f"mappings/{name}", res.read_text(encoding="utf-8"))
    return out


def _overlay_files(folder: Path) -> dict[str, tuple[str, str]]:
    if not folder.is_dir():
        raise MappingError(str(folder), 1, "overlay folder does not exist")
    known = set(CSV_TABLES) | set(YAML_TABLES)
    out = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.name not in known:
            raise MappingError(
                str(path),
                1,
                f"unknown table name; overlay files are named like the built-in ones: {', '.join(sorted(known))}",
            )
        try:
            out[path.name] = (str(path), path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise MappingError(str(path), 1, f"not UTF-8: {exc}") from None
    return out


def _row_key(model_key: str, value: str) -> tuple[str, ...]:
    if model_key in ("alias", "code", "icdo3_2"):
        return (value,)
    folded, exact = term_keys(value)
    return ("=",) + exact if is_case_sensitive_term(value) else folded


def _composite_key(row: BaseModel, key_col: str) -> tuple[str, ...]:
    return tuple(str(getattr(row, col) or "") for col in key_col.split("+"))


def _validate(model: type[BaseModel], data: dict[str, Any], path: str, line: int) -> BaseModel:
    clean = {k: (None if v == "" else v) for k, v in data.items() if k != LINE}
    try:
        return model.model_validate(clean)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "row"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown key {loc!r}"
        raise MappingError(path, line, f"{loc}: {msg}") from None


def _load_csv(name: str, sources: list[tuple[str, str]]) -> tuple[list[RowRef], TableInfo]:
    model, key_col = CSV_TABLES[name]
    allowed = set(model.model_fields)
    by_key: dict[tuple[str, ...], RowRef] = {}
    info = None
    source_order = {path: i for i, (path, _) in enumerate(sources)}
    for path, text in sources:
        table = read_csv(path, text)
        unknown = [c for c in table.columns if c not in allowed]
        if unknown:
            raise MappingError(path, table.header_line, f"unknown column(s) {unknown}; allowed: {sorted(allowed)}")
        if any(col not in table.columns for col in key_col.split("+")):
            raise MappingError(path, table.header_line, f"missing key column {key_col!r}")
        seen_here: dict[tuple[str, ...], int] = {}
        for line, cells in table.rows:
            row = _validate(model, cells, path, line)
            key = _composite_key(row, key_col) if "+" in key_col else _row_key(key_col, getattr(row, key_col))
            if key in seen_here:
                value = ",".join(key) if "+" in key_col else getattr(row, key_col)
                raise MappingError(path, line, f"duplicate {key_col} {value!r} (first at line {seen_here[key]})")
            seen_here[key] = line
            by_key[key] = RowRef(name, path, line, row)  # an overlay row replaces the built-in one
        if info is None:
            info = TableInfo(name, path, 0, table.meta["source"], table.meta["version"], table.meta["licence"])
    assert info is not None
    rows = list(by_key.values())
    if name in UNIQUE_COLUMNS:
        _check_unique(rows, UNIQUE_COLUMNS[name], source_order)
    return rows, TableInfo(info.file, info.path, len(rows), info.source, info.version, info.licence)


def _check_unique(rows: list[RowRef], column: str, source_order: dict[str, int]) -> None:
    # Built-in rows first, so that a clash between the built-in table and an overlay is reported at the overlay line.
    first: dict[tuple[str, ...], RowRef] = {}
    for ref in sorted(rows, key=lambda r: (source_order.get(r.path, 0), r.line)):
        value = getattr(ref.row, column)
        if not value:
            continue
        key = _row_key(column, value)
        if key in first:
            other = first[key]
            raise MappingError(ref.path, ref.line, f"duplicate {column} {value!r} (first at {other.path}:{other.line})")
        first[key] = ref


def _episodic(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> frozenset[str]:
    """assertions.yaml ``episodic`` as "system:code" keys; a CIM-10 code must be in cim10.csv, a finding a head of
    findings.csv (a typo would silently never match)."""
    known = {
        "cim10": {ref.row.code for ref in rows["cim10.csv"]},
        "finding": {ref.row.term for ref in rows["findings.csv"]},
    }
    for ref in refs:
        if ref.row.system in known and ref.row.code not in known[ref.row.system]:
            where = "cim10.csv" if ref.row.system == "cim10" else "findings.csv"
            raise MappingError(ref.path, ref.line, f"episodic {ref.row.system} {ref.row.code!r} is not in {where}")
    return frozenset(f"{ref.row.system}:{ref.row.code}" for ref in refs)


def _refinements(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> dict[str, list[tuple[re.Pattern[str], RowRef]]]:
    """cim10_refine.yaml by code; both codes of a rule must be in cim10.csv (a typo would never fire)."""
    codes = {ref.row.code for ref in rows["cim10.csv"]}
    out: dict[str, list[tuple[re.Pattern[str], RowRef]]] = {}
    for ref in refs:
        for code in (ref.row.code, ref.row.to):
            if code not in codes:
                raise MappingError(ref.path, ref.line, f"cim10 code {code} is not in cim10.csv")
        out.setdefault(ref.row.code, []).append((re.compile(ref.row.pattern, re.IGNORECASE), ref))
    return out


def _unspecified_child(ref: RowRef, by_code: dict[str, Any]) -> RowRef:
    """The row a generated cim10.csv term codes: a category that CIM-10 subdivides is coded with 4 characters (ATIH),
    so its words ("embolie pulmonaire" I26, "sinusite chronique" J32) take its ``.9`` child ("sans précision":
    I26.9, J32.9), the same line of the table for explain. A category without a ``.9`` child keeps its code (its
    "autres et sans précision" child may be another concept: K35.8, A01.4)."""
    child = by_code.get(ref.row.code + ".9") if len(ref.row.code) == 3 else None
    if child is None:
        return ref
    return RowRef(ref.table, ref.path, ref.line, S.Cim10Row(code=child.code, display=child.display, term=ref.row.term))


def _finding_sites(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> dict[str, list[tuple[str, str]]]:
    """cim10_refine.yaml ``sites`` by finding head: the head must be a findings.csv term, the code in cim10.csv."""
    codes = {ref.row.code for ref in rows["cim10.csv"]}
    heads = {ref.row.term for ref in rows["findings.csv"]}
    out: dict[str, list[tuple[str, str]]] = {}
    for ref in refs:
        if ref.row.finding not in heads:
            raise MappingError(ref.path, ref.line, f"finding {ref.row.finding!r} is not a term of findings.csv")
        if ref.row.cim10 not in codes:
            raise MappingError(ref.path, ref.line, f"cim10 code {ref.row.cim10} is not in cim10.csv")
        out.setdefault(ref.row.finding, []).append((ref.row.icdo3, ref.row.cim10))
    return {k: sorted(v, key=lambda p: -len(p[0])) for k, v in out.items()}


def _finding_contexts(
    refs: list[RowRef], rows: dict[str, list[RowRef]]
) -> dict[str, list[tuple[re.Pattern[str], str, re.Pattern[str] | None, str]]]:
    """cim10_refine.yaml ``contexts`` by finding head, compiled; the head must be a findings.csv term, the code in
    cim10.csv."""
    codes = {ref.row.code for ref in rows["cim10.csv"]}
    heads = {ref.row.term for ref in rows["findings.csv"]}
    out: dict[str, list[tuple[re.Pattern[str], str, re.Pattern[str] | None, str]]] = {}
    for ref in refs:
        r = ref.row
        if r.finding not in heads:
            raise MappingError(ref.path, ref.line, f"finding {r.finding!r} is not a term of findings.csv")
        if r.cim10 not in codes:
            raise MappingError(ref.path, ref.line, f"cim10 code {r.cim10} is not in cim10.csv")
        unless = re.compile(r.unless, re.IGNORECASE) if r.unless else None
        out.setdefault(r.finding, []).append((re.compile(r.pattern, re.IGNORECASE), r.scope, unless, r.cim10))
    return out


def _finding_bare(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> dict[str, str]:
    """cim10_refine.yaml ``bare``: the head is a findings.csv term that always names a disease (not a word that may
    name the report's cancer again, a mere mass, or a course statement), the code is in cim10.csv."""
    codes = {ref.row.code for ref in rows["cim10.csv"]}
    courses = {ref.row.term: ref.row.course for ref in rows["findings.csv"]}
    out: dict[str, str] = {}
    for ref in refs:
        if ref.row.finding not in courses:
            raise MappingError(ref.path, ref.line, f"finding {ref.row.finding!r} is not a term of findings.csv")
        if courses[ref.row.finding] in ("anaphor", "evidence", "remission", "response"):
            raise MappingError(ref.path, ref.line, f"{ref.row.finding!r} alone may name no disease of its own")
        if ref.row.cim10 not in codes:
            raise MappingError(ref.path, ref.line, f"cim10 code {ref.row.cim10} is not in cim10.csv")
        out[ref.row.finding] = ref.row.cim10
    return out


def _joins(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> dict[str, tuple[str, ...]]:
    """cim10_refine.yaml ``joins``: both categories are 3-character codes of cim10.csv."""
    codes = {ref.row.code for ref in rows["cim10.csv"]}
    out: dict[str, tuple[str, ...]] = {}
    for ref in refs:
        for code in (ref.row.code, ref.row.host):
            if len(code) != 3 or code not in codes:
                raise MappingError(ref.path, ref.line, f"{code} is not a CIM-10 category of cim10.csv")
        out[ref.row.code] = (*out.get(ref.row.code, ()), ref.row.host)
    return out


def _cim10_types(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> dict[str, tuple[tuple[str, ...], str]]:
    """cim10_refine.yaml ``types``: the categories are 3-character codes of cim10.csv, ``bare`` a code of the untyped
    one, and every subdivision of the untyped category exists in each typed one (they share their subdivisions: a
    missing one would leave that complication untyped)."""
    codes = {ref.row.code for ref in rows["cim10.csv"]}
    out: dict[str, tuple[tuple[str, ...], str]] = {}
    for ref in refs:
        untyped, typed = ref.row.untyped, ref.row.typed
        for code in (untyped, *typed):
            if len(code) != 3 or code not in codes:
                raise MappingError(ref.path, ref.line, f"{code} is not a CIM-10 category of cim10.csv")
        if not ref.row.bare.startswith(untyped + ".") or ref.row.bare not in codes:
            raise MappingError(ref.path, ref.line, f"bare: {ref.row.bare} is not a cim10.csv code of {untyped}")
        for code in sorted(c for c in codes if c.startswith(untyped + ".")):
            for category in typed:
                if category + code[3:] not in codes:
                    raise MappingError(ref.path, ref.line, f"{category} has no {category + code[3:]} for {code}")
        out[untyped] = (typed, ref.row.bare)
    return out


def _check_cim10_codes(rows: dict[str, list[RowRef]]) -> None:
    """Every CIM-10 code of a curated table (columns cim10, cim10_primary, cim10_secondary) is a code of cim10.csv."""
    codes = {ref.row.code for ref in rows["cim10.csv"]}
    for name, (model, _) in CSV_TABLES.items():
        columns = [c for c in model.model_fields if c == "cim10" or c.startswith("cim10_")]
        for ref in rows[name] if columns else ():
            for column in columns:
                code = getattr(ref.row, column)
                # a "+" code is an ATIH extension form, not listed in cim10.csv (WHO-level codes only)
                if code and "+" not in code and code not in codes:
                    raise MappingError(ref.path, ref.line, f"cim10 code {code} is not in cim10.csv")


def _check_editions(rows: dict[str, list[RowRef]]) -> dict[str, str]:
    """A morphology row's ICD-O-3.1 code must be the change icdo_editions.csv lists for its ICD-O-3.2 code, so that
    every edition difference has its source. Returns ICD-O-3.1 code -> display."""
    changes = {ref.row.icdo3_2: ref.row for ref in rows["icdo_editions.csv"]}
    for ref in rows["morphology.csv"]:
        old = ref.row.icdo3_1
        if old and (old == ref.row.icdo3 or ref.row.icdo3 not in changes or changes[ref.row.icdo3].icdo3_1 != old):
            raise MappingError(
                ref.path, ref.line, f"icdo3_1 {old}: not a change icdo_editions.csv lists for {ref.row.icdo3}"
            )
    return {row.icdo3_1: row.display_3_1 for row in changes.values()}


def _load_yaml(name: str, sources: list[tuple[str, str]]) -> tuple[dict[str, list[RowRef]], TableInfo]:
    spec = YAML_TABLES.get(name, {})
    out: dict[str, list[RowRef]] = {k: [] for k in spec}
    info = None
    for path, text in sources:
        data = read_yaml(path, text)
        for top, value in data.items():
            if top in ("meta", LINE):
                continue
            if top not in spec:
                raise MappingError(
                    path, key_line(text, str(top)), f"unknown key {top!r}; expected {sorted(spec) + ['meta']}"
                )
            if not isinstance(value, list):
                raise MappingError(path, key_line(text, top), f"{top!r} must be a list")
            seen: dict[tuple[str, ...], int] = {}
            for item in value:
                line = item.get(LINE, 1) if isinstance(item, dict) else key_line(text, top)
                if not isinstance(item, dict):
                    raise MappingError(path, line, f"each entry of {top!r} must be a mapping, not {item!r}")
                row = _validate(spec[top], item, path, line)
                for key in _yaml_keys(row):  # a term, name or pattern appears once per list of a file
                    if key in seen:
                        what = f"pattern {key[1]}" if key[0] == "pattern:" else repr(key[1])
                        raise MappingError(path, line, f"duplicate {what} in {top!r} (first at line {seen[key]})")
                    seen[key] = line
                out[top].append(RowRef(name, path, line, row))
        meta = data["meta"]
        if info is None:
            info = TableInfo(name, path, 0, str(meta["source"]), str(meta["version"]), str(meta["licence"]))
    assert info is not None
    return out, TableInfo(
        info.file, info.path, sum(len(v) for v in out.values()), info.source, info.version, info.licence
    )


def _disease_words(refs: list[RowRef]) -> tuple[tuple[str, ...], list[RowRef]]:
    """Every suffix of the word rules (for one C-level ``str.endswith`` per word) and the rules."""
    return tuple(sorted({sfx for r in refs for sfx in r.row.suffixes})), refs


def _yaml_keys(row: BaseModel) -> list[tuple[str, ...]]:
    """The keys that must be unique in a YAML list: terms, names and aliases (as written, ignoring case: some
    YAML lists are matched word for word, "bilatéral" and "bilatérale" are two rows), and patterns."""
    keys: list[tuple[str, ...]] = []
    for fname in ("term", "name"):
        value = getattr(row, fname, None)
        if isinstance(value, str):
            keys.append(("term:", value.strip().lower()))
    for alias in getattr(row, "aliases", []):
        if isinstance(alias, str):
            keys.append(("term:", alias.strip().lower()))
    pattern = getattr(row, "pattern", None)
    if isinstance(pattern, str):
        # one cue may have two rows with different directions (a stop verb looks back and forward: both apply);
        # one refinement pattern may refine several codes ("aiguë": J32.0 -> J01.0, J32.3 -> J01.3)
        keys.append(("pattern:", pattern, str(getattr(row, "direction", "")), str(getattr(row, "code", ""))))
    return keys


def _phrases(refs: list[RowRef]) -> dict[str, re.Pattern[str]]:
    """phrases.yaml compiled by name, ``{ADJ}`` / ``{PREP}`` filled with the adjective / preposition fragments."""
    by_name = {ref.row.name: ref for ref in refs}  # an overlay row replaces the built-in one of its name
    missing = sorted(set(get_args(S.PhraseName)) - set(by_name))
    if missing:
        path = refs[0].path if refs else "mappings/phrases.yaml"
        raise MappingError(path, 1, f"missing pattern(s) {missing}")
    fill = {"{ADJ}": by_name["adjective"].row.pattern, "{PREP}": by_name["preposition"].row.pattern}
    out = {}
    for name, ref in by_name.items():
        pattern = ref.row.pattern
        for key, value in fill.items():
            pattern = pattern.replace(key, value)
        try:
            out[name] = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise MappingError(ref.path, ref.line, f"{name}: regex does not compile: {exc}") from None
    return out


def _compile(refs: list[RowRef], flags: int = re.IGNORECASE) -> list[tuple[Rx, RowRef]]:
    # Prefiltered: a report without the pattern's literal words is not scanned (prefilter.py)
    return [(Prefiltered(re.compile(r.row.pattern, flags)), r) for r in refs]


_RATE = re.compile(r"/\(?[\d.]*(?:s|min|h|d|wk|mo|a)\)?$")


def _alternation(aliases: list[str]) -> re.Pattern[str]:
    # Longest alias first, so "mg/m2" wins over "mg"; a unit ends where a word would go on.
    return re.compile("(?:" + "|".join(map(re.escape, aliases)) + r")(?![A-Za-zÀ-ÿµ0-9²³])", re.IGNORECASE)


def _relative_rules(
    dates: dict[str, list[RowRef]], month_alt: str
) -> tuple[list[tuple[Rx, RowRef]], dict[str, int], dict[str, str]]:
    """Relative date patterns name {N} (a number), {ORD} (an ordinal), {UNIT} (a time unit) and {MONTH}, filled
    from the lists of the same table, and {NOT_APPROX} (not after an approximation word, a decimal or "et")."""
    numbers = {r.row.word.lower(): r.row.value for r in dates["numbers"]}
    cardinals = [r.row.word.lower() for r in dates["numbers"] if not r.row.ordinal]
    ordinals = [r.row.word.lower() for r in dates["numbers"] if r.row.ordinal]
    units = {r.row.word.lower(): r.row.unit for r in dates["units"]}

    def alt(words: list[str]) -> str:
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

    fill = {
        "{N}": rf"(?:\d{{1,3}}|{alt(cardinals)})",
        "{ORD}": rf"(?:\d{{1,3}}\s?(?:er|re|ère|e|è|ème|eme)|{alt(ordinals)})",
        "{UNIT}": rf"(?:{alt(list(units))})",
        "{MONTH}": month_alt,
        "{NOT_APPROX}": r"(?<![\w-])(?<!\d[,.])(?<!\bet\s)(?<!presque\s)(?<!environ\s)(?<!près\sde\s)(?<!plus\sde\s)"
        r"(?<!moins\sde\s)(?<!moins\s)",
    }
    rules: list[tuple[Rx, RowRef]] = []
    for r in dates["relative"]:
        pattern = r.row.pattern
        for key, value in fill.items():
            pattern = pattern.replace(key, value)
        try:
            rules.append((Prefiltered(re.compile(pattern, re.IGNORECASE)), r))
        except re.error as exc:
            raise MappingError(r.path, r.line, f"regex does not compile once filled: {exc}") from None
    return rules, numbers, units


def _load(overlay: Path | None) -> Mappings:
    builtin = _builtin_files()
    extra = _overlay_files(overlay) if overlay else {}

    def sources(name: str) -> list[tuple[str, str]]:
        return [builtin[name]] + ([extra[name]] if name in extra else [])

    rows: dict[str, list[RowRef]] = {}
    info: dict[str, TableInfo] = {}
    for name in CSV_TABLES:
        rows[name], info[name] = _load_csv(name, sources(name))
    yaml_rows: dict[str, dict[str, list[RowRef]]] = {}
    for name in YAML_TABLES:
        yaml_rows[name], info[name] = _load_yaml(name, sources(name))

    ucum_data = read_yaml(*builtin["ucum.yaml"])
    atoms = ucum_data.get("atoms", [])
    ucum = UcumChecker(
        frozenset(ucum_data.get("prefixes", [])),
        frozenset(a["code"] for a in atoms if a.get("metric")),
        frozenset(a["code"] for a in atoms if not a.get("metric")),
    )
    for ref in rows["units.csv"]:
        problem = ucum.problem(ref.row.ucum)
        if problem:
            raise MappingError(ref.path, ref.line, f"ucum: {problem}")
    for ref in rows["observations.csv"]:
        if ref.row.unit and (problem := ucum.problem(ref.row.unit)):
            raise MappingError(ref.path, ref.line, f"unit: {problem}")
    _check_cim10_codes(rows)
    icdo3_1_display = _check_editions(rows)
    qualitative_by_term = {ref.row.term: ref for ref in rows["qualitative.csv"]}
    for ref in rows["observations.csv"]:
        if ref.row.implies and ref.row.implies not in qualitative_by_term:
            raise MappingError(ref.path, ref.line, f"implies: {ref.row.implies!r} is not a term of qualitative.csv")
    topography_by_term = {term_keys(ref.row.term)[0]: ref for ref in rows["topography.csv"]}
    procedure_by_term = {term_keys(ref.row.term)[0]: ref for ref in rows["procedures.csv"]}
    generic_surgery = frozenset(term_keys(r.row.term)[0] for r in yaml_rows["procedures.yaml"]["generic_surgery"])
    for ref in rows["procedures.csv"]:
        if ref.row.site and term_keys(ref.row.site)[0] not in topography_by_term:
            raise MappingError(ref.path, ref.line, f"site: {ref.row.site!r} is not a term of topography.csv")

    for ref in yaml_rows["disease_words.yaml"]["typos"][1:]:
        raise MappingError(ref.path, ref.line, "one typos rule at most (the concept matcher has one vocabulary)")
    matcher, attribute_matcher = TermMatcher(), TermMatcher()
    for name, kind in MENTION_TABLES.items():
        target = attribute_matcher if kind in ATTRIBUTE_KINDS else matcher
        for ref in rows[name]:
            term = ref.row.term if hasattr(ref.row, "term") else ref.row.alias
            if not term_keys(term)[0]:  # "++": nothing the matcher could ever find
                raise MappingError(ref.path, ref.line, f"term {term!r} has no word (letters or digits)")
            target.add(term, (kind, ref))
    # cim10.csv is generated from the CIM-10 labels (scripts/build_cim10.py): a term of it becomes a condition only
    # where no hand-curated table has the same words, so a curated row keeps its code and is the only payload.
    curated = {
        term_keys(ref.row.term if hasattr(ref.row, "term") else ref.row.alias)[0]
        for name in MENTION_TABLES
        for ref in rows[name]
    }
    by_code = {ref.row.code: ref.row for ref in rows["cim10.csv"]}
    for ref in rows["cim10.csv"]:
        if ref.row.term and term_keys(ref.row.term)[0] not in curated:
            matcher.add(ref.row.term, ("condition", _unspecified_child(ref, by_code)))
    med_by_term = {term_keys(r.row.term)[0]: r for r in rows["medications.csv"]}
    regimens = yaml_rows["regimens.yaml"]["regimens"]
    for ref in regimens:
        for comp in ref.row.components:
            if term_keys(comp)[0] not in med_by_term:
                raise MappingError(ref.path, ref.line, f"component {comp!r} is not a term of medications.csv")
        for alias in [ref.row.name, *ref.row.aliases]:
            matcher.add(alias, ("regimen", ref))
    for ref in yaml_rows["patient.yaml"]["gender"]:
        attribute_matcher.add(ref.row.term, ("gender", ref))
    for ref in yaml_rows["disease_words.yaml"]["typos"][:1]:  # last: every term's words are known by now
        words = (r.row.term for r in rows[ref.row.table])
        matcher.tolerate_typos(words, tuple(word_key(s) for s in ref.row.suffixes), ref.row.min_length)
    units = {}
    for ref in rows["units.csv"]:
        units[ref.row.alias] = ref
        units.setdefault(ref.row.alias.lower(), ref)
    aliases = sorted({a for a in units}, key=len, reverse=True)
    unit_regex = _alternation(aliases)
    dose_unit_regex = _alternation([a for a in aliases if not _RATE.search(units[a].row.ucum)])

    months: dict[str, int] = {}
    for ref in yaml_rows["dates.yaml"]["months"]:
        months[ref.row.name.lower()] = ref.row.number
    # Date patterns name the month alternation {MONTH}, filled from the months list of the same table.
    month_alt = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    # a first-letter lookahead lets the regex engine skip most positions before trying the month alternation
    initials = sorted({c for m in months for c in (m[0], m[0].upper())})
    month_alt = f"(?=[{''.join(initials)}])(?:{month_alt})"
    date_patterns: list[tuple[Rx, RowRef]] = [
        (Prefiltered(re.compile(r.row.pattern.replace("{MONTH}", month_alt), re.IGNORECASE)), r)
        for r in yaml_rows["dates.yaml"]["patterns"]
    ]
    relative_rules, numbers, time_units = _relative_rules(yaml_rows["dates.yaml"], month_alt)
    lab = _lab_patterns(yaml_rows["lab_values.yaml"]["words"])
    phrases = _phrases(yaml_rows["phrases.yaml"]["patterns"])
    return Mappings(
        rows=rows,
        info=info,
        matcher=matcher,
        attribute_matcher=attribute_matcher,
        unit_regex=unit_regex,
        dose_unit_regex=dose_unit_regex,
        units=units,
        regimens=regimens,
        frequencies=_compile(yaml_rows["frequencies.yaml"]["rules"]),
        # recovery statements end earlier episodes (fhirconv.build.conditions); they qualify no mention, so they
        # stay out of the cue pass, where the longer match would hide a termination cue ("s'est")
        cues=_compile([r for r in yaml_rows["assertions.yaml"]["cues"] if r.row.kind != "recovery"]),
        recovery=_compile([r for r in yaml_rows["assertions.yaml"]["cues"] if r.row.kind == "recovery"]),
        sections=_compile(yaml_rows["sections.yaml"]["sections"], re.IGNORECASE | re.MULTILINE),
        months=months,
        date_patterns=date_patterns,
        episode_cues=_compile(yaml_rows["dates.yaml"]["episode"]),
        undated_cues=_compile(yaml_rows["dates.yaml"]["undated"]),
        stay_end_cues=_compile(yaml_rows["dates.yaml"]["stay_end"]),
        episode_act_cues=_compile(yaml_rows["dates.yaml"]["episode_acts"]),
        later_act_cues=_compile(yaml_rows["dates.yaml"]["later_acts"]),
        event_end_cues=_compile(yaml_rows["dates.yaml"]["event_end"]),
        range_end_cues=_compile(yaml_rows["dates.yaml"]["range_end"]),
        pathology_cues=_compile(yaml_rows["dates.yaml"]["pathology"]),
        follow_up_cues=_compile(yaml_rows["dates.yaml"]["follow_up"]),
        specimen_act_cues=_compile(yaml_rows["dates.yaml"]["specimen_acts"]),
        admission_cues=_compile(yaml_rows["dates.yaml"]["at_admission"]),
        phrases=phrases,
        phrase_scans={name: Prefiltered(pattern) for name, pattern in phrases.items()},
        relative_rules=relative_rules,
        anchor_rules=_compile(yaml_rows["dates.yaml"]["anchors"]),
        numbers=numbers,
        time_units=time_units,
        period_rules=[
            (re.compile(r.row.opening, re.IGNORECASE), re.compile(r.row.joining, re.IGNORECASE))
            for r in yaml_rows["dates.yaml"]["periods"]
        ],
        laterality={r.row.term.lower(): r for r in yaml_rows["procedures.yaml"]["laterality"]},
        reason_cues=_compile(yaml_rows["procedures.yaml"]["reason"]),
        radiotherapy=_compile(yaml_rows["procedures.yaml"]["radiotherapy"]),
        department_cues=_compile(yaml_rows["procedures.yaml"]["department"]),
        outcome_cues=_compile(yaml_rows["procedures.yaml"]["outcome"]),
        guidance_cues=_compile(yaml_rows["procedures.yaml"]["guidance"]),
        aftermath_cues=_compile(yaml_rows["procedures.yaml"]["aftermath"]),
        coordination_cues=_compile(yaml_rows["procedures.yaml"]["coordination"]),
        generic_surgery=generic_surgery,
        genders=yaml_rows["patient.yaml"]["gender"],
        age_patterns=_compile(yaml_rows["patient.yaml"]["age"]),
        staging=_compile(yaml_rows["staging.yaml"]["rules"], 0),
        grades=_compile(yaml_rows["staging.yaml"]["grades"], 0),
        disease_words=_disease_words(yaml_rows["disease_words.yaml"]["rules"]),
        ucum=ucum,
        medication_by_term=med_by_term,
        cim10_labels={ref.row.code: ref.row.display for ref in rows["cim10.csv"]},
        med_context=_med_context(yaml_rows["medication_context.yaml"]),
        qualitative_by_term=qualitative_by_term,
        topography_by_term=topography_by_term,
        procedure_by_term=procedure_by_term,
        generic_surgery_codes=frozenset(
            r.row.snomed for k, r in procedure_by_term.items() if r.row.snomed and k in generic_surgery
        ),
        lab=lab,
        episodic=_episodic(yaml_rows["assertions.yaml"]["episodic"], rows),
        refinements=_refinements(yaml_rows["cim10_refine.yaml"]["rules"], rows),
        finding_sites=_finding_sites(yaml_rows["cim10_refine.yaml"]["sites"], rows),
        finding_contexts=_finding_contexts(yaml_rows["cim10_refine.yaml"]["contexts"], rows),
        finding_bare=_finding_bare(yaml_rows["cim10_refine.yaml"]["bare"], rows),
        joins=_joins(yaml_rows["cim10_refine.yaml"]["joins"], rows),
        cim10_types=_cim10_types(yaml_rows["cim10_refine.yaml"]["types"], rows),
        icdo3_1_display=icdo3_1_display,
        haematological=_haematological(rows),
        neoplasm_cim10=_neoplasm_cim10(rows),
        distinct_histology_sites=frozenset(r.row.topography for r in yaml_rows["tumours.yaml"]["distinct_histologies"]),
        distinct_histology_cim10=_distinct_histology_cim10(yaml_rows["tumours.yaml"]["distinct_histologies"], rows),
        umbrellas=_umbrellas(yaml_rows["tumours.yaml"]["umbrellas"], rows),
        local_histologies=_local_histologies(yaml_rows["tumours.yaml"]["local_histologies"], rows),
        morphology_by_key={
            term_keys(r.row.term)[0]: r for r in rows["morphology.csv"] if not is_case_sensitive_term(r.row.term)
        },
    )


def _distinct_histology_cim10(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> frozenset[str]:
    """tumours.yaml ``distinct_histologies``: the CIM-10 categories of the primary cancers of those organs, from
    their topography.csv rows; an organ no topography.csv row names is an error (a typo would never fire)."""
    out: set[str] = set()
    for ref in refs:
        organ = [r.row for r in rows["topography.csv"] if r.row.icdo3[:3] == ref.row.topography]
        if not organ:
            raise MappingError(ref.path, ref.line, f"topography {ref.row.topography}: no row of topography.csv")
        out.update(row.cim10_primary[:3] for row in organ if row.cim10_primary)
    return frozenset(out)


def _umbrellas(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> dict[str, frozenset[str]]:
    """tumours.yaml ``umbrellas``: an umbrella must be the histology of a morphology.csv row (else it never fires);
    rows of one umbrella add up. Its types may be codes no row names yet (the refining words may come from an
    overlay)."""
    known = {ref.row.icdo3[:4] for ref in rows["morphology.csv"]}
    out: dict[str, frozenset[str]] = {}
    for ref in refs:
        if ref.row.morphology not in known:
            raise MappingError(ref.path, ref.line, f"morphology {ref.row.morphology}: no row of morphology.csv")
        out[ref.row.morphology] = out.get(ref.row.morphology, frozenset()) | frozenset(ref.row.types)
    return out


def _local_histologies(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> tuple[str, ...]:
    """tumours.yaml ``local_histologies``: a prefix must begin the code of a malignant morphology.csv row (else it
    never fires)."""
    malignant = [ref.row.icdo3 for ref in rows["morphology.csv"] if ref.row.icdo3.endswith("/3")]
    for ref in refs:
        if not any(code.startswith(ref.row.morphology) for code in malignant):
            raise MappingError(
                ref.path, ref.line, f"morphology {ref.row.morphology}: no malignant row of morphology.csv"
            )
    return tuple(ref.row.morphology for ref in refs)


def _haematological(rows: dict[str, list[RowRef]]) -> dict[str, tuple[str, str]]:
    """haematological.csv by ICD-O-3 code; a display must be the cim10.csv label of its code (the code was checked
    to exist with the other CIM-10 columns)."""
    labels = {ref.row.code: ref.row.display for ref in rows["cim10.csv"]}
    out = {}
    for ref in rows["haematological.csv"]:
        if labels.get(ref.row.cim10) != ref.row.display:
            raise MappingError(ref.path, ref.line, f"display: not the cim10.csv label of {ref.row.cim10}")
        out[ref.row.icdo3] = (ref.row.cim10, ref.row.display)
    return out


def _neoplasm_cim10(rows: dict[str, list[RowRef]]) -> dict[tuple[str, str, str], tuple[str, str] | None]:
    """neoplasm_cim10.csv with its morphology ranges spread to every code, so that a tumour's code is a few dict
    lookups; a display must be the cim10.csv label of its code (the code was checked to exist), and two rows may not
    give one morphology, behaviour and site (a range overlapping a code of another row)."""
    labels = {ref.row.code: ref.row.display for ref in rows["cim10.csv"]}
    out: dict[tuple[str, str, str], tuple[str, str] | None] = {}
    first: dict[tuple[str, str, str], RowRef] = {}
    for ref in rows["neoplasm_cim10.csv"]:
        row = ref.row
        if row.cim10 and labels.get(row.cim10) != row.display:
            raise MappingError(ref.path, ref.line, f"display: not the cim10.csv label of {row.cim10}")
        low, _, high = (row.morphology or "").partition("-")
        morphs = [f"{n:04d}" for n in range(int(low), int(high or low) + 1)] if low else [""]
        for morph in morphs:
            key = (morph, row.behaviour, row.topography or "")
            if key in first and first[key].path == ref.path:
                other = first[key]
                raise MappingError(
                    ref.path, ref.line, f"{morph}/{row.behaviour} {key[2]} is given at line {other.line}"
                )
            first[key] = ref  # an overlay row replaces the built-in rule of its morphology, behaviour and site
            out[key] = (row.cim10, row.display) if row.cim10 else None
    return out


def _med_context(rows: dict[str, list[RowRef]]) -> dict[str, list[tuple[Rx, RowRef]]]:
    """Patterns of medication_context.yaml by side (indication), kind (period) or list name (lab, recode)."""
    out: dict[str, list[tuple[Rx, RowRef]]] = {}
    for name, refs in rows.items():
        for ref in refs:
            key = getattr(ref.row, "side", None) or getattr(ref.row, "kind", None) or name
            out.setdefault(key, []).append((re.compile(ref.row.pattern, re.IGNORECASE), ref))
    return out


def _lab_patterns(refs: list[RowRef]) -> Any:
    """The lab value patterns, assembled once from the named fragments of lab_values.yaml (an overlay row with
    the same name replaces the built-in one)."""
    from ..labvalues import compile_lab_patterns  # labvalues reads Mappings: imported here, not at module load

    by_name = {ref.row.name: ref for ref in refs}
    try:
        return compile_lab_patterns({name: ref.row.pattern for name, ref in by_name.items()})
    except KeyError as exc:
        path = refs[0].path if refs else "mappings/lab_values.yaml"
        raise MappingError(path, 1, f"missing fragment(s) {exc.args[0]}") from None
    except re.error as exc:
        ref = refs[-1]
        raise MappingError(ref.path, ref.line, f"assembled value pattern does not compile: {exc}") from None
