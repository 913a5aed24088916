"""Morphology codes fhirconv emitted for a tumour that the report names otherwise (session 16, the FRACCO
document-level false positives): sentences written for these tests, each rule with counter-examples that must stay
as they were."""

from __future__ import annotations

from tests.test_fracco15_rules import _conditions, _morphs


def test_a_class_de_type_one_of_its_types_is_that_type() -> None:
    # tumours.yaml umbrellas: a germ cell tumour / a T-cell lymphoma "NOS" whose type is written after it ("de type")
    # is that type, though the type's code comes before the class's in ICD-O-3
    assert _morphs("Biopsie médiastinale : tumeur germinale pure de type séminome.") == ["9061/3"]
    assert _morphs("Masse rétropéritonéale : tumeur germinale classique de type dysgerminome.") == ["9060/3"]
    assert _morphs("Biopsie cutanée : lymphome T cutané primaire de type mycosis fongoïde.") == ["9700/3"]
    assert _morphs("Biopsie ganglionnaire : lymphome T de type syndrome de Sézary.") == ["9701/3"]
    # counter-examples: the class alone stays the class, and a type of another family does not refine it
    assert _morphs("Biopsie médiastinale : tumeur germinale pure.") == ["9064/3"]
    assert _morphs("Biopsie cutanée : lymphome T cutané primaire.") == ["9709/3"]


def test_a_few_cells_of_a_type_found_in_a_tumour_are_that_tumour_s() -> None:
    # phrases.yaml component: signet ring cells "present" in an adenocarcinoma are not a second cancer, and do not
    # make it a signet ring cell carcinoma (the type is the predominant histology)
    lung = "La biopsie bronchique a confirmé un adénocarcinome pulmonaire, avec la présence de cellules en anneau de signet."
    assert _morphs(lung) == ["8140/3"]
    assert _morphs(
        "Biopsie gastrique : adénocarcinome mucineux avec quelques cellules isolées en bague de signet."
    ) == ["8480/3"]
    assert _morphs("Biopsie colique : adénocarcinome mucineux avec de rares cellules en anneau de signet.") == [
        "8480/3"
    ]
    # counter-examples: cells written as the tumour's type still refine it, a tumour written without such words
    # stays apart
    assert _morphs("Biopsie gastrique : adénocarcinome peu différencié avec des cellules en anneau de signet.") == [
        "8490/3"
    ]
    assert _morphs("Biopsie gastrique : carcinome à cellules en anneau de signet.") == ["8490/3"]


def test_words_calling_a_tumour_of_uncertain_behaviour_benign_give_its_benign_code() -> None:
    # phrases.yaml said_benign: the behaviour the words state (ICD-O-3 rule F), when the tables know the /0 code
    assert _morphs("Biopsie du sein droit : tumeur phyllode, histologiquement bénigne.") == ["9020/0"]
    assert _morphs("Exérèse ovarienne : tératome histologiquement mature.") == ["9080/0"]
    assert _morphs("Orchidectomie : tératome testiculaire mature.") == ["9080/0"]
    assert _morphs("IRM : tumeur cérébrale morphologiquement bénigne.") == ["8000/0"]
    # counter-examples: no such word keeps the uncertain behaviour, a malignant tumour is not made benign, and a
    # tumour called malignant stays malignant
    assert _morphs("Biopsie du sein droit : tumeur phyllode.") == ["9020/1"]
    assert _morphs("Biopsie : carcinome canalaire infiltrant, cellules matures en périphérie.") == ["8500/3"]
    assert _morphs("Biopsie du sein droit : tumeur phyllode maligne.") == ["9020/3"]


def _cim10(text: str) -> list[str]:
    return [c["code"] for r in _conditions(text) for c in r["code"].get("coding", []) if "cim-10" in c["system"]]


def test_carcinoid_heart_disease_and_symptoms_are_the_carcinoid_syndrome_not_a_tumour() -> None:
    # conditions.csv: "carcinoïde" qualifying the heart disease or the symptoms the tumour's hormones cause is the
    # carcinoid syndrome (E34.0), not one more carcinoid tumour (which, merged into a neuroendocrine tumour, also
    # changed its ICD-O-3.1 code)
    assert _morphs("L'échocardiographie a exclu une cardiopathie valvulaire carcinoïde.") == []
    assert _cim10("Échographie cardiaque : valves épaissies évoquant une cardiopathie carcinoïde.") == ["E34.0"]
    assert _morphs("Après l'hépatectomie, les symptômes carcinoïdes disparaissent.") == []
    # counter-examples: the carcinoid tumour itself stays a tumour, with or without the syndrome
    assert _morphs("Biopsie bronchique : tumeur carcinoïde typique.") == ["8240/3"]
    assert _morphs("Biopsie iléale : carcinoïde de l'iléon avec syndrome carcinoïde.") == ["8240/3"]


def test_a_plasma_cell_neoplasm_is_not_the_report_s_solid_cancer() -> None:
    # morphology.csv: a tumour "plasmocytaire" is a plasma cell tumour (ICD-O-3 9731/3), of the haematopoietic
    # lineage; read as the generic "néoplasie" it was taken for the report's carcinoma and its code was lost
    kidney = "Patient suivi pour un carcinome rénal à cellules claires depuis 2019. "
    assert _morphs(kidney + "Un myélogramme a été réalisé devant la suspicion de néoplasie plasmocytaire.") == [
        "8310/3",
        "9731/3",
    ]
    assert _morphs(kidney + "Le scanner montre une tumeur plasmocytaire de la côte.")[1:] == ["9731/3"]
    # counter-examples: the generic words alone still name the carcinoma, and a myeloma named twice stays one
    assert _morphs(kidney + "Un scanner a été réalisé devant la suspicion de néoplasie récidivante.") == ["8310/3"]
    assert _morphs("Diagnostic de myélome multiple à IgG kappa. Le myélome est traité par bortézomib.") == ["9732/3"]
