"""The command line: the only place of fhirconv that talks to the terminal.

Exit codes: 0 success; 1 some reports failed (the others were written); 2 usage error; 3 mapping table error;
4 input error (nothing converted); 5 validation error.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import click

from . import COMPILED, __version__
from .bulk import BulkWriter
from .errors import FhirconvError, InputError, MappingError, UploadError
from .io import atomic_write, read_report, read_stream, safe_output_name, unique_names
from .parallel import BatchOptions, Report, convert_reports, default_jobs
from .pipeline import convert
from .progress import Progress
from .serialise import FORMATS
from .tables import load_mappings

EXIT_SOME_FAILED = 1
_BUILD = "compiled with mypyc" if COMPILED else "pure Python"  # which build runs (setup.py)


def _read_report(path: Path) -> str:
    return read_report(path)


def _expand(inputs: tuple[str, ...]) -> list[tuple[str, Path | None]]:
    """(report id, path) for every input; '-' is stdin. Directories give their *.txt files, sorted."""
    out: list[tuple[str, Path | None]] = []
    for item in inputs:
        if item == "-":
            out.append(("stdin", None))
            continue
        p = Path(item)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*.txt") if f.is_file())
            if not files:
                raise InputError(f"{p}: no .txt report in this folder")
            out.extend((f.stem, f) for f in files)
        else:
            out.append((p.stem, p))
    return out


def _atomic_write(path: Path, content: str) -> None:
    atomic_write(path, content)


@click.group()
@click.version_option(__version__, prog_name="fhirconv", message=f"%(prog)s, version %(version)s ({_BUILD})")
def main() -> None:
    """fhirconv: French clinical case reports -> FHIR Bundles."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    "output",
    default="-",
    show_default=True,
    help="Output folder (one file per report), or '-' for standard output.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice((*FORMATS, "bulk")),
    default="json",
    show_default=True,
    help="bulk: FHIR bulk-data NDJSON, one <Type>.ndjson per resource type in the -o folder.",
)
@click.option("--fhir-version", type=click.Choice(["R4", "R5"]), default="R4", show_default=True)
@click.option(
    "--bundle-type", type=click.Choice(["collection", "transaction"]), default="collection", show_default=True
)
@click.option(
    "--mappings",
    "mappings_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of overlay tables adding to or overriding the built-in ones.",
)
@click.option(
    "--icdo-edition",
    type=click.Choice(["3.2", "3.1"]),
    default="3.2",
    show_default=True,
    help="ICD-O-3 edition of the tumour morphology codes (3.1: for registries still holding ICD-O-3.1 data).",
)
@click.option("-q", "--quiet", is_flag=True, help="No summary and no progress bar on stderr.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes (0: one per CPU). The output is the same whatever the number.",
)
def convert_cmd(
    inputs: tuple[str, ...],
    output: str,
    fmt: str,
    fhir_version: str,
    bundle_type: str,
    mappings_dir: str | None,
    icdo_edition: str,
    quiet: bool,
    jobs: int,
) -> None:
    """Convert reports (files, folders of .txt, or - for stdin) into FHIR Bundles.

    Output files are named after the input: <stem>.json, <stem>.xml, or <stem>.ndjson (one bundle per line);
    with -o - everything goes to standard output (NDJSON: one line per report).
    """
    try:
        maps = load_mappings(mappings_dir, icdo_edition=icdo_edition)
        items = _expand(inputs)
    except FhirconvError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    # (load_mappings froze the loaded tables: the GC's full collections do not walk them again and again)
    failures: list[tuple[str, str]] = []
    counts: Counter[str] = Counter()
    unmapped = 0
    done = 0
    out_dir = None if output == "-" else Path(output)
    if fmt == "bulk" and out_dir is None:
        raise click.UsageError("--format bulk writes one file per resource type: give a folder with -o")
    bulk = BulkWriter(out_dir) if fmt == "bulk" and out_dir is not None else None
    # Two inputs with the same stem (a/cas.txt, b/cas.txt) get distinct names (cas, cas-2), used as report id too,
    # so neither the file nor the resource ids of one overwrite the other's.
    reports: list[Report] = []
    for (report_id, path), name in zip(items, unique_names([report_id for report_id, _ in items])):
        label = str(path) if path else "<stdin>"
        if name != safe_output_name(report_id):
            click.echo(
                f"fhirconv: note: {label}: another input has the stem {report_id!r}; written as {name}.{fmt}", err=True
            )
            report_id = name
        text = None
        if path is None:
            # stdin is read here: a worker process cannot read the parent's standard input
            try:
                text = read_stream(sys.stdin.buffer, label)
            except InputError as exc:
                failures.append((label, str(exc)))
                continue
        reports.append(Report(report_id, label, path, text, name))
    # with an output folder, whoever converts a report writes its file (with --jobs, often a helper process)
    writes = out_dir is not None and bulk is None
    options = BatchOptions(fmt, fhir_version, bundle_type, mappings_dir, icdo_edition, str(out_dir) if writes else None)
    outcomes = convert_reports(reports, options, _read_report, default_jobs() if jobs == 0 else jobs, maps)
    # the bar shares the terminal with the bundles when they go to a terminal's stdout: then it stays off
    show_bar = not quiet and len(reports) > 1 and (out_dir is not None or not sys.stdout.isatty())
    with Progress(len(reports), enabled=None if show_bar else False) as bar:
        for outcome in outcomes:
            bar.advance(failed=outcome.content is None)
            if outcome.content is None:
                failures.append((outcome.report.label, outcome.error or "failed"))
                continue
            content = outcome.content
            if bulk is not None:
                bulk.add(outcome.data)  # type: ignore[arg-type]  # written after the last report
            elif out_dir is None:
                click.echo(content if fmt != "json" else content.rstrip("\n"), nl=fmt == "json")
            done += 1
            counts.update(outcome.counts)
            unmapped += outcome.unmapped
    if bulk is not None:
        bulk.commit()
    if not quiet:
        by_type = ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
        click.echo(
            f"fhirconv: {done} report(s) converted, {len(failures)} failed; resources: {by_type or 'none'}; "
            f"unmapped mentions: {unmapped}",
            err=True,
        )
    for label, message in failures:
        shown = message if message.startswith(label) else f"{label}: {message}"
        click.echo(f"fhirconv: failed: {shown}", err=True)
    if failures:
        sys.exit(EXIT_SOME_FAILED if done else InputError.exit_code)


