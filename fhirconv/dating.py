"""Stage 5a - dates, second part: which mention each date of the text dates (``assign_dates``; the dates are found by
``dates.find_dates`` and ``timeline.resolve_relative``, and ``dates.resolve_dates`` runs both parts).

A mention takes the nearest date before it in its sentence, else the nearest after it in the same sentence. Laboratory
results, stages and diagnoses may also take the last date of their paragraph (a panel or a diagnosis reported just
after a dated event), and diagnoses of the work-up sections the date of the presenting episode (``presentation_date``,
see ``dates.yaml``), as do the acts of the treatment section tied to the emergency ("une intervention chirurgicale
urgente"). An act told in the sentences after a dated admission, before anything ends that stay, takes the
admission's month (and what a sentence places "lors de l'admission" its day); an act of a relative clause after a
dated finding ("une rechute en juin 2016 qui a été réintervenue") only its year; a drug told after a dated event of
its paragraph its year too. A pathology result takes the date of the act that took its specimen; the treatment and
course sections told after the presenting episode, with nothing dated since, its year. A disease told with its own
range ("fumeur de 1975 à 1998") takes the range's start, its end kept for the abatement (``range_starts``); one the
sentences of a dated admission led to ("Compte tenu de la CIVD, ...") the admission's day. Nothing is guessed.
"""

from __future__ import annotations

import bisect
import re

from .document import Mention, PartialDate, Structure
from .tables import Mappings, RowRef
from .tables.model import Rx
from .tables.prefilter import found_in_slice, searches, windowed

__all__ = ["CueScans", "assign_dates", "presentation_date", "range_starts"]


# Kinds that take the last earlier date of their paragraph when their sentence has none: a result panel or a
# diagnosis reported just after a dated event ("Le 2 mars 2015, elle s'est rendue aux urgences ... Compte tenu de
# la coagulation intravasculaire disséminée ...").
# A drug started after a dated event the paragraph tells ("En janvier 2014, ... un scanner a montré une progression.
# Un traitement par afatinib a été débuté") started that year too, unless the text says it came later by an unknown
# delay ("Par la suite, elle a reçu ...": ``stay_end`` cues between the date and the drug).
_TREATMENTS = {"medication", "regimen"}
_ACTS = {"procedure", *_TREATMENTS}
_PARAGRAPH_DATED = {"observation", "stage", "tnm", "condition", "finding", "morphology", "procedure", *_TREATMENTS}
# Diagnoses written in the work-up sections without a date of their own belong to the presenting episode.
_EPISODE_DATED = {"condition", "finding", "morphology", "stage", "tnm", "procedure"}
_WORKUP = {"exam", "tests", "diagnosis"}
_TREATMENT = {"treatment"}  # sections.yaml key of the treatment section
# Kinds whose date taken from another sentence is coarsened: the year of an earlier sentence of the paragraph,
# the month of the presenting episode or of a hospital stay.
_COARSE_INHERITED = {"procedure", *_TREATMENTS}
_TREATMENT_REACH = 2  # sentences: a drug told further from the dated event is not surely of that year
_BACKGROUND_KINDS = {"condition", "finding", "morphology"}
_HISTORY = {"history"}  # sections.yaml key of the history section
# a disease the patient was operated on or treated for is past, as a history one, and takes no date of its paragraph;
# not a tumour ("opéré d'une récidive métastatique": the cancer goes on)
_TREATED_PAST = {"condition", "finding"}
# A disease the work-up of the presenting episode finds was found that month, not surely on the day of admission
# (the imaging, the biopsy and its result follow over days or weeks).
_FOUND_IN_WORKUP = {"condition", "finding", "morphology"}
_CLAUSE_BREAK = re.compile(r"[,;:()]")
_WORD = re.compile(r"[^\W_]+")


_BRACKETED = re.compile(r"\([^()]{0,80}\)")


# A date "close after" a mention is at most 10 words away outside brackets (of at most 80 characters each)
_CLOSE_REACH = 600


def _closed_aside(text: str, date_end: int, mention_start: int) -> bool:
    """The date is inside brackets that close before the mention."""
    gap = text[date_end:mention_start]
    return ")" in gap and "(" not in gap


def _close_after(text: str, end: int, date_start: int) -> bool:
    # "radiothérapie (30 Gy) en 2014": a bracket is an aside; "Échographie (9/10/2014)": the date in brackets
    gap = _BRACKETED.sub(" ", text[end:date_start]).rstrip()
    gap = gap[:-1] if gap.endswith("(") else gap
    return not _CLAUSE_BREAK.search(gap) and len(_WORD.findall(gap)) <= 10


def _discovery_aside(text: str, end: int, date_start: int, mappings: Mappings) -> bool:
    """The words between a disease and a date are an apposition telling its discovery ("une myasthénie,
    diagnostiquée en avril 2015, ...", "une sarcoïdose, connue depuis 2011"): the date is the disease's."""
    return date_start - end <= _ASIDE_REACH and bool(mappings.phrases["date_disease_aside"].match(text[end:date_start]))


