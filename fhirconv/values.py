"""Stage 5b - values: lab results (number, comparator, UCUM unit, qualitative result) and drug dosages
(dose, route, frequency, duration), read from the text next to each mention.

French numbers: decimal comma ("37,5"); thousands grouped by spaces or dots ("97 000", "76.000" = 76000,
"2.400 mg/m2" = 2400) when every group has exactly three digits. A number inside a date expression is never a value.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from .document import Mention, PartialDate, Quantity
from .tables import Mappings

__all__ = ["parse_number", "attach_values"]

_NUM = r"(?:\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?![\d,]|\.\d)|\d+(?:[.,]\d+)?)"
_CMP = r"(?P<cmp><=|>=|≤|≥|<|>|inférieure?\s+à|supérieure?\s+à|moins\s+de|plus\s+de)"
_CMP_CODE = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "≤": "<=", "≥": ">="}
# After a test name: optional "(abbrev)" / "[abbrev]", a separator, then comparator and number.
_VALUE_AFTER = re.compile(
    r"(?:\s*[(\[][^()\[\]]{1,40}[)\]])*\s*(?:[:=]|\bde\b|\best\s+(?:à|de)\b|\bà\b|-(?=\s*\d))?\s*"
    + _CMP + r"?\s*(?P<num>" + _NUM + r")",
    re.IGNORECASE,
)
_VALUE_BEFORE = re.compile(r"(?P<num>" + _NUM + r")\s*$")
_SIGN_AFTER = re.compile(r"\s*(?P<sign>[+-])\s*(?:\(\s*(?P<score>[0-3])\s*\+?\s*\))?(?![\d\w])")
_QUAL_AFTER = re.compile(r"(?:\s*[(\[][^()\[\]]{1,40}[)\]])*\s*(?::|\best\b|\bsont\b|\bétait\b)?\s*$")
_DOSE = re.compile(r"(?P<num>" + _NUM + r")(?:\s*/\s*" + _NUM + r")?\s*")
_LIST_JOIN = re.compile(r"\s*(?:,|\bet\b)\s*$")
# searched with endpos = the number's start: a digit or separator right before it (not the whole text before it)
_NUM_CHAR_BEFORE = re.compile(r"[\d.,]$")


def parse_number(s: str) -> float:
    """``'37,5'`` -> 37.5; ``'97 000'`` and ``'76.000'`` -> 76000-style integers.

    >>> parse_number("2.400"), parse_number("0,17"), parse_number("1 250")
    (2400.0, 0.17, 1250.0)
    """
    s = s.strip()
    if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+", s):
        return float(re.sub(r"[ \u00a0\u202f.]", "", s))
    return float(s.replace(",", "."))


def _unit_at(text: str, pos: int, mappings: Mappings, dose: bool = False) -> tuple[str, Any, int] | None:
    """The unit written at ``pos`` (after optional spaces): (as written, unit row, end)."""
    m = re.compile(r"\s*").match(text, pos)
    start = m.end() if m else pos
    u = (mappings.dose_unit_regex if dose else mappings.unit_regex).match(text, start)
    if not u:
        return None
    ref = mappings.units.get(u.group()) or mappings.units.get(u.group().lower())
    return (u.group(), ref.row, u.end()) if ref else None


def _number_clear(start: int, end: int, dates: list[PartialDate]) -> bool:
    # dates are sorted and do not overlap (find_dates): only the last one starting before ``end`` can overlap
    i = bisect.bisect_left(dates, end, key=lambda d: d.start)
    return not (i and dates[i - 1].end > start)


def _quantity(text: str, num_start: int, num_end: int, cmp: str | None, mappings: Mappings, unit_pos: int,
              dose: bool = False) -> Quantity:
    value = parse_number(text[num_start:num_end])
    unit = _unit_at(text, unit_pos, mappings, dose)
    cmp_code = None
    if cmp:
        c = cmp.lower()
        cmp_code = _CMP_CODE.get(c) or ("<" if c.startswith(("inf", "moins")) else ">")
    if unit:
        written, row, end = unit
        return Quantity(value, written, row.ucum, row.display, cmp_code, num_start, end)
    return Quantity(value, None, None, None, cmp_code, num_start, num_end)


def attach_values(text: str, mentions: list[Mention], dates: list[PartialDate], mappings: Mappings) -> None:
    """Fill ``attrs`` of observation mentions (quantity / qualitative) and medication mentions (dosage)."""
    concepts = [m for m in mentions if m.kind in ("observation", "medication", "regimen", "condition", "morphology", "procedure")
                and "alias_of" not in m.attrs]
    quals = [m for m in mentions if m.kind == "qualitative"]
    for i, m in enumerate(concepts):
        nxt = concepts[i + 1].start if i + 1 < len(concepts) else len(text)
        if m.kind == "observation":
            _observation_value(text, m, nxt, concepts[i - 1].end if i else 0, quals, dates, mappings)
        elif m.kind == "medication":
            _dosage(text, m, concepts, i, dates, mentions, mappings)
    # "CEA, CA 19.9 : normaux": a result stated once after a list applies to every test of the list.
    obs = [m for m in concepts if m.kind == "observation"]
    for a, b in zip(reversed(obs[:-1]), reversed(obs[1:])):
        if not a.attrs.get("quantity") and not a.attrs.get("qualitative") and b.attrs.get("qualitative"):
            if _LIST_JOIN.fullmatch(text, a.end, b.start):
                a.attrs["qualitative"] = b.attrs["qualitative"]


_SENTENCE_END = re.compile(r"(?<!\d)\.(?!\d)|\n")


def _sentence_end(text: str, pos: int, limit: int | None = None) -> int:
    """The first sentence end after ``pos``, or ``limit``: the search stops there (one character later, for the
    look-ahead), so a text without full stops is not scanned to its end once per mention (quadratic)."""
    limit = len(text) if limit is None else limit
    m = _SENTENCE_END.search(text, pos, limit + 1)
    return min(m.start(), limit) if m else limit


def _observation_value(text: str, m: Mention, nxt: int, prev_end: int, quals: list[Mention], dates: list[PartialDate], mappings: Mappings) -> None:
    limit = _sentence_end(text, m.end, min(nxt, m.end + 60))
    v = _VALUE_AFTER.match(text, m.end, limit)
    if v and _number_clear(v.start("num"), v.end("num"), dates):
        m.attrs["quantity"] = _quantity(text, v.start("num"), v.end("num"), v.group("cmp"), mappings, v.end("num"))
        return
    s = _SIGN_AFTER.match(text, m.end, limit)
    if s:
        m.attrs["sign"] = (s.group("sign"), s.group("score"), s.start("sign"), s.end())
        return
    # quals are in text order: start at the first one after the mention (a bisection, not a scan of all of them)
    for k in range(bisect.bisect_left(quals, m.end, key=lambda x: x.start), len(quals)):
        qual = quals[k]
        if qual.start >= limit:
            break
        if _QUAL_AFTER.fullmatch(text, m.end, qual.start):
            m.attrs["qualitative"] = qual
            return
    # "2000 plaquettes", "115 000 plaquettes/mcrl": the number before the test name, the unit after it.
    before = text[max(prev_end, m.start - 20) : m.start]
    b = _VALUE_BEFORE.search(before)
    if b:
        start = m.start - len(before) + b.start("num")
        end = m.start - len(before) + b.end("num")
        if _number_clear(start, end, dates) and not _NUM_CHAR_BEFORE.search(text, max(0, start - 2), start):
            q = _quantity(text, start, end, None, mappings, m.end)
            if q.ucum is None or text[m.end : m.end + 1] == "/":
                m.attrs["quantity"] = q if q.ucum else Quantity(q.value, None, None, None, None, start, end)
                m.attrs["value_before"] = True


def _dosage(text: str, m: Mention, concepts: list[Mention], i: int, dates: list[PartialDate], mentions: list[Mention], mappings: Mappings) -> None:
    """Dose, route, frequency and duration between this drug and the next drug (or the sentence end)."""
    next_drug = len(text)
    for k in range(i + 1, len(concepts)):  # an index, not a slice: copying the rest per drug was quadratic
        c = concepts[k]
        if c.kind in ("medication", "regimen") and c.start >= m.end:
            next_drug = c.start
            break
    end = _sentence_end(text, m.end, next_drug)
    close = text.find(")", m.end, end)
    if close >= 0 and text.rfind("(", m.end, close) < 0:
        end = close  # the drug is the last item inside a bracket: the dosage stops at the bracket
    attrs: dict[str, Any] = {}
    for d in _DOSE.finditer(text, m.end, end):
        if not _number_clear(d.start(), d.end(), dates):
            continue
        unit = _unit_at(text, d.end(), mappings, dose=True)
        if unit and unit[1].ucum not in ("h", "d", "wk", "mo", "a", "min", "s", "%"):
            attrs["dose"] = _quantity(text, d.start("num"), d.end("num"), None, mappings, d.end(), dose=True)
            break
    routes = []
    for k in range(bisect.bisect_left(mentions, m.end, key=lambda x: x.start), len(mentions)):  # text order
        if mentions[k].start >= end:
            break
        if mentions[k].kind == "route":
            routes.append(mentions[k])
    if routes:
        attrs["route"] = routes[0]
    timing: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    for pattern, ref in mappings.frequencies:
        f = pattern.search(text, m.end, end)
        if not f or any(f.start() < e and s < f.end() for s, e in spans):
            continue
        row = ref.row
        n = next((f.group(g) for g in ("n", "n2") if g in pattern.groupindex and f.group(g)), None)
        if row.as_needed:
            timing["asNeeded"] = True
        elif row.n_fills == "duration" or row.duration_unit:
            if n and "duration" not in timing:
                timing["duration"] = (float(n), row.duration_unit)
            else:
                continue
        elif "period" in timing:
            continue
        else:
            period = float(n) if row.n_fills == "period" and n else row.period
            freq = int(n) if row.n_fills == "frequency" and n else row.frequency
            timing["period"] = (freq or 1, period, row.period_unit)
        spans.append((f.start(), f.end()))
        timing.setdefault("evidence", []).append((f.start(), f.end(), ref.where))
    if timing:
        attrs["timing"] = timing
    if attrs:
        parts = [s for s in [attrs.get("dose") and (attrs["dose"].start, attrs["dose"].end)] if s]
        parts += [(r.start, r.end) for r in routes[:1]] + spans
        if parts:
            lo, hi = min(p[0] for p in parts), max(p[1] for p in parts)
            attrs["dosage_span"] = (lo, hi)
    m.attrs.update(attrs)
