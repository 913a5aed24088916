"""Twenty-four reports written for sessions 9, 10 and 11 (tests/data/unseen, own texts: cardiology, paediatric
nephrology, pneumology, hepatology, haematology, neurology, infectious diseases, gynaecological oncology; then
dermatology, endocrinology, rheumatology, digestive oncology, urology, ENT, nephrology / transplant, geriatrics; then
sickle-cell disease, obstetrics, psychiatry, endocarditis, myeloma, thoracic oncology, multiple sclerosis, endometrial
cancer written without accents; then lymphoma, thyroid cancer, soft-tissue sarcoma, nephroblastoma, glioblastoma,
heart failure, lupus, diabetic foot; session 14: mesothelioma, nasopharyngeal carcinoma, neuroblastoma, liposarcoma,
brain metastases of a breast cancer, thymoma, diabetic ketoacidosis, cutaneous squamous cell carcinoma; session 15:
pneumococcal meningitis of an infant, giant-cell arteritis, Guillain-Barré syndrome, cervical cancer, renal cell
carcinoma, acute myeloid leukaemia, sarcoidosis, oesophageal adenocarcinoma; session 16: urothelial bladder carcinoma
after BCG, high-grade serous ovarian carcinoma with a late recurrence, mixed-cellularity Hodgkin lymphoma, acral
melanoma with brain metastases, osteosarcoma of a child, small-cell lung carcinoma with a paraneoplastic SIADH, sigmoid
adenocarcinoma with liver metastases, metastatic prostate adenocarcinoma (u61-u68); then non-cancer medicine (u69-u76):
pulmonary embolism with deep vein thrombosis, smear-positive pulmonary tuberculosis, granulomatosis with polyangiitis
with differentials ruled out one by one, myasthenia gravis with thymectomy, Cushing's syndrome, IgA nephropathy with a
family history of several relatives, biliary acute pancreatitis with enumerated negations, an elderly man's fall with
anaemia and atrial fibrillation on eight drugs) that no rule was tuned on before. Invariants on every bundle, then the
facts of tests/data/unseen/expected.yaml: above all,
nothing the text negates, suspects, rules out or gives to a relative is a confirmed Condition of the patient."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import fhirconv
from fhirconv.validate import check_bundle

from .golden import spans

UNSEEN = Path(__file__).parent / "data" / "unseen"
EXPECTED: dict[str, Any] = yaml.safe_load((UNSEEN / "expected.yaml").read_text(encoding="utf-8"))
REPORTS = sorted(UNSEEN.glob("*.txt"))


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return {p.stem: fhirconv.convert(p.read_text(encoding="utf-8"), report_id=p.stem) for p in REPORTS}


def _occurrences(text: str, words: str) -> list[tuple[int, int]]:
    out, i = [], text.find(words)
    while i >= 0:
        out.append((i, i + len(words)))
        i = text.find(words, i + 1)
    assert out, f"{words!r} is not in the report"
    return out


def _where(text: str, item: Any) -> list[tuple[int, int]]:
    """Spans of a fact's words: every occurrence, or the n-th one ([words, n] or a fact with `nth`)."""
    if isinstance(item, list):
        return [_occurrences(text, item[0])[item[1]]]
    if isinstance(item, dict):
        found = _occurrences(text, item["text"])
        return [found[item.get("nth", 0)]]
    return _occurrences(text, item)


def _citing(data: dict[str, Any], rtype: str, where: list[tuple[int, int]]) -> list[dict[str, Any]]:
    res = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == rtype]
    return [r for r in res if any(s < e2 and s2 < e for s, e in where for s2, e2, _ in spans(r))]


def _codes(cc: dict[str, Any]) -> set[str]:
    return {c["code"] for c in cc.get("coding", [])}


def _verification(r: dict[str, Any]) -> str:
    return str(r["verificationStatus"]["coding"][0]["code"])


def test_every_report_has_expected_facts() -> None:
    assert sorted(EXPECTED) == [p.stem for p in REPORTS]


