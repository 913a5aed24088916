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


def _stage_values(text: str) -> tuple[list[str], list[str]]:
    """The stage group Observations' values, and the summaries the tumour's Condition.stage holds."""
    obs, conds = _observations(text)
    stage = [o for o in obs if any(c.get("code") == "21908-9" for c in o["code"].get("coding", []))]
    summaries = [s["summary"]["text"] for c in conds for s in c.get("stage", []) if "summary" in s]
    return [o["valueCodeableConcept"]["text"] for o in stage], summaries


@pytest.mark.parametrize(
    ("text", "value", "summary"),
    [
        ("Adénocarcinome séreux de l'ovaire, stade FIGO IIIC (T3cN0M0).", "FIGO IIIC", "stade FIGO IIIC"),
        ("Adénocarcinome de l'endomètre FIGO IIIC1 opéré.", "FIGO IIIC1", "FIGO IIIC1"),
        ("Carcinome de l'ovaire, donc stade IIIC de la FIGO. Puis", "FIGO IIIC", "stade IIIC de la FIGO"),
        ("Carcinome du col utérin de stade IA (FIGO), traité.", "FIGO IA", "stade IA (FIGO)"),
        ("Carcinome du col de stade IIb selon la classification de la FIGO.", "FIGO IIB", None),
        ("Carcinome de l'ovaire stade IIIC selon la FIGO 2014.", "FIGO IIIC", "stade IIIC selon la FIGO"),
        # "(FIGO 1, grade 2)": a FIGO grade, not the stage's classification
        ("Adénocarcinome de l'endomètre de stade IB (FIGO 1, grade 2).", "IB", "stade IB"),
    ],
)
def test_figo_stage(text: str, value: str, summary: str | None) -> None:
    values, summaries = _stage_values(text)
    assert values == [value]
    assert len(summaries) == 1
    if summary:
        assert summaries == [summary]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Lymphome B diffus à grandes cellules stade III B d'Ann Arbor, IPI 2.", "Ann Arbor IIIB"),
        ("Lymphome de Hodgkin stade II A. Traité par ABVD.", "IIA"),
        ("Cancer du poumon de stade III B, non résécable.", "IIIB"),
        ("Carcinome de l'ovaire stade Ic.", "IC"),
        # not across a full stop, nor the verb "a"
        ("Lymphome de Hodgkin stade III. B symptômes absents.", "III"),
        ("Cancer du poumon dont le stade II a été retenu.", "II"),
    ],
)
def test_stage_letter_after_a_space(text: str, value: str) -> None:
    assert _stage_values(text)[0] == [value]


def test_figo_grade_is_no_stage() -> None:
    assert _stage_values("Tumeur vulvaire maligne grade III selon la classification de la FIGO.")[0] == []


def test_stage_goes_to_the_tumour_named_right_before_it() -> None:
    # the differential named in between was first written after the diagnosis, which is written again before the stage
    text = (
        "La biopsie montrait un lymphome B diffus à grandes cellules. Un lymphome de Hodgkin avait été évoqué avant "
        "l'histologie.\n\nDiagnostic\nLymphome B diffus à grandes cellules stade III B d'Ann Arbor."
    )
    _, conds = _observations(text)
    staged = [c["code"]["text"].lower() for c in conds if c.get("stage")]
    assert staged == ["lymphome b diffus à grandes cellules"], staged


def test_a_stage_before_any_tumour_goes_to_the_first_tumour() -> None:
    text = "Stade IIIA. Adénocarcinome du côlon sigmoïde. Puis carcinome épidermoïde du poumon."
    _, conds = _observations(text)
    staged = [c["code"]["text"].lower() for c in conds if c.get("stage")]
    assert staged == ["adénocarcinome du côlon sigmoïde"], staged


def test_each_stage_goes_to_the_last_tumour_before_it_in_a_long_report() -> None:
    # found by bisection among every tumour mention: the same answer as reading them all, per stage
    one = "Adénocarcinome du côlon sigmoïde stade IIIA. Carcinome épidermoïde du poumon stade IIB. "
    _, conds = _observations(one * 30)
    stages = {c["code"]["text"].lower(): len(c.get("stage", [])) for c in conds}
    assert stages == {"adénocarcinome du côlon sigmoïde": 30, "carcinome épidermoïde du poumon": 30}, stages
