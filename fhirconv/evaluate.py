"""Score conversions against annotated corpora (the JSONL format of ``shared/corpora``), through the evidence offsets.

Each gold mention names the FHIR element it is gold for (``fhir``: ``Condition.code``, ``Observation.value`` ...).
For every gold label, the bundle resources of that element's type *compete* with the label's mentions: a gold
mention is found when one of the mentions a competing resource cites as its evidence overlaps it, and a cited mention
is a true positive when it overlaps a gold mention of the label. A label coded in ICD-O-3 annotates tumours (or tumour sites) only: then only
resources carrying an ICD-O-3 code of that element compete, so the corpus does not charge the patient's other
diseases; otherwise every resource of the type competes, and precision means something only if the corpus annotates
every mention of that kind (reported anyway, read it with the corpus README).

Also measured:
- document-level code sets (ICD-O-3 morphology: the codes a document's gold mentions carry versus the codes of its
  bundle), leaving out the unspecific ``8000/x`` codes that annotators put on words like "masse" or "progression";
- code agreement on found mentions;
- assertion accuracy: for gold mentions carrying a ``negated`` attribute in a document where the corpus annotates
  negation, whether the pipeline's overlapping mention was negated the same way (mentions, not resources: a negated
  sign may be left out of the bundle, so the bundle cannot say it was seen).

The library computes; the CLI prints (``fhirconv eval``).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fhirspec as F
from .document import Mention
from .errors import InputError
from .pipeline import convert
from .tables import ATTRIBUTE_KINDS, Mappings, load_mappings

__all__ = ["Score", "EvalReport", "evaluate_corpus", "read_gold"]

# gold code system name -> (system URI fhirconv emits, where the code sits: "code" or "bodySite")
SYSTEMS = {
    "ICD-O-3-morphology": (F.ICDO3, "code"),
    "ICD-O-3.1": (F.ICDO3, "code"),
    "ICD-O-3-topography": (F.ICDO3, "bodySite"),
    "SNOMED": (F.SNOMED, "code"),
}
# resources that answer for a gold FHIR type
ANSWERS = {
    "Condition": ("Condition", "FamilyMemberHistory"),
    "Observation": ("Observation",),
    "Procedure": ("Procedure",),
    "MedicationStatement": ("MedicationStatement",),
}
_MORPHOLOGY = re.compile(r"(\d{4}/\d)\d?")  # FRACCO appends the grade digit: 8140/32
_UNSPECIFIC = re.compile(r"8000/\d")
EXAMPLES = 3  # texts in context kept per miss / false positive (the HTML report shows them)
CONTEXT = 60  # characters of context on each side


@dataclass
class Score:
    """Counts of one comparison, with the texts of what was missed and what was wrong."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    misses: Counter[str] = field(default_factory=Counter)
    false_positives: Counter[str] = field(default_factory=Counter)
    # miss or false-positive key -> a few (doc id, text before, the span, text after)
    examples: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)

    def example(self, key: str, doc_id: str, text: str, start: int, end: int) -> None:
        """Keep where ``key`` was missed or wrongly found (the first few occurrences)."""
        kept = self.examples.setdefault(key, [])
        if len(kept) < EXAMPLES:
            kept.append((doc_id, text[max(0, start - CONTEXT) : start], text[start:end], text[end : end + CONTEXT]))

    def add(self, other: Score) -> None:
        """Add ``other``'s counts (micro-average of several labels)."""
        self.gold += other.gold
        self.found += other.found
        self.predicted += other.predicted
        self.correct += other.correct
        self.misses.update(other.misses)
        self.false_positives.update(other.false_positives)
        for key, kept in other.examples.items():
            mine = self.examples.setdefault(key, [])
            mine.extend(kept[: EXAMPLES - len(mine)])

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    """Scores of one corpus file. ``scores`` maps a metric name (``mentions:disease`` ...) to its Score."""

    corpus: str
    documents: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (doc id, error)
    scores: dict[str, Score] = field(default_factory=dict)
    seconds: float = 0.0
    elements: dict[str, str] = field(default_factory=dict)  # gold label -> the FHIR element it is gold for

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())

    def by_resource_type(self) -> dict[str, Score]:
        """Mention scores summed over the labels of each FHIR resource type (``Condition`` ...), micro-averaged."""
        out: dict[str, Score] = {}
        for label, element in sorted(self.elements.items()):
            if (sc := self.scores.get(f"mentions:{label}")) is not None:
                out.setdefault(element.split(".")[0], Score()).add(sc)
        return out


