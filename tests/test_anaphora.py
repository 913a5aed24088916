"""A report names its cancer, then calls it "la tumeur", "le processus tumoral", "la lésion": those words are more
evidence of that cancer, not second diseases. A lesion with words of its own, a benign tumour, a refuted one, or
any of them in a report that names no cancer stay Conditions of their own. A disease named again with more words
("appendicite" ... "appendicite aiguë") is one Condition too."""

from __future__ import annotations

import pytest

import fhirconv
from tests.golden import spans

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _conditions(text: str) -> dict[str, tuple[str, list[str]]]:
    """Condition text -> (ICD-O-3 morphology or "", the words its evidence spans cite)."""
    out = {}
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            morph = next((c["code"] for c in r["code"].get("coding", []) if c["system"] == ICDO), "")
            out[r["code"]["text"]] = (morph, [text[s:t] for s, t, _ in spans(r)])
    return out


def test_generic_words_are_evidence_of_the_named_cancer() -> None:
    text = (
        "Une échographie montre une tumeur de 3 cm. La biopsie de la lésion conclut à un carcinome canalaire "
        "infiltrant du sein gauche. Le processus tumoral a été retiré."
    )
    conds = _conditions(text)
    assert list(conds) == ["carcinome canalaire infiltrant du sein"], conds
    morph, words = conds["carcinome canalaire infiltrant du sein"]
    assert morph == "8500/3"
    assert {"tumeur", "lésion", "processus tumoral"} <= set(words), words


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # no named cancer: the tumour and the lesion are what the report knows
        (
            "Une tumeur de 3 cm du rein est découverte. La lésion est hypervasculaire.",
            {"tumeur de 3 cm du rein", "lésion"},
        ),
        # a lesion with words of its own is a finding of its own (here at a site no table may know)
        (
            "Adénocarcinome du côlon. Le scanner montre des lésions millimétriques supratentorielles.",
            {"lésions millimétriques supratentorielles"},
        ),
        # a benign tumour is another tumour
        ("Adénocarcinome du côlon. Une tumeur bénigne du rein est vue.", {"tumeur bénigne du rein"}),
        # a refuted one is a negative finding
        ("Adénocarcinome du côlon. Pas de lésion.", {"lésion"}),
    ],
)
def test_what_is_not_an_anaphor_stays(text: str, kept: set[str]) -> None:
    conds = _conditions(text)
    assert kept <= set(conds), conds


def test_a_confirmed_tumour_does_not_confirm_a_suspected_histology() -> None:
    text = "Une tumeur du sein gauche est retrouvée. Un carcinome lobulaire du sein est suspecté."
    conds = _conditions(text)
    assert "tumeur du sein" in conds, conds


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # the disease named again with more words is one disease, named by its longer name
        ("Appendicite. L'échographie confirme une appendicite aiguë.", {"appendicite aiguë"}),
        ("Diabète depuis 2010. Diabète de type 2 sous metformine.", {"Diabète de type 2"}),
        # two longer names: which one the short name means is unknown, it stays
        (
            "Insuffisance rénale chronique. Épisode d'insuffisance rénale aiguë. Insuffisance rénale.",
            {"Insuffisance rénale chronique", "insuffisance rénale aiguë", "Insuffisance rénale"},
        ),
    ],
)
def test_a_disease_named_again_with_more_words_is_one_condition(text: str, kept: set[str]) -> None:
    assert set(_conditions(text)) == kept
