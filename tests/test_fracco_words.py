"""Tumour wordings of translated oncology case reports (the FRACCO kind): sentences written for these tests, one
family per test; each asserts the code the words name and the evidence cited for it."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _conditions(text: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == "Condition"]


def _morph(r: dict[str, Any]) -> str | None:
    return next((c["code"] for c in r["code"].get("coding", []) if c["system"] == ICDO), None)


def _cited(text: str, r: dict[str, Any], path: str | None) -> list[str]:
    """The words a Condition cites as evidence for ``path`` (None: for itself)."""
    out = []
    for ext in r.get("extension", []):
        parts = {p["url"]: p for p in ext.get("extension", [])}
        if "offset" not in parts:
            continue
        if parts.get("path", {}).get("valueString") == path:
            a = parts["offset"]["valueInteger"]
            out.append(text[a : a + parts["length"]["valueInteger"]])
    return out


def test_finding_folded_into_its_organs_tumour_cites_its_site_word() -> None:
    # the mass of the lung restates the lung cancer: its site word is more evidence of the bodySite, and a lesion of
    # another organ stays apart with its own site
    text = (
        "Adénocarcinome pulmonaire diagnostiqué en 2019. Le scanner de contrôle montre une masse pulmonaire de 3 cm "
        "et une lésion hépatique."
    )
    conds = _conditions(text)
    lung = next(r for r in conds if _morph(r) == "8140/3")
    assert _cited(text, lung, "Condition.bodySite") == ["pulmonaire", "pulmonaire"]
    assert "masse pulmonaire" in _cited(text, lung, None)
    assert all("hépatique" not in w for w in _cited(text, lung, "Condition.bodySite"))


def _tumours(text: str, edition: str | None = None) -> list[tuple[str, str | None]]:
    maps = fhirconv.load_mappings(icdo_edition=edition) if edition else None
    out = []
    for e in fhirconv.convert(text, mappings=maps).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition" and _morph(r):
            out.append((r["code"]["text"], _morph(r)))
    return out


@pytest.mark.parametrize(
    ("text", "words", "code"),
    [
        # signet ring cells named after the carcinoma, in the wordings translations give
        (
            "Biopsie : adénocarcinome gastrique bien différencié, variante de l'anneau de signet.",
            "adénocarcinome gastrique",
            "8490/3",
        ),
        ("Colectomie : carcinome cellulaire en bague de signet du caecum.", "carcinome", "8490/3"),
        ("Ponction : adénocarcinome avec cellules en anneau de signe.", "adénocarcinome", "8490/3"),
        # the abbreviation with its subtype
        ("Polypectomie : ADC tubulaire infiltrant pT1.", "ADC tubulaire", "8211/3"),
        ("Lobectomie : ADC pulmonaire lépidique.", "ADC pulmonaire lépidique", "8250/3"),
        ("Biopsie : adénocarcinome de type lépidique.", "adénocarcinome de type lépidique", "8250/3"),
        ("Exérèse d'une tumeur de type desmoïde.", "tumeur de type desmoïde", "8821/1"),
        # the rest of the name past a site written as a complement ("de l'ovaire")
        (
            "Annexectomie : carcinome papillaire séreux de l'ovaire de haut grade.",
            "carcinome papillaire séreux de l'ovaire de haut grade",
            "8461/3",
        ),
        ("Antécédent de cancer du sein canalaire infiltrant.", "cancer du sein canalaire infiltrant", "8500/3"),
        # a renal cell carcinoma said papillary is the papillary one
        (
            "Néphrectomie : carcinome papillaire à cellules rénales du rein gauche.",
            "carcinome papillaire à cellules rénales du rein",
            "8260/3",
        ),
        # lymphoma subtypes in the order and words reports use
        (
            "Lymphome de Hodgkin classique de sous-type sclérose nodulaire, stade IIA.",
            "Lymphome de Hodgkin classique de sous-type sclérose nodulaire",
            "9663/3",
        ),
        (
            "Antécédent de lymphome extranodal de la zone marginale (MALT) avec atteinte gastrique.",
            "lymphome extranodal de la zone marginale",
            "9699/3",
        ),
    ],
)
def test_tumour_wordings(text: str, words: str, code: str) -> None:
    assert (words, code) in _tumours(text)


def test_signet_ring_words_refine_the_carcinoma_not_a_second_tumour() -> None:
    text = "Biopsie : adénocarcinome gastrique bien différencié, variante de l'anneau de signet."
    assert [c for _, c in _tumours(text)] == ["8490/3"]


def test_high_grade_serous_carcinoma_by_edition() -> None:
    # ICD-O-3.2 high grade serous carcinoma 8461/3; ICD-O-3.1 has no grade-specific serous carcinoma (8441/3)
    text = "Annexectomie : carcinome papillaire séreux de l'ovaire de haut grade."
    assert [c for _, c in _tumours(text, "3.1")] == ["8441/3"]


def test_site_word_written_again_near_the_tumour_is_bodysite_evidence() -> None:
    # "dans le sein gauche" restates the breast of "carcinome canalaire infiltrant du sein"; the sub-site
    # "quadrant supéro-externe" (another code) and the liver of another sentence are not cited for it
    text = (
        "Carcinome canalaire infiltrant du sein, nodule de 2 cm dans le sein gauche, quadrant supéro-externe. "
        "Échographie hépatique normale."
    )
    breast = next(r for r in _conditions(text) if _morph(r) == "8500/3")
    assert _cited(text, breast, "Condition.bodySite") == ["sein", "sein"]


def test_refuted_tumour_cites_no_further_site_word() -> None:
    text = "Pas de carcinome du sein, le sein gauche est normal."
    for r in _conditions(text):
        assert len(_cited(text, r, "Condition.bodySite")) <= 1
