"""Assertion qualifiers as inline-markup cases (EDS-NLP style): <neg> (absent: a refuted Condition), <ref> (ruled
out: refuted too), <hyp> (provisional), <diff>, <fam> (FamilyMemberHistory), <ok> (asserted), <sym> (a symptom:
recognised, never a Condition). Each case checks the whole list of condition mentions and their status."""

from __future__ import annotations

import re

import pytest

import fhirconv

TAG = re.compile(r"<(neg|hyp|ref|fam|diff|ok|sym)>(.*?)</\1>")
STATUS = {
    "neg": "refuted",
    "sym": None,
    "hyp": "provisional",
    "ref": "refuted",
    "diff": "differential",
    "ok": "confirmed",
    "fam": "family",
}


def parse(marked: str) -> tuple[str, list[tuple[str, str]]]:
    text, expected, pos = "", [], 0
    for m in TAG.finditer(marked):
        text += marked[pos : m.start()]
        expected.append((m.group(2), m.group(1)))
        text += m.group(2)
        pos = m.end()
    return text + marked[pos:], expected


def statuses(text: str) -> list[tuple[str, str | None]]:
    res = fhirconv.convert(text)
    got: dict[str, str | None] = {}
    for e in res.data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            for ext in r["extension"]:
                sub = {x["url"]: x for x in ext.get("extension", [])}
                if "offset" in sub and "path" not in sub:
                    o, n = sub["offset"]["valueInteger"], sub["length"]["valueInteger"]
                    got[text[o : o + n]] = r["verificationStatus"]["coding"][0]["code"]
        elif r["resourceType"] == "FamilyMemberHistory":
            for cond in r["condition"]:
                got[cond["code"]["text"]] = "family"
    return sorted(got.items())


CASES = [
    "Il n'y avait pas de <sym>fièvre</sym>, de <neg>splénomégalie</neg> ou d'autres symptômes.",
    "Pas d'<neg>hépatomégalie</neg> ni de <neg>masse abdominale</neg>. Présence d'une <ok>ascite</ok>.",
    "Absence de <neg>thrombose veineuse profonde</neg> ; <sym>fièvre</sym> à 39 °C.",
    "Le patient n'a pas d'<neg>insuffisance cardiaque</neg> mais présente une <ok>fibrillation auriculaire</ok>.",
    "Recherche de <neg>tuberculose</neg> négative.",
    "La sérologie était négative pour la <neg>toxoplasmose</neg>, positive pour la <ok>brucellose</ok>.",
    "Les douze ganglions prélevés étaient exempts de <neg>métastases</neg>.",
    "Sérologies négatives (<neg>hépatite B</neg>, <neg>VIH</neg>) ; <ok>tuberculose</ok> confirmée.",
    "La recherche de <neg>tuberculose</neg> était négative (trois tubages) ; <ok>hépatite C chronique</ok>.",
    "Le diagnostic de <ref>tuberculose</ref> a été infirmé ; une <ok>sarcoïdose</ok> est retenue.",
    "Suspicion de <ref>tuberculose</ref>, finalement écartée. <ok>Diabète</ok>, exclu de l'étude.",
    "La patiente n'est pas <neg>diabétique</neg>. Une <neg>adénopathie</neg> n'est pas retrouvée.",
    "Une <hyp>tuberculose</hyp> n'est pas exclue. Hypothèse diagnostique : <hyp>sarcoïdose</hyp>.",
    "Examen : sans <sym>fièvre</sym>, <neg>hépatomégalie</neg> ou <neg>splénomégalie</neg>.",
    "Pas de <sym>fièvre</sym>, <sym>ictère</sym> ou <neg>ascite</neg> ; présence d'une <ok>anémie</ok>.",
    "Pas de <neg>diabète</neg>, le patient rapporte une <ok>hépatite</ok> ou une <ok>cirrhose</ok>.",
    "Bilan à la recherche d'une <hyp>néoplasie</hyp>. Devant la crainte d'une <hyp>embolie pulmonaire</hyp>, angioscanner.",
    "Antécédent familial de <fam>cancer du sein</fam> chez sa <fam>mère</fam>. <ok>Diabète de type 2</ok>.",
    "La biopsie a infirmé le diagnostic de <ref>lymphome</ref>. Elle nie tout antécédent de <neg>diabète</neg>.",
    "Berges chirurgicales indemnes de <neg>tumeur</neg> ; <ok>hypertension artérielle</ok> connue.",
    "Un scanner évoquant une <hyp>embolie pulmonaire</hyp> a été réalisé.",
    "Le père est décédé d'un <fam>infarctus du myocarde</fam> à 60 ans ; la patiente est <ok>diabétique</ok>.",
    "L'hématologie a exclu une <ref>leucémie aiguë</ref> et un <ref>purpura thrombocytopénique thrombotique</ref>.",
    "Antécédents familiaux : la <fam>mère</fam> est décédée d'un <fam>cholangiocarcinome</fam>.",
    "Les diagnostics différentiels étant une <diff>coagulation intravasculaire disséminée</diff> secondaire à une <diff>septicémie</diff>.",
    "Suspicion de <hyp>embolie pulmonaire</hyp> chez une patiente ayant une <ok>hypertension artérielle</ok>.",
    "Patient sans <neg>diabète</neg>, suivi pour une <ok>hypertension artérielle</ok>.",
    "La possibilité d'une <hyp>septicémie</hyp> n'a pas été exclue.",
    # the passive voice rules out the diagnosis written before the verb, and only that one
    "Une <ref>hépatite virale</ref> a été écartée et une <ok>cholécystite</ok> retenue.",
    "La <ref>tuberculose</ref> est exclue.",
    "Un <hyp>lymphome</hyp> n'a pas pu être écarté.",
    "Une <ok>insuffisance cardiaque</ok>, bien qu'une <hyp>embolie pulmonaire</hyp> ne puisse être exclue.",
    "On ne peut exclure une <hyp>embolie pulmonaire</hyp>.",
    "Le scanner montre une <hyp>adénopathie</hyp> hilaire droite suspecte de 1,2 cm et une <ok>ascite</ok>.",
    "Le scanner montre une <hyp>lésion hépatique douteuse</hyp> et une <ok>ascite</ok> de moyenne abondance.",
    "La radiographie montre un <hyp>nodule pulmonaire</hyp> douteux, sans <neg>épanchement pleural</neg>.",
    "Une <hyp>embolie pulmonaire</hyp> est suspectée. Le patient est suivi pour une <ok>hypertension artérielle</ok>.",
    # the cause of what could not be done is a fact: the negation or hypothesis stops at "en raison de"
    "Le troisième cycle n'a pas pu être administré en raison d'une <ok>neutropénie</ok>.",
    "Pas de chirurgie du fait d'une <ok>cirrhose</ok> ; pas d'<neg>ascite</neg>.",
    "<ok>Lésion</ok> compatible avec un <hyp>lymphome</hyp>, non opérable à cause d'une <ok>insuffisance cardiaque</ok>.",
    # a sentence opening on "Œ" is a new sentence: the negation before it does not reach it
    "Pas de <neg>diabète</neg>. <ok>Œdème pulmonaire</ok> aigu à l'admission.",
    # the disease a lesion is suspected of, written after "suspectes de", is a hypothesis too
    "Le scanner montre des <hyp>lésions hépatiques</hyp> suspectes de <hyp>métastases</hyp>. Le patient a une <ok>"
    "hypertension artérielle</ok>.",
    "La radiographie montre un <hyp>nodule pulmonaire</hyp> suspect d'être une récidive, sans <neg>épanchement "
    "pleural</neg>.",
]


