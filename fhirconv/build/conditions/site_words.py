"""The site words written again next to a tumour's words: "une masse pulmonaire ... nodule pulmonaire", "adénocarcinome
du sein ... dans le sein gauche" are more evidence of the tumour's bodySite (Condition.bodySite evidence)."""

from __future__ import annotations

import bisect

from ...document import Mention
from ..common import ByStart
from .model import _Cond

_AFTER = 60  # characters after one of a tumour's words where a site word is still its site
_BEFORE = 20  # characters before it ("au niveau pulmonaire, une masse ...")


def _cite_site_words(conds: list[_Cond], sites: ByStart) -> None:
    """Every site word of the tumour's bodySite code, in a sentence of the tumour's words and close to one of them,
    becomes evidence of the bodySite, after the site it was coded with. Only the same code: a sub-site ("lobe
    inférieur" C34.3 beside "pulmonaire" C34.9) would be cited for a code it does not name (measured on FRACCO:
    same organ +1.7 points of site-mention recall but -3 points of site-code agreement; the whole sentence instead
    of the words' neighbourhood, precision 87 -> 82 %). Not for a refuted tumour, nor a lymph node station (C77)."""
    sentences = [s.sentence for s in sites.mentions]  # sites are in text order, so their sentences are sorted
    for c in conds:
        if not c.morph or not c.site or c.verification == "refuted" or c.site[0].startswith("C77"):
            continue
        cited = {(m.start, m.end) for m in c.mentions}
        words = [m for m in c.mentions if m.kind != "topography"]
        for n in sorted({m.sentence for m in words}):
            for k in range(bisect.bisect_left(sentences, n), bisect.bisect_right(sentences, n)):
                s = sites.mentions[k]
                if s.row.icdo3 == c.site[0] and (s.start, s.end) not in cited and _near(s, words):
                    c.mentions.append(s)
                    cited.add((s.start, s.end))


def _near(s: Mention, words: list[Mention]) -> bool:
    """A site written close after one of the tumour's words in its sentence, or right before it."""
    return any(
        m.sentence == s.sentence and (0 <= s.start - m.end <= _AFTER or 0 <= m.start - s.end <= _BEFORE) for m in words
    )
