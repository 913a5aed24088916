"""`fhirconv convert --jobs N`: same bytes as one process, input order kept, a bad report does not stop the batch;
the progress bar draws only on a terminal and never with --quiet."""

from __future__ import annotations

import io
import json
from pathlib import Path

from click.testing import CliRunner

import fhirconv
from fhirconv.cli import main
from fhirconv.parallel import BatchOptions, Report, convert_reports
from fhirconv.progress import Progress

from .conftest import FIXTURES, SEEDS


def _batch(folder: Path) -> list[Path]:
    """The seeds under several names, a text of our own, and two bad inputs in the middle of the batch."""
    folder.mkdir()
    for i in range(3):
        for p in SEEDS:
            (folder / f"{i}_{p.name}").write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "1_empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "1_binary.txt").write_bytes(b"\x00\x01\x02 not a report")
    (folder / "2_short.txt").write_text(
        "Homme de 70 ans, suivi pour un diabète de type 2 traité par metformine.", encoding="utf-8"
    )
    return sorted(folder.glob("*.txt"))


def test_jobs_give_the_same_files_as_one_process(tmp_path: Path) -> None:
    inputs = _batch(tmp_path / "in")
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        res = CliRunner().invoke(main, ["convert", str(tmp_path / "in"), "-o", str(out), "--jobs", jobs])
        assert res.exit_code == 1, res.output  # some failed, the others written
        assert "failed: " in res.stderr and "1_empty.txt" in res.stderr and "1_binary.txt" in res.stderr
        assert f"{len(inputs) - 2} report(s) converted, 2 failed" in res.stderr
        outs[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(outs["1"]) == sorted(
        f"{p.stem}.json" for p in inputs if "empty" not in p.name and "binary" not in p.name
    )
    assert outs["1"] == outs["2"]


def test_jobs_keep_input_order_on_stdout(tmp_path: Path) -> None:
    inputs = _batch(tmp_path / "in")
    lines = {}
    for jobs in ("1", "2", "0"):
        res = CliRunner().invoke(main, ["convert", str(tmp_path / "in"), "--format", "ndjson", "-q", "-j", jobs])
        assert res.exit_code == 1
        lines[jobs] = res.stdout.splitlines()
    assert lines["1"] == lines["2"] == lines["0"]
    ids = [json.loads(line)["id"] for line in lines["2"]]
    expected = [
        fhirconv.convert(p.read_text(encoding="utf-8"), report_id=p.stem).data["id"]
        for p in inputs
        if "empty" not in p.name and "binary" not in p.name
    ]
    assert ids == expected and len(set(ids)) == 10  # bundle ids come from the report ids (file names)


def test_convert_reports_yields_errors_as_outcomes() -> None:
    reports = [
        Report("a", "<a>", text=SEEDS[0].read_text(encoding="utf-8")),
        Report("b", "<b>", text=" "),
        Report("c", "<c>", path=FIXTURES / "missing.txt"),
    ]

    def reader(path: Path) -> str:
        from fhirconv.errors import InputError

        raise InputError(f"{path}: cannot read")

    outcomes = list(convert_reports(reports, BatchOptions(fmt="ndjson"), reader, jobs=1))
    assert [o.report.report_id for o in outcomes] == ["a", "b", "c"]
    assert outcomes[0].content is not None and outcomes[0].content.endswith("\n")
    assert outcomes[0].counts["DocumentReference"] == 1
    assert outcomes[1].content is None and "empty report" in (outcomes[1].error or "")
    assert outcomes[2].content is None and "cannot read" in (outcomes[2].error or "")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_only_on_a_terminal() -> None:
    tty, pipe = _Tty(), io.StringIO()
    for stream in (tty, pipe):
        with Progress(4, stream=stream) as bar:
            for i in range(4):
                bar.advance(failed=i == 2)
    assert pipe.getvalue() == ""
    drawn = tty.getvalue()
    assert "4/4 reports, 1 failed" in drawn and "[" + "#" * 24 + "]" in drawn
    assert drawn.endswith("\r\x1b[K")  # erased at the end, the summary starts on a clean line


def test_progress_line_counts() -> None:
    bar = Progress(10, stream=io.StringIO())
    bar.advance(5)
    assert bar.line().startswith("[" + "#" * 12 + "." * 12 + "] 5/10 reports ")


def test_quiet_prints_nothing_on_stderr(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["convert", str(FIXTURES), "-o", str(tmp_path), "-q", "-j", "2"])
    assert res.exit_code == 0 and res.stderr == ""
    assert len(list(tmp_path.glob("*.json"))) == len(SEEDS)


def test_bulk_export_is_the_same_with_jobs(tmp_path: Path) -> None:
    _batch(tmp_path / "in")
    files = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"bulk{jobs}"
        res = CliRunner().invoke(
            main, ["convert", str(tmp_path / "in"), "-o", str(out), "--format", "bulk", "-j", jobs]
        )
        assert res.exit_code == 1, res.output  # the two bad inputs
        files[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "Patient.ndjson" in files["1"] and "Condition.ndjson" in files["1"]
    assert files["1"] == files["2"]
