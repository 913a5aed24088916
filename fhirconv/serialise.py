"""Stage 9 - serialisation: JSON, XML (FHIR XML via fhir.resources/lxml) and NDJSON.

JSON is written from the validated bundle data (the same dict the model validated), so nothing is dumped twice.
It is encoded with orjson (a maintained C/Rust encoder, about 20x faster than the standard library here, where the
stdlib encoder cost as much per report as all the text analysis). orjson writes what ``json.dumps(...,
ensure_ascii=False)`` writes (UTF-8 as is, the same escapes, the same indentation), byte for byte, except numbers
below 1e-4, which it writes without an exponent (``0.00005``, not ``5e-05``; the same JSON number). An integer
beyond 64 bits, which orjson refuses, falls back to the standard library.
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
from typing import Any

import orjson
from pydantic.types import Base64Encoder

from .shapecheck import _element_type, resource_class

__all__ = ["FORMATS", "resources_by_type", "to_json", "to_ndjson_line", "to_xml"]

FORMATS = ("json", "xml", "ndjson")


def to_json(bundle: dict[str, Any], indent: int | None = 2) -> str:
    """The bundle as FHIR JSON text, indented by 2 (``indent=None``: one line without a final newline)."""
    if indent == 2:
        try:
            # the final newline written by orjson: "+ '\n'" copied the whole text again (12 MB for a long report)
            return orjson.dumps(bundle, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode("utf-8")
        except orjson.JSONEncodeError:
            pass
    return json.dumps(bundle, ensure_ascii=False, indent=indent) + ("\n" if indent else "")


def to_ndjson_line(bundle: dict[str, Any]) -> str:
    """One bundle on one line (NDJSON of bundles)."""
    try:
        return orjson.dumps(bundle, option=orjson.OPT_APPEND_NEWLINE).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")) + "\n"


def to_xml(bundle: Any, fhir_version: str = "R4") -> str:
    """FHIR XML of a validated bundle: a fhir.resources model, or the JSON-ready dict of a validated bundle (then
    ``fhir_version`` says which models give the element order and types). The bytes of fhir.resources'
    ``model_dump_xml``, much faster; from the dict, without building the model at all."""
    if isinstance(bundle, dict):
        try:
            return _fast_xml_data(bundle, fhir_version)
        except _Unsupported:
            from .versions import bundle_model

            bundle = bundle_model(fhir_version).model_validate(bundle)
    try:
        return _fast_xml(bundle)
    except _Unsupported:
        xml = bundle.model_dump_xml()
        return xml if isinstance(xml, str) else xml.decode("utf-8")


def resources_by_type(bundle: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Resources grouped by type, for bulk-data style NDJSON (one file per resource type)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for e in bundle.get("entry", []):
        out.setdefault(e["resource"]["resourceType"], []).append(e["resource"])
    return out


# --- FHIR XML -------------------------------------------------------------------------------------------------------
# fhir.resources' own XML writer (``model_dump_xml``) resolves the FHIR type of every field of every element again
# (an import per lookup): half a second for one bundle. This writer walks the same validated model with the same
# rules (spec element order, ``value`` attributes, Extension ``url``/``id`` as attributes, contained resources
# wrapped in their type) but resolves each class's fields once, and writes the same bytes (tests/test_serialise_speed
# compares the two). What fhirconv never writes (primitive extensions, narratives, comments, binary values) is left
# to fhir.resources' writer, which is used whenever the model holds one.


class _Unsupported(Exception):
    """The model holds something this writer leaves to fhir.resources."""


_TEXT_TYPES = {"string", "code", "id", "markdown", "oid", "canonical", "uri", "date", "dateTime", "time", "instant"}
_NUMBER_TYPES = {"decimal", "integer", "integer64", "unsignedInt", "positiveInt"}
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # lxml refuses them: let it say so
_plans: dict[Any, list[tuple[str, str, bool, bool]]] = {}


def _plan(klass: Any) -> list[tuple[str, str, bool, bool]]:
    """(alias, field key, primitive?, has an extension sibling) per element, in spec order."""
    plan = _plans.get(klass)
    if plan is None:
        from fhir_core.utils import is_primitive_type

        aliases = klass.get_alias_mapping()
        plan = []
        for alias in klass.elements_sequence():
            key = aliases[alias]
            info = klass.model_fields[key]
            primitive = is_primitive_type(info)
            plan.append((info.alias, key, primitive, primitive and f"{key}__ext" in klass.model_fields))
        _plans[klass] = plan
    return plan


_type_names: dict[tuple[Any, str], str] = {}


def _type_name(klass: Any, key: str) -> str:
    """The FHIR type name of a field of ``klass``, found when a value of it is written: fhir_core names a type by
    importing its model, and a report fills few of a model's fields (naming them all in the plan imported some 25
    modules and built some 27 models on the first XML bundle of a process, ~0.1 s)."""
    name = _type_names.get((klass, key))
    if name is None:
        from fhir_core.utils import determine_version_prefix_from_class, get_fhir_type_name

        prefix = determine_version_prefix_from_class(klass)
        name = _type_names[(klass, key)] = get_fhir_type_name(klass.model_fields[key], prefix=prefix)
    return name


def _primitive(type_name: str, value: Any) -> str:
    if type_name == "boolean":
        return "true" if value is True else "false"
    if type_name in _NUMBER_TYPES:
        return str(float(value) if isinstance(value, decimal.Decimal) else value)
    if type_name == "base64Binary":
        # the model holds the decoded bytes; fhir.resources encodes them back with pydantic's encoder
        return Base64Encoder.encode(value).decode("ascii") if isinstance(value, bytes) else str(value)
    if type_name == "uuid":
        value = str(value)
        return value if value.startswith("urn:uuid:") else f"urn:uuid:{value}"
    if type_name in _TEXT_TYPES or type_name == "url":
        if isinstance(value, (datetime.date, datetime.time)):
            return value.isoformat()
        if isinstance(value, str) or type_name == "url":
            return str(value)
    raise _Unsupported(type_name)


def _element(out: list[str], tag: str, node: Any, type_name: str, klass: Any = None) -> None:
    """Write one element: ``node`` is a model (``klass`` None) or the JSON-ready dict of one (``klass`` its model
    class). Both walk the same plan and write the same bytes."""
    data = klass is not None
    if type_name == "Resource":
        rtype = _resource_type(node) if data else node.get_resource_type()
        out.append(f"<{tag}>")
        _element(out, rtype, node, rtype, resource_class(klass, rtype) if data else None)
        out.append(f"</{tag}>")
        return
    values = node if data else node.__dict__
    if values.get("fhir_comments") is not None or type_name == "FHIRPrimitiveExtension":
        raise _Unsupported("comments")
    attrs: list[str] = []
    body: list[str] = []
    cls = klass if data else type(node)
    for alias, key, primitive, has_ext in _plan(cls):
        value = values.get(alias if data else key)
        if has_ext and values.get(f"_{alias}" if data else f"{key}__ext") is not None:
            raise _Unsupported("primitive extension")
        if value is None:
            continue
        tname = _type_name(cls, key)
        if type_name == "Extension" and alias in ("url", "id") and value:
            attrs.append(f' {alias}="{_attr(str(value))}"')
            continue
        if tname in ("xhtml", "FHIRPrimitiveExtension"):
            raise _Unsupported(tname)
        for item in value if isinstance(value, list) else (value,):
            if item is None:
                continue
            if primitive:
                text = _primitive_data(tname, item) if data else _primitive(tname, item)
                body.append(f'<{alias} value="{_attr(text)}"/>' if text else f"<{alias}/>")
            elif not data:
                _element(body, alias, item, tname)
            elif isinstance(item, dict):
                _element(body, alias, item, tname, _child_class(klass, key))
            else:
                raise _Unsupported(f"{alias}: not an element")
    head = f"<{tag}{''.join(attrs)}"
    out.append(f"{head}>{''.join(body)}</{tag}>" if body else f"{head}/>")


def _attr(text: str) -> str:
    if _NOT_XML.search(text):
        raise _Unsupported("character not allowed in XML")
    return text.translate(_ESCAPES)


def _fast_xml(model: Any) -> str:
    tag = model.get_resource_type()
    out: list[str] = []
    _element(out, tag, model, tag)
    return _document(out, tag)


def _document(out: list[str], tag: str) -> str:
    root = out[0] if len(out) == 1 else "".join(out)
    # the namespace goes on the root only, as lxml writes it
    root = root.replace(f"<{tag}", f'<{tag} xmlns="http://hl7.org/fhir"', 1)
    return "<?xml version='1.0' encoding='utf-8'?>\n" + root


# --- the same writer over the JSON-ready dict of a validated bundle ------------------------------------------------
# The JSON output is written from the dict; the XML output was written from the model, which only the full (slow)
# model validation builds. Walking the dict with the same plans gives the same bytes (tests/test_serialise_speed.py
# compares them with fhir.resources' own writer): the values are those the model would hold, written the same way
# (a decimal through float, as the model's Decimal is). Where the model would hold a parsed value whose text could
# differ from the JSON string (a dateTime with a time), the writer leaves it to the model path.
_children: dict[tuple[Any, str], Any] = {}


def _child_class(klass: Any, key: str) -> Any:
    found = _children.get((klass, key))
    if found is None:
        getter, _ = _element_type(klass.model_fields[key].annotation)
        if getter is None:
            raise _Unsupported(f"{klass.__name__}.{key}")
        found = _children[(klass, key)] = getter()
    return found


def _primitive_data(type_name: str, value: Any) -> str:
    if isinstance(value, bool):
        if type_name != "boolean":
            raise _Unsupported(type_name)
        return "true" if value else "false"
    if type_name == "decimal" and isinstance(value, (int, float)):
        return str(float(value))  # the model holds Decimal(str(value)), written through float
    if type_name in _NUMBER_TYPES and isinstance(value, int):
        return str(value)
    if isinstance(value, str) and (type_name in _TEXT_TYPES or type_name in ("url", "base64Binary")):
        if type_name in ("dateTime", "instant", "time") and ("T" in value or ":" in value):
            raise _Unsupported(type_name)  # the model holds a datetime: its isoformat may differ from the text
        return value
    raise _Unsupported(type_name)


def _resource_type(data: dict[str, Any]) -> str:
    rtype = data.get("resourceType")
    if not isinstance(rtype, str):
        raise _Unsupported("resource without resourceType")
    return rtype


def _fast_xml_data(data: dict[str, Any], fhir_version: str) -> str:
    from .versions import bundle_model

    if data.get("resourceType") != "Bundle":
        raise _Unsupported("not a Bundle")
    out: list[str] = []
    _element(out, "Bundle", data, "Bundle", bundle_model(fhir_version))
    return _document(out, "Bundle")
