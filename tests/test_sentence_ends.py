"""``sections._sentence_ends`` (the marks found by ``str.find``, the capital after them tried there) finds what re's
scan of a section with the sentence-end pattern finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fhirconv.sections import _SENTENCE_END, _sentence_ends


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='aB.!?\n \t\u00a0É1-«"(x', max_size=30), st.integers(0, 5), st.integers(0, 5))
def test_sentence_ends_are_the_matches_of_the_sentence_end_pattern(text: str, cut_start: int, cut_end: int) -> None:
    # the section's end bounds the lookahead in both
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    assert _sentence_ends(text, start, end) == [m.start() for m in _SENTENCE_END.finditer(text, start, end)]
