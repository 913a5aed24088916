"""Reading the table files (built-in and overlay), validating every row against its model (:mod:`.schema`) and
assembling the :class:`~.model.Mappings` object; a problem raises :class:`~fhirconv.errors.MappingError` naming
``file:line``."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import MappingError
from ..matcher import TermMatcher
from ..normalise import is_case_sensitive_term, term_keys, word_key
from . import schema as S
from .lookups import (
    _RATE,
    _alternation,
    _check_editions,
    _cim10_types,
    _compile,
    _dated_refinements,
    _disease_words,
    _distinct_histology_cim10,
    _episodic,
    _finding_bare,
    _finding_contexts,
    _finding_sites,
    _haematological,
    _joins,
    _lab_patterns,
    _local_histologies,
    _med_context,
    _neoplasm_cim10,
    _phrases,
    _refinements,
    _relative_rules,
    _umbrellas,
    _unspecified_child,
)
from .model import Mappings, RowRef, Rx, TableInfo
from .prefilter import Prefiltered
from .readers import LINE, key_line, read_csv, read_yaml
from .ucum import UcumChecker

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
        "dated": S.DatedRefineRule,
        "types": S.TypesRule,
    },
    "medication_context.yaml": {
        "indication": S.IndicationCue,
        "period": S.PeriodCue,
        "lab": S.LabCue,
        "recode": S.RecodeRule,
        "forms": S.FormRule,
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
        dated_refinements=_dated_refinements(yaml_rows["cim10_refine.yaml"]["dated"], rows),
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
