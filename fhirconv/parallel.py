"""Batch conversion on a pool of processes (``fhirconv convert --jobs N``).

One report is a few milliseconds of pure Python, so threads cannot help (the GIL); processes can. On a machine with
as many cores as workers, every CPU second the parent spends is taken from a worker, so the parent does almost
nothing: it converts the first report (which warms up what every conversion needs), then forks the workers, which
inherit the loaded tables and the list of reports and are sent only index ranges. A worker reads, converts and
serialises its reports and, when the batch has an output folder, writes their files itself (atomically); what
comes back is a small tuple per report (error, resource counts). Outcomes come back in input order whatever the
number of workers, so the output is the same bytes with ``--jobs 1`` and ``--jobs 8``; a report that fails becomes
an outcome carrying its error and the batch goes on.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import FhirconvError
from .io import atomic_write, output_path
from .pipeline import convert
from .serialise import to_json, to_ndjson_line, to_xml
from .tables import Mappings, load_mappings

__all__ = ["BatchOptions", "Outcome", "Report", "convert_reports", "default_jobs"]

# The largest number of reports sent to a worker at once. Chunks get smaller towards the end of the batch
# ("guided" scheduling): few round trips while there is much left, and no worker idle while the other finishes a
# long chunk at the end.
_MAX_CHUNK = 16


@dataclass(frozen=True)
class BatchOptions:
    """What every report of a batch is converted with (picklable: it is sent to the workers)."""

    fmt: str = "json"
    fhir_version: str = "R4"
    bundle_type: str = "collection"
    mappings_dir: str | None = None
    icdo_edition: str = "3.2"  # ICD-O-3 edition of the morphology codes (tables.load_mappings)
    # Output folder: each bundle is written there (atomically) as <Report.output_name>.<fmt> by whoever converted
    # it, and the outcome's content is "". None: the content is returned (standard output, --format bulk).
    out_dir: str | None = None


@dataclass(frozen=True)
class Report:
    """One input: its id, a label for messages, and either a file to read or the text itself (stdin)."""

    report_id: str
    label: str
    path: Path | None = None
    text: str | None = None
    output_name: str | None = None  # file name (without suffix) in BatchOptions.out_dir; default: report_id


@dataclass
class Outcome:
    """The serialised bundle of one report (``content``; "" once written to the output folder), or why it failed
    (``error``)."""

    report: Report
    content: str | None = None
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    unmapped: int = 0
    data: dict[str, Any] | None = None  # the bundle itself, for --format bulk (content is then "")


Reader = Callable[[Path], str]
# What crosses the process boundary for one report: (content, error, counts, unmapped, data), no Report.
_Result = tuple[str | None, str | None, dict[str, int], int, dict[str, Any] | None]

# Per-process state of a worker, set once by the pool initializer (inherited, not pickled, with fork).
_worker_maps: Mappings | None = None
_worker_reader: Reader | None = None
_worker_reports: Sequence[Report] = ()
_worker_options: BatchOptions | None = None


def default_jobs() -> int:
    """The CPUs this process may run on (``--jobs 0``)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def convert_one(report: Report, options: BatchOptions, mappings: Mappings, reader: Reader) -> Outcome:
    """Read, convert and serialise one report (and write it when ``options.out_dir`` is set); a
    :class:`FhirconvError` or a write failure becomes a failed outcome."""
    return Outcome(report, *_convert(report, options, mappings, reader))