_ASIDE_REACH = 60  # characters: the apposition is a few words


def _admission_cues(text: str, structure: Structure, mappings: Mappings) -> dict[int, int]:
    """Sentence -> where its first "lors de l'admission" cue starts (one pass over the text per cue row)."""
    out: dict[int, int] = {}
    for p, _ in mappings.admission_cues:
        for cue in p.finditer(text):
            k = structure.sentence_at(cue.start())
            out[k] = min(out.get(k, cue.start()), cue.start())
    return out


def _act_between(text: str, mentions: list[Mention], i_m: int, limit: int, mappings: Mappings) -> bool:
    """An act is told between ``mentions[i_m]`` and ``limit`` (a date): "En avril 2015, myasthénie, thymectomie le
    2 juin 2015", "..., une myasthénie opérée le 2 juin 2015": the later date is the act's, not the disease's."""
    for other in mentions[i_m + 1 :]:
        if other.start >= limit:
            break
        if other.kind in _ACTS:
            return True
    if mappings.phrases["date_act_word"].search(text, mentions[i_m].end, limit):
        return True
    return _any_cue(mappings.specimen_act_cues, text, mentions[i_m].end, limit)


def _usual_list(text: str, m: Mention, mappings: Mappings) -> int | None:
    """Where the usual-treatment list naming the drug ``m`` starts its items ("Traitement habituel : metformine",
    "son traitement comprenait ...": a med_active cue before it, phrases.yaml usual_treatment), or None. A usual
    treatment has no start date unless one is written for it: not the date of its paragraph or of its admission."""
    cue = m.qualifiers.get("med_active")
    if cue is None or cue.end > m.start:
        return None
    return cue.end if mappings.phrases["usual_treatment"].match(text, cue.start, cue.end) else None


def _later_act(text: str, m: Mention, mappings: Mappings) -> bool:
    """ "... une nouvelle rechute qui a été réintervenue": an act in a relative clause after the dated event."""
    before = text[max(0, m.start - 40) : m.start]
    return any(p.search(before) for p, _ in mappings.later_act_cues)


def _later_treatment(text: str, d: PartialDate, m: Mention, structure: Structure, mappings: Mappings) -> bool:
    """The drug ``m`` is not surely of the year of the paragraph's date ``d``: ``d`` is more than
    ``_TREATMENT_REACH`` sentences back, or the text says the drug came later by a delay it does not give ("Par la
    suite, elle a reçu ...")."""
    if structure.sentence_at(d.start) < m.sentence - _TREATMENT_REACH:
        return True
    return _any_cue(mappings.stay_end_cues, text, d.end, m.start)


_PATHOLOGY_DATED = {"condition", "finding", "morphology", "observation", "stage", "tnm"}
_SPECIMEN_CATEGORIES = {"surgery", "biopsy"}  # procedures.csv categories of the acts that take a specimen


def _specimen_sentences(text: str, mentions: list[Mention], structure: Structure, mappings: Mappings) -> dict[int, int]:
    """The sentences that tell an act taking a specimen (a surgery or biopsy row, or a ``specimen_acts`` cue), each
    with where its first such act starts."""
    out: dict[int, int] = {}
    acts = [
        (m.sentence, m.start)
        for m in mentions
        if m.kind == "procedure"
        and getattr(m.row, "category", None) in _SPECIMEN_CATEGORIES
        and not m.qualifiers.keys() & {"negation", "exclusion", "hypothesis", "family"}
    ]
    acts += [
        (structure.sentence_at(c.start()), c.start()) for p, _ in mappings.specimen_act_cues for c in p.finditer(text)
    ]
    for k, start in acts:
        out[k] = min(out.get(k, start), start)
    return out


def _specimen_date(
    m: Mention,
    dates: list[PartialDate],
    ends: list[int],
    specimens: dict[int, int],
    aside: set[int],
    structure: Structure,
) -> PartialDate | None:
    """For a finding of a pathology sentence without a date of its own: the last date written before it, when that
    date's sentence tells an act taking a specimen, not of the history (``aside``), and no act taking a specimen is
    told after it up to ``m`` (an undated biopsy of ``m``'s sentence, before ``m``, is its specimen: "BAG du nodule :
    carcinome"; "la pièce opératoire" of a later surgery; an act told after ``m`` in its sentence is a later one:
    "... ont montré un immunophénotype séreux, de sorte qu'elle a subi une chirurgie de cytoréduction").
    ``specimens``: ``_specimen_sentences``; ``ends``: the ends of ``dates``, in order."""
    k = bisect.bisect_right(ends, m.start)
    if not k:
        return None
    last = dates[k - 1]
    at = structure.sentence_at(last.start)
    if at not in specimens or at in aside:
        return None  # not an act, or one of the history ("mélanome opéré en 1993")
    # the last act that took a specimen before the result is that dated one (not a later, undated surgery)
    later = any(at < s < m.sentence for s in specimens) or (
        at < m.sentence and specimens.get(m.sentence, m.start) < m.start
    )
    return None if later else last


