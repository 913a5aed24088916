"""Format checks for the codes of each terminology.

These catch typos in tables (a swapped digit, a pre-2022 ATC shape, a CIM-10 code with an ICD-10-CM extension).
They cannot prove a code means what the row says: that is the curator's job, with the source named in the header.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["CHECKS", "verhoeff_ok", "loinc_ok"]

# Verhoeff tables: SNOMED CT identifiers end with a Verhoeff check digit (SNOMED CT Technical Implementation
# Guide, "Check-digit"). A mistyped SCTID fails this check with high probability.
_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_ok(digits: str) -> bool:
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _D[c][_P[i % 8][int(ch)]]
    return c == 0


def loinc_ok(code: str) -> bool:
    """LOINC codes end with a mod-10 check digit (LOINC Users' Guide, appendix on check digits)."""
    m = re.fullmatch(r"(\d{1,7})-(\d)", code)
    if not m:
        return False
    body, check = m.group(1), int(m.group(2))
    total = 0
    # Double every other digit starting from the rightmost digit of the body.
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d = d // 10 + d % 10
        total += d
    return (10 - total % 10) % 10 == check


def _regex(pattern: str, what: str) -> Callable[[str], str | None]:
    rx = re.compile(pattern)

    def check(code: str) -> str | None:
        return None if rx.fullmatch(code) else f"{code!r} is not a {what} code"

    return check


def _snomed(code: str) -> str | None:
    if not re.fullmatch(r"\d{6,18}", code):
        return f"{code!r} is not a SNOMED CT identifier (6-18 digits)"
    if not verhoeff_ok(code):
        return f"{code!r} fails the SNOMED CT Verhoeff check digit"
    return None


def _loinc(code: str) -> str | None:
    if not re.fullmatch(r"\d{1,7}-\d", code):
        return f"{code!r} is not a LOINC code"
    if not loinc_ok(code):
        return f"{code!r} fails the LOINC check digit"
    return None


CHECKS: dict[str, Callable[[str], str | None]] = {
    # CIM-10 as published by ATIH/WHO: 3 characters, optionally a dot and 1-2 more (no ICD-10-CM codes).
    "cim10": _regex(r"[A-Z]\d\d(\.\d{1,2})?(\+\d)?", "CIM-10"),
    "icdo3_morphology": _regex(r"\d{4}/[012369]", "ICD-O-3 morphology (dddd/b)"),
    "icdo3_topography": _regex(r"C\d\d\.\d", "ICD-O-3 topography (Cdd.d)"),
    # ATC levels 1..5: L, L01, L01E, L01EX, L01EX01.
    "atc": _regex(r"[A-Z](\d\d([A-Z]([A-Z](\d\d)?)?)?)?", "ATC"),
    "loinc": _loinc,
    "snomed": _snomed,
    "ccam": _regex(r"[A-Z]{4}\d{3}", "CCAM"),
    "edqm": _regex(r"\d{8}", "EDQM standard terms"),
    "v3_rolecode": _regex(r"[A-Z]{2,8}", "HL7 v3 RoleCode"),
}
