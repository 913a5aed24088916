"""The HTML evaluation report (``fhirconv eval --html``) on a small corpus written by the tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from fhirconv.cli import main
from fhirconv.eval_report import eval_report_html
from fhirconv.evaluate import evaluate_corpus

from .test_evaluate import _corpus, _doc


def _hostile_corpus(tmp_path: Path) -> str:
    text = "Patient de 40 ans. <script>alert(1)</script> Diagnostic : lymphome <b>agressif</b>, sans diabète."
    doc = _doc(
        "<d3>",
        text,
        [
            ("disease", "Condition.code", "<b>agressif</b>", [], {}),  # misses, one with markup
            ("disease", "Condition.code", "40 ans", [], {}),
        ],
    )
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(path)


def test_per_resource_type_scores(tmp_path: Path) -> None:
    report = evaluate_corpus(_corpus(tmp_path))
    types = report.by_resource_type()
    cond = types["Condition"]
    # disease: 3 gold, 2 found; morpho: 2 gold, both found ("masse" is cited as evidence of the adénocarcinome)
    disease, morpho = report.scores["mentions:disease"], report.scores["mentions:morpho"]
    assert (cond.gold, cond.found) == (disease.gold + morpho.gold, disease.found + morpho.found) == (5, 4)
    assert cond.predicted == disease.predicted + morpho.predicted
    assert set(types) == {"Condition"}
    # the miss keeps where it was: document, 60 characters before, the words, what follows
    assert disease.examples["retiré"] == [
        ("d2", "diabétique, sans hypertension artérielle. Un mélanome a été ", "retiré", ".")
    ]


def test_cli_writes_the_html_report(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "eval.html"
    res = CliRunner().invoke(main, ["eval", _corpus(tmp_path), _hostile_corpus(tmp_path), "--html", str(out)])
    assert res.exit_code == 0, res.output
    assert "type:Condition" in res.output  # per resource type in the terminal too
    page = out.read_text(encoding="utf-8")
    report = evaluate_corpus(_corpus(tmp_path))
    cond = report.by_resource_type()["Condition"]
    row = re.search(r"<tr><th scope=\"row\">Condition</th>(.*?)</tr>", page)
    assert row is not None
    assert f"{cond.recall:.1%}" in row.group(1) and f"{cond.precision:.1%}" in row.group(1)
    assert f"{cond.f1:.1%}" in row.group(1) and f">{cond.gold}<" in row.group(1)
    for name in report.scores:
        assert f'<th scope="row">{name}</th>' in page
    # worst misses and false positives with their context
    assert "<mark>retiré</mark>" in page and "<mark>mélanome</mark>" in page
    assert "hypertension artérielle. Un mélanome a été <mark>retiré</mark>." in page
    # the corpus text is escaped: no markup of it survives, the page has no script at all
    assert "<script" not in page and "<b>" not in page
    assert "&lt;b&gt;agressif&lt;/b&gt;" in page and "&lt;d3&gt;" in page
    # nothing to load: no URL in src/href, no url() or @import, and a CSP forbidding fetches
    assert not re.search(r"""(?:src|href)\s*=""", page)
    assert "url(" not in page and "@import" not in page and "default-src 'none'" in page


def test_top_limits_the_lists(tmp_path: Path) -> None:
    report = evaluate_corpus(_hostile_corpus(tmp_path))
    for top in (1, 2, 8):
        listed = eval_report_html([("mini.jsonl", report)], top=top).count('class="key"')
        assert listed == sum(
            min(top, len(sc.misses)) + min(top, len(sc.false_positives)) for sc in report.scores.values()
        )
    assert max(len(sc.misses) for sc in report.scores.values()) >= 2  # so top=1 did cut a list
