"""Throughput, memory and scale-out of fhirconv (issue 8), with an EDS-NLP rule pipeline as a reference point.

    python benchmarks/throughput.py                  # everything (about 10 minutes on an idle 2-core machine)
    python benchmarks/throughput.py --quick          # smaller batches, for a quick look
    python benchmarks/throughput.py --only speed,eds # a subset: distinct, speed, eds, formats, cold, linear, jobs, stream

Corpus: the seed reports (fixtures/) repeated, plus the texts of ../shared/corpora/dev/*.jsonl when present (they
are read, never copied). Figures:
- distinct: FRACCO cases (the kind of report the seeds are) converted once each, first in the process: the honest
  figure for "reports like the seeds" (no repeated text, validation cache starting empty).
- speed: reports/s on one core to validated R4 JSON; ms per report by stage (mentions = normalise to values,
  building = resources + bundle, validation, serialisation); wall time and CPU time (CPU time is the stable figure
  when other processes share the machine); peak RSS of this process.
- formats: serialisation ms per report for JSON, NDJSON and FHIR XML.
- eds: the same texts through two EDS-NLP rule pipelines when edsnlp is importable (see
  benchmarks/requirements-edsnlp.txt): "lean" (sentences, normalizer, matcher on fhirconv's own table terms,
  negation, hypothesis, family: the issue's reference point) and "same jobs" (the lean one plus EDS-NLP's components
  for the other things fhirconv extracts: sections, dates, quantities, TNM, drugs, CIM-10, history, reported speech).
- cold: `fhirconv convert one.txt` as a new process, for --format json / xml / ndjson (median of 5).
- linear: a report 100x longer than a seed (the seeds concatenated) against the seeds, CPU time per character: the
  long report and a block of as many characters of seeds, each text new to the process, timed in turns, best of 5.
- jobs: `fhirconv convert DIR --jobs 1` against `--jobs 2` on the same folder, in turns (wall time; load average
  shown), next to the best ratio the batch's serial part allows (Amdahl; the serial part: a one-report run).
- stream: peak RSS of `fhirconv convert DIR -o out --format ndjson` over 10,000 reports.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if not os.environ.get("FHIRCONV_BENCH_INSTALLED"):  # =1: the installed fhirconv (the compiled build, README "Speed")
    sys.path.insert(0, str(ROOT))

import fhirconv  # noqa: E402
from fhirconv.tables import MENTION_TABLES  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora" / "dev"
FHIRCONV = [sys.executable, "-m", "fhirconv"]
# The child processes import the installed fhirconv too: "python -c" and "-m" put the current folder first on
# sys.path, and a run from a checkout measured the checkout's pure source instead (-P leaves it out; Python 3.11+).
_CHILD_FLAGS = ["-P"] if os.environ.get("FHIRCONV_BENCH_INSTALLED") and sys.version_info >= (3, 11) else []
ALL = ("distinct", "speed", "formats", "eds", "cold", "linear", "jobs", "stream")


def load_texts(corpus_limit: int, seed_copies: int) -> tuple[list[str], list[str]]:
    """(seed texts, benchmark texts): the seeds repeated, then up to ``corpus_limit`` distinct corpus texts."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").glob("*.txt"))]
    texts = seeds * seed_copies
    seen = set(seeds)
    if CORPORA.is_dir():
        for path in sorted(CORPORA.glob("*.jsonl")):
            with path.open(encoding="utf-8") as f:
                for line in f:
                    text = json.loads(line)["text"]
                    if text not in seen and len(texts) < len(seeds) * seed_copies + corpus_limit:
                        seen.add(text)
                        texts.append(text)
    return seeds, texts


def clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def speed(texts: list[str]) -> float:
    """One core, end to end to R4 JSON; returns CPU ms per report."""
    fhirconv.convert(texts[0])  # tables and models loaded outside the measure
    stages: dict[str, float] = {}
    w0, c0 = clock()
    for text in texts:
        result = fhirconv.convert(text)
        t = time.perf_counter()
        fhirconv.to_json(result.data)
        stages["serialisation"] = stages.get("serialisation", 0.0) + time.perf_counter() - t
        for k, v in result.timings.items():
            stages[k] = stages.get(k, 0.0) + v
    w1, c1 = clock()
    n = len(texts)
    cpu_ms = (c1 - c0) / n * 1000
    chars = sum(map(len, texts)) / n
    print(
        f"speed: {n} reports (mean {chars:.0f} characters): {n / (w1 - w0):.1f} reports/s wall, "
        f"{1000 / cpu_ms:.1f} reports/s by CPU time; {(w1 - w0) / n * 1000:.1f} ms wall, {cpu_ms:.1f} ms CPU per report"
    )
    total = sum(stages.values())
    print(
        "  ms per report by stage (wall): "
        + ", ".join(f"{k} {v / n * 1000:.2f} ({v / total:.0%})" for k, v in stages.items())
    )
    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return cpu_ms


