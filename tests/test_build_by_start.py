"""``build.common.ByStart``: the mentions starting in a window, found by bisecting their starts."""

from __future__ import annotations

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
