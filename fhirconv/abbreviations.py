"""Abbreviations a report defines for a disease: "une hémorragie vitréenne (HV) ... l'HV s'est résorbée".

A bracketed abbreviation no table knows, written right after a disease's words (or a few words of it the table
term leaves out: "myasthénie grave (MG)"), restates that disease: the bracket becomes an alias of its mention
(more evidence, not a new fact), and each later use of the abbreviation in the report names that disease again.
Reports define their own abbreviations, so no table can list them all; the document's definition is the only
reliable sense of a short capital word in it.
"""

from __future__ import annotations

import re

from .document import Mention
from .normalise import word_key
from .tables import ATTRIBUTE_KINDS

__all__ = ["defined_abbreviations"]

# the words between a disease's table term and the bracket (the rest of its name: "grave", "de la rétine"), then
# the bracket with the abbreviation: capitals, digits and hyphens, two capitals at least ("HV", "ECR-NMDA", "DT2")
_DEFINITION = re.compile(
    r"(?P<rest>(?:[ \t]+[\w'’-]+){0,3}?)[ \t]*[(\[][ \t]*"
    r"(?P<abbr>[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)[ \t]*[)\]]"
)
_ROMAN = re.compile(r"[IVXLC]+")  # "(II)", "(IV)": a type or a stage, not an abbreviation
_MAX_LENGTH = 10
_WORD = re.compile(r"[^\W\d_]+")  # a word's letters ("l'œil": "l", "œil")
_HEAD_WORD = 4  # letters of a head word whose initial the abbreviation must hold ("de", "la", "des" need not)
_KINDS = ("condition", "finding")  # tumour abbreviations are table terms (morphology.csv): their own rules read them
_DISEASES = ("condition", "finding", "morphology", "symptom")  # a table's disease sense is kept beside the report's


def defined_abbreviations(text: str, mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """The mentions the abbreviations defined in ``text`` add, and the ones they replace. Added: each definition's
    bracket (``alias_of`` its disease's mention), and each later use of the abbreviation where no other disease is
    found. A later use of a coded disease (conditions.csv) is a mention of its own, qualified where it stands
    ("l'absence de RD"); one of a finding stays an alias (a finding's code comes from the words after its head,
    which an abbreviation lacks). Replaced: a table's other sense of the abbreviation on exactly its words (the
    progesterone receptor "PR" of observations.csv where the report wrote "polyarthrite rhumatoïde (PR)"): the
    report's own definition is its sense there. ``mentions`` sorted by offset; an abbreviation defined twice with
    two senses is left alone."""
    concepts = [m for m in mentions if m.kind not in ATTRIBUTE_KINDS]
    at: dict[tuple[int, int], list[Mention]] = {}
    for c in concepts:
        at.setdefault((c.start, c.end), []).append(c)
    senses: dict[str, tuple[Mention, int]] = {}  # abbreviation -> (its disease's mention, end of the definition)
    ambiguous: set[str] = set()
    out: list[Mention] = []
    replaced: list[Mention] = []
    for m in concepts:
        if m.kind not in _KINDS or "alias_of" in m.attrs or "(" not in text[m.end : m.end + 60]:
            continue
        d = _DEFINITION.match(text, m.end)
        if d is None:
            continue
        abbr = d.group("abbr")
        if not _abbreviation(abbr, m.text, text[m.start : d.end("rest")]):
            continue
        if abbr in senses and senses[abbr][0].row is not m.row:
            ambiguous.add(abbr)
            continue
        senses.setdefault(abbr, (m, d.end()))
        there = at.get((d.start("abbr"), d.end("abbr")), [])
        if any(c.kind in _DISEASES for c in there):
            continue  # a disease term: _link_aliases made one of the same kind an alias already
        if there and word_key(abbr[0].lower()) != word_key(m.text[0].lower()):
            # another sense is overridden only by an abbreviation that starts as the disease's words do: not the
            # Glasgow score's "GCS" after "échelle de coma de Glasgow", whose "coma" is no disease of the patient
            del senses[abbr]
            continue
        replaced += there
        alias = Mention(m.kind, d.start("abbr"), d.end("abbr"), abbr, m.rows, m.rule, attrs={"alias_of": m})
        m.attrs.setdefault("aliases", []).append(alias)
        out.append(alias)
    for abbr, (head, after) in senses.items():
        if abbr not in ambiguous:
            out += _uses(text, abbr, head, after, concepts, at, replaced)
    return out, replaced


def _abbreviation(abbr: str, head: str, long_form: str) -> bool:
    """True if ``abbr`` may abbreviate the disease ``head`` (its table term's words) written as ``long_form``: two
    capitals at least, not a roman numeral, its first letter the initial of a word of the long form, every letter
    in it, and the initial of each word of the head (4 letters or more: not "de", "la") among its letters ("HV":
    hémorragie vitréenne; "RD", a translated report's décollement de rétine). Not "perte de vision de l'œil droit
    (OD)", "perte d'acuité visuelle (AV)": they abbreviate other words than the disease's."""
    if len(abbr) > _MAX_LENGTH or sum(c.isupper() for c in abbr) < 2 or _ROMAN.fullmatch(abbr):
        return False
    letters = [c for c in word_key(abbr.lower()) if c.isalpha()]
    words = [word_key(w) for w in _WORD.findall(long_form.lower())]
    heads = {word_key(w)[0] for w in _WORD.findall(head.lower()) if len(w) >= _HEAD_WORD}
    joined = "".join(words)
    return (
        bool(letters)
        and letters[0] in {w[0] for w in words if w}
        and all(c in joined for c in letters)
        and heads <= set(letters)
    )


def _uses(
    text: str,
    abbr: str,
    head: Mention,
    after: int,
    concepts: list[Mention],
    at: dict[tuple[int, int], list[Mention]],
    replaced: list[Mention],
) -> list[Mention]:
    """The later uses of ``abbr`` (the exact word) where no disease and no longer term is found; another sense on
    exactly its words goes to ``replaced``."""
    out = []
    for start in _occurrences(text, abbr, after):
        end = start + len(abbr)
        there = at.get((start, end), [])
        if any(c.kind in _DISEASES for c in there):
            continue
        if any(c.start < end and start < c.end and c not in there for c in concepts):
            continue
        replaced += there
        if head.kind == "condition":
            out.append(Mention(head.kind, start, end, abbr, head.rows, head.rule))
        else:
            alias = Mention(head.kind, start, end, abbr, head.rows, head.rule, attrs={"alias_of": head})
            head.attrs.setdefault("aliases", []).append(alias)
            out.append(alias)
    return out


def _occurrences(text: str, word: str, pos: int) -> list[int]:
    r"""The starts of ``word`` as a whole word in ``text`` from ``pos``: no letter, digit, "_" or hyphen touches it
    (the matches of ``(?<![\w-])word(?![\w-])``, ``word`` starting and ending with a letter or digit). Found with
    str.find: the pattern is new in each report that defines an abbreviation, and compiling it (re's parser and
    compiler are Python code) cost ~1 M instructions, more than the rest of the abbreviation stage."""
    out: list[int] = []
    n = len(word)
    i = text.find(word, pos)
    while i >= 0:
        if not _touches(text[i - 1 : i] if i else "") and not _touches(text[i + n : i + n + 1]):
            out.append(i)
            i = text.find(word, i + n)
        else:
            i = text.find(word, i + 1)
    return out


def _touches(c: str) -> bool:
    r"""``c`` (one character or none) glues to a word: re's ``[\w-]`` (\w is str.isalnum or "_" on str patterns)."""
    return c != "" and (c.isalnum() or c == "_" or c == "-")
