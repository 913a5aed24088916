"""Stage 5b (results part) - the value of every lab test, vital sign, marker and score mention.

What is read, next to a test mention (within its sentence, before the next concept):
- after it: "Hb 8,3 g/dl", "CRP à 350 mg/l", "LDH : 412 UI/l", "la calcémie était à 2,6 mmol/l", "Ki67
  supérieur à 80%", "D-dimères > 20 mcrg/ml", "TA 120/80 mmHg" (a pair), "positif à 1437 UI/l";
- before it: "2000 plaquettes", "115 000 plaquettes/mcrl", "2652 µmol/l de créatinine";
- a sign: "HER2-(0)", "CK20+", "HER-2 +++", "CD31 +";
- a qualitative word (``qualitative.csv``) after it ("CA 125 était normal") or before a list it governs
  ("positif pour CK7, CK19 et MOC-31");
- a word of the test row itself that implies its result ("apyrétique", ``implies`` column of observations.csv).
A result stated once after a list applies to the whole list ("CEA, CA 19.9 : normaux", "(AFP, ACE et CA 125)
étaient tous négatifs"). Numbers inside a date expression are never values, and a number followed by a duration
unit ("2 jours") is not a result.

French numbers: decimal comma ("37,5"); thousands grouped by spaces or dots ("97 000", "76.000" = 76000,
"1 074,2") when every group has exactly three digits.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args

from .document import Mention, PartialDate, Quantity, clear_of_dates
from .tables.prefilter import necessary_literals
from .tables.schema import LabWordName

if TYPE_CHECKING:
    from .tables import Mappings

__all__ = ["NUM", "LabPatterns", "attach_observation_values", "compile_lab_patterns", "parse_number"]

# Symbols and digits only here; the French words around values are the fragments of mappings/lab_values.yaml,
# assembled by compile_lab_patterns when the tables load.
NUM = (
    r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d+|\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?!\d|[.,]\d)"
    r"|\d+(?:[.,]\d+)?)"
)
_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d+")
_GROUP_SEP = re.compile(r"[ \u00a0\u202f]|\.(?=\d{3}(?:\D|$))")
_CMP_SYMBOL = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "≤": "<=", "≥": ">="}
# Between a test name and its value: bracketed aliases or sample words ("(CRP)", "[aPTT]"), then at most six
# words without digits or punctuation (verbs and adjectives: "sérique", "était", "est revenu positif"), then an
# optional ':' / '=' and a comparator.
_BRACKETS = r"(?:\s*[(\[](?=[^()\[\]]*[^\W\d_])[^()\[\]]{1,60}[)\]])*"  # with a letter: not "(0)", "(2+)"
_WORDS = r"(?P<words>(?:\s+[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*['’]?){0,6}?)"
# "TA 120/80 mmHg", "141 mmHg/85 mmHg", "TCA 32/30": a second number after a slash.
_PAIR = re.compile(r"\s*(?P<unit1>[^\W\d_]{2,5}(?:\[[^\]]*\])?)?\s*/\s*(?P<num2>\d+(?:[.,]\d+)?)(?![\d/])")
_LIST_CLOSE = re.compile(r"\s*[)\]]")
# (the dot first, its lookbehind after it: re then scans for the opening characters, dosage._SENTENCE_END)
_SENTENCE_END = re.compile(r"\.(?<!\d\.)(?!\d)|\n|;")
_SPACES = re.compile(r"\s*")
_MUTATION_REACH = 80  # characters before a gene name where "mutation germinale du gène" may start
_GLUED_LETTER = re.compile(r"[^\W\d_]")
_NUMBER_BEHIND = re.compile(r"[\d.,/]$")
_SUM = re.compile(r"\s*\+\s*(?P<b>\d{1,2})(?:\s*=\s*(?P<total>\d{1,2}))?(?![\d,.]\d)")
_SPAN = re.compile(r"\s*[-–]\s*\d")
_DIGIT = re.compile(r"\d")
# usual unit of a body-measure row -> units it may be written in; such a row takes only a number written next
# to its name ("taille 168 cm"): "tumeur de taille supérieure à 10 mm", "utérus de taille normale" are no heights.
_MEASURE_UCUM = {
    "cm": {"cm", "m"},
    "m": {"m", "cm"},
    "kg": {"kg", "g"},
    "g": {"g", "kg"},
    "m2": {"m2"},
    "kg/m2": {"kg/m2"},
}
# Units that state a duration or a time point, not a result (unless the test itself is a time: TCA in s).
_DURATION_UCUM = {"min", "h", "d", "wk", "mo", "a"}


@dataclass(frozen=True)
class LabPatterns:
    """The value patterns, compiled once from lab_values.yaml (see ``compile_lab_patterns``)."""

    value_after: re.Pattern[str]
    value_before: re.Pattern[str]
    sign_after: re.Pattern[str]
    score_after: re.Pattern[str]
    qual_after: re.Pattern[str]
    qual_list_head: re.Pattern[str]
    list_join: re.Pattern[str]
    bare_join: re.Pattern[str]
    other_phrase: re.Pattern[str]
    rank_word: re.Pattern[str]
    range: re.Pattern[str]
    times_normal: re.Pattern[str]
    measure_words: re.Pattern[str]
    from_word: re.Pattern[str]
    to_value: re.Pattern[str]
    metres: re.Pattern[str]
    mutated_before: re.Pattern[str]
    class_letter: re.Pattern[str]


def compile_lab_patterns(words: dict[str, str]) -> LabPatterns:
    """Assemble the value patterns from the named fragments of lab_values.yaml (every name of ``LabWordName``).

    Raises ``KeyError`` naming a missing fragment."""
    missing = [n for n in get_args(LabWordName) if n not in words]
    if missing:
        raise KeyError(", ".join(missing))
    w = {k: f"(?:{v})" for k, v in words.items()}
    i = re.IGNORECASE
    cmp = (
        rf"(?P<cmp>(?P<le>{w['comparator_below_or_equal']})|(?P<lt>{w['comparator_below']})"
        rf"|(?P<ge>{w['comparator_above_or_equal']})|(?P<gt>{w['comparator_above']})|<=|>=|≤|≥|<|>)"
    )
    art = w["article"]
    return LabPatterns(
        value_after=re.compile(
            r"(?:\s*[)\]])?"
            + _BRACKETS
            + _WORDS
            + r"\s*(?:[:=]|-(?=\s*\d)|\((?=\s*[<>≤≥]?\s*\d))?\s*"
            + cmp
            + r"?\s*(?P<num>"
            + NUM
            + ")",
            i,
        ),
        value_before=re.compile(
            rf"(?P<num>{NUM})(?P<unit>\s*\S{{1,12}}?)??\s*(?:\b{w['from']}\s+|\b{w['elided_article']}\s*)?$", i
        ),
        # A minus ends its item ("CK7-, CK20+", "RP-)"): in "TSH- calcémie-" the dash only separates names.
        sign_after=re.compile(
            rf"\s*(?:(?P<plus>\+{{1,3}})|-(?=\s*(?:[,;.)(\]]|$|{w['list_and']}\b)))"
            r"\s*(?:\(\s*(?P<score>[0-3])\s*\+?\s*\))?(?![\d\w])",
            i,
        ),
        # "HER2 score 3+", "HER2 (2+)", "HER2 3+": an IHC score written as digit and plus.
        score_after=re.compile(rf"\s*(?:{w['score']}\s*)?\(?\s*(?P<score>[0-3])\s*(?P<sign>\+)\s*\)?(?![\d\w+])", i),
        qual_after=re.compile(rf"(?:\s*[(\[][^()\[\]]{{1,60}}[)\]])*(?:\s*:|\s+{w['copula']}\b)*\s*$", i),
        qual_list_head=re.compile(
            rf"\s*{w['governs']}(?:\s+{art})?\s*(?:{w['amount']}\s+{w['governs']}\s*{art}?\s*)?", i
        ),
        list_join=re.compile(rf"\s*(?:,|\b{w['list_and']}\b)\s*(?:{w['governs']}\s*)?(?:{art}\b\s*)?", i),
        bare_join=re.compile(rf"\s*(?:,|\b{w['list_and']}\b)\s*", i),
        other_phrase=re.compile(rf"(?:^|\s)(?:{w['new_phrase']}(?=\s|$)|{w['elided_article']})", i),
        rank_word=re.compile(rf"(?:^|\s){w['rank']}$", i),
        range=re.compile(
            rf"\s*[(\[]\s*(?:{w['range_head']}\s*[:=]?\s*)?(?:(?P<low>{NUM})\s*{w['range_to']}\s*"
            rf"(?P<high>{NUM})|(?P<op>[<>≤≥])\s*(?P<bound>{NUM}))"
            r"\s*(?P<unit>[^\W\d_%/][^)\]]{0,10}?|%)?\s*[)\]]",
            i,
        ),
        times_normal=re.compile(rf"\s*{w['times_normal']}", i),
        measure_words=re.compile(rf"(?:\s+{w['measure_verb']})*", i),
        from_word=re.compile(rf"(?:^|\s){w['from']}$", i),
        to_value=re.compile(rf"\s*{w['to']}\s*(?P<num>{NUM})", i),
        metres=re.compile(rf"(\d)\s?{w['metres']}\s?(\d{{2}})(?!\d)"),
        mutated_before=re.compile(rf"{w['mutated_before']}$", i),
        # the letter is upper case: "Child-Pugh a été calculé" has none
        class_letter=re.compile(rf"\s*(?:[:=]\s*)?(?:(?i:{w['class_word']})\s+)?(?P<cls>[A-C])(?![\w+'’-])"),
    )


def parse_number(s: str) -> float:
    """``'37,5'`` -> 37.5; ``'97 000'`` and ``'76.000'`` -> 76000; ``'1 074,2'`` -> 1074.2.

    >>> parse_number("2.400"), parse_number("0,17"), parse_number("1 250"), parse_number("1 074,2")
    (2400.0, 0.17, 1250.0, 1074.2)
    """
    s = s.strip()
    if _THOUSANDS.fullmatch(s):
        s = _GROUP_SEP.sub("", s)
    return float(s.replace(",", "."))


def _unit_at(text: str, pos: int, mappings: Mappings) -> tuple[Any, int] | None:
    """The unit written at ``pos`` after optional spaces: (units.csv row, end offset)."""
    start = _SPACES.match(text, pos)
    u = mappings.unit_regex.match(text, start.end() if start else pos)
    if not u:
        return None
    ref = mappings.units.get(u.group()) or mappings.units.get(u.group().lower())
    return (ref.row, u.end()) if ref else None


def _cmp_code(v: re.Match[str] | None) -> str | None:
    """The FHIR comparator of a value match: from the word group that matched, or the symbol itself."""
    if v is None or not v.group("cmp"):
        return None
    for group, code in (("le", "<="), ("lt", "<"), ("ge", ">="), ("gt", ">")):
        if v.group(group):
            return code
    return _CMP_SYMBOL[v.group("cmp")]


def _clear(start: int, end: int, dates: list[PartialDate]) -> bool:
    return clear_of_dates(start, end, dates)


def _quantity(text: str, start: int, end: int, cmp: str | None, unit: tuple[Any, int] | None) -> Quantity:
    value = parse_number(text[start:end])
    if unit:
        row, uend = unit
        return Quantity(value, text[end:uend].strip(), row.ucum, row.display, cmp, start, uend)
    return Quantity(value, None, None, None, cmp, start, end)


def _summed(text: str, m: Mention, v: re.Match[str]) -> bool:
    """A score written as the sum of its two parts ("4+3 = 7", "3+4"): the total is the result, when plausible and
    when the total written is that sum. True when the words are such a sum (read or not)."""
    summed = _SUM.match(text, v.end("num"))
    if summed is None or not v.group("num").isdigit():
        return False
    total = int(v.group("num")) + int(summed.group("b"))
    q = Quantity(float(total), None, None, None, None, v.start("num"), summed.end())
    # "3+4 = 9" adds up wrong: no result rather than one of its parts
    if (not summed.group("total") or int(summed.group("total")) == total) and _plausible(m, q):
        m.attrs["quantity"] = q
    return True


def _sentence_end(text: str, pos: int, reach: int) -> int:
    """Where the sentence of ``pos`` ends, looking no further than ``reach`` characters (linear in long texts)."""
    limit = min(len(text), pos + reach)
    m = _SENTENCE_END.search(text, pos, limit)
    return m.start() if m else limit


def _duration(unit: tuple[Any, int] | None, m: Mention) -> bool:
    return unit is not None and unit[0].ucum in _DURATION_UCUM and (m.row.unit or "") not in _DURATION_UCUM | {"s"}


def attach_observation_values(
    text: str, concepts: list[Mention], quals: list[Mention], dates: list[PartialDate], mappings: Mappings
) -> None:
    """Fill ``attrs`` of the observation mentions among ``concepts`` (text order): ``quantity`` (and
    ``quantity2`` for a pair such as a blood pressure), ``sign``, ``qualitative`` (a qualitative mention) or
    ``implied`` (the row's own implied result)."""
    for i, m in enumerate(concepts):
        if m.kind != "observation":
            continue
        nxt = concepts[i + 1].start if i + 1 < len(concepts) else len(text)
        # a concept at the same span (a finding such as "anémie" read as a test too) does not end the search
        j = i + 1
        while j < len(concepts) and concepts[j].start < m.end:
            j += 1
        nxt = concepts[j].start if j < len(concepts) else len(text)
        _observation_value(text, m, nxt, concepts[i - 1].end if i else 0, quals, dates, mappings)
    _spread_over_lists(text, [m for m in concepts if m.kind == "observation"], quals, mappings.lab)


def _observation_value(
    text: str, m: Mention, nxt: int, prev_end: int, quals: list[Mention], dates: list[PartialDate], mappings: Mappings
) -> None:
    P = mappings.lab
    limit = min(nxt, _sentence_end(text, m.end, 81), m.end + 80)
    k = bisect.bisect_left(quals, m.end, key=lambda q: q.start)  # quals are in text order
    qual_after = quals[k] if k < len(quals) and quals[k].start < limit else None
    # a score and a value hold a digit, the one part of their patterns that must be there: a window without any (half
    # the tests) holds neither, which one scan for a digit tells at a fifth of the cost of the value pattern failing
    # (its lazy words and brackets are tried one count after the other first)
    digit = _DIGIT.search(text, m.end, limit) is not None
    s = P.score_after.match(text, m.end, limit) if digit else None  # "HER2 score 3+": a score, not a plain number
    if s:
        m.attrs["sign"] = (s.group("sign"), s.group("score"), s.start(), s.end())
        return
    # a panel named without code, unit or range ("bilan hépatique", "fonction rénale") has no numeric result; a
    # score without a sure code still has its range ("IPI 2")
    numeric = bool(m.row.loinc or m.row.molar_loinc or m.row.unit or m.row.plausible)
    v = P.value_after.match(text, m.end, limit) if numeric and digit else None
    if (
        v
        and _clear(v.start("num"), v.end("num"), dates)
        and not P.other_phrase.search(v.group("words") or "")
        and not P.rank_word.search(v.group("words") or "")
        and not _next_test_follows(text, v.end("num"), nxt)
    ):
        unit = _unit_at(text, v.end("num"), mappings)
        words = v.group("words") or ""
        metres = P.metres.match(text, v.start("num"), limit)
        if metres and not v.group("cmp"):  # "1m57": a height in metres
            m.attrs["quantity"] = Quantity(
                float(f"{metres.group(1)}.{metres.group(2)}"), "m", "m", "m", None, metres.start(), metres.end()
            )
            return
        if unit is None and not v.group("cmp") and _summed(text, m, v):
            return  # "Gleason 4+3 = 7"
        if unit is None and (
            _GLUED_LETTER.match(text, v.end("num"))
            or P.times_normal.match(text, v.end("num"))
            or _SPAN.match(text, v.end("num"))
        ):  # "ECOG 0-1": a span, not one value
            return  # "85OOO": not a number standing alone; "6 fois la normale": a multiple, not the value
        if (m.row.unit or "") in _MEASURE_UCUM and not _body_measure(m.row.unit, unit, words, v.group("cmp"), P):
            return
        m.attrs["quantity"] = _quantity(text, v.start("num"), v.end("num"), _cmp_code(v), unit)
        _pair(text, m, v.end("num"), unit, mappings, limit)
        if "quantity2" not in m.attrs and P.from_word.search(words):
            _later_value(text, m, unit, mappings, limit)
        # a number far from the test name must at least carry a unit, and never a duration ("2 jours après")
        if (
            _duration(unit, m)
            or (m.attrs["quantity"].ucum is None and len(words.split()) > 2)
            or not _plausible(m, m.attrs["quantity"])
        ):
            m.attrs.pop("quantity")
            m.attrs.pop("quantity2", None)
        else:
            _reference_range(text, m, v.start(), v.start("num"), limit, mappings)
            if qual_after is not None and qual_after.start < v.start("num") and qual_after.row.kind == "interpretation":
                m.attrs["interpretation"] = qual_after  # "élevée à 1953 UI/L"
            return
    c = P.class_letter.match(text, m.end, limit) if m.row.category == "survey" else None
    if c is not None:  # "Child-Pugh B": a score written as its class
        m.attrs["class"] = (c.group("cls"), c.start("cls"), c.end("cls"))
        return
    s = P.sign_after.match(text, m.end)  # no end bound: "$" must mean the end of the text, not of the search
    if s and s.end() <= limit:
        m.attrs["sign"] = ("+" if s.group("plus") else "-", s.group("score"), s.start(), s.end())
        return
    if (
        qual_after is not None
        and P.qual_after.fullmatch(text, m.end, qual_after.start)
        and (m.row.unit or "") not in _MEASURE_UCUM
    ):
        m.attrs["qualitative"] = qual_after
        return
    # "2000 plaquettes": counts and concentrations only ("40 PA" is not a blood pressure)
    if numeric and m.row.category == "laboratory" and _value_before(text, m, prev_end, dates, mappings):
        return
    if m.row.implies:
        m.attrs["implied"] = m.row.implies
    elif not m.row.unit:  # a test without unit may be a gene named after its mutation
        _mutated(text, m, prev_end, P)


def _mutated(text: str, m: Mention, prev_end: int, P: LabPatterns) -> None:
    """ "mutation germinale de BRCA1": the words before a gene test state its result, a mutation found (a sign
    "+", cited on the words "mutation germinale"); after "absence de" none found (a sign "-", cited from "absence");
    no result after "recherche de"."""
    start = max(prev_end, m.start - _MUTATION_REACH)
    words = _mutation_words(P.mutated_before)
    if words is not None and words.search(text, start, m.start) is None:
        return  # most gene tests: no "mutation" word before them, which the pattern tried at each offset to learn
    hit = P.mutated_before.search(text[start : m.start])
    if hit is not None and hit.group("search") is None:
        first = "absent" if hit.group("absent") is not None else "mut"
        sign = "-" if first == "absent" else "+"
        m.attrs["sign"] = (sign, None, start + hit.start(first), start + hit.end("mut"))


# (``mutated_before``, the words one of which its every match holds, as one alternation with its flags, or None):
# the pattern of the last tables asked, replaced whole (safe when threads share it)
_MUTATION_WORDS: tuple[re.Pattern[str] | None, re.Pattern[str] | None] = (None, None)


def _mutation_words(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The words one of which every match of ``pattern`` holds ("mutation", "réarrangement" ...), found by the table
    prefilter's analysis of the pattern, as an alternation searched first: a slice without any of them holds no match
    (the pattern opens with optional groups, so re tried it at every offset of the slice), or None when not known."""
    global _MUTATION_WORDS
    if _MUTATION_WORDS[0] is not pattern:
        # the literals as written, not case-folded: a folded one ("straße" -> "strasse") would not find, ignoring case as
        # re does (one character for one), the words the pattern matches; a pattern that asks for case folding inline
        # gets no words
        plain = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
        literals = necessary_literals(plain) if not plain.flags & re.IGNORECASE else None
        words = re.compile("|".join(map(re.escape, sorted(literals))), pattern.flags) if literals else None
        _MUTATION_WORDS = (pattern, words)
    return _MUTATION_WORDS[1]


def _plausible(m: Mention, q: Quantity) -> bool:
    """Within the row's ``plausible`` range when written in its usual unit or without unit."""
    bounds = m.row.plausible_range
    if bounds is None or (q.ucum is not None and q.ucum != m.row.unit):
        return True
    return bool(bounds[0] <= q.value <= bounds[1])


def _later_value(text: str, m: Mention, unit: tuple[Any, int] | None, mappings: Mappings, limit: int) -> None:
    first: Quantity = m.attrs["quantity"]
    t = mappings.lab.to_value.match(text, first.end, limit)
    if t is None:
        return
    unit2 = _unit_at(text, t.end("num"), mappings)
    if unit2 is None and unit is not None or _duration(unit2, m):
        return
    later = _quantity(text, t.start("num"), t.end("num"), None, unit2)
    if first.ucum is None and later.ucum is not None:  # "de 540 à 35 U/ml": the unit written once
        first = Quantity(
            first.value, later.unit_text, later.ucum, later.unit_display, first.comparator, first.start, first.end
        )
        m.attrs["quantity"] = first
    m.attrs["later"] = later


def _reference_range(text: str, m: Mention, gap_start: int, num_start: int, limit: int, mappings: Mappings) -> None:
    """The normal range written in brackets after the value, or between the test name and the value, in its own
    unit when the bracket writes one ("(0-35 UI/ml)"), else in the value's."""
    q: Quantity = m.attrs["quantity"]
    r = mappings.lab.range.match(text, q.end, limit) or mappings.lab.range.search(text, gap_start, num_start)
    if r is None:
        return
    if r.group("op"):
        bound = parse_number(r.group("bound"))
        low, high = (None, bound) if r.group("op") in "<≤" else (bound, None)
    else:
        low, high = parse_number(r.group("low")), parse_number(r.group("high"))
    unit = _unit_at(text, r.start("unit"), mappings) if r.group("unit") else None
    m.attrs["range"] = (
        low,
        high,
        r.start() + len(r.group()) - len(r.group().lstrip()),
        r.end(),
        unit[0] if unit else None,
    )


def _next_test_follows(text: str, num_end: int, nxt: int) -> bool:
    """ "Hémogramme : 10160 leucocytes": the number is the value of the test written right after it."""
    return nxt < len(text) and not text[num_end:nxt].strip()


def _body_measure(row_unit: str, unit: tuple[Any, int] | None, words: str, cmp: str | None, P: LabPatterns) -> bool:
    """ "taille 168 cm", "poids de 62 kg": a body measure is written next to its name, with no comparator, in a
    unit of its kind; "taille supérieure à 10 mm", "taille maximale de 2 cm" describe a lesion."""
    if cmp or not P.measure_words.fullmatch(words):
        return False
    return unit is None or unit[0].ucum in _MEASURE_UCUM[row_unit]


def _pair(text: str, m: Mention, num_end: int, unit: tuple[Any, int] | None, mappings: Mappings, limit: int) -> None:
    """ "120/80 mmHg", "141 mmHg/85 mmHg": the second value of a pair (diastolic pressure, control time)."""
    pos = unit[1] if unit and "/" not in unit[0].ucum else num_end
    p = _PAIR.match(text, pos, limit) if not unit or "/" not in unit[0].ucum else None
    if p is None:
        return
    if p.group("unit1") and not unit:
        return
    start, end = p.start("num2"), p.end("num2")
    unit2 = _unit_at(text, end, mappings)
    q2 = _quantity(text, start, end, None, unit2)
    first: Quantity = m.attrs["quantity"]
    if first.ucum is None and q2.ucum is not None:  # "120/80 mmHg": the unit written once applies to both
        first = Quantity(first.value, q2.unit_text, q2.ucum, q2.unit_display, first.comparator, first.start, q2.end)
        m.attrs["quantity"] = first
    m.attrs["quantity2"] = q2


def _value_before(text: str, m: Mention, prev_end: int, dates: list[PartialDate], mappings: Mappings) -> bool:
    """ "2000 plaquettes", "115 000 plaquettes/mcrl", "2652 µmol/l de créatinine"."""
    lo = max(prev_end, m.start - 30)
    b = mappings.lab.value_before.search(text, lo, m.start)
    if not b:
        return False
    start, end = b.start("num"), b.end("num")
    # the character just before the number (searching from 0 scanned the whole text for every test: quadratic)
    if not _clear(start, end, dates) or _NUMBER_BEHIND.search(text, max(0, start - 1), start):
        return False
    if b.group("unit"):
        unit = _unit_at(text, end, mappings)
        written_end = b.start("unit") + len(b.group("unit").rstrip())
        if unit is None or unit[1] < written_end or _duration(unit, m):
            return False
        m.attrs["quantity"] = _quantity(text, start, end, None, unit)
    else:
        unit = _unit_at(text, m.end, mappings) if text[m.end : m.end + 1] == "/" else None
        q = _quantity(text, start, end, None, unit)
        m.attrs["quantity"] = Quantity(q.value, q.unit_text, q.ucum, q.unit_display, None, start, end)
    m.attrs["value_before"] = True
    return True


def _has_result(m: Mention) -> bool:
    return any(k in m.attrs for k in ("quantity", "sign", "qualitative"))


def _tail(items: list[Mention], k: int) -> Iterator[Mention]:
    """``items[k:]`` without the copy (a slice per test would copy the rest of a long report's list each time)."""
    return map(items.__getitem__, range(k, len(items)))


def _spread_over_lists(text: str, obs: list[Mention], quals: list[Mention], P: LabPatterns) -> None:
    """A result written once for a list of tests."""
    # "CEA, CA 19.9 : normaux", "(AFP, ACE et CA-125) étaient tous négatifs": from the last test backwards
    for a, b in zip(reversed(obs[:-1]), reversed(obs[1:])):
        if (
            not _has_result(a)
            and b.attrs.get("qualitative") is not None
            and P.bare_join.fullmatch(text, a.end, b.start)
        ):
            a.attrs["qualitative"] = b.attrs["qualitative"]
            a.attrs.pop("implied", None)
    # (obs and quals are in text order: each test looks at the results after it, found by bisection, not at all of
    # the report's; a long report lists hundreds of tests and results)
    for i, a in enumerate(obs):
        if _has_result(a) or "qualitative" in a.attrs:
            continue
        close = _LIST_CLOSE.match(text, a.end)
        if close:
            k = bisect.bisect_left(quals, close.end(), key=lambda x: x.start)
            q = next((q for q in _tail(quals, k) if P.qual_after.fullmatch(text, close.end(), q.start)), None)
            if q is not None and q.row.kind == "value":
                a.attrs["qualitative"] = q
                prev = a
                for b in reversed(obs[:i]):
                    if _has_result(b) or not P.list_join.fullmatch(text, b.end, prev.start):
                        break
                    b.attrs["qualitative"] = q
                    prev = b
    # "positif pour CK7, CK18, CK19 ; et négatif pour CK20": the result word governs the list that follows;
    # "augmentation des niveaux de chromogranine": a judgement before the test
    for q in quals:
        head = P.qual_list_head.match(text, q.end)
        if not head:
            continue
        lo, pos = q.end, head.end()  # the test may start inside the head ("baisse du taux d'hémoglobine")
        for a in _tail(obs, bisect.bisect_left(obs, lo, key=lambda x: x.start)):
            if a.start < lo:
                continue
            if a.start > pos:
                break
            if q.row.kind == "interpretation":
                if not _has_result(a) and (a.row.unit or "") not in _MEASURE_UCUM:
                    a.attrs["qualitative"] = q
            elif not _has_result(a) or a.attrs.get("value_before"):
                a.attrs.pop("quantity", None)
                a.attrs.pop("value_before", None)
                a.attrs["qualitative"] = q
            j = P.list_join.match(text, a.end)
            if not j or j.end() == a.end:
                break
            lo = pos = j.end()
