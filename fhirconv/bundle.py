"""Stage 7 - bundle: one Bundle per report, ``collection`` (fullUrl ``urn:uuid:<id>``) or ``transaction`` (each
entry ``request: PUT <Type>/<id>`` so that re-sending is idempotent; CONVENTIONS.md "Versions and bundles")."""

from __future__ import annotations

from typing import Any

from .build.common import uuid5
from .versions import to_version

__all__ = ["BUNDLE_TYPES", "assemble"]

BUNDLE_TYPES = ("collection", "transaction")


def assemble(
    resources: list[dict[str, Any]], report_key: str, bundle_type: str = "collection", fhir_version: str = "R4"
) -> dict[str, Any]:
    if bundle_type not in BUNDLE_TYPES:
        raise ValueError(f"bundle type must be one of {BUNDLE_TYPES}")
    entries = []
    for r in resources:
        if fhir_version != "R4":  # fhirconv builds R4: nothing to change, and no call per resource
            r = to_version(r, fhir_version)
        entry: dict[str, Any] = {"fullUrl": f"urn:uuid:{r['id']}", "resource": r}
        if bundle_type == "transaction":
            entry["request"] = {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}
        entries.append(entry)
    return {
        "resourceType": "Bundle",
        "id": uuid5(f"{report_key}/Bundle/{bundle_type}"),
        "type": bundle_type,
        "entry": entries,
    }
