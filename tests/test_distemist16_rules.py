"""Disease mentions fhirconv gave wrongly or missed, measured on the DisTEMIST error classes of session 16: sentences
written for these tests, each rule with a counter-example that must stay as it was."""

from __future__ import annotations

from typing import Any

import fhirconv
from fhirconv.evaluate import _predictions

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"
CIM10 = "https://smt.esante.gouv.fr/terminologie-cim-10"


def _conditions(text: str) -> list[dict[str, Any]]:
    res = fhirconv.convert(text)
    return [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]


def _morphs(text: str) -> list[str]:
    return [c["code"] for r in _conditions(text) for c in r["code"].get("coding", []) if c["system"] == ICDO]


def test_a_germ_cell_tumour_without_seminoma_is_nonseminomatous() -> None:
    # the seminoma after "sans" is part of the tumour's name: no seminoma (not even a refuted one), 9065/3
    assert _morphs("Tumeur germinale sans séminome du testicule gauche.") == ["9065/3"]
    assert _morphs("Orchidectomie : tumeur germinale sans composante séminomateuse.") == ["9065/3"]
    assert _morphs("Il présentait une tumeur germinative sans contingent séminomateux du testicule droit.") == [
        "9065/3"
    ]
    # counter-examples: a germ cell tumour of no named kind stays 9064/3, a seminoma is a seminoma
    assert _morphs("Orchidectomie : tumeur germinale du testicule gauche.") == ["9064/3"]
    assert _morphs("Orchidectomie : séminome du testicule gauche.") == ["9061/3"]


def _cim10(text: str) -> list[str]:
    return [c["code"] for r in _conditions(text) for c in r["code"].get("coding", []) if c["system"] == CIM10]


def test_eye_and_uterus_disease_wordings() -> None:
    # papilloedema said with the papilla or the optic disc, plural eyelids, an eyeball pushed forward, a fibroid uterus
    assert _cim10("Le fond d'œil montrait un œdème de la papille optique.") == ["H47.1"]
    assert _cim10("Au fond d'œil, œdème des papilles prédominant à droite.") == ["H47.1"]
    assert _cim10("Un œdème du disque optique droit était visible.") == ["H47.1"]
    assert _cim10("Il présentait une ptose des paupières prédominant le soir.") == ["H02.4"]
    assert _cim10("L'examen montrait une protrusion du globe oculaire gauche.") == ["H05.2"]
    assert _cim10("L'échographie pelvienne montrait un utérus polymyomateux.") == ["D25.9"]
    # counter-examples: the organs alone are no disease; a negated one is refuted
    assert _cim10("Le fond d'œil était normal, la papille bien limitée, l'utérus de taille normale.") == []
    refuted = _conditions("Pas d'œdème de la papille au fond d'œil.")
    assert [r["verificationStatus"]["coding"][0]["code"] for r in refuted] == ["refuted"]


def test_another_human_herpesvirus_is_not_herpes_simplex() -> None:
    # HHV-6, -7, -8 (and 3 to 5) are not herpes simplex: no B00.9 from their names, a test's or a stain's target
    assert _cim10("La PCR n'a pas détecté le virus de l'herpès humain de type 8.") == []
    assert _cim10("L'immunohistochimie était positive pour le herpès virus humain 8.") == []
    assert _cim10("Sérologies : herpès virus humain de type 6 positif.") == []
    # counter-examples: herpes simplex of type 1 or 2, and herpes said of the patient, stay herpes
    assert _cim10("Les IgM étaient positives pour le virus de l'herpès simplex de type 1.") == ["B00.9"]
    assert _cim10("Herpès génital de type 2 en 2010.") == ["B00.9"]
    assert _cim10("Poussée d'herpès labial il y a 3 semaines.") == ["B00.9"]


def test_an_infection_said_immune_is_a_serological_status() -> None:
    # a pregnancy's serologies: the patient is (not) immune to the infection, she does not have it
    assert _cim10("Bilan prénatal : VDRL négatif, toxoplasmose non immunisée et rubéole immunisée.") == []
    assert _cim10("Sérologies : rubéole immune, toxoplasmose : non immune.") == []
    # counter-examples: the infection itself, near an immune word that is not its status
    assert _cim10("Toxoplasmose cérébrale chez un patient immunodéprimé.") == ["B58.9", "D84.9"]
    assert _cim10("Varicelle à l'âge de 5 ans, rubéole en 1990.") == ["B01.9", "B06.9"]


