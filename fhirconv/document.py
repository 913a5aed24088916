"""The data that flows between pipeline stages: sections, sentences, mentions, dates, quantities."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Section", "Sentence", "PartialDate", "Quantity", "Cue", "Mention", "Structure", "SpanSet"]


# The small records below are hashed and compared by value and nothing assigns their fields once built, but they are
# not frozen: a frozen dataclass's __init__ (object.__setattr__ per field) is interpreted Python in the compiled build
# too, ~15 times the cost of the __init__ written out here, which mypyc compiles, and a report builds a hundred or so
# (cues, sentences, dates). unsafe_hash: the same __hash__ over the fields as frozen=True gave.
@dataclass(slots=True, init=False, unsafe_hash=True)
class Section:
    key: str | None  # normalised section kind (history, exam, tests, diagnosis, treatment, evolution) or None
    title: str
    start: int  # first character of the section body
    end: int

    def __init__(self, key: str | None, title: str, start: int, end: int) -> None:
        self.key = key
        self.title = title
        self.start = start
        self.end = end


# the longest span a rule scoped to "its sentence" reads around a mention: the longest sentence of the dev corpora is
# 1427 characters (72 252 sentences; 6 over 1000), so a sentence shorter than this is read whole. A text without
# sentence ends (OCR, lists, tables pasted as text) is one "sentence" of the whole text, and a rule that read its
# sentence for each mention, or scanned from one mention back to another, cost the text's length per mention (issue 8:
# a 16x longer unpunctuated text cost 7x more per character); words further apart are not one clause's
SENTENCE_SPAN = 2000


@dataclass(slots=True, init=False, unsafe_hash=True)  # not frozen: see Section
class Sentence:
    start: int
    end: int
    section: int  # index into Structure.sections
    paragraph: int

    def __init__(self, start: int, end: int, section: int, paragraph: int) -> None:
        self.start = start
        self.end = end
        self.section = section
        self.paragraph = paragraph


@dataclass(slots=True, init=False, unsafe_hash=True)  # not frozen: see Section (and its starts are set in __init__)
class Structure:
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    # the sentence starts, for sentence_at: every stage asks it for each mention, cue and date of a report (~250 times).
    # Kept here, not in a module global read at each call, and bisected by the compiled loop below: bisect.bisect_right
    # is a generic call comparing boxed ints (~1,700 instructions a call compiled, with the global's lookup)
    starts: list[int] = field(init=False, compare=False, repr=False)  # (pickled through the constructor)

    def __init__(self, sections: tuple[Section, ...], sentences: tuple[Sentence, ...]) -> None:
        self.sections = sections
        self.sentences = sentences
        self.starts = [s.start for s in sentences]

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence containing ``offset``: the last one starting at or before it (0 if none)."""
        starts = self.starts
        lo = 0
        hi = len(starts)
        while lo < hi:  # bisect.bisect_right(starts, offset)
            mid = (lo + hi) // 2
            if offset < starts[mid]:
                hi = mid
            else:
                lo = mid + 1
        return lo - 1 if lo else 0

    def around(self, index: int, start: int, end: int) -> tuple[int, int]:
        """The part of sentence ``index`` a rule reads for the words ``[start, end)`` of it: the whole sentence when
        it is shorter than SENTENCE_SPAN, else at most SENTENCE_SPAN characters on each side of the words."""
        sent = self.sentences[index]
        return max(sent.start, start - SENTENCE_SPAN), min(sent.end, end + SENTENCE_SPAN)


