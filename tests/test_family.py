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


def _of_patient(text: str, rtype: str) -> list[str]:
    """The words of the patient's resources of one type (Procedure, MedicationStatement)."""
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == rtype:
            out.append((r.get("code") or r.get("medicationCodeableConcept"))["text"])
    return out


@pytest.mark.parametrize(
    ("text", "rtype", "expected"),
    [
        # an act or a drug in a clause about a relative is the relative's, not the patient's
        (
            "Son frère, décédé en hémodialyse, avait une néphropathie. Le patient a eu une biopsie.",
            "Procedure",
            ["biopsie"],
        ),
        ("Son père a été opéré d'une colectomie en 1990. Coloscopie normale.", "Procedure", ["Coloscopie"]),
        (
            "Sa sœur, traitée par lévothyroxine, va bien. Le patient prend du ramipril.",
            "MedicationStatement",
            ["ramipril"],
        ),
        # a relative who acts on the patient: the act or the drug is the patient's
        ("Sa mère lui a donné du paracétamol.", "MedicationStatement", ["paracétamol"]),
        ("Ses parents l'ont amené pour une radiographie du thorax.", "Procedure", ["radiographie du thorax"]),
        # a sentence of the patient after one about a relative
        ("Sa mère est diabétique. Hémodialyse depuis 2015.", "Procedure", ["Hémodialyse"]),
    ],
)
def test_a_relatives_act_or_drug_is_not_the_patients(text: str, rtype: str, expected: list[str]) -> None:
    assert _of_patient(text, rtype) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "en" gives the disease named before to every relative between it and the pronoun, the code refined as
        # the patient's
        (
            "Suivie pour une polykystose rénale autosomique dominante ; sa tante, décédée jeune, et son grand-père "
            "en étaient atteints.",
            [
                ("polykystose rénale autosomique dominante", "Q61.2", "AUNT"),
                ("polykystose rénale autosomique dominante", "Q61.2", "GRFTH"),
            ],
        ),
        ("Il a un diabète de type 1. Son frère en est également atteint.", [("diabète de type 1", "E10.9", "BRO")]),
        # no pronoun: the relative's own words say nothing of the disease
        ("Il a un diabète de type 1. Son frère est en bonne santé.", []),
    ],
)
def test_relatives_said_to_have_the_disease_named_before(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _family(text) == expected
