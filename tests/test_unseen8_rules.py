"""Rules found wrong on the eighth batch of reports written for session 15 (tests/data/unseen/u57..u60: gastric GIST,
neuroendocrine tumour of the ileum, Ewing sarcoma of the femur, hepatocellular carcinoma on cirrhosis): an exclusion
verb without auxiliary ("ce qui écartait le léiomyome") or with an adverb after "est" ("est donc exclu"), a site
written after a bracketed abbreviation ("tumeur stromale gastro-intestinale (GIST) gastrique"), a recurrence in the
organ a histology names by itself ("carcinome hépatocellulaire ... récidive hépatique"), a histology's own CIM-10
code over the unspecified one of its organ ("carcinome hépatocellulaire du foie": C22.0, not C22.9), and a few
procedure rows. Texts written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import condition_codes as _codes
from tests.bundle_facts import entries
from tests.bundle_facts import verifications as _verification


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # the verb of exclusion without auxiliary, its diagnoses after it
        ("La biopsie montrait des cellules CD117 positives, ce qui écartait un léiomyome.", "léiomyome", "refuted"),
        ("L'angioscanner élimine une embolie pulmonaire.", "embolie", "refuted"),
        ("La ponction exclut une tuberculose pleurale.", "tuberculose", "refuted"),
        ("Le marquage CD99 écarte un lymphome.", "lymphome", "refuted"),
        # ... negated, it leaves the diagnosis possible
        ("La cytologie n'excluait pas un lymphome.", "lymphome", "provisional"),
        ("Le scanner n'élimine pas une embolie pulmonaire.", "embolie", "provisional"),
        # an adverb between "est" / "sont" and the participle of a passive exclusion
        ("Le cholangiocarcinome est donc exclu.", "cholangiocarcinome", "refuted"),
        ("Une tuberculose est formellement éliminée.", "tuberculose", "refuted"),
        ("Une sarcoïdose et une tuberculose sont ainsi écartées.", "sarcoïdose", "refuted"),
        # ... but a patient excluded from a trial is no diagnosis ruled out
        ("Le patient diabétique est donc exclu de l'essai.", "diabétique", "confirmed"),
    ],
)
def test_exclusions(text: str, words: str, verification: str) -> None:
    assert _verification(text, words) == [verification]


@pytest.mark.parametrize(
    ("text", "words", "code"),
    [
        # a site after the bracketed abbreviation of the tumour's name, not the site inside the name
        ("Diagnostic de tumeur stromale gastro-intestinale (GIST) gastrique.", "stromale", "C16.9"),
        ("Tumeur stromale gastro-intestinale (GIST) de l'iléon.", "stromale", "C17.2"),
        ("Carcinome hépatocellulaire (CHC) du foie droit.", "hépatocellulaire", "C22.0"),
        # a histology's own code beats the unspecified one of its organ (C22.9), not another organ's
        ("Carcinome hépatocellulaire du foie droit.", "hépatocellulaire", "C22.0"),
        ("Cholangiocarcinome du foie.", "Cholangiocarcinome", "C22.1"),
        ("Adénocarcinome du foie.", "Adénocarcinome", "C22.9"),
        ("Cholangiocarcinome de la vésicule biliaire.", "Cholangiocarcinome", "C23"),
        ("Une tumeur stromale gastro-intestinale de 6 cm.", "stromale", "C26.9"),  # no other site: the name's
    ],
)
def test_tumour_codes(text: str, words: str, code: str) -> None:
    got = [cs for k, cs in _codes(text).items() if words in k]
    assert got and all(code in cs for cs in got)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a recurrence in the organ its histology names by itself is the primary recurring
        ("Carcinome hépatocellulaire réséqué en 2020. En 2022, récidive hépatique multifocale.", "C22.0"),
        # ... elsewhere, a secondary cancer of that organ
        ("Carcinome hépatocellulaire réséqué en 2020. En 2022, récidive pulmonaire.", "C78.0"),
        # a histology of no one organ: a recurrence in the liver is a metastasis there
        ("Adénocarcinome réséqué en 2020. En 2022, récidive hépatique.", "C78.7"),
    ],
)
def test_recurrence_in_the_histology_organ(text: str, code: str) -> None:
    assert any(code in cs for k, cs in _codes(text).items() if "récidive" in k)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Segmentectomie VII le 9 décembre 2022.", "387713003"),
        ("Une segmentectomie hépatique a été réalisée.", "387713003"),
        ("Segmentectomie pulmonaire du lobe inférieur gauche.", "387713003"),
        ("Consolidation par irradiation pulmonaire totale.", "108290001"),
        ("Conditionnement par irradiation corporelle totale.", "108290001"),
    ],
)
def test_procedure_rows(text: str, code: str) -> None:
    assert any(c["code"] == code for r in entries(text, "Procedure") for c in r["code"]["coding"])


def test_pain_radiating_is_no_radiotherapy() -> None:
    # a pain's "irradiation" is where it spreads, not a treatment
    text = "Douleur thoracique avec irradiation dans le bras gauche."
    assert entries(text, "Procedure") == []
