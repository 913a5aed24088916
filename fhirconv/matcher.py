"""Dictionary matching of table terms over the words of a text (longest match, word boundaries)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress
from typing import Any, NamedTuple

from .normalise import _JOINER, NormalisedText, exact_keys, is_case_sensitive_term, term_keys

__all__ = ["TermMatcher", "Match"]


class Match(NamedTuple):
    # a NamedTuple, not a frozen dataclass: one is built per term found, and a tuple is built several times faster
    start: int  # offset of the first character
    end: int
    first_token: int
    last_token: int  # inclusive
    payloads: tuple[Any, ...]  # every entry registered for this term (one per table row)


# what Match(...) calls, without the Python-level __new__ that NamedTuple writes (interpreted, in the compiled build
# too): a match is built for each prefix of a term found (normalise.py builds its Tokens the same way)
_new_match = tuple.__new__


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    # (exact keys or None for case-insensitive, payload)
    entries: list[tuple[tuple[str, ...] | None, Any]] = field(default_factory=list)
    # every entry's payload, in order: what a match yields when no entry is case-sensitive (``cased`` False), so
    # that the common match builds no tuple of its own
    payloads: tuple[Any, ...] = ()
    cased: bool = False


class TermMatcher:
    """A word trie: ``add(term, payload)`` then ``find(text)`` yields the longest non-overlapping matches.

    Terms written in capitals (``FA``, ``5-FU``) only match the same capitals; others ignore case, accents and
    French plural/feminine endings (see :func:`fhirconv.normalise.word_key`).
    """

    def __init__(self) -> None:
        self._root = _Node()
        self.max_words = 0

    def add(self, term: str, payload: Any) -> None:
        keys, exact = term_keys(term)
        if not keys:
            raise ValueError(f"term {term!r} has no word")
        node = self._root
        for k in keys:
            node = node.children.setdefault(k, _Node())
        cased = is_case_sensitive_term(term)
        node.entries.append((exact if cased else None, payload))
        node.payloads = (*node.payloads, payload)
        node.cased = node.cased or cased
        self.max_words = max(self.max_words, len(keys))

    def find(self, doc: NormalisedText, overlapping: bool = False) -> Iterator[Match]:
        """Matches left to right; at each position the longest one. ``overlapping`` keeps nested ones too."""
        keys, raws, starts, ends, text = doc.keys, doc.raws, doc.starts, doc.ends, doc.text
        joiner = _JOINER.fullmatch
        n = len(keys)
        first = self._root.children
        # most words start no term: the words that do are picked by one C-level pass, not a Python loop per word
        after = 0  # the first word a match may start at (the end of the last one, unless ``overlapping``)
        for i in compress(range(n), map(first.__contains__, keys)):
            if i < after:
                continue
            node = first[keys[i]]
            best: Match | None = None
            j = i
            while True:
                payloads = node.payloads
                if node.cased:
                    # case-sensitive terms are few: their words are folded here, not every word of the report
                    folded = exact_keys(raws[i : j + 1])
                    payloads = tuple(p for exact, p in node.entries if exact is None or exact == folded)
                if payloads:
                    best = _new_match(Match, (starts[i], ends[j], i, j, payloads))
                j += 1
                if j >= n:
                    break
                child = node.children.get(keys[j])
                if child is None or joiner(text, ends[j - 1], starts[j]) is None:  # doc.joined(j), inlined
                    break
                node = child
            if best is not None:
                yield best
                after = i + 1 if overlapping else best.last_token + 1
