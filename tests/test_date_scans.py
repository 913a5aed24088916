"""The episode cue of a sentence found by ``dating._cue_at`` (a match at each of the cue's candidate starts in the
sentence) is the one a search of the sentence finds."""

from __future__ import annotations

import pytest

from fhirconv import load_mappings
from fhirconv.dating import _cue_at
from fhirconv.sections import segment
from fhirconv.tables.prefilter import searches, windowed


@pytest.mark.parametrize(
    "text",
    [
        "En mars 2015, elle a consulté aux urgences pour des douleurs. Elle a été admise le 3 mars. Le scanner a "
        "montré une masse, et un avis a été demandé en consultation.",
        "Il est adressé en consultation de pneumologie. Au service des urgences, un bilan a été fait.",
        "Une femme de 60 ans, opérée en 2009, se présente avec une dyspnée. Elle est hospitalisée en mars.",
    ],
)
def test_cue_at_finds_what_a_search_of_each_sentence_finds(text: str) -> None:
    mappings = load_mappings()
    text += " Le scanner était normal."  # a sentence without a cue
    seen = set()
    for sent in segment(text, mappings).sentences:
        searched = any(searches(mappings.episode_cues, text, sent.start, sent.end))
        matched = any(_cue_at(r, s, text, sent.start, sent.end) for r, _, s in windowed(mappings.episode_cues, text))
        assert matched == searched, text[sent.start : sent.end]
        seen.add(matched)
    assert seen == {True, False}


def test_key_starts_are_where_each_key_starts_a_word() -> None:
    # the relative rules' key words found once per report (timeline._key_starts: a long key among the starts of a
    # shorter one, the many keys of one letter among that letter's starts) are the word starts a find of each gives
    from fhirconv.timeline import _key_starts

    lower = (
        "j1 de la cure, à j+3, j 8 et j +2 ; 3j4 puis j12. en janvier, le jour suivant, 2 jours après (d'après lui), "
        "déc. et décembre, adéc 3décembre ; ajour, bonjour, _jour, 1er juin, juillet, janv., j9j9 après-midi"
    ) * 3
    keys = {"j1", "j2", "j3", "j4", "j5", "j6", "j7", "j8", "j9", "j+", "j +", "janv", "janvier", "jour", "juillet"}
    keys |= {"juin", "déc", "décembre", "après", "d'après", "suivant", "suivante", "bout"}
    found = _key_starts(lower, keys)
    for key in keys:
        assert found[key] == _naive_key_starts(lower, key), key
    assert found["bout"] == [] and found["j9"] != [] and found["décembre"] != []


def _naive_key_starts(lower: str, key: str) -> list[int]:
    return [i for i in range(len(lower)) if lower.startswith(key, i) and (i == 0 or not lower[i - 1].isalpha())]


