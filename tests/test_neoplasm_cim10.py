"""The CIM-10 code of a tumour by its ICD-O-3 morphology, behaviour and site (neoplasm_cim10.csv), as the ICD-O-3 ->
ICD-10 conversion gives it: a benign, uncertain or in situ tumour is coded by its site, some histologies by
themselves (haemangioma, meningioma, mesothelioma, Kaposi sarcoma, melanoma of the skin)."""

from __future__ import annotations

from pathlib import Path

import pytest

import fhirconv
from fhirconv import load_mappings
from fhirconv.errors import MappingError

CIM10 = "https://smt.esante.gouv.fr/terminologie-cim-10"
ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"
HEADER = "# source: t\n# version: 1\n# licence: CC0\nmorphology,behaviour,topography,cim10,display\n"


def _tumours(text: str) -> list[dict]:
    entries = fhirconv.convert(text).data["entry"]
    return [
        e["resource"]
        for e in entries
        if e["resource"]["resourceType"] == "Condition"
        and any(c["system"] == ICDO for c in e["resource"]["code"].get("coding", []))
    ]


def _codes(resource: dict) -> dict[str, str]:
    return {c["system"]: c["code"] for c in resource["code"].get("coding", [])}


@pytest.mark.parametrize(
    ("text", "cim10", "morph"),
    [
        # in situ: breast by histology (intraductal D05.1, lobular D05.0), cervix
        ("La biopsie montre un carcinome intracanalaire du sein gauche.", "D05.1", "8500/2"),
        ("Un carcinome lobulaire in situ du sein droit est retrouvé.", "D05.0", "8520/2"),
        ("Le frottis puis la biopsie concluent à un carcinome in situ du col utérin.", "D06.9", "8010/2"),
        # benign, by site and sub-site: an adenoma of the sigmoid colon
        ("La coloscopie retrouve un adénome tubuleux du côlon sigmoïde.", "D12.5", "8211/0"),
        ("Le scanner montre un macroadénome hypophysaire de 15 mm.", "D35.2", "8140/0"),
        # uncertain behaviour, by site
        ("Le scanner montre une tumeur rénale droite de 5 cm.", "D41.0", "8000/1"),
        ("Une tumeur de la vessie est réséquée.", "D41.4", "8000/1"),
        # by histology whatever the site, with no site written too
        ("L'IRM découvre un hémangiome.", "D18.0", "9120/0"),
        ("L'échographie montre un hémangiome hépatique typique.", "D18.0", "9120/0"),
        ("Le patient est suivi pour un méningiome.", "D32.9", "9530/0"),
        ("Exérèse d'un lipome.", "D17.9", "8850/0"),
        ("Une tumeur desmoïde de la paroi abdominale est opérée.", "D48.1", "8821/1"),
        # malignant histologies ICD-10 codes by themselves, over the site's own code (C38.4, C34.9)
        ("Le diagnostic retenu est un mésothéliome malin pleural.", "C45.0", "9050/3"),
        ("Le patient présente une maladie de Kaposi pulmonaire.", "C46.7", "9140/3"),
        ("Une maladie de Kaposi cutanée est diagnostiquée.", "C46.0", "9140/3"),
        # a histology of one organ, with no site written: that organ's code; at a written site, the site's
        ("On retrouve un fibroadénome à l'échographie.", "D24", "9010/0"),
        ("Le bilan hormonal oriente vers un prolactinome.", "D35.2", "8271/0"),
        ("La radiographie montre un ostéochondrome.", "D16.9", "9210/0"),
        ("La radiographie montre un ostéochondrome du fémur.", "D16.2", "9210/0"),
        # a naevus or an intraductal carcinoma of another organ than the skin or breast: that organ's code
        ("Un nævus conjonctival est surveillé.", "D31.0", "8720/0"),
        ("Le scanner montre un carcinome intracanalaire du pancréas.", "D01.7", "8500/2"),
        # a melanoma of the eye keeps its organ's code: C43 is the skin's
        ("Il est traité pour un mélanome de la choroïde.", "C69.3", "8720/3"),
    ],
)
def test_a_tumour_is_coded_by_its_histology_behaviour_and_site(text: str, cim10: str, morph: str) -> None:
    (tumour,) = _tumours(text)
    assert _codes(tumour) == {CIM10: cim10, ICDO: morph}


