"""The share of our Conditions that carry no CIM-10 code, per corpus, and the words they are written with.

    python benchmarks/uncoded_conditions.py [--corpora ../shared/corpora] [--top 40] [--only NAME ...] [--examples]

A Condition without a CIM-10 coding is of little use to a registry or a data warehouse. For each dev corpus (and the
FHIR gold texts, ``fhir_gold_dev``), every report is converted and its Conditions counted: all of them, and those
whose code has no CIM-10 coding. Then the uncoded ones over all corpora are ranked by their normalised words
(``Condition.code.text`` lower-cased, accents folded, blanks collapsed) and by their head word (the first word, a
final plural ``s``/``x`` dropped): the wording to map first. ``--examples`` also prints, for each of the top words,
one short context (the 60 characters around the words) read from the corpus at run time (nothing of it is written
anywhere).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fhirconv.pipeline import convert  # noqa: E402
from fhirconv.tables import load_mappings  # noqa: E402

CIM10 = "cim-10"  # part of the CIM-10 code system's URL
ICDO3 = "icd-o-3"  # a tumour's morphology coding
DERIV = "http://hl7.org/fhir/StructureDefinition/derivation-reference"
CORPORA = {
    "fracco": "dev/fracco.jsonl",
    "distemist": "dev/frasimed_distemist.jsonl",
    "cantemist": "dev/frasimed_cantemist.jsonl",
    "e3c": "dev/e3c_fr.jsonl",
}
_CONTEXT = 60


def fold(words: str) -> str:
    """Lower-cased, accents folded, blanks collapsed: ``"Thromboses  veineuses"`` -> ``"thromboses veineuses"``."""
    nfd = unicodedata.normalize("NFD", words.lower().replace("œ", "oe"))
    return " ".join("".join(c for c in nfd if not unicodedata.combining(c)).split())


def head(words: str) -> str:
    """The first word of the folded words, a final plural ``s`` / ``x`` dropped (``"lesions hepatiques"`` -> ``lesion``)."""
    first = fold(words).split(" ")[0] if words.strip() else ""
    return first[:-1] if len(first) > 3 and first[-1] in "sx" else first


def reports(corpora: Path, name: str) -> list[tuple[str, str]]:
    """(id, text) of a corpus; ``gold``: the dev texts the FHIR gold annotates."""
    if name == "gold":
        by_id: dict[str, str] = {}
        for rel in CORPORA.values():
            by_id.update((i, t) for i, t in reports_of(corpora / rel) if i not in by_id)
        wanted = {p.name.split(".")[0] for p in (corpora / "fhir_gold_dev").glob("*.gold.json")}
        return [(i, by_id[i]) for i in sorted(wanted) if i in by_id]
    return reports_of(corpora / CORPORA[name])


def reports_of(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [(str(d["doc_id"]), d["text"]) for d in map(json.loads, fh)]


def has(resource: dict, system_part: str) -> bool:
    return any(system_part in c.get("system", "") for c in resource.get("code", {}).get("coding", []))


def first_span(resource: dict) -> tuple[int, int] | None:
    for ext in resource.get("extension", []):
        if ext.get("url") == DERIV:
            sub = {e["url"]: e for e in ext["extension"]}
            off = sub["offset"]["valueInteger"]
            return off, off + sub["length"]["valueInteger"]
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument("--top", type=int, default=40, help="how many words to list")
    ap.add_argument("--only", nargs="*", choices=[*CORPORA, "gold"], help="these corpora only")
    ap.add_argument("--examples", action="store_true", help="one context of each top word (read, never written)")
    args = ap.parse_args()
    corpora = Path(args.corpora)
    maps = load_mappings()
    words: Counter[str] = Counter()
    heads: Counter[str] = Counter()
    example: dict[str, str] = {}
    # the words are counted once per distinct text: two corpora annotate the same reports (FRACCO, CANTEMIST)
    seen: set[str] = set()
    print(f"{'corpus':<10} {'reports':>7} {'conditions':>10} {'uncoded':>8} {'share':>6} {'tumours':>8}")
    for name in args.only or [*CORPORA, "gold"]:
        total = uncoded = tumours = 0
        docs = reports(corpora, name)
        for doc_id, text in docs:
            try:
                bundle = convert(text, report_id=doc_id, mappings=maps).data
            except Exception as exc:  # noqa: BLE001 - one failing report does not stop the count
                print(f"failed {doc_id}: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            first = text not in seen
            seen.add(text)
            for entry in bundle.get("entry", []):
                res = entry["resource"]
                if res["resourceType"] != "Condition":
                    continue
                total += 1
                if has(res, CIM10):
                    continue
                uncoded += 1
                tumours += has(res, ICDO3)
                if not first:
                    continue
                key = fold(res.get("code", {}).get("text", ""))
                words[key] += 1
                heads[head(key)] += 1
                span = first_span(res)
                if args.examples and key not in example and span:
                    lo, hi = max(0, span[0] - _CONTEXT // 2), span[1] + _CONTEXT // 2
                    example[key] = " ".join(text[lo:hi].split())
        share = uncoded / total if total else 0.0
        print(f"{name:<10} {len(docs):>7} {total:>10} {uncoded:>8} {share:>6.1%} {tumours:>8}")
    print("(tumours: the uncoded Conditions that have an ICD-O-3 morphology)")
    print(f"\nuncoded Conditions of the distinct texts by head word (top {args.top}):")
    for w, n in heads.most_common(args.top):
        print(f"  {n:>5}  {w}")
    print(f"\nuncoded Conditions of the distinct texts by words (top {args.top}):")
    for w, n in words.most_common(args.top):
        print(f"  {n:>5}  {w}" + (f"    | {example[w]}" if w in example else ""))


if __name__ == "__main__":
    main()
