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


def test_words_between_counts_like_findall_up_to_its_bound() -> None:
    # the bounded count replaced len(_WORD.findall(gap)) in the builders (a report written as one giant sentence
    # made those counts cubic): below the bound it must be the same number, above it any number past the bound
    import re

    from fhirconv.build.common import words_between

    word = re.compile(r"[^\W_]+")
    text = "pour une  colectomie, l'adénocarcinome (T3) de 5-FU  _ en 2014 ... fin"
    for start in range(len(text)):
        for end in range(start, len(text) + 1, 3):
            full = len(word.findall(text[start:end]))
            for most in (0, 2, 4, 6, 12):
                got = words_between(text, start, end, most)
                assert got == full if full <= most else got > most, (start, end, most)
    assert words_between(text, 10, 5, 4) == 0  # an empty (reversed) gap has no word
