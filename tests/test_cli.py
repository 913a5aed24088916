"""The command line, through click's runner and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from fhirconv.cli import main

from .conftest import FIXTURES, SEEDS


def test_convert_folder_writes_one_file_per_report(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["convert", str(FIXTURES), "-o", str(tmp_path)])
    assert res.exit_code == 0, res.output
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{p.stem}.json" for p in SEEDS)
    bundle = json.loads((tmp_path / f"{SEEDS[0].stem}.json").read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    assert "3 report(s) converted, 0 failed" in res.stderr
    assert "MedicationStatement" in res.stderr


def test_xml_and_ndjson_formats(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["convert", str(SEEDS[0]), "-o", str(tmp_path), "--format", "xml"])
    assert res.exit_code == 0, res.output
    xml = (tmp_path / f"{SEEDS[0].stem}.xml").read_text(encoding="utf-8")
    assert xml.lstrip().startswith("<") and "<Bundle" in xml and 'xmlns="http://hl7.org/fhir"' in xml
    res = CliRunner().invoke(main, ["convert", str(FIXTURES), "--format", "ndjson", "-o", "-", "-q"])
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 3 and all(json.loads(line)["resourceType"] == "Bundle" for line in lines)


def test_stdin_and_options() -> None:
    res = CliRunner().invoke(
        main,
        ["convert", "-", "--fhir-version", "R5", "--bundle-type", "transaction", "-q"],
        input="Femme de 60 ans. Diagnostic : coagulation intravasculaire disséminée.",
    )
    assert res.exit_code == 0, res.output
    bundle = json.loads(res.stdout)
    assert bundle["type"] == "transaction"
    assert all(e["request"]["method"] == "PUT" for e in bundle["entry"])


def test_batch_goes_on_past_a_bad_report(tmp_path: Path) -> None:
    bad = tmp_path / "in" / "empty.txt"
    bad.parent.mkdir()
    bad.write_text("   \n", encoding="utf-8")
    (tmp_path / "in" / "good.txt").write_text("Homme de 70 ans. Hb 10,2 g/dl.", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["convert", str(tmp_path / "in"), "-o", str(out)])
    assert res.exit_code == 1
    assert [p.name for p in out.iterdir()] == ["good.json"]  # nothing written for the bad one, no temp file left
    assert "failed:" in res.stderr and "empty.txt" in res.stderr and "empty report" in res.stderr


def test_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["convert", str(tmp_path / "nope.txt"), "-o", str(tmp_path)])
    assert res.exit_code == 4
    assert "nope.txt: cannot read" in res.stderr
    assert "Traceback" not in res.output


def test_bad_overlay_table_exit_code(tmp_path: Path) -> None:
    (tmp_path / "medications.csv").write_text(
        "# source: x\n# version: 1\n# licence: CC0\nterm,atc,display\nfoo,L01XE04X,bad\n", encoding="utf-8"
    )
    res = CliRunner().invoke(main, ["convert", str(SEEDS[0]), "--mappings", str(tmp_path)])
    assert res.exit_code == 3
    assert "medications.csv:5" in res.stderr


def test_python_dash_m_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "fhirconv", "convert", str(SEEDS[2]), "-q"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["resourceType"] == "Bundle"
