"""Rules found wrong on the sixth batch of reports written for session 14 (tests/data/unseen/u41..u48: pleural
mesothelioma, nasopharyngeal carcinoma, neuroblastoma, retroperitoneal liposarcoma, brain metastases of a breast
cancer, thymoma, diabetic ketoacidosis, cutaneous squamous cell carcinoma): an exception written "en dehors de" after
a negated history, an adverb inside a passive "a ainsi été écarté", the coordinated subjects of a plural "ont été
évoquées", a suspicion ruled out by a participle after "puis" with a test in between, the skin's own CIM-10 code for a
carcinoma of the skin and of the parts of the face, and a few rows. Texts written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import condition_codes as _codes
from tests.bundle_facts import verifications as _verification


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # "en dehors de" names the exception to a negated history, as "hormis" does
        ("Femme de 61 ans, sans antécédent en dehors d'une hypothyroïdie substituée.", "hypothyroïdie", "confirmed"),
        ("Pas d'antécédent en dehors d'un asthme de l'enfance.", "asthme", "confirmed"),
        ("Sans antécédent en dehors d'un asthme, elle n'a pas de diabète.", "diabète", "refuted"),
        # an adverb between the auxiliary and "été" in a passive exclusion
        ("L'adénocarcinome pulmonaire a ainsi été écarté.", "adénocarcinome", "refuted"),
        ("Une tuberculose a finalement été éliminée.", "tuberculose", "refuted"),
        ("Une sarcoïdose et une tuberculose ont donc été écartées.", "sarcoïdose", "refuted"),
        # a plural verb reaches back over its coordinated subjects, each with its own words
        (
            "Une tuberculose pleurale et une localisation pleurale d'un adénocarcinome pulmonaire ont été évoquées.",
            "tuberculose",
            "provisional",
        ),
        # suspected, then ruled out by a participle after "puis", a test or a reason named in between
        (
            "Un néphroblastome avait été évoqué sur l'échographie initiale puis écarté par le scanner.",
            "néphro",
            "refuted",
        ),
        (
            "Une appendicite aiguë a été évoquée devant des douleurs de la fosse iliaque droite, puis écartée par "
            "l'échographie.",
            "appendicite",
            "refuted",
        ),
        # "puis" starting another clause of its own is no exclusion of the suspected disease
        (
            "Une appendicite a été évoquée devant des douleurs, puis une échographie a été faite.",
            "appendicite",
            "provisional",
        ),
    ],
)
def test_negation_exception_and_exclusions(text: str, words: str, verification: str) -> None:
    assert _verification(text, words) == [verification]


@pytest.mark.parametrize(
    ("text", "words", "code"),
    [
        # a carcinoma of the skin is coded by the skin (C44), a melanoma or a lymphoma of the skin keeps its own
        ("Biopsie : carcinome épidermoïde cutané infiltrant.", "carcinome épidermoïde", "C44.9"),
        ("Carcinome épidermoïde du cuir chevelu de 3 cm.", "épidermoïde", "C44.4"),
        ("Carcinome basocellulaire de la peau du dos.", "basocellulaire", "C44.5"),
        # the skin of the face by its part: the ala of the nose, the eyelid, the auricle
        ("Carcinome basocellulaire de l'aile du nez opéré en 2015.", "basocellulaire", "C44.3"),
        ("Carcinome basocellulaire de la paupière inférieure gauche.", "basocellulaire", "C44.1"),
        ("Carcinome épidermoïde du pavillon de l'oreille droite.", "épidermoïde", "C44.2"),
        ("Mélanome de la paupière.", "Mélanome", "C43.1"),
        ("Mélanome du cuir chevelu, Breslow 2 mm.", "Mélanome", "C43.4"),
        ("Mycosis fongoïde cutané.", "Mycosis", "C84.0"),
        ("Sarcome de Kaposi cutané.", "Kaposi", "C46.0"),
        ("Métastases cutanées d'un adénocarcinome pulmonaire.", "Métastases", "C79.2"),
    ],
)
def test_skin_codes(text: str, words: str, code: str) -> None:
    got = [cs for k, cs in _codes(text).items() if words in k]
    assert len(got) == 1 and code in got[0]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Une tuberculose pleurale a été confirmée par la biopsie.", "A16.5"),
        ("Pleurésie tuberculeuse droite.", "A16.5"),
        ("À J15, maladie veino-occlusive hépatique traitée par défibrotide.", "K76.5"),
        ("Les suites ont été marquées par une crise myasthénique.", "G70.0"),
        ("Otite séromuqueuse droite à l'otoscopie.", "H65.9"),
        # a thymoma or a thymic carcinoma is a cancer of the thymus, also where the report writes the mediastinum
        ("Masse médiastinale antérieure de 6 cm. La biopsie conclut à un thymome de type AB.", "C37"),
        ("Carcinome thymique du médiastin antérieur.", "C37"),
        # the nodes in and around the parotid gland are nodes of the head and neck
        ("Carcinome épidermoïde du cuir chevelu. Métastase ganglionnaire parotidienne droite.", "C77.0"),
        ("Adénopathie intraparotidienne droite de 2 cm.", "R59.0"),  # localised: its node group
        # a mesothelioma's subtype written with "malin" or "de type"
        ("Biopsie pleurale : mésothéliome malin de type épithélioïde.", "9052/3"),
        ("Mésothéliome de type sarcomatoïde.", "9051/3"),
    ],
)
def test_rows(text: str, code: str) -> None:
    assert any(code in cs for cs in _codes(text).values())


def test_two_skin_cancers_of_two_histologies() -> None:
    # a basal cell carcinoma of the past and a squamous cell carcinoma now are two cancers of the skin
    text = "Carcinome basocellulaire cutané opéré en 2015. En 2020, carcinome épidermoïde de la peau du dos."
    assert sorted(_codes(text).values()) == [["C44.5", "8070/3"], ["C44.9", "8090/3"]]
    # one carcinoma of the skin named again, with its subtype, stays one
    text = "Carcinome basocellulaire de la peau du dos. Exérèse du carcinome basocellulaire nodulaire de la peau."
    assert list(_codes(text).values()) == [["C44.5", "8097/3"]]
