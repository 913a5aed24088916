"""Tumour names of the WHO classifications that French reports write and the morphology table lacked (session 13):
each family coded with its ICD-O-3 code, and words that name no neoplasm left out."""

from __future__ import annotations

import pytest

from fhirconv.tables import load_mappings
from tests.bundle_facts import condition_codings

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"
CIM10 = "terminologie-cim-10"


def _codes(text: str, **kwargs: object) -> list[str]:
    """The ICD-O-3 morphology code of every Condition of the report, in bundle order."""
    return condition_codings(text, ICDO, **kwargs)


def _cim10(text: str) -> list[str]:
    return condition_codings(text, CIM10)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # endocrine: the adrenal cortical adenoma and carcinoma, written with a hyphen
        ("Surrénalectomie gauche : adénome cortico-surrénalien de 3 cm.", "8370/0"),
        ("Récidive d'un carcinome cortico-surrénalien sécrétant.", "8370/3"),
        # "vésiculaire" is the older French word for the follicular carcinoma of the thyroid
        ("Thyroïdectomie totale pour un carcinome vésiculaire de la thyroïde.", "8330/3"),
        # kidney: the papillary renal cell carcinoma, however the words are ordered
        ("Néphrectomie partielle : carcinome rénal papillaire de type 1.", "8260/3"),
        ("Histologie : carcinome papillaire du rein, grade 2.", "8260/3"),
        ("Conclusion : carcinome à cellules rénales de type papillaire.", "8260/3"),
        # testis and ovary
        ("Orchidectomie droite : tumeur de Leydig de 8 mm.", "8650/1"),
        ("Il s'agit d'une tumeur de Sertoli du testicule gauche.", "8640/1"),
        ("Le bilan retrouve une tumeur germinale non germinomateuse de la région pinéale.", "9065/3"),
        # skin adnexa
        ("Exérèse d'un carcinome annexiel microkystique de la lèvre supérieure.", "8407/3"),
        # the type said after "de type", the French synonym "malpighien" of "épidermoïde", "ductal" of "canalaire"
        ("Microbiopsie : carcinome infiltrant de type canalaire, grade II.", "8500/3"),
        ("Biopsie mammaire : carcinome de type lobulaire.", "8520/3"),
        ("Duodénopancréatectomie : adénocarcinome ductal de la tête du pancréas.", "8500/3"),
        ("Biopsie de l'oropharynx : carcinome malpighien non kératinisant.", "8072/3"),
        ("Biopsie cutanée : carcinome malpighien kératinisant bien différencié.", "8071/3"),
        # soft tissue
        ("Exérèse d'une tumeur à cellules géantes de la gaine tendineuse de l'index.", "9252/0"),
        ("IRM : fibromatose de type desmoïde de la paroi abdominale.", "8821/1"),
        # digestive
        ("Cholangio-IRM en faveur d'un cholangiocarcinome périhilaire.", "8162/3"),
        ("Colectomie : carcinome mixte adénoneuroendocrine du côlon droit.", "8244/3"),
        ("Appendicectomie : adénocarcinome à cellules en gobelet de l'appendice.", "8243/3"),
    ],
)
def test_solid_tumour_names(text: str, code: str) -> None:
    assert code in _codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Biopsie ostéomédullaire : lymphome lymphoplasmocytaire avec pic IgM.", "9671/3"),
        ("Masse médiastinale : lymphome lymphoblastique T chez un adolescent.", "9837/3"),
        ("Adénopathies cervicales révélant un lymphome lymphoblastique B.", "9811/3"),
        ("Sérologie HTLV-1 positive, diagnostic de leucémie-lymphome T de l'adulte.", "9827/3"),
        ("Histologie ganglionnaire : lymphome T anaplasique à grandes cellules ALK positif.", "9714/3"),
        ("Biopsie : lymphome centroblastique diffus.", "9680/3"),
        ("Adénopathies axillaires : LNH T de stade III.", "9702/3"),
        ("Biopsie : lymphome immunoblastique chez un patient greffé.", "9684/3"),
        ("Ganglion cervical : lymphome de Hodgkin à prédominance lymphocytaire nodulaire.", "9659/3"),
        ("Électrophorèse : gammapathie monoclonale IgG kappa à 4 g/L.", "9765/1"),
        ("Suivi d'une splénomégalie myéloïde avec mutation JAK2.", "9961/3"),
        ("Antécédent d'ostéomyélofibrose traitée par ruxolitinib.", "9961/3"),
        ("Myélogramme : néoplasie myéloproliférative non classable.", "9960/3"),
        # the FAB type of an acute myeloid leukaemia is its ICD-O-3 type
        ("Myélogramme : LAM3 avec coagulation intravasculaire disséminée.", "9866/3"),
        ("Rechute d'une LAM 5 à la moelle osseuse.", "9891/3"),
        ("Diagnostic de LAM2 avec translocation t(8;21).", "9874/3"),
        ("Diagnostic : leucémie myéloblastique aiguë M3, traitée par trioxyde d'arsenic.", "9866/3"),
        ("Leucémie aiguë myéloïde avec dysplasie multilignée chez un patient de 70 ans.", "9895/3"),
    ],
)
def test_haematological_names(text: str, code: str) -> None:
    assert code in _codes(text)