def read_gold(path: str | Path) -> Iterator[dict[str, Any]]:
    """The documents of a corpus JSONL file; a malformed line is an InputError naming ``file:line``."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below; bytes, so that a bad byte is reported as file:line
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{path}:{n}: not UTF-8 text") from None
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                doc["text"], doc["mentions"]  # noqa: B018 - both keys are required
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{n}: not a corpus document ({exc})") from None
            yield doc


@dataclass(frozen=True)
class _Pred:
    type: str
    codes: dict[str, frozenset[str]]  # "code|<system>" / "bodySite|<system>" -> codes
    mains: tuple[tuple[int, int], ...]  # every mention the resource cites for itself (evidence without path)
    paths: dict[str, tuple[tuple[int, int], ...]]  # element path -> evidence spans citing it
    inherited: bool  # a metastasis whose histology comes from its primary (mCODE related-primary), not its words

    def spans_for(self, element: str) -> tuple[tuple[int, int], ...]:
        """The mentions that stand for ``element``: its own evidence ("Condition.bodySite"), else the resource's; a
        stage is only the staging Observations' words (a Condition without a stage states none)."""
        if element == "Condition.stage":
            return self.paths.get(element, ())
        return self.paths.get(element) or self.mains


def _predictions(data: dict[str, Any], mentions: list[Mention] | None = None) -> list[_Pred]:
    """The bundle's resources as evidence spans and codes. With the conversion's ``mentions``, a metastasis whose
    own words name its histology ("adénocarcinome métastatique": 8140/6) is not inherited from its primary."""
    out = []
    # Condition.stage holds references to the staging Observations (TNM, stage): their words are the stage's
    own_spans = {
        ref: [
            sp
            for e in entry["resource"].get("extension", [])
            if (found := _span(e)) and found[1] is None
            for sp in (found[0],)
        ]
        for entry in data["entry"]
        for ref in (entry.get("fullUrl"), f"{entry['resource']['resourceType']}/{entry['resource'].get('id')}")
        if ref
    }
    for entry in data["entry"]:
        res = entry["resource"]
        mains: list[tuple[int, int]] = []
        paths: dict[str, list[tuple[int, int]]] = {}
        for ext in res.get("extension", []):
            if ext.get("url") == F.DERIVATION_REFERENCE and (found := _span(ext)):
                span, path = found
                (mains if path is None else paths.setdefault(path, [])).append(span)
        if not mains:
            continue
        for stage in res.get("stage", []) if res.get("resourceType") == "Condition" else []:
            for a in stage.get("assessment", []):
                paths.setdefault("Condition.stage", []).extend(own_spans.get(a.get("reference", ""), []))
        conditions = res.get("condition", [])
        if len(conditions) > 1 and len(mains) == len(conditions):
            # a FamilyMemberHistory of one relative cites one span per condition, in order: each is a prediction
            # of its own (one relative's cancer and hypertension are not one coded mention)
            for span, cond in zip(mains, conditions, strict=True):
                one = {**res, "condition": [cond]}
                out.append(_pred(one, [span], paths, False, mentions))
            continue
        out.append(
            _pred(res, mains, paths, any(e.get("url") == F.RELATED_PRIMARY for e in res.get("extension", [])), mentions)
        )
    return out


def _pred(
    res: dict[str, Any],
    mains: list[tuple[int, int]],
    paths: dict[str, list[tuple[int, int]]],
    inherited: bool,
    mentions: list[Mention] | None,
) -> _Pred:
    """One prediction: the resource's codes by element and system, and the spans it cites."""
    codes: dict[str, set[str]] = {}
    concepts = [("code", res.get("code"))] + [("bodySite", s) for s in res.get("bodySite", [])]
    concepts += [("code", c.get("code")) for c in res.get("condition", [])]
    for where, cc in concepts:
        for coding in (cc or {}).get("coding", []):
            codes.setdefault(f"{where}|{coding['system']}", set()).add(coding["code"])
    if inherited and mentions is not None:
        inherited = not _named_histology(codes.get("code|" + F.ICDO3, set()), mains, mentions)
    return _Pred(
        res["resourceType"],
        {k: frozenset(v) for k, v in codes.items()},
        tuple(mains),
        {k: tuple(v) for k, v in paths.items()},
        inherited,
    )


