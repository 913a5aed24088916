"""CIM-10 FR codes of condition wording families that reports write without an organ-specific row: named diseases and
their synonyms (conditions.csv), the joint of a dislocation and the artery of an aneurysm written after them
(cim10_refine.yaml rules), and finding heads at a site (cim10_refine.yaml sites). Each sentence is written for the
test; the cases also check that a head with no more words keeps the index default or stays text-only."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv
from fhirconv import fhirspec as F


def _conditions(text: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for e in fhirconv.convert(text).data["entry"]:
        r: dict[str, Any] = e["resource"]
        if r["resourceType"] == "Condition":
            out[r["code"]["text"]] = next(
                (c["code"] for c in r["code"].get("coding", []) if c["system"] == F.CIM10), None
            )
    return out


@pytest.mark.parametrize(
    "sentence, words, code",
    [
        # named diseases and their clinical synonyms
        ("Suivi pour une maladie de Wilson traitée par D-pénicillamine.", "maladie de Wilson", "E83.0"),
        ("Aphtose bipolaire révélant une maladie de Behçet.", "maladie de Behçet", "M35.2"),
        ("Maladie de Dupuytren de la main droite.", "Maladie de Dupuytren", "M72.0"),
        # not taking the treatment as prescribed is a risk factor CIM-10 codes (Z91.1); "bonne observance" is none
        ("Les poussées sont dues à une mauvaise observance du traitement.", "mauvaise observance", "Z91.1"),
        ("Inobservance du traitement antihypertenseur.", "Inobservance", "Z91.1"),
        ("Cordon induré du sein évoquant une maladie de Mondor.", "maladie de Mondor", "I80.8"),
        ("Surdité et hématurie dans le cadre d'une maladie d'Alport.", "maladie d'Alport", "Q87.8"),
        ("Hémangioblastomes cérébelleux sur maladie de VHL.", "maladie de VHL", "Q85.8"),
        (
            "Thromboses veineuses récidivantes sur syndrome des antiphospholipides.",
            "syndrome des antiphospholipides",
            "D68.6",
        ),
        ("Troubles mnésiques sévères, syndrome de Korsakoff.", "syndrome de Korsakoff", "F10.6"),
        ("Régression psychomotrice sur leucodystrophie.", "leucodystrophie", "E75.2"),
        ("Cholédococèle vue en échoendoscopie.", "Cholédococèle", "Q44.4"),
        ("Urétérocèle droite à l'échographie.", "Urétérocèle", "N28.8"),
        ("Valvulopathie rhumatismale connue.", "Valvulopathie rhumatismale", "I09.1"),
        ("Hospitalisé pour une crise drépanocytaire.", "crise drépanocytaire", "D57.0"),
        ("Admise pour une crise réno-urétérale gauche.", "crise réno-urétérale", "N23"),
        ("Séquelles motrices d'une poliomyélite dans l'enfance.", "poliomyélite", "A80.9"),
        ("Biopsie rénale : hyalinose segmentaire et focale.", "hyalinose segmentaire et focale", "N05.1"),
        ("Hypercalcémie sur hyperplasie des parathyroïdes.", "hyperplasie des parathyroïdes", "E21.0"),
        (
            "Syndrome de réponse inflammatoire systémique au deuxième jour.",
            "Syndrome de réponse inflammatoire systémique",
            "R65.9",
        ),
        ("Fièvre puis exanthème du tronc.", "exanthème", "R21"),
        ("Exanthème viral probable.", "Exanthème viral", "B09"),
        (
            "Trouble d'hyperactivité avec déficit de l'attention traité par méthylphénidate.",
            "Trouble d'hyperactivité avec déficit de l'attention",
            "F90.0",
        ),
        ("Biopsie hépatique : hyperplasie nodulaire régénérative.", "hyperplasie nodulaire régénérative", "K76.8"),
        ("Néphrocalcinose bilatérale à l'échographie.", "Néphrocalcinose", "E83.5"),
        ("Bilan d'une connectivite.", "connectivite", "M35.9"),
        ("Abcès intramédullaire dorsal à l'IRM.", "Abcès intramédullaire", "G06.1"),
        ("Ectasie pyélocalicielle droite modérée.", "Ectasie pyélocalicielle", "N13.3"),
        ("Ectasie urétérale gauche.", "Ectasie urétérale", "N13.4"),
        ("Dilatation du canal de Wirsung à 5 mm.", "Dilatation du canal de Wirsung", "K86.8"),
        ("Admis pour un polytraumatisme.", "polytraumatisme", "T07"),
        # an injury: its kind (open wound) or body region written after it, T14.9 when none is
        ("Blessure par balle de l'abdomen.", "Blessure par balle", "T14.1"),
        ("Traumatisme crânien avec perte de connaissance.", "Traumatisme crânien", "S09.9"),
        ("Traumatisme fermé des deux genoux.", "Traumatisme fermé des deux genoux", "S89.9"),
        ("Blessure de l'avant-bras gauche.", "Blessure de l'avant-bras", "S59.9"),
        ("Il s'est remis de sa blessure.", "blessure", "T14.9"),
        ("Biopsie rénale : artériolonéphrosclérose.", "artériolonéphrosclérose", "I12.9"),
        ("Maladie hydatique du foie et du péritoine.", "Maladie hydatique", "B67.9"),
        ("Tableau de compression de la moelle épinière.", "compression de la moelle épinière", "G95.2"),
        ("Suites simples, sans complication postopératoire.", "complication postopératoire", "T81.9"),
        ("Syndrome du QT long découvert sur l'ECG.", "Syndrome du QT long", "I45.8"),
        ("Nourrisson suivi pour un syndrome polymalformatif.", "syndrome polymalformatif", "Q89.7"),
        ("Aplasie cutanée congénitale du vertex.", "Aplasie cutanée congénitale", "Q84.8"),
        # a dislocation: the joint written after it (T14.3 when none is), a dislocated prosthesis
        ("Luxation antérieure de l'épaule droite réduite aux urgences.", "Luxation antérieure de l'épaule", "S43.0"),
        ("Luxation postérieure du coude gauche.", "Luxation postérieure du coude", "S53.1"),
        ("Luxation de la hanche après une chute.", "Luxation de la hanche", "S73.0"),
        ("Luxation externe de la rotule.", "Luxation externe de la rotule", "S83.0"),
        ("Luxation de la cheville ouverte.", "Luxation de la cheville", "S93.0"),
        ("Luxation de la prothèse totale de hanche.", "Luxation de la prothèse", "T84.0"),
        ("Luxation après la chute.", "Luxation", "T14.3"),
        # a congenital dislocation keeps its own, longer term
        ("Luxation congénitale de la hanche dépistée à la naissance.", "Luxation congénitale de la hanche", "Q65.2"),
        # an aneurysm: the artery written after it
        ("Anévrisme de l'aorte abdominale sous-rénale de 55 mm.", "Anévrisme de l'aorte abdominale", "I71.4"),
        ("Anévrisme aortique thoracique découvert fortuitement.", "Anévrisme aortique thoracique", "I71.2"),
        ("Dilatation anévrismale de l'aorte ascendante.", "Dilatation anévrismale de l'aorte ascendante", "I71.2"),
        ("Anévrisme de l'artère splénique embolisé.", "Anévrisme de l'artère splénique", "I72.8"),
        ("Anévrisme poplité thrombosé.", "Anévrisme poplité", "I72.4"),
        ("Anévrisme de l'artère communicante antérieure.", "Anévrisme de l'artère communicante", "I67.1"),
        ("Anévrisme isolé.", "Anévrisme", "I72.9"),
        # a finding head at its site
        ("Lésions cutanées érythémateuses du tronc.", "Lésions cutanées érythémateuses du tronc", "L98.9"),
        ("Adhérences pleurales à la thoracoscopie.", "Adhérences pleurales", "J94.8"),
        ("Hyperplasie de la prostate à l'échographie.", "Hyperplasie de la prostate", "N40"),
        ("Sténose du duodénum à la fibroscopie.", "Sténose du duodénum", "K31.5"),
        ("Hématome du sein gauche après biopsie.", "Hématome du sein gauche", "N64.8"),
        ("Corps étranger vaginal chez une fillette.", "Corps étranger vaginal", "T19.2"),
        ("Corps étranger de l'œsophage chez un enfant.", "Corps étranger de l'œsophage", "T18.1"),
        ("Infarctus osseux du fémur à l'IRM.", "Infarctus osseux du fémur", "M87.9"),
        ("Hypoplasie mandibulaire congénitale.", "Hypoplasie mandibulaire congénitale", "K07.0"),
        ("Sténose iléale inflammatoire.", "Sténose iléale inflammatoire", "K56.6"),
        # an organ's enlargement, atrophy, fibrosis, paralysis, steatosis
        ("Hypertrophie du foie à la palpation.", "Hypertrophie du foie", "R16.0"),
        ("Hypertrophie de la rate à l'échographie.", "Hypertrophie de la rate", "R16.1"),
        ("Hypertrophie de l'amygdale palatine droite.", "Hypertrophie de l'amygdale palatine droite", "J35.1"),
        ("Atrophie de l'iris après la poussée d'uvéite.", "Atrophie de l'iris", "H21.2"),
        ("Atrophie thyroïdienne sur thyroïdite.", "Atrophie thyroïdienne", "E03.4"),
        ("Atrophie pancréatique au scanner.", "Atrophie pancréatique", "K86.8"),
        ("Fibrose cutanée après radiothérapie.", "Fibrose cutanée", "L90.5"),
        ("Paralysie laryngée après thyroïdectomie.", "Paralysie laryngée", "J38.0"),
        ("Stéatose du foie à l'échographie.", "Stéatose du foie", "K76.0"),
        ("Granulome cutané de la jambe.", "Granulome cutané de la jambe", "L92.9"),
        # diseases by their own words
        ("Sténose valvulaire aortique serrée.", "Sténose valvulaire aortique", "I35.0"),
        ("Occlusion sur hernie interne.", "hernie interne", "K45.8"),
        ("Lithiase coralliforme gauche.", "Lithiase coralliforme", "N20.0"),
        ("Atrophie choriorétinienne myopique.", "Atrophie choriorétinienne", "H31.1"),
        ("Dysplasie fibromusculaire de l'artère rénale droite.", "Dysplasie fibromusculaire", "I77.3"),
        ("Amyotrophie du quadriceps après l'immobilisation.", "Amyotrophie", "M62.5"),
        ("Exérèse d'un granulome pyogène du doigt.", "granulome pyogène", "L98.0"),
        ("Paralysie de l'hémidiaphragme droit à la radiographie.", "Paralysie de l'hémidiaphragme", "J98.6"),
        # a contusion of an organ is its injury; an obstruction of the colon
        ("Contusion pulmonaire gauche au scanner.", "Contusion pulmonaire gauche", "S27.3"),
        ("Contusion splénique sans hémopéritoine.", "Contusion splénique", "S36.0"),
        ("Occlusion colique aiguë.", "Occlusion colique", "K56.6"),
        # an obturator hernia; strangulated, it is coded "with obstruction"
        ("Hernie obturatrice droite au scanner.", "Hernie obturatrice", "K45.8"),
        ("Hernie obturatrice étranglée opérée en urgence.", "Hernie obturatrice étranglée", "K45.0"),
        ("Cicatrice choroïdienne pigmentée.", "Cicatrice choroïdienne pigmentée", "H31.0"),
    ],
)
def test_wording_family_gets_its_cim10_code(sentence: str, words: str, code: str) -> None:
    conds = _conditions(sentence)
    assert words in conds, conds
    assert conds[words] == code


def test_aneurysm_site_is_read_right_after_it_not_further_in_the_clause() -> None:
    # the renal artery is where the neck ends, not the aneurysm's artery: at most four words between
    conds = _conditions("Dilatation anévrismale fusiforme dont le collet se trouve à 17 mm de l'artère rénale.")
    assert conds.get("Dilatation anévrismale") == "I72.9", conds


@pytest.mark.parametrize(
    "sentence, words",
    [
        # no organ: the code depends on one
        ("Adhérences lors de la cœlioscopie.", "Adhérences"),
        ("Lésion de 8 mm.", "Lésion"),
        ("Hypertrophie marquée.", "Hypertrophie marquée"),
        ("Stéatose modérée.", "Stéatose modérée"),
        # a skin scar may be hypertrophic or keloid (L91.0): no code from the site alone
        ("Cicatrice cutanée hypertrophique.", "Cicatrice cutanée hypertrophique"),
        # the organ names where a vessel runs, not the organ's own malformation; intrahepatic bile ducts are not the liver
        ("Malformation artérioveineuse rénale.", "Malformation artérioveineuse rénale"),
        ("Malformation vasculaire utérine.", "Malformation vasculaire utérine"),
        ("Hypertrophie des voies biliaires intrahépatiques.", "Hypertrophie des voies biliaires intrahépatiques"),
    ],
)
def test_head_without_its_organ_stays_text_only(sentence: str, words: str) -> None:
    conds = _conditions(sentence)
    assert words in conds and conds[words] is None, conds


def test_good_compliance_is_no_condition() -> None:
    assert _conditions("Le traitement est poursuivi avec une bonne observance.") == {}


def test_a_hospital_department_named_after_diseases_is_no_condition() -> None:
    # "le service des maladies infectieuses" names a department (phrases.yaml board), not the patient's disease
    assert _conditions("Elle a été adressée au service des maladies infectieuses.") == {}
    assert "maladies infectieuses" in _conditions("Antécédents de maladies infectieuses dans l'enfance.")
