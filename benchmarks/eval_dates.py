"""Score fhirconv's date resolver against the E3C time expressions (TIMEX3) of ../shared/corpora/dev/e3c_fr.jsonl.

Only the manually annotated E3C documents carry TIMEX3 (class DATE / TIME / DURATION / SET ...; ``attrs.value`` is
the TimeML normalised value). Scored here are the DATE and TIME expressions, in two groups:

- absolute: the expression writes its year ("octobre 2008", "l'année 2008", "2005", "11/2/15"). The gold value,
  trailing ``-XX`` parts removed (E3C writes "2013-XX-XX" for a year), must equal the ISO partial date of a date
  fhirconv finds overlapping the expression: exact normalisation. Also counted: absolute dates fhirconv finds in those
  documents where no TIMEX3 is annotated (possible false positives, listed).
- relative: everything else ("Un mois après", "J30 post-endoscopie", "il y a 35 ans"). E3C resolves some of them
  against the document creation time (``meta.docTime`` = the publication date: "il y a 35 ans" -> 1981); a case
  report's publication date is not the date of its events, so fhirconv never uses it and such golds are expected
  to stay unresolved. A gold value with ``X`` (``XXXX-XX-XX``) means "not resolvable": fhirconv must leave it out.
  Counted: resolved right, resolved wrong, left out where the gold resolves it, resolved where the gold does not.

    python benchmarks/eval_dates.py [--corpora ../shared/corpora] [-v]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fhirconv import load_mappings  # noqa: E402
from fhirconv.dates import find_dates, resolve_dates  # noqa: E402
from fhirconv.document import PartialDate  # noqa: E402
from fhirconv.mentions import find_mentions  # noqa: E402
from fhirconv.normalise import normalise  # noqa: E402
from fhirconv.qualifiers import qualify  # noqa: E402
from fhirconv.sections import segment  # noqa: E402

WRITES_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")
CONCRETE = re.compile(r"^\d{4}(?:-\d\d(?:-\d\d)?)?$")


def normalised(value: str | None) -> str | None:
    """E3C value as an ISO partial date ("2013-XX-XX" -> "2013"), or None when it is not a concrete date."""
    if not value:
        return None
    v = re.sub(r"(?:-XX)+$", "", value.split("T")[0])
    return v if CONCRETE.match(v) else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = ap.parse_args()
    maps = load_mappings()
    abs_n = abs_ok = extra = 0
    rel = {
        "right": 0,
        "wrong": 0,
        "left out (gold resolves)": 0,
        "left out (gold unresolved)": 0,
        "resolved (gold unresolved)": 0,
    }
    misses: list[str] = []
    docs = 0
    with (Path(args.corpora) / "dev" / "e3c_fr.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            gold = [m for m in doc["mentions"] if m["label"] == "TIMEX3"]
            if not gold:
                continue  # TIMEX3 were not annotated in this document
            docs += 1
            text = doc["text"]
            structure = segment(text, maps)
            mentions = find_mentions(normalise(text), structure, maps)
            qualify(text, structure, mentions, maps)
            absolute = find_dates(text, maps)
            timeline = resolve_dates(text, mentions, structure, maps)
            relative = [d for d in timeline.dates if d.anchor is not None]

            def over(dates: list[PartialDate], g: dict) -> list[PartialDate]:
                return [d for d in dates if d.start < g["end"] and g["start"] < d.end]

            for d in absolute:
                if not any(d.start < g["end"] and g["start"] < d.end for g in gold):
                    extra += 1
                    misses.append(f"{doc['doc_id']} extra absolute {text[d.start : d.end]!r} -> {d.iso()}")
            for g in gold:
                if g["attrs"].get("timex_class") not in ("DATE", "TIME"):
                    continue
                value = normalised(g["attrs"].get("value"))
                if WRITES_YEAR.search(g["text"]):
                    abs_n += 1
                    got = [d.iso() for d in over(absolute, g)]
                    if value in got:
                        abs_ok += 1
                    else:
                        misses.append(f"{doc['doc_id']} absolute {g['text']!r} gold {value} got {got}")
                    continue
                got = [d.iso() for d in over(relative, g)]
                if value and got:
                    key = "right" if value in got else "wrong"
                elif value:
                    key = "left out (gold resolves)"
                elif got:
                    key = "resolved (gold unresolved)"
                else:
                    key = "left out (gold unresolved)"
                rel[key] += 1
                if key not in ("right", "left out (gold unresolved)"):
                    misses.append(
                        f"{doc['doc_id']} relative {g['text']!r} gold {g['attrs'].get('value')} got {got}"
                        f" [{key}] (docTime {doc['meta'].get('docTime')})"
                    )
    print(f"E3C documents with TIMEX3: {docs}")
    rate = abs_ok / abs_n if abs_n else 0.0
    print(
        f"absolute date expressions normalised exactly: {abs_ok}/{abs_n} ({rate:.0%}); "
        f"absolute dates found where no TIMEX3 is annotated: {extra}"
    )
    print("relative DATE/TIME expressions: " + ", ".join(f"{k} {v}" for k, v in rel.items()))
    if args.verbose:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
