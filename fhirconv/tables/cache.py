"""A disk cache of the loaded tables, so that ``fhirconv convert one.txt`` starts in well under a second.

Checking and compiling ~18,000 table rows takes about 0.4 s of CPU; unpickling the result takes under 0.1 s (its
regexes come back from their compiled code, ``_pattern_args``, not compiled again from their source). The cache file is keyed by a SHA-256 of everything the loaded tables depend on: the bytes of every table file (built-in
and overlay), the source of the fhirconv package (a change in the loader or the matcher must not meet a stale
cache), the fhirconv version and the Python version. So a cache is either exactly what loading would produce, or
not used. It is written atomically (temporary file + rename) and any problem with it (unwritable folder, corrupt or
truncated file, unpicklable object) silently falls back to loading the tables; a table error is never cached.

Location: ``$FHIRCONV_CACHE_DIR``, else ``$XDG_CACHE_HOME/fhirconv``, else ``~/.cache/fhirconv``. ``FHIRCONV_CACHE=off``
disables it. The cache holds pickles: like ``__pycache__``, it must be writable by its user only.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # CPython's regex engine, which re compiles to (_pattern_args)
import gc
import hashlib
import io
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["cache_dir", "cached"]

T = TypeVar("T")
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_FORMAT = b"fhirconv-tables-cache/2"


def cache_dir() -> Path | None:
    if os.environ.get("FHIRCONV_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    if os.environ.get("FHIRCONV_CACHE_DIR"):
        return Path(os.environ["FHIRCONV_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fhirconv"


def _fingerprint(overlay: Path | None) -> str:
    from .. import COMPILED, __version__

    h = hashlib.sha256(_FORMAT)
    h.update(f"{__version__}|{sys.version}|{pickle.HIGHEST_PROTOCOL}|{COMPILED}".encode())  # compiled: setup.py
    for src in sorted(_PACKAGE_ROOT.rglob("*.py")):
        h.update(str(src.relative_to(_PACKAGE_ROOT)).encode() + b"\0" + src.read_bytes() + b"\0")
    tables = resources.files("fhirconv.mappings")
    for res in sorted(tables.iterdir(), key=lambda r: r.name):
        if res.is_file():
            h.update(res.name.encode() + b"\0" + res.read_bytes() + b"\0")
    if overlay is not None:
        h.update(b"overlay\0" + str(overlay.resolve()).encode() + b"\0")
        for path in sorted(overlay.iterdir()) if overlay.is_dir() else []:
            if path.is_file():
                h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _row(cls: type, values: dict[str, Any], fields_set: set[str]) -> Any:
    """A validated table row (frozen pydantic model) rebuilt as pydantic's own ``__setstate__`` does, without the
    state dict per row."""
    obj: Any = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", fields_set)
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def _pattern_args(regex: re.Pattern[Any]) -> tuple[Any, ...] | None:
    """The arguments from which ``_sre.compile`` makes ``regex`` again (its compiled code), or None.

    Why: a pickled regex is its source, compiled again when unpickled by ``re``'s parser and compiler, written in
    Python: the tables' ~520 regexes cost 0.15-0.3 s, most of a cold start's table load. ``_sre.compile`` takes the
    code ``re`` compiled and makes the regex in C (~10 ms for all of them). The code is CPython's own, of this Python
    version (the cache key holds ``sys.version``), made here as ``re._compiler.compile`` makes it, and used only when
    the regex it makes is equal to ``regex`` (a regex's equality compares its code) with the same groups."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(regex.pattern, regex.flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        # (the opcodes are int subclasses of re's own, which do not pickle: plain ints)
        code = [int(op) for op in _compiler._code(parsed, regex.flags)]
        flags = regex.flags | parsed.state.flags
        args = (regex.pattern, flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        again = _sre.compile(*args)
    except Exception:  # noqa: BLE001 - another Python's re internals: the regex is pickled as usual
        return None
    if again != regex or again.groupindex != regex.groupindex or again.groups != regex.groups:
        return None
    return args


def _pattern(*args: Any) -> re.Pattern[Any]:
    regex: re.Pattern[Any] = _sre.compile(*args)
    return regex


class _Pickler(pickle.Pickler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fields_sets: dict[tuple[type, frozenset[str]], set[str]] = {}

    def reducer_override(self, obj: Any) -> Any:
        # Frozen slotted dataclasses unpickle through dataclasses.fields() for every row (slow for 18,000 rows);
        # rebuilding them through their constructor is equal and several times faster.
        from . import RowRef
        from .schema import Row

        if type(obj) is RowRef:
            return RowRef, (obj.table, obj.path, obj.line, obj.row)
        if type(obj) is re.Pattern:
            args = _pattern_args(obj)
            return (_pattern, args) if args is not None else NotImplemented
        if isinstance(obj, Row) and obj.__pydantic_extra__ is None and obj.__pydantic_private__ is None:
            # The rows are frozen, so rows of one model with the same set fields share one field set object
            # (pickled once): a third less to unpickle, and 20,000 fewer objects for the garbage collector.
            fields = obj.__pydantic_fields_set__
            shared = self._fields_sets.setdefault((type(obj), frozenset(fields)), fields)
            return _row, (type(obj), obj.__dict__, shared)
        return NotImplemented


def cached(overlay: Path | None, load: Callable[[Path | None], T]) -> T:
    """``load(overlay)``, or the same object read back from the cache."""
    folder = cache_dir()
    if folder is None:
        return load(overlay)
    try:
        path = folder / f"tables-{_fingerprint(overlay)}.pickle"
    except OSError:
        return load(overlay)
    hit = _read(path)
    if hit is not None:
        return hit  # type: ignore[no-any-return, unused-ignore]
    value = load(overlay)
    _store(path, value)
    return value


# What a corrupt, truncated or foreign cache file raises while unpickling: a cache miss.
_UNREADABLE = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    AttributeError,
    RuntimeError,  # _sre.compile: invalid regex code
    ImportError,
    IndexError,
    TypeError,
    ValueError,
)


def _read(path: Path) -> Any:
    # The cyclic GC would walk the growing heap again and again while ~100,000 objects are created; it costs
    # more than the unpickling itself.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(path.read_bytes())
    except _UNREADABLE:
        return None
    finally:
        if gc_was_on:
            gc.enable()


def _store(path: Path, value: object) -> None:
    try:
        buf = io.BytesIO()
        _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(buf.getvalue())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in path.parent.glob("tables-*.pickle"):  # caches of older tables or code: unused for a day, dropped
            if old != path and old.stat().st_mtime < path.stat().st_mtime - 86400:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # a cache that cannot be written only costs time
