"""Complaints and signs a report describes on the way to its diagnosis are recognised but never Conditions
(symptoms.csv): the FHIR-level annotation lists the diagnosis, not the jaundice or the memory trouble."""

import pytest

import fhirconv


def _conditions(text: str) -> list[str]:
    res = fhirconv.convert(text, report_id="t")
    return [e["resource"]["code"]["text"] for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]


@pytest.mark.parametrize(
    ("text", "symptom", "disease"),
    [
        ("Patient adressé pour un ictère cutanéo-muqueux révélant une cirrhose hépatique.", "ictère", "cirrhose"),
        ("Une jaunisse fait découvrir une cirrhose biliaire primitive.", "jaunisse", "cirrhose"),
        (
            "Il se plaint d'une perte de mémoire et d'un trouble de la marche liés à une hydrocéphalie.",
            "mémoire",
            "hydrocéphalie",
        ),
        # an episode of a complaint is that complaint, not a disorder of its own
        ("Épisodes de douleur lancinante du flanc révélant une pyélonéphrite.", "douleur", "pyélonéphrite"),
        (
            "Elle décrit des épisodes de palpitations liés à une fibrillation auriculaire.",
            "palpitations",
            "fibrillation",
        ),
        ("Épisode d'agitation nocturne au cours d'une encéphalite.", "agitation", "encéphalite"),
        # a sensation of a foreign body is a complaint, not a foreign body found
        ("Sensation de corps étranger dans l'œil droit révélant une kératite.", "corps étranger", "kératite"),
    ],
)
def test_symptom_is_not_a_condition_but_the_disease_is(text: str, symptom: str, disease: str) -> None:
    conds = _conditions(text)
    assert not any(symptom in c for c in conds), conds
    assert any(disease in c for c in conds), conds
