"""Score medication extraction on the annotated snippets of tests/data/med_samples.yaml.

Prints drug-mention recall and precision, then on found drugs the share with the right ATC code, dose (value and
UCUM unit), route, timing, as-needed flag, status, regimen and reason, then every miss.

    python benchmarks/eval_medications.py [--samples tests/data/med_samples.yaml]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fhirconv  # noqa: E402
from tests.med_samples import FIELDS, SAMPLES, load_samples, score  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=SAMPLES)
    args = ap.parse_args()
    samples = load_samples(args.samples)
    sc = score(samples, lambda text: fhirconv.convert(text))
    print(f"{len(samples)} samples, {sc.gold} gold drugs, {sc.outputs} MedicationStatements")
    print(f"drug mentions: recall {sc.recall:.0%} ({sc.found}/{sc.gold}), "
          f"precision {sc.precision:.0%} ({sc.hits}/{sc.outputs})")
    for what in FIELDS:
        print(f"  {what:10} {sc.right[what]:3}/{sc.asked[what]:<3} {sc.rate(what):5.0%}")
    for line in sc.problems:
        print("  " + line)


if __name__ == "__main__":
    main()
