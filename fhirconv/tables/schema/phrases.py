"""Row models of the text's grammar and cues: phrases.yaml, assertion cues, sections, the patient's words."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import field_validator, model_validator

from .base import Row, TermRow, _code, _Pattern


class RelativeRow(TermRow):
    code: str
    display: str
    _c = field_validator("code")(lambda v: _code("v3_rolecode", v))


class GenderRow(TermRow):
    gender: Literal["female", "male", "other", "unknown"]
    # strong: says the sex (femme, homme, Mme); weak: grammatical gender of a generic word (patiente, patient)
    strength: Literal["strong", "weak"] = "weak"


PhraseName = Literal[
    "adjective",
    "attributed_to",
    "preposition",
    "site_gap",
    "name_gap",
    "board",
    "refines",
    "component",
    "another",
    "other_lesion",
    "metastatic_head",
    "metastatic",
    "metastatic_disease",
    "origin_gap",
    "specimen",
    "tail",
    "marker_of",
    "modifiers",
    "trailing_preposition",
    "empty_modifier",
    "anaphoric_determiner",
    "participle",
    "type_before_site",
    "site_coordination",
    "node_gap",
    "finding_site_gap",
    "test_of",
    "agent",
    "germ",
    "germ_found",
    "infection_when_positive",
    "positive_result",
    "specimen_act",
    "component_of",
    "stain_result",
    "named_before",
    "list_goes_on",
    "stain_context",
    "final_diagnosis",
    "display_filler",
    "sample_cells",
    "measure_name",
    "ordinary_word",
    "nature_of",
    "broad_histology",
    "recurrence_of",
    "date_item_break",
    "date_fronted",
    "date_item_cause",
    "date_disease_aside",
    "date_act_word",
    "range_of_care",
    "enum_goes_on",
    "cue_object_a",
    "own_verb",
    "usual_treatment",
    "enum_bare_item",
    "enum_separator",
    "enum_list_item",
    "patient_relative",
    "relative_acts_on_patient",
    "relative_opens_sentence",
    "patient_subject",
    "relative_named_after",
    "relatives_have_it",
    "own_site",
    "subsite_of",
    "complication_of",
    "relation_of",
    "relation_pair",
    "paired_with",
    "cause_of",
    "tumour_dropped",
    "relatives_coordinated",
    "relative_notices",
    "tnm_gap",
    "said_malignant",
    "said_benign",
    "invaded_structure",
    "other_nature",
    "nodal_involvement",
    "with_involvement",
    "side_after",
]


class PhrasePattern(Row):
    """A pattern of the condition builder's phrase grammar (phrases.yaml); compiled by the loader once the
    ``{ADJ}`` / ``{PREP}`` fragments are filled in."""

    name: PhraseName
    pattern: str


class Cue(_Pattern):
    kind: Literal[
        "negation",
        "exclusion",
        "hypothesis",
        "differential",
        "family",
        "history",
        "pseudo",
        "med_stopped",
        "med_active",
        "med_intended",
        "recurrence",
        "remission",
        "resolved",
        "treated",
        "recovery",
        "termination",
    ]
    direction: Literal["forward", "backward", "both"] = "forward"
    max_words: int = 8  # scope length in words, counted again from each item of an enumeration
    # clause: until the next clause break (comma, semicolon, "mais" ...) unless an enumeration continues;
    # sentence: the whole sentence in the cue's direction; enumeration: a plural result written after a list
    # ("les sérologies de l'hépatite B, de l'hépatite C et du VIH sont négatives"), backward over every item of the
    # list, each item at most max_words words; bracket: a cue ending with an opening bracket reaches every item of
    # the bracketed list, commas and all, up to the closing bracket.
    scope: Literal["clause", "sentence", "enumeration", "bracket"] = "clause"


class SectionRow(_Pattern):
    key: str


class AgePattern(_Pattern):
    _required_groups = ("value", "unit")
    # the sex a title before the age says where no gender word does ("M. D., 71 ans": "M." is no table term, the
    # matcher would read it on any lone "M"); the group ``title`` is its evidence
    gender: Literal["female", "male"] | None = None

    @model_validator(mode="after")
    def _titled(self) -> AgePattern:
        if self.gender and "title" not in re.compile(self.pattern).groupindex:
            raise ValueError("a pattern with a gender needs the named group title (?P<title>...), its evidence")
        return self
