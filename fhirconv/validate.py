"""Stage 8 - validation: the fhir.resources models (structure, types, cardinality) plus what they skip:
required value sets of the elements fhirconv writes, references resolving inside the bundle, UCUM on every
Quantity, evidence offsets inside the text."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic import ValidationError

from . import fhirspec as F
from .errors import ConversionValidationError
from .shapecheck import shape_check
from .tables import Mappings
from .versions import bundle_model

__all__ = ["validate_bundle", "check_bundle"]


def validate_bundle(
    bundle: dict[str, Any],
    fhir_version: str,
    mappings: Mappings,
    text_length: int | None = None,
) -> None:
    """Check ``bundle`` against the fhir.resources models and fhirconv's own rules; raise
    :class:`ConversionValidationError` listing every problem.

    The models' verdict comes from ``shapecheck`` (same verdict, a fraction of the cost); when it says no, the full
    ``model_validate`` runs to name the errors, and it has the last word. A valid bundle, the usual case, is decided
    in that one walk (``_passes``); any doubt re-runs the separate checks, which name every problem in bundle order.
    """
    model = bundle_model(fhir_version)
    if _passes(bundle, fhir_version, mappings, text_length, model):
        if fhir_version not in _frozen:
            _freeze_models(fhir_version)
        return
    problems = check_bundle(bundle, fhir_version, mappings, text_length)
    if not shape_check(model, bundle):
        try:
            model.model_validate(bundle)
        except ValidationError as exc:
            problems += [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:20]]
        except Exception as exc:  # fhir_core lets a KeyError out on an unknown resourceType
            problems.append(f"not a valid FHIR {fhir_version} Bundle: {type(exc).__name__} {exc}")
    if problems:
        raise ConversionValidationError(problems)


_frozen: set[str] = set()


def _freeze_models(fhir_version: str) -> None:
    """After the first bundle of a FHIR version passes in this process: move the objects alive now, among them the
    model classes and schemas its validation imported (some 27,000 containers), to the garbage collector's permanent
    generation, as ``load_mappings`` did with the tables (why, and the effect on a host process: ``tables._freeze``;
    ``convert --jobs`` freezes at the same point before it forks). Every full collection of a batch walked them
    again: ~0.2 ms per report."""
    _frozen.add(fhir_version)
    gc.freeze()


class _Doubt(Exception):
    """Raised in the one-walk check at the first sign of a problem: the separate checks then say which."""


def _passes(
    bundle: dict[str, Any], fhir_version: str, mappings: Mappings, text_length: int | None, model: type
) -> bool:
    """True when ``check_bundle`` would find nothing and the models accept the bundle, decided in one walk: the
    rules of ``check_bundle`` ride on the shape check's walk (``_Rules``) instead of a second walk over the ~1,000
    elements of a report (that walk cost a quarter of the validation). False means "maybe not", never "valid"."""
    allowed = F.ALLOWED[fhir_version]
    try:
        entries = bundle.get("entry", [])
        resources = [e["resource"] for e in entries]
        if bundle.get("type") not in allowed[("Bundle", "type")]:
            return False
        ids = [r["id"] for r in resources]
        if len(ids) != len(set(ids)):
            return False
        if any(_unbound(res, fhir_version) for res in resources):
            return False
        targets = {e.get("fullUrl") for e in entries} | {f"{r['resourceType']}/{r['id']}" for r in resources}
        return shape_check(model, bundle, _rules(fhir_version).bind(targets, mappings, text_length).table)
    except Exception:  # _Doubt, or a bundle too malformed for these checks: check_bundle reports it as it always has
        return False


@cache
def _bound_elements(fhir_version: str) -> dict[str, list[tuple[str, set[str]]]]:
    """The required value sets of ``F.ALLOWED`` by resource type (one lookup per resource, not a scan of them all)."""
    out: dict[str, list[tuple[str, set[str]]]] = {}
    for (rtype, element), codes in F.ALLOWED[fhir_version].items():
        out.setdefault(rtype, []).append((element, codes))
    return out


def _unbound(res: dict[str, Any], fhir_version: str) -> list[tuple[str, str]]:
    """(element, code) of each coded element of ``res`` outside its required value set."""
    out = []
    for element, codes in _bound_elements(fhir_version).get(res["resourceType"], ()):
        if element not in res:
            continue
        value = res[element]
        code = value["coding"][0]["code"] if isinstance(value, dict) and value.get("coding") else value
        if isinstance(code, str) and code not in codes:
            out.append((element, code))
    return out


class _Rules:
    """The per-element rules of ``check_bundle`` (``_walker``) for the shape check's walk, each raising ``_Doubt`` on
    the first problem; ``table`` maps a model class to the check its elements need. A class gets only the checks of
    the keys its elements can hold (an element of a valid bundle holds only its model's fields, and an invalid bundle
    is re-checked in full anyway): most elements need none, and calling every check on every element cost as much as
    the walk it replaced. A dict or list the shape check does not walk is a doubt too. One per thread and FHIR
    version, its per-bundle context set by ``bind``. Not itself the dict the walk reads: a dict subclass is no native
    class in the compiled build, and each of its attributes read by a check (~650 calls per report) was a generic
    lookup."""

    def __init__(self, fhir_version: str) -> None:
        allowed = F.ALLOWED[fhir_version]
        self.comparators = allowed[("Quantity", "comparator")]
        self.period_units = allowed[("Timing", "periodUnit")]
        # fhirspec's constants read once: a module attribute is a dictionary lookup per element in the compiled build
        self.ucum_system = F.UCUM
        self.derivation = F.DERIVATION_REFERENCE
        self.targets: set[Any] = set()
        self.ucum_problem: Callable[[str], str | None] = lambda code: None
        self.text_length: int | None = None
        self.table = _RuleTable(self)

    def bind(self, targets: set[Any], mappings: Mappings, text_length: int | None) -> _Rules:
        self.targets, self.ucum_problem, self.text_length = targets, mappings.ucum_problem, text_length
        return self

    def rule_for(self, model: Any) -> Callable[[Any], None] | None:
        names = _field_names(model)
        checks = [check for keys, check in self._checks() if keys <= names]
        return None if not checks else checks[0] if len(checks) == 1 else _all_of(checks)

    def _checks(self) -> list[tuple[set[str], Callable[[Any], None]]]:
        """(the keys an element needs for the check to apply, the check)."""
        return [
            ({"reference"}, self._reference),
            ({"system", "value"}, self._ucum),
            ({"comparator"}, self._comparator),
            ({"periodUnit"}, self._period_unit),
            ({"url"}, self._evidence),
        ]

    def _unwalked(self, value: Any) -> None:
        raise _Doubt

    def _reference(self, node: dict[str, Any]) -> None:
        ref = node.get("reference")
        if ref is not None and isinstance(ref, str) and ref not in self.targets:
            raise _Doubt

    def _ucum(self, node: dict[str, Any]) -> None:
        if "value" in node and node.get("system") == self.ucum_system and self.ucum_problem(node.get("code", "")):
            raise _Doubt

    def _comparator(self, node: dict[str, Any]) -> None:
        if "comparator" in node and node["comparator"] not in self.comparators:
            raise _Doubt

    def _period_unit(self, node: dict[str, Any]) -> None:
        if "periodUnit" in node and node["periodUnit"] not in self.period_units:
            raise _Doubt

    def _evidence(self, node: dict[str, Any]) -> None:
        if node.get("url") == self.derivation and self.text_length is not None:
            if not _offset_ok(node, self.text_length):
                raise _Doubt

    def named(self, node: dict[str, Any]) -> list[str]:
        """The problems of one element, each named: the walk's own rules, so that the check deciding a valid bundle
        and the one naming the problems of an invalid one cannot drift apart (``check_bundle``)."""
        out = []
        checks: tuple[tuple[Callable[[dict[str, Any]], None], Callable[[], str]], ...] = (
            (self._reference, lambda: f"reference {node['reference']!r} does not resolve inside the bundle"),
            (self._ucum, lambda: str(self.ucum_problem(node.get("code", "")))),
            (self._comparator, lambda: f"comparator {node['comparator']!r} not allowed"),
            (self._period_unit, lambda: f"periodUnit {node['periodUnit']!r} not allowed"),
            (self._evidence, lambda: _offset_message(node)),
        )
        for check, message in checks:
            try:
                check(node)
            except _Doubt:
                out.append(message())
        return out


class _RuleTable(dict[Any, Callable[[Any], None] | None]):
    """Model class -> the check of ``rules`` its elements need (``_Rules.rule_for``), filled on first use of a class;
    None -> the check of a dict or list the shape check does not walk."""

    def __init__(self, rules: _Rules) -> None:
        super().__init__()
        self.rules = rules
        self[None] = rules._unwalked

    def __missing__(self, model: Any) -> Callable[[Any], None] | None:
        rule = self[model] = self.rules.rule_for(model)
        return rule


def _offset_message(node: dict[str, Any]) -> str:
    sub = {e["url"]: e for e in node.get("extension", [])}
    off = sub.get("offset", {}).get("valueInteger", -1)
    length = sub.get("length", {}).get("valueInteger", -1)
    return f"evidence offset {off}+{length} outside the text"


def _all_of(checks: list[Callable[[Any], None]]) -> Callable[[Any], None]:
    def rule(node: Any) -> None:
        for check in checks:
            check(node)

    return rule


@cache
def _field_names(model: Any) -> frozenset[str]:
    """The keys an element of ``model`` may hold: its fields' names and aliases."""
    fields = model.model_fields
    return frozenset(fields) | {info.alias for info in fields.values() if info.alias}