def test_fab_type_keeps_the_aml_cim10_code() -> None:
    assert "C92.0" in _cim10("Myélogramme : LAM1 chez un patient de 45 ans.")
    assert "C92.8" in _cim10("Leucémie aiguë myéloïde avec dysplasie multilignée.")


@pytest.mark.parametrize(
    "text",
    [
        # myelofibrosis as a marrow finding (reactive, a drug's effect) is no myeloproliferative neoplasm
        "La biopsie ostéomédullaire montre une myélofibrose secondaire à l'envahissement tumoral.",
        "Le romiplostim peut entraîner une myélofibrose réticulinique.",
    ],
)
def test_marrow_fibrosis_is_no_neoplasm(text: str) -> None:
    assert "9961/3" not in _codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # an undifferentiated carcinoma said of large cells is a large cell carcinoma (ICD-O-3 8012)
        ("Biopsie hépatique : carcinome indifférencié à grandes cellules d'origine pulmonaire.", "8012/3"),
        # and of small intermediate cells, the intermediate cell type of small cell carcinoma
        ("Curetage : carcinome indifférencié à petites cellules intermédiaires de l'endomètre.", "8044/3"),
    ],
)
def test_undifferentiated_carcinoma_refined_by_its_cells(text: str, code: str) -> None:
    assert code in _codes(text)


def test_new_words_keep_their_code_in_icdo_3_1() -> None:
    maps = load_mappings(icdo_edition="3.1")
    assert "8370/0" in _codes("Adénome cortico-surrénalien.", mappings=maps)
    assert "9866/3" in _codes("Diagnostic de LAM3.", mappings=maps)


def test_lymphoblastic_lymphoma_keeps_its_lymphoma_cim10_code() -> None:
    # the ICD-O-3 type is the leukaemia's too (C91.0): the words name the lymphoma (C83.5)
    assert _cim10("Masse médiastinale : lymphome lymphoblastique T.") == ["C83.5"]
    assert _cim10("Myélogramme : leucémie aiguë lymphoblastique T.") == ["C91.0"]
    # a chronic leukaemia of unsaid cell type is C95.1 (its ICD-O-3 type is leukaemia NOS, C95.9)
    assert _cim10("Suivi pour une leucémie chronique depuis 2015.") == ["C95.1"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # WHO subtypes: lung adenocarcinoma by its predominant pattern, meningioma, chordoma, osteosarcoma, skin
        ("Lobectomie : adénocarcinome à prédominance lépidique de 18 mm.", "8250/3"),
        ("Lobectomie : adénocarcinome à prédominance solide, pT2a.", "8230/3"),
        ("Lobectomie : adénocarcinome à prédominance micropapillaire.", "8265/3"),
        ("Exérèse complète d'un méningiome méningothélial de la convexité.", "9531/0"),
        ("Histologie : méningiome à cellules claires, grade 2 de l'OMS.", "9538/1"),
        ("Histologie : méningiome rhabdoïde, grade 3 de l'OMS.", "9538/3"),
        ("Biopsie sacrée : chordome dédifférencié.", "9372/3"),
        ("Fémur distal : ostéosarcome central de bas grade.", "9187/3"),
        ("Biopsie : astroblastome de la fosse postérieure.", "9430/3"),
        ("Exérèse : carcinome basosquameux de la joue.", "8094/3"),
        ("Exérèse : carcinome épidermoïde acantholytique du cuir chevelu.", "8075/3"),
        ("Thyroïdectomie : carcinome papillaire variante à cellules hautes.", "8344/3"),
        ("Thyroïdectomie : carcinome papillaire variante vésiculaire de 12 mm.", "8340/3"),
        # lymphoid and myeloid neoplasms of the WHO classification
        ("Biopsie cutanée : lymphome B intravasculaire à grandes cellules.", "9712/3"),
        ("Ponction pleurale : lymphome primitif des séreuses HHV-8 positif.", "9678/3"),
        ("Splénectomie : lymphome T hépatosplénique.", "9716/3"),
        ("Résection grêlique : lymphome T associé à une entéropathie.", "9717/3"),
        ("Biopsie : lymphome T sous-cutané de type panniculite.", "9708/3"),
        ("Biopsie : lymphome B riche en lymphocytes T et en histiocytes.", "9688/3"),
        ("Myélogramme : leucémie myéloïde chronique atypique.", "9876/3"),
        ("Hyperleucocytose à neutrophiles : leucémie neutrophilique chronique.", "9963/3"),
        ("Myélogramme : anémie réfractaire avec excès de blastes de type 2.", "9983/3"),
        ("Myélogramme : syndrome myélodysplasique avec délétion 5q isolée.", "9986/3"),
        ("Biopsie : sarcome histiocytaire de l'amygdale.", "9755/3"),
    ],
)
def test_who_subtypes(text: str, code: str) -> None:
    assert code in _codes(text)