@pytest.mark.parametrize("stem", [p.stem for p in REPORTS])
def test_bundle_invariants(stem: str, results: dict[str, Any]) -> None:
    result = results[stem]
    assert check_bundle(result.data, "R4", fhirconv.load_mappings(), len(result.text)) == []
    ids = [e["resource"]["id"] for e in result.data["entry"]]
    assert len(ids) == len(set(ids))
    for e in result.data["entry"]:
        for start, end, _ in spans(e["resource"], with_path=True):
            assert 0 <= start < end <= len(result.text)
    assert fhirconv.to_json(fhirconv.convert(result.text, report_id=stem).data) == fhirconv.to_json(result.data)


@pytest.mark.parametrize("stem", [p.stem for p in REPORTS])
def test_nothing_negated_suspected_or_familial_is_confirmed(stem: str, results: dict[str, Any]) -> None:
    result = results[stem]
    wrong = [
        (item, r["code"].get("text"))
        for item in EXPECTED[stem]["not_confirmed"]
        for r in _citing(result.data, "Condition", _where(result.text, item))
        if _verification(r) == "confirmed"
    ]
    assert wrong == []


def _condition_error(data: dict[str, Any], text: str, fact: dict[str, Any]) -> str:
    """'' when a Condition citing the fact's words has its code and verification, else what was found."""
    got = [
        (sorted(_codes(r["code"])), _verification(r))
        for r in _citing(data, "Condition", _where(text, fact))
        if fact["code"] in _codes(r["code"])
    ]
    return "" if any(v == fact["verification"] for _, v in got) else f"condition {fact}: got {got}"


GAPS = [(stem, fact) for stem in sorted(EXPECTED) for fact in EXPECTED[stem].get("gaps", [])]


@pytest.mark.parametrize(
    ("stem", "fact"), [pytest.param(s, f, marks=pytest.mark.xfail(strict=True, reason=f["why"])) for s, f in GAPS]
)
def test_known_gaps(stem: str, fact: dict[str, Any], results: dict[str, Any]) -> None:
    """A condition fact still wrong (expected.yaml ``gaps``, with why): fixed, the strict xfail fails, and the fact
    moves to ``conditions``."""
    result = results[stem]
    assert _condition_error(result.data, result.text, fact) == ""


@pytest.mark.parametrize("stem", [p.stem for p in REPORTS])
def test_facts(stem: str, results: dict[str, Any]) -> None:
    result, exp = results[stem], EXPECTED[stem]
    data, text = result.data, result.text
    patient = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient")
    errors = [] if patient.get("gender") == exp["gender"] else [f"gender {patient.get('gender')}"]
    errors += [_condition_error(data, text, fact) for fact in exp.get("conditions", [])]
    errors = [e for e in errors if e]
    for fact in exp.get("family", []):
        where = _where(text, fact)
        got = [
            (r["relationship"]["coding"][0]["code"], sorted(c for x in r["condition"] for c in _codes(x["code"])))
            for r in _citing(data, "FamilyMemberHistory", where)
        ]
        if not any(rel == fact["relationship"] and fact["code"] in codes for rel, codes in got):
            errors.append(f"family {fact}: got {got}")
        if not fact.get("also_patient") and _citing(data, "Condition", where):
            errors.append(f"family {fact}: also a Condition of the patient")
    meds = {
        c
        for e in data["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
        for c in _codes(e["resource"]["medicationCodeableConcept"])
    }
    errors += [f"medication {atc} missing" for atc in exp.get("medications", []) if atc not in meds]
    procs = {
        c for e in data["entry"] if e["resource"]["resourceType"] == "Procedure" for c in _codes(e["resource"]["code"])
    }
    errors += [f"procedure {code} missing" for code in exp.get("procedures", []) if str(code) not in procs]
    errors += [
        f"procedure of {item}"
        for item in exp.get("not_procedures", [])
        if _citing(data, "Procedure", _where(text, item))
    ]
    for fact in exp.get("observations", []):
        got = []
        for r in _citing(data, "Observation", _where(text, fact)):
            q = r.get("valueQuantity", {})
            got.append((sorted(_codes(r["code"])), q.get("value"), q.get("code")))
        if not any(fact["loinc"] in codes and v == fact["value"] and u == fact.get("unit") for codes, v, u in got):
            errors.append(f"observation {fact}: got {got}")
    assert errors == []