def test_key_starts_of_keys_inside_keys_and_of_random_texts() -> None:
    # a key found among the starts of a shorter one or of its letter (timeline._key_starts): a key starting inside
    # another one's occurrence ("même année suivante", "d'après"), after a character that is a word character but no
    # letter ("m²mai"), at the text's first offset, and random texts made of the keys' pieces, against a find of each
    import random

    from fhirconv.timeline import _key_starts

    keys = {"après", "d'après", "d’après", "même année", "année suivante", "suivante", "suivant", "mai", "mais", "a"}
    keys |= {"j +", "j+", "j1", "j2", "j9", "jour", "juin", "janv", "sept", "septembre", "s"}  # (8 "j" keys: one scan)
    lower = "après même année suivante, d'après, m²mai, 3mai, _mai, maison, ça, à j +1 septembre j+2 j1j1 sj1"
    found = _key_starts(lower, keys)
    for key in keys:
        assert found[key] == _naive_key_starts(lower, key), key
    assert found["suivante"] and found["année suivante"] and found["mai"] and found["après"] != found["d'après"]
    rng = random.Random(8)
    pieces = ["a", "près", "d'", "’", "même ", "année", " suivant", "e", "m", "ai", "s", "²", "_", " ", "j", "+", "1"]
    pieces += ["sept", "embre", "é", "3", "-", "x", "2", "9", "our", "uin", "anv"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        some = {k for k in keys if rng.random() < 0.7}
        found = _key_starts(text, some)
        assert found.keys() == some
        for key in some:
            assert found[key] == _naive_key_starts(text, key), (text, key)


def test_key_starts_from_the_word_index_are_the_word_starts_of_each_key() -> None:
    # with the report's folded word index (timeline._key_starts(..., index)), a key is looked up among the words that
    # open with its first two characters: the same starts as a find of each key, except a key right after a word
    # character that is no letter ("3mai", "m²mai", "_mai"), a word of its own for a find, none for the index
    import random

    from fhirconv.tables.prefilter_needles import _fold
    from fhirconv.tables.prefilter_text import _word_starts
    from fhirconv.timeline import _key_starts

    keys = {"après", "d'après", "d’après", "même année", "année suivante", "suivante", "suivant", "mai", "mais", "a"}
    keys |= {"j +", "j+", "j1", "j2", "j9", "jour", "juin", "janv", "janvier", "sept", "septembre", "tôt", "s"}

    def indexed(text: str, some: set[str]) -> dict[str, list[int]]:
        hay = _fold(text)
        return _key_starts(text.lower(), some, (hay, _word_starts(text, hay)))

    text = (
        "Après Même année suivante, D'après, m²mai, 3mai, _mai, maison, ça, à J +1 Septembre j+2 j1j1 sj1 Janvier, TÔT"
    )
    found = indexed(text, keys)
    glued = {text.index(w) + len(w) - 3 for w in ("m²mai", "3mai", "_mai")} | {text.index("j1j1") + 2}
    for key in keys:
        assert found[key] == [i for i in _naive_key_starts(text.lower(), key) if i not in glued], key
    assert found["janvier"] and found["tôt"] and found["même année"] and found["j +"] and found["d'après"]
    rng = random.Random(9)
    pieces = ["a", "près", "d'", "’", "même ", "année", " suivant", "e", "m", "ai", "s", "²", " ", "j", "+", "1", "_"]
    pieces += ["sept", "embre", "é", "-", "x", "2", "9", "our", "uin", "anv", "ier", "J", "A", "É", ",", "(", "tôt"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        some = {k for k in keys if rng.random() < 0.7}
        found = indexed(text, some)
        lower = text.lower()
        assert found.keys() == some
        for key in some:
            naive = _naive_key_starts(lower, key)
            assert found[key] == [i for i in naive if not i or not (lower[i - 1].isalnum() or lower[i - 1] == "_")]


def test_any_cue_finds_what_the_searches_of_a_long_window_find() -> None:
    # dating._any_cue tries each cue at its candidate starts in a window that may span sentences (from a date to a
    # mention told later): the same answer as searching the window, for every window, with the cues' candidates
    # known (a text of 400 characters at least) and windows that cut words and cues
    from fhirconv.dating import _any_cue

    mappings = load_mappings()
    text = (
        "Le 3 mars 2015, elle a été admise aux urgences pour une dyspnée. Une biopsie a été réalisée. Par la suite, "
        "elle est rentrée à domicile. Elle a pu retourner chez elle après une semaine. La sortie a eu lieu le 10 "
        "mars. Une intervention chirurgicale a été pratiquée ultérieurement, lors du suivi, en ambulatoire. "
        "Actuellement, la patiente va bien et a quitté l'hôpital. Le scanner de contrôle était normal. "
    ) * 2
    seen = set()
    for rows in (mappings.stay_end_cues, mappings.episode_cues, mappings.specimen_act_cues):
        for pos in range(0, len(text), 37):
            for endpos in range(pos, min(len(text), pos + 400), 23):
                found = _any_cue(rows, text, pos, endpos)
                assert found == any(searches(rows, text, pos, endpos)), (pos, endpos)
                seen.add(found)
    assert seen == {True, False}
