"""Edge cases of the Condition rules of 2026-11-21 (anaphora, coordinated metastases, passive exclusion, folding a
disease into its longer name) where a rule fired on words that name something else. Sentences written for these
tests."""

from __future__ import annotations

from typing import Any

import fhirconv
from tests.golden import project, spans


def _conditions(text: str) -> list[dict[str, Any]]:
    """Each Condition: its projected fields (tests/golden.py) plus ``text`` and its main evidence ``words``."""
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            p = project(r)
            p["text"] = r["code"].get("text")
            p["words"] = sorted(text[a:b] for a, b, _ in spans(r))
            out.append(p)
    return out


def _with_word(conds: list[dict[str, Any]], word: str) -> list[dict[str, Any]]:
    return [c for c in conds if word in c["words"]]


def test_this_lesion_after_a_benign_cyst_is_the_cyst_not_the_cancer() -> None:
    text = (
        "Carcinome canalaire infiltrant du sein droit. L'échographie montre un kyste biliaire simple. "
        "Cette lésion est bénigne."
    )
    conds = _conditions(text)
    assert [c["cim10"] for c in _with_word(conds, "lésion")] == ["K83.5"], conds


def test_a_bare_lesion_right_after_the_cancer_is_still_the_cancer() -> None:
    conds = _conditions(
        "Antécédent d'hypertension artérielle. Adénocarcinome du côlon sigmoïde. La lésion mesure 4 cm."
    )
    assert [c["icdo3"] for c in _with_word(conds, "lésion")] == ["8140/3"], conds


def test_a_second_tumour_is_not_the_named_cancer() -> None:
    for other in ("une seconde tumeur", "une autre tumeur", "une deuxième tumeur"):
        text = f"Carcinome canalaire du sein gauche en 2015. En 2022, découverte d'{other}, de nature indéterminée."
        conds = _conditions(text)
        cancer = next(c for c in conds if c["icdo3"] == "8500/3")
        assert "tumeur" not in cancer["words"], (other, conds)
        assert any(c["icdo3"] and c["icdo3"].startswith("8000/") for c in conds), (other, conds)


def test_a_named_organ_after_metastases_is_not_a_coordinated_metastasis() -> None:
    # "rate et reins normaux": nouns of their own clause, said normal; only adjectives continue the metastasis
    conds = _conditions("Adénocarcinome du pancréas. Scanner : métastases hépatiques, rate et reins normaux.")
    metastases = sorted(c["cim10"] for c in conds if c["icdo3"] == "8140/6")
    assert metastases == ["C78.7"], conds


def test_coordinated_metastatic_adjectives_still_make_one_metastasis_each() -> None:
    conds = _conditions("Carcinome rénal avec métastases pulmonaires, surrénaliennes et osseuses.")
    assert sorted(c["cim10"] for c in conds if c["icdo3"] == "8010/6") == ["C78.0", "C79.5", "C79.7"], conds


def test_a_passive_exclusion_does_not_reach_back_over_a_retained_diagnosis() -> None:
    conds = _conditions("Une sarcoïdose est retenue et la tuberculose a été écartée.")
    by_code = {c["cim10"]: c["verification"] for c in conds}
    assert by_code == {"D86.9": "confirmed", "A16.9": "refuted"}, conds


def test_a_plural_passive_exclusion_refutes_each_coordinated_diagnosis() -> None:
    conds = _conditions("Une tuberculose et une sarcoïdose ont été écartées.")
    assert {c["cim10"]: c["verification"] for c in conds} == {"A16.9": "refuted", "D86.9": "refuted"}, conds


def test_hepatitis_c_does_not_fold_into_hepatitis_b() -> None:
    # "hépatite C" is read from the table term "hépatite" plus its agent: not the first words of "hépatite B"
    conds = _conditions("Antécédents : hépatite C traitée en 2015. Bilan : hépatite B chronique active.")
    hep_b = next(c for c in conds if c["cim10"] == "B18.1")
    assert "hépatite C" not in hep_b["words"] and len(conds) == 2, conds
    assert hep_b["clinical"] == "active", conds


