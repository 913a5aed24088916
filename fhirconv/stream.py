"""Streaming conversion for integration engines: reports in, bundles out, in order, from threads or processes.

``convert_many`` takes any iterable of ``(report_id, text)`` and yields one :class:`StreamResult` per report, in
input order, lazily (a generator: a million reports never sit in memory). Give it a
``concurrent.futures`` executor to convert in parallel: at most ``max_pending`` reports are in flight. Inputs and
results are plain strings and dicts, so they cross process boundaries (``ProcessPoolExecutor``); each worker
process loads the mapping tables once (``load_mappings`` caches them, immutable). Nothing else is shared: no
global state, so several streams can run at once in one process.

>>> from concurrent.futures import ProcessPoolExecutor                          # doctest: +SKIP
>>> with ProcessPoolExecutor(4) as pool:                                         # doctest: +SKIP
...     for r in convert_many(((p.stem, p.read_text()) for p in paths), executor=pool):
...         if r.ok: send(r.bundle)
...         else: log(r.report_id, r.error)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any

from .errors import FhirconvError
from .pipeline import convert
from .tables import load_mappings

__all__ = ["ConvertOptions", "StreamResult", "convert_many", "convert_one"]


@dataclass(frozen=True)
class ConvertOptions:
    """The options of :func:`fhirconv.convert` that a stream applies to every report (picklable)."""

    fhir_version: str = "R4"
    bundle_type: str = "collection"
    mappings_dir: str | None = None


@dataclass(frozen=True)
class StreamResult:
    """One report's outcome: ``bundle`` (JSON-ready dict) when ``ok``, else ``error`` (message), ``error_type``
    (the FhirconvError class name) and ``exit_code`` (what the CLI would return for it)."""

    report_id: str | None
    bundle: dict[str, Any] | None
    error: str | None = None
    error_type: str | None = None
    exit_code: int = 0
    resource_counts: dict[str, int] = field(default_factory=dict)
    unmapped: int = 0

    @property
    def ok(self) -> bool:
        return self.bundle is not None


def convert_one(item: tuple[str | None, str], options: ConvertOptions = ConvertOptions()) -> StreamResult:
    """Convert one ``(report_id, text)``; a user error (bad input, tables, validation) becomes a failed result.

    Module-level and picklable, so it runs in a worker process. Other exceptions are bugs and propagate.
    """
    report_id, text = item
    try:
        result = convert(
            text,
            report_id=report_id,
            mappings=load_mappings(options.mappings_dir),
            fhir_version=options.fhir_version,
            bundle_type=options.bundle_type,
        )
    except FhirconvError as exc:
        return StreamResult(report_id, None, str(exc), type(exc).__name__, exc.exit_code)
    return StreamResult(report_id, result.data, resource_counts=result.resource_counts(), unmapped=len(result.unmapped))


def convert_many(
    items: Iterable[tuple[str | None, str]],
    *,
    fhir_version: str = "R4",
    bundle_type: str = "collection",
    mappings_dir: str | None = None,
    executor: Executor | None = None,
    max_pending: int = 64,
) -> Iterator[StreamResult]:
    """Convert ``(report_id, text)`` pairs; yield a :class:`StreamResult` per report, in input order.

    Without ``executor`` the reports are converted one by one in the calling thread as the iterator is consumed.

    >>> [r.ok for r in convert_many([("a", "Femme de 51 ans."), ("b", "  ")])]    # doctest: +SKIP
    [True, False]
    """
    options = ConvertOptions(fhir_version, bundle_type, mappings_dir)
    if executor is None:
        for item in items:
            yield convert_one(item, options)
        return
    pending: deque[Future[StreamResult]] = deque()
    try:
        for item in items:
            pending.append(executor.submit(convert_one, item, options))
            if len(pending) >= max(1, max_pending):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:  # the consumer stopped early (or an error): do not convert what nobody reads
            future.cancel()