@pytest.mark.parametrize("marked", CASES)
def test_assertion_cases(marked: str) -> None:
    text, expected = parse(marked)
    want = sorted((t, STATUS[k]) for t, k in expected if k != "fam" or t not in ("mère", "père"))
    want = [(t, s) for t, s in want if s is not None]
    got = statuses(text)
    assert got == want


def test_negated_diseases_are_refuted_never_asserted() -> None:
    res = fhirconv.convert("Pas de diabète ni d'hypertension artérielle.")
    conds = [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert sorted(c["code"]["text"].lower() for c in conds) == ["diabète", "hypertension artérielle"]
    for c in conds:
        assert c["verificationStatus"]["coding"][0]["code"] == "refuted"
        assert c["clinicalStatus"]["coding"][0]["code"] == "inactive"
        assert "onsetDateTime" not in c


def test_symptoms_are_dropped_with_their_reason() -> None:
    res = fhirconv.convert("Le 2 mars 2015, fièvre et douleurs abdominales, sans nausées.")
    assert not [e for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]
    dropped = {m.text.lower(): why for m, why in res.dropped}
    assert set(dropped) == {"fièvre", "douleurs abdominales", "nausées"}
    assert all(why.startswith("symptom") for why in dropped.values())


def test_negated_family_history_is_dropped() -> None:
    res = fhirconv.convert("Pas d'antécédents familiaux de cancer du sein chez la mère.")
    assert not [
        e
        for e in res.data["entry"]
        if e["resource"]["resourceType"] in ("FamilyMemberHistory", "Condition")
        and e["resource"].get("verificationStatus", {}).get("coding", [{}])[0].get("code") != "refuted"
    ]


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Il n'y avait pas de signe de détresse respiratoire, un drainage thoracique a été réalisé.", "completed"),
        ("Il n'y a pas de foyer pulmonaire à la radiographie du thorax.", "completed"),
        ("Aucune biopsie n'a été réalisée.", "not-done"),
        ("Pas de biopsie hépatique.", "not-done"),
    ],
)
def test_procedure_negated_only_as_direct_object(text: str, status: str) -> None:
    res = fhirconv.convert(text)
    procs = [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "Procedure"]
    assert [p["status"] for p in procs] == [status]


def test_absent_disease_is_not_merged_into_the_confirmed_one() -> None:
    """A refuted mention keeps its own Condition: merged, "confirmed" would outrank it and the negative finding
    ("pas de signe de thrombophlébite superficielle") would vanish."""
    import fhirconv

    data = fhirconv.convert(
        "Antécédent de thrombophlébite du membre inférieur gauche. "
        "À l'examen, pas de signe de thrombophlébite superficielle."
    ).data
    conds = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition"]
    statuses = sorted(c["verificationStatus"]["coding"][0]["code"] for c in conds)
    assert statuses == ["confirmed", "refuted"]


def test_evoked_diagnoses_are_hypotheses() -> None:
    import fhirconv

    data = fhirconv.convert(
        "Trois diagnostics ont été évoqués : un sarcome utérin, une tumeur ovarienne ou un syndrome de Krukenberg."
    ).data
    conds = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert conds and all(c["verificationStatus"]["coding"][0]["code"] == "provisional" for c in conds)
