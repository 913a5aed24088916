"""Why the bundle says what it says: ``explain`` runs the pipeline on one report and lays out, sentence by
sentence, the table rows that fired (``file:line``), the assertion cues that qualified each mention, dates and
values, what stayed unmapped or was dropped, and the FHIR resources that resulted (``fhirconv explain``).

It is the first thing to run when a term is missed or mis-coded: a missing row shows as no mention, a wrong code
as the row that gave it, a wrong negation as the cue (with its ``assertions.yaml`` line) that qualified it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fhirspec as F
from .document import Mention
from .maptools import code_systems_of
from .pipeline import ConversionResult, convert
from .sections import segment
from .tables import Mappings, load_mappings

__all__ = ["Explanation", "MentionInfo", "ResourceInfo", "SentenceInfo", "explain", "format_explanation"]


@dataclass
class MentionInfo:
    kind: str
    start: int
    end: int
    text: str
    rows: list[str]  # file:line of every table row matched on the span
    codes: list[str]  # "column=code display" of the first row
    qualifiers: list[tuple[str, str, str]]  # (kind, cue text, cue rule file:line)
    date: str | None = None
    date_source: str | None = None  # the date expression and its rule
    values: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)  # "Type/id" of the resources citing this mention
    dropped: str | None = None  # why the mention was not asserted


@dataclass
class ResourceInfo:
    resource_type: str
    id: str
    code: str
    status: str
    detail: str
    evidence: list[tuple[int, int]]


@dataclass
class SentenceInfo:
    index: int
    section: str
    start: int
    end: int
    text: str
    mentions: list[MentionInfo] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    resources: list[ResourceInfo] = field(default_factory=list)


@dataclass
class Explanation:
    report_id: str | None
    sentences: list[SentenceInfo]
    result: ConversionResult

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``fhirconv explain --json``)."""
        return {
            "report_id": self.report_id,
            "sentences": [
                {
                    "index": s.index,
                    "section": s.section,
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "mentions": [m.__dict__ for m in s.mentions],
                    "unmapped": s.unmapped,
                    "resources": [r.__dict__ for r in s.resources],
                }
                for s in self.sentences
            ],
        }


def explain(
    text: str, *, report_id: str | None = None, mappings: Mappings | None = None, mappings_dir: str | Path | None = None
) -> Explanation:
    """Convert ``text`` and explain the result sentence by sentence.

    >>> e = explain("Pas de diabète. Hb 10,2 g/dl.")           # doctest: +SKIP
    >>> e.sentences[0].mentions[0].qualifiers                 # doctest: +SKIP
    [('negation', 'Pas de', 'assertions.yaml:11')]
    """
    maps = mappings or load_mappings(mappings_dir)
    result = convert(text, report_id=report_id, mappings=maps)
    structure = segment(text, maps)
    sentences = [
        SentenceInfo(
            i,
            _section_name(structure.sections[s.section].key, structure.sections[s.section].title),
            s.start,
            s.end,
            text[s.start : s.end],
        )
        for i, s in enumerate(structure.sentences)
    ]
    resources = [_resource_info(e["resource"]) for e in result.data["entry"]]
    dropped = {(m.start, m.end, m.kind): why for m, why in result.dropped}
    for m in result.mentions:
        info = _mention_info(text, m, resources, dropped.get((m.start, m.end, m.kind)))
        sentences[structure.sentence_at(m.start)].mentions.append(info)
    for u in result.unmapped:
        sentences[structure.sentence_at(u.start)].unmapped.append(f"{u.kind} {u.text!r}: {u.reason}")
    for r in resources:
        if r.evidence:  # DocumentReference and a Patient without evidence belong to no sentence
            sentences[structure.sentence_at(r.evidence[0][0])].resources.append(r)
    return Explanation(report_id, sentences, result)


def _section_name(key: str | None, title: str) -> str:
    if key is None:
        return "(no section)"
    return f"{key} ({title})" if title else key


def _mention_info(text: str, m: Mention, resources: list[ResourceInfo], dropped: str | None) -> MentionInfo:
    rows = [ref.where for ref in m.rows] or ([m.rule] if m.rule else [])
    codes = _row_codes(m.rows[0]) if m.rows else []
    qualifiers = [(kind, text[c.start : c.end], c.rule) for kind, c in m.qualifiers.items()]
    date = m.date.iso() if m.date else None
    date_source = None
    if m.date is not None:
        where = f" ({m.date.rule})" if m.date.rule else ""
        date_source = (text[m.date.start : m.date.end] if m.date.start >= 0 else "inherited") + where
    cited = [f"{r.resource_type}/{r.id}" for r in resources if (m.start, m.end) in r.evidence]
    return MentionInfo(
        m.kind, m.start, m.end, m.text, rows, codes, qualifiers, date, date_source, _values(text, m), cited, dropped
    )


def _row_codes(ref: Any) -> list[str]:
    row = ref.row
    if not hasattr(type(row), "model_fields"):
        return []
    display = getattr(row, "display", None) or getattr(row, "snomed_display", None)
    codes = [f"{col}={code}" for col, code in code_systems_of(ref.table, row).items()]
    return codes + ([f"display={display!r}"] if display else [])


