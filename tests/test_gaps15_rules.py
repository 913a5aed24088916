"""Rules for the recorded gaps of our own reports (tests/data/unseen/expected.yaml ``gaps``, session 15): a tumour
name read past the site its term holds, and codes seen in review (a chronic dialysis patient's end-stage renal
disease, an allergy to penicillin). Texts written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import condition_codings as _codings
from tests.bundle_facts import entries as _entries


@pytest.mark.parametrize(
    ("text", "morphology", "cim10"),
    [
        # the subtype written after the site the term holds, with or without "malin" between
        ("Diagnostic de mésothéliome pleural malin de type épithélioïde.", "9052/3", "C45.0"),
        ("Mésothéliome pleural de type sarcomatoïde, non opérable.", "9051/3", "C45.0"),
        ("Biopsies : mésothéliome pleural biphasique.", "9053/3", "C45.0"),
        ("Mésothéliome péritonéal malin épithélioïde à la laparoscopie.", "9052/3", "C45.1"),
        # the site written as a complement: its preposition is left out too
        ("Biopsie en faveur d'un mésothéliome de la plèvre malin sarcomatoïde.", "9051/3", "C45.0"),
        ("Mésothéliome du péritoine de type biphasique.", "9053/3", "C45.1"),
        # counter-examples: no subtype written, the term's own histology stays
        ("Mésothéliome pleural malin, traité par chimiothérapie.", "9050/3", "C45.0"),
        ("Mésothéliome pleural diagnostiqué en 2020.", "9050/3", "C45.0"),
    ],
)
def test_tumour_name_read_past_its_own_site(text: str, morphology: str, cim10: str) -> None:
    assert _codings(text, "icd-o-3") == [morphology]
    assert _codings(text, "cim-10") == [cim10]


def test_a_less_specific_name_past_the_site_is_not_taken() -> None:
    # the term's own histology is more specific than a name read without its site would be
    assert _codings("Carcinome ovarien séreux de haut grade.", "icd-o-3") == ["8461/3"]


@pytest.mark.parametrize(
    "text",
    [
        "Patient hémodialysé chronique depuis 2015.",
        "Patiente de 70 ans, hémodialysée chronique, diabétique.",
        "Il est dialysé chronique pour une polykystose rénale.",
    ],
)
def test_a_chronic_dialysis_patient_has_end_stage_renal_disease(text: str) -> None:
    assert "N18.5" in _codings(text, "cim-10")
    # the same words stay the dialysis Procedure
    procedures = [c["code"] for p in _entries(text, "Procedure") for c in p["code"]["coding"]]
    assert procedures in (["302497006"], ["108241001"])  # haemodialysis, dialysis


@pytest.mark.parametrize(
    "text",
    [
        "Patient hémodialysé trois fois par semaine.",  # dialysis, its cause not said chronic
        "Une hémodialyse en urgence a été réalisée pour hyperkaliémie.",
    ],
)
def test_dialysis_alone_is_no_renal_disease(text: str) -> None:
    assert "N18.5" not in _codings(text, "cim-10")
    assert _entries(text, "Procedure")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Il est allergique à la pénicilline.", "Z88.0"),
        ("Antécédents : allergie à la pénicilline (urticaire).", "Z88.0"),
        ("Patiente allergique aux pénicillines, traitée par clindamycine.", "Z88.0"),
        # counter-examples: an allergy to something else stays an allergy
        ("Il est allergique aux acariens.", "T78.4"),
        ("Réaction allergique après la perfusion.", "T78.4"),
    ],
)
def test_allergy_to_penicillin_is_a_history_of_drug_allergy(text: str, code: str) -> None:
    assert _codings(text, "cim-10") == [code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a recurrence at an organ of the primary's ICD-O-3 category that a cancer spreads to as to another one: the
        # pleura (C38.4, secondary C78.2) is not the mediastinum (C38.1, secondary C78.1) of a thymoma
        (
            "Le scanner montrait une masse médiastinale antérieure. L'histologie concluait à un thymome de type AB. "
            "En 2020, récidive pleurale du thymome.",
            "C78.2",
        ),
        ("Masse médiastinale antérieure : thymome de type A. Deux ans plus tard, rechute pleurale.", "C78.2"),
    ],
)
def test_recurrence_at_another_organ_of_the_category_is_a_secondary(text: str, code: str) -> None:
    assert code in _codings(text, "cim-10")


@pytest.mark.parametrize(
    "text",
    [
        # counter-examples: a recurrence at the primary's own organ is the primary recurring
        "Le scanner montrait une masse médiastinale antérieure. L'histologie concluait à un thymome de type B1. "
        "En 2020, récidive médiastinale.",
        "Adénocarcinome du lobe supérieur droit opéré en 2018. En 2021, récidive pulmonaire.",
    ],
)
def test_recurrence_at_the_primary_organ_stays_its_recurrence(text: str) -> None:
    recurrences = [r for r in _entries(text, "Condition") if r["clinicalStatus"]["coding"][0]["code"] == "recurrence"]
    assert len(recurrences) == 1
    assert not [c for c in _codings(text, "cim-10") if c.startswith(("C78", "C79"))]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a glioma only suspected in a breast cancer report is a brain tumour, not a breast one
        (
            "Cancer du sein droit traité en 2018. En 2021, un abcès cérébral et un glioblastome ont été évoqués, "
            "mais la biopsie a confirmé des métastases cérébrales.",
            "C71.9",
        ),
        ("Tumeur du sein gauche opérée. Devant les céphalées, un astrocytome a été suspecté à l'IRM.", "C71.9"),
        # counter-examples: a histology of no organ of its own, or of any organ, takes the report's organ
        ("Tumeur du sein gauche. Biopsie : carcinome canalaire infiltrant.", "C50.9"),
        (
            "Patiente adressée pour une tuméfaction mandibulaire droite. L'IRM montre un processus tissulaire "
            "évocateur d'un sarcome.",
            "C41.1",
        ),
    ],
)
def test_suspected_histology_keeps_its_own_organ(text: str, code: str) -> None:
    codes = _codings(text, "cim-10")
    assert code in codes
    assert sum(c.startswith("C50") for c in codes) <= 1  # the breast tumour alone


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # "médullaire" in the words of a cancer's spread is the bone marrow (C79.5), not the primary recurring
        (
            "Neuroblastome surrénalien en rémission complète en 2018. En 2020, rechute médullaire et osseuse.",
            "C79.5",
        ),
        ("Adénocarcinome de la prostate. En 2020, infiltration médullaire au myélogramme.", "C79.5"),
    ],
)
def test_marrow_relapse_is_a_secondary_of_the_marrow(text: str, code: str) -> None:
    assert code in _codings(text, "cim-10")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # counter-examples: the spinal cord
        ("Compression médullaire sur métastase vertébrale d'un adénocarcinome prostatique.", "G95.2"),
        # a lymphoma's marrow relapse is the lymphoma recurring (no secondary of a lymphoid neoplasm)
        ("Lymphome B diffus à grandes cellules. Rechute médullaire en 2019.", "C83.3"),
    ],
)
def test_marrow_words_that_are_no_secondary(text: str, code: str) -> None:
    codes = _codings(text, "cim-10")
    assert code in codes
    assert "C79.5" not in codes or code == "G95.2"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a basal cell carcinoma (locally invasive, almost never metastatic) lends its histology to no metastasis
        # when the report has another named cancer
        (
            "Antécédent de carcinome basocellulaire du dos opéré en 2012. Carcinome épidermoïde de la lèvre "
            "inférieure avec métastase ganglionnaire cervicale.",
            "8070/6",
        ),
        (
            "Carcinome basocellulaire de la joue en 2016. En 2021, adénocarcinome du côlon sigmoïde avec métastases "
            "hépatiques.",
            "8140/6",
        ),
        # counter-examples: the basal cell carcinoma alone, and two other cancers (the first stays the primary)
        ("Carcinome basocellulaire négligé du cuir chevelu. Le scanner montre des métastases pulmonaires.", "8090/6"),
        (
            "Adénocarcinome prostatique en 2010. Carcinome urothélial de la vessie en 2019. Métastases osseuses en "
            "2021.",
            "8140/6",
        ),
    ],
)
def test_metastases_are_not_a_basal_cell_carcinoma_s(text: str, code: str) -> None:
    assert [c for c in _codings(text, "icd-o-3") if c.endswith("/6")] == [code]
