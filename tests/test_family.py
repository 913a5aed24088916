"""A relative's disease is a FamilyMemberHistory of that relative, whichever side of the disease the relative is
named on, and a relative's cancer is coded with its organ as the patient's would be."""

from __future__ import annotations

import pytest

import fhirconv

CIM10 = "https://smt.esante.gouv.fr/terminologie-cim-10"


def _family(text: str) -> list[tuple[str, str, str]]:
    """(disease words, CIM-10 code or "", v3 RoleCode) of each FamilyMemberHistory."""
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "FamilyMemberHistory":
            for cond in r["condition"]:
                code = cond["code"]
                cim10 = next((c["code"] for c in code.get("coding", []) if c["system"] == CIM10), "")
                out.append((code["text"], cim10, r["relationship"]["coding"][0]["code"]))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # each relative in brackets is the one of the disease before it, not of the next one
        (
            "Antécédents familiaux : cancer du sein (mère), cancer colorectal (père).",
            [("cancer du sein", "C50.9", "MTH"), ("cancer colorectal", "C19", "FTH")],
        ),
        # "chez" + a relative after the disease
        ("Diabète de type 2 chez la mère.", [("Diabète de type 2", "E11.9", "MTH")]),
        ("Cancer du sein chez sa sœur à 45 ans.", [("Cancer du sein", "C50.9", "SIS")]),
        # the relative's cancer takes its organ's code
        ("Sa mère est décédée d'un cancer de l'ovaire à 62 ans.", [("cancer de l'ovaire", "C56", "MTH")]),
    ],
)
def test_a_relatives_disease(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _family(text) == expected


def test_chez_the_patient_is_the_patients() -> None:
    text = "Diabète chez le patient depuis 2010."
    assert _family(text) == []
    assert [e for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == "Condition"]


def test_one_family_member_history_per_relative() -> None:
    """The diseases of one relative named once are the conditions of one FamilyMemberHistory; an unnamed family
    member's diseases stay apart (they may be two relatives')."""
    text = "Le père, décédé d'un cancer du côlon, était hypertendu. Antécédents familiaux : diabète, asthme."
    fmh = [e["resource"] for e in fhirconv.convert(text).data["entry"]]
    fmh = [r for r in fmh if r["resourceType"] == "FamilyMemberHistory"]
    by_relative = [(r["relationship"]["coding"][0]["code"], [c["code"]["text"] for c in r["condition"]]) for r in fmh]
    assert by_relative == [
        ("FTH", ["cancer du côlon", "hypertendu"]),
        ("FAMMEMB", ["diabète"]),
        ("FAMMEMB", ["asthme"]),
    ]
