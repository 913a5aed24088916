"""The small records of fhirconv.document (sections, sentences, dates, quantities, cues) are built by an ``__init__``
written out (compiled in the compiled build), not frozen dataclasses: they must still compare, hash and pickle by
value, as the stages that put them in sets and dict keys and the --jobs workers expect."""

from __future__ import annotations

import pickle

from fhirconv.document import Cue, PartialDate, Quantity, Section, Sentence


def _records() -> list[object]:
    return [
        Section("history", "Antécédents", 12, 80),
        Sentence(0, 24, 0, 0),
        PartialDate(2013, 3, start=5, end=15, rule="dates.yaml:4", anchor=PartialDate(2012)),
        Quantity(12.5, "g/dl", "g/dL", "g/dL", "<", 30, 39),
        Cue("negation", 3, 6, "assertions.yaml:12"),
    ]


def test_records_compare_and_hash_by_value() -> None:
    for a, b in zip(_records(), _records()):
        assert a is not b and a == b and hash(a) == hash(b)
        assert len({a, b}) == 1


def test_records_keep_their_defaults_and_fields() -> None:
    date = PartialDate(2015)
    assert (date.month, date.day, date.start, date.end, date.rule, date.anchor) == (None, None, -1, -1, "", None)
    assert PartialDate(2015, 3, 2).iso() == "2015-03-02"
    assert Cue(kind="hypothesis", start=1, end=2, rule="r").kind == "hypothesis"


def test_records_pickle_by_value() -> None:
    for record in _records():
        assert pickle.loads(pickle.dumps(record)) == record
