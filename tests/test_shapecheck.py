"""The shape check (fhirconv/shapecheck.py) must give exactly the verdict of fhir.resources' full model validation.

Each example takes a valid seed bundle, breaks it in one random place (a wrong value, a missing or extra key, a
null in a list, a dict where a string belongs ...) and compares the two verdicts. One checker is shared by all the
examples, warmed on the valid bundles first, so most elements are judged from its cache: a cached shape standing in
for an invalid element is exactly the mistake this test is there to catch.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fhirconv
from fhirconv.shapecheck import ShapeChecker
from fhirconv.versions import bundle_model

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "fixtures").glob("*.txt"))
_BUNDLES: dict[str, dict[str, Any]] = {}


def _bundles(version: str) -> list[dict[str, Any]]:
    if version not in _BUNDLES:
        # the two shorter seeds keep each full validation around 20 ms
        for i, path in enumerate(SEEDS[0:3:2]):
            _BUNDLES[f"{version}{i}"] = fhirconv.convert(path.read_text(encoding="utf-8"), fhir_version=version).data
    return [b for k, b in _BUNDLES.items() if k.startswith(version)]


def _full_verdict(model: Any, data: dict[str, Any]) -> bool:
    try:
        model.model_validate(data)
    except Exception:  # fhir_core also lets KeyError out (resourceType "")
        return False
    return True


def _places(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key or index) of the tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((node, k))
            _places(v, out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((node, i))
            _places(v, out)
    return out


VALUES = [
    "",
    " ",
    "a  b",
    "x\ty",
    "2015-13-45",
    "2015",
    "2015-03-02",
    "urn:uuid:not an id",
    "final",
    "bogus-code",
    "http://snomed.info/sct",
    -1,
    0,
    1,
    2,
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    1.5,
    1e-7,
    float("nan"),
    float("inf"),
    True,
    False,
    None,
    [],
    {},
    [None],
    [1],
    {"x": 1},
    {"reference": "Patient/1"},
    {"coding": []},
    {"url": "offset", "valueInteger": 3},
    {"url": "offset"},
    {"resourceType": "Patient", "id": "p1"},
]
KEYS = ["foo", "valueString", "valueInteger", "valueBoolean", "_status", "resourceType", "id", "extension", "text"]


def _mutate(bundle: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    b = copy.deepcopy(bundle)
    places = _places(b, [])
    container, key = places[data.draw(st.integers(0, len(places) - 1), label="place")]
    action = data.draw(
        st.sampled_from(["set", "set", "set", "delete", "add", "null-item", "copy-item", "drop-item"]), label="action"
    )
    if action == "set":
        container[key] = copy.deepcopy(data.draw(st.sampled_from(VALUES), label="value"))
    elif action == "delete":
        del container[key]
    elif action == "add":
        target = container[key] if isinstance(container[key], dict) else container
        if isinstance(target, dict):
            target[data.draw(st.sampled_from(KEYS), label="key")] = copy.deepcopy(
                data.draw(st.sampled_from(VALUES), label="value")
            )
    elif isinstance(container, list):
        # a list's key is the set of its item shapes (shapecheck.py): count and order must not change a verdict
        if action == "null-item":
            container.insert(key, None)
        elif action == "copy-item":
            container.insert(key, copy.deepcopy(container[key]))
        else:
            del container[key]
    return b


CHECKER = ShapeChecker()


@pytest.mark.parametrize("version", ["R4", "R5"])
def test_valid_bundles_are_valid(version: str) -> None:
    model = bundle_model(version)
    for b in _bundles(version):
        assert CHECKER.is_valid(model, b) and _full_verdict(model, b)
        assert CHECKER.is_valid(model, b)  # again, now from the cache


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), which=st.integers(0, 1), version=st.sampled_from(["R4", "R5"]))
def test_same_verdict_as_fhir_resources_on_broken_bundles(data: st.DataObject, which: int, version: str) -> None:
    model = bundle_model(version)
    bundles = _bundles(version)
    for b in bundles:  # warm: every valid shape known
        CHECKER.is_valid(model, b)
    broken = _mutate(bundles[which], data)
    assert CHECKER.is_valid(model, broken) == _full_verdict(model, broken)


def test_an_invalid_element_with_a_known_shape_is_still_invalid() -> None:
    model = bundle_model("R4")
    b = copy.deepcopy(_bundles("R4")[0])
    assert CHECKER.is_valid(model, b)
    ext = next(e for e in b["entry"] if "extension" in e["resource"])["resource"]["extension"][0]["extension"]
    offset = next(x for x in ext if x["url"] == "offset")
    for bad in (2**31, "x", 1.5):
        offset["valueInteger"] = bad
        assert not _full_verdict(model, b)
        assert not CHECKER.is_valid(model, b), bad
    offset["valueInteger"] = 2**31 - 1  # a new value of a known validity class: judged from the cache, and valid
    assert CHECKER.is_valid(model, b) and _full_verdict(model, b)


def test_the_cache_is_bounded_and_verdicts_survive_a_clear() -> None:
    checker = ShapeChecker(limit=50)
    model = bundle_model("R4")
    for b in _bundles("R4") * 3:
        assert checker.is_valid(model, b)
    assert checker.nodes <= 50
    broken = copy.deepcopy(_bundles("R4")[1])
    broken["entry"][1]["resource"]["resourceType"] = "Observation"  # a Patient's fields under another type
    assert not checker.is_valid(model, broken) and not _full_verdict(model, broken)


def test_integer_fields_are_judged_by_their_declared_bounds_exactly_as_pydantic_does() -> None:
    checker = ShapeChecker()
    from fhir.resources.R4B.extension import Extension
    from fhir.resources.R4B.timing import TimingRepeat

    fields = [
        checker._fields_of(m)[n]
        for m, n in [
            (Extension, "valueInteger"),
            (Extension, "valueUnsignedInt"),
            (Extension, "valuePositiveInt"),
            (TimingRepeat, "count"),
            (TimingRepeat, "frequency"),
        ]
    ]
    assert all(f.int_bounds is not None for f in fields)
    for f in fields:
        for v in (-(2**31) - 1, -(2**31), -1, 0, 1, 7, 2**31 - 1, 2**31):
            assert f.adapter is not None
            try:
                f.adapter.validate_python(v)
                expected = True
            except Exception:
                expected = False
            assert f.primitive_ok(v) == expected, (f.int_bounds, v)
