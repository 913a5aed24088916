"""Procedures built from short texts written for these tests: date or period, body site and side, reason,
radiotherapy dose, what is not a Procedure (departments, umbrella words, references back, chemotherapy courses)."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv
from fhirconv.build.procedures import LATERALITY, RADIOTHERAPY_DOSE

SNOMED = "http://snomed.info/sct"


def procedures(text: str, **kw: Any) -> list[dict[str, Any]]:
    result = fhirconv.convert(text, **kw)
    return [e["resource"] for e in result.data["entry"] if e["resource"]["resourceType"] == "Procedure"]


def by_text(text: str) -> dict[str, dict[str, Any]]:
    return {p["code"]["text"]: p for p in procedures(text)}


def side_of(p: dict[str, Any]) -> str | None:
    for body in p.get("bodySite", []):
        for ext in body.get("extension", []):
            if ext["url"] == LATERALITY:
                return ext["valueCodeableConcept"]["coding"][0]["code"]
    return None


@pytest.mark.parametrize(
    ("text", "procedure", "side"),
    [
        ("Elle a subi une annexectomie bilatérale en mai 2015.", "annexectomie bilatérale", "51440002"),
        ("Une mastectomie gauche a été réalisée.", "mastectomie", "7771000"),
        ("Une biopsie du sein droit a été faite.", "biopsie", "24028007"),
        ("Une coloscopie a été réalisée.", "coloscopie", None),
        # a side further on, after other words, qualifies something else
        ("Une coloscopie a été réalisée pour des douleurs de la fosse iliaque droite.", "coloscopie", None),
        # three words between the act and its side at most (the words further on are not read)
        ("Une mastectomie large et radicale gauche a été réalisée.", "mastectomie", "7771000"),
        ("Une mastectomie très large et radicale gauche a été réalisée.", "mastectomie", None),
    ],
)
def test_laterality_qualifier(text: str, procedure: str, side: str | None) -> None:
    assert side_of(by_text(text)[procedure]) == side


def test_body_site_named_after_the_procedure() -> None:
    p = by_text("Une biopsie du foie a été réalisée.")["biopsie du foie"]
    assert [c["code"] for c in p["bodySite"][0]["coding"]] == ["C22.0"]


def test_performed_period() -> None:
    text = "Elle a reçu une radiothérapie adjuvante entre le 07.11 et le 20.12.2005, bien tolérée."
    p = by_text(text)["radiothérapie"]
    assert p["performedPeriod"] == {"start": "2005-11-07", "end": "2005-12-20"}
    assert "performedDateTime" not in p


def test_period_is_written_as_r5_occurrence() -> None:
    text = "Radiothérapie du 3 mars au 5 avril 2006."
    (p,) = procedures(text, fhir_version="R5")
    assert p["occurrencePeriod"] == {"start": "2006-03-03", "end": "2006-04-05"}


def test_date_and_relative_date() -> None:
    ps = by_text("Le 2 mars 2015, une colectomie a été réalisée. Deux mois après, une coloscopie a été faite.")
    assert ps["colectomie"]["performedDateTime"] == "2015-03-02"
    assert ps["coloscopie"]["performedDateTime"] == "2015-05"


def test_reason_reference_after_and_before() -> None:
    result = fhirconv.convert(
        "Une colectomie a été réalisée pour un adénocarcinome du côlon. Devant une perforation "
        "intestinale, une laparotomie exploratrice a été pratiquée. Une IRM a été faite."
    )
    res = {e["fullUrl"]: e["resource"] for e in result.data["entry"]}
    reasons = {}
    for r in res.values():
        if r["resourceType"] == "Procedure":
            refs = [res[x["reference"]]["code"]["text"] for x in r.get("reasonReference", [])]
            reasons[r["code"]["text"]] = refs
    assert reasons["colectomie"] == ["adénocarcinome du côlon"]
    assert reasons["laparotomie exploratrice"] == ["perforation intestinale"]
    assert reasons["IRM"] == []


def test_radiotherapy_dose_and_fractions() -> None:
    p = by_text("Une radiothérapie holocrânienne (30 Gy en 10 fractions) a été délivrée.")["radiothérapie"]
    dose = next(e for e in p["extension"] if e["url"] == RADIOTHERAPY_DOSE)
    parts = {e["url"]: e.get("valueQuantity") or e.get("valueUnsignedInt") for e in dose["extension"]}
    assert parts == {
        "totalDoseDelivered": {"value": 3000.0, "unit": "cGy", "system": "http://unitsofmeasure.org", "code": "cGy"},
        "fractionsDelivered": 10,
    }
    assert p["note"] == [{"text": "30 Gy en 10 fractions"}]


def test_dose_per_fraction_is_not_the_total_dose() -> None:
    p = by_text("Radiothérapie à 2 Gy par fraction.")["Radiothérapie"]
    assert not any(e["url"] == RADIOTHERAPY_DOSE for e in p["extension"])


def test_department_umbrella_and_reference_back_are_not_procedures() -> None:
    text = (
        "Elle a été admise en chirurgie générale puis adressée au service de chirurgie hépatobiliaire. "
        "Le 8 avril 2005, elle a subi une intervention chirurgicale, avec une tumorectomie et une lymphadénectomie "
        "axillaire. Après l'intervention chirurgicale, une chimiothérapie a été débutée."
    )
    result = fhirconv.convert(text)
    names = sorted(
        r["resource"]["code"]["text"] for r in result.data["entry"] if r["resource"]["resourceType"] == "Procedure"
    )
    assert names == ["lymphadénectomie axillaire", "tumorectomie"]
    reasons = sorted(why for m, why in result.dropped if m.kind == "procedure")
    assert reasons == ["department, not an act (procedures.yaml department)"] * 2 + [
        "refers back to a surgery already named",
        "umbrella word of the surgical act that follows",
    ]


def test_a_new_exam_with_its_own_date_is_not_a_reference_back() -> None:
    ps = procedures(
        "En janvier 2015, une IRM cérébrale a été réalisée. Dans l'IRM cérébrale de contrôle de mai 2015, "
        "la maladie était stable."
    )
    assert sorted(p["performedDateTime"] for p in ps) == ["2015-01", "2015-05"]


def test_negated_procedure_is_not_done_and_dated_only_by_its_own_sentence() -> None:
    # the occasion on which the act was not done is written in its sentence: kept
    ps = by_text("Elle a subi une péritonectomie sans chimiothérapie intrapéritonéale en janvier 2015.")
    p = ps["chimiothérapie intrapéritonéale"]
    assert p["status"] == "not-done"
    assert p["performedDateTime"] == "2015-01"
    assert ps["péritonectomie"]["status"] == "completed"
    # no date in its sentence: a not-done act borrows none from its paragraph
    (p,) = procedures("En janvier 2015, elle a été opérée. Il n'y a pas eu de coloscopie.")
    assert p["status"] == "not-done"
    assert "performedDateTime" not in p


def coded(p: dict[str, Any]) -> list[str]:
    return [c["code"] for c in p["code"].get("coding", [])]


def sites(p: dict[str, Any]) -> list[str]:
    return [c["code"] for b in p.get("bodySite", []) for c in b.get("coding", [])]


@pytest.mark.parametrize(
    ("text", "procedure", "code", "site"),
    [
        # a surgical act without a verified specific concept: Surgical procedure, the organ its wording names
        ("Elle a subi une gastrectomie totale en février 2014.", "gastrectomie totale", "387713003", "C16.9"),
        ("Une péritonectomie a été réalisée.", "péritonectomie", "387713003", "C48.2"),
        (
            "Deux séances de chimioembolisation hépatique ont été faites.",
            "chimioembolisation hépatique",
            "41209002",
            "C22.0",
        ),
        ("Octreoscan : hyperfixation de la masse.", "Octreoscan", "45316007", None),
        ("HIPEC réalisée sans complication.", "HIPEC", "31652009", "C48.2"),
        # a site written after the act wins over the row's organ
        ("Une laparotomie exploratrice du pelvis a été faite.", "laparotomie exploratrice", "387713003", "C76.3"),
        # acts added from our own unseen reports: thyroid, kidney, foot, valve, metastasis, wide excision
        ("Il a eu une thyroïdectomie totale en 2019.", "thyroïdectomie totale", "387713003", "C73.9"),
        ("Une néphrectomie élargie a été pratiquée.", "néphrectomie élargie", "88994001", "C64.9"),  # Unilateral
        ("Néphrectomie totale élargie gauche en 2020.", "Néphrectomie totale élargie", "88994001", "C64.9"),
        ("Elle a subi une métastasectomie du poumon.", "métastasectomie", "387713003", "C34.9"),
        ("Une amputation trans-métatarsienne a été réalisée.", "amputation trans-métatarsienne", "387713003", "C76.5"),
        ("Il a bénéficié d'un TAVI en mars.", "TAVI", "387713003", "C38.0"),
        ("Une exérèse large de la lésion a été faite.", "exérèse large", "387713003", None),
    ],
)
def test_code_and_organ_of_the_row(text: str, procedure: str, code: str, site: str | None) -> None:
    p = by_text(text)[procedure]
    assert coded(p) == [code]
    assert sites(p) == ([site] if site else [])


def test_coordinated_act_shares_the_site_complement() -> None:
    ps = by_text("Une aspiration et une biopsie de la moelle osseuse ont été effectuées.")
    assert coded(ps["aspiration"]) == ["49401003"]  # Bone marrow aspiration procedure
    assert sites(ps["aspiration"]) == ["C42.1"]
    assert coded(ps["biopsie de la moelle osseuse"]) == ["86273004"]
    # alone, "aspiration" says nothing of what was aspirated: recognised, not coded
    (p,) = procedures("Une aspiration a été faite.")
    assert coded(p) == []


def test_a_shared_generic_code_is_not_a_reference_back() -> None:
    # gastrectomie and péritonectomie are both coded Surgical procedure: two acts, not one named twice
    ps = procedures("En 2012, elle a subi une gastrectomie. En 2012, la péritonectomie a été réalisée.")
    assert sorted(p["code"]["text"] for p in ps) == ["gastrectomie", "péritonectomie"]
    # a specific shared code still makes the definite wording a reference back ("un scanner" ... "la TDM")
    ps = procedures("Un scanner a été réalisé. Sur la TDM, la masse mesurait 3 cm.")
    assert [p["code"]["text"] for p in ps] == ["scanner"]
    # the same code with a word the first wording lacks is another exam
    ps = procedures("Le doppler veineux était normal. Le doppler artériel n'a pas montré d'artériopathie.")
    assert [p["code"]["text"] for p in ps] == ["doppler veineux", "doppler artériel"]


def test_procedure_site_must_be_a_topography_term(tmp_path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "procedures.csv").write_text(
        "# source: t\n# version: 1\n# licence: CC0\nterm,snomed,snomed_display,ccam,ccam_display,category,site\n"
        "splénectomie,387713003,Surgical procedure,,,surgery,organe inconnu\n",
        encoding="utf-8",
    )
    with pytest.raises(fhirconv.MappingError, match=r"procedures\.csv:5: site"):
        fhirconv.load_mappings(overlay)


def test_chemotherapy_course_is_only_medication_statements() -> None:
    result = fhirconv.convert("La patiente a reçu trois cycles de FOLFOX en mars 2014.")
    types = [e["resource"]["resourceType"] for e in result.data["entry"]]
    assert "Procedure" not in types
    assert types.count("MedicationStatement") == 3  # 5-FU, leucovorin, oxaliplatin: one course, counted once


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        (
            "Une biopsie guidée par échoendoscopie a été réalisée, mais n'a pas permis d'obtenir suffisamment de matériel.",
            "385671000",
        ),
        ("Une coloscopie a été réalisée avec succès.", "385669000"),
        ("Une coloscopie a été réalisée. Le traitement n'a pas permis de contrôler la maladie.", None),
    ],
)
def test_outcome(text: str, outcome: str | None) -> None:
    (p,) = procedures(text)
    assert (p["outcome"]["coding"][0]["code"] if "outcome" in p else None) == outcome


def test_bad_laterality_code_names_its_line(tmp_path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "procedures.yaml").write_text(
        "meta: {source: t, version: 1, licence: CC0}\nlaterality:\n  - {term: dextre, snomed: '24028008', display: Right}\n",
        encoding="utf-8",
    )
    with pytest.raises(fhirconv.MappingError, match=r"procedures\.yaml:3"):
        fhirconv.load_mappings(overlay)


def test_verify_snomed_reports_absent_wrong_display_and_wrong_kind(tmp_path, capsys) -> None:
    """scripts/verify_snomed.py (a maintainer tool that downloads HL7 packages) on a package written here."""
    import importlib.util
    import json
    import sys
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "verify_snomed", Path(__file__).parent.parent / "scripts" / "verify_snomed.py"
    )
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    package = tmp_path / "pk" / "hl7.fake" / "package"
    package.mkdir(parents=True)
    entries = [
        {"system": SNOMED, "code": "387713003", "display": "Surgical procedure"},
        {
            "system": SNOMED,
            "code": "312421008",
            "display": "Radionuclide imaging",
            "designation": [{"value": "Radionuclide imaging - action (qualifier value)"}],
        },
        {"system": SNOMED, "code": "49401003", "display": "Bone marrow aspiration procedure (procedure)"},
    ]
    (package / "ValueSet-x.json").write_text(json.dumps({"expansion": {"contains": entries}}), encoding="utf-8")
    tables = tmp_path / "mappings"
    tables.mkdir()
    (tables / "procedures.csv").write_text(
        "# source: t\nterm,snomed,snomed_display,ccam,ccam_display,category,site\n"
        "gastrectomie,387713003,Surgical procedure,,,surgery,estomac\n"
        "Octreoscan,312421008,Radionuclide imaging,,,imaging,\n"
        "myélogramme,49401003,Bone marrow aspiration,,,biopsy,\n"
        "coloscopie,73761001,Colonoscopy,,,endoscopy,\n",
        encoding="utf-8",
    )
    argv = sys.argv
    sys.argv = ["verify_snomed.py", "--packages", str(tmp_path / "pk"), "--mappings", str(tables)]
    try:
        assert tool.main() == 1
    finally:
        sys.argv = argv
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] + ":" + line.split(":")[1].split()[0] for line in lines[1:-1]] == [
        "kind     procedures.csv:4",
        "display  procedures.csv:5",
        "absent   procedures.csv:6",
    ]
    assert lines[-1] == "codes 4, confirmed 1, display or kind disagrees 2, absent 1"


def test_aftermath_of_an_act_already_told_is_not_another_act() -> None:
    ps = procedures(
        "Elle a subi une gastrectomie totale en février 2014. Le scanner montre des changements post-chirurgicaux "
        "à la suite d'une gastrectomie."
    )
    assert [p["code"]["text"] for p in ps] == ["gastrectomie totale", "scanner"]
    # a scar tells a past act the report has not told otherwise: kept, undated
    (p,) = procedures("À l'examen, cicatrice de laparotomie médiane.")
    assert (p["code"]["text"], p["status"], "performedDateTime" in p) == ("laparotomie", "completed", False)
