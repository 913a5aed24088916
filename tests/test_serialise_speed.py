"""The fast JSON encoder writes what the standard library wrote (the golden files predate it), and falls back to
the standard library where orjson refuses a value."""

from __future__ import annotations

import json

import fhirconv


def test_fast_json_is_the_stdlib_bytes(seed_results) -> None:
    for result in seed_results.values():
        data = result.data
        assert fhirconv.to_json(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        assert fhirconv.to_ndjson_line(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_escapes_and_big_integers() -> None:
    tricky = {"text": 'é\u2028"\\\x00\x1f\t\n', "empty": [], "obj": {}, "n": [1.5, 2.0, -0.0, 37.5, 1e16], "big": 2**70}
    assert fhirconv.to_json(tricky) == json.dumps(tricky, ensure_ascii=False, indent=2) + "\n"
    assert fhirconv.to_ndjson_line(tricky) == json.dumps(tricky, ensure_ascii=False, separators=(",", ":")) + "\n"


def _reference_xml(model: object) -> str:
    xml = model.model_dump_xml()  # type: ignore[attr-defined]
    return xml if isinstance(xml, str) else xml.decode("utf-8")


def test_fast_xml_is_the_fhir_resources_bytes(seed_results) -> None:
    for stem, result in seed_results.items():
        assert fhirconv.to_xml(result.bundle) == _reference_xml(result.bundle), stem
    text = 'Homme de 70 ans. Diagnostic : "cancer" & <lésion>\ttabulée\nHb 10,2 g/dl. Pas de fièvre.'
    for version in ("R4", "R5"):
        bundle = fhirconv.convert(text, fhir_version=version, bundle_type="transaction").bundle
        assert fhirconv.to_xml(bundle) == _reference_xml(bundle)


def test_fast_xml_escapes_like_lxml() -> None:
    from fhir.resources.R4B.patient import Patient

    from fhirconv.serialise import _fast_xml

    patient = Patient.model_validate(
        {
            "resourceType": "Patient",
            "id": "p1",
            "extension": [{"url": 'http://example.org/a?b=1&c="2"', "valueDecimal": 37.50}],
            "name": [{"text": 'Zoé "Z" <Zed> & co\tdeux\nlignes', "given": ["A", "B"]}],
            "active": False,
            "birthDate": "1970-03",
        }
    )
    assert _fast_xml(patient) == _reference_xml(patient)  # the fast writer itself, not a fallback
    assert "&quot;Z&quot; &lt;Zed&gt; &amp; co&#9;deux&#10;lignes" in _fast_xml(patient)


def test_xml_features_fhirconv_does_not_write_go_to_fhir_resources() -> None:
    from fhir.resources.R4B.patient import Patient

    # a narrative (xhtml) and a primitive extension (_gender): left to fhir.resources' own writer
    patient = Patient.model_validate(
        {
            "resourceType": "Patient",
            "id": "p1",
            "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">Mme X</div>'},
            "gender": "female",
            "_gender": {"extension": [{"url": "http://example.org/x", "valueString": "y"}]},
            "active": True,
        }
    )
    xml = fhirconv.to_xml(patient)
    assert xml == _reference_xml(patient)
    assert "<div" in xml and 'url="http://example.org/x"' in xml


def test_xml_from_the_validated_dict_is_the_same_bytes(seed_results) -> None:
    # the batch writer serialises XML from the dict (no model built): the bytes must be fhir.resources' own
    for stem, result in seed_results.items():
        assert fhirconv.to_xml(result.data) == _reference_xml(result.bundle), stem
    text = 'Homme de 70 ans. Diagnostic : "cancer" & <lésion>\ttabulée\nHb 10,2 g/dl. Pas de fièvre.'
    for version in ("R4", "R5"):
        result = fhirconv.convert(text, fhir_version=version, bundle_type="transaction")
        assert fhirconv.to_xml(result.data, version) == _reference_xml(result.bundle)


def test_xml_from_a_dict_falls_back_to_the_model_where_text_could_differ() -> None:
    from fhirconv.serialise import _fast_xml_data, _Unsupported

    result = fhirconv.convert("Femme de 51 ans. Diagnostic : adénocarcinome gastrique.")
    data = result.data
    doc = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "DocumentReference")
    doc["date"] = "2015-03-02T10:00:00Z"  # a model holds a datetime here: its isoformat is not this text
    try:
        _fast_xml_data(data, "R4")
        raise AssertionError("a dateTime with a time must go through the model")
    except _Unsupported:
        pass
    ref = type(result.bundle).model_validate(data).model_dump_xml()
    assert fhirconv.to_xml(data) == (ref if isinstance(ref, str) else ref.decode("utf-8"))
