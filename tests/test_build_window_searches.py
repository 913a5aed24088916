"""The phrase patterns the condition builder searches in a window before or around each tumour word go through the
table prefilter (``build.common.prefiltered``): a report without the pattern's words is not searched. The prefilter
is active on reports of MIN_TEXT characters and more, so the rules are tested there too, not only on one sentence."""

from __future__ import annotations

import pytest

import fhirconv
from fhirconv.build.common import prefiltered
from fhirconv.tables.prefilter import MIN_TEXT

# a neutral opening that makes the report long enough for the prefilter, naming no disease
_OPENING = "Patiente de 62 ans, sans antécédent particulier, vue en consultation pour un bilan. " * 6


def _long(sentence: str) -> str:
    text = _OPENING + sentence
    assert len(text) >= MIN_TEXT
    return text


def _conditions(text: str) -> list[tuple[list[str], list[str]]]:
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            codes = [c["code"] for c in r["code"].get("coding", [])]
            sites = [c["code"] for b in r.get("bodySite", []) for c in b["coding"]]
            out.append((codes, sites))
    return out


@pytest.mark.parametrize("short", [True, False])
def test_tumour_type_a_marker_is_of_in_a_long_report(short: bool) -> None:
    sentence = "Les marqueurs tumoraux des tumeurs germinales (AFP, bêta-HCG) sont normaux."
    assert _conditions(sentence if short else _long(sentence)) == []


@pytest.mark.parametrize("short", [True, False])
def test_invaded_layer_is_no_site_in_a_long_report(short: bool) -> None:
    sentence = "Récidive : carcinome urothélial de haut grade infiltrant le muscle."
    assert _conditions(sentence if short else _long(sentence)) == [(["C80.9", "8120/3"], [])]


@pytest.mark.parametrize("name", ["marker_of", "invaded_structure"])
def test_prefiltered_window_search_is_the_plain_search(name: str) -> None:
    mappings = fhirconv.load_mappings()
    plain, scan = mappings.phrases[name], prefiltered(mappings, name)
    texts = [
        _long("Les marqueurs tumoraux du carcinome sont normaux. Carcinome infiltrant la graisse périrénale."),
        _long("Adénocarcinome envahissant les tissus mous. MARQUEURS SÉRIQUES DE L'hépatocarcinome : normaux."),
        _long("Tumeur dépassant la musculeuse, sans marqueur particulier."),
        _long("Aucun de ces mots ici."),
    ]
    for text in texts:
        for start in range(0, len(text), 7):
            for width in (20, 45, 120):
                end = min(len(text), start + width)
                got, want = scan.search(text, start, end), plain.search(text, start, end)
                assert (got and got.span()) == (want and want.span()), (text, start, end)
