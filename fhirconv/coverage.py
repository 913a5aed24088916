"""Coverage of the tables on a folder of reports (``fhirconv coverage``): what the reports talk about that the
tables do not code, most frequent first, with counts and examples, so maintainers grow the tables from their data.

Two lists, kept apart because they are not equally sure:

- **unmapped**: mentions the pipeline recognised but could not code (``ConversionResult.unmapped``: a test without
  LOINC, a procedure without code ...). These are certain gaps of a table row.
- **candidates** (heuristic): the words right after a negation, exclusion, hypothesis, history or family cue
  ("pas de <X>", "suspicion de <X>") that no concept mention covers. A cue announces a clinical concept, so an
  uncovered one is often a term missing from the tables. The phrase runs to the first clause break, grammar word
  or ``CANDIDATE_WORDS`` words; counts group phrases on their folded words (case, accents, plural). Also the leading
  phrase of a sentence of a diagnosis section that no concept mention touches (kind ``diagnosis-section``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .document import Cue
from .errors import FhirconvError
from .normalise import Token, normalise
from .pipeline import ConversionResult, convert
from .sections import segment
from .tables import ATTRIBUTE_KINDS, Mappings, load_mappings

__all__ = ["CoverageEntry", "CoverageReport", "coverage", "coverage_csv", "coverage_json", "format_coverage"]

CANDIDATE_WORDS = 4
DIAGNOSIS_SECTION = "diagnosis"  # section key of sections.yaml whose sentences name diagnoses
EXAMPLES = 3
# Cues that announce a clinical concept right after them (forward cues of these kinds).
_CONCEPT_CUES = {"negation", "exclusion", "hypothesis", "history", "family"}
_CLAUSE_END = re.compile(r"[,;:.!?()\[\]\n]")
# French grammar words (articles, prepositions, conjunctions, auxiliaries) that end or precede a noun phrase.
# Grammar, not clinical knowledge: they only shape the candidate phrases of this offline report.
_GRAMMAR = frozenset(
    "a à au aux avec chez dans de des du d en et est été il elle l la le les lors mais ni ou par pas plus pour qu "
    "que qui s sa se ses son sur un une y ont avait était sont ce cette ces leur leurs tout toute tous toutes "
    "non n ne aucun aucune".split()
)
_COMPLEMENT = frozenset({"de", "d", "du", "des"})  # "signe de malignité": the complement names the concept
_ARTICLE = frozenset({"l", "la", "le", "les"})


@dataclass
class CoverageEntry:
    kind: str  # unmapped: the resource type; candidate: the cue kinds that announced it
    text: str  # the most frequent spelling
    count: int = 0
    reports: set[str] = field(default_factory=set)
    examples: list[str] = field(default_factory=list)  # "report: ...context..."
    reason: str = ""
    spellings: dict[str, int] = field(default_factory=dict)


@dataclass
class CoverageReport:
    reports: int
    failed: list[tuple[str, str]]
    mentions: int  # concept mentions found
    unmapped: list[CoverageEntry]
    candidates: list[CoverageEntry]


def coverage(
    reports: Iterable[tuple[str, str]], *, mappings: Mappings | None = None, mappings_dir: str | Path | None = None
) -> CoverageReport:
    """Convert every ``(report id, text)`` and gather what was found but not coded.

    A report that fails to convert is listed in ``failed`` and the others go on.

    >>> r = coverage([("a", "Pas de xérose cutanée. Pas de xérose.")])   # doctest: +SKIP
    >>> [(c.text, c.count) for c in r.candidates]                         # doctest: +SKIP
    [('xérose cutanée', 1), ('xérose', 1)]
    """
    maps = mappings or load_mappings(mappings_dir)
    unmapped: dict[tuple[str, str], CoverageEntry] = {}
    candidates: dict[tuple[str, ...], CoverageEntry] = {}
    failed: list[tuple[str, str]] = []
    done = mentions = 0
    forward = {ref.where for _, ref in maps.cues if ref.row.direction in ("forward", "both")}
    for report_id, text in reports:
        try:
            result = convert(text, report_id=report_id, mappings=maps)
        except FhirconvError as exc:
            failed.append((report_id, str(exc)))
            continue
        done += 1
        mentions += sum(1 for m in result.mentions if m.kind not in ATTRIBUTE_KINDS)
        for u in result.unmapped:
            key = (u.kind, " ".join(t.key for t in normalise(u.text).tokens))
            _count(
                unmapped.setdefault(key, CoverageEntry(u.kind, u.text, reason=u.reason)),
                u.text,
                report_id,
                text,
                u.start,
                u.end,
            )
        for words, start, end, cue in _candidates(result, forward) + _diagnosis_lines(result, maps):
            entry = candidates.setdefault(words, CoverageEntry(cue.kind, text[start:end]))
            if cue.kind not in entry.kind.split("+"):
                entry.kind += f"+{cue.kind}"
            _count(entry, text[start:end], report_id, text, cue.start, end)
    return CoverageReport(done, failed, mentions, _ranked(unmapped.values()), _ranked(candidates.values()))


def _count(entry: CoverageEntry, spelling: str, report_id: str, text: str, start: int, end: int) -> None:
    entry.count += 1
    entry.reports.add(report_id)
    entry.spellings[spelling] = entry.spellings.get(spelling, 0) + 1
    if len(entry.examples) < EXAMPLES:
        left = text.rfind("\n", 0, start) + 1
        context = text[max(left, start - 40) : min(len(text), end + 40)].replace("\n", " ").strip()
        entry.examples.append(f"{report_id}: ...{context}...")


def _ranked(entries: Iterable[CoverageEntry]) -> list[CoverageEntry]:
    out = []
    for e in entries:
        e.text = max(e.spellings, key=lambda s: (e.spellings[s], s))
        out.append(e)
    return sorted(out, key=lambda e: (-e.count, -len(e.reports), e.text.lower()))


def _candidates(result: ConversionResult, forward: set[str]) -> list[tuple[tuple[str, ...], int, int, Cue]]:
    """(folded words, start, end, cue) of each uncovered phrase right after a forward concept cue (``forward``: the
    rules, ``file:line``, of cues that look forward)."""
    text = result.text
    concepts = [(m.start, m.end) for m in result.mentions if m.kind not in ATTRIBUTE_KINDS]
    out = []
    for cue in result.cues:
        if cue.kind not in _CONCEPT_CUES or cue.rule not in forward:
            continue
        stop = _CLAUSE_END.search(text, cue.end)
        window_end = stop.start() if stop else len(text)
        tokens = normalise(text[cue.end : window_end]).tokens
        words = _phrase(tokens)
        if not words or all(len(t.raw) < 3 for t in words):
            continue
        start, end = cue.end + words[0].start, cue.end + words[-1].end
        if any(s < end and start < e for s, e in concepts):
            continue
        out.append((tuple(t.key for t in words), start, end, cue))
    return out


def _diagnosis_lines(result: ConversionResult, maps: Mappings) -> list[tuple[tuple[str, ...], int, int, Cue]]:
    """The leading noun phrase of each sentence of a diagnosis section that no concept mention touches: a diagnosis
    the tables do not know ("Diagnostic : maladie de Zorglub.")."""
    text = result.text
    structure = segment(text, maps)
    concepts = [(m.start, m.end) for m in result.mentions if m.kind not in ATTRIBUTE_KINDS]
    out = []
    for sentence in structure.sentences:
        if structure.sections[sentence.section].key != DIAGNOSIS_SECTION:
            continue
        if any(s < sentence.end and sentence.start < e for s, e in concepts):
            continue
        stop = _CLAUSE_END.search(text, sentence.start, sentence.end)
        window_end = stop.start() if stop and stop.start() > sentence.start else sentence.end
        words = _phrase(normalise(text[sentence.start : window_end]).tokens)
        if words and any(len(t.raw) >= 3 for t in words):
            start, end = sentence.start + words[0].start, sentence.start + words[-1].end
            out.append((tuple(t.key for t in words), start, end, Cue("diagnosis-section", start, start, "")))
    return out


def _phrase(tokens: tuple[Token, ...]) -> list[Token]:
    """The noun phrase at the start of ``tokens``: leading grammar words skipped, noun complements kept
    ("signe de malignité", "atteinte de l'albuginée"), cut at the next grammar word or after CANDIDATE_WORDS words."""
    words: list[Token] = []
    content = 0
    for t in tokens:
        low = t.raw.lower()
        if low in _GRAMMAR or t.raw.isdigit():
            if not words:
                continue
            if low in _COMPLEMENT or (low in _ARTICLE and words[-1].raw.lower() in _COMPLEMENT):
                words.append(t)
                continue
            break
        words.append(t)
        content += 1
        if content == CANDIDATE_WORDS:
            break
    while words and words[-1].raw.lower() in _GRAMMAR:
        words.pop()
    return words


def format_coverage(report: CoverageReport, top: int = 30) -> str:
    """Text tables printed by ``fhirconv coverage``."""
    lines = [
        f"{report.reports} report(s), {len(report.failed)} failed; {report.mentions} concept mentions; "
        f"{sum(e.count for e in report.unmapped)} unmapped mentions ({len(report.unmapped)} distinct); "
        f"{sum(e.count for e in report.candidates)} uncovered phrases "
        f"({len(report.candidates)} distinct)"
    ]
    for title, entries in (
        ("unmapped (recognised, no code in the tables)", report.unmapped),
        ("candidates (after a cue or in a diagnosis section, matched by no table; heuristic)", report.candidates),
    ):
        lines.append(f"== {title}")
        if not entries:
            lines.append("   (none)")
            continue
        lines.append(f"   {'count':>5} {'reports':>7}  {'kind':22} text / example")
        for e in entries[:top]:
            lines.append(
                f"   {e.count:5} {len(e.reports):7}  {e.kind:22} {e.text!r}" + (f"  ({e.reason})" if e.reason else "")
            )
            if e.examples:
                lines.append(f"   {'':37} e.g. {e.examples[0]}")
        if len(entries) > top:
            lines.append(f"   ... {len(entries) - top} more (--top, --csv, --json)")
    for report_id, message in report.failed:
        lines.append(f"failed: {report_id}: {message}")
    return "\n".join(lines) + "\n"


def _rows(report: CoverageReport) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for section, entries in (("unmapped", report.unmapped), ("candidate", report.candidates)):
        for e in entries:
            rows.append(
                {
                    "list": section,
                    "kind": e.kind,
                    "text": e.text,
                    "count": e.count,
                    "reports": len(e.reports),
                    "reason": e.reason,
                    "spellings": "|".join(sorted(e.spellings)),
                    "examples": " || ".join(e.examples),
                }
            )
    return rows


def coverage_csv(report: CoverageReport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, ["list", "kind", "text", "count", "reports", "reason", "spellings", "examples"], lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(_rows(report))
    return out.getvalue()


def coverage_json(report: CoverageReport) -> str:
    data = {
        "reports": report.reports,
        "failed": [{"report": r, "error": m} for r, m in report.failed],
        "concept_mentions": report.mentions,
        "entries": _rows(report),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
