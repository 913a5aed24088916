"""Invariants on every fixture bundle (FHIR-Converter style): references resolve, ids unique, evidence spans are
the mention, JSON and XML round-trip to an equal bundle, output is deterministic."""

from __future__ import annotations

import json

import pytest

import fhirconv
from fhirconv.validate import check_bundle

from .conftest import SEEDS
from .golden import spans


@pytest.fixture(scope="module", params=[p.stem for p in SEEDS])
def result(request, seed_results):
    return seed_results[request.param]


def test_references_resolve_and_ids_unique(result) -> None:
    data = result.data
    assert check_bundle(data, "R4", fhirconv.load_mappings(), len(result.text)) == []
    ids = [e["resource"]["id"] for e in data["entry"]]
    assert len(ids) == len(set(ids))
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in data["entry"])


def test_every_extracted_resource_cites_its_evidence(result) -> None:
    for e in result.data["entry"]:
        r = e["resource"]
        if r["resourceType"] in ("DocumentReference",):
            continue
        if r["resourceType"] == "Patient" and "gender" not in r:
            continue
        assert spans(r, with_path=True), f"{r['resourceType']}/{r['id']} has no derivation-reference"
        for start, end, _ in spans(r, with_path=True):
            assert 0 <= start < end <= len(result.text)
            assert result.text[start:end].strip() == result.text[start:end], "evidence span has stray spaces"


def test_code_text_is_the_mention(result) -> None:
    """For every coded resource, CodeableConcept.text is the verbatim text of a cited span (or the regimen)."""
    for e in result.data["entry"]:
        r = e["resource"]
        cc = r.get("code") or r.get("medicationCodeableConcept")
        if not cc or r["resourceType"] == "Observation" and cc["text"] in ("âge",) or cc["text"].startswith("TNM "):
            continue
        cited = {result.text[s:t] for s, t, _ in spans(r)}
        assert cc["text"] in cited or any(cc["text"].startswith(c) for c in cited), (cc["text"], cited)


def test_json_round_trip(result) -> None:
    text = fhirconv.to_json(result.data)
    again = type(result.bundle).model_validate_json(text)
    assert again == result.bundle
    assert json.loads(text) == result.data


def test_xml_round_trip(result) -> None:
    xml = fhirconv.to_xml(result.bundle)
    back = type(result.bundle).model_validate_xml(xml.encode("utf-8"))
    assert back.model_dump(exclude_none=True) == result.bundle.model_dump(exclude_none=True)


def test_deterministic(result) -> None:
    again = fhirconv.convert(result.text, report_id=result.report_id)
    assert fhirconv.to_json(again.data) == fhirconv.to_json(result.data)


def test_document_reference_holds_the_source(result) -> None:
    import base64

    doc = result.data["entry"][0]["resource"]
    assert doc["resourceType"] == "DocumentReference" and doc["status"] == "current"
    att = doc["content"][0]["attachment"]
    assert base64.b64decode(att["data"]).decode("utf-8") == result.text
    assert att["contentType"] == "text/plain; charset=utf-8"


def test_r5_and_transaction_validate(result) -> None:
    r5 = fhirconv.convert(result.text, report_id=result.report_id, fhir_version="R5", bundle_type="transaction")
    assert r5.fhir_version == "R5"
    for e in r5.data["entry"]:
        assert e["request"] == {"method": "PUT", "url": f"{e['resource']['resourceType']}/{e['resource']['id']}"}
    meds = [e["resource"] for e in r5.data["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
    assert all(m["status"] == "recorded" and "medication" in m for m in meds)


def test_public_api_is_exactly_all() -> None:
    import types

    public = {
        n for n in dir(fhirconv) if not n.startswith("_") and not isinstance(getattr(fhirconv, n), types.ModuleType)
    }
    assert public == set(fhirconv.__all__) - {"__version__"}


def test_thread_safe_conversion(seed_results) -> None:
    from concurrent.futures import ThreadPoolExecutor

    items = [(k, r.text) for k, r in seed_results.items()] * 4
    with ThreadPoolExecutor(max_workers=4) as pool:
        outs = list(pool.map(lambda kv: fhirconv.to_json(fhirconv.convert(kv[1], report_id=kv[0]).data), items))
    for (k, _), out in zip(items, outs):
        assert out == fhirconv.to_json(seed_results[k].data)


def test_sunitinib_stopped_for_dic(seed_results) -> None:
    data = seed_results["000_cc71d98d2c67bead"].data
    sun = next(
        e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
        and e["resource"]["medicationCodeableConcept"].get("coding", [{}])[0].get("code") == "L01EX01"
    )
    assert sun["status"] == "stopped"
    assert sun["statusReason"][0]["coding"][0]["code"] == "D65"


NOT_ASSERTED = {"negation", "exclusion", "hypothesis", "differential", "family"}


def test_no_negated_hypothetical_or_family_mention_is_a_confirmed_condition(result) -> None:
    """A confirmed Condition must rest on at least one plain mention; a refuted one on a negated or excluded one."""
    kinds = ("condition", "finding", "morphology")
    for e in result.data["entry"]:
        r = e["resource"]
        if r["resourceType"] != "Condition":
            continue
        status = r["verificationStatus"]["coding"][0]["code"]
        cited = [
            m for m in result.mentions if m.kind in kinds and any(m.start < b and a < m.end for a, b, _ in spans(r))
        ]
        assert cited, f"Condition {r['code']['text']!r} cites no condition mention"
        plain = [m for m in cited if not NOT_ASSERTED & set(m.qualifiers)]
        if status == "confirmed":
            assert plain, (
                f"confirmed {r['code']['text']!r} rests only on {[(m.text, sorted(m.qualifiers)) for m in cited]}"
            )
        if status == "refuted":
            assert any({"negation", "exclusion"} & set(m.qualifiers) for m in cited), r["code"]["text"]
        assert not any("family" in m.qualifiers for m in cited) or plain, f"{r['code']['text']!r} is a relative's"
