"""The disk cache of loaded tables: a hit gives tables that convert to the same bytes, any change of a table file
is a miss, a corrupt cache file is a miss, and FHIRCONV_CACHE=off writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import fhirconv
from fhirconv.tables import _load
from fhirconv.tables.cache import cached

from .conftest import SEEDS


def _never(overlay: Path | None) -> object:
    raise AssertionError("the tables were loaded instead of read from the cache")


def test_hit_converts_to_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FHIRCONV_CACHE_DIR", str(tmp_path))
    loaded = cached(None, _load)
    files = list(tmp_path.glob("tables-*.pickle"))
    assert len(files) == 1
    again = cached(None, _never)
    assert again is not loaded
    text = SEEDS[1].read_text(encoding="utf-8")
    assert fhirconv.to_json(fhirconv.convert(text, mappings=again).data) == fhirconv.to_json(
        fhirconv.convert(text, mappings=loaded).data
    )


def test_overlay_change_is_a_miss_and_corrupt_file_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FHIRCONV_CACHE_DIR", str(tmp_path / "cache"))
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    table = overlay / "units.csv"
    table.write_text(
        "# source: test\n# version: 1\n# licence: CC0\nalias,ucum,display\nmg/j,mg/d,milligram per day\n",
        encoding="utf-8",
    )
    cached(overlay, _load)
    calls: list[Path | None] = []

    def counting(o: Path | None) -> object:
        calls.append(o)
        return _load(o)

    cached(overlay, counting)
    assert calls == []  # hit
    table.write_text(table.read_text(encoding="utf-8").replace("mg/j", "mg/jour"), encoding="utf-8")
    maps = cached(overlay, counting)
    assert calls == [overlay]  # the table changed: loaded again
    assert any(r.row.alias == "mg/jour" for r in maps.rows["units.csv"])  # type: ignore[attr-defined]
    for f in (tmp_path / "cache").glob("tables-*.pickle"):
        f.write_bytes(f.read_bytes()[:1000])  # truncated
    cached(overlay, counting)
    assert calls == [overlay, overlay]


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FHIRCONV_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("FHIRCONV_CACHE", "off")
    cached(None, _load)
    assert list(tmp_path.iterdir()) == []


def test_hit_rows_equal_the_loaded_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the rows are rebuilt without pydantic's state dicts (cache._row): equal, hashable, dumpable as loaded
    monkeypatch.setenv("FHIRCONV_CACHE_DIR", str(tmp_path))
    loaded = cached(None, _load)
    again = cached(None, _never)
    assert again.rows == loaded.rows
    for name in ("cim10.csv", "conditions.csv", "medications.csv"):
        for a, b in zip(loaded.rows[name][:50], again.rows[name][:50]):
            assert a.row is not b.row and hash(a.row) == hash(b.row)
            assert a.row.model_dump(exclude_unset=True) == b.row.model_dump(exclude_unset=True)
    cim = again.rows["cim10.csv"]
    assert cim[0].row.model_fields_set is cim[1].row.model_fields_set  # one field set per model and set fields


def test_unpickled_pattern_does_not_share_a_run_time_patterns_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that reads the cache compiles some patterns at run time (build/common.py match_starts). Its
    candidate starts are shared per spec id: an id pickled by the process that wrote the cache must not be taken
    for the run-time pattern's (that made the cached tables convert differently from freshly loaded ones)."""
    import pickle
    import re

    from fhirconv.tables import prefilter

    text = "Le carcinome canalaire a donné des métastases hépatiques. " * 20
    a, b = re.compile(r"\bcarcinome\b", re.I), re.compile(r"\bmétastase\w*", re.I)
    monkeypatch.setattr(prefilter, "_SPEC_IDS", {})
    monkeypatch.setattr(prefilter, "_SPECS", [])
    written = pickle.dumps(prefilter.Prefiltered(a))  # the process that writes the cache
    monkeypatch.setattr(prefilter, "_SPEC_IDS", {})  # a new process reads it
    monkeypatch.setattr(prefilter, "_SPECS", [])
    at_run_time = prefilter.Prefiltered(b)
    read = pickle.loads(written)
    assert [m.span() for m in at_run_time.finditer(text)] == [m.span() for m in b.finditer(text)]
    assert [m.span() for m in read.finditer(text)] == [m.span() for m in a.finditer(text)]
    assert len(list(a.finditer(text))) == 20


