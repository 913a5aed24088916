"""Rules for the recorded gaps of our own reports (tests/data/unseen/expected.yaml ``gaps``, session 14): a diagnosis
"discutée" is a hypothesis unless it is a term of a debated link; a germ a test found is the patient's infection.
Texts written for these tests (no corpus text)."""

from __future__ import annotations

import pytest

from tests.bundle_facts import conditions as _conditions
from tests.bundle_facts import entries as _entries
from tests.bundle_facts import verifications as _verifications


@pytest.mark.parametrize(
    ("text", "words", "verification"),
    [
        # "discuté(e)" in any tense: the diagnosis is debated, a hypothesis
        ("Une linite plastique était discutée.", "linite", "provisional"),
        ("Au scanner, une sarcoïdose est discutée.", "sarcoïdose", "provisional"),
        ("Une tuberculose pulmonaire a été discutée devant les images.", "tuberculose", "provisional"),
        ("Une amylose cardiaque et une sarcoïdose étaient discutées.", "amylose", "provisional"),
        # the terms of a debated link are there: the link is debated, not them
        ("Le lien entre la maladie de Crohn et la spondylarthrite est discuté.", "Crohn", "confirmed"),
        ("Le lien entre la maladie de Crohn et la spondylarthrite est discuté.", "spondylarthrite", "confirmed"),
        (
            "L'association de l'insuffisance cardiaque à la pneumonie est discutée.",
            "insuffisance cardiaque",
            "confirmed",
        ),
        ("L'association de l'insuffisance cardiaque à la pneumonie est discutée.", "pneumonie", "confirmed"),
        ("Le rôle d'une infection à cytomégalovirus était discuté.", "cytomégalovirus", "confirmed"),
        ("La relation entre la sarcoïdose et la cardiopathie a été discutée.", "sarcoïdose", "confirmed"),
        ("Pas de lien entre le tabagisme et la pneumopathie.", "neumopathie", "confirmed"),
        # a case discussed by a board is no diagnosis debated
        ("Le dossier de ce lymphome de Hodgkin a été discuté en RCP.", "Hodgkin", "confirmed"),
        ("Le cas de cette sarcoïdose était discuté en réunion de concertation.", "sarcoïdose", "confirmed"),
        # counter-examples: co-occurring diseases suspected together stay hypotheses, and a link word does not shield
        # a disease named outside its complement
        ("L'association d'un lymphome et d'une tuberculose a été évoquée.", "tuberculose", "provisional"),
        ("Une sarcoïdose était discutée, sans lien avec le diabète.", "sarcoïdose", "provisional"),
        ("Une embolie pulmonaire est évoquée.", "embolie", "provisional"),
    ],
)
def test_discussed_diagnosis(text: str, words: str, verification: str) -> None:
    assert _verifications(text, words) == [verification]


@pytest.mark.parametrize(
    ("text", "code", "verification"),
    [
        # a germ a test found is the patient's infection (CIM-10 B95-B98: the agent of a disease classified elsewhere)
        ("La recherche d'Helicobacter pylori était positive.", "B98.0", "confirmed"),
        ("Les biopsies gastriques étaient positives pour Helicobacter pylori.", "B98.0", "confirmed"),
        ("Les hémocultures étaient positives à Staphylococcus aureus.", "B95.6", "confirmed"),
        ("La culture des urines a isolé un Escherichia coli.", "B96.2", "confirmed"),
        ("Un Pseudomonas aeruginosa a été isolé dans le lavage broncho-alvéolaire.", "B96.5", "confirmed"),
        ("Un traitement d'éradication d'Helicobacter pylori a été prescrit.", "B98.0", "confirmed"),
        # a negative test: refuted
        ("La recherche d'Helicobacter pylori était négative.", "B98.0", "refuted"),
        ("Pas de Klebsiella pneumoniae dans les prélèvements.", "B96.1", "refuted"),
    ],
)
def test_germ_found_by_a_test(text: str, code: str, verification: str) -> None:
    assert [v for codes, v in _conditions(text).values() if code in codes] == [verification]


@pytest.mark.parametrize(
    "text",
    [
        # a germ named for something else than a finding: no Condition
        "Il a reçu le vaccin contre le pneumocoque en 2019.",
        "Une antibiothérapie active sur le SARM a été débutée.",
        "Une endocardite à staphylocoques dorés est connue.",
    ],
)
def test_germ_named_without_a_test(text: str) -> None:
    assert not [cs for cs, _ in _conditions(text).values() if any(c.startswith(("B95", "B96", "B98")) for c in cs)]


