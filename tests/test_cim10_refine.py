"""The most specific CIM-10 code the wording supports (mappings/cim10_refine.yaml) and the curated codes that follow
CIM-10's 4-character convention. Each case is a sentence written for the test."""

from __future__ import annotations

from typing import Any

import pytest

import fhirconv


def _conditions(text: str) -> list[tuple[str, str | None]]:
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r: dict[str, Any] = e["resource"]
        if r["resourceType"] == "Condition":
            cim10 = next((c["code"] for c in r["code"].get("coding", []) if "cim-10" in c["system"]), None)
            out.append((r["code"]["text"], cim10))
    return out


@pytest.mark.parametrize(
    "text, expected",
    [
        # site of a phlebitis: the evidence runs on to the words that justify the code
        (
            "Elle a fait une thrombophlébite du membre inférieur droit.",
            ("thrombophlébite du membre inférieur", "I80.3"),
        ),
        ("Phlébite superficielle de la jambe gauche.", ("Phlébite superficielle de la jambe", "I80.0")),
        ("Thrombose veineuse de la veine fémorale commune.", ("Thrombose veineuse de la veine fémorale", "I80.1")),
        # stage of a chronic kidney disease
        ("Insuffisance rénale chronique stade IV connue.", ("Insuffisance rénale chronique stade IV", "N18.4")),
        ("Maladie rénale chronique stade 3b.", ("Maladie rénale chronique stade 3b", "N18.3")),
        # cause of an obstruction, organism of a sepsis ("E. coli": its full stop does not end the words)
        ("Occlusion intestinale sur brides opérée.", ("Occlusion intestinale sur brides", "K56.5")),
        ("Septicémie à E. coli d'origine urinaire.", ("Septicémie à E. coli", "A41.5")),
        ("Sepsis à staphylocoque doré sur cathéter.", ("Sepsis à staphylocoque doré", "A41.0")),
        ("Pneumopathie à pneumocoque traitée par amoxicilline.", ("Pneumopathie à pneumocoque", "J13")),
        # acute sinusitis is J01, not the chronic J32 of the bare words
        ("Sinusite maxillaire aiguë.", ("Sinusite maxillaire aiguë", "J01.0")),
        # the virus letter of a hepatitis (case-sensitive: "c'est" is no hepatitis C), the stage of a pressure ulcer
        ("Hépatite C découverte en 2010.", ("Hépatite C", "B17.1")),
        ("Escarre sacrée stade 3.", ("Escarre sacrée stade 3", "L89.2")),
        ("Méningite à méningocoque.", ("Méningite à méningocoque", "A39.0")),
        # a complication named with the diabetes
        ("Diabète de type 2 compliqué de néphropathie.", ("Diabète de type 2 compliqué de néphropathie", "E11.2")),
    ],
)
def test_words_after_a_disease_refine_its_code(text: str, expected: tuple[str, str]) -> None:
    assert expected in _conditions(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Thrombophlébite en 2015.", ("Thrombophlébite", "I80.9")),  # no site written: the code stays
        ("Insuffisance rénale chronique, stade 5 de la classification.", ("Insuffisance rénale chronique", "N18.9")),
        ("Sinusite maxillaire. Hépatite aiguë.", ("Sinusite maxillaire", "J32.0")),  # another clause's "aiguë"
        ("Hépatite et c'est tout.", ("Hépatite", "K75.9")),
    ],
)
def test_refinement_stays_in_the_disease_clause(text: str, expected: tuple[str, str]) -> None:
    assert expected in _conditions(text)


def test_subdivided_categories_take_their_fourth_character() -> None:
    # CIM-10 FR codes a subdivided category with 4 characters: type 2 diabetes without complication is E11.9
    got = dict(_conditions("Antécédents : diabète de type 2, dyslipidémie, diabète de type 1 chez le frère."))
    assert got["diabète de type 2"] == "E11.9"
    assert got["dyslipidémie"] == "E78.5"


def test_pathogen_of_a_serology_is_not_a_disease() -> None:
    text = (
        "Les sérologies VHB, VHC et VIH étaient négatives. Par ailleurs, le patient est suivi pour un herpès génital."
    )
    result = fhirconv.convert(text)
    got = [t for t, _ in _conditions(text)]
    assert "VIH" not in got and any(t.startswith("herpès") for t in got)
    assert any(m.text == "VIH" and "serology" in why for m, why in result.dropped)
    # the test's object ends at a verb: a later disease of the same sentence is the patient's
    later = _conditions("La sérologie de dépistage était négative et le patient est suivi pour une infection à VIH.")
    assert ("infection à VIH", "B24") in later


def test_refinement_to_another_category_drops_the_row_snomed_concept() -> None:
    # "occasionnel" makes alcohol use (Z72.1), no longer the dependence the row's SNOMED CT concept names
    data = fhirconv.convert(
        "Alcoolisme occasionnel, pas de tabac. Lymphome de Burkitt avec adénopathies cervicales."
    ).data
    conds = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition"]
    alcohol = next(c for c in conds if c["code"]["text"].startswith("Alcoolisme"))
    assert [c["code"] for c in alcohol["code"]["coding"]] == ["Z72.1"]
    # a lymphoma's nodes are the lymphoma itself, not nodal metastases (C77): they stay localised adenopathies
    nodes = next(c for c in conds if c["code"]["text"].startswith("adénopathies"))
    assert {c["code"] for c in nodes["code"]["coding"]} >= {"R59.0"}


