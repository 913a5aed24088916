"""Tools for the people who maintain the mapping tables: ``check_tables`` (``fhirconv mappings check``) and
``table_stats`` (``fhirconv mappings stats``).

The loader (:mod:`fhirconv.tables`) already refuses what cannot work: schema, code formats and check digits, UCUM,
duplicate terms inside one file. A table set that loads can still be *wrong in combination*; ``check_tables`` finds
those cases (definitions in CONTRIBUTING.md, "What fhirconv mappings check reports"):

- **conflict**: one term (compared on folded words, as the matcher compares them) in two concept tables whose
  mentions are not designed to combine, so one span of text becomes two different facts. ``conditions.csv`` and
  ``morphology.csv`` are the designed exception: a tumour wording gets its CIM-10 code from the first and its
  ICD-O-3 morphology from the second, built into one Condition; so are a disease or sign word of
  ``conditions.csv`` / ``symptoms.csv`` / ``findings.csv`` that ``observations.csv`` also lists because it carries a
  value ("anémie à 7 g/dl").
- **override**: an overlay row reuses the key of a built-in row with different codes: the built-in row is replaced
  (intended when correcting a code, worth seeing when not).
- **shadowed**: a row that can never produce a mention: a built-in row replaced by an overlay row with the same key;
  a generated ``cim10.csv`` term whose words are a curated term (the curated row always wins); a regex row
  (assertion cue, section title, date, frequency, staging, age pattern) whose pattern is the same text as an earlier
  row of its list (the earlier row always wins the same span). A generated term hidden by a curated row with the
  same CIM-10 code loses nothing: it is counted as **redundant**, not as shadowed.
- **unmatchable**: a term that does not match its own wording, because punctuation inside it (a comma, a bracket,
  a dot after a space) breaks a term in the text: the row only matches other wordings, if any.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .normalise import is_case_sensitive_term, normalise, term_keys
from .tables import ATTRIBUTE_KINDS, CSV_TABLES, MENTION_TABLES, Mappings, RowRef, load_mappings

__all__ = ["CheckReport", "Finding", "TableStats", "check_tables", "code_systems_of", "table_stats"]

# Column -> terminology, for statistics and for comparing the codes of two rows.
CODE_COLUMNS: dict[str, str] = {
    "cim10": "CIM-10",
    "cim10_primary": "CIM-10",
    "cim10_secondary": "CIM-10",
    "snomed": "SNOMED CT",
    "atc": "ATC",
    "loinc": "LOINC",
    "t_loinc": "LOINC",
    "n_loinc": "LOINC",
    "m_loinc": "LOINC",
    "ccam": "CCAM",
    "edqm": "EDQM",
    "ucum": "UCUM",
    "unit": "UCUM",
}
# Columns whose terminology depends on the table.
TABLE_CODE_COLUMNS: dict[str, dict[str, str]] = {
    "morphology.csv": {"icdo3": "ICD-O-3 morphology", "icdo3_1": "ICD-O-3.1 morphology"},
    "icdo_editions.csv": {"icdo3_2": "ICD-O-3 morphology", "icdo3_1": "ICD-O-3.1 morphology"},
    "haematological.csv": {"icdo3": "ICD-O-3 morphology"},
    "topography.csv": {"icdo3": "ICD-O-3 topography"},
    "cim10.csv": {"code": "CIM-10"},
    "relatives.csv": {"code": "v3 RoleCode"},
}
# Mention kinds designed to share a term: see the module docstring.
# Kinds built together from one span: a tumour wording (CIM-10 + ICD-O-3 morphology), and a disease or sign word
# that also names the measurement carrying its value ("anémie à 7 g/dl": a Condition and, with a value, the
# haemoglobin Observation), and a patient named by the care his disease needs ("hémodialysé chronique": his
# end-stage renal disease and the dialysis Procedure).
COMPLEMENTARY_KINDS = (
    frozenset({"condition", "morphology"}),
    frozenset({"condition", "procedure"}),
    frozenset({"condition", "observation"}),
    frozenset({"symptom", "observation"}),
    frozenset({"finding", "observation"}),
)
# YAML lists of regex rows, in the order their consumer tries them (the first of equal patterns wins).
PATTERN_LISTS = ("cues", "sections", "date_patterns", "episode_cues", "frequencies", "staging", "age_patterns")


@dataclass(frozen=True)
class Finding:
    """One problem found by ``check_tables``; ``where`` is the ``file:line`` of the row to look at."""

    category: str  # conflict | override | shadowed | unmatchable | redundant (informative only)
    where: str
    message: str
    overlay: bool = False  # the row comes from the overlay folder


@dataclass
class CheckReport:
    tables: dict[str, tuple[int, str]]  # table -> (rows, where it was read from)
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(f.category for f in self.findings)


@dataclass(frozen=True)
class TableStats:
    table: str
    rows: int
    overlay_rows: int
    codes: dict[str, int]  # terminology -> distinct codes
    source: str
    version: str
    licence: str
    path: str


def code_systems_of(table: str, row: Any) -> dict[str, str]:
    """The codes of one row as {column: code}, for the columns that hold codes."""
    columns = dict(CODE_COLUMNS) | TABLE_CODE_COLUMNS.get(table, {})
    if table == "qualitative.csv":
        columns["code"] = "SNOMED CT" if row.kind == "value" else "v3 ObservationInterpretation"
    out = {}
    for col in columns:
        value = getattr(row, col, None) if col in type(row).model_fields else None
        if value:
            out[col] = str(value)
    return out


def _term_of(row: Any) -> str:
    return str(row.term if hasattr(row, "term") else row.alias)


def _key(term: str) -> tuple[str, ...]:
    folded, exact = term_keys(term)
    return ("=", *exact) if is_case_sensitive_term(term) else folded


def _is_overlay(ref: RowRef, overlay: Path | None) -> bool:
    return overlay is not None and Path(ref.path).parent.resolve() == overlay.resolve()


def check_tables(overlay: str | Path | None = None) -> CheckReport:
    """Load the built-in tables (and ``overlay``) and report conflicts, overrides, shadowed and unmatchable rows.

    Raises :class:`~fhirconv.errors.MappingError` (``file:line``) when the tables do not load at all.

    >>> report = check_tables()                        # doctest: +SKIP
    >>> report.counts()                                # doctest: +SKIP
    Counter({'shadowed': 412})
    """
    folder = Path(overlay) if overlay else None
    maps = load_mappings(folder)
    report = CheckReport({name: (info.rows, info.path) for name, info in maps.info.items()})
    out = report.findings
    out.extend(_conflicts(maps, folder))
    if folder is not None:
        out.extend(_overrides(load_mappings(None), maps, folder))
    out.extend(_cim10_precedence(maps))
    out.extend(_duplicate_patterns(maps, folder))
    out.extend(_unmatchable(maps, folder))
    return report


def _concept_terms(maps: Mappings) -> list[tuple[str, str, RowRef]]:
    """(kind, term, row) of every row that becomes a concept mention; regimens with each alias."""
    out: list[tuple[str, str, RowRef]] = []
    for name, kind in MENTION_TABLES.items():
        if kind not in ATTRIBUTE_KINDS:
            out.extend((kind, _term_of(ref.row), ref) for ref in maps.rows[name])
    for ref in maps.regimens:
        out.extend(("regimen", alias, ref) for alias in [ref.row.name, *ref.row.aliases])
    return out


def _conflicts(maps: Mappings, overlay: Path | None) -> list[Finding]:
    by_key: dict[tuple[str, ...], list[tuple[str, str, RowRef]]] = {}
    for kind, term, ref in _concept_terms(maps):
        by_key.setdefault(_key(term), []).append((kind, term, ref))
    out = []
    for entries in by_key.values():
        kinds = {k for k, _, _ in entries}
        if len(kinds) < 2 or kinds in COMPLEMENTARY_KINDS:
            continue
        first_kind, term, first = entries[0]
        for kind, _, ref in entries[1:]:
            if kind == first_kind:
                continue
            out.append(
                Finding(
                    "conflict",
                    ref.where,
                    f"term {term!r} is in {first.table} ({first.where}, {_codes_text(first)}) and in {ref.table} "
                    f"({_codes_text(ref)}): one span becomes a {first_kind} and a {kind}",
                    _is_overlay(ref, overlay) or _is_overlay(first, overlay),
                )
            )
    return out


def _codes_text(ref: RowRef) -> str:
    codes = code_systems_of(ref.table, ref.row)
    return ", ".join(f"{c}={v}" for c, v in codes.items()) or "no code"


def _row_keys(ref: RowRef) -> tuple[str, ...]:
    column = CSV_TABLES[ref.table][1] if ref.table in CSV_TABLES else "term"
    if column == "term" and hasattr(ref.row, "term"):
        return _key(ref.row.term)
    if "+" in column:  # a rule keyed by several columns (neoplasm_cim10.csv)
        return tuple(str(getattr(ref.row, c) or "") for c in column.split("+"))
    return (str(getattr(ref.row, column, None) or ref.row.alias),)  # a code-keyed table: its key column


def _overrides(builtin: Mappings, merged: Mappings, overlay: Path) -> list[Finding]:
    """Built-in rows whose key an overlay row reuses: replaced (shadowed), and an override when codes differ."""
    out = []
    for name, refs in merged.rows.items():
        base = {_row_keys(r): r for r in builtin.rows[name]}
        for ref in refs:
            old = base.get(_row_keys(ref)) if _is_overlay(ref, overlay) else None
            if old is None:
                continue
            where = ref.where
            out.append(Finding("shadowed", old.where, f"replaced by the overlay row {where}", True))
            if code_systems_of(name, old.row) != code_systems_of(name, ref.row):
                out.append(
                    Finding(
                        "override",
                        where,
                        f"{_term_of_any(ref)!r}: overlay codes {_codes_text(ref)} "
                        f"replace built-in {_codes_text(old)} ({old.where})",
                        True,
                    )
                )
    return out


def _term_of_any(ref: RowRef) -> str:
    row = ref.row
    return str(
        getattr(row, "term", None)
        or getattr(row, "alias", None)
        or getattr(row, "code", None)
        or getattr(row, "icdo3_2", None)
        or getattr(row, "icdo3", "")
    )


def _cim10_precedence(maps: Mappings) -> list[Finding]:
    """Generated cim10.csv terms that a curated row hides (by design; listed so an overlay author sees why)."""
    curated: dict[tuple[str, ...], RowRef] = {}
    for name in MENTION_TABLES:
        for ref in maps.rows[name]:
            curated.setdefault(term_keys(_term_of(ref.row))[0], ref)
    out = []
    for ref in maps.rows["cim10.csv"]:
        if ref.row.term and (hit := curated.get(term_keys(ref.row.term)[0])) is not None:
            # same code: the generated term only repeats the curated row (nothing lost), counted apart
            same = ref.row.code in code_systems_of(hit.table, hit.row).values()
            out.append(
                Finding(
                    "redundant" if same else "shadowed",
                    ref.where,
                    f"term {ref.row.term!r} ({ref.row.code}) never matches: curated row {hit.where} "
                    f"({_codes_text(hit)}) has the same words",
                )
            )
    return out


def _duplicate_patterns(maps: Mappings, overlay: Path | None) -> list[Finding]:
    out = []
    for attr in PATTERN_LISTS:
        seen: dict[tuple[str, str], RowRef] = {}
        for _, ref in getattr(maps, attr):
            pattern = ref.row.pattern
            # a cue may repeat a pattern with another direction: both fire (qualifiers.find_cues keeps both)
            key = (pattern, str(getattr(ref.row, "direction", "")))
            if key in seen:
                first = seen[key]
                out.append(
                    Finding(
                        "shadowed",
                        ref.where,
                        f"pattern /{pattern}/ repeats {first.where}, which always wins the same span",
                        _is_overlay(ref, overlay),
                    )
                )
            else:
                seen[key] = ref
    return out


def _unmatchable(maps: Mappings, overlay: Path | None) -> list[Finding]:
    """Terms the matcher cannot find in their own wording (punctuation between words breaks a term)."""
    out = []
    for name, kind in MENTION_TABLES.items():
        matcher = maps.attribute_matcher if kind in ATTRIBUTE_KINDS else maps.matcher
        for ref in maps.rows[name]:
            term = _term_of(ref.row)
            doc = normalise(term)
            if not doc.tokens:
                continue
            full = any(
                m.start == doc.tokens[0].start and m.end == doc.tokens[-1].end and any(p[1] is ref for p in m.payloads)
                for m in matcher.find(doc)
            )
            if not full:
                where = ref.where
                out.append(
                    Finding(
                        "unmatchable",
                        where,
                        f"term {term!r} does not match its own wording (punctuation "
                        "between its words ends a term in the text); write it without",
                        _is_overlay(ref, overlay),
                    )
                )
    return out


def _yaml_refs(maps: Mappings, name: str) -> list[RowRef]:
    """Rows of a YAML table that can hold codes (the others have none to count)."""
    if name == "regimens.yaml":
        return list(maps.regimens)
    if name == "staging.yaml":
        return [ref for _, ref in maps.staging]
    return []


def table_stats(mappings: Mappings | None = None, overlay: str | Path | None = None) -> list[TableStats]:
    """Rows, distinct codes per terminology, overlay rows and the source / version / licence header of each table.

    >>> [s.table for s in table_stats()][:2]           # doctest: +SKIP
    ['assertions.yaml', 'cim10.csv']
    """
    folder = Path(overlay) if overlay else None
    maps = mappings or load_mappings(folder)
    out = []
    for name, info in sorted(maps.info.items()):
        refs = maps.rows.get(name) or _yaml_refs(maps, name)
        codes: dict[str, set[str]] = {}
        for ref in refs:
            for col, code in code_systems_of(name, ref.row).items():
                system = (CODE_COLUMNS | TABLE_CODE_COLUMNS.get(name, {})).get(col, col)
                if name == "qualitative.csv":
                    system = "SNOMED CT" if ref.row.kind == "value" else "v3 ObservationInterpretation"
                codes.setdefault(system, set()).add(code)
        overlay_rows = sum(1 for r in refs if _is_overlay(r, folder)) if refs else 0
        out.append(
            TableStats(
                name,
                info.rows,
                overlay_rows,
                {s: len(c) for s, c in sorted(codes.items())},
                info.source,
                info.version,
                info.licence,
                info.path,
            )
        )
    return out
