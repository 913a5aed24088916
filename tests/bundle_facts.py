"""Small readers of a converted bundle shared by the rule tests: the resources of one type, the Conditions' codes and
verification, the date of each fact."""

from typing import Any

import fhirconv


def entries(text: str, rtype: str) -> list[dict[str, Any]]:
    """The resources of one type in the bundle of `text`."""
    return [e["resource"] for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == rtype]


def conditions(text: str) -> dict[str, tuple[list[str], str]]:
    """code.text -> (codes, verification) of every Condition."""
    return {
        r["code"].get("text", ""): (
            [c["code"] for c in r["code"].get("coding", [])],
            r["verificationStatus"]["coding"][0]["code"],
        )
        for r in entries(text, "Condition")
    }


def verifications(text: str, words: str) -> list[str]:
    """The verification status of each Condition whose text holds ``words``."""
    return [v for k, (_, v) in conditions(text).items() if words in k]


def condition_codes(text: str) -> dict[str, list[str]]:
    """code.text -> codes of every Condition."""
    return {words: codes for words, (codes, _) in conditions(text).items()}


def condition_codings(text: str, system_part: str, **kwargs: object) -> list[str]:
    """The codes of every Condition whose coding system contains ``system_part``, in bundle order (``kwargs`` go to
    ``fhirconv.convert``: an ICD-O-3 edition's tables)."""
    out = []
    for e in fhirconv.convert(text, **kwargs).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            out += [c["code"] for c in r["code"].get("coding", []) if system_part in c["system"]]
    return out


def dated(text: str) -> dict[str, Any]:
    """code.text -> the date of every Condition, Procedure and Observation (onset, performed, effective)."""
    out = {}
    for rtype in ("Condition", "Procedure", "Observation"):
        for r in entries(text, rtype):
            out[r["code"].get("text")] = (
                r.get("onsetDateTime") or r.get("performedDateTime") or r.get("effectiveDateTime")
            )
    return out
