"""Stage 4 - assertion qualifiers: negation, exclusion, hypothesis, differential, family, history, and the
medication-status and disease-course cues, from ``mappings/assertions.yaml``.

A cue qualifies the concept mentions in its scope (ConText): forward, backward or both, to the end of the clause
(a ``,`` ``;`` ``:`` ends it unless an enumeration goes on with de / d' / ni / ou / et) or of the sentence, within
``max_words`` words counted again from each enumeration item, and never across a termination cue. Overlapping cues:
the longest wins, so "n'a pas été exclue" (still possible) is not read as "n'a pas" (negation).
"""

from __future__ import annotations

import bisect
import re

from .document import Cue, Mention, Structure
from .normalise import WordBounds, word_bounds
from .tables import Mappings

__all__ = ["find_cues", "qualify"]

_CLAUSE_BREAK = re.compile(r"[,;:]")
# After a comma a negated enumeration goes on with "de", "ni", "ou" or a bare item the list closes later
# (phrases.yaml enum_goes_on, enum_bare_item), not with an article: ", un drainage a été réalisé".
_BARE_ITEM_REACH = 80  # characters after a comma where the "ou" / "ni" closing a bare list may be
# An examination or a lab test is negated only when it is the cue's direct object ("pas de biopsie"), not when it
# is where an absent finding was looked for ("pas de foyer pulmonaire à la radiographie du thorax").
_DIRECT_OBJECT_KINDS = {"procedure", "observation"}
_DIRECT_OBJECT_WORDS = 2
_QUALIFIED_KINDS = {
    "condition",
    "finding",
    "morphology",
    "symptom",
    "medication",
    "procedure",
    "observation",
    "regimen",
}
_LISTED_KINDS = {"condition", "finding", "morphology", "symptom"}
# Cues that bear on the head of a noun phrase, not on a disease named in its complement (_complication_of)
_HEAD_KINDS = {"negation", "exclusion", "hypothesis", "differential"}
# cues that do not reach the cause named after "secondaire à" (cause_of): what is absent, ruled out or over is the
# disease caused ("un pneumothorax lié à des métastases, résolu par un drainage")
_NOT_THE_CAUSE = {"negation", "exclusion", "resolved"}
# a backward stop verb stops the drugs of its own clause: not a drug whose clause has its own verb before the next
# drug, the stop verb's subject (_own_clause)
_OWN_SUBJECT_KINDS = {"med_stopped"}
_COMPLICATION_REACH = 60  # characters before a disease where its complication word may be
_RELATION_REACH = 120  # characters before a disease where a relation noun ("le lien entre ...") may be
RELATIVE_WINDOW_WORDS = 8
# a relative subject of its sentence reaches further: a relative clause or an apposition may stand between
RELATIVE_SUBJECT_WORDS = 25
_SUBJECT_START_CHARS = 12  # a sentence end and a determiner before a relative word
_ARTICLE_CHARS = 4  # "l'" and a space or two before a relative word
# "cancer du sein (mère)", "cancer du sein chez sa sœur": the relative named after the disease, its site between
_RELATIVE_AFTER_WORDS = 5
_BRACKETED = re.compile(r"[ \t]*\([ \t]*")  # "cancer colorectal (père)": only an opening bracket between
# No cue reaches further than this many characters (max_words is at most a few dozen words; an enumeration that
# goes on is the only longer scope). The bound keeps a report without sentence ends linear: every cue of a giant
# "sentence" was tried against every mention of it.
MAX_SCOPE_CHARS = 1000


