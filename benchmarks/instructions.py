"""Instructions per report, steady state, counted by callgrind: a figure that does not move with the host's load.

    python benchmarks/instructions.py                       # 40 measured FRACCO cases after 100 of warm-up
    python benchmarks/instructions.py --cases 40 --top 30   # plus the 30 functions that cost most (exclusive)
    python benchmarks/instructions.py --inclusive --top 60 # functions with what they call: the cost of each stage
    python benchmarks/instructions.py --save run.json       # keep the per-function counts ...
    python benchmarks/instructions.py --against run.json    # ... and print what moved since (per function)

Run it with the python of the build to measure (a compiled venv: FHIRCONV_BENCH_INSTALLED=1 venv/bin/python ...).
Two callgrind runs of one script: both load the tables and convert FRACCO cases 100-199 (warm-up: regex caches,
the validation cache, lazy imports); the second then converts cases 0 to N-1 to R4 JSON. The figure is
(second - first) / N, so start-up, table loading and warm-up cancel out. PYTHONHASHSEED=0 in both, so set and dict
orders, and with them the instruction counts, repeat from run to run. Needs valgrind (Debian: valgrind).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRACCO = ROOT.parent / "shared" / "corpora" / "dev" / "fracco.jsonl"

RUNNER = """
import json, sys
import fhirconv
n = int(sys.argv[2])
with open(sys.argv[1], encoding="utf-8") as f:
    texts = [json.loads(line)["text"] for line in f]
fhirconv.load_mappings()
for text in texts[100:200]:
    fhirconv.to_json(fhirconv.convert(text).data)
for text in texts[:n]:
    fhirconv.to_json(fhirconv.convert(text).data)
"""

# the folders a function's file lies in that change from build to build: pip's and pyenv's temporary ones (with or
# without /tmp/ in front, as callgrind found the interpreter's sources) and the checkout a compiled build was made in
_BUILD_DIRS = re.compile(
    r"(?:/tmp/)?(?:pip-build-env|python-build)[^/ ]*/(?:[^ :]*?/site-packages/|Python-[\d.]+/(?:\./)?)?"
    r"|[^ :]*/build/compiled/"
)
_FN_LINE = re.compile(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(.+?)\s*$")


def _callgrind(python: str, n: int, workdir: Path, inclusive: bool) -> tuple[int, dict[str, int]]:
    """(total instructions, instructions by function) of one run of RUNNER with ``n`` measured cases: exclusive
    counts, or inclusive ones (a function with what it calls; recursion can count a call twice)."""
    out = workdir / f"cg.{n}"
    env = dict(os.environ, PYTHONHASHSEED="0")
    if not os.environ.get("FHIRCONV_BENCH_INSTALLED"):
        env["PYTHONPATH"] = str(ROOT)
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            python,
            "-P",
            "-c",
            RUNNER,
            str(FRACCO),
            str(n),
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    report = subprocess.run(
        [
            "callgrind_annotate",
            "--threshold=100",
            f"--inclusive={'yes' if inclusive else 'no'}",
            "--tree=none",
            str(out),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    total = 0
    functions: dict[str, int] = {}
    for line in report.splitlines():
        m = _FN_LINE.match(line)
        if not m or "=>" in line:
            continue
        count = int(m.group(1).replace(",", ""))
        # the same function in two builds: without the object file and the build's temporary folders in its name
        name = _BUILD_DIRS.sub("", m.group(2).split(" [", 1)[0])
        if name.startswith("PROGRAM TOTALS"):
            total = count
        elif ":" in name and not name.startswith("Ir"):
            functions[name] = functions.get(name, 0) + count
    return total, functions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=40, help="measured cases (FRACCO 0..N-1); default 40")
    parser.add_argument("--top", type=int, default=0, help="print the N functions that cost most per report")
    parser.add_argument("--inclusive", action="store_true", help="count functions with what they call (by stage)")
    parser.add_argument("--save", type=Path, help="write the per-report counts (total and by function) as JSON")
    parser.add_argument("--against", type=Path, help="a --save file: print the functions that moved most since")
    args = parser.parse_args()
    if not FRACCO.is_file():
        sys.exit(f"instructions: {FRACCO} not found (../shared/corpora beside the repository)")
    if not shutil.which("valgrind"):
        sys.exit("instructions: valgrind not found (Debian: apt-get install valgrind)")
    env = dict(os.environ)
    if not os.environ.get("FHIRCONV_BENCH_INSTALLED"):
        env["PYTHONPATH"] = str(ROOT)
    # The tables cache is written before either run: a cache written by the first run only would bias the figure.
    subprocess.run([sys.executable, "-P", "-c", "import fhirconv; fhirconv.load_mappings()"], check=True, env=env)
    with tempfile.TemporaryDirectory() as tmp:
        base_total, base_fns = _callgrind(sys.executable, 0, Path(tmp), args.inclusive)
        total, fns = _callgrind(sys.executable, args.cases, Path(tmp), args.inclusive)
    per_report = (total - base_total) / args.cases
    by_fn = {k: (v - base_fns.get(k, 0)) / args.cases for k, v in fns.items()}
    print(f"instructions per report, steady state: {per_report / 1e6:.2f} M ({args.cases} FRACCO cases)")
    ranked = sorted(by_fn.items(), key=lambda kv: -kv[1])
    for name, count in ranked[: args.top]:
        print(f"  {count / 1e6:8.3f} M  {name}")
    if args.against:
        old = json.loads(args.against.read_text(encoding="utf-8"))
        print(f"against {args.against}: {old['per_report'] / 1e6:.2f} M -> {per_report / 1e6:.2f} M")
        names = set(old["functions"]) | set(by_fn)
        moved = sorted(names, key=lambda k: -abs(by_fn.get(k, 0.0) - old["functions"].get(k, 0.0)))
        for name in moved[:25]:
            delta = by_fn.get(name, 0.0) - old["functions"].get(name, 0.0)
            print(f"  {delta / 1e6:+8.3f} M  {name}")
    if args.save:
        args.save.write_text(json.dumps({"per_report": per_report, "functions": by_fn}), encoding="utf-8")


if __name__ == "__main__":
    main()
