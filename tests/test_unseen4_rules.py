"""Rules found wrong on the fourth batch of reports written for session 12 (tests/data/unseen/u25..u32: lymphoma,
thyroid cancer, soft-tissue sarcoma, nephroblastoma, glioblastoma, heart failure, lupus, diabetic foot): a diagnosis
looked for or discussed "et" ruled out, relatives coordinated before their disease, a relative who found the
patient's sign, "ATCD familiaux", a lab test's own result after a past disease, soft-tissue sarcomas of a region of
the body, "consultant" opening the presenting episode, a few CIM-10 rows. Texts written for these tests (no corpus
text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import conditions as _conditions
from tests.bundle_facts import dated as _dated
from tests.bundle_facts import entries as _entries


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # looked for or discussed, "et" ruled out: the last verb decides (as "évoquée puis écartée")
        ("Une embolie pulmonaire a été recherchée et éliminée par angioscanner.", "embolie", "refuted"),
        ("Un lymphome et un sarcome ont été discutés et écartés par l'immunohistochimie.", "sarcome", "refuted"),
        ("Une endocardite a été suspectée et exclue par l'échographie.", "endocardite", "refuted"),
        # only looked for, nothing ruled out after "et": still a hypothesis
        ("Une tuberculose a été recherchée et un traitement a été débuté.", "tuberculose", "provisional"),
        # what a finding was wrongly taken for at first is not there; the trauma named after it is
        ("Masse prise initialement pour un hématome après un traumatisme.", "hématome", "refuted"),
        ("Masse prise initialement pour un hématome après un traumatisme.", "traumatisme", "confirmed"),
        ("Une douleur longtemps prise pour une tendinite.", "tendinite", "refuted"),
        # no adverb of a mistake: a drug taken for a disease
        ("Le traitement pris pour une hypertension artérielle est bien toléré.", "hypertension", "confirmed"),
        # a lab test between the disease and its result takes the result: a past disease, cured, is the patient's
        ("Aux antécédents d'une hépatite B ancienne guérie (AgHBs négatif), il consulte.", "hépatite", "confirmed"),
        # with no test named in between, the result still negates the disease before it
        ("Une tuberculose pulmonaire négative.", "tuberculose", "refuted"),
    ],
)
def test_assertion_cues(text: str, words: str, verification: str) -> None:
    got = [v for k, (_, v) in _conditions(text).items() if words in k]
    assert got == [verification]


def _family(text: str) -> set[tuple[str, str]]:
    return {
        (r["relationship"]["coding"][0]["code"], c["code"])
        for r in _entries(text, "FamilyMemberHistory")
        for x in r["condition"]
        for c in x["code"].get("coding", [])
        if "cim-10" in c["system"]
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # relatives coordinated before (or after) the disease all have it
        ("Son père et son frère sont diabétiques de type 2.", {("FTH", "E11.9"), ("BRO", "E11.9")}),
        (
            "Antécédents familiaux : cancer du sein chez sa mère et sa tante maternelle.",
            {("MTH", "C50.9"), ("MAUNT", "C50.9")},
        ),
        ("Sa mère, son père et sa sœur sont hypertendus.", {("MTH", "I10"), ("FTH", "I10"), ("SIS", "I10")}),
        # a relative with a disease of its own in between is not coordinated with the next one
        ("Sa mère, décédée d'un cancer du sein, et son père, diabétique.", {("MTH", "C50.9"), ("FTH", "E14.9")}),
        # "ATCD familiaux" is a family cue as "antécédents familiaux" is; the relative named right after
        ("ATCD familiaux : mort subite du frère à 52 ans.", {("BRO", "R96.0")}),
    ],
)
def test_family(text: str, expected: set[tuple[str, str]]) -> None:
    assert _family(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # the relative found the sign on the patient: the sign is the patient's
        ("Fillette amenée par sa mère qui avait palpé une masse abdominale en la baignant.", "masse abdominale"),
        ("Son père a constaté une éruption cutanée sur le tronc.", "éruption cutanée"),
    ],
)
def test_relative_who_finds_the_patients_sign(text: str, words: str) -> None:
    assert _family(text) == set()
    assert [v for k, (_, v) in _conditions(text).items() if words in k] == ["confirmed"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a soft-tissue sarcoma of a region of the body or a limb is of its soft tissues (C49.x), not the ill-defined
        # site (C76.x); "profond" / "superficiel" between the tumour and its site
        ("Léiomyosarcome profond de la cuisse gauche, grade 3.", "C49.2"),
        ("Synovialosarcome du bras.", "C49.1"),
        ("Un sarcome superficiel du thorax.", "C49.3"),
        # a carcinoma of a limb keeps the site's code
        ("Carcinome épidermoïde de la jambe.", "C76.5"),
        # rows: sudden death, plantar perforating ulcer, recurrent laryngeal nerve palsy, post-operative
        # hypoparathyroidism
        ("Mal perforant plantaire droit.", "L97"),
        ("Paralysie récurrentielle gauche transitoire.", "J38.0"),
        ("Hypoparathyroïdie post-opératoire sous calcium.", "E89.2"),
    ],
)
def test_cim10(text: str, code: str) -> None:
    codes = [c for cs, _ in _conditions(text).values() for c in cs if not c[0].isdigit()]
    assert codes[:1] == [code]


def test_consultant_opens_the_presenting_episode() -> None:
    # "consultant le ..." tells the patient came to care: the work-up's findings are of that episode
    text = (
        "Anamnèse\nFemme de 60 ans consultant le 3 mars 2019 pour une toux.\n\nExamens complémentaires\n"
        "La radiographie montrait une pneumopathie."
    )
    assert _dated(text)["pneumopathie"] == "2019-03"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a diabetic complication of unstated type (E14.x) takes the type of the patient's diabetes
        (
            "Diabétique de type 2 depuis 2003. Néphropathie diabétique stade 3b.",
            {"Diabétique de type 2": "E11.9", "Néphropathie diabétique": "E11.2"},
        ),
        (
            "Diabète de type 1. Néphropathie diabétique.",
            {"Diabète de type 1": "E10.9", "Néphropathie diabétique": "E10.2"},
        ),
        # no type stated, or the typed diabetes negated: the complication stays untyped
        ("Néphropathie diabétique.", {"Néphropathie diabétique": "E14.2"}),
        (
            "Pas de diabète de type 2 connu. Néphropathie diabétique.",
            {"diabète de type 2": "E11.9", "Néphropathie diabétique": "E14.2"},
        ),
    ],
)
def test_diabetic_complication_takes_the_patients_type(text: str, expected: dict[str, str]) -> None:
    got = {k: next(c for c in cs if c[0] == "E") for k, (cs, _) in _conditions(text).items()}
    assert got == expected


@pytest.mark.parametrize(
    ("text", "site"),
    [
        # the neck levels ("secteurs" I to VI) of an ENT or thyroid report are cervical lymph nodes
        ("Échographie : adénopathie du secteur III droit.", "C77.0"),
        ("Adénopathie suspecte du secteur VI.", "C77.0"),
    ],
)
def test_neck_level_is_cervical(text: str, site: str) -> None:
    got = [c["code"] for r in _entries(text, "Condition") for b in r.get("bodySite", []) for c in b["coding"]]
    assert got == [site]
