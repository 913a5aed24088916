"""Stage 8 - validation: the fhir.resources models (structure, types, cardinality) plus what they skip:
required value sets of the elements fhirconv writes, references resolving inside the bundle, UCUM on every
Quantity, evidence offsets inside the text."""

from __future__ import annotations

from collections.abc import Callable
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
    ``model_validate`` runs to name the errors, and it has the last word.
    """
    problems = check_bundle(bundle, fhir_version, mappings, text_length)
    model = bundle_model(fhir_version)
    if not shape_check(model, bundle):
        try:
            model.model_validate(bundle)
        except ValidationError as exc:
            problems += [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:20]]
        except Exception as exc:  # fhir_core lets a KeyError out on an unknown resourceType
            problems.append(f"not a valid FHIR {fhir_version} Bundle: {type(exc).__name__} {exc}")
    if problems:
        raise ConversionValidationError(problems)


def check_bundle(
    bundle: dict[str, Any], fhir_version: str, mappings: Mappings, text_length: int | None = None
) -> list[str]:
    allowed = F.ALLOWED[fhir_version]
    problems: list[str] = []
    full_urls = {e.get("fullUrl") for e in bundle.get("entry", [])}
    local_ids = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle.get("entry", [])}
    if bundle.get("type") not in allowed[("Bundle", "type")]:
        problems.append(f"Bundle.type {bundle.get('type')!r} not allowed")
    ids = [e["resource"]["id"] for e in bundle.get("entry", [])]
    if len(ids) != len(set(ids)):
        problems.append("duplicate resource ids in the bundle")
    walk = _walker(problems, full_urls, local_ids, mappings, allowed, text_length)
    for i, entry in enumerate(bundle.get("entry", [])):
        res = entry["resource"]
        rtype = res["resourceType"]
        where = f"entry[{i}] {rtype}/{res['id']}"
        for (t, element), codes in allowed.items():
            if t != rtype or element not in res:
                continue
            value = res[element]
            code = value["coding"][0]["code"] if isinstance(value, dict) and value.get("coding") else value
            if isinstance(code, str) and code not in codes:
                problems.append(f"{where}: {element} {code!r} not in the required value set")
        walk(res, where)
    return problems


def _walker(
    problems: list[str],
    full_urls: set[str],
    local_ids: set[str],
    mappings: Mappings,
    allowed: dict[tuple[str, str], set[str]],
    text_length: int | None,
) -> Callable[[Any, str], None]:
    """The walk over every element of a resource, appending what it finds to ``problems``. A closure over the
    bundle's constants, and lists walked in their parent's loop: a report has ~1,200 elements, and passing eight
    arguments per element (plus a call per list) was most of the walk's cost."""
    comparators = allowed[("Quantity", "comparator")]
    period_units = allowed[("Timing", "periodUnit")]

    def walk_dict(node: dict[str, Any], where: str) -> None:
        ref = node.get("reference")
        if isinstance(ref, str) and ref not in full_urls and ref not in local_ids:
            problems.append(f"{where}: reference {ref!r} does not resolve inside the bundle")
        if node.get("system") == F.UCUM and "value" in node:
            problem = mappings.ucum_problem(node.get("code", ""))
            if problem:
                problems.append(f"{where}: {problem}")
        if "comparator" in node and node["comparator"] not in comparators:
            problems.append(f"{where}: comparator {node['comparator']!r} not allowed")
        if "periodUnit" in node and node["periodUnit"] not in period_units:
            problems.append(f"{where}: periodUnit {node['periodUnit']!r} not allowed")
        if node.get("url") == F.DERIVATION_REFERENCE and text_length is not None:
            sub = {e["url"]: e for e in node.get("extension", [])}
            off = sub.get("offset", {}).get("valueInteger", -1)
            length = sub.get("length", {}).get("valueInteger", -1)
            if not (0 <= off and 0 < length and off + length <= text_length):
                problems.append(f"{where}: evidence offset {off}+{length} outside the text")
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