_FOLLOW_UP = {"treatment", "evolution"}  # sections.yaml keys of what followed the presenting episode


def _last_date_is(d: PartialDate, m: Mention, dates: list[PartialDate], ends: list[int]) -> bool:
    """``d`` is the last date written before ``m`` (nothing dated was told between them)."""
    k = bisect.bisect_right(ends, m.start)
    return bool(k) and dates[k - 1].start == d.start


def _follow_up(text: str, m: Mention, structure: Structure, mappings: Mappings) -> bool:
    """``m``'s sentence tells a follow-up ("Suivi radiologique trimestriel par IRM") or a later time ("Par la suite",
    "Actuellement"), not the care of the presenting episode."""
    sent = structure.sentences[m.sentence]
    return any(searches(mappings.follow_up_cues, text, sent.start, sent.end)) or any(
        searches(mappings.stay_end_cues, text, sent.start, sent.end)
    )


def _year_of(d: PartialDate) -> PartialDate:
    return PartialDate(d.year, None, None, d.start, d.end, d.rule, d.anchor)


def _of_episode(text: str, m: Mention, structure: Structure, mappings: Mappings) -> bool:
    """A mention of the work-up sections, or an act of the treatment section tied to the emergency that brought the
    patient ("une intervention chirurgicale urgente a été pratiquée")."""
    sent = structure.sentences[m.sentence]
    key = structure.sections[sent.section].key
    if key in _WORKUP:
        return True
    return key in _TREATMENT and any(searches(mappings.episode_act_cues, text, sent.start, sent.end))


# Sentences after a dated admission that may still tell the stay (the transfusions, the lavage of the next lines);
# further on, a report has usually moved on without saying so.
_STAY_SENTENCES = 4


def _stay(
    text: str,
    m: Mention,
    by_sentence: dict[int, list[PartialDate]],
    at_admission: bool,
    structure: Structure,
    mappings: Mappings,
    scans: CueScans,
) -> PartialDate | None:
    """The date of the admission whose stay ``m`` belongs to: the nearest dated sentence before ``m``'s, in its
    section and at most ``_STAY_SENTENCES`` back, says the patient was admitted or came to the emergency room, its
    last date gives at least a month, and nothing between it and ``m`` ends the stay (``stay_end`` in dates.yaml).
    The day only when ``m``'s sentence says it is the admission ("lors de l'admission"); else the month, and only for
    acts. A disease is dated by the stay only when it is what the admission found: told right after the admission's
    sentence, or after sentences that all tell the admission ("... elle a donc été admise. Lors de l'admission, un
    frottis ... Compte tenu de la coagulation intravasculaire disséminée, ..."): the admission's day; a disease told
    later in the stay may have been found any day of it. ``scans``: which sentences have an episode cue (asked only
    where the answer is read) or a "lors de l'admission" cue."""
    exact = at_admission
    found_on_admission = not exact and m.kind in _BACKGROUND_KINDS
    if not exact and m.kind not in _COARSE_INHERITED and not found_on_admission:
        return None
    section = structure.sentences[m.sentence].section
    for k in range(m.sentence - 1, max(-1, m.sentence - 1 - _STAY_SENTENCES), -1):
        sent = structure.sentences[k]
        if sent.section != section:
            return None
        if k not in by_sentence:
            if found_on_admission and k not in scans.admission and not scans.admits(k):
                return None  # a sentence of the stay not at the admission: the disease may be of a later day
            continue
        if not scans.admits(k):
            return None  # the last date before is another event, not an admission
        admission = by_sentence[k][-1]
        if admission.month is None:
            return None  # "hémodialysé depuis 2005, ... a consulté": a year names no admission
        if _any_cue(mappings.stay_end_cues, text, sent.end, m.start):
            return None
        return admission if exact or found_on_admission else _month_at_most(admission)
    return None


# Kinds the Diagnostic section concludes to: a disease and its stage are diagnosed when the work-up ends.
_CONCLUDED = {"condition", "finding", "morphology", "stage", "tnm"}
_DIAGNOSIS = {"diagnosis"}  # sections.yaml key of the Diagnostic section
_EXAMS = {"exam", "tests"}  # the work-up sections that tell the exams in order, before the Diagnostic section


def _work_up_end(
    m: Mention, dates: list[PartialDate], ends: list[int], episode: PartialDate, structure: Structure
) -> PartialDate | None:
    """For a mention of the Diagnostic section: the last date the work-up sections write after the presenting
    episode ("le 1er décembre, elle a subi une chirurgie de cytoréduction" ... "Diagnostic : carcinome séreux"),
    the day the work-up concluded, as precise as written. None when the last date before the mention is not one of
    the work-up sections (the Diagnostic section's own dates, a date of the history) or comes before the episode.
    ``ends``: the ends of ``dates``, in order."""
    if structure.sections[structure.sentences[m.sentence].section].key not in _DIAGNOSIS:
        return None
    k = bisect.bisect_right(ends, m.start)
    if not k:
        return None
    last = dates[k - 1]
    if last.start < episode.end:
        return None
    key = structure.sections[structure.sentences[structure.sentence_at(last.start)].section].key
    return last if key in _EXAMS else None


