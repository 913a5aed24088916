"""Conditions that reports name without an organ-specific row: the CIM-10 FR code of the words (conditions.csv),
the subdivision the words after them select (cim10_refine.yaml rules), the code of a finding head at its site
(cim10_refine.yaml sites), and ordinary words with a disease ending that are not diseases (disease_words.yaml)."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv
from fhirconv import fhirspec as F


def _conditions(text: str) -> list[dict[str, Any]]:
    res = fhirconv.convert(text)
    return [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]


def _cim10(cond: dict[str, Any]) -> str | None:
    return next((c["code"] for c in cond["code"].get("coding", []) if c["system"] == F.CIM10), None)


@pytest.mark.parametrize(
    "sentence, words, code",
    [
        # a disease named alone takes the CIM-10 index default
        ("Elle présente une uvéite depuis deux mois.", "uvéite", "H20.9"),
        ("Examen : uvéite intermédiaire bilatérale.", "uvéite intermédiaire", "H30.2"),
        ("On note une panuvéite.", "panuvéite", "H44.1"),
        ("Décollement de rétine opéré.", "Décollement de rétine", "H33.2"),
        ("Apparition d'une paraparésie spastique.", "paraparésie spastique", "G82.1"),
        ("Hémiparésie gauche à l'admission.", "Hémiparésie", "G81.9"),
        ("Pétéchies des membres inférieurs.", "Pétéchies", "R23.3"),
        ("Mucosite de grade 3 sous chimiothérapie.", "Mucosite", "K12.3"),
        ("Cellulite de la jambe traitée par antibiotiques.", "Cellulite", "L03.9"),
        ("Pancytopénie fébrile.", "Pancytopénie", "D61.9"),
        ("Dilatation pyélocalicielle bilatérale, puis drainage.", "Dilatation pyélocalicielle", "N13.3"),
        ("Glomérulonéphrite extracapillaire à la biopsie.", "Glomérulonéphrite extracapillaire", "N05.7"),
        ("Crise tonico-clonique généralisée inaugurale.", "Crise tonico-clonique généralisée", "G40.6"),
        # the adjective a report describes its patient with names the disease
        ("Patiente de 62 ans, dyslipidémique sous statine.", "dyslipidémique", "E78.5"),
        ("Homme hypercholestérolémique et tabagique.", "hypercholestérolémique", "E78.0"),
        ("Patient asthmatique depuis l'enfance.", "asthmatique", "J45.9"),
        ("Patient épileptique connu, sous valproate.", "épileptique", "G40.9"),
        ("Évolution vers un état épileptique non convulsif.", "état épileptique", "G41.9"),  # not the epilepsy
        ("Patient cirrhotique Child B.", "cirrhotique", "K74.6"),
        ("Femme de 24 ans, toxicomane.", "toxicomane", "F19.2"),
        ("Patient schizophrène stabilisé sous clozapine.", "schizophrène", "F20.9"),
        ("Il est autiste et non verbal.", "autiste", "F84.0"),
        ("Patient goutteux sous allopurinol.", "goutteux", "M10.9"),
        ("Patient paraplégique depuis un accident.", "paraplégique", "G82.2"),
        ("Il est tétraplégique depuis 2010.", "tétraplégique", "G82.5"),
        ("Patiente anémique et asthénique.", "anémique", "D64.9"),
        ("À l'arrivée, elle était hypotendue.", "hypotendue", "I95.9"),
        ("Patient immunodéprimé sous corticoïdes.", "immunodéprimé", "D84.9"),
        ("Il est allergique aux bêta-lactamines.", "allergique", "T78.4"),
        ("Ictère obstructif sur lithiase de la voie biliaire principale.", "Ictère obstructif", "K83.1"),
        ("Fièvre méditerranéenne familiale sous colchicine.", "Fièvre méditerranéenne familiale", "E85.0"),
        ("Antécédent de lues traitée par pénicilline.", "lues", "A53.9"),
        (
            "Il a présenté une infection sexuellement transmissible l'an dernier.",
            "infection sexuellement transmissible",
            "A64",
        ),
        ("Antécédent de maladie sexuellement transmissible.", "maladie sexuellement transmissible", "A64"),
        ("Syndrome de douleur régionale complexe du pied.", "Syndrome de douleur régionale complexe", "M89.0"),
        ("Otorrhagie droite après le traumatisme.", "Otorrhagie", "H92.2"),
        ("Gynécomastie bilatérale sous spironolactone.", "Gynécomastie", "N62"),
        ("Diagnostic de porphyrie aiguë intermittente.", "porphyrie", "E80.2"),
        ("Lésions de prurigo sur les jambes.", "prurigo", "L28.2"),
        ("Prurigo nodulaire des avant-bras.", "Prurigo nodulaire", "L28.1"),
        ("Échographie : oligohydramnios sévère.", "oligohydramnios", "O41.0"),
        ("Un polyhydramnios est découvert à 30 SA.", "polyhydramnios", "O40"),
        ("Examen dentaire : carie de la 36.", "carie", "K02.9"),
        ("Hépatotoxicité de grade 3 sous méthotrexate.", "Hépatotoxicité", "K71.9"),
        ("Eczéma avec impétiginisation des lésions.", "impétiginisation", "L01.1"),
        # pulmonary arterial hypertension is not the systemic "hypertension artérielle" (I10) it starts with
        ("Hypertension artérielle pulmonaire sévère.", "Hypertension artérielle pulmonaire", "I27.0"),
        ("Mucoviscidose connue.", "Mucoviscidose", "E84.9"),
        ("Arthrite septique du genou.", "Arthrite septique", "M00.9"),
        ("Angines à répétition dans l'enfance.", "Angines", "J03.9"),
        ("Douleurs post-prandiales sur angine intestinale.", "angine intestinale", "K55.1"),
        # the words after the disease select a subdivision (cim10_refine.yaml rules)
        ("Hernie discale C5-C6 opérée.", "Hernie discale C5-C6", "M50.2"),
        ("Hernie discale L5-S1 avec sciatique gauche.", "Hernie discale L5-S1 avec sciatique", "M51.1"),
        ("Spondylodiscite tuberculeuse.", "Spondylodiscite tuberculeuse", "A18.0"),
        ("Colite immuno-induite de grade 2.", "Colite immuno-induite", "K52.1"),
        ("Pneumonite radique.", "Pneumonite radique", "J70.0"),
        ("Vascularite dermique leucocytoclasique.", "Vascularite dermique leucocytoclasique", "L95.8"),
        ("Amyloïdose cardiaque.", "Amyloïdose cardiaque", "E85.4"),
        ("Uvéite antérieure chronique.", "Uvéite antérieure chronique", "H20.1"),
        ("Angine de poitrine d'effort.", "Angine de poitrine", "I20.9"),
        ("Angine instable.", "Angine instable", "I20.0"),
        ("Rectite radique.", "Rectite radique", "K62.7"),
        # a finding head at its site (cim10_refine.yaml sites)
        ("Lithiase de la vésicule biliaire.", "Lithiase de la vésicule biliaire", "K80.2"),
        ("Sténose de l'uretère gauche.", "Sténose de l'uretère", "N13.5"),
        ("Atrophie cérébrale diffuse.", "Atrophie cérébrale", "G31.9"),
        ("Diverticule œsophagien.", "Diverticule œsophagien", "K22.5"),
    ],
)
def test_condition_gets_its_cim10_code(sentence: str, words: str, code: str) -> None:
    conds = {c["code"]["text"]: c for c in _conditions(sentence)}
    assert words in conds, conds.keys()
    assert _cim10(conds[words]) == code


@pytest.mark.parametrize(
    "sentence, words",
    [
        # the bare head names no organ: its code depends on one (infarctus I21/I63/I26 ..., sténose, lithiase)
        ("Infarctus en 2015.", "Infarctus"),
        ("Sténose serrée.", "Sténose serrée"),
        ("Lithiase.", "Lithiase"),
        ("Varices.", "Varices"),
    ],
)
def test_head_without_its_organ_stays_text_only(sentence: str, words: str) -> None:
    conds = {c["code"]["text"]: c for c in _conditions(sentence)}
    assert words in conds and _cim10(conds[words]) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "Surveillance étroite en réanimation.",
        "Instabilité des microsatellites (MSI-H).",
        "Recherche de parasites dans les selles négative.",
        "Mégadoses de vitamine C.",
        "TEP au fluorodéoxyglucose.",
        "Dissection de l'aponévrose du muscle grand droit.",
        "Le traitement a été réintroduite à dose réduite.",
    ],
)
def test_ordinary_words_with_a_disease_ending_are_no_condition(sentence: str) -> None:
    assert _conditions(sentence) == []


@pytest.mark.parametrize(
    "sentence, words",
    [
        ("Baisse de l'acuité visuelle de l'œil droit.", "Baisse de l'acuité visuelle"),
        ("Perte d'appétit depuis un mois.", "Perte d'appétit"),
        ("Brûlures mictionnelles sans fièvre.", "Brûlures mictionnelles"),
    ],
)
def test_symptom_wording_is_recognised_but_no_condition(sentence: str, words: str) -> None:
    res = fhirconv.convert(sentence)
    assert words in [m.text for m in res.mentions if m.kind == "symptom"]
    assert not [e for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]


@pytest.mark.parametrize("sentence", ["Un bilan allergique est programmé.", "Les tests allergiques sont à faire."])
def test_an_allergy_workup_is_no_allergy(sentence: str) -> None:
    assert _conditions(sentence) == []