def _texts(text: str) -> list[str]:
    return [r["code"]["text"] for r in _conditions(text)]


def test_an_imaging_sign_or_a_histological_type_is_no_disease() -> None:
    # a filling defect is the image of something else (a tumour, a stone, a clot): joined to nothing, no Condition
    assert _texts("L'urographie intraveineuse montrait un défaut de réplétion dans le bassinet droit.") == []
    assert _texts("Le cystogramme a révélé un défaut de réplétion arrondi de la paroi vésicale.") == []
    # "corps étranger" as the type of a reaction or giant cells, not a foreign body in the patient
    assert _texts("Histologie : réaction granulomateuse de type corps étranger.") == []
    assert _texts("Présence de cellules géantes multinucléées de type corps étranger.") == []
    assert _texts("On notait de nombreuses cellules géantes à corps étranger.") == []
    # counter-examples: a foreign body in the patient, a foreign body granuloma (the granuloma), a bladder tumour's
    # filling defect (the tumour's evidence)
    assert _cim10("Ablation d'un corps étranger intra-bronchique.") == ["T17.8"]
    assert _texts("Granulome à corps étranger de la paupière.") == ["Granulome"]
    text = "Le cystogramme a révélé un défaut de réplétion. La biopsie a montré un carcinome urothélial de la vessie."
    assert _morphs(text) == ["8120/3"]


def test_disease_words_the_tables_lacked() -> None:
    assert _cim10("ECG : pré-excitation ventriculaire.") == ["I45.6"]
    assert _cim10("Le nourrisson présentait une micrognathie et une fente palatine.") == ["K07.0", "Q35.9"]
    assert _cim10("Diagnostic retenu : pyoderma gangrenosum du mollet.") == ["L88"]
    assert _morphs("Néphrectomie partielle : néphrome kystique multiloculaire du rein gauche.") == ["8959/0"]
    # a proliferation said tumoral is a neoplasm (malignant when said so), and the evidence of the type named later
    assert _morphs("La biopsie a montré une prolifération néoplasique infiltrante.") == ["8000/1"]
    assert _morphs("Biopsie : prolifération tumorale maligne du côlon.") == ["8000/3"]
    assert _morphs("Biopsie : prolifération tumorale. Conclusion : adénocarcinome du côlon.") == ["8140/3"]
    # counter-examples: a proliferation index, a cell proliferation that is not tumoral
    assert _morphs("Index de prolifération Ki-67 à 30 %. Prolifération lymphocytaire réactive.") == []


def _evidence(text: str) -> list[str]:
    res = fhirconv.convert(text)
    return [text[a:b] for p in _predictions(res.data, res.mentions) if p.type == "Condition" for a, b in p.mains]


def test_a_mass_effect_is_no_mention_of_a_mass() -> None:
    # "effet de masse" is what a lesion does to its neighbours: not cited as the tumour's words
    assert _evidence("Scanner : masse frontale gauche avec effet de masse. Biopsie : glioblastome.") == ["glioblastome"]
    assert _evidence("Biopsie : glioblastome temporal. IRM : important effet de masse.") == ["glioblastome"]


def _family(text: str) -> int:
    res = fhirconv.convert(text)
    return sum(e["resource"]["resourceType"] == "FamilyMemberHistory" for e in res.data["entry"])


def test_a_sentence_opening_with_enfant_is_about_the_patient() -> None:
    # a paediatric report's "Enfant ..." with no determiner, and "cet enfant", are the patient, not a relative
    assert _cim10("Enfant suivi pour des troubles du spectre autistique.") == ["F84.0"]
    assert _cim10("Enfant de 6 ans adressé pour une épilepsie. Cet enfant avait un asthme.") == ["G40.9", "J45.9"]
    assert _family("Enfant de 6 ans adressé pour une épilepsie.") == 0
    # counter-examples: the patient's child, children of a family history
    assert _family("Patiente de 40 ans. Son enfant est suivi pour une épilepsie.") == 1
    assert _family("Patiente de 40 ans. Un enfant asthmatique.") == 1
    assert _family("Antécédents familiaux : enfant décédé d'une leucémie.") == 1