def find_cues(text: str, mappings: Mappings) -> list[tuple[Cue, object]]:
    """All cue matches, overlaps resolved (longest first), in text order, with their rows."""
    found = []
    for pattern, ref in mappings.cues:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append((Cue(ref.row.kind, m.start(), m.end(), ref.where), ref.row))
    found.sort(key=lambda c: (-(c[0].end - c[0].start), c[0].start))
    kept: list[tuple[Cue, object]] = []
    # distinct kept spans, sorted and disjoint (binary search: an overlap is a neighbour), and the kind kept there
    spans: list[tuple[int, int]] = []
    kind_at: dict[tuple[int, int], str] = {}
    dir_at: dict[tuple[int, int], str] = {}
    for cue, row in found:
        # the same words may be two cues of one kind with their own scope rules (a stop verb looks back over the
        # sentence and forward over its clause): both stay; any other overlap goes to the longest cue
        span = (cue.start, cue.end)
        if span in kind_at:
            if kind_at[span] == cue.kind:
                kept.append((cue, row))
            continue
        i = bisect.bisect_left(spans, span)
        hits = [
            s
            for s in (spans[i - 1] if i else None, spans[i] if i < len(spans) else None)
            if s is not None and s[0] < cue.end and cue.start < s[1]
        ]
        if hits:
            # "suspendre l'inhibiteur" (forward, the longer match) overlaps "suspendre" (backward): one stop verb
            # read both ways, so both stay; a cue of another kind loses to the longer one
            if all(kind_at[s] == cue.kind and dir_at[s] != row.direction for s in hits):
                kept.append((cue, row))
            continue
        spans.insert(i, span)
        kind_at[span] = cue.kind
        dir_at[span] = row.direction
        kept.append((cue, row))
    kept.sort(key=lambda c: c[0].start)
    return kept


def _in_scope(
    text: str,
    words: WordBounds,
    gap_start: int,
    gap_end: int,
    row: object,
    forward: bool,
    terminations: list[Cue],
    phrases: dict[str, re.Pattern[str]],
) -> bool:
    if row.scope == "enumeration":  # type: ignore[attr-defined]
        return _in_list(text, words, gap_start, gap_end, row.max_words, terminations, phrases)  # type: ignore[attr-defined]
    if row.scope == "bracket":  # type: ignore[attr-defined]
        # "la sérologie était négative (EBV, CMV, VIH)": the list's commas do not end the scope, its bracket does
        if text.find(")", gap_start, gap_end) >= 0:
            return False
    elif row.scope == "clause":  # type: ignore[attr-defined]
        # terminations are disjoint and in text order: the first one starting in the gap ends first
        i = bisect.bisect_left(terminations, gap_start, key=lambda t: t.start)
        if i < len(terminations) and terminations[i].end <= gap_end:
            return False
        # a one-word cue ("non", "ex-") qualifies the word after it, it does not open a list: "diabète non
        # insulinodépendant, d'hypertension artérielle" (the hypertension is there); a cue whose items take "à"
        # ("allergie à") is not continued by "de" (phrases.yaml cue_object_a)
        one_word = row.max_words <= 1  # type: ignore[attr-defined]
        takes_de: bool | None = None  # read at the first clause break only: most gaps have none
        for b in _CLAUSE_BREAK.finditer(text, gap_start, gap_end):
            if not forward or one_word:
                return False
            if takes_de is None:
                takes_de = not phrases["cue_object_a"].search(text, max(0, gap_start - _ARTICLE_CHARS), gap_start)
            # the gap's end is the string's end for the \b of enum_goes_on, as when it matched the gap's slice
            if not (
                (takes_de and phrases["enum_goes_on"].match(text, b.end(), gap_end))
                or phrases["enum_bare_item"].match(text, b.end(), min(len(text), b.end() + _BARE_ITEM_REACH))
            ):
                return False
    # words since the cue (forward: since the last enumeration separator; backward: up to the first one)
    n = words.within(gap_start, gap_end)
    if n <= row.max_words or not forward:  # type: ignore[attr-defined]
        return bool(n <= row.max_words)  # type: ignore[attr-defined]
    # only when the gap is too long: the separators are looked for in the gap's slice (\b at both its ends)
    seps = list(phrases["enum_separator"].finditer(text[gap_start:gap_end]))
    counted_from = gap_start + seps[-1].end() if seps else gap_start
    return bool(words.within(counted_from, gap_end) <= row.max_words)  # type: ignore[attr-defined]