def test_melanoma_in_situ_of_the_skin_takes_its_skin_site_over_the_words_unspecified_code() -> None:
    # "mélanome in situ" is D03.9 in conditions.csv; its site refines it within D03, as does the skin for a melanoma
    (insitu,) = _tumours("Exérèse d'un mélanome in situ du cuir chevelu.")
    assert _codes(insitu)[CIM10] == "D03.4"
    (melanoma,) = _tumours("Exérèse d'un mélanome du cuir chevelu.")
    assert _codes(melanoma)[CIM10] == "C43.4"


def test_a_bare_tumour_word_gets_no_unspecified_site_code() -> None:
    (tumour,) = _tumours("Une tumeur est découverte fortuitement.")
    assert CIM10 not in _codes(tumour)
    assert _codes(tumour)[ICDO] == "8000/1"


def test_words_of_a_conditions_row_keep_their_code() -> None:
    # CIN 2 is a moderate dysplasia in CIM-10 (N87.1), not the cervix's in situ carcinoma D06.9 its morphology gives
    (cin,) = _tumours("La biopsie du col utérin retrouve une CIN 2.")
    assert _codes(cin) == {CIM10: "N87.1", ICDO: "8077/2"}


def _load_overlay(tmp_path: Path, rows: str) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "neoplasm_cim10.csv").write_text(HEADER + rows, encoding="utf-8")
    load_mappings(overlay)


def test_a_display_that_is_not_the_cim10_label_is_refused_with_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(MappingError) as err:
        _load_overlay(tmp_path, ",1,C64,D41.0,Tumeur du rein\n")
    assert "neoplasm_cim10.csv:5" in str(err.value) and "label" in str(err.value)


def test_an_unknown_code_is_refused_with_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(MappingError) as err:
        _load_overlay(tmp_path, ",0,C64,D30.0,Tumeur bénigne du rein\n,1,C64,D41.8,Tumeur du rein\n")
    assert "neoplasm_cim10.csv:6" in str(err.value) and "D41.8" in str(err.value)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        # a site's code must be in its behaviour's block: an uncertain tumour of the kidney is not D30.0
        (",1,C64,D30.0,Tumeur bénigne du rein\n", "D37-D48"),
        # a malignant tumour's site code is topography.csv's, not a rule without a morphology
        (",3,C64,C64,Tumeur maligne du rein\n", "morphology"),
        ('9120,0,C6,D18.0,"Hémangiome, tout siège"\n', "topography"),
        ('9133-9120,0,,D18.0,"Hémangiome, tout siège"\n', "range"),
        # a histology sent to its site's row needs a site
        ("9120,0,,,\n", "topography"),
    ],
)
def test_a_malformed_rule_is_refused_with_file_and_line(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(MappingError) as err:
        _load_overlay(tmp_path, row)
    assert "neoplasm_cim10.csv:5" in str(err.value) and message in str(err.value)


def test_two_rules_for_one_morphology_behaviour_and_site_are_refused(tmp_path: Path) -> None:
    rows = '9120-9125,0,,D18.0,"Hémangiome, tout siège"\n9121,0,,D18.0,"Hémangiome, tout siège"\n'
    with pytest.raises(MappingError) as err:
        _load_overlay(tmp_path, rows)
    assert "neoplasm_cim10.csv:6" in str(err.value) and "line 5" in str(err.value)


def test_the_most_specific_rule_wins(tmp_path: Path) -> None:
    maps = load_mappings()
    table = maps.neoplasm_cim10
    # a morphology's rule over a site's: a haemangioma of the liver is D18.0, not the liver's D13.4
    assert table["", "0", "C22"][0] == "D13.4" and table["9120", "0", ""][0] == "D18.0"
    # the longest site prefix: a lipoma of the skin of the neck D17.0 before the skin's D17.3
    assert table["8850", "0", "C44.4"][0] == "D17.0" and table["8850", "0", "C44"][0] == "D17.3"
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    # an overlay row of the same morphology, behaviour and site replaces the built-in rule
    (overlay / "neoplasm_cim10.csv").write_text(
        HEADER + ',1,C64,D48.9,"Tumeur à évolution imprévisible ou inconnue, sans précision"\n', encoding="utf-8"
    )
    assert load_mappings(overlay).neoplasm_cim10["", "1", "C64"][0] == "D48.9"
