""" "nodules pulmonaires métastatiques", "lésions métastatiques hépatiques", "adénopathies médiastinales
métastatiques": a finding said metastatic is one metastasis of its site, not a finding plus a metastasis."""

from __future__ import annotations

import pytest

import fhirconv

CIM10 = "https://smt.esante.gouv.fr/terminologie-cim-10"
ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _conditions(text: str) -> list[tuple[str, str, str]]:
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            codes = {c["system"]: c["code"] for c in r["code"].get("coding", [])}
            out.append((r["code"]["text"], codes.get(CIM10, ""), codes.get(ICDO, "")))
    return out


@pytest.mark.parametrize(
    ("finding", "text", "cim10"),
    [
        ("Des nodules pulmonaires métastatiques.", "nodules pulmonaires métastatiques", "C78.0"),
        ("Des lésions hépatiques métastatiques.", "lésions hépatiques métastatiques", "C78.7"),
        ("Des lésions métastatiques hépatiques.", "lésions métastatiques hépatiques", "C78.7"),
        # the node group, not the mediastinum (C78.1) the adjective names alone
        ("Des adénopathies métastatiques médiastinales.", "adénopathies métastatiques médiastinales", "C77.1"),
        ("Des adénopathies médiastinales métastatiques.", "adénopathies médiastinales métastatiques", "C77.1"),
    ],
)
def test_a_finding_said_metastatic_is_one_metastasis(finding: str, text: str, cim10: str) -> None:
    conds = _conditions("Adénocarcinome du côlon. " + finding)
    assert conds[1:] == [(text, cim10, "8140/6")], conds


def test_a_negated_finding_stays_apart() -> None:
    conds = _conditions("Adénocarcinome du côlon. Pas de nodule pulmonaire. Métastases hépatiques.")
    assert ("nodule pulmonaire", "R91", "") in conds, conds


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Métastases pulmonaires et osseuses.", {"C78.0", "C79.5"}),
        ("Métastases hépatiques, pulmonaires et cérébrales.", {"C78.7", "C78.0", "C79.3"}),
        # a noun after the repeated preposition is one more site; "os" is the bone
        ("Métastases au foie, aux poumons et aux os.", {"C78.7", "C78.0", "C79.5"}),
        ("Métastases osseuses et au foie.", {"C79.5", "C78.7"}),
        ("Lésions secondaires à la plèvre et au foie.", {"C78.2", "C78.7"}),
        # "ou": one or the other, unknown which; under a negation, neither
        ("Métastases hépatiques ou pulmonaires.", {"C78.7"}),
    ],
)
def test_each_coordinated_site_is_a_metastasis(sentence: str, expected: set[str]) -> None:
    conds = _conditions("Adénocarcinome du côlon. " + sentence)
    assert {code for _, code, morph in conds if morph == "8140/6"} == expected, conds


def test_a_negated_disjunction_refutes_both() -> None:
    text = "Adénocarcinome du côlon. Pas de métastases hépatiques ou pulmonaires."
    refuted = set()
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition" and r["verificationStatus"]["coding"][0]["code"] == "refuted":
            refuted |= {c["code"] for c in r["code"]["coding"] if c["system"] == CIM10}
    assert refuted == {"C78.7", "C78.0"}


def test_metastatic_with_a_site_after_is_a_metastasis_there_beside_the_primary() -> None:
    assert _conditions("Adénocarcinome pancréatique métastatique au foie.") == [
        ("Adénocarcinome pancréatique", "C25.9", "8140/3"),
        ("métastatique au foie", "C78.7", "8140/6"),
    ]
    conds = _conditions("Cancer du sein métastatique au niveau osseux et hépatique.")
    assert [c[1:] for c in conds] == [("C50.9", "8000/3"), ("C79.5", "8000/6"), ("C78.7", "8000/6")], conds


def test_secondary_lesions_are_metastases() -> None:
    conds = _conditions("Carcinome épidermoïde du poumon. Le scanner retrouve des lésions secondaires cérébrales.")
    assert conds[1] == ("lésions secondaires cérébrales", "C79.3", "8070/6"), conds


RELATED_PRIMARY = "related-primary-cancer-condition"


@pytest.mark.parametrize(
    ("text", "words", "primary"),
    [
        (
            "Adénocarcinome du côlon avec carcinomatose péritonéale.",
            "carcinomatose péritonéale",
            "Adénocarcinome du côlon",
        ),
        (
            "Carcinome séreux de l'ovaire. Carcinose péritonéale.",
            "Carcinose péritonéale",
            "Carcinome séreux de l'ovaire",
        ),
        ("Carcinose péritonéale sans primitif retrouvé.", "Carcinose péritonéale", None),
    ],
)
def test_carcinomatosis_is_linked_to_the_named_primary(text: str, words: str, primary: str | None) -> None:
    """A peritoneal carcinomatosis is a secondary cancer (C78.6) of the named primary, linked to it; it keeps its own
    ICD-O-3 code 8010/9, as FRACCO and CANTEMIST code it next to a named primary."""
    res = {e["fullUrl"]: e["resource"] for e in fhirconv.convert(text).data["entry"]}
    conds = [r for r in res.values() if r["resourceType"] == "Condition"]
    carc = next(r for r in conds if r["code"]["text"] == words)
    codes = {c["system"]: c["code"] for c in carc["code"]["coding"]}
    assert (codes.get(CIM10), codes.get(ICDO)) == ("C78.6", "8010/9")
    linked = [e["valueReference"]["reference"] for e in carc.get("extension", []) if e["url"].endswith(RELATED_PRIMARY)]
    assert [res[r]["code"]["text"] for r in linked] == ([primary] if primary else [])
