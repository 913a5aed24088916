"""The fast JSON encoder writes what the standard library wrote (the golden files predate it), and falls back to
the standard library where orjson refuses a value."""

from __future__ import annotations

import json

import fhirconv


def test_fast_json_is_the_stdlib_bytes(seed_results) -> None:
    for result in seed_results.values():
        data = result.data
        assert fhirconv.to_json(data) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        assert fhirconv.to_ndjson_line(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_escapes_and_big_integers() -> None:
    tricky = {"text": 'é\u2028"\\\x00\x1f\t\n', "empty": [], "obj": {}, "n": [1.5, 2.0, -0.0, 37.5, 1e16], "big": 2**70}
    assert fhirconv.to_json(tricky) == json.dumps(tricky, ensure_ascii=False, indent=2) + "\n"
    assert fhirconv.to_ndjson_line(tricky) == json.dumps(tricky, ensure_ascii=False, separators=(",", ":")) + "\n"
