"""Shared pieces of resource building: deterministic ids, evidence extensions, codings."""

from __future__ import annotations

import bisect
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from .. import fhirspec as F
from ..document import Mention
from ..tables import Mappings
from ..tables.prefilter import Prefiltered

__all__ = [
    "BuildContext",
    "ByStart",
    "coding",
    "concept",
    "evidence",
    "match_starts",
    "may_start",
    "prefiltered",
    "words_between",
]

_WORD = re.compile(r"[^\W_]+")


def words_between(text: str, start: int, end: int, most: int) -> int:
    """The number of words in ``text[start:end]``, or ``most + 1`` as soon as there are more than ``most``: a gap
    is compared with a few words, and counting a whole giant sentence for each pair of mentions made a report
    written as one sentence cost the cube of its length."""
    n = 0
    for _ in _WORD.finditer(text, start, max(start, end)):
        n += 1
        if n > most:
            break
    return n


def prefiltered(mappings: Mappings, name: str) -> Prefiltered:
    """phrases.yaml pattern ``name`` with the table prefilter (``Prefiltered``: the same matches, tried only where one
    may start): for a builder that scans the whole report, or many windows of it, with one phrase pattern (phrases.yaml
    patterns are plain compiled regexes; an alternation of words under IGNORECASE made re try every offset of the
    report). Every phrase is analysed when the tables are loaded (``Mappings.phrase_scans``, kept in the tables cache;
    ``load_mappings`` is the only maker of a Mappings, ``with_icdo_edition`` copies it whole)."""
    return mappings.phrase_scans[name]


def match_starts(mappings: Mappings, name: str, text: str) -> list[int] | None:
    """Every offset of ``text`` where a match of phrases.yaml pattern ``name`` may start (sorted), or None when they
    are not known: for a builder that searches a small window of the report before each of its mentions with one
    pattern ("comité des ..." before a disease word), so that the windows with no possible start are not searched.
    The table prefilter finds them (``Prefiltered.window_candidates``: once per report, from the word index the
    mention stage built)."""
    return prefiltered(mappings, name).window_candidates(text)


def may_start(starts: list[int] | None, pos: int, endpos: int) -> bool:
    """False when ``pattern.search(text, pos, endpos)`` finds nothing for sure: no offset of ``match_starts`` lies
    in ``[pos, endpos]``."""
    return starts is None or bisect.bisect_left(starts, pos) < bisect.bisect_right(starts, endpos)


class ByStart:
    """Mentions sorted by start, with their starts and their ends in lists of their own, built once: a builder that
    looks for the mentions starting in a window (not a scan of them all for each act: a long report made that
    quadratic) does two bisections of plain integers (``starting``, or ``bisect.bisect_left(by.starts, pos)``), not
    two with a key, which called a Python-level function at each of their steps (~3,000 instructions a window in the
    compiled build). ``bisect(by.ends, x)`` is ``bisect(by.mentions, x, key=lambda m: m.end)``, step for step (the
    ends of mentions that do not overlap, such as the body sites, are sorted too)."""

    __slots__ = ("mentions", "starts", "ends")

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.starts = [m.start for m in mentions]
        self.ends = [m.end for m in mentions]

    def starting(self, start: int, end: int) -> list[Mention]:
        """The mentions that start in ``[start, end)``."""
        lo = bisect.bisect_left(self.starts, start)
        return self.mentions[lo : bisect.bisect_left(self.starts, end, lo)]


# Namespace of fhirconv's uuid5 ids (fixed forever: changing it changes every id ever produced).
NAMESPACE = uuid.UUID("6f1c3b5e-3d0a-5b7e-9a51-0c2f4e8d7a10")
_NAMESPACE_BYTES = NAMESPACE.bytes


# the 17th hex digit of a uuid5 keeps its two low bits under the RFC 4122 variant bits (10xx): 8, 9, a or b
_VARIANT_DIGIT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}


