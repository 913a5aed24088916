"""Load, check and overlay the mapping tables (``mappings/``): every clinical fact fhirconv knows.

``load_mappings()`` reads the built-in tables shipped in the package ``fhirconv.mappings``; ``load_mappings(dir)``
adds a user overlay folder whose files of the same name add rows or replace rows with the same term (the same
code in the generated ``cim10.csv``). Any problem raises :class:`~fhirconv.errors.MappingError` naming
``file:line``. Loaded tables are immutable and cached, so threads and processes can share them.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import MappingError
from ..matcher import TermMatcher
from ..normalise import is_case_sensitive_term, term_keys
from . import schema as S
from .readers import LINE, key_line, read_csv, read_yaml
from .ucum import UcumChecker

__all__ = ["Mappings", "TableInfo", "load_mappings"]

# table file -> (row model, key column). The key column must be unique (after normalisation for terms).
CSV_TABLES: dict[str, tuple[type[BaseModel], str]] = {
    "conditions.csv": (S.ConditionRow, "term"),
    "symptoms.csv": (S.ConditionRow, "term"),
    "morphology.csv": (S.MorphologyRow, "term"),
    "topography.csv": (S.TopographyRow, "term"),
    "medications.csv": (S.MedicationRow, "term"),
    "observations.csv": (S.ObservationRow, "term"),
    "procedures.csv": (S.ProcedureRow, "term"),
    "units.csv": (S.UnitRow, "alias"),
    "routes.csv": (S.RouteRow, "alias"),
    "relatives.csv": (S.RelativeRow, "term"),
    "qualitative.csv": (S.QualitativeRow, "term"),
    "cim10.csv": (S.Cim10Row, "code"),
}
# Columns that must be unique as well as the key (after normalisation): a cim10.csv term names one code.
UNIQUE_COLUMNS = {"cim10.csv": "term"}
# YAML table -> {list key: row model}
YAML_TABLES: dict[str, dict[str, type[BaseModel]]] = {
    "regimens.yaml": {"regimens": S.Regimen},
    "frequencies.yaml": {"rules": S.FrequencyRule},
    "assertions.yaml": {"cues": S.Cue},
    "sections.yaml": {"sections": S.SectionRow},
    "dates.yaml": {"months": S.MonthRow, "patterns": S.DatePattern, "episode": S.EpisodeCue},
    "patient.yaml": {"gender": S.GenderRow, "age": S.AgePattern},
    "staging.yaml": {"rules": S.StagingRule},
}
# Term tables whose rows become mentions of the kind named here.
# Concepts become resources; attributes (sites, relatives, routes, qualitative words, gender) qualify them and
# are matched separately so that a long concept never hides an attribute inside it.
ATTRIBUTE_KINDS = {"topography", "relative", "qualitative", "route", "gender"}
MENTION_TABLES = {
    "conditions.csv": "condition",
    "symptoms.csv": "symptom",
    "morphology.csv": "morphology",
    "topography.csv": "topography",
    "medications.csv": "medication",
    "observations.csv": "observation",
    "procedures.csv": "procedure",
    "relatives.csv": "relative",
    "qualitative.csv": "qualitative",
    "routes.csv": "route",
}


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

    @property
    def where(self) -> str:
        return f"{self.table}:{self.line}"


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
    frequencies: list[tuple[re.Pattern[str], RowRef]]
    cues: list[tuple[re.Pattern[str], RowRef]]
    sections: list[tuple[re.Pattern[str], RowRef]]
    months: dict[str, int]
    date_patterns: list[tuple[re.Pattern[str], RowRef]]
    episode_cues: list[tuple[re.Pattern[str], RowRef]]
    genders: list[RowRef]
    age_patterns: list[tuple[re.Pattern[str], RowRef]]
    staging: list[tuple[re.Pattern[str], RowRef]]
    ucum: UcumChecker
    medication_by_term: dict[tuple[str, ...], RowRef] = field(default_factory=dict)
    cim10_labels: dict[str, str] = field(default_factory=dict)  # code -> French label (cim10.csv)

    def ucum_problem(self, code: str) -> str | None:
        return self.ucum.problem(code)


_cache: dict[str, Mappings] = {}
_lock = threading.Lock()


def load_mappings(overlay: str | Path | None = None) -> Mappings:
    """Load the built-in tables, plus an overlay folder if given. Cached per overlay path."""
    key = str(Path(overlay).resolve()) if overlay else ""
    with _lock:
        if key not in _cache:
            _cache[key] = _load(Path(overlay) if overlay else None)
        return _cache[key]


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
            raise MappingError(str(path), 1, f"unknown table name; overlay files are named like the built-in ones: {', '.join(sorted(known))}")
        try:
            out[path.name] = (str(path), path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise MappingError(str(path), 1, f"not UTF-8: {exc}") from None
    return out


def _row_key(model_key: str, value: str) -> tuple[str, ...]:
    if model_key in ("alias", "code"):
        return (value,)
    folded, exact = term_keys(value)
    return ("=",) + exact if is_case_sensitive_term(value) else folded


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
        if key_col not in table.columns:
            raise MappingError(path, table.header_line, f"missing key column {key_col!r}")
        seen_here: dict[tuple[str, ...], int] = {}
        for line, cells in table.rows:
            row = _validate(model, cells, path, line)
            key = _row_key(key_col, getattr(row, key_col))
            if key in seen_here:
                raise MappingError(path, line, f"duplicate {key_col} {getattr(row, key_col)!r} (first at line {seen_here[key]})")
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
                raise MappingError(path, key_line(text, str(top)), f"unknown key {top!r}; expected {sorted(spec) + ['meta']}")
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
                        what = f"pattern {key[1]}" if key[0] == "pattern:" else repr(" ".join(key))
                        raise MappingError(path, line, f"duplicate {what} in {top!r} (first at line {seen[key]})")
                    seen[key] = line
                out[top].append(RowRef(name, path, line, row))
        meta = data["meta"]
        if info is None:
            info = TableInfo(name, path, 0, str(meta["source"]), str(meta["version"]), str(meta["licence"]))
    assert info is not None
    return out, TableInfo(info.file, info.path, sum(len(v) for v in out.values()), info.source, info.version, info.licence)


def _yaml_keys(row: BaseModel) -> list[tuple[str, ...]]:
    """The keys that must be unique in a YAML list: terms and names (normalised like table terms), patterns."""
    keys: list[tuple[str, ...]] = []
    if isinstance(row, S.MonthRow):  # month names are matched as written (février and fevrier are two spellings)
        return [("month:", row.name.lower())]
    for fname in ("term", "name"):
        value = getattr(row, fname, None)
        if isinstance(value, str) and term_keys(value)[0]:
            keys.append(_row_key("term", value))
    for alias in getattr(row, "aliases", []):
        if term_keys(alias)[0]:
            keys.append(_row_key("term", alias))
    pattern = getattr(row, "pattern", None)
    if isinstance(pattern, str):
        # of two rows with one pattern only the first ever applies (overlapping cues: the first longest wins)
        keys.append(("pattern:", pattern))
    return keys


def _compile(refs: list[RowRef], flags: int = re.IGNORECASE) -> list[tuple[re.Pattern[str], RowRef]]:
    return [(re.compile(r.row.pattern, flags), r) for r in refs]


_RATE = re.compile(r"/\(?[\d.]*(?:s|min|h|d|wk|mo|a)\)?$")


def _alternation(aliases: list[str]) -> re.Pattern[str]:
    # Longest alias first, so "mg/m2" wins over "mg"; a unit ends where a word would go on.
    return re.compile("(?:" + "|".join(map(re.escape, aliases)) + r")(?![A-Za-zÀ-ÿµ0-9²³])", re.IGNORECASE)


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

    matcher, attribute_matcher = TermMatcher(), TermMatcher()
    for name, kind in MENTION_TABLES.items():
        target = attribute_matcher if kind in ATTRIBUTE_KINDS else matcher
        for ref in rows[name]:
            target.add(ref.row.term if hasattr(ref.row, "term") else ref.row.alias, (kind, ref))
    # cim10.csv is generated from the CIM-10 labels (scripts/build_cim10.py): a term of it becomes a condition only
    # where no hand-curated table has the same words, so a curated row keeps its code and is the only payload.
    curated = {term_keys(ref.row.term if hasattr(ref.row, "term") else ref.row.alias)[0]
               for name in MENTION_TABLES for ref in rows[name]}
    for ref in rows["cim10.csv"]:
        if ref.row.term and term_keys(ref.row.term)[0] not in curated:
            matcher.add(ref.row.term, ("condition", ref))
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
    date_patterns = [
        (re.compile(r.row.pattern.replace("{MONTH}", month_alt), re.IGNORECASE), r)
        for r in yaml_rows["dates.yaml"]["patterns"]
    ]
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
        cues=_compile(yaml_rows["assertions.yaml"]["cues"]),
        sections=_compile(yaml_rows["sections.yaml"]["sections"], re.IGNORECASE | re.MULTILINE),
        months=months,
        date_patterns=date_patterns,
        episode_cues=_compile(yaml_rows["dates.yaml"]["episode"]),
        genders=yaml_rows["patient.yaml"]["gender"],
        age_patterns=_compile(yaml_rows["patient.yaml"]["age"]),
        staging=_compile(yaml_rows["staging.yaml"]["rules"], 0),
        ucum=ucum,
        medication_by_term=med_by_term,
        cim10_labels={ref.row.code: ref.row.display for ref in rows["cim10.csv"]},
    )