def _in_list(
    text: str,
    words: WordBounds,
    gap_start: int,
    gap_end: int,
    max_words: int,
    terminations: list[Cue],
    phrases: dict[str, re.Pattern[str]],
) -> bool:
    """The gap between a mention and a plural result after it is the rest of one list: a comma goes on with another
    item (phrases.yaml enum_goes_on, enum_list_item: "de l'hépatite C", "hépatite C", not an article starting a new
    clause), and every item, up to the cue, is at most ``max_words`` words."""
    i = bisect.bisect_left(terminations, gap_start, key=lambda t: t.start)
    if i < len(terminations) and terminations[i].end <= gap_end:
        return False
    for b in _CLAUSE_BREAK.finditer(text, gap_start, gap_end):
        if not (
            phrases["enum_goes_on"].match(text, b.end(), gap_end) or phrases["enum_list_item"].match(text, b.end())
        ):
            return False
    start = gap_start
    for sep in phrases["enum_separator"].finditer(text, gap_start, gap_end):
        if words.within(start, sep.start()) > max_words:
            return False
        start = sep.end()
    return words.within(start, gap_end) <= max_words


def qualify(text: str, structure: Structure, mentions: list[Mention], mappings: Mappings) -> list[Cue]:
    """Set ``mention.qualifiers`` (kind -> the cue) on concept mentions; link family mentions to their relative.

    Returns the cues found, for explanation.
    """
    cues = find_cues(text, mappings)
    words = word_bounds(text)  # once: the scope tests count the words of many gaps
    terminations = [c for c, _ in cues if c.kind == "termination"]
    by_sentence: dict[int, list[tuple[Cue, object]]] = {}
    for cue, row in cues:
        if cue.kind not in ("termination", "pseudo"):
            by_sentence.setdefault(structure.sentence_at(cue.start), []).append((cue, row))
    longest_cue = max((c.end - c.start for c, _ in cues), default=0)
    relatives: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.kind == "relative" and not _names_patient(text, m, mappings.phrases):
            relatives.setdefault(m.sentence, []).append(m)
    # a lab test between a disease and a result after it takes the result: "hépatite B ancienne guérie (AgHBs
    # négatif)" is the antigen's result, not the absence of the hepatitis
    tests = sorted(m.start for m in mentions if m.kind == "observation")
    drugs = sorted(m.start for m in mentions if m.kind == "medication")
    for m in mentions:
        if m.kind not in _QUALIFIED_KINDS:
            continue
        in_sentence = by_sentence.get(m.sentence, [])
        lo = bisect.bisect_left(in_sentence, m.start - MAX_SCOPE_CHARS - longest_cue, key=lambda c: c[0].start)
        hi = bisect.bisect_right(in_sentence, m.end + MAX_SCOPE_CHARS, key=lambda c: c[0].start)
        for cue, row in in_sentence[lo:hi]:
            fwd = row.direction in ("forward", "both") and cue.end <= m.start  # type: ignore[attr-defined]
            bwd = row.direction in ("backward", "both") and m.end <= cue.start  # type: ignore[attr-defined]
            fwd = fwd and m.start - cue.end <= MAX_SCOPE_CHARS
            bwd = bwd and cue.start - m.end <= MAX_SCOPE_CHARS
            # a plural result after a list of tests ("les marqueurs tumoraux ... étaient tous négatifs") is their
            # result, not their absence: it negates the diseases the list names, not the tests
            bwd = bwd and (row.scope != "enumeration" or m.kind in _LISTED_KINDS)  # type: ignore[attr-defined]
            if fwd and _in_scope(text, words, cue.end, m.start, row, True, terminations, mappings.phrases):
                if m.kind in _DIRECT_OBJECT_KINDS and words.within(cue.end, m.start) > _DIRECT_OBJECT_WORDS:
                    continue
                if cue.kind in _HEAD_KINDS and (
                    _complication_of(text, m, cue.end, mappings.phrases) or _related(text, m, cue.end, mappings.phrases)
                ):
                    continue
                if cue.kind in _NOT_THE_CAUSE and _complication_of(text, m, cue.end, mappings.phrases, "cause_of"):
                    continue
                m.qualifiers.setdefault(cue.kind, cue)
            elif bwd and _in_scope(text, words, m.end, cue.start, row, False, terminations, mappings.phrases):
                if (
                    cue.kind == "negation"
                    and m.kind in _LISTED_KINDS
                    and _test_between(tests, m.end, cue.start)
                    and not _list_item(text, m, row, mappings.phrases)
                ):
                    continue
                if cue.kind in _OWN_SUBJECT_KINDS and _own_clause(text, drugs, m, cue.start, mappings.phrases):
                    continue
                if cue.kind in _HEAD_KINDS and (
                    _complication_of(text, m, 0, mappings.phrases) or _related(text, m, 0, mappings.phrases)
                ):
                    continue
                if cue.kind in _NOT_THE_CAUSE and _complication_of(text, m, 0, mappings.phrases, "cause_of"):
                    continue
                m.qualifiers.setdefault(cue.kind, cue)
        if m.kind in ("condition", "finding", "morphology"):
            _link_relative(text, words, m, relatives.get(m.sentence, []), mappings.phrases)
        elif m.kind in ("procedure", "medication"):
            _relatives_act(text, words, m, relatives.get(m.sentence, []), mappings.phrases)
    return [c for c, _ in cues]


