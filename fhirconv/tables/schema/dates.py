"""Row models of dates.yaml: date patterns, the cues that date sentences, relative dates and periods."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import field_validator, model_validator

from .base import Row, _Pattern


class DatePattern(_Pattern):
    precision: Literal["year", "month", "day"]
    _required_groups = ("year",)

    @model_validator(mode="after")
    def _parts(self) -> DatePattern:
        groups = set(re.compile(self.pattern.replace("{MONTH}", "(?:mars)")).groupindex)
        if self.precision != "year" and not {"month", "month_name"} & groups:
            raise ValueError(f"precision {self.precision} needs a (?P<month>...) or (?P<month_name>...) group")
        if self.precision == "day" and "day" not in groups:
            raise ValueError("precision day needs a (?P<day>...) group")
        return self


class EpisodeCue(_Pattern):
    """Words of the sentence that dates the presenting episode ("s'est présentée aux urgences", "a été admis")."""


class StayEndCue(_Pattern):
    """Words that close a hospital stay or move the story past it ("a pu rentrer chez elle", "par la suite"): the
    sentences after them no longer take the date of the admission."""


class AdmissionCue(_Pattern):
    """Words that place what their sentence tells at the admission itself ("lors de l'admission"): the day of the
    dated admission sentence before it."""


class LaterActCue(_Pattern):
    """Words right before an act that make it follow the event its sentence dates ("une rechute en juin 2016 qui a
    été réintervenue"): the act takes only that date's year."""


class EventEndCue(_Pattern):
    """Words opening the event a relative date names that make it the end of that event ("six mois après la fin de
    la chimiothérapie"): a dated mention of the event gives its start, so the expression is resolved only when that
    date is the end of a range the text writes ("de janvier à juin 2015", ``range_end``)."""


class RangeEndCue(_Pattern):
    """Words right before a date that make it the end of a range ("de janvier à juin 2015", "jusqu'en octobre
    2018"). Tested on the words before the date."""


class FollowUpCue(_Pattern):
    """Words of a sentence that tells a follow-up ("suivi trimestriel", "surveillance"): not the care of the presenting
    episode, which may be years before."""


class PathologyCue(_Pattern):
    """Words of a sentence that reports a pathology result ("l'examen anatomopathologique", "l'étude
    immunohistochimique"): what it finds dates from the specimen, the last dated act that took one."""


class SpecimenActCue(_Pattern):
    """Words of a sentence that tells an act taking a specimen, besides the surgery and biopsy rows of procedures.csv
    ("il a été opéré d'un naevus", "la lésion a été réséquée")."""


class EpisodeActCue(_Pattern):
    """Words that tie an undated act of the treatment section to the presenting episode ("une intervention
    chirurgicale urgente a été pratiquée")."""


class UndatedCue(_Pattern):
    """A time expression fhirconv does not resolve ("à 48 heures", "J8" with no day 0): its sentence's mentions
    take no date from elsewhere, since the borrowed date would be wrong by the stated delay."""


class NumberWord(Row):
    """A number or ordinal written in words ("deux" 2, "troisième" 3), for relative dates."""

    word: str
    value: int
    ordinal: bool = False


class TimeUnitWord(Row):
    word: str
    unit: Literal["day", "week", "month", "year"]


class RelativeRule(_Pattern):
    """A relative date expression ("deux mois après", "au troisième jour post-chimiothérapie").

    Groups: ``n`` (number, digits or words), ``ord`` (ordinal), ``unit``, ``half`` ("et demi"), ``month_name``,
    ``anchor`` (the event named after the cue). ``n`` / ``unit`` fix the offset when the pattern has no such group.
    ``anchor``: ``nearest`` = the nearest date before the expression; ``before_sentence`` = the nearest date before
    its sentence (a disease-free interval ends at the event of its own sentence); ``following`` = the next date
    written (the end of a period "du 3 mars au 5 avril 2006" gives the start its year); ``named`` = the event named by
    the ``anchor`` group when the text names one (``anchors`` list; an event not in the list: left out), else the
    nearest date before. ``keep: year`` takes the anchor's
    year and the expression's month and day ("en décembre de la même année", "le 11 novembre"); ``forward``: left
    out when that falls before the anchor (the text may have moved on to the next year); with a ``following``
    anchor, left out when it falls after it.
    """

    direction: Literal["after", "before"] = "after"
    n: int | None = None
    unit: Literal["day", "week", "month", "year"] | None = None
    anchor: Literal["nearest", "before_sentence", "named", "following"] = "nearest"
    keep: Literal["year"] | None = None
    forward: bool = False
    # words (lower case) of which one is always in or near an expression: the pattern is only tried around them
    # (speed: most of a report has no relative date); "{MONTH}" = any month name; empty = tried everywhere
    keys: list[str] = []


class AnchorRule(_Pattern):
    """An event a relative date can name ("le diagnostic initial", "post-opératoire") and where its date is read.

    ``kinds`` / ``categories``: dated mentions that are that event (procedure categories of procedures.csv);
    ``pick``: ``first`` = the earliest of their dates, ``nearest`` = the last one before the expression;
    ``episode``: the date of the presenting episode (``episode`` cues); ``sentences``: the mention must be at most
    that many sentences before the expression (a demonstrative, "ce traitement", points to what was just told).
    """

    kinds: list[str] = []
    categories: list[str] = []
    pick: Literal["first", "nearest"] = "nearest"
    episode: bool = False
    sentences: int | None = None
    named: bool = False  # only a mention of those kinds in the words after the cue ("du traitement par sunitinib")


class PeriodRule(Row):
    """Two dates that make a period: ``opening`` ends right before the first, ``joining`` is the gap between."""

    opening: str
    joining: str

    @field_validator("opening", "joining")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        return v


class MonthRow(Row):
    name: str
    number: int