# The facts a date written right after them belongs to ("appendicectomie en 1998", "HTA depuis 2005"), and that
# do not take such a date of another item.
_ITEMS = {"condition", "finding", "morphology", "procedure"}
_ITEM_REACH = 8  # mentions looked at before a date for the item it follows


def _owned_before(
    text: str, d: PartialDate, m: Mention, mentions: list[Mention], at: int, structure: Structure, mappings: Mappings
) -> bool:
    """The date ``d`` before ``m`` is written right after another item of the sentence, in its clause ("HTA
    depuis 2005", "orchidectomie gauche en 1997"), and a clause break or a coordination separates it from ``m``
    ("..., suite à une maladie de Berger", "... et de suivi pour un cavernome"): a list of dated items, the date is
    that item's. A date opening its clause ("En 2010, ...") governs what follows. ``at``: ``m``'s index in
    ``mentions`` (in text order)."""
    gap = text[d.end : m.start]
    if not mappings.phrases["date_item_break"].match(gap):
        return False
    if m.kind == "procedure" and not _CLAUSE_BREAK.search(gap):
        return False  # "une chirurgie le 24 octobre 2012 avec lobectomie et lymphadénectomie": one act, one date
    lo = bisect.bisect_left(mentions, d.start, 0, at, key=lambda x: x.start)
    for k in range(lo - 1, max(-1, lo - 1 - _ITEM_REACH), -1):
        o = mentions[k]
        if o.sentence != m.sentence:
            return False
        if o.kind in _ITEMS and o.end <= d.start and _close_after(text, o.end, d.start):
            return _item_of(text, o, d, m, gap, structure, mappings)
    return False


# the gaps before the acts of a list, each act replaced by \x00: ", une IRM, le scanner et la TEP"; the last one
# joined by "et" ("Appendicectomie, cholécystectomie en 2010" lists dated items of a history; "puis" a sequence)
_ARTICLE = r"(?:(?:une?|des|la|le|les|du|d['’]|l['’])\s*)?"
_LIST_OF_ACTS = re.compile(rf"(?:\s*,\s*{_ARTICLE}\x00)*\s*,?\s*\bet\s+{_ARTICLE}\x00\s*")
_COMMAS_OF_ACTS = re.compile(rf"(?:\s*,\s*{_ARTICLE}\x00)+\s*")
_AND_LAST = re.compile(r"\s*,?\s*et\s")  # "IRM, CT et GGO en mars 2019": the last item is no act we know


def _listed_acts(text: str, m: Mention, d: PartialDate, mentions: list[Mention], at: int) -> bool:
    """The act ``m`` opens a list of acts that ends close before ``d`` ("lors du suivi par IRM, scanner et TEP en mars
    2019", "une échographie, une mammographie et une biopsie le 3 mai 2018"): the date is every act's. ``at``:
    ``m``'s index in ``mentions``."""
    parts: list[str] = []
    last_end = m.end
    for o in mentions[at + 1 : at + 1 + _ITEM_REACH]:
        if o.start >= d.start:
            break
        if o.start < last_end:
            continue  # a mention inside the previous act's words
        if o.kind != "procedure":
            return False
        parts += [text[last_end : o.start], "\x00"]
        last_end = o.end
    if not parts or not _close_after(text, last_end, d.start):
        return False
    joined = "".join(parts)
    return bool(
        _LIST_OF_ACTS.fullmatch(joined) or (_COMMAS_OF_ACTS.fullmatch(joined) and _AND_LAST.match(text, last_end))
    )


_NAMING = {"condition", "finding", "morphology"}  # a disease's mentions (this rule is about condition dates)
_COORDINATION_WORDS = 4  # "et une", "ainsi que d'une": the words joining two items of a list


def _next_item_owns(
    text: str, m: Mention, d: PartialDate, mentions: list[Mention], at: int, mappings: Mappings
) -> bool:
    """The date ``d`` after the disease ``m`` follows the next item of a list, coordinated with ``m`` ("un asthme et
    une appendicectomie en 1995", "diabète, HTA en 2010" has a comma and is not read): that item's date, not
    ``m``'s. An item that is not coordinated ("cancer traité par chirurgie en 2001") leaves the date to ``m``."""
    if m.kind not in _NAMING:
        return False
    for o in mentions[at + 1 : at + 1 + _ITEM_REACH]:
        if o.start >= d.start:
            return False
        if o.kind in _ITEMS and o.start >= m.end:
            gap = text[m.end : o.start]
            return bool(
                len(_WORD.findall(gap)) <= _COORDINATION_WORDS and mappings.phrases["date_item_break"].match(gap)
            )
    return False


