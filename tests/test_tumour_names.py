"""Tumour names as French reports write them: a name split by its body site or its differentiation grade, a tail
refining a neoplasm of unknown behaviour, and which tumour is the document's primary cancer."""

from __future__ import annotations

import pytest

import fhirconv

ICDO = "http://terminology.hl7.org/CodeSystem/icd-o-3"


def _tumours(text: str) -> list[tuple[str, str, list[str]]]:
    """(code.text, ICD-O-3 morphology, bodySite texts) of every tumour Condition, in bundle order."""
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] != "Condition":
            continue
        for c in r["code"].get("coding", []):
            if c["system"] == ICDO:
                out.append((r["code"]["text"], c["code"], [b["text"] for b in r.get("bodySite", [])]))
    return out


@pytest.mark.parametrize(
    ("text", "words", "code", "site"),
    [
        # the site between the head word and the rest of the name
        ("Diagnostic : carcinome ovarien séreux.", "carcinome ovarien séreux", "8441/3", ["ovarien"]),
        (
            "Histologie : carcinome mammaire canalaire infiltrant.",
            "carcinome mammaire canalaire infiltrant",
            "8500/3",
            ["mammaire"],
        ),
        ("Orchidectomie : tumeur testiculaire germinale.", "tumeur testiculaire germinale", "9064/3", ["testiculaire"]),
        ("Lymphome gastrique du MALT traité par éradication.", "Lymphome gastrique du MALT", "9699/3", ["gastrique"]),
        (
            "Tumeur desmoplastique abdominale à petites cellules rondes de stade IV.",
            "Tumeur desmoplastique abdominale à petites cellules rondes",
            "8806/3",
            ["abdominale"],
        ),
        # the differentiation grade inside the name
        (
            "Biopsie : adénocarcinome modérément différencié de type intestinal.",
            "adénocarcinome modérément différencié de type intestinal",
            "8144/3",
            [],
        ),
        ("Carcinome peu différencié à cellules claires.", "Carcinome peu différencié à cellules claires", "8310/3", []),
        ("Lymphome primaire à cellules T.", "Lymphome primaire à cellules T", "9702/3", []),
        # behaviour in the words: non-invasive is in situ (/2)
        ("Carcinome urothélial non infiltrant.", "Carcinome urothélial non infiltrant", "8120/2", []),
    ],
)
def test_name_split_by_site_or_grade(text: str, words: str, code: str, site: list[str]) -> None:
    assert (words, code, site) in _tumours(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # nothing after the site continues the name: the head word's own code
        ("Adénocarcinome gastrique.", "8140/3"),
        ("Carcinome hépatocellulaire sur cirrhose.", "8170/3"),
        # words after the site that name no tumour with the head word
        ("Carcinome pulmonaire diagnostiqué en 2015.", "8010/3"),
        # a second sentence is never read as the name's end
        ("Tumeur ovarienne. Séreux.", "8000/1"),
    ],
)
def test_no_name_past_the_site(text: str, code: str) -> None:
    assert [c for _, c, _ in _tumours(text)] == [code]


def test_tail_gives_its_behaviour_to_a_neoplasm_of_unknown_behaviour() -> None:
    # "tumeur" is 8000/1; a non-small cell tumour is a non-small cell carcinoma, malignant: 8046/3 (8046/1 is no code)
    assert [c for _, c, _ in _tumours("Biopsie : tumeur pulmonaire non à petites cellules.")] == ["8046/3"]
    # a metastatic one stays metastatic
    assert "8041/6" in [c for _, c, _ in _tumours("Métastase à petites cellules.")]


def test_primary_is_the_named_histology_not_the_malignant_cells() -> None:
    # the metastasis takes the histology of the named carcinoma, and the malignant cells are that carcinoma's
    text = "Présence de cellules malignes. Métastase hépatique d'un carcinome microcytaire du poumon."
    codes = [c for _, c, _ in _tumours(text)]
    assert "8041/3" in codes and "8041/6" in codes
    assert not any(c.startswith("8001") for c in codes)


def test_tumour_cells_at_their_own_site_are_the_primary_cells() -> None:
    # the cells are the only tumour of their site: they are evidence of the primary, not a host of their own
    assert _tumours("Adénocarcinome pulmonaire. Présence de cellules tumorales pleurales.") == [
        ("Adénocarcinome pulmonaire", "8140/3", ["pulmonaire"])
    ]


