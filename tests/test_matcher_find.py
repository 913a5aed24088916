"""``TermMatcher.find`` (a compiled loop of dict lookups over the words, the usual one-space gap between two words
judged without the joiner pattern) finds what the plain definition finds: at each word left to right, the longest
term starting there whose words are joined (``NormalisedText.joined``), the next search after its last word."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fhirconv.matcher import Match, TermMatcher
from fhirconv.normalise import NormalisedText, exact_keys, normalise

_WORDS = ["tumeur", "maligne", "FA", "fa", "Colon", "droit", "5", "FU", "d", "un"]
_GAPS = [" ", "  ", "-", " - ", "'", "’", ", ", ",", ";", ". ", ".", "/", "\n", " (", "(", "\t"]


def _plain_find(matcher: TermMatcher, doc: NormalisedText, overlapping: bool) -> list[Match]:
    """The definition, one word and one term word at a time."""
    keys = doc.keys
    out: list[Match] = []
    after = 0
    for i in range(len(keys)):
        if i < after or keys[i] not in matcher._root.children:
            continue
        node = matcher._root.children[keys[i]]
        best = None
        j = i
        while True:
            payloads: tuple[Any, ...] = node.payloads
            if node.cased:
                folded = exact_keys(doc.raws[i : j + 1])
                payloads = tuple(p for exact, p in node.entries if exact is None or exact == folded)
            if payloads:
                best = Match(doc.starts[i], doc.ends[j], i, j, payloads)
            j += 1
            if j >= len(keys) or keys[j] not in node.children or not doc.joined(j):
                break
            node = node.children[keys[j]]
        if best is not None:
            out.append(best)
            after = i + 1 if overlapping else best.last_token + 1
    return out


_TERM = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(_TERM, min_size=1, max_size=6),
    st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GAPS)), max_size=25),
    st.booleans(),
)
def test_find_is_the_plain_longest_match(terms: list[str], words: list[tuple[str, str]], overlapping: bool) -> None:
    matcher = TermMatcher()
    for k, term in enumerate(terms):
        matcher.add(term, k)
    doc = normalise("".join(w + gap for w, gap in words))
    assert list(matcher.find(doc, overlapping)) == _plain_find(matcher, doc, overlapping)


def test_find_joins_words_across_a_space_only_where_the_joiner_does() -> None:
    matcher = TermMatcher()
    matcher.add("tumeur maligne", "t")
    for text, found in [
        ("une tumeur maligne", True),
        ("une tumeur  maligne", True),
        ("une tumeur-maligne", True),
        ("une tumeur, maligne", False),
        ("une tumeur,maligne", False),  # one character apart, not a space
        ("une tumeur;maligne", False),
        ("une tumeur. maligne", False),
        ("une tumeur\nmaligne", True),
        ("une tumeur (maligne", False),
    ]:
        assert bool(list(matcher.find(normalise(text)))) is found, text


_SLIPS = ["adenocarcinome", "adenocarcinnome", "acenocarcinome", "neuroblatome", "neuroblastome", "tumeur", "xyzome"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_SLIPS), max_size=8), min_size=1, max_size=4))
def test_respell_is_each_word_read_as_its_nearest(texts: list[list[str]]) -> None:
    # _Typos.respell (one loop over the keys, its memos kept from text to text) replaces each key by what _nearest
    # reads it as, and returns the keys themselves when none is a slip
    matcher = TermMatcher()
    matcher.add("adénocarcinome", "a")
    matcher.add("neuroblastome", "n")
    matcher.tolerate_typos(["adénocarcinome", "neuroblastome"], ("ome",), 10)
    typos = matcher._typos
    assert typos is not None
    for words in texts:
        keys = tuple(words)
        respelt = typos.respell(keys)
        assert respelt == tuple(typos._nearest(k) for k in keys)
        if respelt == keys:
            assert respelt is keys
