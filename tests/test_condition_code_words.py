"""CIM-10 subdivisions the words state (issue 3, FHIR-level gold): a graded or drug-named polyneuropathy is drug-induced
(G62.0), a Krukenberg syndrome is a secondary tumour of the ovary (C79.6), and a tumour keeps the site written after
a participle or "suspect" ("carcinome intraépithélial étendu de la trompe", "tumeur suspecte du sein"), and "maxillaire"
names the upper jaw bone; a metastasis without a written site takes the organ of the imaging exam of its sentence
("IRM cérébrale ... métastases": C79.3), and tumour implants are metastases ("implants péritonéaux": C78.6)."""

import pytest

import fhirconv
from tests.bundle_facts import condition_codes as _codes


@pytest.mark.parametrize(
    ("text", "words", "code"),
    [
        # a CTCAE toxicity grade grades an adverse event of the treatment
        ("Elle a présenté une neuropathie périphérique de grade III.", "neuropathie", "G62.0"),
        ("Polyneuropathie grade 2 aux mains, la dose a été réduite.", "polyneuropathie", "G62.0"),
        ("Apparition d'une neuropathie sous oxaliplatine au sixième cycle.", "neuropathie", "G62.0"),
        ("Neuropathie post-chimiothérapie persistante.", "neuropathie", "G62.0"),
        # nothing stated: the unspecified code
        ("Neuropathie périphérique des membres inférieurs.", "neuropathie", "G62.9"),
        ("Il présentait une neuropathie axonale sensitive.", "neuropathie", "G62.9"),
        ("Un syndrome de Krukenberg était évoqué en premier lieu.", "syndrome de Krukenberg", "C79.6"),
        ("Bilan d'un syndrome de Krukenberg bilatéral.", "syndrome de Krukenberg", "C79.6"),
        ("On retrouve un carcinome intraépithélial étendu de la trompe droite.", "carcinome intraépithélial", "D07.3"),
        ("Présence d'un carcinome in situ associé du col utérin.", "carcinome in situ", "D06.9"),
        ("La mammographie montre une tumeur suspecte du sein gauche.", "tumeur", "D48.6"),
        # "maxillaire" alone is the bone (the upper jaw); "maxillaire inférieur" the mandible
        ("Le diagnostic évoqué était celui d'une tumeur maligne des maxillaires.", "tumeur maligne", "C41.0"),
        ("Il présente un ostéosarcome du maxillaire inférieur.", "ostéosarcome", "C41.1"),
    ],
)
def test_code(text: str, words: str, code: str) -> None:
    got = _codes(text)
    assert any(words.lower() in k.lower() and code in v for k, v in got.items()), got


def test_a_grade_of_another_disease_in_the_clause_after_a_comma_is_not_read() -> None:
    got = _codes("Neuropathie périphérique, mucite de grade 3.")
    assert any("neuropathie" in k.lower() and "G62.9" in v for k, v in got.items()), got


def _metastases(text: str) -> list[str]:
    out = []
    for e in fhirconv.convert(text, report_id="t").data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition" and any(c["code"].endswith("/6") for c in r["code"].get("coding", [])):
            out.append(next((c["code"] for c in r["code"]["coding"] if c["code"].startswith("C")), "-"))
    return out


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a metastasis written without its site, in the sentence of an imaging exam of one organ
        ("Mélanome. L'IRM cérébrale a objectivé deux métastases.", "C79.3"),
        (
            "Carcinome du sein. Une IRM cérébrale a été réalisée, qui a montré au moins 8 lésions métastatiques.",
            "C79.3",
        ),
        ("Cancer du côlon. L'échographie hépatique retrouve deux métastases.", "C78.7"),
        # a region is no organ; another exam or a result in between: the site is not the exam's (secondary, site
        # unspecified)
        ("Cancer du sein. Le scanner thoracique montre des métastases.", "C79.9"),
        ("Cancer du rein. L'IRM cérébrale est normale, mais la TEP montre des métastases.", "C79.9"),
        # a site written with the metastasis wins
        ("Cancer du rein. L'IRM cérébrale montre des métastases osseuses.", "C79.5"),
    ],
)
def test_metastasis_site_of_exam(text: str, code: str) -> None:
    assert _metastases(text) == [code]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # tumour implants are metastases; a term naming its site is coded as a metastasis of that site
        ("Adénocarcinome du côlon. Le scanner montre des implants péritonéaux.", "C78.6"),
        ("Mésothéliome. Présence d'implants pleuraux.", "C78.2"),
        ("Cancer de l'ovaire. On note des implants tumoraux dans l'épiploon.", "C78.6"),
        ("Cancer de l'ovaire. Une implantation tumorale est retrouvée.", "C79.9"),
    ],
)
def test_implants_are_metastases(text: str, code: str) -> None:
    assert _metastases(text) == [code]


def test_a_breast_implant_is_no_metastasis() -> None:
    assert _metastases("Cancer du sein. Reconstruction mammaire par implant en 2015.") == []