def distinct(n: int) -> None:
    """FRACCO cases (the kind of report the seeds are, the seeds among them), each converted once, in this process's
    first conversions: no text is seen twice, and the validation cache (shapecheck.py) starts empty."""
    path = CORPORA / "fracco.jsonl"
    if not path.is_file():
        print("distinct: ../shared/corpora/dev/fracco.jsonl not found, skipped")
        return
    with path.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f][:n]
    fhirconv.load_mappings()
    costs: list[float] = []
    stages: dict[str, float] = {}
    for text in texts:
        _, c0 = clock()
        result = fhirconv.convert(text)
        fhirconv.to_json(result.data)
        costs.append(time.process_time() - c0)
        for k, v in result.timings.items():
            stages[k] = stages.get(k, 0.0) + v
    chars = sum(map(len, texts)) / len(texts)
    cpu_ms = sum(costs) / len(costs) * 1000
    first = sum(costs[:20]) / 20 * 1000
    total = sum(stages.values())
    print(
        f"distinct: {len(texts)} FRACCO cases once each (mean {chars:.0f} characters; seeds mean 5454): "
        f"{1000 / cpu_ms:.1f} reports/s by CPU time, {cpu_ms:.1f} ms CPU per report ({first:.1f} ms for the first 20, "
        f"validation cache empty); {cpu_ms / chars * 1000:.2f} us CPU per character"
    )
    print("  share by stage (wall): " + ", ".join(f"{k} {v / total:.0%}" for k, v in stages.items()))


def formats(texts: list[str]) -> None:
    results = [fhirconv.convert(t) for t in texts[:60]]
    for name, fn in (
        ("json", lambda r: fhirconv.to_json(r.data)),
        ("ndjson", lambda r: fhirconv.to_ndjson_line(r.data)),
        ("xml", lambda r: fhirconv.to_xml(r.data)),
    ):
        _, c0 = clock()
        for r in results:
            fn(r)
        _, c1 = clock()
        print(f"formats: {name:6} serialisation {(c1 - c0) / len(results) * 1000:.2f} ms CPU per report")


def eds_reference(texts: list[str], fhirconv_cpu_ms: float | None) -> None:
    os.environ.setdefault("TQDM_DISABLE", "1")  # edsnlp's term loading draws progress bars
    try:
        import edsnlp
        import edsnlp.pipes as eds
        from loguru import logger  # edsnlp's logger: its "still in Beta" warnings are not benchmark output

        logger.disable("edsnlp")
    except ImportError:
        print(
            "eds: edsnlp is not importable here; for the reference run, in a separate environment:\n"
            "  python -m venv .venv-bench && .venv-bench/bin/pip install -e . -r benchmarks/requirements-edsnlp.txt\n"
            "  .venv-bench/bin/python benchmarks/throughput.py --only speed,eds"
        )
        return
    maps = fhirconv.load_mappings()
    terms: dict[str, list[str]] = {}
    for table, refs in maps.rows.items():
        kind = MENTION_TABLES.get(table, "condition" if table == "cim10.csv" else None)
        for ref in refs if kind else []:
            term = getattr(ref.row, "term", None) or getattr(ref.row, "alias", None)
            if term:
                terms.setdefault(kind, []).append(term)  # type: ignore[arg-type]
    n_terms = sum(map(len, terms.values()))
    # Two references. "lean": the least a rule pipeline needs to find the table terms with their assertions; the
    # issue's reference point. "same jobs": EDS-NLP's own components for what fhirconv does beyond that (sections,
    # dates, measurements, TNM, drugs, CIM-10, history, reported speech); still no coding to FHIR and no validation.
    lean = [
        eds.sentences(),
        eds.normalizer(),
        eds.matcher(terms=terms, attr="NORM"),
        eds.negation(),
        eds.hypothesis(),
        eds.family(use_sections=False),
    ]
    same_jobs = [
        eds.sentences(),
        eds.normalizer(),
        eds.sections(),
        eds.matcher(terms=terms, attr="NORM"),
        eds.dates(),
        eds.quantities(),
        eds.tnm(),
        eds.drugs(term_matcher="exact"),
        eds.cim10(term_matcher="exact"),
        eds.negation(),
        eds.hypothesis(),
        eds.family(),
        eds.history(),
        eds.reported_speech(),
    ]
    for name, pipes, what in (
        ("lean", lean, f"sentences, normalizer, matcher on {n_terms} fhirconv terms, negation, hypothesis, family"),
        (
            "same jobs",
            same_jobs,
            "the lean pipeline + sections, dates, quantities, tnm, drugs, cim10, history, reported speech",
        ),
    ):
        nlp = edsnlp.blank("eds")
        for pipe in pipes:
            nlp.add_pipe(pipe)
        nlp(texts[0])
        w0, c0 = clock()
        spans = 0
        for t in texts:
            doc = nlp(t)
            spans += len(doc.ents) + sum(len(g) for g in doc.spans.values())
        w1, c1 = clock()
        n = len(texts)
        cpu_ms = (c1 - c0) / n * 1000
        print(
            f"eds ({name}): EDS-NLP {edsnlp.__version__} rules ({what}): {n / (w1 - w0):.1f} reports/s wall, "
            f"{cpu_ms:.1f} ms CPU per report, {spans / n:.0f} spans per report (no coding, no FHIR, no validation)"
        )
        if fhirconv_cpu_ms:
            print(f"  fhirconv end to end / EDS-NLP ({name}): {cpu_ms / fhirconv_cpu_ms:.2f}x the EDS-NLP speed")


