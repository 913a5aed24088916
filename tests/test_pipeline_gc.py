"""``convert`` runs with the cyclic garbage collector off and gives the caller back the state it had (why:
``pipeline._pause_cyclic_gc``; issue 8, a report 100 times longer must not cost more than 120 times the time)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import fhirconv
import fhirconv.pipeline as pipeline

TEXT = "Homme de 58 ans. Adénocarcinome du côlon sigmoïde. Pas de métastase hépatique. Hb 11,5 g/dl."


@pytest.fixture
def collector_on() -> Iterator[None]:
    """The collector on at the start of the test; the state before the test restored after it."""
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


def _collector_seen_by_a_stage(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector is on, as seen from inside a stage of each conversion (the values stage)."""
    seen: list[bool] = []
    stage = pipeline.attach_values

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return stage(*args, **kwargs)

    monkeypatch.setattr(pipeline, "attach_values", spy)
    return seen


def test_the_collector_is_off_during_a_conversion_and_on_again_after(
    monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    seen = _collector_seen_by_a_stage(monkeypatch)
    fhirconv.convert(TEXT)
    assert seen == [False]
    assert gc.isenabled()


def test_a_caller_who_switched_the_collector_off_finds_it_off(
    monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    seen = _collector_seen_by_a_stage(monkeypatch)
    gc.disable()
    fhirconv.convert(TEXT)
    assert seen == [False]
    assert not gc.isenabled()


def test_a_conversion_that_fails_switches_the_collector_on_again(
    monkeypatch: pytest.MonkeyPatch, collector_on: None
) -> None:
    def failing_stage(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a stage failed")

    monkeypatch.setattr(pipeline, "attach_values", failing_stage)
    with pytest.raises(RuntimeError, match="a stage failed"):
        fhirconv.convert(TEXT)
    assert gc.isenabled()


def test_conversions_in_several_threads_leave_the_collector_on(collector_on: None) -> None:
    """Overlapping conversions: whichever ends last, none leaves the collector off behind it."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                fhirconv.convert(TEXT)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert gc.isenabled()
