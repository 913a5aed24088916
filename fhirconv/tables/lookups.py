"""The lookups the loader derives from the validated rows, with the cross-table checks that refuse a row that
could never fire (a code or a term another table lacks): compiled patterns, CIM-10 refinements, tumour codes."""

from __future__ import annotations

import re
from typing import Any, get_args

from ..errors import MappingError
from . import schema as S
from .model import RowRef, Rx
from .prefilter import Prefiltered


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


def _dated_refinements(refs: list[RowRef], rows: dict[str, list[RowRef]]) -> dict[str, tuple[str, int]]:
    """cim10_refine.yaml ``dated``: both codes are in cim10.csv, one rule per code."""
    codes = {ref.row.code for ref in rows["cim10.csv"]}
    out: dict[str, tuple[str, int]] = {}
    for ref in refs:
        for code in (ref.row.code, ref.row.to):
            if code not in codes:
                raise MappingError(ref.path, ref.line, f"cim10 code {code} is not in cim10.csv")
        if ref.row.code in out or ref.row.weeks <= 0:
            raise MappingError(
                ref.path, ref.line, f"one dated rule per code, of a positive number of weeks: {ref.row.code}"
            )
        out[ref.row.code] = (ref.row.to, ref.row.weeks)
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


def _disease_words(refs: list[RowRef]) -> tuple[tuple[str, ...], list[RowRef]]:
    """Every suffix of the word rules (for one C-level ``str.endswith`` per word) and the rules."""
    return tuple(sorted({sfx for r in refs for sfx in r.row.suffixes})), refs


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
