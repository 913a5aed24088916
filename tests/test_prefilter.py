"""The prefilter (fhirconv/tables/prefilter.py) must never change what a table regex finds: every table pattern,
on the seeds and on texts written to stress case folding, gives the same matches with and without it."""

from __future__ import annotations

import _sre
import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

import fhirconv
from fhirconv.tables.prefilter import Prefiltered, _fold, _text, necessary_literals

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").glob("*.txt"))]


def _table_patterns() -> list[Prefiltered]:
    found: list[Prefiltered] = []

    def walk(x: Any) -> None:
        if isinstance(x, Prefiltered):
            found.append(x)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)

    maps = fhirconv.load_mappings()
    for f in dataclasses.fields(maps):
        walk(getattr(maps, f.name))
    # (the phrase patterns builders scan the report with through the prefilter, build/common.py prefiltered, are
    # among them: Mappings.phrase_scans, every phrase, so that a new phrase is checked too)
    assert {p.regex.pattern for p in found} >= {p.pattern for p in maps.phrases.values()}
    return found


PATTERNS = _table_patterns()


def _texts() -> list[str]:
    texts = list(SEEDS)
    texts.append(SEEDS[0].upper())  # every cue in capitals
    texts.append(SEEDS[1].title())
    # characters re treats as equal to ASCII letters under IGNORECASE (dotted I, long s, Kelvin sign), and one
    # that changes length when case-folded (ß): offsets must still be right
    tricky = "PAS DE FİÈVRE. Paſ de métaſtaſe. ANTÉCÉDENT de ſuſpicion. Straße. SUSPİCİON de récidive. "
    texts.append(tricky * 20)
    texts.append(SEEDS[2].replace("s", "ſ"))
    # word starts (patterns opening with \\b try only where a word starts): "_" and digits are word characters, so
    # "_a été" and "3a été" have no boundary before the "a"
    texts.append(SEEDS[0].replace(" ", "_"))
    # patterns starting with \\d try the ASCII digits only: a text with other Unicode digits ("٢", fullwidth "２")
    # must be scanned in full, since \\d matches them too
    texts.append(SEEDS[1].replace("2", "٢").replace("1", "１"))
    texts.append("la maladie a été traitée, 3a été, x_a été, l'a été ; n'a pas de fièvre ni d'ascite. " * 8)
    # patterns tried only a few characters before a literal inside them (TNM: "T2" of "ypT2N0"; "/2015" of a date)
    # and after an opening that asserts only ("^" or a lookbehind, then the year of a dated line)
    texts.append(
        "Stade IIIA, pT2N0M0, ypT3N1 (2/14) M0, etpT3N0M0, rpT1aN0, cT2N1M0, uT3N0, T4N2, TisN0. Vu le 3-4-2015, "
        "en 12/2015 puis 2/2016 et le 14/02/2016.\n2014 : chirurgie.\n- 2015 : récidive (2016).\n" * 6
    )
    # patterns opening with a run of word characters before a literal ("\b\w+ectomie"): tried only where the run
    # holding the literal starts; "_" and digits are word characters too, a hyphen is not
    texts.append(
        "Hystérectomie en raison d'une tumeur ; ANNEXECTOMIE pour une masse, _colectomie pour un cancer, "
        "3ectomie pour un test, ectomie pour rien, néphro-urétérectomie en raison d’un polype. " * 6
    )
    return texts


@pytest.mark.parametrize("text", _texts(), ids=lambda t: t[:12])
def test_same_matches_with_and_without_the_prefilter(text: str) -> None:
    assert len(PATTERNS) > 150  # the cue, date, context and procedure tables are all prefiltered
    for p in PATTERNS:
        plain = [m.span() for m in p.regex.finditer(text)]
        assert [m.span() for m in p.finditer(text)] == plain, p.pattern
        first = p.regex.search(text)
        got = p.search(text)
        assert (got.span() if got else None) == (first.span() if first else None), p.pattern
        # windows of the text (sentences, clauses): same matches as re's own pos / endpos
        for lo, hi in _windows(len(text)):
            plain = [m.span() for m in p.regex.finditer(text, lo, hi)]
            assert [m.span() for m in p.finditer(text, lo, hi)] == plain, (p.pattern, lo, hi)
            first = p.regex.search(text, lo, hi)
            got = p.search(text, lo, hi)
            assert (got.span() if got else None) == (first.span() if first else None), (p.pattern, lo, hi)


