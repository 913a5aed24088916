"""``build.common.ByStart``: the mentions starting in a window, found by bisecting their starts."""

from __future__ import annotations

import bisect
import random

from fhirconv.build.common import ByStart
from fhirconv.document import Mention


def test_starting_is_the_mentions_starting_in_the_window() -> None:
    rng = random.Random(7)
    for _ in range(200):
        starts = sorted(rng.randrange(0, 60) for _ in range(rng.randrange(0, 12)))  # ties included
        mentions = [Mention("procedure", s, s + rng.randrange(1, 9), "x") for s in starts]
        spans = ByStart(mentions)
        for start in range(-2, 64, 3):
            for end in (start, start + 1, start + 7, start + 40):
                got = spans.starting(start, end)
                assert got == [m for m in mentions if start <= m.start < end]
                assert all(a is b for a, b in zip(got, [m for m in mentions if start <= m.start < end]))


def test_bisecting_starts_and_ends_is_bisecting_the_mentions_with_a_key() -> None:
    # the builders bisect ``starts`` and ``ends`` where they bisected the mentions with a key: the same index, for
    # sorted and unsorted ends alike (overlapping mentions), at every position and with a lower bound
    rng = random.Random(11)
    for _ in range(300):
        starts = sorted(rng.randrange(0, 60) for _ in range(rng.randrange(0, 12)))
        mentions = [Mention("topography", s, s + rng.randrange(1, 15), "x") for s in starts]
        by = ByStart(mentions)
        for x in range(-2, 80):
            lo = rng.randrange(0, len(mentions) + 1)
            for f in (bisect.bisect_left, bisect.bisect_right):
                assert f(by.starts, x) == f(mentions, x, key=lambda m: m.start)
                assert f(by.ends, x) == f(mentions, x, key=lambda m: m.end)
                assert f(by.starts, x, lo) == f(mentions, x, lo, key=lambda m: m.start)