def test_a_later_subtype_name_refines_the_nos_histology_of_the_same_tumour() -> None:
    text = "Adénocarcinome pulmonaire droit. Anatomopathologie : adénocarcinome pulmonaire de type acineux."
    assert [c for _, c, _ in _tumours(text)] == ["8550/3"]
    # another histology of the same organ is no subtype of the adenocarcinoma
    text = "Adénocarcinome pulmonaire. Puis carcinome épidermoïde kératinisant pulmonaire."
    assert "8071/3" not in [c for _, c, _ in _tumours(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Le cas a été présenté au comité des sarcomes.",
        "Elle a été adressée à notre unité de référence pour les sarcomes.",
        "Discussion en RCP des tumeurs thoraciques.",
        "Réunion de concertation pluridisciplinaire des cancers digestifs.",
    ],
)
def test_a_board_or_unit_named_after_tumours_is_no_tumour(text: str) -> None:
    assert _tumours(text) == []


def test_a_tumour_after_a_department_word_is_still_a_tumour() -> None:
    # "service ... pour des" is no board's name: the patient's metastases
    assert [c for _, c, _ in _tumours("Hospitalisée dans le service pour des métastases cérébrales.")] == ["8000/6"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Carcinome canalaire micropapillaire infiltrant du sein.", "8507/3"),
        ("Carcinome infiltrant canalaire-lobulaire.", "8522/3"),
        ("Mélanome épithélioïde et à cellules fusiformes.", "8770/3"),
        ("Ostéosarcome parostal du fémur.", "9192/3"),
        ("Adénocarcinome appendiculaire mucineux.", "8480/3"),  # "appendiculaire" is the appendix (C18.1)
    ],
)
def test_tumour_wordings(text: str, code: str) -> None:
    assert [c for _, c, _ in _tumours(text)] == [code]


@pytest.mark.parametrize(
    ("text", "code", "site"),
    [
        # the organ named with a tumour said metastatic is its primary's: that organ's cancer, stage IV
        ("Diagnostic d'adénocarcinome pancréatique métastatique.", "8140/3", ["pancréatique"]),
        ("Adénocarcinome métastatique du rectum traité par chimiothérapie.", "8140/3", ["rectum"]),
        ("Adénocarcinome du rectum métastatique.", "8140/3", ["rectum"]),
        ("Carcinome lobulaire métastatique du sein.", "8520/3", ["sein"]),
        ("Adénocarcinome métastatique non résécable du côlon droit.", "8140/3", ["côlon droit"]),
        # a site after another preposition is where the metastasis is
        ("Adénocarcinome métastatique au foie.", "8140/6", ["foie"]),
        # no organ: the patient's cancer said metastatic, unless the sentence is a sample's result
        ("Patient atteint d'un mélanome métastatique.", "8720/3", []),
        ("Biopsie musculaire : adénocarcinome métastatique.", "8140/6", []),
        ("Pathologie : adénocarcinome métastatique.", "8140/6", []),
    ],
)
def test_metastatic_tumour_of_a_named_organ_is_that_organs_cancer(text: str, code: str, site: list[str]) -> None:
    first, *rest = _tumours(text)
    assert first[1:] == (code, site)
    # besides: at most the metastases "métastatique" says it has, of its histology, where unwritten
    assert all(words == "métastatique" and c == code[:4] + "/6" and s == [] for words, c, s in rest)


def test_a_metastatic_primary_has_the_primary_cim10_code() -> None:
    res = next(
        e["resource"]
        for e in fhirconv.convert("Carcinome métastatique de la prostate.").data["entry"]
        if e["resource"]["resourceType"] == "Condition"
    )
    cim10 = [c["code"] for c in res["code"]["coding"] if "cim-10" in c["system"]]
    assert cim10 == ["C61"]  # the prostate's cancer, not a secondary (C79.8) in the prostate


