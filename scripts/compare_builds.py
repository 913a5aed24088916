"""Print what the imported fhirconv makes of a set of texts, one line each, for scripts/test_compiled.sh: the bundle
bytes plus a digest of the mentions, qualifiers, cues and timeline. Two builds agree when their outputs are equal.

    python scripts/compare_builds.py --expect compiled|pure OUT FILE.txt|FILE.jsonl ...

``--expect`` fails unless the imported fhirconv is that build, so a pure run cannot pass for a compiled one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import fhirconv


def _texts(paths: list[str]) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for p in map(Path, paths):
        if p.suffix == ".jsonl":
            with p.open(encoding="utf-8") as f:
                items += [(f"{p.name}:{i}", json.loads(line)["text"]) for i, line in enumerate(f)]
        else:
            items.append((p.name, p.read_text(encoding="utf-8")))
    return items


def _line(rid: str, text: str, maps: fhirconv.Mappings) -> str:
    try:
        r = fhirconv.convert(text, report_id=rid, mappings=maps)
    except fhirconv.FhirconvError as e:  # a refused text must be refused the same way
        return f"{rid}\tERROR {type(e).__name__}: {e}"
    mentions = [
        (m.kind, m.start, m.end, m.rule, sorted((k, c.start, c.end) for k, c in m.qualifiers.items()),
         m.date.iso() if m.date else None, sorted(m.attrs))
        for m in r.mentions
    ]  # fmt: skip
    timeline = [(d.iso(), d.start, d.end, d.rule) for d in r.timeline.dates] if r.timeline else []
    cues = [(c.kind, c.start, c.end) for c in r.cues]
    unmapped = [(u.kind, u.start, u.end, u.reason) for u in r.unmapped]
    dropped = [(m.kind, m.start, m.end, why) for m, why in r.dropped]
    digest = hashlib.sha256(repr((mentions, timeline, cues, unmapped, dropped)).encode()).hexdigest()
    body = fhirconv.to_json(r.data).replace("\n", "")  # the CLI's bytes on one line (JSON strings hold no newline)
    return f"{rid}\t{body}\t{digest}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--expect", choices=["compiled", "pure"], required=True)
    ap.add_argument("out")
    ap.add_argument("texts", nargs="+")
    args = ap.parse_args()
    if fhirconv.COMPILED != (args.expect == "compiled"):
        sys.exit(f"compare_builds: expected the {args.expect} build, imported {fhirconv.__file__}")
    maps = fhirconv.load_mappings()
    items = _texts(args.texts)
    with open(args.out, "w", encoding="utf-8") as out:
        for rid, text in items:
            out.write(_line(rid, text, maps) + "\n")
    print(f"compare_builds: {len(items)} texts through the {args.expect} build ({fhirconv.__file__})")


if __name__ == "__main__":
    main()