def _convert(report: Report, options: BatchOptions, mappings: Mappings, reader: Reader) -> _Result:
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
        return None, str(exc), {}, 0, None
    except Exception as exc:  # noqa: BLE001 - a bug on one report must not stop the batch; it is reported
        # type and code location only: the message of an unexpected error may quote the report (docs/SECURITY.md)
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb is not None else ""
        return None, f"internal error, please report it: {type(exc).__name__}{where}", {}, 0, None
    if options.fmt == "bulk":  # the parent's BulkWriter splits the bundle by resource type
        return "", None, result.resource_counts(), len(result.unmapped), result.data
    if options.fmt == "json":
        content = to_json(result.data)
    elif options.fmt == "ndjson":
        content = to_ndjson_line(result.data)
    else:
        content = to_xml(result.data, result.fhir_version)  # from the validated dict: no model to build
    if options.out_dir is not None:
        try:
            atomic_write(
                output_path(Path(options.out_dir), report.output_name or report.report_id, options.fmt), content
            )
        except FhirconvError as exc:
            return None, str(exc), {}, 0, None
        except OSError as exc:  # the output folder is not writable, the disk is full ...
            return None, f"cannot write output ({exc.strerror or exc})", {}, 0, None
        content = ""
    return content, None, result.resource_counts(), len(result.unmapped), None


def _init_worker(options: BatchOptions, reader: Reader, reports: Sequence[Report], maps: Mappings | None) -> None:
    global _worker_maps, _worker_reader, _worker_reports, _worker_options
    _worker_maps = maps or load_mappings(options.mappings_dir, icdo_edition=options.icdo_edition)
    _worker_reader, _worker_reports, _worker_options = reader, reports, options


def _work(chunk: range) -> list[_Result]:
    assert _worker_maps is not None and _worker_reader is not None and _worker_options is not None, "not initialised"
    return [_convert(_worker_reports[i], _worker_options, _worker_maps, _worker_reader) for i in chunk]


def _chunks(start: int, n: int, jobs: int) -> Iterator[range]:
    """Index ranges of decreasing size: a quarter of each worker's share of what is left, at most _MAX_CHUNK."""
    while start < n:
        size = max(1, min(_MAX_CHUNK, (n - start) // (jobs * 4)))
        yield range(start, start + size)
        start += size


def convert_reports(
    reports: Iterable[Report], options: BatchOptions, reader: Reader, jobs: int = 1, mappings: Mappings | None = None
) -> Iterator[Outcome]:
    """Convert ``reports`` on ``jobs`` processes (1: in this process), yielding outcomes in input order.

    >>> opts = BatchOptions(fmt="ndjson")
    >>> [o.error for o in convert_reports([Report("r1", "<r1>", text="Femme de 51 ans.")], opts, open)]
    [None]
    """
    maps = mappings or load_mappings(options.mappings_dir, icdo_edition=options.icdo_edition)
    if jobs <= 1:
        for report in reports:
            yield convert_one(report, options, maps, reader)
        return
    batch = list(reports)
    if not batch:
        return
    # The first report is converted here, before the fork: the first conversion of a process imports and builds
    # what every conversion needs (the FHIR models, lxml: some 0.4 s), which the workers then inherit instead of
    # each paying it again.
    yield convert_one(batch[0], options, maps, reader)
    jobs = min(jobs, len(batch) - 1)
    if jobs < 1:
        return
    fork = "fork" in multiprocessing.get_all_start_methods()
    # fork shares the parent's loaded tables copy-on-write and starts in milliseconds; elsewhere (macOS, Windows)
    # spawn re-imports fhirconv, loads the tables (disk cache) and receives the list of reports in each worker.
    context = multiprocessing.get_context("fork" if fork else "spawn")
    # Objects that exist before the fork (the tables, the FHIR models) go to the GC's permanent generation: the
    # workers' collections then never touch them, so their pages stay shared instead of being copied per worker.
    # (load_mappings froze the tables already, for the same reasons as here; see tables._freeze.)
    gc.freeze()
    with context.Pool(jobs, _init_worker, (options, reader, batch, maps if fork else None)) as pool:
        chunks = list(_chunks(1, len(batch), jobs))
        for chunk, results in zip(chunks, pool.imap(_work, chunks)):
            for i, result in zip(chunk, results):
                yield Outcome(batch[i], *result)
