"""Per-code / per-pattern breakdown of the document-level ICD-O-3 morphology errors on FRACCO.

    python benchmarks/fracco_errors.py [../shared/corpora/dev/fracco.jsonl] [--icdo-edition 3.1] [--top 40]

Scores like ``fhirconv eval`` (document-codes:morphologie: the set of specific morphology codes of a document's gold
mentions versus the codes of its bundle's tumour Conditions, 8000/x left out), then explains every miss (FN) and
every extra code (FP):
- ``swap gold -> ours``: a gold mention of the missed code overlaps a mention our bundle cites with another code
  (same words, other code: edition, behaviour digit, refinement, merge);
- ``beside a specific type``: the missed code is a generic one (8010/3 ...) and the bundle has a specific code of
  the same tumour (the annotators code each generic word apart, fhirconv merges them into one Condition);
- ``no prediction``: nothing of ours on the gold words (missing wording), keyed by the gold words;
- FP ``on gold words with another code`` / ``on words the annotators did not code``.
It ranks the causes by the F1 points fixing each would give (its ceiling: every error of that cause fixed and
nothing else changed). The corpus is read at run time from ../shared; nothing of it is written anywhere.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from fhirconv.evaluate import SYSTEMS, _gold_codes, _predictions, read_gold
from fhirconv.pipeline import convert
from fhirconv.tables import load_mappings

SYSTEM = "code|" + SYSTEMS["ICD-O-3-morphology"][0]
_MORPH = re.compile(r"(\d{4}/\d)\d?")
_UNSPECIFIC = re.compile(r"8000/\d")
_GENERIC = {"8010/3", "8001/3", "8001/1", "8010/2", "8010/6"}


def _f1(tp: int, gold: int, pred: int) -> float:
    p, r = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def analyse(path: str, edition: str | None, top: int) -> None:
    maps = load_mappings(icdo_edition=edition) if edition else load_mappings()
    tp = gold_n = pred_n = 0
    fn_words: Counter[str] = Counter()
    fp_words: Counter[str] = Counter()
    # cause -> F1 ceiling inputs: (FN fixed, FP removed)
    fixes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    pairs: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # "gold <-> ours" -> (FN, FP) of same-word swaps
    words: dict[str, Counter[str]] = defaultdict(Counter)  # pair -> gold words
    for doc in read_gold(path):
        golds = [m for m in doc["mentions"] if m["label"] == "morphologie"]
        gm: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for g in golds:
            for c in _gold_codes(g).get(SYSTEM, ()):
                if (m := _MORPH.fullmatch(c)) and not _UNSPECIFIC.fullmatch(m.group(1)):
                    gm[m.group(1)].append((g["start"], g["end"], " ".join(g["text"].lower().split())))
        if not any(SYSTEM in _gold_codes(g) for g in golds):
            continue
        try:
            result = convert(doc["text"], report_id=str(doc["doc_id"]), mappings=maps)
            preds = _predictions(result.data, result.mentions)
        except Exception as exc:  # noqa: BLE001 - scored as all-missed, like fhirconv eval
            print(f"failed {doc['doc_id']}: {type(exc).__name__}: {exc}", file=sys.stderr)
            preds = []
        pm: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for p in preds:
            if p.inherited:
                continue
            for c in p.codes.get(SYSTEM, ()):
                if not _UNSPECIFIC.fullmatch(c):
                    pm[c].extend(p.mains)
        G, P = set(gm), set(pm)
        tp += len(G & P)
        gold_n += len(G)
        pred_n += len(P)
        for c in G - P:
            swaps = {pc for pc, spans in pm.items() for s in spans for a, b, _ in gm[c] if _overlap(s, (a, b))}
            if swaps:
                cause = f"FN swap {c} -> {','.join(sorted(swaps))}"
            elif c in _GENERIC and any(pc[-1] == c[-1] for pc in P):
                cause = f"FN {c} beside a specific type"
            else:
                cause = f"FN {c} no prediction"
                fn_words[f"{c} {gm[c][0][2]}"] += 1
            fixes[cause][0] += 1
            for pc in sorted(swaps)[:1]:  # the same swap seen from both sides: gold code <-> our code
                pairs[f"{c} <-> {pc}"][0] += 1
                words[f"{c} <-> {pc}"][gm[c][0][2]] += 1
        for c in P - G:
            on_gold = {gc for gc, ms in gm.items() for a, b, _ in ms for s in pm[c] if _overlap(s, (a, b))}
            if on_gold:
                cause = f"FP {c} on gold words coded {','.join(sorted(on_gold))}"
            else:
                cause = f"FP {c} on words the annotators did not code"
                s = pm[c][0]
                fp_words[f"{c} {' '.join(doc['text'][s[0] : s[1]].lower().split())}"] += 1
            fixes[cause][1] += 1
            for gc in sorted(on_gold)[:1]:
                pairs[f"{gc} <-> {c}"][1] += 1
    base = _f1(tp, gold_n, pred_n)
    print(f"document-level morphology: gold {gold_n}, predicted {pred_n}, correct {tp}")
    print(f"R {tp / gold_n:.1%}  P {tp / pred_n:.1%}  F1 {base:.1%}\n")
    # a swap fixed removes one FN and (usually) one FP; ceilings counted per cause alone
    print(f"{'cause':70} {'n':>4} {'F1 gain':>8}")
    gains = []
    for cause, (fn, fp) in fixes.items():
        gains.append((_f1(tp + fn, gold_n, pred_n - fp) - base, cause, fn + fp))
    for gain, cause, n in sorted(gains, reverse=True)[:top]:
        print(f"{cause[:70]:70} {n:4} {gain * 100:+7.2f}")
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for cause, (fn, fp) in fixes.items():
        kind = (
            "FN swap"
            if cause.startswith("FN swap")
            else "FN beside specific"
            if "beside" in cause
            else "FN no prediction"
            if cause.startswith("FN")
            else "FP on gold words"
            if "on gold" in cause
            else "FP uncoded words"
        )
        groups[kind][0] += fn
        groups[kind][1] += fp
    print("\nby pattern (ceiling if every error of the pattern were fixed):")
    for kind, (fn, fp) in sorted(groups.items()):
        print(f"  {kind:25} FN {fn:4} FP {fp:4}  F1 -> {_f1(tp + fn, gold_n, pred_n - fp):.1%}")
    print("\nsame words, other code (gold <-> ours): FN, FP, F1 gain if our code were the gold one")
    ranked = sorted(pairs.items(), key=lambda kv: -_f1(tp + kv[1][0], gold_n, pred_n - kv[1][1]))
    for pair, (fn, fp) in ranked[:top]:
        seen = "; ".join(f"{w} x{n}" for w, n in words[pair].most_common(3))
        print(f"  {pair:24} FN {fn:3} FP {fp:3} {(_f1(tp + fn, gold_n, pred_n - fp) - base) * 100:+6.2f}  {seen[:90]}")
    print("\nmissed, nothing predicted on the words (code, first gold words):")
    for k, n in fn_words.most_common(top):
        print(f"  {n:3} {k}")
    print("\nextra, on words the annotators did not code:")
    for k, n in fp_words.most_common(top):
        print(f"  {n:3} {k}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default="../shared/corpora/dev/fracco.jsonl")
    ap.add_argument("--icdo-edition", default=None, help="ICD-O-3 edition of the output codes (3.2 default, 3.1)")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args(argv)
    if not Path(args.corpus).exists():
        print(f"{args.corpus}: no such corpus file", file=sys.stderr)
        return 2
    analyse(args.corpus, args.icdo_edition, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