convert_cmd.name = "convert"


@main.group()
def mappings() -> None:
    """Inspect the mapping tables."""


@mappings.command("check")
@click.argument("overlay", required=False, type=click.Path(file_okay=False))
@click.option("--all", "show_all", is_flag=True, help="List every finding (default: the first 20 of each kind).")
@click.option("--strict", is_flag=True, help="Exit 1 if a conflict, override, shadowed or unmatchable row is found.")
def mappings_check(overlay: str | None, show_all: bool, strict: bool) -> None:
    """Validate the built-in tables (and an overlay folder): rows per table, then conflicts, overrides, shadowed
    and unmatchable rows (definitions: CONTRIBUTING.md)."""
    from .maptools import check_tables

    try:
        report = check_tables(overlay)
    except MappingError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for name, (rows, path) in sorted(report.tables.items()):
        click.echo(f"{name:20} {rows:6} rows  {path}")
    counts = report.counts()
    for category in ("conflict", "override", "shadowed", "unmatchable"):
        found = [f for f in report.findings if f.category == category]
        # the overlay's own findings first: that is what its author came to check
        found.sort(key=lambda f: not f.overlay)
        for f in found if show_all else found[:20]:
            click.echo(f"{category}: {f.where}: {f.message}")
        if len(found) > 20 and not show_all:
            click.echo(f"{category}: ... {len(found) - 20} more (--all)")
    summary = ", ".join(
        f"{counts.get(c, 0)} {c}" for c in ("conflict", "override", "shadowed", "unmatchable", "redundant")
    )
    click.echo(f"ok: tables load; {summary}")
    if strict and any(f.category != "redundant" for f in report.findings):
        sys.exit(EXIT_SOME_FAILED)


