"""Batch conversion on several processes (``fhirconv convert --jobs N``).

One report is a few milliseconds of pure Python, so threads cannot help (the GIL); processes can. ``--jobs N`` is
N converting processes: this one and N - 1 helpers. This process forks the helpers as soon as the tables are
loaded: they inherit the tables and the list of reports and are sent only index ranges; then it converts reports
itself between the helpers' answers. (With a pool of N workers beside a waiting parent, the parent's pool threads
took CPU from the workers on N cores and the pool's teardown came after the last report.) Each process warms up on
its first report (the first conversion of a process imports and builds the FHIR models, some 0.15 s): they do it
at the same time, so the batch waits for one warm-up, not for one before the fork and then the batch. Whoever
converts a report reads, converts and serialises it and, when the batch has an output folder, writes its file
(atomically); what a helper sends back is a small tuple per report (error, resource counts). Outcomes come back in
input order whatever the number of processes, so the output is the same bytes with ``--jobs 1`` and ``--jobs 8``; a
report that fails becomes an outcome carrying its error and the batch goes on, and so does a batch whose helper dies
(its reports fail).
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .errors import FhirconvError
from .io import atomic_write, output_path
from .pipeline import convert
from .serialise import to_json, to_ndjson_line, to_xml
from .tables import Mappings, load_mappings

if TYPE_CHECKING:  # (multiprocessing is imported by a batch with helpers only: most runs are one process)
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

__all__ = ["BatchOptions", "Outcome", "Report", "convert_reports", "default_jobs"]

# The largest number of reports sent to a helper at once (_chunk_size).
_MAX_CHUNK = 16
# Index ranges a helper holds at once: the one it converts and the next, so that it never waits for this process
# (busy with a report of its own) to send more.
_AHEAD = 2


@dataclass(frozen=True)
class BatchOptions:
    """What every report of a batch is converted with (picklable: a spawned helper process receives it)."""

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


def _serve(
    conn: Connection,
    options: BatchOptions,
    reader: Reader,
    batch: Sequence[Report],
    maps: Mappings | None,
    inherited: Sequence[Connection],
) -> None:
    """A helper process: convert the index ranges received on ``conn`` and send back their results, until None."""
    # (fork) this process's copies of the parent's ends of the other helpers' pipes: while open, a helper would
    # never see its pipe close if the parent died, and would wait for work forever
    for other in inherited:
        other.close()
    try:
        if maps is None:  # spawn: a new interpreter, which loads the tables itself (disk cache)
            maps = load_mappings(options.mappings_dir, icdo_edition=options.icdo_edition)
        while (chunk := conn.recv()) is not None:
            conn.send([_convert(batch[i], options, maps, reader) for i in chunk])
    except (EOFError, OSError, KeyboardInterrupt):  # the parent stopped the batch (Ctrl-C) or is gone
        pass


def _chunk_size(left: int, jobs: int) -> int:
    """Reports handed to a helper at once: a quarter of each process's share of what is ``left``, at most
    _MAX_CHUNK ("guided" scheduling: few round trips while there is much left, and no process idle at the end while
    another finishes a long chunk)."""
    return max(1, min(_MAX_CHUNK, left // (jobs * 4)))


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
    helpers = min(jobs, len(batch)) - 1
    if helpers < 1:
        for report in batch:
            yield convert_one(report, options, maps, reader)
        return
    yield from _Shared(batch, options, reader, maps, helpers).run()


class _Shared:
    """A batch converted by this process and ``helpers`` helper processes.

    The helpers are sent index ranges, _AHEAD at a time; this process converts single reports between their answers
    (checking for answers after each one) and yields every outcome as soon as those before it are in."""

    def __init__(self, batch: list[Report], options: BatchOptions, reader: Reader, maps: Mappings, helpers: int):
        self.batch, self.options, self.reader, self.maps = batch, options, reader, maps
        self.jobs = helpers + 1
        self.next = 0  # the first index not handed out yet (to a helper or to this process)
        self.done: dict[int, _Result] = {}  # results not yielded yet, by index
        self.held: dict[Connection, deque[range]] = {}  # what each live helper was sent and has not answered yet
        self.procs: dict[Connection, BaseProcess] = {}  # each helper's process
        import multiprocessing

        fork = "fork" in multiprocessing.get_all_start_methods()
        # fork shares this process's loaded tables and warm caches copy-on-write and starts in milliseconds;
        # elsewhere (macOS, Windows) spawn re-imports fhirconv and loads the tables in each helper, and pickles the
        # list of reports to it.
        context = multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")
        # Objects that exist before the fork (the tables, the modules imported so far) go to the GC's permanent generation:
        # collections on either side never touch them, so their pages stay shared instead of being copied per
        # process. (load_mappings froze the tables already, for the same reasons; see tables._freeze.)
        gc.freeze()
        for _ in range(helpers):
            mine, theirs = context.Pipe()
            inherited = [*self.held, mine] if fork else []
            args = (theirs, options, reader, batch, maps if fork else None, inherited)
            proc = context.Process(target=_serve, args=args, daemon=True)
            proc.start()
            theirs.close()
            self.held[mine], self.procs[mine] = deque(), proc

    def run(self) -> Iterator[Outcome]:
        n, out = len(self.batch), 0
        try:
            while out < n:
                # wait for a helper's answer only when this process has nothing left to convert itself
                self._collect(block=self.next >= n and out not in self.done)
                self._hand_out()
                if self.next < n:
                    i, self.next = self.next, self.next + 1
                    self.done[i] = _convert(self.batch[i], self.options, self.maps, self.reader)
                while out in self.done:
                    yield Outcome(self.batch[out], *self.done.pop(out))
                    out += 1
        finally:
            self._stop(finished=out >= n)

    def _hand_out(self) -> None:
        n = len(self.batch)
        for conn, ranges in list(self.held.items()):
            while len(ranges) < _AHEAD and self.next < n:
                chunk = range(self.next, self.next + _chunk_size(n - self.next, self.jobs))
                self.next = chunk.stop
                ranges.append(chunk)  # before sending: if the helper is gone, _lost fails this chunk too
                try:
                    conn.send(chunk)
                except OSError:
                    self._lost(conn)
                    break

    def _collect(self, block: bool) -> None:
        if not self.held:
            return
        from multiprocessing.connection import wait

        for ready in wait(list(self.held), timeout=None if block else 0):
            conn = cast("Connection", ready)
            try:
                results: list[_Result] = conn.recv()
            except (EOFError, OSError):
                self._lost(conn)
                continue
            self.done.update(zip(self.held[conn].popleft(), results))

    def _lost(self, conn: Connection) -> None:
        """A helper died (killed, out of memory, a crash in a C extension): the reports it held fail, not the
        batch. (Converting them again here could crash this process the same way.)"""
        proc = self.procs.pop(conn)
        proc.join(1)
        why = f"the worker process converting it stopped (exit code {proc.exitcode}): convert it again"
        for chunk in self.held.pop(conn):
            for i in chunk:
                self.done[i] = (None, why, {}, 0, None)
        conn.close()

    def _stop(self, finished: bool) -> None:
        # Finished: the helpers wait for work, and None ends them. Otherwise (an error, the consumer stopped
        # iterating) they may be busy with reports nobody wants any more: stop them now.
        for conn, proc in self.procs.items():
            if finished:
                try:
                    conn.send(None)
                except OSError:
                    pass
            else:
                proc.terminate()
            conn.close()
        for proc in self.procs.values():
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join()
