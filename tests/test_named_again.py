"""One disease named twice is one Condition: a finding its site codes as the disease the report then names
("diverticule œsophagien" ... "diverticule de Zenker", both K22.5), and a finding glossed in brackets by the disease
it is ("lésion de la base de la langue (cystadénolymphome)")."""

import fhirconv


def _conditions(text: str) -> list[tuple[str, list[str]]]:
    out = []
    for e in fhirconv.convert(text, report_id="t").data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            out.append((r["code"]["text"], [c["code"] for c in r["code"].get("coding", [])]))
    return out


def test_a_sited_finding_joins_the_disease_of_its_code() -> None:
    got = _conditions(
        "La fibroscopie montre un diverticule œsophagien. Le diagnostic de diverticule de Zenker est retenu."
    )
    assert got == [("diverticule de Zenker", ["K22.5"])]


def test_two_sited_findings_of_one_code_stay_apart_from_a_refuted_one() -> None:
    got = _conditions("Échographie : kyste ovarien gauche de 4 cm. Pas de kyste ovarien droit.")
    assert len(got) == 2


def test_a_glossed_finding_is_the_disease_in_its_brackets() -> None:
    got = _conditions("Opéré en 2013 pour exérèse d'une lésion de la base de la langue (cystadénolymphome).")
    assert got == [("cystadénolymphome", ["D10.1", "8561/0"])]  # the tumour is where the lesion is: base of tongue


def test_a_bracket_that_is_not_a_disease_leaves_the_finding() -> None:
    got = _conditions("Opéré pour exérèse d'une lésion de la base de la langue (2 cm).")
    assert [t for t, _ in got] == ["lésion de la base de la langue"]
