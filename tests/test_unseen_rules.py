"""Rules found wrong on new reports written for session 9 (tests/data/unseen): passive hypotheses and exclusions
written after the disease, a plural test result, a relative's finding head, "l'enfant" of a paediatric report, a
procedure whose result is negative. Texts written for these tests (no corpus text)."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv


def _resources(text: str, rtype: str) -> dict[str, dict[str, Any]]:
    data = fhirconv.convert(text).data
    return {
        (r.get("code") or {}).get("text", ""): r
        for r in (e["resource"] for e in data["entry"])
        if r["resourceType"] == rtype
    }


def _verification(text: str) -> dict[str, str]:
    return {k: r["verificationStatus"]["coding"][0]["code"] for k, r in _resources(text, "Condition").items()}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the auxiliary between the disease and the verb no longer cuts the hypothesis' scope
        ("Un lymphome de Hodgkin avait été évoqué avant la biopsie.", {"lymphome de Hodgkin": "provisional"}),
        ("Une embolie pulmonaire a été suspectée au deuxième jour.", {"embolie pulmonaire": "provisional"}),
        (
            "Une sarcoïdose ou une tuberculose ont été discutées devant les adénopathies.",
            {"sarcoïdose": "provisional", "tuberculose": "provisional"},
        ),
        ("Une appendicite était soupçonnée.", {"appendicite": "provisional"}),
        # suspected then ruled out: refuted, not merely possible
        (
            "Une dissection aortique avait été évoquée initialement puis écartée par le scanner.",
            {"dissection aortique": "refuted"},
        ),
        ("Une pneumocystose a été évoquée puis éliminée.", {"pneumocystose": "refuted"}),
        # a diagnosis not kept, across an apposition
        (
            "Une sclérose en plaques, évoquée devant les lésions de la substance blanche, n'a pas été retenue.",
            {"sclérose en plaques": "refuted"},
        ),
        ("Le diagnostic de lupus n'a pas été retenu.", {"lupus": "refuted"}),
        # present tense "est discutée" debates a link between diseases the patient has: no hypothesis
        (
            "L'association de la cirrhose à la pneumonie est discutée.",
            {"cirrhose": "confirmed", "pneumonie": "confirmed"},
        ),
        # not confirmed: still a hypothesis; the active verbs of suspicion and fear
        ("Le diagnostic de sarcoïdose n'a pas été confirmé.", {"sarcoïdose": "provisional"}),
        ("Une tuberculose non confirmée.", {"tuberculose": "provisional"}),
        ("On suspectait une appendicite.", {"appendicite": "provisional"}),
        ("Le tableau faisait craindre une méningite.", {"méningite": "provisional"}),
        ("Le diagnostic de sarcoïdose a été confirmé par la biopsie.", {"sarcoïdose": "confirmed"}),
        # a test result's participle rules out
        ("Le doppler était normal, éliminant une dissection carotidienne.", {"dissection carotidienne": "refuted"}),
        ("Un épaississement cutané n'excluant pas une lymphangite.", {"lymphangite": "provisional"}),
        (
            "La CRP élevée éliminant ainsi une simple colonisation bactérienne de l'ulcère.",
            {"ulcère": "confirmed"},
        ),
        # a disease stated plainly stays confirmed
        ("Un lymphome de Hodgkin a été diagnostiqué en 2010.", {"lymphome de Hodgkin": "confirmed"}),
    ],
)
def test_passive_hypothesis_and_exclusion(text: str, expected: dict[str, str]) -> None:
    got = _verification(text)
    assert {k: got.get(k) for k in expected} == expected


def test_plural_test_result_negates_the_whole_list() -> None:
    got = _verification("Les sérologies des hépatites B et C et du VIH étaient négatives.")
    assert got and set(got.values()) == {"refuted"}
    # a singular result word still reaches only a few words back: the disease of the first clause stands
    got = _verification("Il a une cirrhose connue depuis 2005 et la radiographie du thorax était négative.")
    assert got["cirrhose"] == "confirmed"


def test_relative_finding_head_needs_its_modifier() -> None:
    data = fhirconv.convert("Sa mère est atteinte d'une maladie d'Alzheimer.").data
    fmh = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "FamilyMemberHistory"]
    assert [[c["code"]["text"] for c in r["condition"]] for r in fmh] == [["maladie d'Alzheimer"]]


@pytest.mark.parametrize(
    ("text", "patient", "family"),
    [
        ("L'enfant présentait une pneumonie.", ["pneumonie"], []),
        (
            "Syndrome néphrotique de l'enfant, probablement à lésions glomérulaires minimes.",
            ["Syndrome néphrotique"],
            [],
        ),
        ("Son enfant a un asthme.", [], ["asthme"]),
        ("Ses enfants ont un asthme.", [], ["asthme"]),
    ],
)
def test_l_enfant_is_the_patient(text: str, patient: list[str], family: list[str]) -> None:
    data = fhirconv.convert(text).data
    res = [e["resource"] for e in data["entry"]]
    conds = [r["code"]["text"] for r in res if r["resourceType"] == "Condition"]
    fmh = [c["code"]["text"] for r in res if r["resourceType"] == "FamilyMemberHistory" for c in r["condition"]]
    assert all(p in conds for p in patient) and fmh == family


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("La biopsie pleurale était négative.", "completed"),
        ("Les biopsies pleurales étaient négatives.", "completed"),
        ("Pas de biopsie.", "not-done"),
        ("La chirurgie a été écartée.", "not-done"),
    ],
)
def test_negative_result_is_a_done_procedure(text: str, status: str) -> None:
    procs = _resources(text, "Procedure")
    assert [r["status"] for r in procs.values()] == [status]


def _codes(r: dict[str, Any], key: str = "code") -> set[str]:
    return {c["code"] for c in r[key].get("coding", [])}


def test_rows_added_for_the_new_reports() -> None:
    """Table rows the new reports lacked: a spider naevus is no haemangioma, the type of a diabetic patient's
    diabetes, a portal vein thrombosis, a CD4 count and an HIV viral load with their own codes and units."""
    conds = _resources(
        "Angiomes stellaires et thrombose portale chez un patient diabétique de type 2. "
        "Syndrome inflammatoire de restauration immunitaire.",
        "Condition",
    )
    assert _codes(conds["Angiomes stellaires"]) == {"I78.1"}
    assert _codes(conds["thrombose portale"]) == {"I81"}
    assert "E11.9" in _codes(conds["diabétique de type 2"])
    assert _codes(conds["Syndrome inflammatoire de restauration immunitaire"]) == {"D89.3"}
    obs = _resources("Lymphocytes CD4 à 85 /mm3, charge virale VIH de 250000 copies/ml.", "Observation")
    cd4, vl = obs["Lymphocytes CD4"], obs["charge virale VIH"]
    assert (_codes(cd4), cd4["valueQuantity"]["value"], cd4["valueQuantity"]["code"]) == ({"24467-3"}, 85, "/mm3")
    assert (_codes(vl), vl["valueQuantity"]["value"], vl["valueQuantity"]["code"]) == (
        {"20447-9"},
        250000,
        "{copies}/mL",
    )
    meds = _resources("Traitement par sofosbuvir/velpatasvir pendant 12 semaines.", "MedicationStatement")
    assert {c for r in meds.values() for c in _codes(r, "medicationCodeableConcept")} == {"J05AP55"}
    procs = _resources("Prothèse totale de hanche gauche. Angioplastie coronaire avec pose d'un stent.", "Procedure")
    assert {c for r in procs.values() for c in _codes(r)} >= {"52734007", "5431005"}


@pytest.mark.parametrize(
    ("text", "word", "date"),
    [
        # a date inside brackets closed before the mention is the bracket's own (when she stopped smoking)
        (
            "Une femme ancienne fumeuse (sevrée en 2010, 35 paquets-années), suivie pour une BPCO, a été vue en 2022.",
            "BPCO",
            None,
        ),
        # brackets around the date's own words only, or none: the date still dates what follows
        ("En mars 2015 (à 45 ans), elle a présenté une pancréatite aiguë.", "pancréatite aiguë", "2015-03"),
        ("En mars 2015, elle a présenté une pancréatite aiguë (biliaire).", "pancréatite aiguë", "2015-03"),
    ],
)
def test_bracketed_date_dates_its_bracket(text: str, word: str, date: str | None) -> None:
    result = fhirconv.convert(text)
    got = [m.date.iso() if m.date else None for m in result.mentions if m.text == word]
    assert got == [date]