def _item_of(
    text: str, o: Mention, d: PartialDate, m: Mention, gap: str, structure: Structure, mappings: Mappings
) -> bool:
    """The date ``d`` written right after ``o`` is ``o``'s alone, not ``m``'s: not when the sentence fronts the
    dated phrase ("Lors du scanner de mars 2019, la maladie ..."); after a dated act, only in a list of history
    items, for the act's cause ("hémodialysé depuis 2005, suite à une maladie de Berger") or before a new event
    of the sentence ("..., qui a consulté pour des céphalées"): what else follows an act is what it found."""
    sent = structure.sentences[m.sentence]
    if mappings.phrases["date_fronted"].match(text, sent.start, o.start):
        return False
    if o.kind != "procedure" or "history" in m.qualifiers or mappings.phrases["date_item_cause"].match(gap):
        return True
    # (``gap`` is the text's slice: each cue tried at its candidate starts in the text, not at every offset of gap)
    return found_in_slice(mappings.episode_cues, text, d.end, m.start)


_EXAM_RESULTS = {"observation"}
_ON_ARRIVAL = {"exam"}  # the physical examination of the presenting episode is made on arrival


def _section_key(m: Mention, structure: Structure) -> str | None:
    return structure.sections[structure.sentences[m.sentence].section].key


# row class -> whether its rows have a ``cim10`` and an ``icdo3`` (rows forbid extra fields: every row of a class has
# the same ones). ``getattr(row, "cim10", None)`` on a row without one raised and caught an AttributeError, whose
# message pydantic formats: dearer than the rest of the date assignment of the mention.
_CODE_FIELDS: dict[type, tuple[bool, bool]] = {}


def _disease_key(m: Mention) -> object:
    """What two mentions of one disease share: the CIM-10 code (or ICD-O-3 morphology) of the row, else the words
    ("bronchopneumopathie chronique obstructive", "BPCO": J44.9)."""
    row = m.row
    fields = _CODE_FIELDS.get(type(row))
    if fields is None:
        fields = _CODE_FIELDS[type(row)] = (hasattr(row, "cim10"), hasattr(row, "icdo3"))
    return (fields[0] and row.cim10) or (fields[1] and row.icdo3) or m.text.lower()


def _month_at_most(d: PartialDate) -> PartialDate:
    return PartialDate(d.year, d.month, None, d.start, d.end, d.rule, d.anchor) if d.day is not None else d


def presentation_date(
    text: str, dates: list[PartialDate], structure: Structure, mappings: Mappings, scans: CueScans | None = None
) -> PartialDate | None:
    """The date of the presenting episode: the last date of a history-section sentence with an episode cue.
    ``scans``: the report's ``CueScans``, when made (its episode cues are searched once per sentence)."""
    found = None
    cues = scans
    for d in dates:
        k = structure.sentence_at(d.start)
        sent = structure.sentences[k]
        if structure.sections[sent.section].key != "history":
            continue
        if cues is None:
            cues = CueScans(text, structure, mappings)
        if cues.cued(k) and not _item_before_episode(text, d, sent.start, sent.end, mappings):
            found = d
    return found


_FRONTING_WORDS = 2  # "Le 2 mars 2015, ...", "Début janvier 2017, ...": words of a clause that only opens on a date


def _item_before_episode(text: str, d: PartialDate, start: int, end: int, mappings: Mappings) -> bool:
    """``d`` is the date of an item the sentence names before it tells the episode ("Une femme, opérée d'une
    cholécystectomie en mars 2009, s'est présentée aux urgences"): every episode cue of the sentence comes after
    ``d`` past a clause break, and ``d`` closes a clause of its own words (not "Le 2 mars 2015, elle s'est
    présentée", "Lors de l'hospitalisation de mars 2015, ...")."""
    cues = [c.start() for c in searches(mappings.episode_cues, text, start, end) if c is not None]
    if not cues or min(cues) < d.end or not _CLAUSE_BREAK.search(text, d.end, min(cues)):
        return False
    clause_start = max((b.end() for b in _CLAUSE_BREAK.finditer(text, start, d.start)), default=start)
    if len(_WORD.findall(text, clause_start, d.start)) <= _FRONTING_WORDS:
        return False
    return not mappings.phrases["date_fronted"].match(text, clause_start, d.start)


def _undated_episode_year(dates: list[PartialDate], structure: Structure, scans: CueScans) -> PartialDate | None:
    """The year of a presenting episode the history tells without a date ("La patiente se présente aux urgences
    ..."): the year of the first date of the work-up sections ("Échographie (9/10/2014)"), when no date comes before
    it (a dated history names other events). Only the year: the work-up may span weeks, and its first date may
    come days after the admission."""
    first = dates[0]
    if structure.sections[structure.sentences[structure.sentence_at(first.start)].section].key not in _WORKUP:
        return None
    if not any(
        structure.sections[sent.section].key == "history" and scans.admits(k)
        for k, sent in enumerate(structure.sentences[: structure.sentence_at(first.start)])
    ):
        return None
    return PartialDate(first.year, None, None, first.start, first.end, first.rule, first.anchor)