def _list_item(text: str, m: Mention, row: object, phrases: dict[str, re.Pattern[str]]) -> bool:
    """A disease written as one item of a list a plural result closes ("les sérologies de la rougeole, de l'hépatite
    B et de la ferritine sont normales"): a separator right after it, so a test later in the list is another item,
    not the test of this disease (as in "hépatite B ancienne guérie (AgHBs négatif)")."""
    if row.scope != "enumeration":  # type: ignore[attr-defined]
        return False
    after = m.end  # the first character after the blanks (not a copy of the rest of the report: linear cost)
    while after < len(text) and text[after] in " \t":
        after += 1
    return phrases["enum_separator"].match(text, after) is not None


def _own_clause(text: str, drugs: list[int], m: Mention, cue_start: int, phrases: dict[str, re.Pattern[str]]) -> bool:
    """ "le fer a été apporté par voie intraveineuse, le zolpidem a été arrêté": another drug is named between the
    drug ``m`` and a stop verb after it, and the drug's clause has its own verb before it (phrases.yaml own_verb), so
    the stop verb bears on that other drug. ``drugs``: the sorted starts of the medication mentions."""
    i = bisect.bisect_left(drugs, m.end)
    return i < len(drugs) and drugs[i] < cue_start and phrases["own_verb"].search(text, m.end, drugs[i]) is not None


def _test_between(tests: list[int], start: int, end: int) -> bool:
    """A lab test mention starts in ``[start, end)`` (``tests``: the sorted starts of the observation mentions)."""
    i = bisect.bisect_left(tests, start)
    return i < len(tests) and tests[i] < end


def _complication_of(
    text: str, m: Mention, since: int, phrases: dict[str, re.Pattern[str]], phrase: str = "complication_of"
) -> bool:
    """ "pas d'infection du liquide d'ascite": the disease is the complement of a complication word right before it
    (phrases.yaml complication_of), which the cue negates or suspects, not the disease; or the cause of the disease
    before it (``phrase`` cause_of: "pas de leucémie secondaire au traitement du lymphome"). ``since``: where the
    words looked at may start (the cue's end when the cue is before)."""
    start = max(since, m.start - _COMPLICATION_REACH)
    return phrases[phrase].search(text[start : m.start]) is not None


def _related(text: str, m: Mention, since: int, phrases: dict[str, re.Pattern[str]]) -> bool:
    """ "le lien entre le diabète et la neuropathie est discuté": the disease is a term of a relation noun
    (phrases.yaml relation_of), and the cue bears on the link, not on it; "l'association de l'insuffisance cardiaque
    à la pneumonie": the first term of "association de X à Y" (relation_pair before it, paired_with after it)."""
    start = max(since, m.start - _RELATION_REACH)
    if phrases["relation_of"].search(text, start, m.start) is not None:
        return True
    return (
        phrases["relation_pair"].search(text, start, m.start) is not None
        and phrases["paired_with"].match(text, m.end) is not None
    )


def _names_patient(text: str, m: Mention, phrases: dict[str, re.Pattern[str]]) -> bool:
    """ "L'enfant" in a paediatric report is the patient (phrases.yaml patient_relative), not a relative."""
    return phrases["patient_relative"].search(text[max(0, m.start - _ARTICLE_CHARS) : m.end]) is not None