@dataclass(slots=True, init=False, unsafe_hash=True)  # not frozen: see Section
class PartialDate:
    """A FHIR partial date: ``2013``, ``2013-03`` or ``2015-03-02``; never more precise than the text."""

    year: int
    month: int | None = None
    day: int | None = None
    start: int = -1  # evidence offsets of the date expression
    end: int = -1
    rule: str = ""
    anchor: PartialDate | None = None  # a relative date: the date it counts from (fhirconv/timeline.py)

    def __init__(
        self,
        year: int,
        month: int | None = None,
        day: int | None = None,
        start: int = -1,
        end: int = -1,
        rule: str = "",
        anchor: PartialDate | None = None,
    ) -> None:
        self.year = year
        self.month = month
        self.day = day
        self.start = start
        self.end = end
        self.rule = rule
        self.anchor = anchor

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(slots=True, init=False, unsafe_hash=True)  # not frozen: see Section
class Quantity:
    value: float
    unit_text: str | None  # as written
    ucum: str | None  # UCUM code, None when the text gives no unit (never invented)
    unit_display: str | None
    comparator: str | None
    start: int
    end: int

    def __init__(
        self,
        value: float,
        unit_text: str | None,
        ucum: str | None,
        unit_display: str | None,
        comparator: str | None,
        start: int,
        end: int,
    ) -> None:
        self.value = value
        self.unit_text = unit_text
        self.ucum = ucum
        self.unit_display = unit_display
        self.comparator = comparator
        self.start = start
        self.end = end

    def fhir(self) -> dict[str, Any]:
        q: dict[str, Any] = {"value": self.value}
        if self.comparator:
            q["comparator"] = self.comparator
        if self.ucum:
            q.update(unit=self.unit_display or self.ucum, system="http://unitsofmeasure.org", code=self.ucum)
        elif self.unit_text:
            q["unit"] = self.unit_text
        return q


@dataclass(slots=True, init=False, unsafe_hash=True)  # not frozen: see Section
class Cue:
    kind: str
    start: int
    end: int
    rule: str  # table:line of the cue

    def __init__(self, kind: str, start: int, end: int, rule: str) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.rule = rule


# init=False: the __init__ below is written out, so that the compiled build (setup.py) compiles it; the one dataclass
# writes is interpreted Python, and a report builds a few hundred mentions
@dataclass(slots=True, init=False)
class Mention:
    """A thing found in the text, with its evidence span and the table rows / rule that produced it."""

    kind: str
    start: int
    end: int
    text: str
    rows: tuple[Any, ...] = ()  # RowRef of every table row matched on this span
    rule: str = ""  # "conditions.csv:12", or a pattern's table:line
    sentence: int = -1
    qualifiers: dict[str, Cue] = field(default_factory=dict)  # negation, exclusion, hypothesis ... -> the cue
    attrs: dict[str, Any] = field(default_factory=dict)  # values, dosage parts, linked mentions
    date: PartialDate | None = None

    def __init__(
        self,
        kind: str,
        start: int,
        end: int,
        text: str,
        rows: tuple[Any, ...] = (),
        rule: str = "",
        sentence: int = -1,
        qualifiers: dict[str, Cue] | None = None,
        attrs: dict[str, Any] | None = None,
        date: PartialDate | None = None,
    ) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.text = text
        self.rows = rows
        self.rule = rule
        self.sentence = sentence
        self.qualifiers = {} if qualifiers is None else qualifiers
        self.attrs = {} if attrs is None else attrs
        self.date = date

    @property
    def row(self) -> Any:
        return self.rows[0].row if self.rows else None

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end


def clear_of_dates(start: int, end: int, dates: list[PartialDate]) -> bool:
    """No date expression overlaps ``[start, end)``. ``dates`` sorted by start (the timeline's order): a binary
    search, so that reading values costs no more per number in a long report than in a short one."""
    i = bisect.bisect_left(dates, end, key=lambda d: d.start)
    return not any(d.start < end and start < d.end for d in dates[max(0, i - 4) : i])


class SpanSet:
    """Non-overlapping ``[start, end)`` spans, for "keep a match unless it overlaps one kept before".

    Kept spans never overlap, so sorted by start they are sorted by end too and an overlap test is a bisection:
    a long report has thousands of cues and dates, and testing each against every kept one was quadratic.

    >>> spans = SpanSet(); spans.add(3, 8); spans.overlaps(7, 9), spans.overlaps(8, 9)
    (True, False)
    """

    __slots__ = ("_starts", "_ends")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start)
        return bool((i and self._ends[i - 1] > start) or (i < len(self._starts) and self._starts[i] < end))

    def add(self, start: int, end: int) -> None:
        """Add a span (the caller has checked that it overlaps none)."""
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