def _cue_at(regex: re.Pattern[str], starts: list[int] | None, text: str, pos: int, endpos: int) -> bool:
    """``regex.search(text, pos, endpos)`` finds a match, ``starts`` (``windowed``; None: not known) holding every
    offset where one may start: one match call at each start of the window. (``prefilter.first_match`` searches
    from the first start when the window holds more than two: re then tries the episode cue's long alternation at
    every offset of the sentence, most of which start no cue.)"""
    if starts is None:
        return regex.search(text, pos, endpos) is not None
    lo = bisect.bisect_left(starts, pos)
    hi = bisect.bisect_right(starts, endpos, lo)
    return any(regex.match(text, starts[i], endpos) is not None for i in range(lo, hi))


def _any_cue(rows: list[tuple[Rx, RowRef]], text: str, pos: int, endpos: int) -> bool:
    """``any(searches(rows, text, pos, endpos))``: a cue of ``rows`` in the window, each tried at its candidate starts
    there (``_cue_at``). For the long windows (from a date to a mention sentences later): ``first_match`` searches
    from the first start when the window holds more than two, and re then tries the cue's alternation at every offset
    of the window (~100,000 instructions for a window across a few sentences)."""
    return any(_cue_at(regex, starts, text, pos, endpos) for regex, _, starts in windowed(rows, text))


class CueScans:
    """What ``assign_dates`` reads of the whole text, made once per report: ``resolve_dates`` may assign twice and
    ``presentation_date`` runs each time. ``undated``: the sentences that state a delay fhirconv does not resolve
    ("à 48 heures": nothing borrowed from elsewhere); ``admission``: where each sentence's "lors de l'admission" cue
    starts. Whether a sentence holds an episode cue is searched when first asked and kept for the report (the same
    sentences were searched again by every call); ``admits`` tries each cue at its candidate starts in the sentence
    (``_cue_at``), where re's scan of the sentence tried it at every offset."""

    def __init__(self, text: str, structure: Structure, mappings: Mappings) -> None:
        self.text = text
        self.structure = structure
        self.mappings = mappings
        self.undated = {structure.sentence_at(u.start()) for p, _ in mappings.undated_cues for u in p.finditer(text)}
        self.admission = _admission_cues(text, structure, mappings)
        self._admits: dict[int, bool] = {}  # sentence -> an episode cue in its window of the text (``searches``)
        self._cued: dict[int, bool] = {}  # sentence -> an episode cue in its slice (``found_in_slice``)

    def admits(self, k: int) -> bool:
        """Sentence ``k`` tells an admission or a visit (an episode cue searched in its window of the text)."""
        found = self._admits.get(k)
        if found is None:
            sent = self.structure.sentences[k]
            found = self._admits[k] = any(
                _cue_at(regex, starts, self.text, sent.start, sent.end)
                for regex, _, starts in windowed(self.mappings.episode_cues, self.text)
            )
        return found

    def cued(self, k: int) -> bool:
        """Sentence ``k`` holds an episode cue, searched in its slice (as ``presentation_date`` always has)."""
        found = self._cued.get(k)
        if found is None:
            sent = self.structure.sentences[k]
            found = self._cued[k] = found_in_slice(self.mappings.episode_cues, self.text, sent.start, sent.end)
        return found