def _values(text: str, m: Mention) -> list[str]:
    out = []
    for key in ("quantity", "dose"):
        q = m.attrs.get(key)
        if q is not None:
            unit = q.ucum or (f"{q.unit_text} (no UCUM)" if q.unit_text else "no unit")
            out.append(f"{key} {q.comparator or ''}{q.value:g} {unit} {text[q.start : q.end]!r}")
    if (q := m.attrs.get("qualitative")) is not None:
        out.append(f"qualitative {q.text!r} ({q.rule})" if isinstance(q, Mention) else f"qualitative {q!r}")
    if (route := m.attrs.get("route")) is not None:
        out.append(f"route {route.text!r} ({route.rule})" if isinstance(route, Mention) else f"route {route!r}")
    if (timing := m.attrs.get("timing")) is not None:
        out.append(f"timing {timing!r}")
    if (relative := m.attrs.get("relative")) is not None:
        out.append(f"relative {relative.text!r} ({relative.rule})")
    if (head := m.attrs.get("alias_of")) is not None:
        out.append(f"alias of {head.text!r}")
    if m.kind in ("stage", "tnm", "age"):
        out.extend(f"{k}={v}" for k, v in m.attrs.items() if isinstance(v, (str, int)))
    return out


def _resource_info(res: dict[str, Any]) -> ResourceInfo:
    rtype = res["resourceType"]
    cc = res.get("code") or res.get("medicationCodeableConcept") or res.get("valueCodeableConcept") or {}
    codings = cc.get("coding", []) if isinstance(cc, dict) else []
    if rtype == "FamilyMemberHistory":  # one relative, its conditions
        conds = [c.get("code", {}) for c in res.get("condition") or []]
        cc = conds[0] if conds else {}
        codings = [k for c in conds for k in c.get("coding", [])]
    code = "; ".join(
        f"{_system(c.get('system', ''))} {c.get('code')} {c.get('display', '')}".strip() for c in codings
    ) or (f"text only: {cc.get('text')!r}" if isinstance(cc, dict) and cc else "")
    status = ", ".join(f"{k}={_status(res[k])}" for k in ("clinicalStatus", "verificationStatus", "status") if k in res)
    detail = []
    for k in ("onsetDateTime", "effectiveDateTime", "performedDateTime", "gender"):
        if k in res:
            detail.append(f"{k}={res[k]}")
    if "effectivePeriod" in res:
        detail.append(f"effectivePeriod={res['effectivePeriod']}")
    if "valueQuantity" in res:
        q = res["valueQuantity"]
        detail.append(f"value={q.get('comparator', '')}{q.get('value')} {q.get('code') or q.get('unit', '')}".strip())
    if "relationship" in res:
        detail.append(f"relationship={_status(res['relationship'])}")
    return ResourceInfo(rtype, res["id"], code, status, ", ".join(detail), _evidence(res))


def _system(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1] if url else "?"


def _status(value: Any) -> str:
    if isinstance(value, dict):
        codings = value.get("coding") or [{}]
        return str(codings[0].get("code", value.get("text", "")))
    return str(value)


def _evidence(node: Any) -> list[tuple[int, int]]:
    """(start, end) of every derivation-reference extension anywhere in ``node``, the main mention first."""
    out: list[tuple[int, int]] = []
    if isinstance(node, dict):
        if node.get("url") == F.DERIVATION_REFERENCE:
            parts = {e["url"]: e for e in node.get("extension", [])}
            if "offset" in parts and "length" in parts:
                start = parts["offset"]["valueInteger"]
                out.append((start, start + parts["length"]["valueInteger"]))
            return out
        for value in node.values():
            out.extend(p for p in _evidence(value) if p not in out)
    elif isinstance(node, list):
        for value in node:
            out.extend(p for p in _evidence(value) if p not in out)
    return out


def format_explanation(e: Explanation) -> str:
    """The text rendering printed by ``fhirconv explain``."""
    lines: list[str] = []
    section = None
    for s in e.sentences:
        if not (s.mentions or s.unmapped or s.resources):
            continue
        if s.section != section:
            section = s.section
            lines.append(f"== section: {section}")
        lines.append(f"-- sentence {s.index} [{s.start}:{s.end}] {s.text}")
        for m in s.mentions:
            lines.append(f"   {m.kind:12} {m.text!r} [{m.start}:{m.end}]  row {', '.join(m.rows) or '-'}")
            if m.codes:
                lines.append(f"   {'':12} code {'; '.join(m.codes)}")
            for kind, cue, rule in m.qualifiers:
                lines.append(f"   {'':12} {kind} <- cue {cue!r} ({rule})")
            if m.date:
                lines.append(f"   {'':12} date {m.date} <- {m.date_source}")
            for v in m.values:
                lines.append(f"   {'':12} {v}")
            if m.dropped:
                lines.append(f"   {'':12} dropped: {m.dropped}")
            if m.resources:
                lines.append(f"   {'':12} -> {', '.join(m.resources)}")
        for u in s.unmapped:
            lines.append(f"   UNMAPPED     {u}")
        for r in s.resources:
            lines.append(
                f"   => {r.resource_type}/{r.id}: {r.code or '-'}"
                + (f" | {r.status}" if r.status else "")
                + (f" | {r.detail}" if r.detail else "")
            )
    counts = e.result.resource_counts()
    lines.append(
        f"== {sum(counts.values())} resources ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}); "
        f"{len(e.result.unmapped)} unmapped; {len(e.result.dropped)} dropped"
    )
    return "\n".join(lines) + "\n"
