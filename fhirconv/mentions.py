"""Stage 3 - mentions: every table term, staging expression and age found in the text, with its offsets.

Concepts (conditions, tumours, drugs, regimens, lab tests, procedures) are matched longest-first over all concept
tables at once; attributes (body sites, relatives, routes, qualitative words, gender words) in a second pass, so
that "biopsie de la moelle osseuse" is a procedure *and* contains the site "moelle osseuse".
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any

from .abbreviations import defined_abbreviations
from .document import Mention, SpanSet, Structure
from .normalise import NormalisedText
from .tables import ATTRIBUTE_KINDS, Mappings, RowRef

__all__ = ["find_mentions"]


def find_mentions(doc: NormalisedText, structure: Structure, mappings: Mappings) -> list[Mention]:
    """All mentions of ``doc``, sorted by offset. Each keeps the table rows (``RowRef``) that produced it."""
    text = doc.text
    out: list[Mention] = []
    for matcher in (mappings.matcher, mappings.attribute_matcher):
        for hit in matcher.find(doc):
            if len(hit.payloads) == 1:  # most terms are one table row: no grouping by kind to do
                kind, ref = hit.payloads[0]
                out.append(Mention(kind, hit.start, hit.end, text[hit.start : hit.end], (ref,), ref.where))
                continue
            by_kind: dict[str, list[Any]] = {}
            for kind, ref in hit.payloads:
                by_kind.setdefault(kind, []).append(ref)
            for kind, refs in by_kind.items():
                out.append(Mention(kind, hit.start, hit.end, text[hit.start : hit.end], tuple(refs), refs[0].where))
    _disease_words(doc, out, mappings)
    for pattern, ref in mappings.staging:
        for m in pattern.finditer(text):
            start = m.start("prefix") if "prefix" in pattern.groupindex and m.group("prefix") else m.start()
            if ref.row.kind == "tnm":
                start = m.start() + (2 if text.startswith("et", m.start()) else 0)
            mention = Mention(ref.row.kind, start, m.end(), text[start : m.end()], (ref,), ref.where)
            mention.attrs.update({k: v for k, v in m.groupdict().items() if v})
            out.append(mention)
    for pattern, ref in mappings.age_patterns:
        for m in pattern.finditer(text):
            mention = Mention(
                "age", m.start("value"), m.end("unit"), text[m.start("value") : m.end("unit")], (ref,), ref.where
            )
            mention.attrs.update(value=int(m.group("value")), unit=m.group("unit"))
            if ref.row.gender:
                mention.attrs["title"] = (m.start("title"), m.end("title"))
            out.append(mention)
            break  # the patient's age is the first one stated
        else:
            continue
        break
    out = _drop_contained(out)
    for mention in out:
        mention.sentence = structure.sentence_at(mention.start)
    out.sort(key=lambda x: (x.start, -x.end, x.kind))
    _link_aliases(text, out)
    added, replaced = defined_abbreviations(text, out)
    if added:  # most reports define no disease abbreviation
        for mention in added:
            mention.sentence = structure.sentence_at(mention.start)
        gone = {id(m) for m in replaced}
        out = [m for m in out if id(m) not in gone] + added
        out.sort(key=lambda x: (x.start, -x.end, x.kind))
    return out


def _disease_words(doc: NormalisedText, out: list[Mention], mappings: Mappings) -> None:
    """Words built on a disease suffix (disease_words.yaml) that no table term covers become findings."""
    suffixes, rules = mappings.disease_words
    if not suffixes:
        return
    memo = _memo(suffixes, rules)
    text, raws, starts, ends = doc.text, doc.raws, doc.starts, doc.ends
    spans: list[tuple[int, int]] | None = None
    for n in _suffixed(doc, memo):
        if len(raws[n]) < 4:
            continue
        start, end = starts[n], ends[n]
        while n and text[start - 1 : start] == "-" and ends[n - 1] == start - 1:  # "viscéro-mégalie"
            n -= 1
            start = starts[n]
        word = text[start:end].lower()
        if word[:1].isdigit():
            continue
        ref = memo.rule(word)
        if ref is None:
            continue
        if spans is None:
            spans = sorted((m.start, m.end) for m in out if m.kind not in ATTRIBUTE_KINDS)
        i = bisect.bisect_left(spans, (end,))
        if any(a < end and start < b for a, b in spans[max(0, i - 8) : i]):
            continue
        out.append(Mention("finding", start, end, text[start:end], (ref,), ref.where))
        bisect.insort(spans, (start, end))


class _WordMemo:
    """What the disease-word rules of one table say of the words met so far. Reports share most of their words: a
    word is lowered and tested against the suffixes once (a lowering of the whole text and a search of it per suffix
    was ~1 % of a report's conversion), and a suffixed word against the rules once (each rule's ``fires`` is a
    pydantic model's method: up to 11 interpreted calls per word, ~0.3 M instructions per report compiled)."""

    def __init__(self, suffixes: tuple[str, ...], rules: list[RowRef]) -> None:
        self.suffixes = suffixes
        self.rules = rules
        self.seen: set[str] = set()  # raw words tested against the suffixes
        self.hits: set[str] = set()  # those whose lower case ends with one
        self.fired: dict[str, RowRef | None] = {}  # lower-case word -> the first rule it fires, or None

    def rule(self, word: str) -> RowRef | None:
        """The first rule ``word`` (lower case) fires, or None."""
        if word in self.fired:
            return self.fired[word]
        ref = self.fired[word] = next((r for r in self.rules if r.row.fires(word)), None)
        return ref


# the memo of the last tables asked (one object, replaced whole: safe when threads share it)
_MEMO: _WordMemo | None = None
_MAX_WORDS = 200_000  # words remembered at most: a long batch of varied texts does not grow it forever


def _memo(suffixes: tuple[str, ...], rules: list[RowRef]) -> _WordMemo:
    global _MEMO
    memo = _MEMO
    if memo is None or memo.suffixes is not suffixes or memo.rules is not rules or len(memo.seen) > _MAX_WORDS:
        memo = _MEMO = _WordMemo(suffixes, rules)
    return memo


def _suffixed(doc: NormalisedText, memo: _WordMemo) -> list[int]:
    """The words (indices, in order) whose lower case ends with one of ``memo.suffixes``."""
    seen, hits, suffixes = memo.seen, memo.hits, memo.suffixes
    # one compiled loop, two set lookups per word: building a set of the report's words to find the new ones cost
    # more (a report always brings some), and a dict lookup per word through map() more still
    out: list[int] = []
    for n, word in enumerate(doc.raws):
        if word in hits:
            out.append(n)
        elif word not in seen:  # a word not met yet: lowered and tested once
            if word.lower().endswith(suffixes):
                hits.add(word)
                out.append(n)
            seen.add(word)
    return out


_ALIAS_GAP = re.compile(r"\s*[(\[]\s*")
_ALIAS_VALUE = re.compile(r"^\s*\d+(?:[.,]\d+)?")  # a value between the head and the bracket ("Group 1 (ECOG-1)")
_ALIAS_END = re.compile(r"\s*(?:[-\s]\s*\d+(?:[.,]\d+)?)?\s*[)\]]")


def _link_aliases(text: str, mentions: list[Mention]) -> None:
    """ "hémoglobine (Hb)", "Tomodensitométrie (TDM)", "purpura ... thrombotique (PTT)", "... Group 1 (ECOG-1)": the
    bracketed abbreviation restates the concept before it. It becomes an alias (extra evidence), not a new fact."""
    concepts = [m for m in mentions if m.kind not in ATTRIBUTE_KINDS]
    for head, nxt in zip(concepts, concepts[1:]):
        if nxt.kind != head.kind or "alias_of" in head.attrs:
            continue
        gap = text[head.end : nxt.start]
        if "(" not in gap and "[" not in gap:  # most pairs: no bracket between them (re.sub cost a re cache lookup)
            continue
        gap = _ALIAS_VALUE.sub("", gap)  # allow a value between the head and the bracket
        if _ALIAS_GAP.fullmatch(gap) and _ALIAS_END.match(text, nxt.end):
            nxt.attrs["alias_of"] = head
            head.attrs.setdefault("aliases", []).append(nxt)


def _drop_contained(mentions: list[Mention]) -> list[Mention]:
    """Pattern mentions (stage, TNM, age) win over table words inside them ("Stade IV": not the route IV)."""
    patterns = sorted((m.start, m.end) for m in mentions if m.kind in ("stage", "tnm", "age"))
    if not patterns:
        return mentions
    # m lies inside a pattern iff, of the patterns starting at or before m, the one reaching furthest covers m
    starts = [s for s, _ in patterns]
    reach = list(itertools.accumulate((e for _, e in patterns), max))
    keep = []
    for m in mentions:
        i = bisect.bisect_right(starts, m.start)
        if m.kind not in ("stage", "tnm", "age") and i and reach[i - 1] >= m.end:
            continue
        keep.append(m)
    # TNM patterns for clinical and pathological may both fire on one expression: keep the first rule's.
    seen = SpanSet()
    out = []
    for m in keep:
        if m.kind == "tnm":
            if seen.overlaps(m.start, m.end):
                continue
            seen.add(m.start, m.end)
        out.append(m)
    return out
