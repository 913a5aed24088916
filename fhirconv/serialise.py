"""Stage 9 - serialisation: JSON, XML (FHIR XML via fhir.resources/lxml) and NDJSON.

JSON is written from the validated bundle data (the same dict the model validated), so nothing is dumped twice.
It is encoded with orjson (a maintained C/Rust encoder, about 20x faster than the standard library here, where the
stdlib encoder cost as much per report as all the text analysis). orjson writes what ``json.dumps(...,
ensure_ascii=False)`` writes (UTF-8 as is, the same escapes, the same indentation), byte for byte, except numbers
below 1e-4, which it writes without an exponent (``0.00005``, not ``5e-05``; the same JSON number). An integer
beyond 64 bits, which orjson refuses, falls back to the standard library.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["FORMATS", "resources_by_type", "to_json", "to_ndjson_line", "to_xml"]

FORMATS = ("json", "xml", "ndjson")


def to_json(bundle: dict[str, Any], indent: int | None = 2) -> str:
    """The bundle as FHIR JSON text, indented by 2 (``indent=None``: one line without a final newline)."""
    if indent == 2:
        try:
            return orjson.dumps(bundle, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
        except orjson.JSONEncodeError:
            pass
    return json.dumps(bundle, ensure_ascii=False, indent=indent) + ("\n" if indent else "")


def to_ndjson_line(bundle: dict[str, Any]) -> str:
    """One bundle on one line (NDJSON of bundles)."""
    try:
        return orjson.dumps(bundle, option=orjson.OPT_APPEND_NEWLINE).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(bundle, ensure_ascii=False, separators=(",", ":")) + "\n"


def to_xml(model: Any) -> str:
    """FHIR XML of a validated Bundle model."""
    xml = model.model_dump_xml()
    return xml if isinstance(xml, str) else xml.decode("utf-8")


def resources_by_type(bundle: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Resources grouped by type, for bulk-data style NDJSON (one file per resource type)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for e in bundle.get("entry", []):
        out.setdefault(e["resource"]["resourceType"], []).append(e["resource"])
    return out
