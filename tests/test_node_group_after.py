"""The lymph node group written right after a node's words (nodal.group_right_after): one reading for an
adenopathy, a nodal metastasis and a node named again. Sentences written for these tests."""

from __future__ import annotations

import pytest

import fhirconv


def _conditions(text: str) -> list[tuple[str, str | None]]:
    """(CIM-10 code, ICD-O-3 body site code) of each Condition of the text."""
    out = []
    for e in fhirconv.convert(text).data["entry"]:
        r = e["resource"]
        if r["resourceType"] == "Condition":
            site = r.get("bodySite", [{}])[0].get("coding", [{}])[0].get("code")
            out.append((r["code"]["coding"][0]["code"], site))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the group right after the words, past a count and a bracket
        ("Le curage retrouve 4 ganglions métastatiques sur 19 (aires axillaires).", ("C77.3", "C77.3")),
        # nodes named again without a group on the way are part of the chain up to the group
        ("Le curage retrouve 2 métastases ganglionnaires sur 12 ganglions (aires axillaires).", ("C77.3", "C77.3")),
        ("Adénopathie ganglionnaire au niveau des ganglions de la chaîne iliaque externe.", ("R59.0", "C77.5")),
    ],
)
def test_the_group_right_after_a_node_s_words_is_its_group(text: str, expected: tuple[str, str]) -> None:
    assert expected in _conditions(text)


@pytest.mark.parametrize(
    "text",
    [
        # another noun between the node's words and the group: not its group
        "Adénopathie médiastinale et nodule du sein. Chaîne iliaque externe libre.",
        # the group is in the next sentence
        "Le curage retrouve 2 métastases ganglionnaires sur 12 ganglions. Les aires axillaires sont libres.",
    ],
)
def test_a_group_past_another_noun_or_sentence_is_not_taken(text: str) -> None:
    assert not any(site in ("C77.3", "C77.5") for _, site in _conditions(text))
