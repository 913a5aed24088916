"""`fhirconv coverage`: unmapped mentions and uncovered phrases after cues, counted over a folder of reports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from fhirconv.cli import main
from fhirconv.coverage import coverage, coverage_csv, coverage_json, format_coverage
from fhirconv.tables import load_mappings

HEADER = "# source: test\n# version: 1\n# licence: CC0\n"
REPORTS = {
    "a": "Homme de 50 ans. Pas de zorglubisme aiguë, sans fièvre. Dosage du zorglub : 12.",
    "b": "Femme de 40 ans. Absence de zorglubisme aiguë. Dosage du zorglub normal.",
    "c": "Homme de 70 ans. Suspicion de zorglubisme chronique.",
}


def _overlay(tmp_path: Path) -> Path:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "observations.csv").write_text(
        HEADER + "term,loinc,display,category,unit\ndosage du zorglub,,,laboratory,mg/L\n", encoding="utf-8"
    )
    return folder


def test_counts_unmapped_and_candidates(tmp_path: Path) -> None:
    report = coverage(REPORTS.items(), mappings=load_mappings(_overlay(tmp_path)))
    assert report.reports == 3 and report.failed == []
    [u] = report.unmapped
    assert (u.kind, u.count, sorted(u.reports)) == ("Observation", 2, ["a", "b"])
    assert u.text == "Dosage du zorglub" and "without LOINC" in u.reason
    by_text = {c.text: c for c in report.candidates}
    acute = by_text["zorglubisme aiguë"]
    assert acute.count == 2 and acute.kind == "negation" and sorted(acute.reports) == ["a", "b"]
    assert by_text["zorglubisme chronique"].kind == "hypothesis"
    assert report.candidates[0] is acute  # most frequent first
    assert "fièvre" not in by_text  # covered by a table row: not a candidate
    assert acute.examples[0].startswith("a: ...") and "Pas de zorglubisme aiguë" in acute.examples[0]


def test_a_table_row_removes_the_candidate(tmp_path: Path) -> None:
    folder = _overlay(tmp_path)
    (folder / "conditions.csv").write_text(
        HEADER + "term,cim10,display\nzorglubisme aiguë,E14,Diabète sucré\n", encoding="utf-8"
    )
    report = coverage(REPORTS.items(), mappings=load_mappings(folder))
    assert "zorglubisme aiguë" not in {c.text for c in report.candidates}
    assert "zorglubisme chronique" in {c.text for c in report.candidates}


def test_outputs_and_cli_goes_on_past_a_bad_report(tmp_path: Path) -> None:
    tables = _overlay(tmp_path)
    report = coverage(REPORTS.items(), mappings=load_mappings(tables))
    rows = list(csv.DictReader(io.StringIO(coverage_csv(report))))
    assert {r["list"] for r in rows} == {"unmapped", "candidate"}
    assert next(r for r in rows if r["text"] == "zorglubisme aiguë")["count"] == "2"
    data = json.loads(coverage_json(report))
    assert data["reports"] == 3 and len(data["entries"]) == len(rows)
    assert "2 unmapped mentions (1 distinct)" in format_coverage(report)

    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01binary")
    out_csv, out_json = tmp_path / "cov.csv", tmp_path / "cov.json"
    res = CliRunner().invoke(
        main,
        [
            "coverage",
            str(folder),
            "--mappings",
            str(tables),
            "--csv",
            str(out_csv),
            "--json",
            str(out_json),
            "--top",
            "1",
        ],
    )
    assert res.exit_code == 1, res.output
    assert "3 report(s), 1 failed" in res.stdout and "bad.txt" in res.stdout and "binary file" in res.stdout
    assert "'zorglubisme aiguë'" in res.stdout and "more (--top" in res.stdout
    assert out_csv.read_text(encoding="utf-8").startswith("list,kind,text,count")
    assert json.loads(out_json.read_text(encoding="utf-8"))["failed"][0]["report"].endswith("bad.txt")


def test_uncovered_diagnosis_line_is_a_candidate() -> None:
    text = "Homme de 50 ans.\nDiagnostic\nZorglubisme du colibri.\nDiabète de type 2.\n"
    report = coverage([("r", text)])
    [c] = report.candidates  # the diabetes line is covered by a table row
    assert (c.kind, c.text, c.count) == ("diagnosis-section", "Zorglubisme du colibri", 1)
