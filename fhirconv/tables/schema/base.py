"""The shared base of the row models and the checks their validators run."""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

from ..codes import CHECKS


class Row(BaseModel):
    # defer_build: a row model's validator is built on its first validation (loading the tables), not when the class
    # is made: a process that reads the tables from the cache (tables/cache.py) validates no row, and building the
    # ~60 validators cost every start ~110 M instructions (~0.03 s)
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


def _code(kind: str, value: str | None) -> str | None:
    if value in (None, ""):
        return None
    problem = CHECKS[kind](value)
    if problem:
        raise ValueError(problem)
    return value


def _both(code: str | None, display: str | None, what: str) -> None:
    if bool(code) != bool(display):
        raise ValueError(f"{what}: a code needs its display and a display its code")


def _topography(column: str, v: str, *, codes: bool) -> str:
    """An ICD-O-3 topography category (``C22``), or also a code (``C17.0``) with ``codes``."""
    if not re.fullmatch(r"C\d\d(?:\.\d)?" if codes else r"C\d\d", v):
        raise ValueError(
            f"{column} {v!r}: an ICD-O-3 topography category (C22)" + (" or code (C17.0)" if codes else "")
        )
    return v


class TermRow(Row):
    term: str

    @field_validator("term")
    @classmethod
    def _term(cls, v: str) -> str:
        if len(v) < 2:
            raise ValueError("term shorter than 2 characters")
        return v


class _Pattern(Row):
    pattern: str
    # named groups the code reads from a match of this kind of pattern (a missing one would fail mid-conversion)
    _required_groups: ClassVar[tuple[str, ...]] = ()

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            # {MONTH} (dates.yaml) is filled at load with the month names; any word stands for it here
            compiled = re.compile(v.replace("{MONTH}", "(?:mars)"))
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        if compiled.fullmatch(""):
            raise ValueError("regex matches the empty string (it would match everywhere)")
        missing = [g for g in cls._required_groups if g not in compiled.groupindex]
        if missing:
            raise ValueError(f"regex lacks the named group(s) {', '.join(missing)} (?P<name>...)")
        return v
