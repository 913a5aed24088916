"""Dictionary matching of table terms over the words of a text (longest match, word boundaries)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
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
        self._typos: _Typos | None = None

    def tolerate_typos(self, words: Iterable[str], suffixes: tuple[str, ...], min_length: int) -> None:
        """Opt in, once every term is added: a word of the text that is no word of any term, has ``min_length``
        letters or more and ends with one of ``suffixes`` is read as the one of ``words`` (terms) it is one typing
        slip away from, if there is exactly one ("acénocarcinome" -> "adénocarcinome"). See :class:`_Typos`."""
        known: set[str] = set()
        stack = [self._root]
        while stack:
            node = stack.pop()
            known.update(node.children)
            stack.extend(node.children.values())
        targets = {k for w in words for k in term_keys(w)[0] if k.endswith(suffixes) and len(k) >= min_length - 1}
        self._typos = _Typos(targets, frozenset(known), suffixes, min_length)

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
        if self._typos is not None:
            keys = self._typos.respell(keys)
        joiner = _JOINER.fullmatch
        n = len(keys)
        first = self._root.children
        after = 0  # the first word a match may start at (the end of the last one, unless ``overlapping``)
        # one dict lookup per word in a compiled loop: most words start no term (compress over a map of
        # ``first.__contains__`` cost several times as much compiled, a C call through the iterators per word)
        for i in range(n):
            node = first.get(keys[i])
            if node is None or i < after:
                continue
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
                if child is None:
                    break
                left = ends[j - 1]
                # doc.joined(j), inlined; most words are one space apart: joined without the regex call
                if (starts[j] != left + 1 or text[left] != " ") and joiner(text, left, starts[j]) is None:
                    break
                node = child
            if best is not None:
                yield best
                after = i + 1 if overlapping else best.last_token + 1


_MAX_RESPELT = 200_000  # words remembered at most: a long batch of varied texts does not grow the memo forever


class _Typos:
    """The typing slips of long technical words: a word of the text that matches nothing, is long and ends with a
    tumour suffix, one edit (a letter substituted, inserted or deleted, two neighbours swapped) from exactly one
    word of the terms, is read as that word. Long words only: two real words of ten letters or more one edit apart
    are rare, and an unknown one is far likelier a slip ("xanthroastrocytome", "acénocarcinome") than a new tumour.
    Candidates are found by deletions ("symmetric delete"): every word one edit from w shares a one-deletion
    variant with w (or is one), so a word costs a few dict lookups, once: the answer is memoised per word."""

    def __init__(self, targets: set[str], known: frozenset[str], suffixes: tuple[str, ...], min_length: int) -> None:
        self.targets, self.known, self.suffixes, self.min_length = frozenset(targets), known, suffixes, min_length
        variants: dict[str, set[str]] = {}
        for w in targets:
            for v in (w, *_deletions(w)):
                variants.setdefault(v, set()).add(w)
        self.variants = {v: tuple(sorted(ws)) for v, ws in variants.items()}
        self.clean: set[str] = set()  # the words met that are no slip
        self.fixes: dict[str, str] = {}  # the slips met -> the word each is read as (few)

    def __reduce__(self) -> tuple[type[_Typos], tuple[set[str], frozenset[str], tuple[str, ...], int]]:
        # pickled (tables cache, --jobs workers) as its constructor's arguments, not its memos: a mypyc native
        # class's default unpickling calls __init__ with no argument (the compiled build's test_pickling failed)
        return _Typos, (set(self.targets), self.known, self.suffixes, self.min_length)

    def respell(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        """``keys`` with each slip replaced by its word. A text of words all met before and no slip (most texts)
        returns ``keys`` itself."""
        clean, fixes = self.clean, self.fixes
        if len(clean) > _MAX_RESPELT:
            clean = self.clean = set()  # replaced whole, not cleared: safe when threads share it
        # one compiled loop, a set lookup per word (the keys are the objects of the key cache: mostly an identity
        # hit): the set operations over the report's keys (a set built of them, its difference with the clean
        # words, a disjointness test) cost several times as much compiled
        slipped = False
        for k in keys:
            if k in clean:
                continue
            if k not in fixes:
                near = self._nearest(k)
                if near == k:
                    clean.add(k)
                    continue
                fixes[k] = near
            slipped = True
        if not slipped:
            return keys
        return tuple([fixes.get(k, k) for k in keys])

    def _nearest(self, word: str) -> str:
        if len(word) < self.min_length or word in self.known or not word.endswith(self.suffixes):
            return word
        near = {c for v in (word, *_deletions(word)) for c in self.variants.get(v, ()) if _one_edit(word, c)}
        return near.pop() if len(near) == 1 else word


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one substitution, insertion, deletion or swap of two neighbouring letters."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or (a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :])
