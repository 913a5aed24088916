"""CIM-10 codes the FHIR-level annotation gives that the words support: a sepsis on a catheter (T80.2), a GIST with
no organ written (C26.9, the digestive tract NOS), Gardner syndrome (D12.6), meningeal carcinomatosis (C79.3); a serology list names what
it tests, not a disease of the patient."""

import pytest

from tests.bundle_facts import condition_codes as _codes


@pytest.mark.parametrize(
    ("text", "words", "code"),
    [
        ("Il a présenté une septicémie associée à un cathéter, traitée par vancomycine.", "septicémie", "T80.2"),
        ("Une septicémie sur chambre implantable à Klebsiella a été traitée.", "septicémie", "T80.2"),
        ("Une septicémie à Klebsiella a été traitée.", "septicémie", "A41.5"),
        ("Patiente suivie pour une tumeur stromale gastro-intestinale sous imatinib.", "tumeur stromale", "C26.9"),
        ("Il est porteur d'un syndrome de Gardner.", "syndrome de Gardner", "D12.6"),
        ("La ponction lombaire a confirmé une carcinomatose méningée.", "carcinomatose", "C79.3"),
        ("IRM cérébrale : carcinomatose leptoméningée diffuse.", "carcinomatose", "C79.3"),
    ],
)
def test_code(text: str, words: str, code: str) -> None:
    got = _codes(text)
    assert any(words in k and code in v for k, v in got.items()), got


def test_a_gist_of_a_written_organ_keeps_that_organ() -> None:
    got = _codes("Tumeur stromale gastro-intestinale de l'iléon terminal de 6 cm.")
    assert any(v and v[0].startswith("C17") for v in got.values()), got


def test_a_serology_list_is_no_disease_but_a_past_rubella_is() -> None:
    assert _codes("Les sérologies virales (cytomégalovirus, rubéole, herpès) étaient normales.") == {}
    assert "B06.9" in _codes("Il a présenté une rubéole à l'âge de 5 ans.").get("rubéole", [])
