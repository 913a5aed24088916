"""TNM and stage groups in the forms French reports write them, as staging Observations referenced from the tumour
Condition's ``stage``."""

from __future__ import annotations

import pytest

import fhirconv

CASES = [
    ("Adénocarcinome du rectum cT3N+M0.", "cT3N+M0", ["cT3", "cN+", "cM0"]),
    ("Carcinome canalaire infiltrant du sein pT3N0M0.", "pT3N0M0", ["pT3", "pN0", "pM0"]),
    ("Après chimiothérapie, adénocarcinome ypT4N0M0.", "ypT4N0M0", ["ypT4", "ypN0", "ypM0"]),
    # machine-translated glue: "et" + "pT3N0M0"
    ("Un adénocarcinome classé etpT3N0M0 a été retrouvé.", "pT3N0M0", ["pT3", "pN0", "pM0"]),
    ("Carcinome canalaire infiltrant pT1c pN1a(1/9) cM0.", "pT1c pN1a(1/9) cM0", ["pT1c", "pN1a", "cM0"]),
]


def _observations(text: str) -> tuple[list[dict], list[dict]]:
    res = fhirconv.convert(text)
    entries = [e["resource"] for e in res.data["entry"]]
    return (
        [r for r in entries if r["resourceType"] == "Observation"],
        [r for r in entries if r["resourceType"] == "Condition"],
    )


@pytest.mark.parametrize(("text", "span", "parts"), CASES)
def test_tnm_forms(text: str, span: str, parts: list[str]) -> None:
    obs, conds = _observations(text)
    tnm = [o for o in obs if o["code"]["text"].startswith("TNM")]
    assert len(tnm) == 1
    assert tnm[0]["code"]["text"] == f"TNM {span}"
    assert [c["valueCodeableConcept"]["text"] for c in tnm[0]["component"]] == parts
    # the tumour points at its staging Observation
    assert conds and any(
        a["reference"].endswith(tnm[0]["id"]) for c in conds for s in c.get("stage", []) for a in s["assessment"]
    )


@pytest.mark.parametrize(("text", "value"), [("Cancer du poumon stade IIA.", "IIA"), ("Mélanome stade IV.", "IV")])
def test_stage_groups(text: str, value: str) -> None:
    obs, conds = _observations(text)
    stage = [o for o in obs if any(c.get("code") == "21908-9" for c in o["code"].get("coding", []))]
    assert [o["valueCodeableConcept"]["text"] for o in stage] == [value]
    assert conds[0]["stage"][0]["summary"]["text"].endswith(value)