def test_an_episode_years_before_its_longer_name_stays_apart() -> None:
    # the longer name is an episodic disease (acute appendicitis K35): an episode 13 years before is another one
    conds = _conditions("Appendicite en 2010, traitée médicalement. En mars 2023, appendicite aiguë.")
    assert sorted((c["text"], c["onset"]) for c in conds) == [("Appendicite", "2010"), ("appendicite aiguë", "2023-03")]
    # undated, the two names are one disease
    conds = _conditions("Douleur de la fosse iliaque droite évoquant une appendicite. Appendicite aiguë confirmée.")
    assert [c["cim10"] for c in conds] == ["K35.8"], conds


def test_a_size_with_its_dimension_still_reaches_the_site() -> None:
    # "de 2 cm de diamètre du rein": the kidney tumour is not the prostate cancer restated
    conds = _conditions("Adénocarcinome prostatique. Tumeur de 2 cm de diamètre du rein gauche.")
    prostate = next(c for c in conds if c["icdo3"] == "8140/3")
    assert "Tumeur" not in prostate["words"], conds
    assert any(c["body_site"] == "C64.9" for c in conds), conds


def test_lesions_said_secondary_do_not_give_the_histology_its_site() -> None:
    # ("de la vallécule": a site topography.csv lacks; "amygdale" is a row now and gives the carcinoma C09.9)
    text = "Carcinome épidermoïde de la vallécule droite. Lésions osseuses lytiques d'allure secondaire."
    carcinoma = next(c for c in _conditions(text) if c["icdo3"] == "8070/3")
    assert carcinoma["body_site"] is None, carcinoma


def test_adenopathies_said_non_metastatic_are_not_nodal_metastases() -> None:
    conds = _conditions("Carcinome du sein. Adénopathies axillaires non métastatiques.")
    assert not [c for c in conds if c["icdo3"] == "8010/6" and c["verification"] != "refuted"], conds
    assert any(c["cim10"] and c["cim10"].startswith("R59") for c in conds), conds


def test_a_current_disease_does_not_fold_into_a_past_episode_of_its_longer_name() -> None:
    # gestational diabetes ended with that pregnancy: today's "diabète" is another disease
    conds = _conditions("Antécédent de diabète gestationnel en 2010. Actuellement diabète sous metformine.")
    gestational = next(c for c in conds if c["cim10"] == "O24.4")
    assert gestational["words"] == ["diabète gestationnel"] and gestational["clinical"] == "resolved", conds
    assert any(c["cim10"] == "E14.9" and c["clinical"] == "active" for c in conds), conds


def test_a_finding_does_not_read_the_patient_as_its_second_complement() -> None:
    conds = _conditions("Hématome de la paroi vésicale de la patiente après biopsie.")
    assert [(c["text"], c["body_site"]) for c in conds] == [("Hématome de la paroi vésicale", "C67.9")], conds


def test_a_complication_said_metastatic_stays_beside_the_metastasis() -> None:
    conds = _conditions("Adénocarcinome pulmonaire. Fracture pathologique métastatique du fémur.")
    assert any(c["text"] == "Fracture pathologique" and c["icdo3"] is None for c in conds), conds
    assert any(c["icdo3"] == "8140/6" and c["body_site"] == "C40.2" for c in conds), conds
    conds = _conditions("Adénocarcinome pulmonaire. Compression médullaire métastatique.")
    assert any(c["text"] == "Compression médullaire" and c["icdo3"] is None for c in conds), conds
    assert any(c["icdo3"] == "8140/6" for c in conds), conds


def test_a_patient_excluded_from_a_trial_is_no_diagnosis_ruled_out() -> None:
    conds = _conditions("Le patient diabétique a été exclu de l'essai thérapeutique.")
    assert [(c["cim10"], c["verification"]) for c in conds] == [("E14.9", "confirmed")], conds
    conds = _conditions("Le diagnostic de lymphome a été éliminé de façon formelle.")
    assert [c["verification"] for c in conds] == ["refuted"], conds


def test_a_generic_tumour_of_the_organ_restates_the_named_cancer_written_before_it() -> None:
    conds = _conditions("Adénocarcinome du rectum. La tumeur rectale mesure 5 cm.")
    assert [(c["icdo3"], c["body_site"]) for c in conds] == [("8140/3", "C20.9")], conds
    assert "tumeur rectale" in conds[0]["words"], conds