_local = threading.local()


def _rules(fhir_version: str) -> _Rules:
    """This thread's rules of ``fhir_version`` (the class -> check table is filled once, not per bundle)."""
    by_version = getattr(_local, "rules", None)
    if by_version is None:
        by_version = _local.rules = {}
    rules = by_version.get(fhir_version)
    if rules is None:
        rules = by_version[fhir_version] = _Rules(fhir_version)
    return rules


def _offset_ok(node: dict[str, Any], text_length: int) -> bool:
    # the last sub-extension of each url counts, as in _offset_message's dict; read in one pass without building
    # that dict: ~100 evidence extensions per report
    off = length = -1
    for item in node.get("extension", []):
        # typed, so that the compiled build reads it with dict operations, not generic item and method calls (a
        # sub-extension that is no dict raises TypeError, as ``item["url"]`` did)
        e: dict[str, Any] = item
        url = e["url"]
        if url == "offset":
            off = e.get("valueInteger", -1)
        elif url == "length":
            length = e.get("valueInteger", -1)
    return bool(0 <= off and 0 < length and off + length <= text_length)


def check_bundle(
    bundle: dict[str, Any], fhir_version: str, mappings: Mappings, text_length: int | None = None
) -> list[str]:
    allowed = F.ALLOWED[fhir_version]
    problems: list[str] = []
    entries = bundle.get("entry", [])
    targets = {e.get("fullUrl") for e in entries} | {
        f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in entries
    }
    if bundle.get("type") not in allowed[("Bundle", "type")]:
        problems.append(f"Bundle.type {bundle.get('type')!r} not allowed")
    ids = [e["resource"]["id"] for e in entries]
    if len(ids) != len(set(ids)):
        problems.append("duplicate resource ids in the bundle")
    walk = _walker(problems, _Rules(fhir_version).bind(targets, mappings, text_length))
    for i, entry in enumerate(entries):
        res = entry["resource"]
        where = f"entry[{i}] {res['resourceType']}/{res['id']}"
        for element, code in _unbound(res, fhir_version):
            problems.append(f"{where}: {element} {code!r} not in the required value set")
        walk(res, where)
    return problems


def _walker(problems: list[str], rules: _Rules) -> Callable[[Any, str], None]:
    """The walk over every element of a resource, appending what the rules find to ``problems``. A closure, and
    lists walked in their parent's loop: a report has ~1,200 elements."""

    def walk_dict(node: dict[str, Any], where: str) -> None:
        problems.extend(f"{where}: {problem}" for problem in rules.named(node))
        for v in node.values():
            if isinstance(v, dict):
                walk_dict(v, where)
            elif isinstance(v, list):
                walk_list(v, where)

    def walk_list(items: list[Any], where: str) -> None:
        for v in items:
            if isinstance(v, dict):
                walk_dict(v, where)
            elif isinstance(v, list):
                walk_list(v, where)

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            walk_dict(node, where)
        elif isinstance(node, list):
            walk_list(node, where)

    return walk
