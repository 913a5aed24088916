"""FHIR version differences: fhirconv builds R4 dicts; this module owns the R4 -> R5 changes and the model
classes of each version (R4 wire format is built and validated with ``fhir.resources.R4B``, field-for-field R4 for
the resources fhirconv writes)."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["VERSIONS", "bundle_model", "to_version"]

VERSIONS = ("R4", "R5")
_PACKAGE = {"R4": "fhir.resources.R4B", "R5": "fhir.resources"}

# R4 MedicationStatement.status (adherence) -> R5 MedicationStatement.adherence.code
# (http://hl7.org/fhir/CodeSystem/medication-statement-adherence); R5 status only says the record is "recorded".
_ADHERENCE = {
    "active": "taking",
    "completed": "stopped",
    "stopped": "stopped",
    "on-hold": "on-hold",
    "intended": "not-taking",
    "not-taken": "not-taking",
    "unknown": "unknown",
}


def bundle_model(version: str) -> Any:
    return importlib.import_module(f"{_PACKAGE[version]}.bundle").Bundle


def to_version(resource: dict[str, Any], version: str) -> dict[str, Any]:
    """Turn one R4 resource dict into ``version`` (returns it unchanged for R4)."""
    if version == "R4":
        return resource
    r = dict(resource)
    t = r["resourceType"]
    if t == "MedicationStatement":
        r["medication"] = {"concept": r.pop("medicationCodeableConcept")}
        adherence = _ADHERENCE.get(r["status"], "unknown")
        r["adherence"] = {
            "code": {
                "coding": [
                    {"system": "http://hl7.org/fhir/CodeSystem/medication-statement-adherence", "code": adherence}
                ],
                "text": r["status"],
            }
        }
        r["status"] = "recorded"
        if "reasonReference" in r:
            r["reason"] = [{"reference": ref} for ref in r.pop("reasonReference")]
        if "statusReason" in r:
            r["adherence"]["reason"] = r.pop("statusReason")[0]
    elif t == "Procedure":
        for k in ("performedDateTime", "performedPeriod", "performedString"):
            if k in r:
                r[k.replace("performed", "occurrence")] = r.pop(k)
        if "reasonReference" in r:
            r["reason"] = [{"reference": ref} for ref in r.pop("reasonReference")]
    return r
