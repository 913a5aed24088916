"""`fhirconv explain`: rows, cues, dates, values, unmapped words and resulting resources, per sentence."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from fhirconv.cli import main
from fhirconv.explain import explain, format_explanation
from fhirconv.tables import load_mappings

from .conftest import SEEDS

HEADER = "# source: test\n# version: 1\n# licence: CC0\n"


def _builtin_line(where: str) -> str:
    table, line = where.rsplit(":", 1)
    return (
        (Path(__file__).resolve().parent.parent / "mappings" / table)
        .read_text(encoding="utf-8")
        .splitlines()[int(line) - 1]
    )


def test_negated_disease_shows_row_cue_and_refuted_condition() -> None:
    e = explain("Patiente de 60 ans. Pas de diabète.")
    [sentence] = [s for s in e.sentences if "diabète" in s.text]
    [m] = [m for m in sentence.mentions if m.text == "diabète"]
    assert m.kind == "condition"
    assert "diabète" in _builtin_line(m.rows[0]).lower()  # the row cited is the one that holds the term
    [(kind, cue, rule)] = m.qualifiers
    assert (kind, cue) == ("negation", "Pas de")
    assert rule.startswith("assertions.yaml:") and "pas" in _builtin_line(rule)
    [res] = sentence.resources
    assert res.resource_type == "Condition" and "verificationStatus=refuted" in res.status
    assert m.resources == [f"Condition/{res.id}"]
    assert any(c.startswith("cim10=E1") for c in m.codes)


def test_values_dates_and_rendering() -> None:
    text = "Le 12/03/2015, Hb 10,2 g/dl. Traitement par metformine 1000 mg."
    e = explain(text)
    hb = next(m for s in e.sentences for m in s.mentions if m.text == "Hb")
    assert any(v.startswith("quantity 10.2 g/dL") for v in hb.values)
    assert hb.date == "2015-03-12" and hb.date_source is not None and hb.date_source.startswith("12/03/2015")
    obs = next(r for s in e.sentences for r in s.resources if r.resource_type == "Observation" and "718-7" in r.code)
    assert "value=10.2 g/dL" in obs.detail
    out = format_explanation(e)
    assert "observation  'Hb'" in out and "quantity 10.2 g/dL" in out and "=> Observation/" in out
    assert out.rstrip().splitlines()[-1].startswith("== ")


def test_unmapped_row_without_code_is_listed(tmp_path: Path) -> None:
    (tmp_path / "observations.csv").write_text(
        HEADER + "term,loinc,display,category,unit\ndosage du zorglub,,,laboratory,mg/L\n", encoding="utf-8"
    )
    e = explain("Dosage du zorglub : 12.", mappings=load_mappings(tmp_path))
    [sentence] = e.sentences
    assert sentence.unmapped and "'Dosage du zorglub'" in sentence.unmapped[0]
    [m] = [m for m in sentence.mentions if m.kind == "observation"]
    assert m.rows == [f"{tmp_path / 'observations.csv'}:5"]  # an overlay row is named by its own file


def test_cli_text_file_stdin_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["explain", "Sans fièvre. Pas de diabète."])
    assert res.exit_code == 0, res.output
    assert "negation <- cue 'Pas de'" in res.stdout
    res = runner.invoke(main, ["explain", str(SEEDS[0])])
    assert res.exit_code == 0, res.output
    assert "== section:" in res.stdout and "=> Condition/" in res.stdout
    res = runner.invoke(main, ["explain", "-", "--json"], input="Pas de diabète.")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    [m] = [m for s in data["sentences"] for m in s["mentions"] if m["text"] == "diabète"]
    assert m["qualifiers"][0][:2] == ["negation", "Pas de"]
    res = runner.invoke(main, ["explain", str(tmp_path / "missing.txt")])
    assert res.exit_code == 4 and "missing.txt: no such file" in res.stderr
    res = runner.invoke(main, ["explain", "   "])
    assert res.exit_code == 4 and "empty report" in res.stderr
