"""Rules found wrong on the seventh batch of reports written for session 15 (tests/data/unseen/u49..u56: paediatric
pneumococcal meningitis, giant-cell arteritis with polymyalgia, Guillain-Barré syndrome, cervical cancer, clear-cell
renal cell carcinoma, acute myeloid leukaemia, sarcoidosis, oesophageal adenocarcinoma): a suspicion in an apposition
ruled out by the verb after it, a suspected disease ruled out later in the report, gout after "pour une", and table
rows (polymyalgia, sites of sarcoidosis, hearing loss, the thirds of the oesophagus, AML with mutated NPM1, tretinoin,
intravenous immunoglobulins, chemoradiotherapy). Texts written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

import fhirconv
from tests.bundle_facts import condition_codes as _codes
from tests.bundle_facts import condition_codings, entries
from tests.bundle_facts import verifications as _verification

_TWO_APPOSITIONS = (
    "Un lymphome, évoqué devant les adénopathies, a été confirmé, et une tuberculose, évoquée, a été écartée."
)


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # suspected in an apposition between commas, then ruled out by the verb after it
        ("Une méningite à méningocoque, évoquée à l'admission, a été écartée.", "méningite", "refuted"),
        ("Une embolie pulmonaire, suspectée devant la dyspnée, a finalement été éliminée.", "embolie", "refuted"),
        ("Un myélome et une endocardite, discutés devant la fièvre, ont été écartés.", "myélome", "refuted"),
        ("Un myélome et une endocardite, discutés devant la fièvre, ont été écartés.", "endocardite", "refuted"),
        (
            "Une tuberculose, initialement suspectée sur le scanner, a été exclue par les cultures.",
            "tuberculose",
            "refuted",
        ),
        # the apposition without a suspicion, or a diagnosis confirmed after it, is no exclusion
        ("Une appendicite, évoquée devant les douleurs, a été confirmée par le scanner.", "appendicite", "confirmed"),
        ("Une pneumopathie, traitée par amoxicilline, a été écartée de l'essai.", "pneumopathie", "confirmed"),
        # the suspicion alone stays a hypothesis
        ("Une sarcoïdose a été évoquée.", "sarcoïdose", "provisional"),
        # an apposition ruled out two clauses after a confirmed one: the exclusion is the later disease's only
        (_TWO_APPOSITIONS, "lymphome", "confirmed"),
        (_TWO_APPOSITIONS, "tuberculose", "refuted"),
    ],
)
def test_apposition_ruled_out(text: str, words: str, verification: str) -> None:
    assert _verification(text, words) == [verification]


@pytest.mark.parametrize(
    "text",
    [
        # suspected, then ruled out in a later sentence by shorter words
        "Une leucémie aiguë promyélocytaire a été suspectée. Le transcrit PML-RARA était absent, ce qui a écarté la "
        "leucémie promyélocytaire.",
        "Une embolie pulmonaire a été suspectée aux urgences. L'angioscanner a éliminé une embolie pulmonaire.",
        "Une tuberculose était suspectée devant la toux. Les cultures ont exclu une tuberculose.",
        # "ont permis d'écarter", the plural of "a permis d'écarter"
        "Hypothèse diagnostique : tuberculose. Les cultures ont permis d'écarter la tuberculose.",
    ],
)
def test_suspected_then_ruled_out_is_one_refuted_condition(text: str) -> None:
    got = [r["verificationStatus"]["coding"][0]["code"] for r in entries(text, "Condition")]
    assert got == ["refuted"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a confirmed disease keeps its own Condition beside the absent one ("pas de récidive")
        (
            "Une embolie pulmonaire a été confirmée. Six mois plus tard, pas d'embolie pulmonaire.",
            ["confirmed", "refuted"],
        ),
        # ruled out first, suspected again later: the later hypothesis is its own
        ("Pas de thrombophlébite en 2019. Une thrombophlébite a été suspectée en 2021.", ["refuted", "provisional"]),
        # suspected, then absent at a later control: not the hypothesis ruled out
        (
            "Une pancréatite auto-immune a été suspectée. À 24 mois, pas de récidive de pancréatite auto-immune.",
            ["provisional", "refuted"],
        ),
    ],
)
def test_refuted_stays_apart_from_a_confirmed_or_later_suspicion(text: str, expected: list[str]) -> None:
    got = [r["verificationStatus"]["coding"][0]["code"] for r in entries(text, "Condition")]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Il était traité pour une goutte par allopurinol.", "M10.9"),
        ("Suivi pour une goutte depuis 2015.", "M10.9"),
        ("Crise de goutte du gros orteil.", "M10.9"),
    ],
)
def test_gout_after_pour_une(text: str, code: str) -> None:
    assert any(code in cs for cs in _codes(text).values())


@pytest.mark.parametrize(
    "text",
    [
        "Instiller une goutte de collyre dans chaque œil.",
        "Une goutte de sang au bout du doigt.",
        "Trois gouttes le soir.",
    ],
)
def test_a_drop_is_no_gout(text: str) -> None:
    assert not any("M10.9" in cs for cs in _codes(text).values())


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Douleurs des ceintures faisant porter le diagnostic de pseudopolyarthrite rhizomélique.", "M35.3"),
        ("Pseudo-polyarthrite rhizomélique corticosensible.", "M35.3"),
        ("Ostéoporose fracturaire traitée par acide zolédronique.", "M80.9"),
        ("Ostéoporose compliquée de tassements vertébraux.", "M80.9"),
        ("Ostéoporose densitométrique sans fracture.", "M81.9"),
        ("Polyneuropathie toxique des membres inférieurs.", "G62.2"),
        ("Polyneuropathie sous oxaliplatine.", "G62.0"),
        # "toxique" of a named neurotoxic drug: drug-induced, not another toxic agent
        ("Neuropathie périphérique toxique après oxaliplatine.", "G62.0"),
        ("Polyneuropathie toxique à la vincristine.", "G62.0"),
        ("Rhinite allergique saisonnière.", "J30.2"),
        ("Rhinite allergique aux pollens de graminées.", "J30.1"),
        ("Rhinite allergique perannuelle aux acariens.", "J30.4"),
        ("Sarcoïdose pulmonaire stade IV.", "D86.0"),
        ("Sarcoïdose médiastinale.", "D86.1"),
        ("Sarcoïdose ganglionnaire et pulmonaire.", "D86.2"),
        ("Sarcoïdose médiastino-pulmonaire.", "D86.2"),
        ("Sarcoïdose cutanée du visage.", "D86.3"),
        ("Sarcoïdose confirmée par la biopsie.", "D86.9"),
        ("Surdité de perception gauche modérée.", "H90.4"),
        ("Surdité de perception bilatérale.", "H90.3"),
        ("Surdité de perception.", "H90.5"),
        ("Surdité de transmission droite.", "H90.1"),
        ("Hypothyroïdie sous immunothérapie par pembrolizumab.", "E03.2"),
        ("Hypothyroïdie immuno-induite substituée.", "E03.2"),
        ("Hypothyroïdie sous lévothyroxine.", "E03.9"),
    ],
)
def test_rows(text: str, code: str) -> None:
    assert any(code in cs for cs in _codes(text).values())


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Adénocarcinome du bas œsophage.", ["C15.5", "8140/3"]),
        ("Carcinome épidermoïde du tiers moyen de l'œsophage.", ["C15.4", "8070/3"]),
        ("Carcinome épidermoïde de l'œsophage cervical.", ["C15.0", "8070/3"]),
        ("Adénocarcinome de l'œsophage.", ["C15.9", "8140/3"]),
        ("Leucémie aiguë myéloïde avec mutation de NPM1.", ["C92.0", "9877/3"]),
        ("LAM NPM1 mutée en rechute.", ["C92.0", "9877/3"]),
        ("Leucémie aiguë myéloïde avec maturation.", ["C92.0", "9861/3"]),
        ("Leucémie promyélocytaire traitée par ATRA.", ["C92.4", "9866/3"]),
    ],
)
def test_tumour_rows(text: str, codes: list[str]) -> None:
    assert any(cs == codes for cs in _codes(text).values())


def test_npm1_aml_in_icdo_3_1_is_aml_nos() -> None:
    got = condition_codings("Leucémie aiguë myéloïde avec mutation de NPM1.", "icd-o", icdo_edition="3.1")
    assert got == ["9861/3"]


@pytest.mark.parametrize(
    ("text", "atc"),
    [
        ("Induction par acide tout-trans rétinoïque et idarubicine.", "L01XF01"),
        ("Traitement par ATRA et trioxyde d'arsenic.", "L01XF01"),
        ("Trétinoïne 45 mg/m2/j.", "L01XF01"),
        ("Immunoglobulines intraveineuses 0,4 g/kg/j pendant cinq jours.", "J06BA02"),
        ("Perfusion d'IgIV à 2 g/kg.", "J06BA02"),
    ],
)
def test_medication_rows(text: str, atc: str) -> None:
    meds = {c["code"] for r in entries(text, "MedicationStatement") for c in r["medicationCodeableConcept"]["coding"]}
    assert atc in meds


@pytest.mark.parametrize(
    "text",
    [
        "Radiochimiothérapie concomitante avec cisplatine hebdomadaire.",
        "Chimioradiothérapie exclusive de 50 Gy.",
        "Irradiation externe de 45 Gy en 25 fractions.",
        "Ré-irradiation de la tumeur primitive en 2019.",
    ],
)
def test_chemoradiotherapy_is_radiotherapy(text: str) -> None:
    codes = {c["code"] for r in entries(text, "Procedure") for c in r["code"].get("coding", [])}
    assert "108290001" in codes


@pytest.mark.parametrize(
    "text",
    ["Lombalgie avec irradiation au membre inférieur gauche.", "Douleur thoracique sans irradiation."],
)
def test_a_pain_that_radiates_is_no_radiotherapy(text: str) -> None:
    assert entries(text, "Procedure") == []


def test_immunoglobulin_assay_is_no_drug() -> None:
    # the serum immunoglobulins measured are no treatment
    data = fhirconv.convert("Dosage pondéral des immunoglobulines : IgG 6 g/L.").data
    assert not [e for e in data["entry"] if e["resource"]["resourceType"] == "MedicationStatement"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a site of several words starting in a finding's modifiers and ending past them is the finding's site
        ("La fibroscopie a montré des corps étrangers du tiers supérieur de l'œsophage.", "T18.1"),
        ("Abcès du lobe inférieur droit.", "J85.2"),
        # a one-word site inside the modifiers, as before
        ("Abcès du foie de 4 cm.", "K75.0"),
    ],
)
def test_finding_at_a_site_of_several_words(text: str, code: str) -> None:
    assert any(code in cs for cs in _codes(text).values())
