"""Tumour abbreviations (French, and Spanish ones a translated report keeps), a gene named after a tumour, and a
non-small cell carcinoma refined by the type written after it."""

from __future__ import annotations

import pytest

from fhirconv.tables import load_mappings
from tests.bundle_facts import condition_codings

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _morphologies(text: str, **kwargs: object) -> list[str]:
    return condition_codings(text, ICDO, **kwargs)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Rechute ganglionnaire d'un LBDCG traité par R-CHOP.", "9680/3"),
        ("Biopsie ostéomédullaire : LDCBG de stade IV.", "9680/3"),
        ("Suivi hématologique pour un SMD de faible risque.", "9989/3"),
        ("Il est traité par ibrutinib pour un LCM.", "9673/3"),
        ("Tumorectomie pour un CDIS de bas grade du sein droit.", "8500/2"),
        ("Néphrectomie élargie : ccRCC de grade 3.", "8310/3"),
        ("Diagnostic : CPCNP de stade IIIB.", "8046/3"),
        # the English abbreviations French reports keep
        ("Annexectomie : HGSC de la trompe droite, BRCA1 muté.", "8461/3"),
        ("Récidive péritonéale d'un LGSC de l'ovaire.", "8460/3"),
        ("Duodénopancréatectomie pour un PDAC de la tête du pancréas.", "8500/3"),
        ("Néphrectomie partielle : pRCC de type 2.", "8260/3"),
        ("Néphrectomie partielle : chRCC de 4 cm.", "8317/3"),
        ("Masse abdominale : DSRCT avec translocation EWSR1-WT1.", "8806/3"),
        ("Adénopathies diffuses révélant un PTCL.", "9702/3"),
        ("Il est suivi en dermatologie pour un CTCL de stade IB.", "9709/3"),
        ("Biopsie gastrique : LZM de type MALT.", "9699/3"),
    ],
)
def test_tumour_abbreviation(text: str, code: str) -> None:
    assert code in _morphologies(text)


def test_charlson_index_abbreviation_is_no_carcinoma() -> None:
    assert _morphologies("Indice de comorbidité de Charlson (CCI) à 5.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Pas de réarrangement du gène de la kinase du lymphome anaplasique (ALK) en FISH.",
        "Recherche d'une fusion de la lymphome kinase anaplasique (ALK) : négative.",
    ],
)
def test_alk_gene_spelled_out_is_no_lymphoma(text: str) -> None:
    assert _morphologies(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Biopsie ganglionnaire : lymphome à grandes cellules T, CD30 positif.", "9702/3"),
        ("Il avait été traité pour un lymphome diffus à cellules B en 2012.", "9591/3"),
        ("Orchidectomie : tumeur du cordon sexuel de 3 cm.", "8590/1"),
        ("Aspect évocateur d'une tumeur mixte de la lignée germinale.", "9085/3"),
    ],
)
def test_tumour_wordings(text: str, code: str) -> None:
    assert _morphologies(text) == [code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Biopsie : carcinome bronchique non à petites cellules à grandes cellules.", "8012/3"),
        ("Diagnostic : carcinome non à petites cellules de type carcinome sarcomatoïde.", "8033/3"),
        ("Diagnostic : carcinome non à petites cellules, sans autre précision.", "8046/3"),
    ],
)
def test_non_small_cell_carcinoma_refined_by_its_type(text: str, code: str) -> None:
    assert _morphologies(text) == [code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # UICC TNM classifies malignant tumours: a tumour word of benign or uncertain code it stages is malignant
        ("Néphrectomie : tumeur rénale à cellules claires pT3a pN1 M1.", "8005/3"),
        ("Cystoscopie puis résection : tumeur vésicale, pT1 N0.", "8000/3"),
        ("Tumeur du rein droit pT2 N0 M0 opérée en 2015.", "8000/3"),
        # no TNM right after the words: the code stays the words'
        ("Tumeur à cellules claires du rein gauche.", "8005/0"),
        ("Adénome hypophysaire de 12 mm.", "8140/0"),
    ],
)
def test_tnm_makes_an_uncertain_tumour_malignant(text: str, code: str) -> None:
    assert _morphologies(text) == [code]


def test_tnm_leaves_a_typed_tumour_its_behaviour() -> None:
    assert _morphologies("Sein droit : tumeur phyllode bénigne cT2N0M0.") == ["9020/0"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Diagnostic d'hépatome sur foie non cirrhotique.", "8170/3"),
        ("Exérèse d'un fibrohistiocytome pléomorphe malin de la cuisse.", "8830/3"),
        ("Scanner : myélolipome surrénalien droit de 4 cm.", "8870/0"),
        ("Biopsie cutanée : mastocytome solitaire.", "9740/1"),
        ("Résection d'un pneumoblastome du lobe inférieur.", "8972/3"),
        ("Liposuccion révélant un myxoliposarcome de la cuisse.", "8852/3"),
        ("Cholécystectomie : adénomyome du fond vésiculaire.", "8932/0"),
    ],
)
def test_tumour_names_the_tables_lacked(text: str, code: str) -> None:
    assert _morphologies(text) == [code]


def test_english_serous_abbreviation_in_icdo_3_1() -> None:
    # ICD-O-3.1 has no grade-specific serous carcinoma: serous carcinoma NOS
    maps = load_mappings(icdo_edition="3.1")
    assert _morphologies("Annexectomie : HGSC de l'ovaire.", mappings=maps) == ["8441/3"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the English name a French report quotes
        ("Biopsie ganglionnaire : diffuse large B-cell lymphoma, type centre germinatif.", "9680/3"),
        ("Diagnostic de small cell lung cancer de stade étendu.", "8041/3"),
        ("Patient traité pour un non-small cell lung cancer muté EGFR.", "8046/3"),
        ("Conclusion : invasive ductal carcinoma, grade 2.", "8500/3"),
        ("Relecture : squamous cell carcinoma bien différencié.", "8070/3"),
        ("Résection d'un gastrointestinal stromal tumor de l'estomac.", "8936/3"),
        ("Diagnostic d'acute myeloid leukemia avec mutation FLT3.", "9861/3"),
    ],
)
def test_english_tumour_names(text: str, code: str) -> None:
    assert code in _morphologies(text)