def assign_dates(
    text: str,
    mentions: list[Mention],
    dates: list[PartialDate],
    structure: Structure,
    mappings: Mappings,
    scans: CueScans | None = None,
) -> None:
    """Set ``mention.date`` from the dates of its sentence, its paragraph (results, diagnoses) or the presenting
    episode (diagnoses found in the work-up sections). ``scans``: the ``CueScans`` of the text, when already made."""
    if not dates:
        return
    scans = scans if scans is not None else CueScans(text, structure, mappings)
    episode = presentation_date(text, dates, structure, mappings, scans)
    undated_episode = _undated_episode_year(dates, structure, scans) if episode is None else None
    care_of = episode or undated_episode  # the episode whose care and course the later sections tell
    by_sentence: dict[int, list[PartialDate]] = {}
    by_paragraph: dict[int, list[PartialDate]] = {}  # so that a mention looks only at its paragraph's dates
    undated, admission_cues = scans.undated, scans.admission
    for d in dates:
        by_sentence.setdefault(structure.sentence_at(d.start), []).append(d)
        by_paragraph.setdefault(structure.sentences[structure.sentence_at(d.start)].paragraph, []).append(d)
    # dates do not overlap and are in text order, so their ends are sorted too: "the dates ending before a mention"
    # is a bisection (a list per mention was quadratic in a report without sentence ends)
    ends = {k: [d.end for d in ds] for k, ds in by_sentence.items()}
    para_ends = {k: [d.end for d in ds] for k, ds in by_paragraph.items()}
    all_ends = [d.end for d in dates]
    # a date of the patient's history or of a relative ("aux antécédents ... d'AVC ischémique en 2018", "sa mère,
    # opérée en 2010") dates its own sentence, not the sentences that follow it in the paragraph
    aside = {m.sentence for m in mentions if "history" in m.qualifiers or "family" in m.qualifiers}
    pathology = {structure.sentence_at(c.start()) for p, _ in mappings.pathology_cues for c in p.finditer(text)}
    specimens = _specimen_sentences(text, mentions, structure, mappings) if pathology else {}
    background: set[object] = set()  # diseases the history names undated before the presenting episode
    for i_m, m in enumerate(mentions):
        same = by_sentence.get(m.sentence, [])
        n_before = bisect.bisect_right(ends[m.sentence], m.start) if same else 0
        before = same[n_before - 1 : n_before] if n_before else []  # the last one is all that is read
        if before and _closed_aside(text, before[0].end, m.start):
            before = []  # "ancienne fumeuse (sevrée en 2010), suivie pour une BPCO": the bracket's date is its own
        owned = (
            bool(before) and m.kind in _ITEMS and _owned_before(text, before[0], m, mentions, i_m, structure, mappings)
        )
        if owned:
            before = []  # "appendicectomie en 1998, HTA": the date is the appendicectomy's, HTA has none
        usual = _usual_list(text, m, mappings) if m.kind in _TREATMENTS else None
        if (
            usual is not None
            and before
            and (before[0].start < usual or _CLAUSE_BREAK.search(text, before[0].end, m.start))
        ):
            before = []  # "En 2021, traitement habituel : metformine": the date is the list's, not the drug's start
        # a date after the mention dates it only within the same clause, close by ("une résection intestinale
        # en juin 2013"), not a later event of the sentence (", il a été décidé de réaliser ... en juin 2013")
        # only the first such date is used: later ones are not tested (each test reads the whole gap)
        # (within _CLOSE_REACH characters: in a report with no sentence ends, testing every later date of the one
        # "sentence" made the stage quadratic)
        first_after = None
        for i in range(n_before, len(same)):
            d = same[i]
            if d.start > m.end + _CLOSE_REACH:
                break
            if d.start >= m.end and (
                _close_after(text, m.end, d.start)
                or (m.kind in _BACKGROUND_KINDS and _discovery_aside(text, m.end, d.start, mappings))
                or (i == n_before and m.kind == "procedure" and _listed_acts(text, m, d, mentions, i_m))
            ):
                first_after = d
                break
        if first_after is not None and _next_item_owns(text, m, first_after, mentions, i_m, mappings):
            first_after = None  # "un asthme et une appendicectomie en 1995": the date is the appendicectomy's
        after = [first_after] if first_after is not None else []
        if after and m.kind in _BACKGROUND_KINDS and _discovery_aside(text, m.end, after[0].start, mappings):
            m.date = after[0]  # "une myasthénie, diagnostiquée en avril 2015": its own date, whatever came before
        elif (
            before
            and after
            and _CLAUSE_BREAK.search(text[before[-1].end : m.start])
            and len(_WORD.findall(text[m.end : after[0].start])) <= 5
            and not (m.kind in _BACKGROUND_KINDS and _act_between(text, mentions, i_m, after[0].start, mappings))
        ):
            m.date = after[0]  # "..., en décembre 2011, ..., subissant une intervention en avril 2012"
        elif before:
            m.date = before[-1]
            if m.kind in _COARSE_INHERITED and _later_act(text, m, mappings):
                m.date = PartialDate(m.date.year, None, None, m.date.start, m.date.end, m.date.rule, m.date.anchor)
        elif after:
            m.date = after[0]
        elif owned:
            pass  # the sentence's date is another item's: no date of the paragraph either
        elif (
            m.kind in _PARAGRAPH_DATED
            and m.sentence not in undated
            and "history" not in m.qualifiers
            and not ("treated" in m.qualifiers and m.kind in _TREATED_PAST)
            and usual is None
        ):
            # (a disease of the patient's history, "Antécédents : fibrillation atriale", or one the patient was
            # operated on or treated for, "Elle avait été opérée d'une appendicite à 14 ans", is older than the dates
            # told before it: only a date of its own sentence dates it)
            para = structure.sentences[m.sentence].paragraph
            in_para = by_paragraph.get(para, [])
            k = bisect.bisect_right(para_ends[para], m.start) if in_para else 0
            while k and (
                structure.sentence_at(in_para[k - 1].start) in aside
                or in_para[k - 1].start >= structure.sentences[m.sentence].start
                and _closed_aside(text, in_para[k - 1].end, m.start)
            ):
                k -= 1
            earlier = in_para[k - 1 : k] if k else []  # the last one is all that is read
            at_admission = admission_cues.get(m.sentence, m.start) < m.start  # "Lors de l'admission, un frottis"
            stay = _stay(text, m, by_sentence, at_admission, structure, mappings, scans)
            specimen = (
                _specimen_date(m, dates, all_ends, specimens, aside, structure)
                if m.kind in _PATHOLOGY_DATED and m.sentence in pathology
                else None
            )
            if specimen is not None:
                m.date = specimen  # a pathology result: the day of the act that took the specimen
            elif stay is not None:
                m.date = stay  # told during the hospital stay opened by a dated admission
            elif earlier and not (
                m.kind in _TREATMENTS and _later_treatment(text, earlier[-1], m, structure, mappings)
            ):
                d = earlier[-1]
                # a procedure narrated after a dated sentence happened that year, not surely that month or day
                if m.kind in _COARSE_INHERITED:
                    d = PartialDate(d.year, None, None, d.start, d.end, d.rule, d.anchor)
                m.date = d
            elif (
                episode is not None
                and episode.end <= m.start
                and _of_episode(text, m, structure, mappings)
                and _disease_key(m) not in background
            ):
                concluded = _work_up_end(m, dates, all_ends, episode, structure) if m.kind in _CONCLUDED else None
                if concluded is not None:
                    m.date = concluded
                elif at_admission:
                    m.date = episode  # "Analyse à l'admission : ...": the day the presenting episode began
                elif m.kind in _EXAM_RESULTS and _section_key(m, structure) in _EXAMS:
                    # a result of the work-up: the examination on arrival that day, a test that month
                    m.date = episode if _section_key(m, structure) in _ON_ARRIVAL else _month_at_most(episode)
                elif m.kind in _EPISODE_DATED:
                    # an exam of the work-up happened during the stay, not surely on the day of admission
                    m.date = (
                        _month_at_most(episode)
                        if m.kind in _COARSE_INHERITED or m.kind in _FOUND_IN_WORKUP
                        else episode
                    )
            elif undated_episode is not None and _of_episode(text, m, structure, mappings):
                m.date = undated_episode
            elif (
                care_of is not None
                and _section_key(m, structure) in _FOLLOW_UP
                and _disease_key(m) not in background
                and _last_date_is(care_of, m, dates, all_ends)
                and not _follow_up(text, m, structure, mappings)
            ):
                # the care and course of the presenting episode, told with no date since (the episode's, or the
                # first date of its work-up when the history tells it undated): its year (the treatment may start
                # weeks after the admission, the course last months)
                m.date = _year_of(care_of)
        # "suivie pour une BPCO ..., hospitalisée le 3 octobre 2022 pour ...": a disease of the history told undated
        # before the presenting episode is the patient's background; named again in the work-up sections ("sur
        # terrain de BPCO sévère") it does not take the episode's date
        if (
            m.date is None
            and episode is not None
            and m.end <= episode.start
            and m.kind in _BACKGROUND_KINDS
            and structure.sections[structure.sentences[m.sentence].section].key in _HISTORY
        ):
            background.add(_disease_key(m))


