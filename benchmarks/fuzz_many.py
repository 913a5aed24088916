"""The once-off large run of the property tests (issue 10): N generated report-like texts (default 10,000), every
failure recorded instead of stopping at the first one, plus a determinism check (same text -> same bytes).

    .venv/bin/python benchmarks/fuzz_many.py [-n 10000] [--seed 10] [--failures out.jsonl]
    .venv/bin/python benchmarks/fuzz_many.py --long 5        # one 5 MB report: CPU time, wall time, peak memory
    .venv/bin/python benchmarks/fuzz_many.py --long 1 --no-stops   # one 1 MB sentence (no full stop, no line break)

Properties: tests/test_properties.py (check_report). Needs the test extra (hypothesis).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

import fhirconv  # noqa: E402
from tests.test_properties import _MAPS, check_report, reports  # noqa: E402


def fuzz(n: int, run_seed: int, failures_path: Path | None) -> int:
    cases = 0
    chars = 0
    failures: list[dict[str, str]] = []
    kinds: Counter[str] = Counter()

    @seed(run_seed)
    @settings(
        max_examples=n, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)
    )
    @given(reports())
    def run(text: str) -> None:
        nonlocal cases, chars
        cases += 1
        chars += len(text)
        try:
            result = check_report(text)
            if result is not None:
                again = fhirconv.convert(text, report_id="prop", mappings=_MAPS)
                assert fhirconv.to_json(again.data) == fhirconv.to_json(result.data), "not deterministic"
        except Exception as exc:  # noqa: BLE001 - every failure is recorded, the run goes on
            kinds[f"{type(exc).__name__}: {str(exc)[:120]}"] += 1
            failures.append({"text": text, "error": traceback.format_exc(limit=3)})

    t0, c0 = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"fuzz: {cases} generated reports ({chars / max(cases, 1):.0f} characters on average), "
        f"{len(failures)} failures, {wall:.0f} s wall, {cpu:.0f} s CPU, seed {run_seed}"
    )
    for kind, count in kinds.most_common(20):
        print(f"  {count:5} x {kind}")
    if failures_path and failures:
        with failures_path.open("w", encoding="utf-8") as f:
            for fail in failures:
                f.write(json.dumps(fail, ensure_ascii=False) + "\n")
        print(f"failing texts written to {failures_path}")
    return 1 if failures else 0


def long_report(megabytes: float, no_stops: bool = False) -> int:
    """Convert one report of ``megabytes`` MB made of the seed reports in a row; with ``no_stops`` without full
    stops or line breaks, so that the whole report is one sentence (the worst case for cue, relative, site and
    value scopes, which work within a sentence)."""
    seeds = sorted((ROOT / "fixtures").glob("*.txt"))
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in seeds)
    if no_stops:
        base = re.sub(r"[.!?\n]+", " ", base)
    size = int(megabytes * 1024 * 1024)
    text = (base * (size // len(base) + 1))[:size]
    fhirconv.convert(base, mappings=_MAPS)  # warm the caches and models
    t0, c0 = time.perf_counter(), time.process_time()
    result = fhirconv.convert(text, report_id="long", mappings=_MAPS)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    print(
        f"long report{' without sentence ends' if no_stops else ''}: {len(text) / 1e6:.2f} M characters, {len(result.mentions)} mentions, "
        f"{len(result.data['entry'])} resources; {cpu:.1f} s CPU, {wall:.1f} s wall ({stages}); "
        f"peak RSS {rss:.0f} MB"
    )
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="generated reports (default 10000)")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--failures", type=Path, default=None, help="write failing texts here (JSONL)")
    ap.add_argument("--long", type=float, default=None, metavar="MB", help="time one report of MB megabytes instead")
    ap.add_argument("--no-stops", action="store_true", help="with --long: one giant sentence (no . ! ? or line break)")
    args = ap.parse_args()
    if args.long:
        return long_report(args.long, args.no_stops)
    return fuzz(args.n, args.seed, args.failures)


if __name__ == "__main__":
    sys.exit(main())
