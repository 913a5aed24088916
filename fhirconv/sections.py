"""Stage 2 - sections and sentences.

Section titles come from ``mappings/sections.yaml``; sentences end at a line break or at ``. ! ?`` followed by
a space and a capital / digit / dash, so that decimals ("19.9"), abbreviations followed by lower case and
enumerations stay whole.
"""

from __future__ import annotations

import re

from .document import Section, Sentence, Structure
from .tables import Mappings

__all__ = ["segment"]

# a capital opens the next sentence: Œ (U+0152, "Œdème ...") is not in the À-Ý block. One class opens the pattern,
# not an alternation: re then scans for those characters instead of trying the pattern at every position (same
# matches as "[.!?](?=\s+[A-ZÀ-ÝŒ0-9\-«\"(])|\n")
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|(?=\s+[A-ZÀ-ÝŒ0-9\-«\"(]))")
# what follows a ". ! ?" that ends a sentence (``_SENTENCE_END``'s lookahead, tried at each mark: ``_sentence_ends``)
_OPENS = re.compile(r"\s+[A-ZÀ-ÝŒ0-9\-«\"(]")


def segment(text: str, mappings: Mappings) -> Structure:
    """Split ``text`` into sections (by title lines) and sentences.

    >>> s = segment("Anamnèse\\nFemme de 50 ans. Elle fume.\\n", load_mappings())  # doctest: +SKIP
    """
    titles: list[tuple[int, int, str]] = []  # (title start, body start, key)
    end = -1  # where the line before ends (its "\n")
    # the lines by one split in C, not a Match object per line (and per empty match between lines)
    for line in text.split("\n"):
        start = end + 1
        end = start + len(line)
        if len(line) > 80 or not line.strip():
            continue
        for pattern, ref in mappings.sections:
            if pattern.fullmatch(line):
                titles.append((start, min(end + 1, len(text)), ref.row.key))
                break
    sections: list[Section] = []
    if not titles or titles[0][0] > 0:
        sections.append(Section(None, "", 0, titles[0][0] if titles else len(text)))
    for i, (tstart, body, key) in enumerate(titles):
        end = titles[i + 1][0] if i + 1 < len(titles) else len(text)
        sections.append(Section(key, text[tstart:body].strip(), body, end))

    sentences: list[Sentence] = []
    paragraph = 0
    for si, sec in enumerate(sections):
        pos = sec.start
        for i in _sentence_ends(text, sec.start, sec.end):
            if text[i] == "\n":
                _add(sentences, text, pos, i, si, paragraph)
                paragraph += 1
            else:
                _add(sentences, text, pos, i + 1, si, paragraph)
            pos = i + 1
        _add(sentences, text, pos, sec.end, si, paragraph)
        paragraph += 1
    if not sentences:
        sentences.append(Sentence(0, len(text), 0, 0))
    return Structure(tuple(sections), tuple(sentences))


def _sentence_ends(text: str, start: int, end: int) -> list[int]:
    """Where ``_SENTENCE_END`` matches in ``text[start:end]`` (its ``finditer(text, start, end)``), in order: each
    mark found by ``str.find`` (a scan for one character, in C), the capital after a ``. ! ?`` tested only there. re's
    scan for the class of four marks tested every character of the report (~0.4 M instructions per report compiled,
    for some sixty sentence ends)."""
    found: list[int] = []
    for mark in ".!?\n":
        i = text.find(mark, start, end)
        while i >= 0:
            # (a decimal point or an abbreviation glued to the next word is no end: no white space after it)
            if mark == "\n" or (text[i + 1 : i + 2].isspace() and _OPENS.match(text, i + 1, end) is not None):
                found.append(i)
            i = text.find(mark, i + 1, end)
    found.sort()
    return found


def _add(out: list[Sentence], text: str, start: int, end: int, section: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, section, paragraph))
