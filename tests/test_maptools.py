"""`fhirconv mappings check` / `stats` on the built-in tables and on overlays crafted by the tests."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fhirconv.cli import main
from fhirconv.maptools import check_tables, table_stats

HEADER = "# source: test\n# version: 1\n# licence: CC0\n"


def _overlay(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "overlay"
    folder.mkdir()
    for name, body in files.items():
        (folder / name.replace("_csv", ".csv").replace("_yaml", ".yaml")).write_text(body, encoding="utf-8")
    return folder


def _findings(report, category: str) -> list:
    return [f for f in report.findings if f.category == category]


def test_builtin_tables_have_no_conflict_or_unmatchable_row() -> None:
    report = check_tables()
    assert _findings(report, "conflict") == []
    assert _findings(report, "unmatchable") == []
    assert _findings(report, "override") == []  # only an overlay can override
    assert report.tables["medications.csv"][0] > 100


def test_overlay_conflict_override_shadowed_unmatchable(tmp_path: Path) -> None:
    folder = _overlay(
        tmp_path,
        # line 5: a drug row on a disease term -> conflict with conditions.csv
        # line 6: a term with a comma inside -> cannot match its own wording
        medications_csv=HEADER + 'term,atc,display\ndiabète,A10BA02,metformin\n"metformine, forte",A10BA02,metformin\n',
        # line 5: the built-in 'diabète' (E14) re-coded -> override, and the built-in row shadowed
        conditions_csv=HEADER + "term,cim10,display\ndiabète,E11,Diabète sucré de type 2\n",
        # a cue whose pattern repeats a built-in cue -> never fires (the built-in one wins the same span)
        assertions_yaml='meta: {source: test, version: "1", licence: CC0}\ncues:\n'
        '  - {kind: hypothesis, pattern: "\\\\bsans\\\\b"}\n',
    )
    report = check_tables(folder)
    med = str(folder / "medications.csv")
    cond = str(folder / "conditions.csv")

    [conflict] = _findings(report, "conflict")
    assert conflict.where == f"{med}:5" and conflict.overlay
    assert "conditions.csv" in conflict.message and "medication" in conflict.message

    [unmatchable] = _findings(report, "unmatchable")
    assert unmatchable.where == f"{med}:6" and "metformine, forte" in unmatchable.message

    [override] = _findings(report, "override")
    assert override.where == f"{cond}:5"
    assert "cim10=E11" in override.message and "cim10=E14" in override.message

    shadowed = {f.where: f.message for f in _findings(report, "shadowed")}
    builtin_diabete = next(w for w, msg in shadowed.items() if w.startswith("conditions.csv:"))
    assert shadowed[builtin_diabete] == f"replaced by the overlay row {cond}:5"
    assert any(w == f"{folder / 'assertions.yaml'}:3" and "\\bsans\\b" in msg for w, msg in shadowed.items())


def test_term_without_a_word_is_a_mapping_error(tmp_path: Path) -> None:
    folder = _overlay(tmp_path, medications_csv=HEADER + "term,atc,display\n++,A10BA02,metformin\n")
    res = CliRunner().invoke(main, ["mappings", "check", str(folder)])
    assert res.exit_code == 3
    assert f"{folder / 'medications.csv'}:5: term '++' has no word" in res.stderr


def test_check_cli_summary_and_strict(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["mappings", "check"])
    assert res.exit_code == 0, res.output
    assert "medications.csv" in res.stdout and res.stdout.rstrip().splitlines()[-1].startswith("ok: tables load;")
    folder = _overlay(tmp_path, conditions_csv=HEADER + "term,cim10,display\ndiabète,E11,Diabète sucré de type 2\n")
    res = CliRunner().invoke(main, ["mappings", "check", str(folder), "--strict"])
    assert res.exit_code == 1
    assert f"override: {folder / 'conditions.csv'}:5:" in res.stdout
    assert "1 override" in res.stdout


def test_stats_counts_rows_codes_and_headers(tmp_path: Path) -> None:
    folder = _overlay(tmp_path, medications_csv=HEADER + "term,atc,display\nzorglubine,A10BA02,metformin\n")
    base = {s.table: s for s in table_stats()}
    with_overlay = {s.table: s for s in table_stats(overlay=folder)}
    assert with_overlay["medications.csv"].rows == base["medications.csv"].rows + 1
    assert with_overlay["medications.csv"].overlay_rows == 1 and base["medications.csv"].overlay_rows == 0
    assert set(base["topography.csv"].codes) == {"ICD-O-3 topography", "CIM-10"}
    assert base["medications.csv"].codes["ATC"] > 100
    assert base["cim10.csv"].licence and base["cim10.csv"].source and base["cim10.csv"].version
    res = CliRunner().invoke(main, ["mappings", "stats", str(folder)])
    assert res.exit_code == 0, res.output
    assert "(1 from overlay)" in res.stdout and "codes: ATC" in res.stdout
    assert f"total: {sum(s.rows for s in with_overlay.values())} rows in {len(with_overlay)} tables" in res.stdout