@pytest.mark.parametrize(
    ("text", "cim10"),
    [
        ("Splénectomie : lymphome T hépatosplénique.", "C86.1"),
        ("Myélogramme : anémie réfractaire avec excès de blastes.", "D46.2"),
        ("Biopsie : sarcome histiocytaire.", "C96.8"),
    ],
)
def test_who_subtypes_cim10(text: str, cim10: str) -> None:
    assert cim10 in _cim10(text)


@pytest.mark.parametrize(
    "text",
    [
        "L'immunohistochimie est positive pour les marqueurs de tumeurs neuroendocrines (chromogranine, CD56).",
        "Les marqueurs tumoraux des tumeurs germinales (AFP, bêta-HCG) sont normaux.",
    ],
)
def test_tumour_type_a_marker_is_of_is_no_tumour(text: str) -> None:
    assert _codes(text) == []


def test_tumour_named_near_a_marker_is_kept() -> None:
    text = "Les marqueurs tumoraux sont élevés. Diagnostic : tumeur neuroendocrine du pancréas."
    assert _codes(text) == ["8240/3"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # paediatric tumours
        ("Masse vaginale chez une fillette : rhabdomyosarcome botryoïde.", "8910/3"),
        ("Hépatectomie : sarcome embryonnaire indifférencié du foie.", "8991/3"),
        ("Masse thoracique chez un nourrisson : pleuropneumoblastome de type II.", "8973/3"),
        ("Exérèse : astrocytome pilomyxoïde hypothalamique.", "9425/3"),
        ("IRM : craniopharyngiome adamantinomateux kystique.", "9351/1"),
        ("Ovariectomie : tumeur à cellules de la granulosa de type juvénile.", "8622/1"),
        ("Myélogramme : leucémie aiguë lymphoblastique de la lignée B.", "9811/3"),
        ("Lésions osseuses lytiques révélant une histiocytose X.", "9751/3"),
        ("Orchidectomie : tumeur mixte germinale avec composante de séminome.", "9085/3"),
    ],
)
def test_paediatric_names(text: str, code: str) -> None:
    assert code in _codes(text)


def test_old_name_of_langerhans_histiocytosis_in_icdo_3_1() -> None:
    assert _codes("Histiocytose X.", mappings=load_mappings(icdo_edition="3.1")) == ["9751/1"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Myomectomie : léiomyome cellulaire de 6 cm.", "8892/0"),
        ("Hystérectomie : léiomyome atypique sans nécrose.", "8893/0"),
        ("Annexectomie : tumeur de Brenner borderline.", "9000/1"),
        ("Annexectomie : tumeur endométrioïde borderline de l'ovaire gauche.", "8380/1"),
        ("Biopsie : adénocarcinome entérique du poumon.", "8144/3"),
        ("Exérèse : carcinome trichilemmal du cuir chevelu.", "8102/3"),
        ("Exérèse d'un fibroxanthome atypique de l'oreille.", "8830/1"),
        ("Résection : léiomyosarcome myxoïde du rétropéritoine.", "8896/3"),
        ("Exérèse : épendymome papillaire du quatrième ventricule.", "9393/3"),
        ("Exérèse : gangliogliome anaplasique temporal.", "9505/3"),
        ("IRM : neurocytome intraventriculaire.", "9506/1"),
        ("Hyperlymphocytose : leucémie prolymphocytaire T.", "9834/3"),
        ("Hyperlymphocytose : leucémie prolymphocytaire B.", "9833/3"),
        ("Ictère fébrile révélant une leucémie agressive à cellules NK.", "9948/3"),
    ],
)
def test_more_who_types(text: str, code: str) -> None:
    assert code in _codes(text)


def test_prolymphocytic_leukaemia_lineage_cim10() -> None:
    assert "C91.6" in _cim10("Leucémie prolymphocytaire T.")
