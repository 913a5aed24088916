"""Condition clinicalStatus, verificationStatus, onset and abatement as inline-markup cases.

Tags name the clinicalStatus the Condition citing those words must have: <active>, <resolved>, <remission>,
<recurrence>; <diff> / <prov> name a verificationStatus (differential / provisional). Texts written for these
tests (no corpus text)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import fhirconv
from fhirconv import MappingError, load_mappings
from tests.golden import spans

TAG = re.compile(r"<(active|resolved|remission|recurrence|diff|prov)>(.*?)</\1>")
VERIFICATION = {"diff": "differential", "prov": "provisional"}


def parse(marked: str) -> tuple[str, list[tuple[int, int, str]]]:
    text, expected, pos = "", [], 0
    for m in TAG.finditer(marked):
        text += marked[pos : m.start()]
        expected.append((len(text), len(text) + len(m.group(2)), m.group(1)))
        text += m.group(2)
        pos = m.end()
    return text + marked[pos:], expected


def _spans(r: dict[str, Any]) -> list[tuple[int, int]]:
    out = []
    for ext in r["extension"]:
        sub = {x["url"]: x for x in ext.get("extension", [])}
        if "offset" in sub and "path" not in sub:
            o = sub["offset"]["valueInteger"]
            out.append((o, o + sub["length"]["valueInteger"]))
    return out


def conditions(text: str) -> list[dict[str, Any]]:
    res = fhirconv.convert(text)
    return [e["resource"] for e in res.data["entry"] if e["resource"]["resourceType"] == "Condition"]


def citing(conds: list[dict[str, Any]], start: int, end: int) -> dict[str, Any]:
    hits = [c for c in conds if any(s < end and start < e for s, e in _spans(c))]
    assert len(hits) == 1, f"{len(hits)} Conditions cite [{start}:{end}]"
    return hits[0]


CASES = [
    # the recurrence of a named disease is its course: the word before it with "de", after it with "en", the verb
    "Cancer du sein en 2010. Récidive du <recurrence>cancer du sein</recurrence> en 2015.",
    "Récidive d'un <recurrence>lymphome de Hodgkin</recurrence> en 2013.",
    "<recurrence>Lymphome de Hodgkin</recurrence> en rechute.",
    "Le <recurrence>lymphome de Hodgkin</recurrence> a récidivé en 2013.",
    # a chronic disease listed among the antecedents is one the patient still has
    "Antécédents de <active>diabète de type 2</active> et d'<active>hypertension artérielle</active>.",
    # a past, finished episode: the pluperfect, an operation, an explicit end
    "Le patient avait présenté une <resolved>pneumopathie</resolved> traitée par antibiotiques.",
    "Il a été opéré d'une <resolved>hernie inguinale</resolved> en 2008.",
    "Le 2 mars 2015, hématurie macroscopique. Disparition de l'<resolved>hématurie</resolved> au troisième jour.",
    "Tabagisme sevré. Une <resolved>pneumopathie</resolved> guérie.",
    # a habit given up: "ancien fumeur" is an ex-smoker, not only an old mention
    "Patient de 60 ans, ancien <resolved>fumeur</resolved>, sans autre antécédent.",
    "Patient de 60 ans, <active>fumeur</active> actif.",
    # the organ removed for the disease
    "Antécédents de thyroïdectomie totale en 2010 pour un <resolved>goitre</resolved> multinodulaire.",
    "Il a subi une néphrectomie droite en raison d'une <resolved>lithiase rénale</resolved>.",
    # an episode dated long before the report's last date is over
    "En mars 2010, admission pour une <resolved>occlusion intestinale</resolved> opérée en urgence. En juin 2015, la "
    "patiente consulte pour une fatigue.",
    # an episode followed by the patient's recovery is over; without it, it is current
    "Le 3 mai 2019, elle est hospitalisée pour une <resolved>septicémie</resolved>. Sous antibiotiques, "
    "l'évolution a été favorable.",
    "Le 3 mai 2019, elle est hospitalisée pour une <active>septicémie</active>. Un traitement antibiotique est débuté.",
    # a chronic disease dated long ago is not over
    "<active>Diabète de type 2</active> diagnostiqué en 2005. En 2019, bilan annuel.",
    # conservative on cancers: an operated cancer stays active unless the text says remission
    "Elle a été opérée d'un <active>adénocarcinome du côlon</active> en 2010.",
    "Il présente un <remission>lymphome non hodgkinien</remission> en rémission complète depuis 2015.",
    "Antécédents d'<resolved>adénocarcinome du côlon</resolved> traité par chirurgie en 2001.",
    # a past diagnosis still treated is current; a cancer also named as current is not past
    "Antécédents de <active>carcinome canalaire infiltrant du sein</active> sous tamoxifène.",
    "Antécédents de <active>lymphome non hodgkinien</active>. En 2019, le lymphome non hodgkinien progresse.",
    # the scope of a resolution stops at the next item of an enumeration
    "Le scanner montre une disparition de l'<resolved>hématurie</resolved> et une diminution des <active>métastases "
    "hépatiques</active>.",
    # a list of diagnostic possibilities is a differential; a suspicion is provisional
    "Compte tenu des possibilités de diagnostic (<diff>septicémie</diff> ou <diff>pneumopathie</diff>), une "
    "antibiothérapie est débutée.",
    "Scanner montrant des <prov>adénopathies</prov> dans la chaîne iliaque, suspectes de malignité.",
]


@pytest.mark.parametrize("marked", CASES)
def test_status(marked: str) -> None:
    text, expected = parse(marked)
    conds = conditions(text)
    for start, end, tag in expected:
        c = citing(conds, start, end)
        if tag in VERIFICATION:
            assert c["verificationStatus"]["coding"][0]["code"] == VERIFICATION[tag], text[start:end]
        else:
            assert c["verificationStatus"]["coding"][0]["code"] == "confirmed", text[start:end]
            assert c["clinicalStatus"]["coding"][0]["code"] == tag, text[start:end]


def test_a_cancer_named_again_after_its_remission_is_active() -> None:
    text = (
        "En 2012, rémission complète de son lymphome non hodgkinien. En 2016, le scanner montre que le lymphome non "
        "hodgkinien a progressé."
    )
    (c,) = [c for c in conditions(text) if c["code"]["text"].startswith("lymphome")]
    assert c["clinicalStatus"]["coding"][0]["code"] == "active"


def test_two_episodes_a_year_apart_are_two_conditions_with_their_own_course() -> None:
    text = (
        "En 2011, occlusion intestinale sur brides, opérée. En août 2015, le scanner montre une occlusion "
        "intestinale due à une masse pelvienne."
    )
    occlusions = sorted(
        (c.get("onsetDateTime"), c["clinicalStatus"]["coding"][0]["code"])
        for c in conditions(text)
        if c["code"]["text"].startswith("occlusion")
    )
    assert occlusions == [("2011", "resolved"), ("2015-08", "active")]


def test_abatement_is_the_date_of_the_sentence_that_ends_the_disease() -> None:
    text = "Le 2 mars 2015, hématurie macroscopique. En janvier 2016, disparition de l'hématurie."
    (c,) = [c for c in conditions(text) if c["code"]["text"].startswith("hématurie")]
    assert c["clinicalStatus"]["coding"][0]["code"] == "resolved"
    assert c["onsetDateTime"] == "2015-03-02"
    assert c["abatementDateTime"] == "2016-01"


def test_a_recurrence_written_as_its_own_finding_leaves_the_primary_active() -> None:
    text = (
        "En novembre 2011, diagnostic d'un adénocarcinome gastrique antral. En novembre 2013, la patiente a subi une "
        "récidive locale. En mai 2015, récidive ovarienne bilatérale d'adénocarcinome gastrique."
    )
    conds = conditions(text)
    primary = citing(conds, text.index("adénocarcinome"), text.index("adénocarcinome") + 5)
    assert primary["clinicalStatus"]["coding"][0]["code"] == "active"
    local = citing(conds, text.index("récidive locale"), text.index("récidive locale") + 8)
    assert local["clinicalStatus"]["coding"][0]["code"] == "recurrence"
    assert local["onsetDateTime"] == "2013-11"


def test_a_recurrence_at_a_new_site_starts_when_the_recurrence_is_written() -> None:
    text = (
        "En avril 2009, résection d'une tumeur stromale gastro-intestinale. En avril 2012, des métastases ont été "
        "réséquées. En juin 2016, la patiente a présenté une nouvelle rechute au niveau sacré."
    )
    conds = conditions(text)
    at = text.index("rechute")
    assert citing(conds, at, at + 7).get("onsetDateTime") == "2016-06"


@pytest.mark.parametrize(
    "row, table", [("{system: cim10, code: Z99.99}", "cim10.csv"), ("{system: finding, code: abcèss}", "findings.csv")]
)
def test_an_episodic_row_naming_an_unknown_code_is_refused_with_file_and_line(
    tmp_path: Path, row: str, table: str
) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "assertions.yaml").write_text(
        f"meta: {{source: t, version: 1, licence: CC0}}\nepisodic:\n  - {row}\n", encoding="utf-8"
    )
    with pytest.raises(MappingError) as err:
        load_mappings(overlay)
    assert "assertions.yaml:3" in str(err.value) and table in str(err.value)


def test_an_overlay_episodic_row_makes_its_disease_end(tmp_path: Path) -> None:
    text = "Le 3 mai 2019, il est hospitalisé pour une cholécystite. L'évolution a été favorable."
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "assertions.yaml").write_text(
        "meta: {source: t, version: 1, licence: CC0}\nepisodic:\n  - {system: cim10, code: K81}\n", encoding="utf-8"
    )
    before = [c for c in conditions(text) if c["code"]["text"] == "cholécystite"]
    after = [
        e["resource"]
        for e in fhirconv.convert(text, mappings_dir=overlay).data["entry"]
        if e["resource"]["resourceType"] == "Condition" and e["resource"]["code"]["text"] == "cholécystite"
    ]
    assert [c["clinicalStatus"]["coding"][0]["code"] for c in before] == ["active"]
    assert [c["clinicalStatus"]["coding"][0]["code"] for c in after] == ["resolved"]


@pytest.mark.parametrize(
    ("text", "clinical", "onset", "abatement"),
    [
        # an apposition after a comma puts the disease in remission, from the date it gives
        ("Lymphome en 2015, en rémission complète depuis 2017.", "remission", "2015", "2017"),
        # the date after an ending cue is when the disease or the habit ended, not when it began
        ("Tabagisme sevré en 2015.", "resolved", None, "2015"),
    ],
)
def test_an_ending_cue_and_its_date(text: str, clinical: str, onset: str | None, abatement: str | None) -> None:
    (cond,) = [
        e["resource"] for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == "Condition"
    ]
    assert cond["clinicalStatus"]["coding"][0]["code"] == clinical
    assert (cond.get("onsetDateTime"), cond.get("abatementDateTime")) == (onset, abatement)


def test_a_remission_named_for_another_disease_does_not_reach_back() -> None:
    text = "Patient en rémission d'un lymphome, présente un zona."
    status = {
        e["resource"]["code"]["text"]: e["resource"]["clinicalStatus"]["coding"][0]["code"]
        for e in fhirconv.convert(text).data["entry"]
        if e["resource"]["resourceType"] == "Condition"
    }
    assert status == {"lymphome": "remission", "zona": "active"}


def test_a_remission_stated_alone_is_the_named_cancers() -> None:
    text = "Cancer du sein traité en 2010. Rémission complète en juin 2012."
    (cond,) = [
        e["resource"] for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == "Condition"
    ]
    assert cond["clinicalStatus"]["coding"][0]["code"] == "remission"
    assert cond["abatementDateTime"] == "2012-06"
    # the words are the evidence of the status, not a mention of the cancer
    paths = {text[s:e]: p for s, e, p in spans(cond, with_path=True) if p == "Condition.clinicalStatus"}
    assert paths == {"Rémission complète": "Condition.clinicalStatus"}


def test_with_no_cancer_a_remission_stated_alone_is_the_chronic_disease_just_named() -> None:
    text = "Maladie de Crohn traitée par infliximab. Rémission complète depuis 2019. Hypertension artérielle."
    status = {
        e["resource"]["code"]["text"]: (
            e["resource"]["clinicalStatus"]["coding"][0]["code"],
            e["resource"].get("abatementDateTime"),
        )
        for e in fhirconv.convert(text).data["entry"]
        if e["resource"]["resourceType"] == "Condition"
    }
    assert status == {"Maladie de Crohn": ("remission", "2019"), "Hypertension artérielle": ("active", None)}


@pytest.mark.parametrize(
    "text",
    ["Lymphome traité par R-CHOP. Réponse partielle.", "Pneumopathie traitée par amoxicilline. Rémission complète."],
)
def test_a_partial_response_or_a_remission_of_an_episodic_disease_changes_no_status(text: str) -> None:
    conds = [
        e["resource"] for e in fhirconv.convert(text).data["entry"] if e["resource"]["resourceType"] == "Condition"
    ]
    assert [c["clinicalStatus"]["coding"][0]["code"] for c in conds] == ["active"]


@pytest.mark.parametrize(
    "text",
    [
        "Adénocarcinome du poumon. Cytologie du liquide pleural négative pour les cellules malignes.",
        "Carcinome canalaire infiltrant du sein. Absence de cellules néoplasiques dans le ganglion sentinelle.",
        "Lymphome de Hodgkin. La ponction lombaire ne montrait pas de cellules tumorales.",
    ],
)
def test_a_sample_free_of_tumour_cells_is_no_condition(text: str) -> None:
    """A negative sample is a result: neither a refuted tumour beside the patient's cancer nor evidence of it."""
    cells = text.index("cellules")
    conditions = [e["resource"] for e in fhirconv.convert(text).data["entry"]]
    conditions = [r for r in conditions if r["resourceType"] == "Condition"]
    assert [r["verificationStatus"]["coding"][0]["code"] for r in conditions] == ["confirmed"]
    assert all(not (s <= cells < e) for r in conditions for s, e in _spans(r)), conditions


def test_tumour_cells_found_in_a_sample_stay_evidence() -> None:
    text = "Présence de cellules malignes dans le liquide d'ascite."
    conditions = [e["resource"] for e in fhirconv.convert(text).data["entry"]]
    cited = [
        (r["verificationStatus"]["coding"][0]["code"], _spans(r))
        for r in conditions
        if r["resourceType"] == "Condition"
    ]
    assert ("confirmed", [(12, 29)]) in cited, cited