def test_phrase_scans_come_analysed_with_the_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The builders scan a report with phrases.yaml patterns through the prefilter (build/common.py prefiltered).
    Their analysis is part of the tables, read from the cache, not redone by each process on its first reports."""
    from fhirconv.build import common

    monkeypatch.setenv("FHIRCONV_CACHE_DIR", str(tmp_path))
    cached(None, _load)
    again = cached(None, _never)
    assert set(again.phrase_scans) == set(again.phrases)
    for name, pattern in again.phrases.items():
        assert again.phrase_scans[name].regex.pattern == pattern.pattern
    # (build/common.py analyses nothing at run time: it reads these)
    for name in again.phrases:
        assert common.prefiltered(again, name) is again.phrase_scans[name]


def _patterns(maps: object) -> list[object]:
    m: Any = maps
    return [p for p in m.phrases.values()] + [p.regex for p, _ in m.date_patterns] + [m.unit_regex]


def test_regexes_come_back_without_re_compiling_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached regex is made again from its compiled code (cache._pattern_args), not by re's parser and compiler
    (most of a cold start's table load): equal to the loaded one (a regex's equality compares its code), with the
    same named groups."""
    import re
    from re import _compiler  # type: ignore[attr-defined]

    monkeypatch.setenv("FHIRCONV_CACHE_DIR", str(tmp_path))
    loaded = cached(None, _load)

    def no_compile(*args: object) -> object:
        raise AssertionError("a table regex compiled again")

    re.purge()  # (re's own cache would hide a compilation)
    monkeypatch.setattr(_compiler, "compile", no_compile)
    again = cached(None, _never)
    old, new = _patterns(loaded), _patterns(again)
    assert len(new) > 50 and new == old
    assert [p.groupindex for p in new] == [p.groupindex for p in old]  # type: ignore[attr-defined]
    assert any(p.groupindex for p in new)  # type: ignore[attr-defined]


def test_a_regex_that_cannot_be_rebuilt_is_pickled_as_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # another Python's re internals (no _compiler._code): the regexes are pickled as usual, compiled when read
    from re import _compiler  # type: ignore[attr-defined]

    monkeypatch.setenv("FHIRCONV_CACHE_DIR", str(tmp_path))
    loaded = _load(None)
    monkeypatch.delattr(_compiler, "_code")
    cached(None, lambda overlay: loaded)  # written
    monkeypatch.undo()
    monkeypatch.setenv("FHIRCONV_CACHE_DIR", str(tmp_path))
    assert _patterns(cached(None, _never)) == _patterns(loaded)


def test_a_process_reading_the_cache_builds_no_row_validator(tmp_path: Path) -> None:
    """The row models build their validators on first use (schema.Row ``defer_build``): a process that reads the
    tables from the cache validates no row, and does not pay for ~60 validators at import (~0.03 s)."""
    import os
    import subprocess
    import sys

    code = (
        "import fhirconv\n"
        "from fhirconv.tables import schema\n"
        "fhirconv.load_mappings()\n"
        "rows = [m for m in vars(schema).values() if isinstance(m, type) and issubclass(m, schema.Row)]\n"
        "print(len(rows), sum(m.__pydantic_complete__ for m in rows))\n"
    )
    env = {**os.environ, "FHIRCONV_CACHE_DIR": str(tmp_path)}
    run = [sys.executable, "-c", code]
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert int(first[1]) > 30  # the tables were loaded: the row models were built to validate them
    models, built = map(int, subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout.split())
    assert models > 30 and built == 0
