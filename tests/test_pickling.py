"""A conversion result and the loaded tables survive pickle and copy (fhirconv/pickling.py): in both builds, since
scripts/test_compiled.sh runs this file against the compiled one too, where frozen dataclasses are native classes."""

from __future__ import annotations

import copy
import pickle

import fhirconv
from fhirconv.tables.cache import _Pickler

from .conftest import SEEDS


def test_a_result_pickles_and_copies_equal(seed_results) -> None:
    r = seed_results[SEEDS[0].stem]
    again = pickle.loads(pickle.dumps(r))
    assert again.data == r.data and again.mentions == r.mentions and again.cues == r.cues
    assert again.timeline == r.timeline and again.timeline is not None and again.timeline.dates
    assert copy.deepcopy(r).timeline == r.timeline
    assert copy.copy(r.timeline.dates[0]) == r.timeline.dates[0]


def test_tables_pickle_as_the_cache_does_and_convert_the_same(seed_results) -> None:
    import io

    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(fhirconv.load_mappings())
    maps = pickle.loads(buf.getvalue())
    seed = SEEDS[0]
    result = fhirconv.convert(seed.read_text(encoding="utf-8"), report_id=seed.stem, mappings=maps)
    assert fhirconv.to_json(result.data) == fhirconv.to_json(seed_results[seed.stem].data)
