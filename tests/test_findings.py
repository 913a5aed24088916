"""Findings (findings.csv heads read on over their modifiers), disease-word formation (disease_words.yaml) and how
findings fold into the document's cancer. Each case is a sentence written for the test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import fhirconv
from fhirconv.mentions import _suffixed, _WordMemo
from fhirconv.normalise import normalise


def _conditions(text: str) -> list[dict[str, Any]]:
    data = fhirconv.convert(text).data
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition"]


def _by_text(text: str) -> dict[str, dict[str, Any]]:
    return {c["code"]["text"]: c for c in _conditions(text)}


def _codes(c: dict[str, Any]) -> set[str]:
    return {x["code"] for x in c["code"].get("coding", [])}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Le scanner montre un hématome rétropéritonéal gauche.", "hématome rétropéritonéal gauche"),
        ("On retrouve une lésion du sinus sphénoïde.", "lésion du sinus sphénoïde"),
        ("Présence d'un abcès au niveau de la cuisse droite.", "abcès au niveau de la cuisse droite"),
        ("Épanchement de moyenne abondance.", "Épanchement"),  # "de moyenne" is a size, not a complement
        ("Dilatation calicielle bilatérale, puis drainage.", "Dilatation calicielle bilatérale"),
    ],
)
def test_finding_reads_on_over_its_modifiers(text: str, expected: str) -> None:
    assert expected in _by_text(text)


def test_finding_site_becomes_body_site_and_generic_code_is_kept() -> None:
    c = _by_text("Échographie : abcès prostatique.")["abcès prostatique"]
    # Abscess (disorder), and the CIM-10 code of an abscess of that site (cim10_refine.yaml sites)
    assert _codes(c) == {"128477000", "N41.2"}
    assert c["bodySite"][0]["coding"][0]["code"] == "C61.9"


def test_head_that_needs_a_modifier_is_dropped_alone() -> None:
    result = fhirconv.convert("Il présente un syndrome. Puis un syndrome de Cushing.")
    texts = [
        c["code"]["text"] for c in (e["resource"] for e in result.data["entry"]) if c["resourceType"] == "Condition"
    ]
    assert texts == ["syndrome de Cushing"]
    assert any(m.text == "syndrome" and "modifier" in why for m, why in result.dropped)


def test_modifiers_stop_before_the_next_concept() -> None:
    # "de la maladie" would pull another head into the finding: it stops, and the bare head needs a modifier
    assert not any(t.startswith("récidive") for t in _by_text("Aucune récidive de la maladie n'a été observée."))


def test_participle_is_not_a_finding() -> None:
    assert _by_text("Le ganglion était hypertrophié et la muqueuse ulcérée.") == {}


def test_negated_finding_is_refuted() -> None:
    c = _by_text("Pas de lésion hépatique à l'échographie.")["lésion hépatique"]
    assert c["verificationStatus"]["coding"][0]["code"] == "refuted"


@pytest.mark.parametrize(
    "word",
    [
        "spondylodiscite",
        "viscéromégalie",
        "pancytopénie",
        "hydrocèle",
        "hyponatrémie",
        "hypogonadisme",
        "hypocorticisme",
    ],
)
def test_disease_word_formation_names_a_disorder(word: str) -> None:
    assert word in _by_text(f"Le patient présente une {word}.")


# "İ" lowers to two characters and "Σ" by its context: the text is then not lowered as a whole but word by word
@pytest.mark.parametrize("extra", ["", " Vu par le Dr İNAN.", " Σ-test."])
def test_disease_words_are_found_by_their_lower_case_ending(extra: str) -> None:
    suffixes = fhirconv.load_mappings().disease_words[0]
    seeds = [p.read_text(encoding="utf-8") for p in sorted(Path(__file__).parent.parent.glob("fixtures/*.txt"))]
    for text in [*seeds, "Le patient présente une SPONDYLODISCITE, une Pancytopénie et une hépatoMÉGALIE."]:
        doc = normalise(text + extra)
        expected = [n for n, w in enumerate(doc.raws) if w.lower().endswith(suffixes)]
        memo = _WordMemo(suffixes, [])
        assert _suffixed(doc, memo) == expected != []
        assert _suffixed(doc, memo) == expected  # the words met again, read from the memo


def test_disease_words_are_judged_alike_when_met_again() -> None:
    # the rule a word fires is remembered per word (mentions._WordMemo): each spelling is judged on its own, the
    # compound "viscéro-mégalie" as the word alone; an exception ("visite") stays one when met again
    first = "Une spondylodiscite a été traitée. Une visite de contrôle est prévue."
    again = "Une viscéro-mégalie et une spondylodiscite sont notées. La visite suivante est normale."
    found = _by_text(first)
    assert "spondylodiscite" in found and "visite" not in found
    for _ in range(2):
        found = _by_text(again)
        assert {"viscéro-mégalie", "spondylodiscite"} <= found.keys() and "visite" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Il nécessite une prise en charge rapide.",  # verb in -ite
        "Le traitement a été poursuivi ensuite à domicile.",  # adverb in -ite
        "Une dose de glucose a été administrée.",  # -ose words that are not diseases
        "Il part à la retraite en mars.",
        "Hypermétabolisme intense du foie au TEP-scanner.",  # a tracer uptake, not a gland's excess
    ],
)
def test_ordinary_words_with_disease_endings_do_not_fire(text: str) -> None:
    assert _by_text(text) == {}


def test_lesions_of_the_metastatic_organ_restate_the_metastasis() -> None:
    text = (
        "Adénocarcinome du côlon. Scanner : multiples lésions hépatiques. "
        "La biopsie confirme des métastases hépatiques."
    )
    conds = _by_text(text)
    assert not any(t.startswith("lésions") for t in conds)
    meta = next(c for c in conds.values() if "C78.7" in _codes(c))
    spans = [x["extension"][1]["valueInteger"] for x in meta["extension"] if x["url"].endswith("derivation-reference")]
    assert text.index("lésions hépatiques") in spans


def test_recurrence_at_another_site_is_a_metastasis_of_the_primary_histology() -> None:
    conds = _conditions("Adénocarcinome gastrique opéré en 2012. En 2015, récidive ovarienne bilatérale.")
    rec = next(c for c in conds if c["code"]["text"].startswith("récidive ovarienne"))
    assert {"C79.6", "8140/6"} <= _codes(rec)


def test_local_recurrence_takes_the_primary_codes_and_recurrence_status() -> None:
    conds = _conditions("Adénocarcinome gastrique opéré en 2012. En 2013, récidive locale.")
    rec = next(c for c in conds if c["code"]["text"].startswith("récidive locale"))
    assert "8140/3" in _codes(rec)
    assert rec["clinicalStatus"]["coding"][0]["code"] == "recurrence"


@pytest.mark.parametrize(
    "text, verification, clinical",
    [
        ("Patient fumeur.", "confirmed", "active"),
        ("Patient non-fumeur.", "refuted", "inactive"),
        ("Patient ex-fumeur.", "confirmed", "resolved"),
        ("Tabagisme sevré en 2010.", "confirmed", "resolved"),
    ],
)
def test_tobacco_use_and_its_assertions(text: str, verification: str, clinical: str) -> None:
    (c,) = _conditions(text)
    assert "Z72.0" in _codes(c)
    assert c["verificationStatus"]["coding"][0]["code"] == verification
    assert c["clinicalStatus"]["coding"][0]["code"] == clinical


def test_adenopathy_of_a_node_group_is_localised_without_cancer() -> None:
    (c,) = _conditions("Adénopathie hilaire droite de 12 mm.")
    assert "R59.0" in _codes(c) and c["bodySite"][0]["coding"][0]["code"] == "C77.1"


def test_adenopathies_of_a_cancer_patient_are_its_nodal_metastases() -> None:
    conds = _conditions("Adénocarcinome du sein gauche. Adénopathie axillaire. Adénopathie hilaire droite suspecte.")
    nodes = {c["bodySite"][0]["coding"][0]["code"]: c for c in conds if "8140/6" in _codes(c)}
    assert set(nodes) == {"C77.3", "C77.1"}
    assert "C77.3" in _codes(nodes["C77.3"])
    assert nodes["C77.1"]["verificationStatus"]["coding"][0]["code"] == "provisional"  # "suspecte"


def test_a_disease_word_inside_an_anatomical_name_is_anatomy() -> None:
    assert _by_text("Masse englobant le nerf grand sciatique.") == {}
    assert "M54.3" in _codes(_by_text("Sciatique L5 gauche.")["Sciatique"])


def test_a_broken_phrase_pattern_is_a_table_error_naming_its_line(tmp_path: Any) -> None:
    from fhirconv.errors import MappingError
    from fhirconv.tables import load_mappings

    (tmp_path / "phrases.yaml").write_text(
        'meta: {source: test, version: "1", licence: CC0}\npatterns:\n  - {name: node_gap, pattern: "(unclosed"}\n',
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as err:
        load_mappings(tmp_path)
    assert "phrases.yaml:3" in str(err.value) and "node_gap" in str(err.value)