def _named_histology(codes: set[str], mains: list[tuple[int, int]], mentions: list[Mention]) -> bool:
    """A morphology mention inside the resource's own evidence names the histology of one of its codes."""
    wanted = {c[:4] for c in codes} - {"8000"}
    for m in mentions:
        if m.kind == "morphology" and m.row.icdo3[:4] in wanted and any(a <= m.start and m.end <= b for a, b in mains):
            return True
    return False


def _span(ext: dict[str, Any]) -> tuple[tuple[int, int], str | None] | None:
    sub = {e["url"]: e for e in ext.get("extension", [])}
    if "offset" not in sub:
        return None
    off = sub["offset"]["valueInteger"]
    return (off, off + sub["length"]["valueInteger"]), sub.get("path", {}).get("valueString")


def _gold_codes(mention: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c in mention.get("codes") or []:
        # FRACCO's TNM mentions carry the placeholder "todelete", not a code: nothing to compare
        if c["system"] in SYSTEMS and c.get("code") != "todelete":
            uri, where = SYSTEMS[c["system"]]
            out.setdefault(f"{where}|{uri}", set()).add(c["code"])
    return out


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def evaluate_corpus(
    path: str | Path,
    *,
    mappings: Mappings | None = None,
    limit: int | None = None,
    splits: Iterable[str] | None = None,
) -> EvalReport:
    """Convert every document of a corpus file and score the bundles against its mentions."""
    t0 = time.perf_counter()
    maps = mappings or load_mappings()
    wanted = set(splits) if splits else None
    docs = [d for d in read_gold(path) if wanted is None or d.get("split") in wanted]
    if limit:
        docs = docs[:limit]
    report = EvalReport(corpus=docs[0]["corpus"] if docs else Path(path).stem)
    for doc in docs:
        doc_id = str(doc.get("doc_id"))
        try:
            result = convert(doc["text"], report_id=doc_id, mappings=maps)
        except Exception as exc:  # noqa: BLE001 - a failing document is scored as all-missed and listed
            report.failed.append((doc_id, f"{type(exc).__name__}: {exc}"))
            result = None
        report.documents += 1
        _score_document(report, doc, result)
    report.seconds = time.perf_counter() - t0
    return report


def _score_document(report: EvalReport, doc: dict[str, Any], result: Any) -> None:
    text = doc["text"]
    preds = _predictions(result.data, result.mentions) if result is not None else []
    by_label: dict[str, list[dict[str, Any]]] = {}
    for m in doc["mentions"]:
        by_label.setdefault(m["label"], []).append(m)
    for label, golds in by_label.items():
        element = golds[0].get("fhir") or ""
        rtype = element.split(".")[0]
        if rtype not in ANSWERS or "(" in element:  # "Condition.stage(grade)": no element of its own to compare
            continue
        systems = {k for g in golds for k in _gold_codes(g) if k.endswith(SYSTEMS["ICD-O-3-morphology"][0])}
        competing = [p for p in preds if p.type in ANSWERS[rtype] and (not systems or systems & set(p.codes))]
        ment = report.score(f"mentions:{label}")
        report.elements.setdefault(label, element)
        doc_id = str(doc.get("doc_id"))
        ment.gold += len(golds)
        # predicted mentions: every evidence span of a competing resource for this element, once
        units = {span: p for p in competing for span in p.spans_for(element)}
        ment.predicted += len(units)
        for g in golds:
            hits = [p for (a, b), p in units.items() if _overlaps(g["start"], g["end"], a, b)]
            if hits:
                ment.found += 1
                _code_agreement(report, label, g, hits, doc_id, text)
            else:
                ment.misses[_key(g["text"])] += 1
                ment.example(_key(g["text"]), doc_id, text, g["start"], g["end"])
        for a, b in units:
            if any(_overlaps(g["start"], g["end"], a, b) for g in golds):
                ment.correct += 1
            else:
                ment.false_positives[_key(text[a:b])] += 1
                ment.example(_key(text[a:b]), doc_id, text, a, b)
        if element == "Condition.code":
            _document_codes(report, label, golds, preds)
    if result is not None:
        _assertions(report, doc, result)


def _code_agreement(
    report: EvalReport, label: str, gold: dict[str, Any], hits: list[_Pred], doc_id: str, text: str
) -> None:
    for system, codes in _gold_codes(gold).items():
        codes = {m.group(1) if (m := _MORPHOLOGY.fullmatch(c)) else c for c in codes}
        codes = {c for c in codes if not _UNSPECIFIC.fullmatch(c)}
        if not codes:
            continue
        sc = report.score(f"code:{label}:{system.split('|')[1].rsplit('/', 1)[-1]}")
        sc.gold += 1
        sc.predicted += 1
        if any(codes & p.codes.get(system, frozenset()) for p in hits):
            sc.found += 1
            sc.correct += 1
        else:
            got = sorted(set().union(*(p.codes.get(system, frozenset()) for p in hits))) or ["-"]
            key = f"{_key(gold['text'])} {'/'.join(sorted(codes))} -> {','.join(got)}"
            sc.misses[key] += 1
            sc.example(key, doc_id, text, gold["start"], gold["end"])


def _document_codes(report: EvalReport, label: str, golds: list[dict[str, Any]], preds: list[_Pred]) -> None:
    """ICD-O-3 morphology codes per document, specific codes only."""
    system = "code|" + SYSTEMS["ICD-O-3-morphology"][0]
    if not any(system in _gold_codes(g) for g in golds):
        return
    gold = {m.group(1) for g in golds for c in _gold_codes(g).get(system, ()) if (m := _MORPHOLOGY.fullmatch(c))}
    gold = {c for c in gold if not _UNSPECIFIC.fullmatch(c)}
    # A metastasis coded with its primary's histology (8140/6 next to 8140/3) restates the primary: the annotators
    # code each mention's own words ("métastases" = 8000/6), so such codes are neither claimed nor charged; one whose
    # own words name the histology ("adénocarcinome métastatique") is (_predictions).
    pred = {c for p in preds if not p.inherited for c in p.codes.get(system, ()) if not _UNSPECIFIC.fullmatch(c)}
    # the stricter reading, shown beside it: every specific morphology code of the bundle, restated ones included
    every = {c for p in preds for c in p.codes.get(system, ()) if not _UNSPECIFIC.fullmatch(c)}
    for name, got in ((f"document-codes:{label}:icd-o-3", pred), (f"document-codes-every:{label}:icd-o-3", every)):
        sc = report.score(name)
        sc.gold += len(gold)
        sc.found += len(gold & got)
        sc.predicted += len(got)
        sc.correct += len(gold & got)
        sc.misses.update(gold - got)
        sc.false_positives.update(got - gold)


def _assertions(report: EvalReport, doc: dict[str, Any], result: Any) -> None:
    """Negation of the pipeline's mentions against gold ``negated``, where the document annotates negation."""
    if not any("negated" in (m.get("attrs") or {}) for m in doc["mentions"]):
        return
    # one gold item per span (E3C puts an EVENT and a CLINENTITY on the same word)
    spans: dict[tuple[int, int], dict[str, Any]] = {}
    for m in doc["mentions"]:
        if m["label"] in ("EVENT", "CLINENTITY", "disease"):
            item = spans.setdefault((m["start"], m["end"]), {**m, "attrs": {}})
            item["attrs"]["negated"] = item["attrs"].get("negated") or bool((m.get("attrs") or {}).get("negated"))
    golds = list(spans.values())
    ours = [m for m in result.mentions if m.kind not in ATTRIBUTE_KINDS]
    acc, neg = report.score("assertion:negation-accuracy"), report.score("assertion:negated")
    for g in golds:
        hits = [m for m in ours if _overlaps(g["start"], g["end"], m.start, m.end)]
        if not hits:
            continue
        gold_neg = bool((g.get("attrs") or {}).get("negated"))
        our_neg = any("negation" in m.qualifiers or "exclusion" in m.qualifiers for m in hits)
        acc.gold += 1
        acc.predicted += 1
        if gold_neg == our_neg:
            acc.found += 1
            acc.correct += 1
        else:
            what = "missed negation" if gold_neg else "wrongly negated"
            acc.misses[f"{what}: {_key(g['text'])}"] += 1
            acc.example(f"{what}: {_key(g['text'])}", str(doc.get("doc_id")), doc["text"], g["start"], g["end"])
        # negated class: recall over gold negated, precision over our negated
        if gold_neg:
            neg.gold += 1
            neg.found += our_neg
            if not our_neg:
                neg.misses[_key(g["text"])] += 1
                neg.example(_key(g["text"]), str(doc.get("doc_id")), doc["text"], g["start"], g["end"])
        if our_neg:
            neg.predicted += 1
            neg.correct += gold_neg
            if not gold_neg:
                neg.false_positives[_key(g["text"])] += 1
                neg.example(_key(g["text"]), str(doc.get("doc_id")), doc["text"], g["start"], g["end"])
