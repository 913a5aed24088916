"""`fhirconv convert --jobs N`: same bytes as one process, input order kept, a bad report does not stop the batch;
the progress bar draws only on a terminal and never with --quiet."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import fhirconv
import fhirconv.parallel
from fhirconv.cli import main
from fhirconv.parallel import _MAX_CHUNK, BatchOptions, Report, _chunk_size, convert_reports
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


# --- the workers read, convert and write themselves: their failures are still named, and leave no file ------------


def test_chunks_shrink_to_one_report_at_the_end() -> None:
    sizes, start = [], 1
    while start < 1200:
        sizes.append(_chunk_size(1200 - start, 2))
        start += sizes[-1]
    assert sizes[0] == _MAX_CHUNK and sizes[-1] == 1 and sizes == sorted(sizes, reverse=True)
    assert len(sizes) < 1200 // 8  # few round trips
    assert _chunk_size(2, 8) == 1


def test_worker_write_failure_fails_that_report_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = _batch(tmp_path / "in")
    real_replace = os.replace

    def replace(a: str | Path, b: str | Path) -> None:
        if Path(b).name == "1_short.json" or Path(b).name.startswith("2_"):
            raise OSError(28, "No space left on device")
        real_replace(a, b)

    (tmp_path / "in" / "1_short.txt").write_text("Femme de 40 ans, asthme.", encoding="utf-8")
    monkeypatch.setattr("fhirconv.io.os.replace", replace)  # inherited by the forked workers
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["convert", str(tmp_path / "in"), "-o", str(out), "-j", "2"])
    assert res.exit_code == 1, res.output
    failed = [line.removeprefix("fhirconv: failed: ") for line in res.stderr.splitlines() if "failed: " in line]
    written = {p.name for p in out.iterdir()}  # no temporary file left by a worker, nothing for a failed report
    bad = ("1_binary.txt", "1_empty.txt", "1_short.txt")
    expected_failed = [p for p in sorted(tmp_path.glob("in/*.txt")) if p.name in bad or p.name.startswith("2_")]
    # in input order, each named with its reason
    assert [f.split(": ")[0] for f in failed] == [str(p) for p in expected_failed]
    assert failed[0].endswith("binary file (NUL bytes), not a text report")
    assert failed[2].endswith("1_short.txt: cannot write output (No space left on device)")
    assert written == {f"{p.stem}.json" for p in inputs if p not in expected_failed and p.name != "1_short.txt"}
    assert len(written) == 6


def _twelve(src: Path, marked: tuple[int, ...], mark: str) -> list[str]:
    """Twelve short reports r00 .. r11 in ``src``; those at the ``marked`` indexes end with ``mark`` (what a patched
    ``convert`` reacts to)."""
    src.mkdir()
    names = [f"r{i:02d}" for i in range(12)]
    for i, name in enumerate(names):
        (src / f"{name}.txt").write_text(
            f"Homme de {40 + i} ans, asthme.{mark if i in marked else ''}", encoding="utf-8"
        )
    return names


def _failed(res: Result) -> list[str]:
    """What the CLI said of each failed report, in order (``<input>: <reason>``)."""
    return [line.split("failed: ")[1] for line in res.stderr.splitlines() if "failed: " in line]


def test_internal_error_in_a_worker_is_named_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    names = _twelve(src, (0, 5, 11), " BOOM.")
    real = fhirconv.parallel.convert

    def convert(text: str, **kw: object) -> fhirconv.ConversionResult:
        if "BOOM" in text:
            raise ZeroDivisionError("simulated bug")
        return real(text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("fhirconv.parallel.convert", convert)  # the parent's first report and the workers'
    res = CliRunner().invoke(main, ["convert", str(src), "-o", str(tmp_path / "out"), "-j", "2"])
    assert res.exit_code == 1
    failed = _failed(res)
    assert [line.split(":")[0] for line in failed] == [str(src / f"{n}.txt") for n in ("r00", "r05", "r11")]
    assert all("internal error, please report it: ZeroDivisionError at test_parallel.py:" in line for line in failed)
    assert {p.name for p in (tmp_path / "out").iterdir()} == {
        f"{n}.json" for n in names if n not in ("r00", "r05", "r11")
    }


def test_convert_reports_on_workers_writes_files_and_keeps_order(tmp_path: Path) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    reports = [Report(f"r{i}", f"<r{i}>", text=text if i != 3 else " ", output_name=f"out{i}") for i in range(7)]
    out = tmp_path / "out"
    outcomes = list(convert_reports(reports, BatchOptions(out_dir=str(out)), open, jobs=2))
    assert [o.report.report_id for o in outcomes] == [f"r{i}" for i in range(7)]
    assert [o.content for o in outcomes] == ["", "", "", None, "", "", ""]  # "": written by the worker
    assert "empty report" in (outcomes[3].error or "") and outcomes[0].counts["DocumentReference"] == 1
    assert sorted(p.name for p in out.iterdir()) == [f"out{i}.json" for i in range(7) if i != 3]
    one = list(convert_reports(reports[:1], BatchOptions(), open, jobs=1))[0].content
    assert (out / "out0.json").read_text(encoding="utf-8") == one


# --- a helper process that dies fails the reports it held, not the batch (a pool would wait for them forever) ------


def test_a_helper_that_dies_fails_its_reports_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in"
    names = _twelve(src, (0,), " CRASH.")
    real, parent = fhirconv.parallel.convert, os.getpid()

    def convert(text: str, **kw: object) -> fhirconv.ConversionResult:
        if "CRASH" in text and os.getpid() != parent:
            os._exit(3)  # as a helper killed by the system, or crashed in a C extension
        return real(text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("fhirconv.parallel.convert", convert)
    res = CliRunner().invoke(main, ["convert", str(src), "-o", str(tmp_path / "out"), "-j", "2"])
    assert res.exit_code == 1
    failed = _failed(res)
    # the helper is handed reports 0 and 1 before anything is converted and dies on the first: both are lost
    assert failed == [
        f"{src / n}.txt: the worker process converting it stopped (exit code 3): convert it again" for n in names[0:2]
    ]
    assert {p.name for p in (tmp_path / "out").iterdir()} == {f"{n}.json" for n in names if n not in names[0:2]}


def test_spawned_helpers_give_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # macOS and Windows have no fork: the helpers are new interpreters that load the tables and get the reports
    inputs = _batch(tmp_path / "in")
    outs = {}
    for jobs in ("1", "2"):
        if jobs == "2":
            monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["spawn"])
        out = tmp_path / f"out{jobs}"
        res = CliRunner().invoke(main, ["convert", str(tmp_path / "in"), "-o", str(out), "-q", "-j", jobs])
        assert res.exit_code == 1 and res.stderr.count("failed: ") == 2
        outs[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert outs["1"] == outs["2"] and len(outs["2"]) == len(inputs) - 2