# The peak RSS of a child is read by the child itself (VmHWM of its own memory map, at exit): the ru_maxrss that
# wait4 returns keeps, across exec, the high-water mark of the memory the child shared with this (large) process
# when it was forked, so it reported this benchmark's own size, not fhirconv's.
_PEAK = (
    "import atexit, os, runpy, sys\n"
    "def _peak():\n"
    "    with open('/proc/self/status') as f, open(os.environ['FHIRCONV_BENCH_PEAK'], 'w') as out:\n"
    "        ru = __import__('resource').getrusage(__import__('resource').RUSAGE_SELF)\n"
    "        out.write(next(x.split()[1] for x in f if x.startswith('VmHWM:')) + f' {ru.ru_utime + ru.ru_stime}')\n"
    "atexit.register(_peak)\n"
    "sys.argv = ['fhirconv', *sys.argv[1:]]\n"
    "runpy.run_module('fhirconv', run_name='__main__', alter_sys=True)\n"
)


def run_child(args: list[str], **kw: Any) -> tuple[float, float, float, int, float]:
    """(wall s, CPU s, peak RSS MB of the fhirconv process, exit code, CPU s of the main process alone); ``args`` is
    FHIRCONV + its arguments. CPU time includes the workers it waited for; the peak is that of the main process
    (Linux; 0 elsewhere)."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        env = {**os.environ, "FHIRCONV_BENCH_PEAK": peak.name}
        launcher = (
            [sys.executable, *_CHILD_FLAGS, "-c", _PEAK]
            if Path("/proc/self/status").exists()
            else [*FHIRCONV[:1], *_CHILD_FLAGS, "-m", "fhirconv"]
        )
        w0 = time.perf_counter()
        p = subprocess.Popen(
            launcher + args[len(FHIRCONV) :], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, **kw
        )
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - w0
        p.returncode = os.waitstatus_to_exitcode(status)
        text = Path(peak.name).read_text().split()
    cpu = ru.ru_utime + ru.ru_stime
    return wall, cpu, int(text[0]) / 1024 if text else 0.0, p.returncode, float(text[1]) if text else cpu


def cold(tmp: Path, seeds: list[str]) -> None:
    one = tmp / "one.txt"
    one.write_text(seeds[0], encoding="utf-8")
    run_child(FHIRCONV + ["convert", str(one), "-q"])  # fills the tables cache, as any first run does
    for fmt in ("json", "xml", "ndjson"):
        runs = [run_child(FHIRCONV + ["convert", str(one), "-q", "--format", fmt]) for _ in range(5)]
        assert all(r[3] == 0 for r in runs)
        print(
            f"cold: fhirconv convert one.txt --format {fmt:6}: {statistics.median(r[0] for r in runs):.2f} s wall, "
            f"{statistics.median(r[1] for r in runs):.2f} s CPU (median of 5)"
        )


_BLANKS = str.maketrans("01", " \n")


def linear(seeds: list[str], rounds: int = 5) -> None:
    mean_len = sum(map(len, seeds)) / len(seeds)
    long_text = "\n\n".join(seeds * 100)
    while len(long_text) > 100 * mean_len + len(seeds[-1]):
        long_text = long_text[: long_text.rfind("\n\n")]
    # the short side: the seeds one after another, as many as make the long report's length, timed as one block, so
    # that both sides are timed over windows of the same length, the same number of times. Before, each seed was
    # timed alone (~10 ms, 6 times) against the long report (~1 s, 3 times): the best of many short windows on this
    # VM, shared with other processes, against the best of a few long ones, which put the load into the ratio
    batch = seeds * max(1, round(len(long_text) / sum(map(len, seeds))))
    _serial = itertools.count(1)

    def cost(texts: list[str]) -> float:
        """CPU seconds per character of converting ``texts`` one after another to JSON, timed as one block."""
        # texts not seen before, as a user's reports are: the library keeps what it computed for its last 8 texts
        # (lru_cache keyed by the text, so an equal copy hits too: normalise._split, tables/prefilter.py), and a
        # text converted again cost ~18 % fewer instructions (callgrind, the seeds). Each copy ends with its own
        # serial number written in blanks (a space for 0, a newline for 1: ~10 characters the conversion skips).
        # New texts, a seed costs more CPU time per character than the long report (~2.3 against ~1.8 us, though
        # callgrind counts ~4 % fewer instructions per character for it): so the figure is below 100x
        fresh = [t + "\n" + f"{next(_serial):b}".translate(_BLANKS) for t in texts]
        gc.collect()  # both sides start with the collector's generations empty: neither pays for the other's garbage
        _, c0 = clock()
        for text in fresh:
            fhirconv.to_json(fhirconv.convert(text).data)
        return (time.process_time() - c0) / sum(map(len, texts))

    factor = len(long_text) / mean_len
    fhirconv.load_mappings()  # the library freezes the objects alive after loading the tables (tables/__init__.py)
    cost(seeds)  # warm-up: the validation models of the seeds' resources are loaded outside the measure
    for frozen in (True, False):
        if not frozen:  # the library before it froze its tables
            gc.unfreeze()
        # short and long measured in turns, the best of each kept: this VM's speed drifts by 10-20 % over a minute,
        # and measuring all the short ones, then the long one, put the drift into the ratio
        shorts, longs = [], []
        for _ in range(rounds):
            shorts.append(cost(batch))
            longs.append(cost([long_text]))
        short, long = min(shorts), min(longs)
        spread = sorted(lo / sh * factor for sh, lo in zip(shorts, longs))
        print(
            f"linear{' (library as is)' if frozen else ' (tables not frozen: gc.unfreeze(), the library before)'}: "
            f"a report {factor:.0f}x longer ({len(long_text)} characters) costs {long / short * factor:.0f}x the time "
            f"of a seed ({long * 1e6:.2f} vs {short * 1e6:.2f} us CPU per character, best of {rounds} blocks of "
            f"{len(long_text)} and {sum(map(len, batch))} characters; the rounds' own ratios "
            f"{spread[0]:.0f}-{spread[-1]:.0f}x; target <= 120x)"
        )
    gc.freeze()
    # the worst case for "a clause / a sentence" windows: the seeds with every sentence end removed, one "sentence"
    flat = re.sub(r"[.;:!?\n]", " ", " ".join(seeds))
    giant = " ".join([flat] * 16)
    small, big = min(cost([flat]) for _ in range(3)), cost([giant])
    print(
        f"linear (no sentence ends): the seeds as one sentence ({len(flat)} characters) and 16x that "
        f"({len(giant)} characters): {big / small:.2f}x the time per character ({small * 1e6:.1f} vs "
        f"{big * 1e6:.1f} us CPU per character)"
    )


def write_folder(folder: Path, texts: list[str], n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"r{i:05d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")


def jobs(tmp: Path, texts: list[str], n: int, rounds: int) -> None:
    """``--jobs 1`` and ``--jobs 2`` on the same folder, in turns (1, 2, 1, 2 ...): this VM's speed drifts over a
    minute, and a single pair put the drift into the ratio. Before each run the dirty pages of the previous run's
    output are flushed (sync), so that neither run pays for the other's writes; the input files were just written
    (page cache warm) and the tables cache is filled by a first run, for both alike.

    Each ratio is shown next to the best --jobs 2 can do with the batch's serial part (Amdahl): start-up, tables,
    the first conversion (which warms up what every conversion needs) and exit happen once, whatever the number of
    processes; their wall time is that of a one-report run (median of 3, measured before each round). With S that
    and W = wall(--jobs 1) - S, two processes take at best S + W / 2."""
    folder = tmp / "jobs"
    write_folder(folder, texts, n)
    one = [str(folder / "r00000.txt"), "-o", str(tmp / "jobs-one"), "-q"]
    run_child(FHIRCONV + ["convert", *one])
    ratios = []
    for r in range(rounds):
        serial = statistics.median(run_child(FHIRCONV + ["convert", *one])[0] for _ in range(3))
        walls = {}
        for j in (1, 2):
            out = tmp / f"jobs-out{j}"
            shutil.rmtree(out, ignore_errors=True)
            os.sync()
            load = os.getloadavg()[0]
            wall, cpu, _, code, own = run_child(FHIRCONV + ["convert", str(folder), "-o", str(out), "-q", "-j", str(j)])
            assert code == 0
            walls[j] = wall
            print(
                f"jobs: round {r + 1} --jobs {j}: {n} reports in {wall:.2f} s wall ({n / wall:.1f} reports/s), "
                f"{cpu / n * 1000:.1f} ms CPU per report (main process alone: {own:.2f} s CPU); load average "
                f"before {load:.2f}, after {os.getloadavg()[0]:.2f}"
            )
        ratios.append(walls[1] / walls[2])
        limit = walls[1] / (serial + (walls[1] - serial) / 2)
        same = all((tmp / "jobs-out1" / p.name).read_bytes() == p.read_bytes() for p in (tmp / "jobs-out2").iterdir())
        print(
            f"  round {r + 1}: speed-up --jobs 2 / --jobs 1: {ratios[-1]:.2f}x wall; same files: {same}; serial part "
            f"(a one-report run) {serial:.2f} s: at best {limit:.2f}x, reached {ratios[-1] / limit * 100:.0f} %"
        )
    print(
        f"jobs: speed-up over {rounds} rounds: median {statistics.median(ratios):.2f}x, min {min(ratios):.2f}x, "
        f"max {max(ratios):.2f}x (2 cores; meaningful only on an idle machine: see the load averages)"
    )


def stream(tmp: Path, texts: list[str], n: int) -> None:
    folder = tmp / "stream"
    write_folder(folder, texts, n)
    out = tmp / "stream-out"
    wall, cpu, rss, code, _ = run_child(FHIRCONV + ["convert", str(folder), "-o", str(out), "--format", "ndjson", "-q"])
    assert code == 0, code
    print(f"stream: {n} reports, one process: peak RSS {rss:.0f} MB, {wall:.0f} s wall, {n / cpu:.1f} reports/s CPU")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=",".join(ALL), help=f"comma-separated subset of {','.join(ALL)}")
    ap.add_argument("--seed-copies", type=int, default=20)
    ap.add_argument("--corpus-limit", type=int, default=300, help="distinct corpus texts added to the seeds")
    ap.add_argument("--jobs-reports", type=int, default=1200)
    ap.add_argument("--jobs-rounds", type=int, default=3, help="--jobs 1 / --jobs 2 pairs, run in turns")
    ap.add_argument("--distinct-reports", type=int, default=750, help="FRACCO cases converted once each")
    ap.add_argument("--stream-reports", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="5 seed copies, 60 corpus texts, 100 / 1,000 reports")
    args = ap.parse_args()
    if args.quick:
        args.seed_copies, args.corpus_limit, args.jobs_reports, args.stream_reports = 5, 60, 100, 1000
        args.distinct_reports = 200
    only = set(args.only.split(","))
    seeds, texts = load_texts(args.corpus_limit, args.seed_copies)
    print(
        f"fhirconv {fhirconv.__version__} ({'compiled with mypyc' if fhirconv.COMPILED else 'pure Python'}, "
        f"{Path(fhirconv.__file__).parent}), Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}; corpus: {len(texts)} texts ({args.seed_copies}x {len(seeds)} seeds + "
        f"{len(texts) - len(seeds) * args.seed_copies} corpus texts)"
    )
    steps: dict[str, Callable[[], Any]] = {}
    cpu_ms: list[float] = []
    with tempfile.TemporaryDirectory(prefix="fhirconv-bench-") as tmp_name:
        tmp = Path(tmp_name)
        steps = {
            "distinct": lambda: distinct(args.distinct_reports),
            "speed": lambda: cpu_ms.append(speed(texts)),
            "formats": lambda: formats(texts),
            "eds": lambda: eds_reference(texts, cpu_ms[0] if cpu_ms else None),
            "cold": lambda: cold(tmp, seeds),
            "linear": lambda: linear(seeds),
            "jobs": lambda: jobs(tmp, texts, args.jobs_reports, args.jobs_rounds),
            "stream": lambda: stream(tmp, texts, args.stream_reports),
        }
        for name in ALL:
            if name in only:
                steps[name]()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
