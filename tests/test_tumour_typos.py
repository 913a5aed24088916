"""Typing slips in long tumour names (disease_words.yaml ``typos``): an unknown long word ending in -ome, one edit
from exactly one word of a morphology term, is read as that word; anything else is left alone."""

from __future__ import annotations

import pytest

import fhirconv
from fhirconv.matcher import TermMatcher
from fhirconv.normalise import normalise

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _morphologies(text: str) -> list[tuple[str, str]]:
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            out += [(r["code"]["text"], c["code"]) for c in r["code"].get("coding", []) if c["system"] == ICDO]
    return out


@pytest.mark.parametrize(
    ("text", "words", "code"),
    [
        ("Exérèse d'un neuroblatome surrénalien.", "neuroblatome", "9500/3"),  # a letter left out
        ("IRM : oligodendrogiome frontal gauche.", "oligodendrogiome", "9450/3"),
        ("Biopsie : adénocarcinnome du rectum.", "adénocarcinnome", "8140/3"),  # a letter typed twice
        ("Histologie : adénocarcimone lieberkühnien.", None, None),  # two letters swapped apart: two edits
        ("Myélome : plasmacytome solitaire de la côte.", "plasmacytome", "9731/3"),  # a spelling variant
        ("Diagnostic : cholangiocarcinomie intrahépatique.", "cholangiocarcinomie", "8160/3"),  # the ending slipped
        ("Histologie : léiomyosarcomme de l'utérus.", "léiomyosarcomme", "8890/3"),
        ("Compte rendu : neuroblastoma surrénalien de stade 4.", "neuroblastoma", "9500/3"),  # the English name
    ],
)
def test_long_tumour_word_with_one_slip(text: str, words: str | None, code: str | None) -> None:
    found = _morphologies(text)
    if words is None:
        assert not any("carcim" in w for w, _ in found)
    else:
        assert any(w.startswith(words) and c == code for w, c in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Caryotype : un chromosome surnuméraire.",  # a real word ending in -ome, far from any tumour
        "Sarcone du genou.",  # a short word: no guess
        "Examen neurologique : méningisme franc.",  # one edit from méningiome, but not a tumour's ending
        "Myélogramme : plasmocytose médullaire à 8 %.",  # one edit from plasmocytome
    ],
)
def test_no_tumour_from_other_words(text: str) -> None:
    assert _morphologies(text) == []


def test_a_word_near_two_terms_is_left_alone() -> None:
    m = TermMatcher()
    for term in ("macroadénome", "microadénome", "ostéoblastome"):
        m.add(term, term)
    m.tolerate_typos(["macroadénome", "microadénome", "ostéoblastome"], ("ome",), 10)

    def found(text: str) -> list[object]:
        return [p for hit in m.find(normalise(text)) for p in hit.payloads]

    assert found("un mucroadénome") == []  # one edit from both: no guess
    assert found("un ostéoblastôme") == ["ostéoblastome"]  # accents folded: the word itself
    assert found("un ostéoblatome") == ["ostéoblastome"]
    assert found("un ostéoblastome et un ostéoblatome") == ["ostéoblastome", "ostéoblastome"]