def test_metastatic_says_the_cancer_has_metastases_of_its_histology() -> None:
    # the melanoma is the primary; "métastatique" is its metastases (site unwritten), with its histology and linked
    # to it, even when another tumour of the report comes first
    entries = fhirconv.convert("Schwannome de la cuisse. Patient atteint d'un mélanome métastatique.").data["entry"]
    conds = {
        e["resource"]["code"]["text"]: e["resource"] for e in entries if e["resource"]["resourceType"] == "Condition"
    }
    spread = conds["métastatique"]
    assert [c["code"] for c in spread["code"]["coding"] if c["system"] == ICDO] == ["8720/6"]
    link = [
        x["valueReference"]["reference"]
        for x in spread["extension"]
        if x["url"].endswith("related-primary-cancer-condition")
    ]
    assert link == [f"urn:uuid:{conds['mélanome']['id']}"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a neoplasm of a cell type with no benign or uncertain code: that type's malignant tumour, not a carcinoma
        ("Biopsie : tumeur à petites cellules.", "8002/3"),
        ("Conclusion : néoplasme malin à petites cellules.", "8002/3"),
        ("Biopsie : tumeur à cellules fusiformes.", "8004/3"),
        ("Histologie : néoplasie à cellules fusiformes.", "8004/3"),
        ("Carcinome à petites cellules du poumon.", "8041/3"),
        # behaviour unsaid: uncertain
        ("Biopsie : tumeur mésenchymateuse.", "8800/1"),
        ("Biopsie : tumeur mésenchymateuse maligne.", "8800/3"),
        ("Histologie : néoplasme mésenchymateux atypique.", "8800/1"),
        ("Histologie : néoplasme mésenchymateux malin.", "8800/3"),
        ("Orchidectomie : GCT mixte.", "9085/3"),
        ("Bilan d'une tumeur microcytaire.", "8002/3"),
        ("Exérèse d'un épithélioma sébacé de la joue.", "8410/0"),  # a sebaceoma, benign: not an epithelioma /3
        ("Orchidectomie : carcinome germinal non séminomateux.", "9065/3"),
        # the subtype named after "de sous-type" is the name
        ("Biopsie : rhabdomyosarcome de sous-type alvéolaire.", "8920/3"),
        ("Orchidectomie : néoplasie testiculaire germinale mixte.", "9085/3"),
    ],
)
def test_cell_type_and_mixed_tumour_names(text: str, code: str) -> None:
    assert [c for _, c, _ in _tumours(text)] == [code]


def test_metastases_of_an_unnamed_histology_take_the_histology_the_report_names() -> None:
    # "cancer du sein" names no histology: its metastases are those of the ductal carcinoma named later
    tumours = _tumours("Cancer du sein métastatique. Biopsie : carcinome canalaire infiltrant du sein.")
    assert ("métastatique", "8500/6", []) in tumours


def test_germ_cell_neoplasm_wordings() -> None:
    assert [c for _, c, _ in _tumours("Biopsie : néoplasme germinal.")] == ["9064/3"]
    assert [c for _, c, _ in _tumours("Biopsie : néoplasie germinale.")] == ["9064/3"]


def test_a_metastasis_named_in_a_sample_is_one_condition_without_the_primary_cim10() -> None:
    # one metastasis of melanoma, its site unwritten: not the primary skin melanoma's C43.9, not a second Condition;
    # a secondary malignant neoplasm of unspecified site (C79.9)
    entries = fhirconv.convert("Pathologie : mélanome métastatique.").data["entry"]
    conds = [e["resource"] for e in entries if e["resource"]["resourceType"] == "Condition"]
    assert [[c["code"] for c in r["code"]["coding"]] for r in conds] == [["C79.9", "8720/6"]]
    assert conds[0]["code"]["text"] == "mélanome métastatique"


def test_a_term_naming_its_own_site_gives_that_bodysite_and_a_spread_is_no_subtype() -> None:
    # "carcinomatose péritonéale" is one table term: its site word is found again inside it; "avec" before it does
    # not make it a subtype of the adenocarcinoma (the "refines" rule is for histologies, not a carcinomatosis)
    assert _tumours("Adénocarcinome gastrique avec carcinomatose péritonéale.") == [
        ("Adénocarcinome gastrique", "8140/3", ["gastrique"]),
        ("carcinomatose péritonéale", "8010/9", ["péritonéale"]),
    ]
    # a site word after "type" is a histological type (Lauren), not the organ
    assert _tumours("Biopsie : adénocarcinome de type intestinal.") == [
        ("adénocarcinome de type intestinal", "8144/3", [])
    ]


def test_adc_is_an_adenocarcinoma_unless_it_names_the_diffusion_map() -> None:
    assert _tumours("On lui a diagnostiqué un ADC du poumon de stade IV.") == [("ADC du poumon", "8140/3", ["poumon"])]
    for text in ("IRM : lésion hypointense sur la carte ADC.", "Coefficient ADC abaissé.", "Valeurs d'ADC basses."):
        assert _tumours(text) == [], text


def test_the_diagnostic_sections_type_is_the_tumours_histology() -> None:
    """The Diagnostic section's histology type replaces the one the tests named first; a class does not."""
    tests = "Tests complémentaires\nBiopsie bronchique : adénocarcinome pulmonaire infiltrant.\n\nDiagnostic\n"
    assert [t[1] for t in _tumours(tests + "Carcinome sarcomatoïde d'origine pulmonaire.\n")] == ["8033/3"]
    assert [t[1] for t in _tumours(tests + "CBNPC pulmonaire de stade IV.\n")] == ["8140/3"]
