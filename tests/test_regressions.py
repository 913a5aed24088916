"""Reports that once crashed the converter (each written for the test, after the real case that showed the bug)."""

from __future__ import annotations

import fhirconv


def test_a_regimen_inside_a_relative_date_anchor() -> None:
    # the anchor "cycle de traitement par carboplatine-paclitaxel" names a regimen, whose table row has a name and
    # no term: the anchor lookup read row.term and raised AttributeError
    text = (
        "Traitement\nChimiothérapie par carboplatine-paclitaxel débutée le 20/10/2014.\n\n"
        "Évolution\nLe patient a été réadmis pour une pancytopénie au jour +11 du troisième cycle de traitement "
        "par carboplatine-paclitaxel."
    )
    result = fhirconv.convert(text)
    atc = {
        c["code"]
        for e in result.data["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
        for c in e["resource"]["medicationCodeableConcept"].get("coding", [])
    }
    assert {"L01XA02", "L01CD01"} <= atc  # carboplatin, paclitaxel


def test_a_zero_count_is_no_count() -> None:
    # found by tests/test_properties.py: "0 cycles" became Timing.repeat.count 0, which FHIR forbids (positiveInt)
    result = fhirconv.convert("Traitement par 5-FU 400 mg/m2, 0 cycles réalisés, deux fois par jour.")
    meds = [e["resource"] for e in result.data["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]
    assert meds
    for med in meds:
        for dosage in med.get("dosage", []):
            assert dosage.get("timing", {}).get("repeat", {}).get("count", 1) >= 1


def test_a_number_before_a_lab_test_is_checked_on_its_own_neighbour_only() -> None:
    # "_NUMBER_BEHIND.search(text, 0, start)" scanned the whole text before every test named after a number: a
    # report 100x longer cost 4x more per character in this stage. The verdict must not change:
    # "2000 plaquettes" is a value, "3/2000 plaquettes" (a number glued before it) is not.
    ok = fhirconv.convert("Bilan : 2000 plaquettes.")
    glued = fhirconv.convert("Bilan : 3/2000 plaquettes.")

    def platelets(r: fhirconv.ConversionResult) -> list[dict]:
        return [
            e["resource"]
            for e in r.data["entry"]
            if e["resource"]["resourceType"] == "Observation" and "plaquettes" in e["resource"]["code"]["text"]
        ]

    assert platelets(ok)[0]["valueQuantity"]["value"] == 2000
    assert all("valueQuantity" not in o for o in platelets(glued))
