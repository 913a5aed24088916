"""Per-report cost of fhirconv on the seed reports (one core): reports/s, ms per stage, peak memory.

    python benchmarks/throughput.py [--rounds 20]

A first measure; issue 8 extends it (EDS-NLP reference, cold start, XML/NDJSON, --jobs, 10,000 reports).
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import fhirconv

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures").glob("*.txt"))]
    fhirconv.convert(texts[0])  # load tables and models once, outside the measure
    stages: dict[str, float] = {}
    n = 0
    serialise = 0.0
    start = time.perf_counter()
    for _ in range(args.rounds):
        for text in texts:
            result = fhirconv.convert(text)
            t = time.perf_counter()
            fhirconv.to_json(result.data)
            serialise += time.perf_counter() - t
            for k, v in result.timings.items():
                stages[k] = stages.get(k, 0.0) + v
            n += 1
    elapsed = time.perf_counter() - start
    per = {k: f"{v / n * 1000:.1f} ms" for k, v in stages.items()}
    per["serialisation"] = f"{serialise / n * 1000:.1f} ms"
    print(f"{n} reports, {n / elapsed:.1f} reports/s on one core, {elapsed / n * 1000:.1f} ms/report")
    print("per report by stage:", per)
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
