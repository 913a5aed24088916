"""Stage 5c - dosages: the dose (or dose range), route, frequency and duration written after a drug mention.

The dosage of a drug is read between the drug and the next drug (or the sentence end, or the bracket that closes
a regimen's component list). French numbers as in ``values.py`` ("37,5 mg", "2.400 mg/m2" = 2400); a range
("1 à 2 g", "3-4 g/j") is a dose range; units and frequencies come from ``units.csv`` and ``frequencies.yaml``.
A concentration right after the drug name ("vitamine B12 350 pg/ml", "vitamine D 12 ng/ml") is a lab result, not
a dose: the mention is marked ``lab_value`` and the builder does not assert a drug.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from .document import Mention, PartialDate, Quantity, clear_of_dates
from .tables import Mappings, Rx
from .tables.prefilter import windowed

__all__ = ["cycles_before", "read_dosage", "read_timing"]

# (its first digit before the alternation: a pattern that opens with a character set is searched by re's fast scan for
# that set, not tried whole at every offset of a drug's window; same matches as "\d{1,3}(?:...)+...|\d+(?:[.,]\d+)?")
_NUM = r"(?:\d(?:\d{0,2}(?:[ \u00a0\u202f.]\d{3})+(?![\d,]|\.\d)|\d*(?:[.,]\d+)?))"
_DOSE = re.compile(r"(?P<num>" + _NUM + r")(?:\s*/\s*" + _NUM + r")?\s*")
# "1 à 2 g", "3-4 g", "de 1 à 1,5 mg": a low and a high value sharing the unit written after the high one
_RANGE = re.compile(r"(?P<low>" + _NUM + r")\s*(?:à|-|–)\s*(?P<high>" + _NUM + r")\s*")
_TIME_UNITS = {"h", "d", "wk", "mo", "a", "min", "s", "%"}
# A concentration (per volume) is what a lab result is measured in; a dose is not ("mg/m2", "mg/kg", "UI").
_PER_VOLUME = re.compile(r"/[a-z]?L$")
# (the dot before its lookbehind: a pattern opening with a literal in every branch is searched by re's fast scan for
# its first characters, not tried whole at every position of the window; same matches as "(?<!\d)\.(?!\d)|\n")
_SENTENCE_END = re.compile(r"\.(?<!\d\.)(?!\d)|\n")
_SPACES = re.compile(r"\s*")
_ROUTE_BEFORE = re.compile(r"\s*(?:de\s+|d['’]\s*|du\s+|des\s+|par\s+)?")
# "25 mg d'hydrocortisone", "600 mg d'éprosartan": the dose written before the drug
_DOSE_BEFORE = re.compile(r"(?P<num>" + _NUM + r")\s*(?P<unit>\S+)\s+(?:de\s+(?:l['’]\s*|la\s+)?|d['’]\s*|du\s+)$")
_BEFORE_WINDOW = 30
# Carboplatin is dosed to a target area under the curve (Calvert formula): "AUC 5" = 5 mg·min/mL, the UCUM form of
# the AUC unit; the unit is written before the number, so it is read here rather than from units.csv.
_AUC = re.compile(r"\s*(?:à\s+)?AUC\s*(?:=\s*)?(?P<num>\d+(?:[.,]\d+)?)")
AUC_UCUM = "mg.min/mL"
_CYCLES_WINDOW = 40
# between "six cures" and the regimen, no clause break: "de", "d'", "de chimiothérapie adjuvante selon le protocole"
_CYCLES_JOIN = re.compile(r"[^,;.()\n]*")


# A dosage is written right after its drug: never looked for further than this (a report without sentence ends
# would otherwise search to the end of the text for every drug: quadratic)
_DOSAGE_REACH = 1000


def _sentence_end(text: str, pos: int) -> int:
    limit = min(len(text), pos + _DOSAGE_REACH)
    m = _SENTENCE_END.search(text, pos, limit)
    return m.start() if m else limit


def _number(s: str) -> float:
    s = s.strip()
    if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+", s):
        return float(re.sub(r"[ \u00a0\u202f.]", "", s))
    return float(s.replace(",", "."))


def _unit_at(text: str, pos: int, mappings: Mappings) -> tuple[str, Any, int] | None:
    """The dose unit written at ``pos`` (after optional spaces): (as written, unit row, end)."""
    u = mappings.dose_unit_regex.match(text, _SPACES.match(text, pos).end())  # type: ignore[union-attr]
    if not u:
        return None
    ref = mappings.units.get(u.group()) or mappings.units.get(u.group().lower())
    return (u.group(), ref.row, u.end()) if ref else None


def _after_spaces(text: str, pos: int) -> int:
    return _SPACES.match(text, pos).end()  # type: ignore[union-attr]


def _clear(start: int, end: int, dates: list[PartialDate]) -> bool:
    return clear_of_dates(start, end, dates)


def _dose(text: str, start: int, end: int, dates: list[PartialDate], mappings: Mappings) -> dict[str, Any]:
    """The first number followed by a dose unit: a Quantity, or a (low, high) range when written "1 à 2 g"."""
    for d in _DOSE.finditer(text, start, end):
        if not _clear(d.start(), d.end(), dates):
            continue
        r = _RANGE.match(text, d.start(), end)
        if r and _clear(r.start(), r.end(), dates):
            unit = _unit_at(text, r.end(), mappings)
            if unit and unit[1].ucum not in _TIME_UNITS and _number(r.group("low")) < _number(r.group("high")):
                written, row, u_end = unit
                low = Quantity(
                    _number(r.group("low")), written, row.ucum, row.display, None, r.start("low"), r.end("low")
                )
                high = Quantity(_number(r.group("high")), written, row.ucum, row.display, None, r.start("high"), u_end)
                return {"dose_range": (low, high)}
        unit = _unit_at(text, d.end(), mappings)
        if unit and unit[1].ucum not in _TIME_UNITS:
            written, row, u_end = unit
            q = Quantity(_number(d.group("num")), written, row.ucum, row.display, None, d.start("num"), u_end)
            return {"lab_value": q} if _PER_VOLUME.search(row.ucum) else {"dose": q}
    return {}


def _dose_before(text: str, m: Mention, dates: list[PartialDate], mappings: Mappings) -> dict[str, Any]:
    """A dose written just before the drug ("25 mg d'hydrocortisone"), when none follows it."""
    lo = max(0, m.start - _BEFORE_WINDOW)
    b = _DOSE_BEFORE.search(text[lo : m.start])
    if not b or not _clear(lo + b.start(), lo + b.end(), dates):
        return {}
    found = _dose(text, lo + b.start("num"), lo + b.end("unit"), dates, mappings)
    return {"dose": found["dose"]} if "dose" in found else {}


# the candidate starts of every frequency row in the last report, merged into one sorted list of ``start * rows + row``
# (``windowed``'s list of the report, merged, the rows whose starts are not known): one tuple, replaced whole (safe when
# threads share it)
_MERGED: tuple[object, list[int], list[int]] = (None, [], [])


def _rows_in(
    rows: list[tuple[Rx, Any, list[int] | None]], start: int, end: int
) -> tuple[dict[int, list[int]], list[int]]:
    """The rows (indices into ``rows``, ``windowed``'s list) with a candidate start in ``[start, end]``, with those
    starts in order; and the rows whose starts are not known (to be searched)."""
    global _MERGED
    merged = _MERGED
    n = len(rows)
    if merged[0] is not rows:
        # built once per report: a drug's window is then two bisections of it, not one per row (most rows have no
        # start in most windows, and the loop over them cost more than the few rows tried)
        index = sorted([s * n + k for k, (_, _, starts) in enumerate(rows) if starts for s in starts])
        merged = _MERGED = (rows, index, [k for k, (_, _, starts) in enumerate(rows) if starts is None])
    index = merged[1]
    found: dict[int, list[int]] = {}
    for key in index[bisect.bisect_left(index, start * n) : bisect.bisect_left(index, (end + 1) * n)]:
        found.setdefault(key % n, []).append(key // n)
    return found, merged[2]


def read_timing(text: str, start: int, end: int, mappings: Mappings) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """Frequency, period, duration and as-needed written in ``text[start:end]``, and their spans."""
    timing: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    # each drug searches its own window with every row: a row is tried only at its candidate starts in the window,
    # and not at all when the window has none (most rows, for most drugs)
    found: list[tuple[re.Match[str], Rx, Any]] = []
    rows = windowed(mappings.frequencies, text)
    tried, unknown = _rows_in(rows, start, end)
    for k in sorted([*tried, *unknown]):  # in table order, as the sort below keeps the order of equal wordings
        pattern, ref, _ = rows[k]
        at = tried.get(k)
        # a match call at each candidate, the first match being the search's: the frequency rows ignore case and open
        # with \b or alternations, so re's own search of the window (no literal prefix to scan for) tries the pattern
        # at every offset
        if at is None:
            f = pattern.search(text, start, end)
        else:
            f = None
            for pos in at:
                f = pattern.match(text, pos, end)
                if f:
                    break
        if f:
            found.append((f, pattern, ref))
    # Longest wording first, so that "trois fois par jour" is read whole, not as its tail "par jour".
    found.sort(key=lambda x: (x[0].start() - x[0].end(), x[0].start()))
    kept: list[tuple[re.Match[str], Rx, Any]] = []
    for item in found:
        if not any(item[0].start() < k[0].end() and k[0].start() < item[0].end() for k in kept):
            kept.append(item)
    kept.sort(key=lambda x: x[0].start())  # then in text order: the first period stated is the drug's
    for f, pattern, ref in kept:
        row = ref.row
        n = next((f.group(g) for g in ("n", "n2") if g in pattern.groupindex and f.group(g)), None)
        if n is not None and n.isdigit() and int(n) == 0:
            continue  # "0 cycles", "0 fois par jour": no count, frequency or period is stated (FHIR wants >= 1)
        if row.cycle_days:
            pass  # only widens the verbatim dosage text
        elif row.bounds_unit:
            if "bounds" in timing or not (n or row.bounds):
                continue
            timing["bounds"] = (float(n) if n else row.bounds, row.bounds_unit)
        elif row.n_fills == "count" or row.count:
            if "count" in timing:
                continue
            timing["count"] = int(n) if n else row.count
            timing["count_span"] = (f.start(), f.end())
        elif row.as_needed:
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
    return timing, spans


def cycles_before(text: str, start: int, sentence_start: int, mappings: Mappings) -> tuple[int, int, int] | None:
    """The number of cycles written just before a drug or regimen ("six cures de R-CHOP", "3 cycles d'EOX"):
    (count, span start, span end), or None."""
    lo = max(sentence_start, start - _CYCLES_WINDOW)
    timing, _ = read_timing(text, lo, start, mappings)
    if "count" not in timing:
        return None
    s, e = timing["count_span"]
    if not _CYCLES_JOIN.fullmatch(text, e, start):
        return None
    return timing["count"], s, e


def _test_between(concepts: list[Mention], i: int, pos: int) -> bool:
    """A lab test (an observation mention) is named between drug ``concepts[i]`` and ``pos``."""
    for c in concepts[i + 1 :]:
        if c.start >= pos:
            return False
        if c.kind == "observation":
            return True
    return False


def read_dosage(
    text: str,
    m: Mention,
    concepts: list[Mention],
    i: int,
    dates: list[PartialDate],
    mentions: list[Mention],
    mappings: Mappings,
) -> None:
    """Set ``m.attrs`` dose / dose_range / lab_value, route, timing and dosage_span of drug mention ``m``
    (``concepts[i]``), from the text between it and the next drug or regimen (or the sentence end)."""
    end = _sentence_end(text, m.end)
    for c in concepts[i + 1 :]:
        if c.kind in ("medication", "regimen") and c.start >= m.end:
            end = min(end, c.start)
            break
    close = text.find(")", m.end, end)
    if close >= 0 and text.rfind("(", m.end, close) < 0:
        end = close  # the drug is the last item inside a bracket: the dosage stops at the bracket
    attrs: dict[str, Any] = _dose(text, m.end, end, dates, mappings)
    if "lab_value" in attrs and _test_between(concepts, i, attrs["lab_value"].start):
        # "darbépoétine alfa et une hyperparathyroïdie secondaire (PTH 420 pg/ml)": the concentration is the
        # result of the test named before it, not a level of the drug
        attrs = {}
    auc = _AUC.match(text, m.end, end)
    if auc:
        attrs = {
            "dose": Quantity(
                _number(auc.group("num")),
                "AUC",
                AUC_UCUM,
                "AUC (mg·min/mL)",
                None,
                auc.start() + len(auc.group()) - len(auc.group().lstrip()),
                auc.end(),
            )
        }
    elif not attrs:
        attrs = _dose_before(text, m, dates, mappings)
    dose_end = max((q.end for q in [attrs.get("dose")] if q), default=m.end)
    # route mentions are in text order: only those between the drug and the end of its dosage, and the few just
    # before it, are looked at (linear cost in long reports)
    lo = bisect.bisect_left(mentions, m.end, key=lambda x: x.start)
    hi = bisect.bisect_left(mentions, end, key=lambda x: x.start)
    near_before = mentions[max(0, bisect.bisect_left(mentions, m.start, key=lambda x: x.start) - 3) : lo]
    routes = [
        r
        for r in mentions[lo:hi]
        if r.kind == "route"
        and m.end <= r.start < end
        and (r.row.placement != "after_drug" or r.start in (_after_spaces(text, m.end), _after_spaces(text, dose_end)))
    ]
    # a route word just before the drug: "patchs de fentanyl", "en IV, ondansétron"
    routes += [
        r
        for r in near_before
        if r.kind == "route" and r.end <= m.start and _ROUTE_BEFORE.fullmatch(text, r.end, m.start)
    ]
    if routes:
        attrs["route"] = routes[0]
    timing, spans = read_timing(text, m.end, end, mappings)
    if timing:
        attrs["timing"] = timing
    parts = [(q.start, q.end) for q in [attrs.get("dose")] if q]
    parts += [(r[0].start, r[1].end) for r in [attrs.get("dose_range")] if r]
    parts += [(r.start, r.end) for r in routes[:1]] + spans
    if parts:
        attrs["dosage_span"] = (min(p[0] for p in parts), max(p[1] for p in parts))
    m.attrs.update(attrs)
