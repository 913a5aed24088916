"""Rules for the recorded gaps of our own reports, second round of session 15 (tests/data/unseen/expected.yaml
`gaps:`): what symptoms were first or wrongly put down to. Texts written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import conditions as _conditions


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # an adverb of a mistake before or after the verb of attribution: the disease named is not there
        ("Une douleur de la jambe d'abord attribuée à une lésion musculaire, devenue nocturne.", "lésion", "refuted"),
        ("Une toux longtemps attribuée à un asthme.", "asthme", "refuted"),
        ("Des céphalées initialement imputées à une sinusite chronique.", "sinusite", "refuted"),
        ("Des douleurs abdominales mises à tort sur le compte d'une gastrite.", "gastrite", "refuted"),
        ("Une fatigue rattachée à tort à une hypothyroïdie.", "hypothyroïdie", "refuted"),
        # two causes in turn, the second after "puis"
        (
            "Des diarrhées jusque-là rattachées à la ménopause puis à un syndrome de l'intestin irritable.",
            "intestin irritable",
            "refuted",
        ),
        # a possessive names a disease the patient has, only not the cause
        ("Le retard de cicatrisation fut d'abord rattaché à son diabète.", "diabète", "confirmed"),
        ("Une asthénie d'abord attribuée à sa polyarthrite rhumatoïde.", "polyarthrite", "confirmed"),
        # a definite article, the same: the patient's trauma, the drug the patient takes
        (
            "Une douleur lombaire initialement attribuée au traumatisme, puis une colique néphrétique.",
            "traumatisme",
            "confirmed",
        ),
        ("Une asthénie d'abord attribuée à l'hypothyroïdie connue.", "hypothyroïdie", "confirmed"),
        # no adverb of a mistake: the cause stated stands
        ("La fatigue a été attribuée à une anémie ferriprive.", "anémie", "confirmed"),
        ("Une dyspnée rattachée à une insuffisance cardiaque.", "insuffisance cardiaque", "confirmed"),
        # the scope ends at the comma: a disease told after it is not the cause wrongly given
        (
            "Une douleur d'abord attribuée à une tendinite, puis une fracture de fatigue a été diagnostiquée.",
            "fracture",
            "confirmed",
        ),
    ],
)
def test_wrong_attribution(text: str, words: str, verification: str) -> None:
    got = [v for k, (_, v) in _conditions(text).items() if words in k]
    assert got == [verification]


def _codes(text: str, words: str) -> list[list[str]]:
    return [codes for k, (codes, _) in _conditions(text).items() if words in k]


@pytest.mark.parametrize(
    ("text", "words", "code"),
    [
        # the tumour told again with its own sub-site right after its site words takes it, even where the skin has
        # another carcinoma of the past with another sub-site
        (
            "Antécédent de carcinome basocellulaire de l'aile du nez opéré en 2015. Biopsie : carcinome épidermoïde "
            "cutané infiltrant. Diagnostic : carcinome épidermoïde cutané du cuir chevelu.",
            "épidermoïde",
            "C44.4",
        ),
        (
            "Ancien carcinome basocellulaire de la paupière. Un carcinome épidermoïde cutané est diagnostiqué. Il "
            "s'agit d'un carcinome épidermoïde cutané du pavillon de l'oreille.",
            "épidermoïde",
            "C44.2",
        ),
        (
            "Antécédent de carcinome basocellulaire de l'aile du nez opéré en 2015. Biopsie : carcinome épidermoïde "
            "cutané infiltrant. Diagnostic : carcinome épidermoïde cutané du cuir chevelu.",
            "basocellulaire",
            "C44.3",
        ),
        # a sub-site named elsewhere, not with the tumour's words, is not surely that carcinoma's
        (
            "Antécédent de carcinome basocellulaire de l'aile du nez. Lésion du cuir chevelu. Carcinome épidermoïde "
            "cutané infiltrant.",
            "épidermoïde",
            "C44.9",
        ),
    ],
)
def test_a_tumour_told_again_with_its_subsite(text: str, words: str, code: str) -> None:
    got = _codes(text, words)
    assert len(got) == 1 and got[0][0] == code


@pytest.mark.parametrize(
    ("text", "words", "code"),
    [
        # a benign tumour put down to a finding takes the finding's site adjective
        ("Un nodule surrénalien gauche de 15 mm a été rattaché à un adénome bénin.", "adénome", "D35.0"),
        ("Le scanner montre un nodule surrénalien droit, rattaché à un adénome.", "adénome", "D35.0"),
        ("Nodule surrénalien droit en rapport avec un adénome.", "adénome", "D35.0"),
        ("Une lésion hépatique de 2 cm correspondant à un hémangiome.", "hémangiome", "D18.0"),
        # the finding in another sentence lends nothing
        ("Un nodule surrénalien est découvert. Il s'agit d'un adénome.", "adénome", "D36.9"),
        # a metastasis keeps its own reading (a cancer in an organ's lesion may be another's spread)
        ("Un nodule pulmonaire rattaché à une métastase.", "métastase", "C79.9"),
    ],
)
def test_a_benign_tumour_takes_the_site_of_the_finding_it_is_put_down_to(text: str, words: str, code: str) -> None:
    got = _codes(text, words)
    assert len(got) == 1 and got[0][0] == code


@pytest.mark.parametrize(
    ("held", "told", "finer"),
    [
        ("C44.9", "C44.4", True),  # skin sans précision, then the scalp
        ("C22.9", "C22.0", True),  # liver sans précision, then the hepatocellular carcinoma's own code
        ("C44.9", "C44.8", False),  # an overlapping site refines nothing
        ("C44.4", "C44.3", False),  # a sub-site already held
        ("C77.9", "C77.2", False),  # a nodal metastasis: its code names the bodySite read with it
        ("C78.7", "C78.0", False),
    ],
)
def test_which_code_is_a_finer_subsite(held: str, told: str, finer: bool) -> None:
    from fhirconv.build.conditions.merging import _finer_subsite

    assert _finer_subsite(held, told) is finer
