"""The small records of fhirconv.document (sections, sentences, dates, quantities, cues) are built by an ``__init__``
written out (compiled in the compiled build), not frozen dataclasses: they must still compare, hash and pickle by
value, as the stages that put them in sets and dict keys and the --jobs workers expect."""

from __future__ import annotations

import bisect
import pickle
import random

from fhirconv.document import Cue, PartialDate, Quantity, Section, Sentence, Structure


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


def test_sentence_at_is_the_bisection_of_the_sentence_starts() -> None:
    rng = random.Random(8)
    for _ in range(300):
        starts = sorted(rng.sample(range(200), rng.randint(1, 12)))
        sentences = tuple(Sentence(s, s + 1, 0, 0) for s in starts)
        structure = Structure((Section(None, "", 0, 200),), sentences)
        for offset in range(-3, 205):
            assert structure.sentence_at(offset) == max(0, bisect.bisect_right(starts, offset) - 1)
    assert Structure((), ()).sentence_at(5) == 0


def test_structure_compares_by_its_sections_and_sentences() -> None:
    a = Structure((Section(None, "", 0, 9),), (Sentence(0, 4, 0, 0), Sentence(5, 9, 0, 0)))
    b = Structure((Section(None, "", 0, 9),), (Sentence(0, 4, 0, 0), Sentence(5, 9, 0, 0)))
    assert a == b and hash(a) == hash(b) and a.starts == [0, 5]
    # pickled through its constructor (the --jobs workers send results back), which derives the starts again
    c = pickle.loads(pickle.dumps(a))
    assert c == a and c.starts == [0, 5] and c.sentence_at(7) == 1