def range_starts(
    text: str,
    mentions: list[Mention],
    periods: list[tuple[PartialDate, PartialDate]],
    structure: Structure,
    mappings: Mappings,
) -> None:
    """A disease dated by the end of a range ("De 1975 à 1998, il a fumé", "tabagisme entre 1975 et 1998") began at
    the range's start: the end is when it stopped (the Condition builder reads it as the abatement). Only when the
    range is the disease's own (``attrs["until"]`` then holds its end): written right after it ("fumeur de 1975 à 1998"), or opening the sentence with no
    act nor stay told before the disease ("De 1975 à 1998, il a été fumeur"); not "lymphome traité de mars à juin
    2013" (phrases.yaml range_of_care), "traitée par chimiothérapie de
    mars à juin 2013 pour un lymphome", "De mars à juin 2013, elle a reçu une chimiothérapie pour un lymphome", nor
    "hospitalisée du 2 au 10 mars 2015 pour une pneumopathie" (the range is the act's or the stay's)."""
    of_date = {d.start: (a, b) for a, b in periods for d in (a, b)}
    acts = [m.start for m in mentions if m.kind in _ACTS]
    for m in mentions:
        if m.kind not in _BACKGROUND_KINDS or m.date is None or m.date.start not in of_date:
            continue
        first, last = of_date[m.date.start]
        if m.end <= first.start:
            gap = text[m.end : first.start]
            own = (
                not _CLAUSE_BREAK.search(gap)
                and len(_WORD.findall(gap)) <= _RANGE_GAP_WORDS
                and not mappings.phrases["range_of_care"].search(gap)
            )
        else:
            sent_start = structure.sentences[structure.sentence_at(first.start)].start
            own = (
                last.end <= m.start
                and len(_WORD.findall(text, sent_start, first.start)) <= _FRONTING_WORDS
                and not any(last.end <= a < m.start for a in acts)
                and not _any_cue(mappings.episode_cues, text, last.end, m.start)
            )
        if own:
            m.date = first
            m.attrs["until"] = last  # read by the Condition builder as the abatement


_RANGE_GAP_WORDS = 2  # "tabagisme actif entre 1975 et 1998": words between a disease and its own range
