"""The evaluation command on a small corpus written here (the shared corpora are not needed)."""

from __future__ import annotations

import json

from click.testing import CliRunner

import fhirconv
from fhirconv.cli import main
from fhirconv.evaluate import _predictions, evaluate_corpus


def _doc(doc_id: str, text: str, mentions: list[tuple[str, str, str, list[tuple[str, str]], dict]]) -> dict:
    out = []
    for i, (label, fhir, words, codes, attrs) in enumerate(mentions):
        start = text.index(words)
        out.append(
            {
                "id": f"T{i}",
                "label": label,
                "fhir": fhir,
                "start": start,
                "end": start + len(words),
                "spans": [[start, start + len(words)]],
                "text": words,
                "codes": [{"system": s, "code": c} for s, c in codes],
                "attrs": attrs,
            }
        )
    return {
        "corpus": "mini",
        "doc_id": doc_id,
        "split": "dev",
        "text": text,
        "meta": {},
        "mentions": out,
        "relations": [],
    }


def _corpus(tmp_path) -> str:
    m = "ICD-O-3-morphology"
    docs = [
        _doc(
            "d1",
            "Biopsie : adénocarcinome gastrique. Présence d'une masse.",
            [
                ("morpho", "Condition.code", "adénocarcinome", [(m, "8140/3")], {}),
                ("morpho", "Condition.code", "masse", [(m, "8000/1")], {}),  # unspecific: not in document codes
            ],
        ),
        _doc(
            "d2",
            "Patiente diabétique, sans hypertension artérielle. Un mélanome a été retiré.",
            [
                ("disease", "Condition.code", "diabétique", [], {}),
                ("disease", "Condition.code", "hypertension artérielle", [], {"negated": True}),
                ("disease", "Condition.code", "retiré", [], {}),  # nothing there: a miss
            ],
        ),
    ]
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    return str(path)


def test_scores(tmp_path) -> None:
    report = evaluate_corpus(_corpus(tmp_path))
    assert report.documents == 2 and not report.failed
    disease = report.scores["mentions:disease"]
    # found: diabétique, hypertension artérielle (refuted Condition); missed: "retiré"
    assert (disease.gold, disease.found) == (3, 2)
    assert disease.misses == {"retiré": 1}
    # the mélanome is a Condition the gold does not annotate: a false positive
    assert disease.false_positives["mélanome"] == 1
    assert disease.predicted == 3 and disease.correct == 2
    doc = report.scores["document-codes:morpho:icd-o-3"]
    assert (doc.gold, doc.found) == (1, 1)  # 8140/3 only; 8000/1 left out
    assert report.scores["code:morpho:icd-o-3"].found == 1
    neg = report.scores["assertion:negated"]
    assert (neg.gold, neg.found) == (1, 1)


def test_cli_prints_the_table_and_rejects_bad_files(tmp_path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["eval", _corpus(tmp_path)])
    assert ok.exit_code == 0, ok.output
    assert "mentions:disease" in ok.output and "missed" in ok.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\nnot json\n', encoding="utf-8")
    res = runner.invoke(main, ["eval", str(bad)])
    assert res.exit_code == 4
    assert "bad.jsonl:1" in res.output


def test_a_stage_is_scored_on_the_staging_observations_of_condition_stage(tmp_path) -> None:
    # Condition.stage references the TNM Observation: the gold TNM words are found through it; a Condition without a
    # stage predicts no stage; FRACCO's placeholder code "todelete" is not compared
    m = "ICD-O-3-morphology"
    text = (
        "Un adénocarcinome gastrique classé pT3N1M0 a été opéré. "
        "Un second patient a un mélanome de la cuisse, sans autre précision."
    )
    doc = _doc("d3", text, [("stadeTNM", "Condition.stage", "pT3N1M0", [(m, "todelete")], {})])
    path = tmp_path / "stage.jsonl"
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    report = evaluate_corpus(str(path))
    stage = report.scores["mentions:stadeTNM"]
    assert (stage.gold, stage.found, stage.predicted, stage.correct) == (1, 1, 1, 1)
    assert "code:stadeTNM:icd-o-3" not in report.scores


def test_a_metastasis_counts_its_histology_only_when_its_own_words_name_it(tmp_path) -> None:
    m = "ICD-O-3-morphology"
    docs = [
        _doc(
            "named",
            "Adénocarcinome du côlon. Biopsie hépatique : adénocarcinome métastatique.",
            [
                ("morpho", "Condition.code", "Adénocarcinome", [(m, "8140/3")], {}),
                ("morpho", "Condition.code", "adénocarcinome métastatique", [(m, "8140/6")], {}),
            ],
        ),
        _doc(
            "inherited",
            "Adénocarcinome du côlon. Métastases pulmonaires.",
            [
                ("morpho", "Condition.code", "Adénocarcinome", [(m, "8140/3")], {}),
                ("morpho", "Condition.code", "Métastases", [(m, "8000/6")], {}),
            ],
        ),
    ]
    path = tmp_path / "meta.jsonl"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n", encoding="utf-8")
    doc = evaluate_corpus(str(path)).scores["document-codes:morpho:icd-o-3"]
    # named: 8140/3 and 8140/6 both found; inherited: the lung metastasis's 8140/6 restates the primary, not counted
    assert (doc.gold, doc.found, doc.predicted) == (3, 3, 3)


def test_the_stricter_document_reading_counts_every_code_of_the_bundle(tmp_path) -> None:
    m = "ICD-O-3-morphology"
    doc = _doc(
        "inherited",
        "Adénocarcinome du côlon. Métastases pulmonaires.",
        [
            ("morpho", "Condition.code", "Adénocarcinome", [(m, "8140/3")], {}),
            ("morpho", "Condition.code", "Métastases", [(m, "8000/6")], {}),
        ],
    )
    path = tmp_path / "every.jsonl"
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    scores = evaluate_corpus(str(path)).scores
    assert scores["document-codes:morpho:icd-o-3"].predicted == 1
    every = scores["document-codes-every:morpho:icd-o-3"]
    # the lung metastasis restating 8140/6 is charged here: a false positive against the gold's 8000/6 (left out)
    assert (every.gold, every.found, every.predicted) == (1, 1, 2)
    assert every.false_positives == {"8140/6": 1}


def test_each_condition_of_a_relative_is_a_prediction_of_its_own() -> None:
    """One FamilyMemberHistory of a father with a cancer and hypertension: two predictions, each with its span and
    its codes (the hypertension's words are not an ICD-O-3 coded mention)."""
    text = "Le père, décédé d'un cancer du côlon, était hypertendu."
    res = fhirconv.convert(text)
    preds = [p for p in _predictions(res.data, res.mentions) if p.type == "FamilyMemberHistory"]
    got = [(text[p.mains[0][0] : p.mains[0][1]], sorted(c for v in p.codes.values() for c in v)) for p in preds]
    assert got == [("cancer du côlon", ["8000/3", "C18.9"]), ("hypertendu", ["I10"])]
    assert all(p.paths.get("FamilyMemberHistory.relationship") for p in preds)