def _cim10(text: str) -> list[str]:
    return sorted(c for cs, _ in _conditions(text).values() for c in cs if c[0].isalpha() and "/" not in c)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an in situ carcinoma without its organ, beside the organ's carcinoma in its sentence, is of that organ
        ("Carcinome urothélial papillaire de la vessie, associé à un carcinome in situ.", ["C67.9", "D09.0"]),
        ("Adénocarcinome du côlon sigmoïde avec un carcinome in situ au contact.", ["C18.7", "D01.0"]),
        # a histology found in the resection of one organ, without its site, is of that organ
        ("La RTUV montrait un carcinome urothélial de haut grade infiltrant le muscle.", ["C67.9"]),
        ("La néphrectomie élargie a mis en évidence un carcinome à cellules claires.", ["C64"]),
        ("La gastrectomie totale retrouvait un adénocarcinome à cellules indépendantes.", ["C16.9"]),
        # counter-examples: no organ, two organs, a node dissection, an in situ carcinoma in another sentence; the
        # tumour takes no organ, so the code of a site not stated (neoplasm_cim10.csv: C80.9, D09.9)
        ("Le curage ganglionnaire montrait un adénocarcinome.", ["C80.9"]),
        (
            "Adénocarcinome du côlon et adénocarcinome de la prostate, avec un carcinome in situ.",
            ["C18.9", "C61", "D09.9"],
        ),
        ("Carcinome urothélial de la vessie. Un carcinome in situ est associé.", ["C67.9", "D09.9"]),
        ("La biopsie montrait un carcinome in situ.", ["D09.9"]),
    ],
)
def test_site_from_its_sentence(text: str, expected: list[str]) -> None:
    assert _cim10(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the components of a mixed tumour are of its organ, not of a mass named later
        (
            "Tumeur germinale mixte du testicule, composée de carcinome embryonnaire et de tumeur du sac vitellin. "
            "Une masse résiduelle rétropéritonéale a été réséquée.",
            ["C62.9", "C62.9", "C62.9"],
        ),
        ("Carcinosarcome de l'utérus avec un contingent de rhabdomyosarcome.", ["C55", "C55"]),
        # counter-example: a histology after the tumour without a component word keeps its own reading
        (
            "Adénocarcinome du côlon. Un lymphome B diffus à grandes cellules a été diagnostiqué en 2019.",
            ["C18.9", "C83.3"],
        ),
    ],
)
def test_components_of_a_mixed_tumour(text: str, expected: list[str]) -> None:
    assert _cim10(text) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a tumour term naming its organ ("carcinome papillaire du rein": 8260/3) is that organ's cancer (C64)
        ("Carcinome papillaire du rein droit de 3 cm.", ["8260/3", "C64"]),
        ("Carcinome vésiculaire de la thyroïde.", ["8330/3", "C73"]),
        # nodal metastases in brackets with their neck levels are cervical (C77.0), not nodes of no region (C77.9)
        ("Carcinome papillaire de la thyroïde ; 3 ganglions métastatiques sur 12 (secteurs VI et II).", ["C77.0"]),
        ("Curage : deux ganglions métastatiques (secteur III).", ["C77.0"]),
        # counter-example: no region written, C77.9
        ("Curage : deux ganglions métastatiques sur 14.", ["C77.9"]),
    ],
)
def test_organ_in_the_term_and_neck_levels(text: str, expected: list[str]) -> None:
    codes = [c for cs, _ in _conditions(text).values() for c in cs]
    assert all(e in codes for e in expected), codes
    assert "C77.9" not in codes or "C77.9" in expected


