"""Words that read like a disease and are none: a head that needs a modifier followed only by words saying which
disease or how often (phrases.yaml empty_modifier), an adverb taken for a complement (phrases.yaml modifiers), and
words with a disease ending from laboratory, genetics or cell biology (disease_words.yaml). Each case is a sentence
written for the test."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv


def _condition_texts(text: str) -> list[str]:
    data = fhirconv.convert(text).data
    return [e["resource"]["code"]["text"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition"]


def _condition_codes(text: str) -> set[str]:
    data = fhirconv.convert(text).data
    return {
        c["code"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Condition"
        for c in e["resource"]["code"]["coding"]
    }


def _dropped(text: str) -> list[tuple[Any, str]]:
    return fhirconv.convert(text).dropped


@pytest.mark.parametrize(
    "text, words",
    [
        ("Maladie actuelle : elle consulte pour une douleur abdominale.", "Maladie actuelle"),
        ("Le bilan est compatible avec la maladie actuelle du patient.", "maladie actuelle"),
        ("Aucun signe de récidive de sa maladie de base.", "maladie de base"),
        ("Il a présenté deux épisodes similaires en 2010.", "épisodes similaires"),
        ("Elle décrit des épisodes occasionnels et autolimités.", "épisodes occasionnels et autolimités"),
        ("Le bilan n'a révélé aucune pathologie significative.", "pathologie significative"),
        ("Elle rapporte des épisodes isolés depuis l'été.", "épisodes isolés"),
        ("Il décrit des crises paroxystiques nocturnes.", "crises paroxystiques"),
        ("Survenue d'un épisode brutal la veille.", "épisode brutal"),
    ],
)
def test_head_with_only_an_empty_modifier_names_nothing(text: str, words: str) -> None:
    assert _condition_texts(text) == []
    assert any(m.text.startswith(words.split()[0]) and "modifier" in why for m, why in _dropped(text))


@pytest.mark.parametrize(
    "text, words",
    [
        ("Il a présenté des épisodes répétés d'hémoptysie massive.", None),  # the symptom's own row decides
        ("Une maladie hépatique chronique est connue.", "maladie hépatique chronique"),
        ("Un épisode thromboembolique récent est noté.", "épisode thromboembolique"),
        ("On note une atteinte articulaire diffuse.", "atteinte articulaire"),
        ("Épisodes paroxystiques d'hypersudation.", "Épisodes paroxystiques d'hypersudation"),
    ],
)
def test_a_real_modifier_still_makes_the_finding(text: str, words: str | None) -> None:
    found = _condition_texts(text)
    if words is not None:
        assert words in found
    assert not any(t.split()[-1] in ("similaires", "actuelle", "répétés") for t in found)


def test_an_approximate_quantity_is_no_complement() -> None:
    # "d'environ 15 kg": "environ" is an adverb, the finding does not read "perte d'environ" as a disorder
    assert _condition_texts("Anorexie et perte d'environ 15 kg en trois mois.") == []
    # a bare "lésion d'environ 2 cm" is the report's cancer again, not a finding of its own
    text = "Adénocarcinome du rectum. L'IRM montre une lésion d'environ 2 cm."
    assert _condition_texts(text) == ["Adénocarcinome du rectum"]


@pytest.mark.parametrize(
    "text",
    [
        "Cryoglobulinémie positive avec un cryocrite de 9 %.",  # -crite: a packed-cell measure (hématocrite)
        "La mutation est présente en hétérozygose chez la mère et en hémizygose chez le fils.",  # genotype
        "Cultures sur gélose au sang et au chocolat.",  # a culture medium
        "Frottis : anisopoïkilocytose, microcytose et dianocytose.",  # red cell morphology on a smear
        "Biopsie cutanée : spongiose légère et exocytose lymphocytaire.",  # exocytosis is a cell process
        "Le LCR montrait une pléiocytose lymphocytaire et une monocytose.",  # a cell count
        "Le clitoris est bipartite.",  # an adjective in -ite
        "Une pseudocapsule délimite la lésion.",  # a verb in -ite
    ],
)
def test_words_with_a_disease_ending_that_name_no_disease(text: str) -> None:
    found = _condition_texts(text)
    for word in ("cryocrite", "zygose", "gélose", "cytose", "exocytose", "bipartite", "délimite"):
        assert not any(word in t for t in found), found


@pytest.mark.parametrize("word", ["érythrophagocytose", "hyperostose", "ostéoarthrite", "polykystose"])
def test_diseases_with_those_endings_still_fire(word: str) -> None:
    assert word in _condition_texts(f"Le bilan a montré une {word}.")


def _statuses(text: str) -> dict[str, str]:
    data = fhirconv.convert(text).data
    return {
        e["resource"]["code"]["text"]: e["resource"]["verificationStatus"]["coding"][0]["code"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Condition"
    }


@pytest.mark.parametrize(
    "text",
    [
        "Les sérologies de la varicelle, de l'hépatite B et de la syphilis sont normales.",
        "Les sérologies de l'hépatite B et de la syphilis étaient négatives.",
        "Les sérologies virales (hépatite B, syphilis) se sont révélées négatives.",
        "Les recherches de tuberculose, de syphilis et de brucellose sont revenues négatives.",
    ],
)
def test_a_plural_result_after_a_list_refutes_every_disease_listed(text: str) -> None:
    statuses = _statuses(text)
    assert statuses and set(statuses.values()) == {"refuted"}, statuses


@pytest.mark.parametrize(
    "text, disease",
    [
        # a new clause after the comma: the disease before it is the patient's
        ("Il a une hépatite B, les sérologies de la syphilis et de la brucellose sont négatives.", "hépatite B"),
        # a positive result, and a disease the list does not reach
        ("Sérologies de l'hépatite B et de la syphilis positives.", "hépatite B"),
        ("Diabète de type 2. Les sérologies de la syphilis sont négatives.", "Diabète de type 2"),
    ],
)
def test_the_plural_result_stays_in_its_list(text: str, disease: str) -> None:
    assert _statuses(text)[disease] == "confirmed"


def test_a_plural_result_after_tests_does_not_negate_the_tests() -> None:
    result = fhirconv.convert("Les marqueurs tumoraux (ACE, CA 19-9 et alpha-fœtoprotéine) étaient tous négatifs.")
    tests = [m for m in result.mentions if m.kind == "observation"]
    assert len(tests) == 4 and not any("negation" in m.qualifiers for m in tests)


@pytest.mark.parametrize(
    "text, disease",
    [
        ("Le scanner montre un abcès hépatique de 5 cm. L'abcès a été drainé par voie percutanée.", "abcès hépatique"),
        ("Il présente un ulcère gastrique. Cet ulcère a cicatrisé sous traitement.", "ulcère gastrique"),
        (
            "Un hématome rétropéritonéal gauche est découvert. Évacuation de l'hématome.",
            "hématome rétropéritonéal gauche",
        ),
    ],
)
def test_a_head_word_after_a_definite_determiner_is_the_disease_named_before(text: str, disease: str) -> None:
    data = fhirconv.convert(text).data
    conds = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert [c["code"]["text"] for c in conds] == [disease]
    spans = [
        x["extension"][1]["valueInteger"] for x in conds[0]["extension"] if x["url"].endswith("derivation-reference")
    ]
    head = disease.split()[0].lower()
    assert text.lower().rindex(head) in spans  # the later head word is cited as evidence of the disease


@pytest.mark.parametrize(
    "text, count",
    [
        ("Abcès hépatique en 2010. Il présente maintenant un abcès.", 2),  # an indefinite article: maybe another one
        ("Ulcère gastrique et ulcère duodénal. L'ulcère a cicatrisé.", 3),  # two diseases it may stand for
        ("Pas d'abcès hépatique au scanner. L'abcès a été drainé.", 2),  # a refuted one is no antecedent
    ],
)
def test_a_head_word_stays_apart_when_its_antecedent_is_not_sure(text: str, count: int) -> None:
    assert len(_condition_texts(text)) == count


@pytest.mark.parametrize(
    "text, code",
    [
        ("Biopsie : carcinome neuroendocrine indifférencié de la prostate.", "C61"),
        ("Il s'agit d'un liposarcome dédifférencié du rétropéritoine.", "C48.0"),
    ],
)
def test_an_undifferentiated_grade_word_does_not_part_a_tumour_from_its_site(text: str, code: str) -> None:
    codes = _condition_codes(text)
    assert code in codes


def test_vascular_invasion_is_the_tumour_s_own_extent() -> None:
    # "invasion" reads like "infiltration" / "envahissement" (findings.csv course spread): with no site of its own
    # it is more evidence of the patient's cancer, not a disease of its own
    text = "Carcinome canalaire infiltrant du sein droit de 15 mm, avec invasion vasculaire."
    data = fhirconv.convert(text).data
    conds = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert len(conds) == 1
    spans = [
        x["extension"][1]["valueInteger"] for x in conds[0]["extension"] if x["url"].endswith("derivation-reference")
    ]
    assert text.index("invasion") in spans
    # without a cancer in the report it stays a finding
    assert _condition_texts("Invasion vasculaire à l'histologie.") == ["Invasion vasculaire"]


@pytest.mark.parametrize("words", ["tableau septique", "syndrome septique"])
def test_sepsis_wordings_are_sepsis(words: str) -> None:
    codes = _condition_codes(f"Il a été admis pour un {words} avec hypotension.")
    assert "A41.9" in codes


@pytest.mark.parametrize(
    "text",
    [
        "Carcinome canalaire infiltrant du sein gauche. Deux adénopathies sont observées dans l'aisselle gauche.",
        "Carcinome canalaire infiltrant du sein gauche. Des adénopathies sont retrouvées au niveau axillaire.",
    ],
)
def test_the_node_group_of_an_adenopathy_may_be_written_in_its_predicate(text: str) -> None:
    codes = _condition_codes(text)
    assert {"C77.3", "8500/6"} <= codes  # the breast cancer's axillary nodal metastasis


def test_a_node_group_past_another_noun_is_not_the_adenopathy_s() -> None:
    codes = _condition_codes("Pas d'adénopathie ; la tumeur est visualisée dans l'aisselle droite.")
    assert "R59.0" not in codes and "C77.3" not in codes


def test_one_cim10_code_two_diseases_snomed_tells_apart() -> None:
    # two CIM-10 codes (B16.9, B17.1) and two SNOMED CT codes: two Conditions
    assert _condition_texts("Antécédents : hépatite B et hépatite C.") == ["hépatite B", "hépatite C"]
    # the same disease twice is still one
    assert _condition_texts("Hépatite C en 2010. Elle est suivie pour son hépatite C.") == ["Hépatite C"]
