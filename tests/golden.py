"""Compare a bundle with hand-written expected facts (fixtures/golden/*.expected.yaml).

An expected fact matches an output resource of its type when one of its spans (``at`` / ``also_at``) overlaps one of
the resource's main evidence spans (derivation-reference without ``path``). Then every field the fact states is
compared. The result lists, one line each: missing facts, wrong fields, and resources that match no fact.
"""

from __future__ import annotations

from typing import Any

import yaml

DERIV = "http://hl7.org/fhir/StructureDefinition/derivation-reference"
TYPE_OF = {
    "condition": "Condition",
    "family": "FamilyMemberHistory",
    "medication": "MedicationStatement",
    "observation": "Observation",
    "procedure": "Procedure",
    "age": "Observation",
}
ROUTES = {
    "20053000": "oral",
    "20045000": "intravenous",
    "20066000": "subcutaneous",
    "20035000": "intramuscular",
    "20070000": "transdermal",
    "20061000": "rectal",
}
IGNORED = {"type", "text", "at", "also_at", "doubt", "what", "count", "substance", "analyte"}


def load_expected(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def spans(resource: dict[str, Any], with_path: bool = False) -> list[tuple[int, int, str | None]]:
    out = []
    for ext in resource.get("extension", []):
        if ext.get("url") != DERIV:
            continue
        sub = {e["url"]: e for e in ext["extension"]}
        path = sub.get("path", {}).get("valueString")
        if path and not with_path:
            continue
        off, length = sub["offset"]["valueInteger"], sub["length"]["valueInteger"]
        out.append((off, off + length, path))
    return out


def _code(cc: dict[str, Any] | None, system_part: str) -> str | None:
    for c in (cc or {}).get("coding", []):
        if system_part in c["system"]:
            return c["code"]
    return None


def project(resource: dict[str, Any], words: str | None = None) -> dict[str, Any]:
    """The fields of the expected-facts format, read from one resource (of a FamilyMemberHistory, the condition
    named by ``words`` when the relative has several)."""
    t = resource["resourceType"]
    p: dict[str, Any] = {}
    if t == "Condition":
        p["cim10"] = _code(resource.get("code"), "cim-10")
        p["icdo3"] = _code(resource.get("code"), "icd-o-3")
        sites = resource.get("bodySite") or [None]
        p["body_site"] = _code(sites[0], "icd-o-3")
        p["verification"] = _code(resource.get("verificationStatus"), "condition-ver")
        p["clinical"] = _code(resource.get("clinicalStatus"), "condition-clinical")
        p["onset"] = resource.get("onsetDateTime")
    elif t == "FamilyMemberHistory":
        p["relationship"] = _code(resource.get("relationship"), "RoleCode")
        conds = resource["condition"]
        named = [c for c in conds if words and (words in c["code"].get("text", "") or c["code"].get("text") in words)]
        p["cim10"] = _code((named or conds)[0]["code"], "cim-10")
    elif t == "MedicationStatement":
        p["atc"] = _code(resource.get("medicationCodeableConcept"), "atc")
        dosage = (resource.get("dosage") or [{}])[0]
        dose = ((dosage.get("doseAndRate") or [{}])[0]).get("doseQuantity") or {}
        p["dose"] = dose.get("value")
        p["unit"] = dose.get("code")
        p["route"] = ROUTES.get(_code(dosage.get("route"), "edqm") or "")
        rep = (dosage.get("timing") or {}).get("repeat") or {}
        p["every"] = [rep["period"], rep["periodUnit"]] if "period" in rep else None
        period = resource.get("effectivePeriod") or {}
        p["start"] = period.get("start") or resource.get("effectiveDateTime")
        p["end"] = period.get("end")
        p["status"] = resource.get("status")
        ident = [i["value"].split("@")[0] for i in resource.get("identifier", []) if "regimen" in i.get("system", "")]
        p["regimen"] = ident[0] if ident else None
    elif t == "Observation":
        p["loinc"] = _code(resource.get("code"), "loinc")
        q = resource.get("valueQuantity") or {}
        p["value"] = q.get("value") if q else resource.get("valueInteger")  # a grade is an integer
        p["comparator"] = q.get("comparator")
        p["unit"] = q.get("code")
        vcc = resource.get("valueCodeableConcept")
        qual = {"17621005": "normal", "260385009": "negative", "10828004": "positive"}.get(_code(vcc, "snomed") or "")
        p["qualitative"] = qual or (vcc or {}).get("text")
        p["date"] = resource.get("effectiveDateTime")
    elif t == "Procedure":
        p["date"] = resource.get("performedDateTime")
        p["status"] = resource.get("status")
    return p


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return abs(float(expected) - float(got)) < 1e-9
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(_same(a, b) for a, b in zip(expected, got))
    if expected is None:
        return got is None
    return str(expected) == str(got) if got is not None else False


def compare(expected: dict[str, Any], bundle: dict[str, Any], text: str) -> list[str]:
    """Differences as readable lines: 'missing ...', 'wrong ...', 'extra ...'."""
    lines: list[str] = []
    resources = [e["resource"] for e in bundle["entry"]]
    patient = next(r for r in resources if r["resourceType"] == "Patient")
    if (expected.get("patient") or {}).get("gender") != patient.get("gender"):
        lines.append(f"wrong Patient.gender: expected {expected['patient']['gender']!r}, got {patient.get('gender')!r}")
    used: set[int] = set()
    for fact in expected.get("facts", []):
        rtype = TYPE_OF[fact["type"]]
        fspans = [(fact["at"], fact["at"] + len(fact["text"]))] + [(o, o + len(t)) for t, o in fact.get("also_at", [])]
        candidates = []
        for i, r in enumerate(resources):
            if r["resourceType"] != rtype:
                continue
            is_age = any(c.get("code") == "30525-0" for c in r.get("code", {}).get("coding", []))
            if rtype == "Observation" and is_age != (fact["type"] == "age"):
                continue
            if any(s < e2 and s2 < e for s, e in fspans for s2, e2, _ in spans(r)):
                candidates.append((i, r))
        # several resources may cite one span (a regimen expanded into its drugs): prefer an unused one whose
        # code agrees with the fact, then any unused one
        got = {i: project(r, fact["text"]) for i, r in candidates}
        code_key = next((k for k in ("atc", "loinc", "cim10", "icdo3") if fact.get(k)), None)
        ranked = sorted(
            candidates, key=lambda c: (c[0] in used, not code_key or got[c[0]].get(code_key) != fact[code_key])
        )
        match = ranked[0] if ranked else None
        label = f"{fact['type']} {fact['text']!r}@{fact['at']}"
        if match is None:
            lines.append(f"missing {label}")
            continue
        used.add(match[0])
        got = project(match[1], fact["text"])
        for key, value in fact.items():
            if key in IGNORED or key not in got:
                continue
            if not _same(value, got[key]):
                lines.append(f"wrong {label}: {key} expected {value!r}, got {got[key]!r}")
    for i, r in enumerate(resources):
        if i in used or r["resourceType"] in ("Patient", "DocumentReference"):
            continue
        sp = spans(r)
        shown = text[sp[0][0] : sp[0][1]] if sp else "?"
        lines.append(f"extra {r['resourceType']} {shown!r}@{sp[0][0] if sp else -1}")
    return lines