def test_relative_tumour_naming_its_organ() -> None:
    fmh = _entries("Sa sœur a été opérée d'un carcinome vésiculaire de la thyroïde.", "FamilyMemberHistory")
    assert [c["code"] for r in fmh for x in r["condition"] for c in x["code"]["coding"]] == ["C73", "8330/3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one carcinoma named at its organ, then at a sub-site with a less precise histology: the sub-site refines
        # its code, though the report names another sub-site of the organ for no tumour
        (
            "Adénocarcinome canalaire du pancréas. Dilatation du canal de Wirsung. "
            "Adénocarcinome de la tête du pancréas réséqué.",
            ["C25.0"],
        ),
        ("Carcinome canalaire infiltrant du sein gauche. Carcinome du quadrant supéro-externe.", ["C50.4"]),
        # counter-example: a carcinoma and a sarcoma of one organ are two tumours, the sub-site is only the one's
        ("Adénocarcinome de l'estomac. Léiomyosarcome de l'antre gastrique.", ["C16.3", "C16.9"]),
    ],
)
def test_subsite_of_one_carcinoma(text: str, expected: list[str]) -> None:
    assert sorted({c for c in _cim10(text) if c.startswith("C")}) == expected


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # an abbreviation with its result in a list of immunostains is a marker, not a disease
        ("Immunohistochimie : CD3+, CD20-, LAM positif, CK7 négatif.", []),
        ("Les cellules tumorales expriment la CK7 ; LAM (+).", []),
        ("Marquage : LAM négatif, CD117 positif.", []),
        # counter-examples: the same abbreviations as diseases
        ("Le patient est VIH positif.", ["B24"]),
        ("Antécédent de LAM traitée en 2010.", ["C92.0"]),
    ],
)
def test_marker_in_a_stain_list(text: str, kept: list[str]) -> None:
    assert [c for c in _cim10(text) if c in ("B24", "C92.0")] == kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare "infarctus" set apart from a stroke, or in a coronary report, is the heart's
        ("Pas d'antécédent d'infarctus ni d'AVC.", ["I21.9", "I64"]),
        ("Aucun AVC ni infarctus dans ses antécédents.", ["I21.9", "I64"]),
        ("Douleur thoracique, troponine élevée, sus-décalage du segment ST : infarctus.", ["I21.9"]),
        # in a stroke report, the brain's
        ("Hémiparésie droite et aphasie. L'IRM montre un infarctus récent.", ["G81.9", "I63.9"]),
        # counter-examples: a site written decides; no context, no code
        ("Infarctus splénique.", ["D73.5"]),
        ("Infarctus sans précision.", []),
    ],
)
def test_bare_infarct_by_context(text: str, expected: list[str]) -> None:
    assert _cim10(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a melanoma of the skin of a body region is coded by that region (C43.x), the patient's or a relative's
        ("Il présente un mélanome cutané du dos.", "C43.5"),
        ("Il présente un mélanome cutané du bras gauche.", "C43.6"),
        ("Mélanome cutané de la jambe droite, Breslow 1,2 mm.", "C43.7"),
        # counter-example: the skin without a region stays C43.9
        ("Mélanome cutané, Breslow 0,8 mm.", "C43.9"),
    ],
)
def test_melanoma_of_a_skin_region(text: str, code: str) -> None:
    assert [c for c in _cim10(text) if c.startswith("C43")] == [code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sa mère avait un mélanome cutané du dos.", "C43.5"),
        ("Son père a eu un mélanome.", "C43.9"),
        ("Sa sœur a un carcinome canalaire du sein.", "C50.9"),
    ],
)
def test_relative_tumour_coded_by_its_site(text: str, code: str) -> None:
    fmh = _entries(text, "FamilyMemberHistory")
    assert [c["code"] for r in fmh for x in r["condition"] for c in x["code"]["coding"] if "/" not in c["code"]] == [
        code
    ]


def test_act_organ_not_for_a_histology_sited_elsewhere() -> None:
    # the colon's adenocarcinoma found again in a liver resection is not a liver cancer
    text = "Adénocarcinome du côlon sigmoïde opéré en 2019. En 2021, l'hépatectomie a retrouvé un adénocarcinome."
    assert "C22.0" not in _cim10(text) and "C22.9" not in _cim10(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a positive test of an infection the result itself states is that infection
        ("La sérologie VIH était positive.", [("B24", "confirmed")]),
        ("Sérologie VIH positive lors du bilan prétransfusionnel.", [("B24", "confirmed")]),
        # counter-examples: negative; a positive serology that says an immunity (CMV), not an infection
        ("La sérologie VIH était négative.", []),
        ("Sérologie CMV positive.", []),
        ("Sérologies VIH, VHC et VHB négatives.", []),
    ],
)
def test_positive_test_of_an_infection(text: str, expected: list[tuple[str, str]]) -> None:
    got = [(c, v) for cs, v in _conditions(text).values() for c in cs if c.startswith("B")]
    assert got == expected
