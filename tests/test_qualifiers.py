"""Assertion qualifiers as inline-markup cases (EDS-NLP style): <neg>...</neg>, <hyp>, <ref> (refuted), <fam>,
<diff>, <ok> (asserted). Each case checks the whole list of condition mentions and their status."""

from __future__ import annotations

import re

import pytest

import fhirconv

TAG = re.compile(r"<(neg|hyp|ref|fam|diff|ok)>(.*?)</\1>")
STATUS = {"neg": None, "hyp": "provisional", "ref": "refuted", "diff": "differential", "ok": "confirmed", "fam": "family"}


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
            got[r["condition"][0]["code"]["text"]] = "family"
    return sorted(got.items())


CASES = [
    "Il n'y avait pas de <neg>fièvre</neg>, de <neg>saignement externe</neg> ou d'autres symptômes.",
    "L'hématologie a exclu une <ref>leucémie aiguë</ref> et un <ref>purpura thrombocytopénique thrombotique</ref>.",
    "Antécédents familiaux : la <fam>mère</fam> est décédée d'un <fam>cholangiocarcinome</fam>.",
    "Les diagnostics différentiels étant une <diff>coagulation intravasculaire disséminée</diff> secondaire à une <diff>septicémie</diff>.",
    "Suspicion de <hyp>embolie pulmonaire</hyp> chez une patiente ayant une <ok>hypertension artérielle</ok>.",
    "Patient sans <neg>diabète</neg>, suivi pour une <ok>hypertension artérielle</ok>.",
    "La possibilité d'une <hyp>septicémie</hyp> n'a pas été exclue.",
]


@pytest.mark.parametrize("marked", CASES)
def test_assertion_cases(marked: str) -> None:
    text, expected = parse(marked)
    want = sorted((t, STATUS[k]) for t, k in expected if k != "fam" or t not in ("mère", "père"))
    want = [(t, s) for t, s in want if s is not None]
    got = statuses(text)
    assert got == want


def test_negated_mentions_are_reported_as_dropped() -> None:
    res = fhirconv.convert("Pas de diabète ni d'hypertension artérielle.")
    assert not [e for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]
    assert {m.text.lower() for m, why in res.dropped if why == "negated"} >= {"diabète", "hypertension artérielle"}
