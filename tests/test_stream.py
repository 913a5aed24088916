"""The integration-engine API: convert_many from threads and processes, and the bulk-data NDJSON export."""

from __future__ import annotations

import json
import pickle
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

import fhirconv
from fhirconv.bulk import BulkWriter
from fhirconv.cli import main
from fhirconv.stream import convert_many

from .conftest import SEEDS


@pytest.fixture(scope="module")
def items() -> list[tuple[str | None, str]]:
    seeds: list[tuple[str | None, str]] = [(p.stem, p.read_text(encoding="utf-8")) for p in SEEDS]
    # a bad report in the middle: the stream says which one failed and goes on
    return [seeds[0], ("empty", "   \n"), *seeds[1:]]


def test_sequential_stream_equals_convert(items) -> None:
    results = list(convert_many(items, bundle_type="transaction"))
    assert [r.report_id for r in results] == [i for i, _ in items]
    assert [r.ok for r in results] == [True, False, True, True]
    bad = results[1]
    assert (bad.error_type, bad.exit_code, bad.bundle) == ("InputError", 4, None)
    assert "empty report" in (bad.error or "")
    for (report_id, text), r in zip(items, results, strict=True):
        if r.ok:
            assert r.bundle == fhirconv.convert(text, report_id=report_id, bundle_type="transaction").data
            assert sum(r.resource_counts.values()) == len(r.bundle["entry"])


@pytest.mark.parametrize("pool", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_parallel_stream_gives_the_same_results_in_order(items, pool) -> None:
    expected = list(convert_many(items))
    with pool(max_workers=3) as executor:
        results = list(convert_many(items * 3, executor=executor, max_pending=4))
    assert results == expected * 3
    assert pickle.loads(pickle.dumps(results)) == results


def test_stream_is_lazy_and_bounded(items) -> None:
    pulled = []

    def source():
        for item in items * 10:
            pulled.append(item[0])
            yield item

    with ThreadPoolExecutor(max_workers=2) as executor:
        stream = convert_many(source(), executor=executor, max_pending=3)
        first = next(stream)
        assert first.report_id == SEEDS[0].stem
        assert len(pulled) == 3  # only max_pending reports read ahead, not the 40
        stream.close()
    assert len(pulled) == 3


def test_bulk_export_one_file_per_type(tmp_path: Path, items) -> None:
    results = [r for r in convert_many(items) if r.ok]
    with BulkWriter(tmp_path / "out") as bulk:
        for r in results:
            bulk.add(r.bundle)
        bulk.add(results[0].bundle)  # the same report twice: its resources are not written twice
    expected = Counter(e["resource"]["resourceType"] for r in results for e in r.bundle["entry"])
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == sorted(f"{t}.ndjson" for t in expected)  # and no temporary folder left
    ids = {e["resource"]["id"] for r in results for e in r.bundle["entry"]}
    seen = set()
    for rtype, n in expected.items():
        lines = (tmp_path / "out" / f"{rtype}.ndjson").read_text(encoding="utf-8").splitlines()
        assert len(lines) == n == bulk.counts[rtype]
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == rtype
            seen.add(resource["id"])
    assert seen == ids


def test_failed_bulk_export_leaves_nothing(tmp_path: Path, items) -> None:
    (tmp_path / "Patient.ndjson").write_text("previous export\n", encoding="utf-8")
    bundle = next(r.bundle for r in convert_many(items[:1]))
    with pytest.raises(RuntimeError), BulkWriter(tmp_path) as bulk:
        bulk.add(bundle)
        raise RuntimeError("the engine stopped")
    assert [p.name for p in tmp_path.iterdir()] == ["Patient.ndjson"]
    assert (tmp_path / "Patient.ndjson").read_text(encoding="utf-8") == "previous export\n"


def test_cli_bulk_format(tmp_path: Path, items) -> None:
    res = CliRunner().invoke(main, ["convert", str(SEEDS[0].parent), "-o", str(tmp_path), "--format", "bulk", "-q"])
    assert res.exit_code == 0, res.output
    patients = (tmp_path / "Patient.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(patients) == len(SEEDS)
    res = CliRunner().invoke(main, ["convert", str(SEEDS[0]), "--format", "bulk"])
    assert res.exit_code == 2 and "give a folder with -o" in res.output


def test_integration_doc_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "INTEGRATION.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, flags=re.S)
    assert len(blocks) == 3
    (tmp_path / "reports").mkdir()
    for p in SEEDS:
        (tmp_path / "reports" / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for block in blocks:
        exec(compile(block, "docs/INTEGRATION.md", "exec"), {"__name__": "__main__"})
    out = capsys.readouterr().out
    assert all(f"{p.stem} " in out for p in SEEDS)
    assert len((tmp_path / "export" / "Patient.ndjson").read_text(encoding="utf-8").splitlines()) == len(SEEDS)


def test_chunked_stream_keeps_order_and_raises_a_bug_after_the_reports_before_it(items, monkeypatch) -> None:
    # max_pending 64: reports go to the executor in chunks of 8; results still come one per report, in order
    expected = list(convert_many(items))
    with ThreadPoolExecutor(max_workers=2) as executor:
        assert list(convert_many(items * 5, executor=executor)) == expected * 5
    real = fhirconv.stream.convert

    def convert(text: str, **kwargs):
        if kwargs.get("report_id") == "bug":
            raise RuntimeError("a bug, not a user error")
        return real(text, **kwargs)

    monkeypatch.setattr(fhirconv.stream, "convert", convert)
    seen = []
    with ThreadPoolExecutor(max_workers=2) as executor, pytest.raises(RuntimeError, match="a bug"):
        for r in convert_many([*items[:2], ("bug", items[0][1]), *items[2:]], executor=executor):
            seen.append(r.report_id)
    assert seen == [i for i, _ in items[:2]]  # the reports before the bug, none after it