@mappings.command("stats")
@click.argument("overlay", required=False, type=click.Path(file_okay=False))
def mappings_stats(overlay: str | None) -> None:
    """Rows per table, distinct codes per terminology, and each table's source, version and licence."""
    from .maptools import table_stats

    try:
        stats = table_stats(overlay=overlay)
    except MappingError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for s in stats:
        codes = ", ".join(f"{system} {n}" for system, n in s.codes.items()) or "no codes"
        extra = f" ({s.overlay_rows} from overlay)" if s.overlay_rows else ""
        click.echo(f"{s.table:18} {s.rows:6} rows{extra}; codes: {codes}")
        click.echo(f"{'':18} source: {s.source}")
        click.echo(f"{'':18} version: {s.version}; licence: {s.licence}")
    click.echo(f"total: {sum(s.rows for s in stats)} rows in {len(stats)} tables")


def _is_file(name: str) -> bool:
    # a sentence longer than the system's file-name limit is a text to explain, not an OSError trace
    try:
        return Path(name).is_file()
    except OSError:
        return False


@main.command("explain")
@click.argument("report")
@click.option("--mappings", "mappings_dir", type=click.Path(file_okay=False), default=None)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def explain_cmd(report: str, mappings_dir: str | None, as_json: bool) -> None:
    """Explain a conversion sentence by sentence: rows and cues that fired, unmapped words, resulting resources.

    REPORT is a report file, '-' for standard input, or the text itself (fhirconv explain "pas de fièvre").
    """
    import json

    from .explain import explain, format_explanation

    try:
        if report == "-":
            text, report_id = sys.stdin.read(), "stdin"
        elif "\n" not in report and len(report) < 4096 and _is_file(report):
            text, report_id = _read_report(Path(report)), Path(report).stem
        elif Path(report).suffix == ".txt" and not any(c.isspace() for c in report):
            raise InputError(f"{report}: no such file")  # a mistyped file name, not a text to explain
        else:
            text, report_id = report, None
        e = explain(text, report_id=report_id, mappings=load_mappings(mappings_dir))
    except FhirconvError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if as_json:
        click.echo(json.dumps(e.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_explanation(e), nl=False)


@main.command("coverage")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--top", type=int, default=30, show_default=True, help="Rows shown per list.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None, help="Write every entry as CSV.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None, help="Write every entry as JSON.")
@click.option("--mappings", "mappings_dir", type=click.Path(file_okay=False), default=None)
def coverage_cmd(
    inputs: tuple[str, ...], top: int, csv_path: str | None, json_path: str | None, mappings_dir: str | None
) -> None:
    """Most frequent mentions found but not coded in a set of reports (files or folders of .txt)."""
    from .coverage import coverage, coverage_csv, coverage_json, format_coverage

    failed: list[tuple[str, str]] = []

    def texts() -> Iterator[tuple[str, str]]:
        for report_id, path in items:
            try:
                yield report_id, (sys.stdin.read() if path is None else _read_report(path))
            except InputError as exc:
                failed.append((str(path), str(exc)))

    try:
        maps = load_mappings(mappings_dir)
        items = _expand(inputs)
        report = coverage(texts(), mappings=maps)
    except FhirconvError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    report.failed[:0] = failed
    click.echo(format_coverage(report, top), nl=False)
    if csv_path:
        _atomic_write(Path(csv_path), coverage_csv(report))
    if json_path:
        _atomic_write(Path(json_path), coverage_json(report))
    if report.failed:
        sys.exit(EXIT_SOME_FAILED if report.reports else InputError.exit_code)


@main.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=int, default=None, help="Score only the first N documents of each file.")
@click.option("--split", "splits", multiple=True, help="Only documents of this split (repeatable).")
@click.option("--top", type=int, default=8, show_default=True, help="Worst misses / false positives shown.")
@click.option("--mappings", "mappings_dir", type=click.Path(file_okay=False), default=None)
@click.option(
    "--icdo-edition",
    type=click.Choice(["3.2", "3.1"]),
    default="3.2",
    show_default=True,
    help="ICD-O-3 edition of the tumour morphology codes (3.1: for registries still holding ICD-O-3.1 data).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write a self-contained HTML report (figures, worst misses / false positives in context).",
)
def eval_cmd(
    gold: tuple[str, ...],
    limit: int | None,
    splits: tuple[str, ...],
    top: int,
    mappings_dir: str | None,
    icdo_edition: str,
    html_path: str | None,
) -> None:
    """Score conversions against annotated corpora (JSONL, format of shared/corpora/README.md)."""
    from .evaluate import evaluate_corpus

    done = []
    try:
        maps = load_mappings(mappings_dir, icdo_edition=icdo_edition)
        for path in gold:
            report = evaluate_corpus(path, mappings=maps, limit=limit, splits=splits or None)
            done.append((path, report))
            click.echo(f"== {report.corpus} ({path}): {report.documents} documents, {report.seconds:.1f} s")
            for rtype, sc in sorted(report.by_resource_type().items()):
                click.echo(
                    f"   {'type:' + rtype:46} {sc.gold:6} {sc.recall:7.1%} {sc.predicted:6} {sc.precision:9.1%} "
                    f"{sc.f1:6.1%}"
                )
            click.echo(f"   {'metric':46} {'gold':>6} {'recall':>7} {'pred':>6} {'precision':>9} {'F1':>6}")
            for name, sc in sorted(report.scores.items()):
                click.echo(
                    f"   {name:46} {sc.gold:6} {sc.recall:7.1%} {sc.predicted:6} {sc.precision:9.1%} {sc.f1:6.1%}"
                )
            for name, sc in sorted(report.scores.items()):
                if top and sc.misses:
                    worst = ", ".join(f"{t!r}x{n}" for t, n in sc.misses.most_common(top))
                    click.echo(f"   missed  {name}: {worst}")
                if top and sc.false_positives:
                    worst = ", ".join(f"{t!r}x{n}" for t, n in sc.false_positives.most_common(top))
                    click.echo(f"   extra   {name}: {worst}")
            for doc_id, err in report.failed:
                click.echo(f"   failed  {doc_id}: {err}", err=True)
    except FhirconvError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    if html_path:
        from .eval_report import eval_report_html

        try:
            _atomic_write(Path(html_path), eval_report_html(done, top=top))
        except OSError as exc:
            click.echo(f"fhirconv: error: cannot write {html_path}: {exc.strerror}", err=True)
            sys.exit(InputError.exit_code)
        click.echo(f"   html report: {html_path}")