def _relatives_act(
    text: str, words: WordBounds, m: Mention, relatives: list[Mention], phrases: dict[str, re.Pattern[str]]
) -> None:
    """An act or a drug in a clause about a relative is the relative's ("sa mère, décédée en dialyse", "son père,
    opéré d'un pontage"): the nearest relative before it, close, in its clause or an apposition (a comma, no
    ``;``), unless the relative acts on the patient ("sa mère lui a donné du paracétamol", phrases.yaml
    relative_acts_on_patient)."""
    r = _relative_before(text, words, m, relatives, phrases)
    if r is None or phrases["relative_acts_on_patient"].search(text[r.end : m.start]):
        return
    m.attrs["relative"] = r
    m.qualifiers.setdefault("family", Cue("family", r.start, r.end, r.rule))


def _relative_before(
    text: str, words: WordBounds, m: Mention, relatives: list[Mention], phrases: dict[str, re.Pattern[str]]
) -> Mention | None:
    """The nearest relative before ``m`` in its sentence, if it is close (at most RELATIVE_WINDOW_WORDS words, or
    RELATIVE_SUBJECT_WORDS when the relative opens the sentence and the patient is not a subject between, no ``;``
    between) and not in brackets closed right after it, which name the item before ("cancer du sein (mère), ...")."""
    i = bisect.bisect_right(relatives, m.start, key=lambda r: r.end)
    if not i:
        return None
    r = relatives[i - 1]
    # the words counted first, without slicing: the gap to the relative may be long (no sentence ends)
    n = words.within(r.end, m.start)
    if n > RELATIVE_SUBJECT_WORDS:
        return None
    gap = text[r.end : m.start]
    if n > RELATIVE_WINDOW_WORDS and not (
        # "Un cousin avec qui il partageait sa chambre a été traité pour une tuberculose": the subject's disease
        phrases["relative_opens_sentence"].search(text, max(0, r.start - _SUBJECT_START_CHARS), r.start)
        and not phrases["patient_subject"].search(gap)
        and not phrases["relative_acts_on_patient"].search(gap)
    ):
        return None
    return None if ";" in gap or gap.lstrip().startswith(")") else r


def _link_relative(
    text: str, words: WordBounds, m: Mention, relatives: list[Mention], phrases: dict[str, re.Pattern[str]]
) -> None:
    """A disease named shortly after a relative word in the same sentence is that relative's
    ("la mère est décédée d'un cholangiocarcinome et le père d'un cancer du larynx"), unless the relative is named
    right after it ("..., cancer du côlon chez son père", phrases.yaml relative_named_after) or is the one who found
    the patient's sign ("sa mère qui avait palpé une masse", relative_notices). ``relatives``: those of the
    mention's sentence."""
    # Relatives are in text order and do not overlap, and a longer gap only adds words: only the nearest relative
    # before the disease (and the nearest after it) can be close enough; no scan of the sentence's relatives.
    best = None
    j = bisect.bisect_left(relatives, m.end, key=lambda r: r.start)
    if j < len(relatives) and (
        _BRACKETED.fullmatch(text, m.end, relatives[j].start)
        or phrases["relative_named_after"].fullmatch(text, m.end, relatives[j].start)
    ):
        best = relatives[j]  # "cancer colorectal (père)": the relative in brackets right after the disease is its
    if best is None:
        best = _relative_before(text, words, m, relatives, phrases)
        if best is not None and phrases["relative_notices"].match(text, best.end, m.start):
            return  # "sa mère qui avait palpé une masse abdominale": the relative found the patient's sign
    if best is None and "family" in m.qualifiers:
        # "Antécédents familiaux : cancer du sein (mère)": a relative right after the disease
        if j < len(relatives) and words.within(m.end, relatives[j].start) <= _RELATIVE_AFTER_WORDS:
            best = relatives[j]
    if best is not None:
        m.attrs["relative"] = best
        m.qualifiers.setdefault("family", Cue("family", best.start, best.end, best.rule))
