"""The command line: the only place of fhirconv that talks to the terminal.

Exit codes: 0 success; 1 some reports failed (the others were written); 2 usage error; 3 mapping table error;
4 input error (nothing converted); 5 validation error.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from . import __version__
from .errors import FhirconvError, InputError, MappingError
from .io import atomic_write, output_path, read_report, read_stream, safe_output_name, unique_names
from .pipeline import ConversionResult, convert
from .serialise import FORMATS, to_json, to_ndjson_line, to_xml
from .tables import load_mappings

EXIT_SOME_FAILED = 1


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
@click.version_option(__version__, prog_name="fhirconv")
def main() -> None:
    """fhirconv: French clinical case reports -> FHIR Bundles."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output", default="-", show_default=True,
              help="Output folder (one file per report), or '-' for standard output.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True)
@click.option("--fhir-version", type=click.Choice(["R4", "R5"]), default="R4", show_default=True)
@click.option("--bundle-type", type=click.Choice(["collection", "transaction"]), default="collection", show_default=True)
@click.option("--mappings", "mappings_dir", type=click.Path(file_okay=False), default=None,
              help="Folder of overlay tables adding to or overriding the built-in ones.")
@click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
def convert_cmd(inputs: tuple[str, ...], output: str, fmt: str, fhir_version: str, bundle_type: str,
                mappings_dir: str | None, quiet: bool) -> None:
    """Convert reports (files, folders of .txt, or - for stdin) into FHIR Bundles.

    Output files are named after the input: <stem>.json, <stem>.xml, or <stem>.ndjson (one bundle per line);
    with -o - everything goes to standard output (NDJSON: one line per report).
    """
    try:
        maps = load_mappings(mappings_dir)
        items = _expand(inputs)
    except FhirconvError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    failures: list[tuple[str, str]] = []
    counts: Counter[str] = Counter()
    unmapped = 0
    done = 0
    out_dir = None if output == "-" else Path(output)
    # Two inputs with the same stem (a/cas.txt, b/cas.txt) get distinct names (cas, cas-2), used as report id too,
    # so neither the file nor the resource ids of one overwrite the other's.
    names = unique_names([report_id for report_id, _ in items])
    for (report_id, path), name in zip(items, names):
        label = str(path) if path else "<stdin>"
        if name != safe_output_name(report_id):
            click.echo(f"fhirconv: note: {label}: another input has the stem {report_id!r}; "
                       f"written as {name}.{fmt}", err=True)
            report_id = name
        try:
            text = read_stream(sys.stdin.buffer, label) if path is None else _read_report(path)
            result: ConversionResult = convert(text, report_id=report_id, mappings=maps,
                                               fhir_version=fhir_version, bundle_type=bundle_type)
            if fmt == "json":
                content = to_json(result.data)
            elif fmt == "ndjson":
                content = to_ndjson_line(result.data)
            else:
                content = to_xml(result.bundle)
            if out_dir is None:
                click.echo(content if fmt != "json" else content.rstrip("\n"), nl=fmt == "json")
            else:
                _atomic_write(output_path(out_dir, name, fmt), content)
        except FhirconvError as exc:
            failures.append((label, str(exc)))
            continue
        except OSError as exc:  # the output folder is not writable, the disk is full ...
            failures.append((label, f"cannot write output ({exc.strerror or exc})"))
            continue
        except Exception as exc:  # noqa: BLE001 - a bug on one report must not stop the batch; it is reported
            # type and code location only: the message of an unexpected error may quote the report (docs/SECURITY.md)
            tb = exc.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            where = f" at {Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb is not None else ""
            failures.append((label, f"internal error, please report it: {type(exc).__name__}{where}"))
            continue
        done += 1
        counts.update(result.resource_counts())
        unmapped += len(result.unmapped)
    if not quiet:
        by_type = ", ".join(f"{t} {n}" for t, n in sorted(counts.items()))
        click.echo(f"fhirconv: {done} report(s) converted, {len(failures)} failed; resources: {by_type or 'none'}; "
                   f"unmapped mentions: {unmapped}", err=True)
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
def mappings_check(overlay: str | None) -> None:
    """Validate the built-in tables (and an overlay folder); print rows per table."""
    try:
        maps = load_mappings(overlay)
    except MappingError as exc:
        click.echo(f"fhirconv: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for name, info in sorted(maps.info.items()):
        click.echo(f"{name:20} {info.rows:6} rows  {info.path}")
    click.echo("ok")


@main.command("eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", type=int, default=None, help="Score only the first N documents of each file.")
@click.option("--split", "splits", multiple=True, help="Only documents of this split (repeatable).")
@click.option("--top", type=int, default=8, show_default=True, help="Worst misses / false positives shown.")
@click.option("--mappings", "mappings_dir", type=click.Path(file_okay=False), default=None)
def eval_cmd(gold: tuple[str, ...], limit: int | None, splits: tuple[str, ...], top: int, mappings_dir: str | None) -> None:
    """Score conversions against annotated corpora (JSONL, format of shared/corpora/README.md)."""
    from .evaluate import evaluate_corpus

    try:
        maps = load_mappings(mappings_dir)
        for path in gold:
            report = evaluate_corpus(path, mappings=maps, limit=limit, splits=splits or None)
            click.echo(f"== {report.corpus} ({path}): {report.documents} documents, {report.seconds:.1f} s")
            click.echo(f"   {'metric':46} {'gold':>6} {'recall':>7} {'pred':>6} {'precision':>9} {'F1':>6}")
            for name, sc in sorted(report.scores.items()):
                click.echo(f"   {name:46} {sc.gold:6} {sc.recall:7.1%} {sc.predicted:6} {sc.precision:9.1%} {sc.f1:6.1%}")
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


if __name__ == "__main__":  # pragma: no cover
    main()