def test_generated_term_of_a_subdivided_category_takes_its_unspecified_child() -> None:
    # cim10.csv words on a category (I26 "embolie pulmonaire" is curated; J32 "sinusite chronique" and K40 "hernie
    # inguinale" are generated): CIM-10 FR codes them with 4 characters, the ".9" child
    got = dict(_conditions("Sinusite chronique et hernie inguinale droite."))
    assert got["Sinusite chronique"] == "J32.9"
    assert got["hernie inguinale"] == "K40.9"
    # a category without a ".9" child keeps its code: its "autres et non précisées" child may be another concept
    assert dict(_conditions("Placenta praevia à 32 semaines."))["Placenta praevia"] == "O44"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Le scanner montre un abcès au niveau du foie.", ("abcès au niveau du foie", "K75.0")),
        ("Perforation sigmoïdienne sur diverticule.", ("Perforation sigmoïdienne", "K63.1")),
        ("Perforation appendiculaire.", ("Perforation appendiculaire", None)),  # the appendix is not the colon here
        ("Abcès de la cuisse droite.", ("Abcès de la cuisse droite", "L02.4")),  # a limb (C76.5)
        ("Ulcères des deux jambes.", ("Ulcères des deux jambes", "L97")),  # a count before the site noun
        ("Abcès thyroïdien.", ("Abcès thyroïdien", None)),  # no row for that site: text-only
        # the site written past the modifiers ("dans", "au pôle ... du"): the evidence runs on to it
        ("Une lithiase dans la vessie de 3 cm.", ("lithiase dans la vessie", "N21.0")),
        ("Lithiase au pôle inférieur du rein droit.", ("Lithiase au pôle inférieur du rein", "N20.0")),
        ("Perforation iatrogène du côlon transverse.", ("Perforation iatrogène du côlon transverse", "K63.1")),
        ("Sténose dans la partie basse de l'œsophage.", ("Sténose dans la partie basse de l'œsophage", "K22.2")),
        # ... not past a size, nor when the site has no row for the head (the words stay as written)
        ("Lithiase de 8 mm dans le rein.", ("Lithiase", None)),
        ("Varices dans le hile splénique.", ("Varices", None)),
    ],
)
def test_finding_at_a_site_takes_its_cim10_code(text: str, expected: tuple[str, str | None]) -> None:
    assert expected in _conditions(text)


def test_unspecified_code_joins_the_specific_one_of_its_category() -> None:
    # one disease, one Condition: the ".9" mention is more evidence of the specific one (its verification the
    # strongest); a refuted one stays a negative finding of its own
    text = "Suspicion de grossesse extra-utérine droite. L'anatomopathologie révèle une grossesse tubaire."
    data = fhirconv.convert(text).data
    conds = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert len(conds) == 1
    assert [c["code"] for c in conds[0]["code"]["coding"]] == ["O00.1"]
    assert conds[0]["verificationStatus"]["coding"][0]["code"] == "confirmed"
    assert len([x for x in conds[0]["extension"] if "valueString" not in str(x)]) == 2  # both mentions cited
    got = _conditions("Pas de thrombophlébite. Thrombophlébite du membre inférieur gauche en 2010.")
    assert ("thrombophlébite", "I80.9") in got and ("Thrombophlébite du membre inférieur", "I80.3") in got


def test_episode_joins_the_disorder_whose_category_excludes_it() -> None:
    # CIM-10 F31 excludes the isolated manic episode F30 and holds the bipolar depressions: beside a bipolar disorder
    # the episodes are its course, one Condition F31 dated by the disorder (cim10_refine.yaml joins)
    text = (
        "Homme de 45 ans suivi pour un trouble bipolaire depuis 2009. Il a présenté un épisode maniaque en 2014 "
        "puis un épisode dépressif en 2020."
    )
    data = fhirconv.convert(text).data
    conds = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert [[c["code"] for c in r["code"]["coding"] if "cim-10" in c["system"]] for r in conds] == [["F31.9"]]
    assert conds[0]["onsetDateTime"] == "2009"
    # without the disorder an episode keeps its own code; a refuted episode stays a negative finding of its own
    assert _conditions("Elle a présenté un épisode dépressif en 2020.") == [("épisode dépressif", "F32.9")]
    got = _conditions("Trouble bipolaire connu. Pas d'épisode maniaque depuis deux ans.")
    assert ("épisode maniaque", "F30.9") in got and ("Trouble bipolaire", "F31.9") in got
    # a confirmed episode does not confirm a suspected disorder, nor a relative's disorder take the patient's episode
    assert len(_conditions("Patiente traitée pour un épisode dépressif. Un trouble bipolaire est suspecté.")) == 2
    assert _conditions("Sa mère a un trouble bipolaire. La patiente présente un épisode dépressif.") == [
        ("épisode dépressif", "F32.9")
    ]