@main.command("show")
@click.argument("report", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-o",
    "--output",
    "output",
    default="-",
    show_default=True,
    help="HTML file to write (atomically), or '-' for standard output.",
)
@click.option("--fhir-version", type=click.Choice(["R4", "R5"]), default="R4", show_default=True)
@click.option("--mappings", "mappings_dir", type=click.Path(file_okay=False), default=None)
def show_cmd(report: str, output: str, fhir_version: str, mappings_dir: str | None) -> None:
    """Convert one report and write a self-contained HTML review page of what was extracted."""
    from .show import review_page

    try:
        maps = load_mappings(mappings_dir)
        path = None if report == "-" else Path(report)
        text = sys.stdin.read() if path is None else _read_report(path)
        report_id = "stdin" if path is None else path.stem
        result = convert(text, report_id=report_id, mappings=maps, fhir_version=fhir_version)
        page = review_page(result)
        if output == "-":
            click.echo(page, nl=False)
        else:
            _atomic_write(Path(output), page)
    except FhirconvError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        click.echo(f"fhirconv: error: cannot write {output}: {exc.strerror}", err=True)
        sys.exit(InputError.exit_code)


# ---- upload (issue 7) -------------------------------------------------------------------------------------------


@main.command("upload")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--server", required=True, envvar="FHIRCONV_SERVER", help="FHIR base URL (env FHIRCONV_SERVER).")
@click.option("--token", envvar="FHIRCONV_TOKEN", default=None, help="Bearer token (env FHIRCONV_TOKEN).")
@click.option("--user", envvar="FHIRCONV_USER", default=None, help="Basic auth user (env FHIRCONV_USER).")
@click.option(
    "--password", envvar="FHIRCONV_PASSWORD", default=None, help="Basic auth password (env FHIRCONV_PASSWORD)."
)
@click.option(
    "--ca-cert",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="CA bundle to verify the server's certificate (verification is always on unless --insecure).",
)
@click.option("--insecure", is_flag=True, help="Do not verify the server's TLS certificate.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for an answer.")
@click.option(
    "--retries",
    type=click.IntRange(0, 20),
    default=4,
    show_default=True,
    help="Retries on 429 / 5xx / timeouts (backoff, Retry-After honoured).",
)
@click.option(
    "--max-entries",
    type=click.IntRange(0),
    default=50,
    show_default=True,
    help="Split transactions above this many entries (0: never split).",
)
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False),
    default="fhirconv-upload",
    show_default=True,
    help="Resume journal (uploaded.jsonl) and failed/ bundles with the server's answer.",
)
@click.option("--dry-run", is_flag=True, help="Convert and prepare the transactions; send nothing.")
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per report on stdout (with the OperationOutcome)."
)
@click.option("--force", is_flag=True, help="Send again reports the journal says are uploaded.")
@click.option("--fhir-version", type=click.Choice(["R4", "R5"]), default="R4", show_default=True)
@click.option("--mappings", "mappings_dir", type=click.Path(file_okay=False), default=None)
def upload_cmd(
    inputs: tuple[str, ...],
    server: str,
    token: str | None,
    user: str | None,
    password: str | None,
    ca_cert: str | None,
    insecure: bool,
    timeout: float,
    retries: int,
    max_entries: int,
    state_dir: str,
    dry_run: bool,
    as_json: bool,
    force: bool,
    fhir_version: str,
    mappings_dir: str | None,
) -> None:
    """Convert reports (.txt) or take bundles (.json) and upload them to a FHIR server as PUT transactions.

    One line per report on stdout (created / updated / failed / skipped); failed bundles are kept in
    STATE-DIR/failed with the server's OperationOutcome, and a re-run sends only what is not uploaded yet.
    """
    from .fhirclient import FhirClient, RetryPolicy
    from .upload import Uploader, UploadResult, find_inputs, read_bundle

    try:
        maps = load_mappings(mappings_dir)
        items = find_inputs(inputs, Path(state_dir))
        client = (
            None
            if dry_run
            else FhirClient(
                server,
                token=token,
                user=user,
                password=password,
                timeout=timeout,
                verify=False if insecure else (ca_cert or True),
                retry=RetryPolicy(attempts=retries + 1),
            )
        )
    except FhirconvError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    uploader = Uploader(
        client, state_dir=None if dry_run else state_dir, max_entries=max_entries, dry_run=dry_run, force=force
    )
    counts: Counter[str] = Counter()
    first_path: dict[str, Path] = {}
    try:
        for report_id, path in items:
            try:
                # resource ids derive from the report id (the file name): a second report with the same id would
                # overwrite the first one's resources on the server
                if first_path.setdefault(report_id, path) != path:
                    raise InputError(f"{path}: same report id as {first_path[report_id]}; rename one of them")
                if path.suffix == ".json":
                    bundle = read_bundle(path)
                else:
                    bundle = convert(
                        _read_report(path),
                        report_id=report_id,
                        mappings=maps,
                        fhir_version=fhir_version,
                        bundle_type="transaction",
                    ).data
                result = uploader.upload(report_id, bundle)
            except FhirconvError as exc:
                result = UploadResult(report_id, "failed", message=str(exc))
            counts[result.status] += 1
            detail = (
                f"{result.entries} entries in {result.transactions} transaction(s)"
                if result.status != "failed"
                else result.message + (f" (saved to {result.saved_to})" if result.saved_to else "")
            )
            if result.status in ("created", "updated"):
                detail += f": {result.created} created, {result.updated} updated"
            if as_json:
                click.echo(json.dumps(dataclasses.asdict(result), ensure_ascii=False))
            else:
                click.echo(f"{result.status}\t{report_id}\t{detail}")
            if result.http_status in (401, 403):
                click.echo("fhirconv: error: the server refused the credentials; stopping", err=True)
                break
    finally:
        if client is not None:
            client.close()
    click.echo("fhirconv: upload: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())), err=True)
    if counts["failed"] or len(items) > sum(counts.values()):
        sys.exit(EXIT_SOME_FAILED if counts["failed"] < sum(counts.values()) else UploadError.exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
