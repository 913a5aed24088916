"""A tumour's site written away from the tumour word: after a short spatial phrase ("dans l'hémisphère
cérébelleux"), with a grade between ("de grade 3 du sein"), on another tumour of the report ("tumeur du sein" ...
"carcinome canalaire infiltrant"), or as a sub-site elsewhere in the report ("quadrant supéro-externe")."""

from __future__ import annotations

import pytest

import fhirconv
from tests.golden import spans

CIM10 = "https://smt.esante.gouv.fr/terminologie-cim-10"
ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _tumours(text: str) -> dict[str, set[str]]:
    """ICD-O-3 morphology -> the CIM-10 codes of the Conditions with that morphology."""
    out: dict[str, set[str]] = {}
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] != "Condition":
            continue
        codes = {c["system"]: c["code"] for c in r["code"].get("coding", [])}
        if ICDO in codes:
            out.setdefault(codes[ICDO], set()).add(codes.get(CIM10, ""))
    return out


@pytest.mark.parametrize(
    ("text", "morph", "code"),
    [
        ("Le scanner montre une métastase dans l'hémisphère cérébelleux gauche.", "8000/6", "C79.3"),
        ("Examen : carcinome canalaire infiltrant de grade 2 du sein gauche.", "8500/3", "C50.9"),
        ("Biopsie : adénocarcinome de grade II de la prostate.", "8140/3", "C61"),
        # sites named by a short word: "la trompe" (utérine), "l'hémilarynx", "l'os maxillaire"
        ("Carcinome séreux de haut grade dans le tiers distal de la trompe gauche.", "8461/3", "C57.0"),
        ("Carcinome épidermoïde de l'hémilarynx droit.", "8070/3", "C32.9"),
        ("Ostéosarcome de l'os maxillaire.", "9180/3", "C41.0"),
        # the lung lobes' abbreviations, and "en" before the site
        ("Anatomie pathologique : adénocarcinome en LSD mesurant 3 cm.", "8140/3", "C34.1"),
        ("Carcinome épidermoïde du LID de 2 cm.", "8070/3", "C34.3"),
        # "d'origine X" names the primary's organ
        ("Métastase hépatique d'un adénocarcinome d'origine pulmonaire.", "8140/3", "C34.9"),
        ("Biopsie hépatique : métastase d'adénocarcinome d'origine colique.", "8140/3", "C18.9"),
    ],
)
def test_site_after_a_spatial_word_or_a_grade(text: str, morph: str, code: str) -> None:
    assert _tumours(text)[morph] == {code}


def test_an_unsited_histology_takes_the_site_of_the_reports_tumour() -> None:
    text = (
        "Palpation d'une tumeur du sein droit de 2 cm. Biopsie : carcinome canalaire infiltrant, récepteurs "
        "hormonaux positifs."
    )
    assert _tumours(text)["8500/3"] == {"C50.9"}


def test_with_no_generic_tumour_the_lesion_of_one_organ_gives_the_site() -> None:
    text = (
        "La cystoscopie montre une lésion bourgeonnante de la paroi latérale droite de la vessie. La résection "
        "retrouve un carcinome urothélial de haut grade."
    )
    assert _tumours(text)["8120/3"] == {"C67.9"}
    # lesions of two organs: the text does not say which (primary site not stated, C80.9)
    text = "Lésion de la vessie et lésion du rein droit. La résection retrouve un carcinome urothélial."
    assert _tumours(text)["8120/3"] == {"C80.9"}


@pytest.mark.parametrize(
    "text",
    [
        # the tumour's own words name a site the tables lack: another mention's site is not its
        "Exérèse d'un mélanome nodulaire du mollet en 2019. En 2021, l'IRM montre des lésions cérébrales multiples.",
        "Mélanome de la paume. Le scanner montre une lésion pulmonaire.",
    ],
)
def test_a_tumour_whose_words_name_its_site_takes_no_other_site(text: str) -> None:
    tumours = _tumours(text)
    assert set().union(*tumours.values()) == {"C43.9"}


def test_a_nodule_or_an_opacity_gives_its_site_and_is_the_tumours_evidence() -> None:
    text = (
        "Nodule du sein gauche découvert à l'autopalpation. La mammographie montre une opacité spiculée de 18 mm du "
        "quadrant supéro-externe gauche. La microbiopsie conclut à un carcinome lobulaire infiltrant."
    )
    conds = [
        e["resource"] for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == "Condition"
    ]
    assert len(conds) == 1, [c["code"]["text"] for c in conds]
    assert _tumours(text)["8520/3"] == {"C50.4"}
    cited = {text[s:e] for s, e, _ in spans(conds[0])}
    assert {"Nodule du sein gauche", "carcinome lobulaire infiltrant"} <= cited, cited


def test_a_mass_joined_to_no_tumour_is_no_condition() -> None:
    text = "Masse du psoas droit à l'échographie. Indice de masse corporelle à 31."
    assert not [e for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == "Condition"]


def test_no_site_is_taken_when_the_report_has_tumours_of_two_organs() -> None:
    text = "Tumeur du sein droit et tumeur du côlon sigmoïde. Biopsie : adénocarcinome bien différencié."
    assert _tumours(text)["8140/3"] == {"C80.9"}  # primary site not stated


def test_a_sub_site_written_elsewhere_refines_the_organ_code() -> None:
    text = "Masse palpable dans le quadrant supéro-externe. Biopsie : carcinome lobulaire infiltrant du sein gauche."
    assert _tumours(text)["8520/3"] == {"C50.4"}


def test_two_sub_sites_of_the_organ_leave_the_organ_code() -> None:
    text = "Nodules du lobe supérieur et du lobe inférieur. Biopsie : adénocarcinome pulmonaire."
    assert _tumours(text)["8140/3"] == {"C34.9"}


def test_a_carcinoma_and_a_sarcoma_of_one_organ_are_two_cancers() -> None:
    text = (
        "En 2004, carcinome canalaire infiltrant de grade 2 du sein droit traité par chirurgie. En 2016, "
        "angiosarcome du sein droit."
    )
    tumours = _tumours(text)
    assert tumours["8500/3"] == {"C50.9"} and tumours["9120/3"] == {"C50.9"}


def test_a_subtype_of_one_family_stays_one_cancer() -> None:
    text = "Adénocarcinome du côlon sigmoïde. Biopsie : adénocarcinome mucineux du côlon sigmoïde."
    assert set(_tumours(text)) == {"8480/3"}
