"""Condition rules found wrong against the FHIR-level gold in session 15 (kinds of errors, not documents): a plural
normal result closing a list of serologies whose last items are lab tests, nodal involvement and coordinated organs
of a cancer's spread, a recurrence ruled out, an acute appendicitis with a local peritoneal reaction. Texts written
for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import condition_codes as _codes
from tests.bundle_facts import conditions as _conditions
from tests.bundle_facts import verifications as _verifications


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # a plural normal result closes the whole list: a lab test as a later item does not take it for itself
        (
            "Les sérologies de la rougeole, de l'hépatite B, de l'hépatite C et du Quantiferon sont normales.",
            "hépatite B",
            "refuted",
        ),
        (
            "Les sérologies de la varicelle, de l'hépatite C et de la ferritine sont normales.",
            "hépatite C",
            "refuted",
        ),
        # the test of the disease itself, right after it, takes the result: the past disease stands
        ("Aux antécédents d'une hépatite B ancienne guérie (AgHBs négatif), il consulte.", "hépatite", "confirmed"),
        ("Il a une hépatite C traitée dont la PCR et les transaminases sont normales.", "hépatite", "confirmed"),
    ],
)
def test_plural_result_closes_a_list(text: str, words: str, verification: str) -> None:
    assert _verifications(text, words) == [verification]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Adénocarcinome de la prostate. Une récidive avec atteinte ganglionnaire a été observée.", "C77.9"),
        ("Cancer du col utérin avec atteinte ganglionnaire pelvienne.", "C77.5"),
        ("Carcinome séreux de l'ovaire. L'atteinte des ganglions iliaques est confirmée.", "C77.5"),
    ],
)
def test_nodal_involvement_of_a_cancer_is_a_nodal_metastasis(text: str, code: str) -> None:
    # "atteinte ganglionnaire" in a report of a confirmed cancer is that cancer's spread to the nodes (as
    # "envahissement ganglionnaire"): a secondary malignant neoplasm of lymph nodes, not an uncoded finding
    assert code in [c for codes in _codes(text).values() for c in codes]


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # no cancer: the nodes of a tuberculosis are no metastasis
        ("Tuberculose pulmonaire avec atteinte ganglionnaire médiastinale.", "atteinte", "confirmed"),
        # a cancer without nodal involvement
        ("Carcinome canalaire du sein droit, sans atteinte ganglionnaire.", "atteinte", "refuted"),
    ],
)
def test_nodal_involvement_counter_examples(text: str, words: str, verification: str) -> None:
    assert _verifications(text, words) == [verification]
    assert not any(c.startswith("C77") for codes in _codes(text).values() for c in codes)


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        # each organ coordinated after an infiltration of a confirmed cancer is one more metastasis of its own
        ("Adénocarcinome de l'estomac avec infiltration du foie et du pancréas.", {"C78.7", "C78.8"}, set()),
        (
            "Carcinome séreux de l'ovaire avec envahissement du péritoine, de l'épiploon et du côlon sigmoïde.",
            {"C78.6", "C78.5"},
            set(),
        ),
        ("Adénocarcinome du rectum avec métastases au foie et aux poumons.", {"C78.7", "C78.0"}, set()),
        # the primary's own organ in the list is its local extent, no metastasis of it
        ("Adénocarcinome de l'estomac avec infiltration du foie et de l'estomac.", {"C78.7"}, {"C78.8"}),
        # "ou" under no negation: one or the other, neither asserted
        ("Adénocarcinome du rectum avec envahissement de la vessie ou de la prostate.", {"C79.1"}, {"C79.8"}),
    ],
)
def test_coordinated_sites_of_a_spread(text: str, expected: set[str], absent: set[str]) -> None:
    got = {c for codes in _codes(text).values() for c in codes}
    assert expected <= got
    assert not absent & got


def _refuted_codes(text: str) -> list[list[str]]:
    return [codes for codes, v in _conditions(text).values() if v == "refuted"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a recurrence ruled out is the patient's cancer recurring, refuted: with that cancer's codes
        ("Adénocarcinome du côlon opéré en 2010, sans aucun signe de récidive depuis.", "C18.9"),
        ("Mélanome de la joue opéré en 2014. Pas de rechute locale à la dernière consultation.", "8720/3"),
        ("Carcinome canalaire infiltrant du sein gauche. Aucune récidive n'a été observée.", "C50.9"),
    ],
)
def test_recurrence_ruled_out_is_the_cancer_refuted(text: str, code: str) -> None:
    refuted = _refuted_codes(text)
    assert any(code in codes for codes in refuted)
    # the cancer itself stays confirmed
    assert any(code in codes and v == "confirmed" for codes, v in _conditions(text).values())


@pytest.mark.parametrize(
    "text",
    [
        # no cancer named: the recurrence of nothing the report names
        "Ulcère gastrique traité, sans récidive.",
        "Il a présenté une récidive des douleurs.",
        # a recurrence word alone, not ruled out: the cancer's course, no Condition of its own
        "Adénocarcinome du côlon opéré en 2010. En 2013, une récidive a été diagnostiquée.",
    ],
)
def test_recurrence_word_alone_counter_examples(text: str) -> None:
    assert not any("récidive" in words.lower() for words in _conditions(text))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a local peritoneal reaction with an acute appendicitis is a localised peritonitis (CIM-10 K35.3)
        ("L'histologie montre une appendicite aiguë phlegmoneuse avec réaction péritonéale locale.", "K35.3"),
        ("Appendicite aiguë avec péritonite locale.", "K35.3"),
        # none: the acute appendicitis not further specified
        ("Appendicite aiguë suppurée sans réaction péritonéale.", "K35.8"),
    ],
)
def test_appendicitis_with_local_peritonitis(text: str, code: str) -> None:
    assert any(codes and codes[0] == code for codes in _codes(text).values())


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # the node group written within the words of a nodal spread gives its region
        ("Carcinome séreux de l'ovaire. L'atteinte des ganglions lymphatiques para-aortiques est confirmée.", "C77.2"),
        ("Adénocarcinome du côlon avec envahissement des ganglions lymphatiques iliaques.", "C77.5"),
        # no group written: lymph nodes of no region
        ("Adénocarcinome du côlon avec atteinte ganglionnaire.", "C77.9"),
    ],
)
def test_node_group_of_a_nodal_spread(text: str, code: str) -> None:
    got = [c for codes in _codes(text).values() for c in codes if c.startswith("C77")]
    assert got == [code]
