"""A UCUM syntax checker (UCUM 2.2 grammar, section 2), over the atoms listed in ``mappings/ucum.yaml``.

Why not a library: the UCUM packages on PyPI either pull a parser generator and the whole UCUM essence XML for
conversions fhirconv never does, or are unmaintained. Checking that a code is well-formed UCUM built from known
atoms is ~80 lines, and the atom list stays a reviewable table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["UcumChecker"]

_EXPONENT = re.compile(r"^(.*?)([+-]?\d+)$")


@dataclass(frozen=True)
class UcumChecker:
    prefixes: frozenset[str]
    metric_atoms: frozenset[str]
    other_atoms: frozenset[str]

    def problem(self, code: str) -> str | None:
        """``None`` if ``code`` is valid UCUM, else a short reason."""
        if not code or code != code.strip():
            return f"{code!r}: empty or padded UCUM code"
        try:
            pos = self._term(code, 1 if code[0] == "/" else 0)
        except ValueError as exc:
            return f"{code!r} is not valid UCUM: {exc}"
        if pos != len(code):
            return f"{code!r} is not valid UCUM: unexpected {code[pos:]!r}"
        return None

    def _term(self, s: str, pos: int) -> int:
        pos = self._component(s, pos)
        while pos < len(s) and s[pos] in "./":
            pos = self._component(s, pos + 1)
        return pos

    def _component(self, s: str, pos: int) -> int:
        if pos >= len(s):
            raise ValueError("missing unit after an operator")
        if s[pos] == "(":
            pos = self._term(s, pos + 1)
            if pos >= len(s) or s[pos] != ")":
                raise ValueError("unbalanced parenthesis")
            return pos + 1
        if s[pos] == "{":
            return self._annotation(s, pos)
        end = pos
        depth = 0
        while end < len(s) and (depth or s[end] not in "./(){"):
            depth += s[end] == "["
            depth -= s[end] == "]"
            end += 1
        run = s[pos:end]
        if not run:
            raise ValueError(f"empty unit at {pos}")
        if not run.isdigit():
            self._annotatable(run)
        if end < len(s) and s[end] == "{":
            end = self._annotation(s, end)
        return end

    @staticmethod
    def _annotation(s: str, pos: int) -> int:
        close = s.find("}", pos)
        if close < 0:
            raise ValueError("unclosed annotation {")
        return close + 1

    def _annotatable(self, run: str) -> None:
        symbol = run
        m = _EXPONENT.match(run)
        if m and m.group(1) and not self._simple(run):
            symbol = m.group(1)
        if not self._simple(symbol):
            raise ValueError(f"unknown unit {symbol!r}")

    def _simple(self, symbol: str) -> bool:
        if symbol in self.metric_atoms or symbol in self.other_atoms:
            return True
        for prefix in self.prefixes:
            if symbol.startswith(prefix) and symbol[len(prefix) :] in self.metric_atoms:
                return True
        return False
