"""A tumour only suspected, then answered by the report's final diagnosis (conditions/report.py ``_ruled_out``), and the
other session-7 assertion and vocabulary rules: a pathogen named by a test, the purpose of a test ("pour exclure"),
signs that are symptoms. Texts written for these tests (no corpus text)."""

from __future__ import annotations

from typing import Any

import fhirconv


def _conditions(text: str) -> dict[str, dict[str, Any]]:
    """Condition resources by their code text."""
    data = fhirconv.convert(text).data
    return {
        e["resource"]["code"]["text"]: e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Condition"
    }


def _verification(res: dict[str, Any]) -> str:
    return str(res["verificationStatus"]["coding"][0]["code"])


def _codes(res: dict[str, Any]) -> set[str]:
    return {c["code"] for c in res["code"].get("coding", [])}


def _cited(res: dict[str, Any], text: str, path: str) -> list[str]:
    out = []
    for ext in res["extension"]:
        sub = {x["url"]: x for x in ext.get("extension", [])}
        if sub.get("path", {}).get("valueString") == path:
            o = sub["offset"]["valueInteger"]
            out.append(text[o : o + sub["length"]["valueInteger"]])
    return out


DIFFERENTIAL = (
    "Le scanner montre une volumineuse masse pelvienne. Deux diagnostics ont été évoqués : un sarcome utérin ou "
    "un léiomyome. Une laparotomie a été réalisée. L'examen anatomopathologique a conclu à une tumeur fibreuse "
    "solitaire maligne."
)


def test_a_suspected_tumour_is_ruled_out_by_the_final_diagnosis_and_cites_it() -> None:
    conds = _conditions(DIFFERENTIAL)
    sarcoma = conds["sarcome utérin"]
    assert _verification(sarcoma) == "refuted"
    assert sarcoma["clinicalStatus"]["coding"][0]["code"] == "inactive"
    assert _cited(sarcoma, DIFFERENTIAL, "Condition.verificationStatus") == ["a conclu à"]
    assert _verification(conds["tumeur fibreuse solitaire maligne"]) == "confirmed"


def test_without_a_final_diagnosis_the_suspicion_stays_provisional() -> None:
    text = DIFFERENTIAL.split(" L'examen")[0] + " Les suites ont été simples."
    assert _verification(_conditions(text)["sarcome utérin"]) in ("provisional", "differential")


def test_the_suspicion_named_less_precisely_is_folded_into_the_final_diagnosis() -> None:
    text = (
        "Le diagnostic évoqué était celui d'une leucémie aiguë ou d'un lymphome malin non hodgkinien. "
        "La cytoponction a confirmé le diagnostic de lymphome de Burkitt."
    )
    conds = _conditions(text)
    assert _verification(conds["leucémie aiguë"]) == "refuted"
    assert "lymphome malin non hodgkinien" not in conds  # one disease, one Condition
    burkitt = conds["lymphome de Burkitt"]
    assert _verification(burkitt) == "confirmed" and "9687/3" in _codes(burkitt)


def test_a_generic_tumour_word_is_not_ruled_out_by_the_histology_that_names_it() -> None:
    text = (
        "Une tumeur du sein droit est suspectée. La biopsie a conclu à un carcinome canalaire infiltrant du sein droit."
    )
    conds = _conditions(text)
    assert all(_verification(c) != "refuted" for c in conds.values()), conds.keys()


def test_a_suspected_metastasis_is_not_answered_by_the_diagnosis_of_the_primary() -> None:
    text = (
        "Le scanner montre une suspicion de métastases hépatiques. "
        "La biopsie bronchique a conclu à un adénocarcinome pulmonaire."
    )
    conds = _conditions(text)
    assert _verification(conds["métastases hépatiques"]) == "provisional"


def test_a_suspected_infection_is_not_ruled_out_by_a_cancer() -> None:
    text = "Suspicion de tuberculose pulmonaire. La biopsie a conclu à un adénocarcinome pulmonaire."
    conds = _conditions(text)
    assert _verification(conds["tuberculose pulmonaire"]) == "provisional"


def test_a_pathogen_named_by_a_test_is_no_disease() -> None:
    for text in (
        "La PCR pour l'herpès dans le LCR était négative.",
        "La charge virale du VIH était indétectable sous traitement.",
        "Les anticorps anti-VIH ont été recherchés.",
        "Des sérologies ont été demandées pour le VHC et le VIH.",
    ):
        assert not _conditions(text), text
    # the patient's own infection stays a Condition
    infection = _conditions("Patient suivi pour une infection par le VIH depuis 2010.")
    assert any("B24" in _codes(c) for c in infection.values()), infection
    listed = _conditions(
        "Une sérologie pour les virus de l'hépatite (A, B et C), les rétrovirus (VIH-1 et 2) est faite."
    )
    assert not any("B24" in _codes(c) for c in listed.values()), listed  # "A" is a letter of the list, no verb
    # a test done, then its result: the diagnosis after the test's clause is the patient's
    found = _conditions("Une sérologie a été réalisée, le VIH a été diagnostiqué en 2012.")
    assert any("B24" in _codes(c) for c in found.values()), found


def test_the_purpose_of_a_test_is_a_hypothesis_forward_only() -> None:
    text = "Patient atteint de lymphome, une biopsie a été faite pour exclure une lésion néoplasique du foie."
    conds = _conditions(text)
    assert _verification(conds["lymphome"]) == "confirmed"
    assert [_verification(c) for k, c in conds.items() if k.startswith("lésion")] == ["provisional"]


def test_described_signs_are_symptoms_not_conditions() -> None:
    text = "Il présentait une hémoptysie, une cyanose des extrémités, une aphasie et une hyperémie conjonctivale."
    names = set(_conditions(text))
    assert not {"hémoptysie", "cyanose", "aphasie"} & names, names
    assert "hyperémie" not in names


def test_a_suspected_organ_gives_no_site_to_the_final_histology() -> None:
    text = (
        "Trois diagnostics ont été évoqués : un sarcome utérin, une tumeur ovarienne ou un syndrome de Krukenberg. "
        "L'examen anatomopathologique a conclu à une tumeur fibreuse solitaire maligne."
    )
    final = _conditions(text)["tumeur fibreuse solitaire maligne"]
    assert "bodySite" not in final and not {c for c in _codes(final) if c.startswith("C5")}, final.get("bodySite")
