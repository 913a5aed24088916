"""Print the differences between fhirconv's output on the seed reports and the hand-written expected facts,
with per-type recall; ``--write-gaps`` rewrites fixtures/golden/known_gaps.lst from them (review the diff!)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fhirconv  # noqa: E402
from tests.golden import compare, load_expected  # noqa: E402


def main() -> None:
    lines = []
    facts = Counter()
    missing = Counter()
    wrong_facts = Counter()
    extra = Counter()
    for seed in sorted((ROOT / "fixtures").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        expected = load_expected(str(ROOT / "fixtures" / "golden" / f"{seed.stem}.expected.yaml"))
        result = fhirconv.convert(text, report_id=seed.stem)
        diffs = compare(expected, result.data, text)
        for f in expected["facts"]:
            facts[f["type"]] += 1
        wrong_labels = set()
        for d in diffs:
            kind = d.split()[0]
            if kind == "missing":
                missing[d.split()[1]] += 1
            elif kind == "wrong" and d.split()[1] not in ("Patient.gender:",):
                wrong_labels.add(d.split(":")[0])
            elif kind == "extra":
                extra[d.split()[1]] += 1
        for label in wrong_labels:
            wrong_facts[label.split()[1]] += 1
        lines += [f"{seed.stem} | {d}" for d in diffs]
    for t in sorted(facts):
        found = facts[t] - missing[t]
        exact = found - wrong_facts[t]
        print(
            f"{t:12} facts {facts[t]:3}  found {found:3} ({found / facts[t]:.0%})  all fields right {exact:3} ({exact / facts[t]:.0%})"
        )
    print("extra resources (not in the expected facts):", dict(extra))
    if "--write-gaps" in sys.argv:
        header = (
            "# Differences fhirconv has today from the hand-written expected facts (tests/test_golden.py).\n"
            "# The test fails on any new difference and on any line here that no longer occurs.\n"
            "# Regenerate with: python scripts/golden_report.py --write-gaps (then read the diff).\n"
        )
        (ROOT / "fixtures" / "golden" / "known_gaps.lst").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