def _windows(n: int) -> list[tuple[int, int]]:
    # every kind of bound: from the start, to the end, inside, empty, and windows cutting words and matches
    return [
        (0, n),
        (0, n // 3),
        (n // 3, n),
        (n // 4, n // 2),
        (n // 2, n // 2),
        *((k, min(n, k + 97)) for k in range(0, n, 211)),
    ]


def test_case_folding_identifies_what_re_identifies() -> None:
    # re.IGNORECASE compares simple lower cases (plus re._casefix's extra pairs): the fold must map a character
    # and its lower case to the same string, or a needle could be missed in a text written in capitals
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        assert _fold(chr(c)) == _fold(chr(_sre.unicode_tolower(c))), hex(c)


def test_literals_are_taken_only_from_required_parts() -> None:
    def lits(p: str, prefix: bool = False) -> Any:
        return necessary_literals(re.compile(p, re.IGNORECASE), prefix)

    assert lits(r"\bpas\s+d(?:e|u)") == {"pas"}
    assert lits(r"\b(?:forte\s+)?suspicion\b", prefix=True) == {"forte", "suspicion"}
    assert lits(r"\b(?:forte\s+)?suspicion\b") == {"suspicion"}  # "forte" is optional: not required
    assert lits(r"\b(?:récidive|rechute)s?\b", prefix=True) == {"récidive", "rechute"}
    assert lits(r"\b(?:a|ont)\s+été\b") == {"été"}
    assert lits(r"\bni\b") is None  # too short to be worth a test
    assert lits(r"(?i:ABC)def") is None  # scoped flags: not analysed
    assert lits(r"[a-z]+\d") is None


def test_starts_and_anchors_are_read_through_assertions_and_bounded_openings() -> None:
    from fhirconv.tables.prefilter import anchor_literals

    # an opening group that only asserts consumes nothing: the match starts with the year
    dated_line = re.compile(r"(?m)(?:^|(?<=^[-•])|(?<=^[-•] ))(?P<year>(?:19|20)\d\d)(?=\s*:)")
    assert necessary_literals(dated_line, prefix=True) == {"19", "20"}
    # "(?:et)?(y?p|r?p)" is 1 to 4 characters wide: "T" and what follows it is 1 to 4 characters into the match
    tnm = re.compile(r"(?<![A-Za-z0-9])(?:et)?(?P<prefix>y?p|r?p)T(?P<t>is|[0-4xX][a-d]?)")
    assert anchor_literals(tnm, [False]) == ({"Tis", "T0", "T1", "T2", "T3", "T4", "Tx", "TX"}, 1, 4)
    assert anchor_literals(re.compile(r"\b\w+ectomie"), [False]) is None  # unbounded before the literal
    p = Prefiltered(tnm)
    text = "Tumeur classée ypT2N0, puis rpT1 et etpT3 ; pas de T2 seul, ni pTx. " * 10
    assert [m.span() for m in p.finditer(text)] == [m.span() for m in tnm.finditer(text)] != []


def test_a_literal_after_an_opening_word_run_gives_the_starts() -> None:
    from fhirconv.tables.prefilter import run_literals

    # "\b\w+ectomie": a match starts where the run of word characters before "ectomie" starts, nowhere else
    organ_removed = re.compile(r"\b\w+ectomie\b", re.IGNORECASE)
    assert run_literals(organ_removed) == {"ectomie"}
    # a class wider than \w, a run that may be empty, no \b before it: a match may start elsewhere
    for other in (r"\b[\w-]+ectomie", r"\b\w*ectomie", r"\w+ectomie", r"(?a)\b\w+ectomie"):
        assert run_literals(re.compile(other, re.IGNORECASE)) is None, other
    p = Prefiltered(organ_removed)
    text = "Hystérectomie, ANNEXECTOMIE et néphro-urétérectomie ; _colectomie, 3ectomie, ectomie seule. " * 8
    assert p.window_candidates(text) == sorted({m.start() for m in organ_removed.finditer(text)})
    assert [m.span() for m in p.finditer(text, 40, 400)] == [m.span() for m in organ_removed.finditer(text, 40, 400)]


def test_present_keeps_every_row_that_can_match_and_is_recomputed_per_text() -> None:
    from fhirconv.tables.prefilter import present

    maps = fhirconv.load_mappings()
    rows = maps.frequencies
    for text in _texts():
        kept = present(rows, text)
        assert present(rows, text) is kept  # computed once per report and table
        matching = {r.line for p, r in rows if p.regex.search(text)}
        assert matching <= {r.line for _, r in kept}, "a row that matches was dropped"
    short = "deux fois par jour"  # under MIN_TEXT: nothing is dropped
    assert len(present(rows, short)) == len(rows)


def test_word_start_index_only_for_unicode_boundaries() -> None:
    # in ASCII mode "é" is not a word character, so "\bx" matches after "é": the word-start index (Unicode) would
    # miss it; such patterns scan as before
    from fhirconv.tables.prefilter import starts_at_word

    assert starts_at_word(re.compile(r"\b(?:a|ont)\s+été", re.IGNORECASE))
    assert not starts_at_word(re.compile(r"\bx\d", re.ASCII | re.IGNORECASE))
    # no word character before a word character: a word start too ("(?<![\w-])" of the relative dates)
    assert starts_at_word(re.compile(r"(?<!\w)x\d", re.IGNORECASE))
    assert starts_at_word(re.compile(r"(?<![\w-])(?:au|le)\s+jour", re.IGNORECASE))
    assert not starts_at_word(re.compile(r"(?<![-/])x\d", re.IGNORECASE))  # a word character may come before
    assert not starts_at_word(re.compile(r"(?<!\w)x\d", re.ASCII | re.IGNORECASE))
    text = ("éx1 " + "mot " * 120) * 2
    p = Prefiltered(re.compile(r"\bx\d", re.ASCII | re.IGNORECASE))
    assert [m.span() for m in p.finditer(text)] == [m.span() for m in p.regex.finditer(text)] != []


def test_a_text_with_other_unicode_digits_is_scanned_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    # "\d" also matches "٣" (Arabic-Indic three): a pattern whose starts were read as 0-9 would not try there
    from fhirconv.tables import prefilter

    day = re.compile(r"(?=\d)\b(?P<day>1er|[0-3]?\d)\s+mars\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
    p = Prefiltered(day)
    text = "Le patient a été vu le ٣ mars 2015 en consultation. " + "Rien à signaler ce jour. " * 20
    plain = [m.span() for m in day.finditer(text)]
    assert plain and [m.span() for m in p.finditer(text)] == plain
    monkeypatch.setattr(prefilter, "_other_digits", lambda text: False)  # without the check: missed
    assert [m.span() for m in p.finditer(text)] == []


def test_one_letter_starts_are_keyed_with_the_character_after_them() -> None:
    # "\ba\s+été" is looked up as "a" + each whitespace character (not every word in "a"): a match after any
    # Unicode space (no-break, narrow no-break, ideographic, a line break) must still be found
    from fhirconv.tables.prefilter import _spaces, word_prefixes

    assert _spaces() == {c for c in map(chr, range(0x110000)) if re.fullmatch(r"\s", c)}
    cue = re.compile(r"\b(?:a|ont|avait)\s+été\b|\bs['’](?:est|était)\b", re.IGNORECASE)
    starts = word_prefixes(cue)
    assert starts is not None and {"a ", "a\u00a0", "a\n", "s'", "s’", "ont", "avait"} <= starts
    assert "a" not in starts and "s" not in starts
    # re reads "(?:a|avait)" as "a" + (?:|vait), and "n['’]?" as optional: each alternative with what follows it
    factored = word_prefixes(re.compile(r"\b(?:a|avait)\s+été", re.IGNORECASE))
    assert factored is not None and {"a ", "a\u00a0", "avait"} <= factored and "a" not in factored
    optional = word_prefixes(re.compile(r"\bn['’]?(?:a|ont)\s+pas", re.IGNORECASE))
    assert optional is not None and {"n'", "n’", "na ", "nont"} <= optional and "n" not in optional
    text = "Elle A\u00a0été vue. Il a\u202fété opéré, il a\u3000été revu ; il S’EST plaint, s'était levé. " * 12
    p = Prefiltered(cue)
    assert [m.span() for m in p.finditer(text)] == [m.span() for m in cue.finditer(text)] != []


def test_a_comma_is_a_candidate_only_before_what_must_follow_it() -> None:
    # ",\\s*et\\s+on": the commas that blanks and "et" do not follow are not tried; "(?:a|avait)\\s+été" (re reads
    # "a" + (?:|vait)) starts at a word "a" and a blank or at "avait", not at every word in "a"; the matches are re's
    text = (
        "Il a un frère, et il a  été vu, puis elle A\u00a0ÉTÉ exclue ; a\tété exclu,et on avait été exclue, "
        "encore, ET ON l'a revu, finalement exclue,\u00a0éliminée. Au total, après bilan, en cours, n'a pas, na pas, N’EST pas. D'abord, d' x. "
        * 12
    )
    cases = [
        (r",\s*et\s+(?:on|nous)\b", r",\s*et"),
        (r",\s*(?:(?:finalement|ensuite)\s+)?(?:exclue?|éliminée?)\b", r",\s*(?:finalement|ensuite|exclu|élimin)"),
        (r"\b(?:a|avait)\s+été\s+exclue?\b", r"a\s|avait"),
        (r"\bn['’]?(?:a|est)\s+pas\b", r"n['’]?(?:a|est)"),
        # a start made of a shorter head and the character after it ("d'" of "d['’]abord"), a longer start under a
        # short word ("encore" under "en"): every offset of theirs is kept
        (r"\b(?:en\s+cours|encore)\b", r"en"),
        (r"\b(?:d['’]abord|d'\s+x)", r"d['’]"),
    ]
    for pattern, kept in cases:
        _text(text).asked = True  # (the word index is built for the second pattern that asks)
        p = Prefiltered(re.compile(pattern, re.IGNORECASE))
        cands = p.window_candidates(text)
        assert cands and all(re.match(kept, text[i:], re.IGNORECASE) for i in cands), pattern
        assert [m.span() for m in p.finditer(text)] == [m.span() for m in p.regex.finditer(text)] != [], pattern
    assert len(Prefiltered(re.compile(r",\s*et\s+on", re.IGNORECASE)).window_candidates(text) or []) < text.count(",")


def test_patterns_with_the_same_starts_share_their_candidates() -> None:
    # the date rows all start with digits: the offsets of the digits of a report are found once, for all of them
    text = "Le 12 mars 2015, puis le 1er avril 2016 et le 3/4/2017. " * 20
    a = Prefiltered(re.compile(r"(?=\d)\b(?P<day>1er|[0-3]?\d)\s+mars", re.IGNORECASE))
    b = Prefiltered(re.compile(r"(?=\d)\b(?P<day>[0-3]?\d)\s+avril", re.IGNORECASE))
    state = _text(text)  # the text's state, shared by every pattern
    a._candidates(state, state.folded), b._candidates(state, state.folded)
    assert a._spec_starts == b._spec_starts
    assert state.shared[a._spec_starts] == [m.start() for m in re.finditer(r"\d", _fold(text))]
    # each then keeps the digits its checks allow (start_checks): a day is a digit at a word start, blanks after it
    assert state.shared[a._spec_checked] == [m.start() for m in re.finditer(r"\b\d(?=\d?\s|er\s)", text)]
    # and of those, the ones its tail follows (start_tails): a "mars" after the blanks
    assert a._candidates(state, state.folded) == [m.start() for m in re.finditer(r"\b\d(?=\d?\s+mars)", text)]


def test_one_character_starts_are_tried_only_where_the_characters_around_them_allow() -> None:
    # "(?<![\d/.,])[0-3]?\d([/.])": a digit after none of "0-9/.,", a "/" or "." one or two characters later; "\b"
    # before a digit: not after a letter; "\s+" after one to three characters; "\d" read as 0-9 (a text with other
    # digits is scanned in full); a lookbehind of \w: not after a letter, a digit or "_"
    text = (
        "Le 12/03/2015, vu le 3.4.15, 2015/03 ; 1,2/3 et 12.5 mg, 4/4/2017x. Le 1er mars 2016, 31 mai 2017, a2 mai, "
        "x_3 mai, 2\u00a0juin 2018, 2\tjuillet 2018 à 6 h. Du 7.11 au 20.12.2005, 3-4 et 3.\n4.5.2010 puis le 15/6.\n"
        * 8
    )
    cases = [
        (r"(?=\d)(?<![\d/.,])(?P<day>[0-3]?\d)([/.])(?P<month>[01]?\d)\2(?P<year>(?:19|20)\d\d|\d\d)(?![\d/])", 0.2),
        (r"(?=\d)\b(?P<day>1er|[0-3]?\d)\s+(?P<month_name>mars|mai|juin|juillet)\.?\s+(?P<year>(?:19|20)\d\d)\b", 0.4),
        (r"(?=\d)(?<![\w/.,-])(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)(?=\s*(?:et|au|à|-)\s+)", 0.3),
        (r"(?<![\d,.])[0-9]{1,3}\s*(?:h|mg)\b", 0.7),
        # a negated class: "[^ \n]" before is no character the start may not follow, "[^/.]" after none it needs
        (r"(?<![^ \n])(?P<day>[0-3]?\d)([/.])(?P<month>[01]?\d)[^/.]", 0.3),
    ]
    digits = len(re.findall(r"\d", text))
    for pattern, share in cases:
        for flags in (0, re.IGNORECASE):
            p = Prefiltered(re.compile(pattern, flags))
            assert p._checks is not None, pattern
            cands = p.window_candidates(text) or []
            assert 0 < len(cands) < share * digits, pattern
            for lo, hi in _windows(len(text)):
                got = [m.span() for m in p.finditer(text, lo, hi)]
                assert got == [m.span() for m in p.regex.finditer(text, lo, hi)], (pattern, lo, hi)
            assert [m.span() for m in p.finditer(text)] != [], pattern


def test_a_class_then_literals_starts_with_both() -> None:
    # "[Ss]tade": a match starts with "Stade" or "stade", not with any "s" of the text
    p = Prefiltered(re.compile(r"\b[Ss]tade\s+(?P<value>IV|I{1,3})\b"))
    assert p._starts == frozenset({"Stade", "stade"})
    text = "Sarcome de stade III puis Stade IV, lésions sous-scapulaires. " * 10
    assert [m.span() for m in p.finditer(text)] == [m.span() for m in p.regex.finditer(text)] != []


def test_first_match_is_what_search_finds_in_the_window() -> None:
    # read_timing tries a frequency row only at its candidate starts inside a drug's window, not by a search of it
    from fhirconv.tables.prefilter import first_match, windowed

    maps = fhirconv.load_mappings()
    texts = [
        *SEEDS[:3],
        "Paracétamol 1 g trois fois par jour pendant 5 jours, puis morphine 10 mg toutes les 4 heures si besoin. " * 8,
    ]
    tried = 0
    for text in texts:
        for regex, _, starts in windowed(maps.frequencies, text):
            if starts is None:
                continue
            for lo, hi in _windows(len(text)):
                first = regex.search(text, lo, hi)
                got = first_match(regex, text, starts, lo, hi)
                assert (got.span() if got else None) == (first.span() if first else None), (regex.pattern, lo, hi)
                tried += first is not None
    assert tried > 20


def test_windowed_keeps_every_row_that_matches_in_a_window() -> None:
    # windowed drops a row the text cannot match (its literals start no word, as search asks of a window) or that
    # has no candidate start: no window may then hold a match of it, even one whose literal only occurs inside a word
    # ("xfois", "parjour") or whose window cuts a word
    from fhirconv.tables.prefilter import first_match, windowed

    maps = fhirconv.load_mappings()
    texts = [
        *_texts()[:8],
        "Paracétamol 1 g trois fois par jour pendant 5 jours, puis morphine 10 mg toutes les 4 heures si besoin. " * 8,
        "Traitement xfois parjour, puis reprise troisfois/jour depuis deuxmois et à J3. Revue à 6 mois. " * 8,
    ]
    matched = 0
    for rows in (maps.frequencies, maps.relative_rules, maps.episode_cues, maps.outcome_cues):
        for text in texts:
            kept = {id(r): (regex, starts) for regex, r, starts in windowed(rows, text)}
            for p, r in rows:
                for lo, hi in _windows(len(text)):
                    plain = p.search(text, lo, hi)
                    if id(r) not in kept:
                        assert plain is None, (p.pattern, lo, hi)
                        continue
                    regex, starts = kept[id(r)]
                    got = regex.search(text, lo, hi) if starts is None else first_match(regex, text, starts, lo, hi)
                    assert (got.span() if got else None) == (plain.span() if plain else None), (p.pattern, lo, hi)
                    matched += plain is not None
    assert matched > 50


def test_the_check_for_other_digits_finds_every_decimal_digit_but_0_to_9() -> None:
    # the cheaper class (a range tested before the category) must match exactly what "[^\D0-9]" matches
    from fhirconv.tables.prefilter import _OTHER_DIGIT

    plain = re.compile(r"[^\D0-9]")
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert [m.start() for m in _OTHER_DIGIT.finditer(chars)] == [m.start() for m in plain.finditer(chars)]


def test_searches_and_found_in_slice_are_what_each_pattern_finds() -> None:
    # the date rules search every sentence holding a date with each episode cue: at the candidate starts only
    from fhirconv.tables.prefilter import found_in_slice, searches

    maps = fhirconv.load_mappings()
    texts = [
        *_texts()[:6],
        # a slice starting inside a word: "\b" at its first character holds in the slice, not in the text
        "Elle xadmise aux urgences en mars 2015, puis hospitalisée ; aux urgences le 3 mars. " * 8,
    ]
    hits = 0
    for text in texts:
        for rows in (maps.episode_cues, maps.stay_end_cues, maps.later_act_cues):
            for lo, hi in [*_windows(len(text)), (5, 60), (6, 80)]:
                plain = [p.search(text, lo, hi) for p, _ in rows]
                got = {m.span() for m in searches(rows, text, lo, hi) if m is not None}
                assert got == {m.span() for m in plain if m is not None}, (lo, hi)
                in_slice = any(p.search(text[lo:hi]) for p, _ in rows)
                assert found_in_slice(rows, text, lo, hi) == in_slice, (lo, hi)
                hits += in_slice
    assert hits > 10
    # the slice opens inside "xconsulte": "\bconsulte" matches the slice's first word, though no word starts there
    text = "Bilan fait. Puis xconsulte un médecin en mars 2015 pour une toux. " * 8
    lo = text.index("consulte")
    for p, _ in maps.cues:  # the pipeline scans the report first: its word-start index is built from then on
        list(p.finditer(text))
    assert not any(p.search(text, lo, lo + 40) for p, _ in maps.episode_cues)
    assert found_in_slice(maps.episode_cues, text, lo, lo + 40)


def test_literals_at_a_word_start_only_after_a_boundary_or_a_non_word_character() -> None:
    from fhirconv.tables.prefilter import word_necessary_literals

    def lits(p: str, flags: int = re.IGNORECASE) -> Any:
        return word_necessary_literals(re.compile(p, flags))

    assert lits(r"\bpas\s+d(?:e|u)") == ({"pas"},)
    assert lits(r"\b(?:a|ont)\s+(?:exclu|éliminé)(?:e|s)?\b") == ({"exclu", "éliminé"},)
    assert lits(r"\s+écarté") == ({"écarté"},)  # after a blank a letter starts a word
    assert lits(r"\bn'était\s+pas") == ({"n'était"}, {"pas"})  # every set, the most selective first
    # a class of quotes: the run goes on with each; and after it (non-word characters) a word starts
    assert lits(r"\bn['’]étaient\b") == ({"n'étaient", "n’étaient"}, {"étaient"})
    assert lits(r"\b(?:suspect|soupçonn)(?:ent|ait)\b") == ({"suspect", "soupçonn"},)  # "s" + (?:uspect|oupçonn)
    assert lits(r"\b(?:est|reste)\s+(?:l['’]\s*|une\s+)hypothèse") == ({"hypothèse"}, {"est", "reste"})
    assert lits(r"\b(?:forte\s+)?suspicion") == ({"suspicion"},)  # (an optional word is no required literal)
    assert lits(r"exclu") is None  # "nonexclu": no boundary before it
    assert lits(r"\s*exclu") is None  # the blanks are optional: "nonexclu" again
    assert lits(r"\b\w+ectomie") is None  # inside the word run
    assert lits(r"\bn['’]?(?:a|ont)\s+pas") == ({"pas"},)  # "n'", "na" ...: too short
    assert lits(r"\bpas\s+d(?:e|u)", 0) is None  # the word index is the folded text's: case-insensitive only


def test_a_literal_only_inside_words_is_absent_without_a_scan_but_kept_for_slices() -> None:
    from fhirconv.tables.prefilter import present

    p = Prefiltered(re.compile(r"\b(?:a|ont)\s+(?:exclu|éliminé)e?\b", re.IGNORECASE))
    inside = "Le diagnostic fut inexclu par les médecins du service, puis revu en réunion. " * 8
    _text(inside).asked = True  # (the pipeline's scans of the report ask for its word index before)
    assert p._absent(inside) and not list(p.finditer(inside)) and p.search(inside) is None
    # a slice searched as a string of its own may open on "exclu": present keeps the row for such callers
    assert present([(p, None)], inside) == [(p.regex, None)]
    at_start = inside.replace("fut inexclu", "a exclu")
    _text(at_start).asked = True
    assert not p._absent(at_start) and len(list(p.finditer(at_start))) == 8


def test_the_word_index_keys_the_first_two_characters_and_the_first_one() -> None:
    # keys are ints (``_key``): no string sliced per word; a one-letter word ends the text ("a"), a word of two
    # letters has no third character (-1)
    from fhirconv.tables.prefilter import _by_third, _key, _word_starts

    text = "de la dé, des deux DÉCÈS d a"
    hay = _fold(text)
    index = _word_starts(text, hay)
    words = [m.start() for m in re.finditer(r"\b\w", text)]
    for key in {hay[i : i + 2] for i in words} | {hay[i] for i in words}:
        assert index[_key(key)] == [i for i in words if hay.startswith(key, i)], key
    assert _by_third(hay, index[_key("de")]) == {ord(" "): [0], ord("s"): [10], ord("u"): [14]}
    assert _by_third(hay + " de", [len(hay) + 1]) == {-1: [len(hay) + 1]}
    assert _by_third(hay, index[_key("dé")]) == {ord(","): [6], ord("c"): [19]}


def test_the_literal_tests_at_word_starts_are_startswith_at_each_offset() -> None:
    # (bounded str.find calls, not startswith: the same answer at every offset, the text's last ones included)
    from fhirconv.tables.prefilter_text import _starting, _starts_a_word

    hay = _fold("Décès des suites d'une dénutrition, décrit en décembre ; dé")
    offsets = list(range(len(hay) + 2))
    for literals in [("déc",), ("décè", "dénu", "dé"), ("des ",), ("xyz",), ("dé", "décembre")]:
        assert _starting(hay, literals, offsets) == [i for i in offsets if hay.startswith(literals, i)], literals
        for s in literals:
            for at in ([i] for i in offsets):
                assert _starts_a_word(hay, s, at) == hay.startswith(s, at[0]), (s, at)


def test_words_a_tail_must_follow_are_tried_only_before_it() -> None:
    # "\b(?:en|de|à ...)[\s-]+(?:19|20)\d\d": a word opens the match, blanks or dashes of any number follow, then
    # the year: of the many "de", "en", "à" of a text only those before blanks and a "19" / "20" are tried. The
    # text holds runs of every length, tabs, no-break spaces, dashes, a tail without its run, opening words in
    # capitals; the second one also ß and İ (whose folding changes the length) and years of other digits
    plain = (
        "De 2015 à 2016, en  2017, EN\t2018, de-2019 et de - \u00a02020 ; en2019, à la 2021, de 19 ans, à 1998x, "
        "l'année 2003 et L’ANNÉE 2004, au   \n 1999 puis de la maladie de Crohn, en mai, de 2 ans, 2010 et de 20 "
        "ans ; de 2 mars et le 1er mai, puis de de de de de de de de de de en en en en en à à à. "
    ) * 6
    cases = [
        r"\b(?:en|de|à|au|l['’]année)[\s-]+(?P<year>(?:19|20)\d\d)\b",
        r"(?<![\w-])(?:en|de|dès)\s*(?:19|20)\d\d",
        r"\b(?:de|en)\s+la\s+\w+",
        r"(?=\d)\b(?P<day>1er|[0-3]?\d)\s+(?P<month>mai|mars)\b",
    ]
    for text in (plain, plain + "Straße de 2011, İl en 2012 et en ٢٠١٥. " * 3):
        for pattern in cases:
            for flags in (0, re.IGNORECASE):
                p = Prefiltered(re.compile(pattern, flags))
                assert p._tails is not None, pattern
                for lo, hi in _windows(len(text)):
                    got = [m.span() for m in p.finditer(text, lo, hi)]
                    assert got == [m.span() for m in p.regex.finditer(text, lo, hi)], (pattern, flags, lo, hi)
    _text(plain).asked = True  # (the word index is built for the second pattern that asks)
    year = Prefiltered(re.compile(cases[0], re.IGNORECASE))
    words = len(re.findall(r"\b(?:en|de|à|au|l['’]année)\b", plain, re.IGNORECASE))
    assert 0 < len(year.window_candidates(plain) or []) < 0.5 * words


def test_may_match_is_false_only_for_windows_without_a_match() -> None:
    # the builders ask it of a few words around each mention (ordinary_word) or before each act (department and
    # guidance cues, through found_in_slice): a window it rejects holds no match, searched either way
    hits = rejected = 0
    for text in _texts():
        for p in PATTERNS:
            for lo in range(0, len(text), 97):
                for hi in (lo + 20, lo + 70):
                    if p.may_match(text, lo, hi):
                        hits += 1
                        continue
                    rejected += 1
                    assert next(p.regex.finditer(text, lo, hi), None) is None, (p.pattern, lo, hi)
                    assert p.regex.search(text[lo:hi]) is None, (p.pattern, lo, hi)
    assert hits > 1000 and rejected > 1000


def test_found_in_slice_before_acts_is_what_each_cue_finds() -> None:
    from fhirconv.tables.prefilter import found_in_slice

    maps = fhirconv.load_mappings()
    text = (
        "Elle a été adressée en consultation de chirurgie. Biopsie guidée par échographie, puis une biopsie sous "
        "contrôle d'une TDM. Séquelles post-opératoires après une mastectomie. Le service de radiologie. " * 6
    )
    found = 0
    for rows in (maps.department_cues, maps.guidance_cues, maps.aftermath_cues):
        for end in range(len(text)):
            in_slice = any(p.search(text[max(0, end - 40) : end]) for p, _ in rows)
            assert found_in_slice(rows, text, max(0, end - 40), end) == in_slice, end
            found += in_slice
    assert found > 10