def uuid5(name: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, name))`` without the UUID object: a report makes ~50 ids, and the object's
    construction and checks cost more than the hash. The version (5) and variant are set on the hex digits."""
    x = hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8")).hexdigest()
    return f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT_DIGIT[x[16]]}{x[17:20]}-{x[20:32]}"


@dataclass
class Unmapped:
    kind: str
    text: str
    start: int
    end: int
    reason: str


@dataclass
class BuildContext:
    text: str
    report_key: str
    mappings: Mappings
    mentions: list[Mention]
    structure: Any = None
    dates: list[Any] = field(default_factory=list)  # every date of the text (PartialDate), for drug periods
    resources: list[dict[str, Any]] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    dropped: list[tuple[Mention, str]] = field(default_factory=list)  # mentions not asserted, and why
    timeline: Any = None  # the report's dates (fhirconv.timeline.Timeline): within(start, end), last_before(offset)
    # the merged Conditions (build.conditions._Cond), set by build_conditions for the staging and grade builders; a
    # declared field, not an attribute added on the fly, so that the mypyc-compiled build (setup.py) accepts it
    conditions: list[Any] = field(default_factory=list)

    def id_for(self, rtype: str, key: str) -> str:
        return uuid5(f"{self.report_key}/{rtype}/{key}")

    def ref(self, resource: dict[str, Any]) -> dict[str, str]:
        return {"reference": f"urn:uuid:{resource['id']}"}

    def __post_init__(self) -> None:
        # the mentions' starts (``mentions`` is sorted by start), bisected by the builders that look for the mentions
        # in a window: a bisection of ``mentions`` with a key called a Python-level function at each of its steps
        self.mention_starts = [m.start for m in self.mentions]
        # the body sites (topography mentions, in text order), read by the Condition and Procedure builders
        self.sites = ByStart([m for m in self.mentions if m.kind == "topography"])
        # computed once: every evidence extension cites the DocumentReference
        self._doc_url = f"urn:uuid:{self.id_for('DocumentReference', 'source')}"
        self._patient_url = f"urn:uuid:{self.id_for('Patient', 'patient')}"

    @property
    def document_ref(self) -> dict[str, str]:
        return {"reference": self._doc_url}

    @property
    def patient_ref(self) -> dict[str, str]:
        return {"reference": self._patient_url}

    def add(self, resource: dict[str, Any]) -> dict[str, Any]:
        self.resources.append(resource)
        return resource

    def evidence(self, start: int, end: int, path: str | None = None) -> dict[str, Any]:
        """One derivation-reference extension citing ``text[start:end]`` (CONVENTIONS.md, evidence)."""
        # cite the words, not the blanks a pattern took around them ("HER2 - " cites "-"; found by the property
        # tests, tests/test_properties.py)
        text = self.text
        if start < end and (text[start].isspace() or text[end - 1].isspace()):
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
        ext: list[dict[str, Any]] = [
            {"url": "reference", "valueReference": {"reference": self._doc_url}},  # not the property: ~100 per report
            {"url": "offset", "valueInteger": start},
            {"url": "length", "valueInteger": end - start},
        ]
        if path:
            ext.append({"url": "path", "valueString": path})
        return {"url": F.DERIVATION_REFERENCE, "extension": ext}


def coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def concept(text: str, *codings: dict[str, str] | None) -> dict[str, Any]:
    """A CodeableConcept keeping the verbatim mention as ``text`` (CONVENTIONS.md: every CodeableConcept)."""
    cc: dict[str, Any] = {}
    cs = list(filter(None, codings))  # (in C: ~100 concepts per report)
    if cs:
        cc["coding"] = cs
    cc["text"] = text
    return cc


def evidence(ctx: BuildContext, mentions: list[Mention], path: str | None = None) -> list[dict[str, Any]]:
    if len(mentions) <= 1:  # most resources cite one span per element: no set of spans seen
        return [ctx.evidence(m.start, m.end, path) for m in mentions]
    seen: set[tuple[int, int]] = set()
    out = []
    for m in mentions:
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(ctx.evidence(m.start, m.end, path))
    return out
