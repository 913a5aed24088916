"""Tumour wordings measured on the FRACCO error classes of session 15: sentences written for these tests, each rule
with a counter-example that must stay as it was."""

from __future__ import annotations

from typing import Any

import fhirconv

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _conditions(text: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == "Condition"]


def _morphs(text: str) -> list[str]:
    return [c["code"] for r in _conditions(text) for c in r["code"].get("coding", []) if c["system"] == ICDO]


def test_germinatif_is_the_germ_cell_adjective() -> None:
    text = "Orchidectomie : néoplasme germinatif non séminomateux du testicule droit."
    assert _morphs(text) == ["9065/3"]
    assert _morphs("Biopsie testiculaire : néoplasme germinatif intratubulaire.") == ["9064/2"]
    assert _morphs("Masse rétropéritonéale évoquant une tumeur germinative.") == ["9064/3"]


def test_fibrolamellar_hcc_abbreviated() -> None:
    assert _morphs("Hépatectomie droite pour un CHC fibrolamellaire chez une patiente de 24 ans.") == ["8171/3"]
    # counter-example: the abbreviation alone is hepatocellular carcinoma NOS
    assert _morphs("Hépatectomie droite pour un CHC sur cirrhose.") == ["8170/3"]


def test_abbreviation_in_a_coordinated_stain_list_is_a_marker() -> None:
    # the result written after the last marker of the list is each marker's: "LAM" (smooth muscle actin) there is
    # no acute myeloid leukaemia
    text = "L'étude immunohistochimique montre une vimentine, LAM et desmine positives. Diagnostic : léiomyosarcome."
    assert _morphs(text) == ["8890/3"]
    # counter-examples: a leukaemia named outside a stain list stays one, and a result right after still reads
    assert _morphs("Diagnostic de LAM chez un patient de 60 ans.") == ["9861/3"]
    assert _morphs("Immunohistochimie : CD3+, LAM positif. Diagnostic : léiomyosarcome.") == ["8890/3"]


def test_keratinizing_words_name_the_squamous_type() -> None:
    # "(non) kératinisant" says the squamous type without "épidermoïde"
    assert _morphs("Biopsie du rhinopharynx : carcinome non kératinisant du cavum.") == ["8072/3"]
    assert _morphs("Biopsie : carcinome kératinisant de l'amygdale droite.") == ["8071/3"]
    # counter-example: a carcinoma of no stated type stays a carcinoma NOS
    assert _morphs("Biopsie : carcinome de l'amygdale droite.") == ["8010/3"]


def test_words_calling_a_benign_or_uncertain_tumour_malignant_give_its_malignant_code() -> None:
    # ICD-O-3 rule F: the behaviour the words state, when the tables know the histology's malignant code
    assert _morphs("Biopsie mandibulaire : tumeur odontogène sarcomateuse.") == ["9270/3"]
    assert _morphs("Scanner : néoformation vésicale maligne de 3 cm.") == ["8000/3"]
    assert _morphs("Biopsie de la cuisse : neurofibrome avec dégénérescence maligne.") == ["9540/3"]
    assert _morphs("Exérèse d'un schwannome malin de la cuisse.") == ["9540/3"]
    assert _morphs("Pièce opératoire : tératome avec dégénérescence maligne de l'ovaire.") == ["9084/3"]


def test_malignancy_not_said_right_after_the_tumour_leaves_its_behaviour() -> None:
    # counter-examples: denied, or said of something else further on
    assert _morphs("Exérèse d'un schwannome de la cuisse, sans signe malin.") == ["9560/0"]
    assert _morphs("Scanner : néoformation vésicale non maligne.") == ["8000/1"]
    assert _morphs("Biopsie mandibulaire : tumeur odontogène.") == ["9270/1"]
