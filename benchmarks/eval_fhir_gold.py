"""Score fhirconv against ../shared/corpora/fhir_gold_dev (FHIR-level facts with offsets).

For each resource type: a gold fact is found when an output resource of that type cites an overlapping span
(derivation-reference without path); precision counts output resources that overlap some gold fact. For found
facts, the main code (CIM-10 / ATC / LOINC) is compared when the gold gives one.

    python benchmarks/eval_fhir_gold.py [--corpora ../shared/corpora] [--details TYPE|dates]

`--details conditions` (or medications, observations, procedures) also lists, per document, each found gold fact of
that type whose code differs from ours (gold code, our codes, the words), the gold facts we miss, and our resources
that match no gold fact (then grouped by code), to classify the disagreements. `--details dates` lists each date disagreement of a found fact, of every
resource type (the gold date, ours, the evidence words, the sentence), and a count by kind (missing, unsupported,
coarser, finer, wrong day / month / year), to classify the errors of the timeline.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fhirconv  # noqa: E402
from tests.golden import project, spans  # noqa: E402

TYPES = {
    "conditions": "Condition",
    "medications": "MedicationStatement",
    "observations": "Observation",
    "procedures": "Procedure",
}
CODE = {"conditions": ("icd10", "cim10"), "medications": ("atc", "atc"), "observations": ("loinc", "loinc")}
# gold date field -> projected field (tests/golden.project)
DATE = {
    "conditions": ("onset", "onset"),
    "medications": ("start_date", "start"),
    "observations": ("date", "date"),
    "procedures": ("date", "date"),
}
STATUS = {
    "confirmed": ("confirmed", None),
    "refuted": ("refuted", None),
    # GUIDELINES.md: "provisional for suspected/differential" (FHIR and CONVENTIONS.md tell the two apart)
    "provisional": (("provisional", "differential"), None),
    "history": (None, "resolved"),
}
ENDED = {"resolved", "remission", "inactive"}


def texts(corpora: Path) -> dict[str, str]:
    out = {}
    for f in (corpora / "dev").glob("*.jsonl"):
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                out.setdefault(d["doc_id"], d["text"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    ap.add_argument(
        "--details",
        choices=["conditions", "medications", "observations", "procedures", "dates"],
        help="list the disagreements of one resource type, or of dates",
    )
    args = ap.parse_args()
    corpora = Path(args.corpora)
    details: list[str] = []
    unmatched: Counter[str] = Counter()
    all_texts = texts(corpora)
    gold_n, found, code_ok, code_n, out_n, out_hit = Counter(), Counter(), Counter(), Counter(), Counter(), Counter()
    date_ok, date_n, date_extra, date_free, status_ok, status_n = (
        Counter(),
        Counter(),
        Counter(),
        Counter(),
        Counter(),
        Counter(),
    )
    wrongly_ended = 0
    date_kinds: Counter[tuple[str, str]] = Counter()
    for gf in sorted((corpora / "fhir_gold_dev").glob("*.gold.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        text = all_texts[gold["doc_id"]]
        res = fhirconv.convert(text, report_id=gold["doc_id"])
        resources = [e["resource"] for e in res.data["entry"]]
        for key, rtype in TYPES.items():
            facts = [f for f in gold[key] if not (key == "conditions" and f["status"] == "family")]
            outs = [
                r
                for r in resources
                if r["resourceType"] == rtype
                and not any(c.get("code") == "30525-0" for c in r.get("code", {}).get("coding", []))
            ]
            gold_n[key] += len(facts)
            out_n[key] += len(outs)
            for r in outs:
                if any(s < f["end"] and f["start"] < e for s, e, _ in spans(r) for f in facts):
                    out_hit[key] += 1
                elif args.details == key:
                    label = _label(r, text, CODE[key][1])
                    unmatched[label.split(" ", 1)[0]] += 1
                    details.append(f"{gold['doc_id']}  extra    {label}")
            for f in facts:
                hits = [r for r in outs if any(s < f["end"] and f["start"] < e for s, e, _ in spans(r))]
                if args.details == key:
                    gcode = f.get(CODE[key][0])
                    ours = {project(r).get(CODE[key][1]) for r in hits}
                    if not hits:
                        details.append(f"{gold['doc_id']}  missed   {gcode} [{f.get('status', '-')}] {f['text']!r}")
                    elif gcode and gcode not in ours:
                        got = "; ".join(_label(r, text, CODE[key][1]) for r in hits)
                        details.append(f"{gold['doc_id']}  code     {gcode} [{f['text']!r}] <- {got}")
                if hits:
                    found[key] += 1
                    if key in CODE and f.get(CODE[key][0]):
                        code_n[key] += 1
                        if any(project(r).get(CODE[key][1]) == f[CODE[key][0]] for r in hits):
                            code_ok[key] += 1
                    gkey, pkey = DATE[key]
                    got = [_date_of(r, pkey) for r in hits]
                    if f.get(gkey):
                        date_n[key] += 1
                        date_ok[key] += f[gkey] in got
                        if f[gkey] not in got and args.details == key:
                            details.append(f"{gold['doc_id']}  date     {f[gkey]} {f['text']!r} <- {got}")
                    else:
                        date_free[key] += 1
                        date_extra[key] += any(got)  # a date where the gold has none: unsupported
                    if args.details == "dates":
                        kind = _date_kind(f.get(gkey), got)
                        if kind != "right":
                            date_kinds[key, kind] += 1
                            details.append(_date_line(gold["doc_id"], key, kind, f, f.get(gkey), got, text))
                    if key == "conditions" and f["status"] == "confirmed":
                        # a current disease called resolved / remission / inactive: the costly mistake
                        wrongly_ended += all(project(r)["clinical"] in ENDED for r in hits)
                    if key == "conditions" and f["status"] in STATUS:
                        ver, clin = STATUS[f["status"]]
                        status_n[f["status"]] += 1
                        right = any(
                            (ver is None or project(r)["verification"] in ((ver,) if isinstance(ver, str) else ver))
                            and (clin is None or project(r)["clinical"] == clin)
                            for r in hits
                        )
                        status_ok[f["status"]] += right
                        if not right and args.details == key:
                            got = "; ".join(f"{project(r)['verification']}/{project(r)['clinical']}" for r in hits)
                            details.append(f"{gold['doc_id']}  status   {f['status']} {f['text']!r} <- {got}")
    print(f"{'type':12} {'gold':>5} {'recall':>7} {'precision':>9} {'code agrees (found, coded)':>28}")
    for key in TYPES:
        r = found[key] / gold_n[key] if gold_n[key] else 0
        p = out_hit[key] / out_n[key] if out_n[key] else 0
        c = f"{code_ok[key]}/{code_n[key]} ({code_ok[key] / code_n[key]:.0%})" if code_n[key] else "-"
        print(f"{key:12} {gold_n[key]:5} {r:7.0%} {p:9.0%} {c:>28}")
    print("dates of found facts: right / gold-dated; dated where the gold has no date")
    for key in TYPES:
        print(f"  {key:12} {date_ok[key]}/{date_n[key]}  unsupported {date_extra[key]}/{date_free[key]}")
    print("condition status of found facts: " + ", ".join(f"{k} {status_ok[k]}/{status_n[k]}" for k in STATUS))
    print(f"confirmed conditions given an ended clinicalStatus (resolved / remission / inactive): {wrongly_ended}")
    if args.details:
        print(
            "\ndates: date disagreements of found facts (gold date, ours, the words, the sentence)"
            if args.details == "dates"
            else f"\n{args.details}: code disagreements, missed gold facts, our resources matching no gold fact"
        )
        print("\n".join(details))
        if args.details == "dates":
            print("by kind: " + ", ".join(f"{k} {kind} {n}" for (k, kind), n in sorted(date_kinds.items())))
        else:
            print("unmatched by code: " + ", ".join(f"{c} {n}" for c, n in unmatched.most_common()))


def _date_of(resource: dict, key: str) -> str | None:
    """The projected date of a resource; of a Procedure done over a period ("radiothérapie entre le 07.11 et le
    20.12.2005"), the period's start, as the gold writes it."""
    return project(resource).get(key) or (resource.get("performedPeriod") or {}).get("start")


def _date_kind(gold: str | None, got: list[str | None]) -> str:
    """How our dates of one found fact differ from the gold date: missing (none where the gold dates), unsupported
    (a date where the gold has none), coarser / finer (a prefix of the other), else the first part that differs."""
    ours = sorted({g for g in got if g})
    if gold is None:
        return "unsupported" if ours else "right"
    if gold in ours:
        return "right"
    if not ours:
        return "missing"
    d = ours[0]
    if gold.startswith(d):
        return "coarser"
    if d.startswith(gold):
        return "finer"
    g, o = gold.split("-"), d.split("-")
    return "wrong " + ("year", "month", "day")[next(i for i, (a, b) in enumerate(zip(g, o)) if a != b)]


def _date_line(doc: str, key: str, kind: str, fact: dict, gold: str | None, got: list, text: str) -> str:
    """One date disagreement: the document, resource type, kind, gold and our dates, the words, the sentence."""
    lo = max(text.rfind(". ", 0, fact["start"]), text.rfind("\n", 0, fact["start"])) + 1
    hi = min(x for x in (text.find(". ", fact["end"]), text.find("\n", fact["end"]), len(text)) if x >= 0)
    sentence = " ".join(text[lo : hi + 1].split())
    return f"{doc}  {key:12} {kind:11} gold {gold} ours {got} {fact['text']!r}\n    | {sentence}"


def _label(resource: dict, text: str, code_key: str) -> str:
    """'code [verification] 'evidence words'' of one output resource."""
    p = project(resource)
    s, e, _ = spans(resource)[0]
    return f"{p.get(code_key)} [{p.get('verification') or p.get('status')}] {text[s:e]!r}"


if __name__ == "__main__":
    main()
