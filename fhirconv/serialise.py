"""Stage 9 - serialisation: JSON, XML (FHIR XML via fhir.resources/lxml) and NDJSON.

JSON is written from the validated bundle data (the same dict the model validated), so nothing is dumped twice.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["FORMATS", "to_json", "to_xml", "to_ndjson_line", "resources_by_type"]

FORMATS = ("json", "xml", "ndjson")


def to_json(bundle: dict[str, Any], indent: int | None = 2) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=indent) + ("\n" if indent else "")


def to_ndjson_line(bundle: dict[str, Any]) -> str:
    """One bundle on one line (NDJSON of bundles)."""
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
