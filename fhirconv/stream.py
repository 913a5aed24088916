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

__all__ = ["ConvertOptions", "StreamResult", "convert_chunk", "convert_many", "convert_one"]


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


def convert_chunk(
    items: list[tuple[str | None, str]], options: ConvertOptions = ConvertOptions()
) -> tuple[list[StreamResult], Exception | None]:
    """``convert_one`` on each of a few reports: one executor task (a task per report made a process pool spend
    more on its queues and pickling rounds than small reports cost). A bug's exception (not a user error) in one
    report ends the chunk; it comes back with the results before it, for the stream to raise after yielding them,
    as it would have with a task per report."""
    results = []
    for item in items:
        try:
            results.append(convert_one(item, options))
        except Exception as exc:  # raised again by convert_many, in report order
            return results, exc
    return results, None


_CHUNK = 8  # reports per executor task at most
_CHUNK_SHARE = 8  # a chunk is at most this share of max_pending: several chunks stay in flight, one per worker


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
    With one, they go to it in chunks of up to 8 reports (``max_pending // 8``: each worker still gets several
    chunks), with at most ``max_pending`` reports read ahead.

    >>> [r.ok for r in convert_many([("a", "Femme de 51 ans."), ("b", "  ")])]    # doctest: +SKIP
    [True, False]
    """
    options = ConvertOptions(fhir_version, bundle_type, mappings_dir)
    if executor is None:
        for item in items:
            yield convert_one(item, options)
        return
    most = max(1, max_pending)
    size = max(1, min(_CHUNK, most // _CHUNK_SHARE))
    pending: deque[tuple[Future[tuple[list[StreamResult], Exception | None]], int]] = deque()
    in_flight = 0
    chunk: list[tuple[str | None, str]] = []
    try:
        for item in items:
            chunk.append(item)
            if len(chunk) < size:
                continue
            pending.append((executor.submit(convert_chunk, chunk, options), len(chunk)))
            in_flight += len(chunk)
            chunk = []
            while in_flight + size > most:  # room for the next chunk: at most ``max_pending`` reports read ahead
                future, n = pending.popleft()
                in_flight -= n
                yield from _results(future)
        if chunk:
            pending.append((executor.submit(convert_chunk, chunk, options), len(chunk)))
        while pending:
            yield from _results(pending.popleft()[0])
    finally:
        for future, _ in pending:  # the consumer stopped early (or an error): do not convert what nobody reads
            future.cancel()


def _results(future: Future[tuple[list[StreamResult], Exception | None]]) -> Iterator[StreamResult]:
    results, error = future.result()
    yield from results
    if error is not None:
        raise error
