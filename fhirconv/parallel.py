"""Batch conversion on a pool of processes (``fhirconv convert --jobs N``).

One report is a few milliseconds of pure Python, so threads cannot help (the GIL); processes can. Each worker
loads the mapping tables once (pool initializer; with ``fork`` it inherits the parent's already loaded tables),
then reads, converts and serialises whole reports, so only the finished text crosses the process boundary.
Outcomes come back in input order whatever the number of workers, so the output is the same bytes with
``--jobs 1`` and ``--jobs 8``; a report that fails becomes an outcome carrying its error and the batch goes on.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import FhirconvError
from .pipeline import convert
from .serialise import to_json, to_ndjson_line, to_xml
from .tables import Mappings, load_mappings

__all__ = ["BatchOptions", "Outcome", "Report", "convert_reports", "default_jobs"]


@dataclass(frozen=True)
class BatchOptions:
    """What every report of a batch is converted with (picklable: it is sent to the workers)."""

    fmt: str = "json"
    fhir_version: str = "R4"
    bundle_type: str = "collection"
    mappings_dir: str | None = None
    icdo_edition: str = "3.2"  # ICD-O-3 edition of the morphology codes (tables.load_mappings)


@dataclass(frozen=True)
class Report:
    """One input: its id, a label for messages, and either a file to read or the text itself (stdin)."""

    report_id: str
    label: str
    path: Path | None = None
    text: str | None = None


@dataclass
class Outcome:
    """The serialised bundle of one report (``content``), or why it failed (``error``)."""

    report: Report
    content: str | None = None
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    unmapped: int = 0
    data: dict[str, Any] | None = None  # the bundle itself, for --format bulk (content is then "")


Reader = Callable[[Path], str]

# Per-process state of a worker, set once by the pool initializer.
_worker_maps: Mappings | None = None
_worker_reader: Reader | None = None


def default_jobs() -> int:
    """The CPUs this process may run on (``--jobs 0``)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def convert_one(report: Report, options: BatchOptions, mappings: Mappings, reader: Reader) -> Outcome:
    """Read, convert and serialise one report; a :class:`FhirconvError` becomes a failed outcome."""
    try:
        text = report.text if report.text is not None else reader(report.path)  # type: ignore[arg-type]
        result = convert(
            text,
            report_id=report.report_id,
            mappings=mappings,
            fhir_version=options.fhir_version,
            bundle_type=options.bundle_type,
        )
    except FhirconvError as exc:
        return Outcome(report, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug on one report must not stop the batch; it is reported
        # type and code location only: the message of an unexpected error may quote the report (docs/SECURITY.md)
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb is not None else ""
        return Outcome(report, error=f"internal error, please report it: {type(exc).__name__}{where}")
    if options.fmt == "bulk":  # the parent's BulkWriter splits the bundle by resource type
        return Outcome(report, "", None, result.resource_counts(), len(result.unmapped), result.data)
    if options.fmt == "json":
        content = to_json(result.data)
    elif options.fmt == "ndjson":
        content = to_ndjson_line(result.data)
    else:
        content = to_xml(result.data, result.fhir_version)  # from the validated dict: no model to build
    return Outcome(report, content, None, result.resource_counts(), len(result.unmapped))


def _init_worker(options: BatchOptions, reader: Reader) -> None:
    global _worker_maps, _worker_reader
    _worker_maps = load_mappings(options.mappings_dir, icdo_edition=options.icdo_edition)
    _worker_reader = reader


def _work(task: tuple[Report, BatchOptions]) -> Outcome:
    assert _worker_maps is not None and _worker_reader is not None, "worker not initialised"
    return convert_one(task[0], task[1], _worker_maps, _worker_reader)


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the parent's loaded tables copy-on-write and starts in milliseconds; elsewhere (macOS, Windows)
    # spawn re-imports fhirconv and loads the tables in each worker.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def convert_reports(
    reports: Iterable[Report], options: BatchOptions, reader: Reader, jobs: int = 1, mappings: Mappings | None = None
) -> Iterator[Outcome]:
    """Convert ``reports`` on ``jobs`` processes (1: in this process), yielding outcomes in input order.

    >>> opts = BatchOptions(fmt="ndjson")
    >>> [o.error for o in convert_reports([Report("r1", "<r1>", text="Femme de 51 ans.")], opts, open)]
    [None]
    """
    if jobs <= 1:
        maps = mappings or load_mappings(options.mappings_dir, icdo_edition=options.icdo_edition)
        for report in reports:
            yield convert_one(report, options, maps, reader)
        return
    # load in the parent before forking: the workers inherit the tables
    load_mappings(options.mappings_dir, icdo_edition=options.icdo_edition)
    tasks = [(r, options) for r in reports]
    jobs = min(jobs, max(len(tasks), 1))
    # Chunks amortise the inter-process round trip; small enough that the last chunks still spread over workers.
    chunksize = max(1, min(16, len(tasks) // (jobs * 8)))
    # Objects that exist before the fork (the tables, the FHIR models) go to the GC's permanent generation: the
    # workers' collections then never touch them, so their pages stay shared instead of being copied per worker.
    gc.freeze()
    try:
        with _context().Pool(jobs, initializer=_init_worker, initargs=(options, reader)) as pool:
            yield from pool.imap(_work, tasks, chunksize)
    finally:
        gc.unfreeze()  # the caller's process collects as before
