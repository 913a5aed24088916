"""Review page: one self-contained HTML page showing what a conversion extracted from a report.

The report text is shown with every resource's evidence highlighted in its type's colour (nested marks where
evidence nests, split marks where two spans cross), assertion marks (negated, hypothetical, family, history) on the
words they qualify, a side panel with a resource's codes, value, status, dates and JSON, then one table per resource
type and the lists of unmapped and deliberately dropped mentions. The report is untrusted input: every text goes
through ``html.escape`` and the data the script reads is JSON whose ``<``, ``>`` and ``&`` are escaped, and the
script builds the panel with ``textContent`` only. No network: CSS and JS are inlined and a Content-Security-Policy
forbids any fetch.

>>> import fhirconv
>>> page = review_page(fhirconv.convert("Patiente de 60 ans, sans diabète."))  # doctest: +SKIP
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from importlib import resources as ir
from typing import Any

from . import fhirspec as F
from .pipeline import ConversionResult
from .tables import ATTRIBUTE_KINDS

__all__ = ["TYPE_ORDER", "review_page"]

# Display order of resource types (legend, tables); the DocumentReference holds the text itself, never highlighted.
TYPE_ORDER = ("Condition", "FamilyMemberHistory", "MedicationStatement", "Observation", "Procedure", "Patient")
SYSTEM_NAMES = {
    F.CIM10: "CIM-10",
    F.ICDO3: "ICD-O-3",
    F.SNOMED: "SNOMED CT",
    F.LOINC: "LOINC",
    F.ATC: "ATC",
    F.UCUM: "UCUM",
    F.EDQM: "EDQM",
    F.CCAM: "CCAM",
    F.V3_ROLECODE: "RoleCode",
}
# qualifier kind (assertions.yaml) -> assertion mark shown on the words
MARKS = {
    "negation": "neg",
    "exclusion": "neg",
    "hypothesis": "hyp",
    "differential": "hyp",
    "family": "fam",
    "history": "hist",
}
BADGES = {"neg": "negated", "hyp": "hypothesis", "fam": "family", "hist": "history", "nocode": "no code"}
# no network at all: inline style and script only, nothing else may load
_CSP = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
)
_PANEL = (
    '<aside id="panel" class="panel" aria-live="polite" aria-label="Details">'
    '<p class="hint">Click or press Enter on a highlight to see its codes, status, dates and FHIR JSON. '
    "Tab moves between highlights; Esc closes.</p></aside></main>"
)
_DATE_KEYS = ("onset", "abatement", "effective", "performed", "occurrence", "recorded", "birthDate")


@dataclass
class _Ann:
    """One highlighted span: a resource's main evidence, another element's evidence, or a dropped mention."""

    aid: str
    kind: str  # "hl" (resource evidence), "ev" (element evidence: a date, a site, a value), "drop"
    type: str
    start: int
    end: int
    rids: list[int] = field(default_factory=list)
    marks: set[str] = field(default_factory=set)
    info: dict[str, Any] = field(default_factory=dict)


def review_page(result: ConversionResult, *, title: str | None = None) -> str:
    """The review page of one conversion, as a complete HTML document (str)."""
    text = result.text
    resources = [e["resource"] for e in result.data["entry"] if e["resource"]["resourceType"] != "DocumentReference"]
    summaries = [_summary(r) for r in resources]
    anns = _annotations(result, resources)
    by_type: dict[str, list[int]] = {}
    for i, r in enumerate(resources):
        by_type.setdefault(r["resourceType"], []).append(i)
    first_ann: dict[int, str] = {}
    for a in anns:
        for rid in a.rids if a.kind == "hl" else ():
            first_ann.setdefault(rid, a.aid)
    cited: dict[int, list[dict[str, Any]]] = {}  # resource -> every span it cites, to list them in the panel
    for a in sorted(anns, key=lambda a: a.start):
        for j, rid in enumerate(a.rids):
            path = a.info["paths"][j] if a.kind == "ev" else None
            cited.setdefault(rid, []).append({"aid": a.aid, "text": text[a.start : a.end], "path": path})
    data = {
        "resources": [
            {"type": r["resourceType"], "json": r, "summary": s, "ann": first_ann.get(i), "cited": cited.get(i, [])}
            for i, (r, s) in enumerate(zip(resources, summaries))
        ],
        "anns": {
            a.aid: {
                "kind": a.kind,
                "type": a.type,
                "rids": a.rids,
                "marks": sorted(a.marks),
                "text": text[a.start : a.end],
                "start": a.start,
                "end": a.end,
                **a.info,
            }
            for a in anns
        },
        "badges": BADGES,
    }
    name = title or result.report_id or "report"
    marked = _render_text(text, anns, _titles(anns, resources, summaries))
    types = [t for t in TYPE_ORDER if t in by_type] + sorted(t for t in by_type if t not in TYPE_ORDER)
    parts = [
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">',
        # no network at all: inline style and script only, nothing else may load
        _CSP,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>fhirconv review: {_e(name)}</title><style>{_asset('show.css')}</style></head><body>",
        _header(result, name, by_type, types),
        '<main class="layout"><section class="text-col" aria-label="Report text">',
        f'<div id="report-text" class="report-text">{marked}</div></section>',
        _PANEL,
        _tables(
            resources,
            summaries,
            by_type,
            types,
            first_ann,
            {rid for a in anns if a.kind == "hl" and "nocode" in a.marks for rid in a.rids},
        ),
        _lists(result, anns),
        '<script type="application/json" id="fhirconv-data">',
        _json_for_html(data),
        "</script>",
        f"<script>{_asset('show.js')}</script></body></html>\n",
    ]
    return "".join(parts)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _asset(name: str) -> str:
    return ir.files("fhirconv.templates").joinpath(name).read_text(encoding="utf-8")


def _json_for_html(data: Any) -> str:
    """JSON safe inside <script>: no '</script>', no '<!--', whatever the report says."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _spans(res: dict[str, Any]) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
    """(main evidence spans, element evidence spans with their path) of a resource's derivation references."""
    mains: list[tuple[int, int]] = []
    paths: list[tuple[int, int, str]] = []
    for ext in res.get("extension", []):
        if ext.get("url") != F.DERIVATION_REFERENCE:
            continue
        sub = {e["url"]: e for e in ext.get("extension", [])}
        if "offset" not in sub or "length" not in sub:
            continue
        a = sub["offset"]["valueInteger"]
        b = a + sub["length"]["valueInteger"]
        path = sub.get("path", {}).get("valueString")
        if path is None:
            mains.append((a, b))
        else:
            paths.append((a, b, path))
    return mains, paths


def _resource_marks(res: dict[str, Any]) -> set[str]:
    marks = set()
    rtype = res["resourceType"]
    if rtype == "FamilyMemberHistory":
        marks.add("fam")
    ver = _code_of(res.get("verificationStatus"))
    if ver == "refuted" or res.get("status") in ("not-taken", "not-done"):
        marks.add("neg")
    elif ver in ("provisional", "differential"):
        marks.add("hyp")
    return marks


def _annotations(result: ConversionResult, resources: list[dict[str, Any]]) -> list[_Ann]:
    text = result.text
    concepts = [m for m in result.mentions if m.kind not in ATTRIBUTE_KINDS]
    anns: list[_Ann] = []
    main_spans: set[tuple[int, int]] = set()
    element_spans: dict[tuple[int, int], _Ann] = {}
    for rid, res in enumerate(resources):
        mains, paths = _spans(res)
        if not mains and paths:  # a resource citing only elements (Patient.gender): those are its evidence
            mains = [(a, b) for a, b, _ in paths]
            paths = []
        for a, b in mains:
            if not 0 <= a < b <= len(text):
                continue
            inside = [m for m in concepts if a <= m.start and m.end <= b]
            marks = _resource_marks(res)
            if res["resourceType"] != "Observation":  # "HER2 négatif" is a result, not a negated test
                marks |= {MARKS[q] for m in inside for q in m.qualifiers if q in MARKS}
            if any(a <= u.start and u.end <= b for u in result.unmapped):
                marks.add("nocode")
            anns.append(
                _Ann(
                    f"a{len(anns)}",
                    "hl",
                    res["resourceType"],
                    a,
                    b,
                    [rid],
                    marks,
                    {"mentions": [_mention_info(text, m) for m in inside]},
                )
            )
            main_spans.add((a, b))
        for a, b, path in paths:
            if not 0 <= a < b <= len(text):
                continue
            ann = element_spans.get((a, b))
            if ann is None:
                ann = element_spans[(a, b)] = _Ann("", "ev", res["resourceType"], a, b, info={"paths": []})
            ann.rids.append(rid)
            ann.info["paths"].append(path)
    for _span, ann in sorted(element_spans.items()):
        ann.aid = f"a{len(anns)}"
        anns.append(ann)
    for m, reason in result.dropped:
        if (m.start, m.end) in main_spans or not m.start < m.end:
            continue
        marks = {MARKS[q] for q in m.qualifiers if q in MARKS}
        anns.append(
            _Ann(
                f"a{len(anns)}",
                "drop",
                "Dropped",
                m.start,
                m.end,
                [],
                marks,
                {"reason": reason, "mentions": [_mention_info(text, m)]},
            )
        )
    return anns


def _mention_info(text: str, m: Any) -> dict[str, Any]:
    return {
        "text": m.text,
        "kind": m.kind,
        "rule": m.rule,
        "date": m.date.iso() if m.date else None,
        "qualifiers": [{"kind": k, "cue": text[c.start : c.end], "rule": c.rule} for k, c in m.qualifiers.items()],
    }


def _render_text(text: str, anns: list[_Ann], titles: dict[str, str] | None = None) -> str:
    """The text with one <mark> per annotation, nested where spans nest; a span crossing another is split in
    fragments (the first one is the focusable one, the last one carries the assertion badge)."""
    starts: dict[int, list[_Ann]] = {}
    for a in anns:
        starts.setdefault(a.start, []).append(a)
    rank = {"hl": 0, "drop": 1, "ev": 2}  # at equal spans the resource highlight is the outer mark
    for lst in starts.values():
        lst.sort(key=lambda a: (-a.end, rank[a.kind]))
    points = sorted({0, len(text)} | {a.start for a in anns} | {a.end for a in anns})
    out: list[Any] = []  # str, or [ann, is_first] for an opening tag rendered at the end
    stack: list[_Ann] = []
    opened: set[str] = set()
    last_open: dict[str, int] = {}

    def open_(a: _Ann) -> None:
        last_open[a.aid] = len(out)
        out.append([a, a.aid not in opened])
        opened.add(a.aid)
        stack.append(a)

    pos = 0
    for p in points:
        out.append(html.escape(text[pos:p], quote=False))
        pos = p
        if any(a.end == p for a in stack):
            reopen = []
            while any(a.end == p for a in stack):
                top = stack.pop()
                out.append("</mark>")
                if top.end != p:
                    reopen.append(top)
            for a in reversed(reopen):
                open_(a)
        for a in starts.get(p, []):
            open_(a)
    last = set(last_open.values())
    titles = titles or {}
    return "".join(
        item if isinstance(item, str) else _open_tag(item[0], item[1], i in last, text, titles.get(item[0].aid))
        for i, item in enumerate(out)
    )


def _open_tag(a: _Ann, first: bool, last: bool, text: str, title: str | None) -> str:
    cls = [a.kind, f"t-{a.type}"] + sorted(m for m in a.marks)
    cls += ["first"] if first else ["cont"]
    cls += ["end"] if last else []
    attrs = [f'class="{" ".join(cls)}"', f'data-a="{a.aid}"', f'data-type="{_e(a.type)}"']
    if a.rids:
        attrs.append(f'data-r="{" ".join(map(str, a.rids))}"')
    if title:
        attrs.append(f'title="{_e(title)}"')
    if last and a.marks:
        attrs.append(f'data-badge="{_e(" · ".join(BADGES[m] for m in sorted(a.marks)))}"')
    if first:
        what = {"hl": a.type, "ev": "evidence", "drop": "not asserted"}[a.kind]
        flags = ", ".join(BADGES[m] for m in sorted(a.marks))
        # the label replaces the words for a screen reader: say them, then what they are
        attrs += [
            f'id="{a.aid}"',
            'tabindex="0"',
            'role="button"',
            f'aria-label="{_e(text[a.start : a.end])} ({_e(what)}{_e(", " + flags) if flags else ""})"',
        ]
    return f"<mark {' '.join(attrs)}>"


def _titles(anns: list[_Ann], resources: list[dict[str, Any]], summaries: list[dict[str, Any]]) -> dict[str, str]:
    """Hover text of each highlight: what the panel says, in one short tooltip."""
    out = {}
    for a in anns:
        if a.kind == "drop":
            out[a.aid] = f"not asserted: {a.info['reason']}"
        elif a.kind == "ev":
            out[a.aid] = "; ".join(
                f"{path} of {summaries[rid]['label'] or resources[rid]['resourceType']}"
                for rid, path in zip(a.rids, a.info["paths"])
            )
        else:
            s = summaries[a.rids[0]]
            lines = [a.type + (f" ({', '.join(BADGES[m] for m in sorted(a.marks))})" if a.marks else "")]
            lines += [f"{c['system']} {c['code']} {c['display']}" for c in s["codes"]] or ["no code"]
            lines += s["status"] + s["values"] + s["dates"]
            out[a.aid] = "\n".join(lines)
    return out


# ---- resource summaries: what a clinician checks, in plain strings --------------------------------------------


def _code_of(cc: dict[str, Any] | None) -> str | None:
    codings = (cc or {}).get("coding") or []
    return codings[0].get("code") if codings else None


def _main_concept(res: dict[str, Any]) -> dict[str, Any] | None:
    if "medicationCodeableConcept" in res:
        concept: dict[str, Any] = res["medicationCodeableConcept"]
        return concept
    if "medication" in res:  # R5 CodeableReference
        found: dict[str, Any] | None = res["medication"].get("concept")
        return found
    if res["resourceType"] == "FamilyMemberHistory":
        conds = res.get("condition") or []
        return conds[0].get("code") if conds else None
    return res.get("code")


def _concept_text(cc: dict[str, Any] | None) -> str:
    if not cc:
        return ""
    codings = cc.get("coding") or []
    return cc.get("text") or (codings[0].get("display", "") if codings else "")


def _quantity(q: dict[str, Any]) -> str:
    unit = q.get("unit") or q.get("code") or ""
    return f"{q.get('comparator', '')}{q.get('value', '')} {unit}".strip()


def _summary(res: dict[str, Any]) -> dict[str, Any]:
    """Codes, status, value, dates, site of a resource, as display strings (the panel and the tables show them)."""
    rtype = res["resourceType"]
    concepts = [_main_concept(res)]
    if rtype == "FamilyMemberHistory":
        concepts = [c.get("code") for c in res.get("condition") or []]
    codes = [
        {
            "system": SYSTEM_NAMES.get(c.get("system", ""), c.get("system", "")),
            "code": c.get("code", ""),
            "display": c.get("display", ""),
        }
        for cc in concepts
        if cc
        for c in cc.get("coding") or []
    ]
    label = "; ".join(_concept_text(cc) for cc in concepts if cc)
    if rtype == "Patient":
        label = "Patient"
    status = []
    for key in ("clinicalStatus", "verificationStatus"):
        if key in res:
            status.append(f"{key.replace('Status', '')}: {_code_of(res[key]) or _concept_text(res[key])}")
    if "status" in res:
        status.append(f"status: {res['status']}")
    if "adherence" in res:
        status.append(f"adherence: {_code_of(res['adherence'].get('code'))}")
    values = []
    for key, v in res.items():
        if key.startswith("value"):
            values.append(
                _quantity(v) if key == "valueQuantity" else _concept_text(v) if isinstance(v, dict) else str(v)
            )
    values += [_concept_text(i) for i in res.get("interpretation") or []]
    for d in res.get("dosage") or []:
        values.append(" ".join(x for x in [d.get("text", ""), _concept_text(d.get("route"))] if x))
    if rtype == "Patient" and "gender" in res:
        values.append(f"gender: {res['gender']}")
    for comp in res.get("component") or []:
        cv = comp.get("valueQuantity")
        values.append(
            f"{_concept_text(comp.get('code'))}: {_quantity(cv) if cv else _concept_text(comp.get('valueCodeableConcept'))}"
        )
    dates = []
    for key, v in res.items():
        if key.startswith(_DATE_KEYS):
            if isinstance(v, dict) and ("start" in v or "end" in v):
                v = f"{v.get('start', '?')} → {v.get('end', '…')}"
            elif isinstance(v, dict):
                v = _quantity(v) if "value" in v else json.dumps(v, ensure_ascii=False)
            dates.append(f"{key.removesuffix('DateTime').removesuffix('Period')}: {v}")
    site = [_concept_text(s) for s in res.get("bodySite") or []]
    relation = _concept_text(res.get("relationship")) if "relationship" in res else ""
    return {
        "label": label,
        "codes": codes,
        "status": status,
        "values": [v for v in values if v],
        "dates": dates,
        "site": site,
        "relationship": relation,
    }


# ---- static parts -----------------------------------------------------------------------------------------------


def _header(result: ConversionResult, name: str, by_type: dict[str, list[int]], types: list[str]) -> str:
    legend = []
    for t in types:
        legend.append(
            f'<label class="legend-item"><input type="checkbox" checked data-toggle="{_e(t)}"> '
            f'<span class="swatch t-{_e(t)}"></span>{_e(t)} <span class="count">{len(by_type[t])}</span>'
            "</label>"
        )
    if result.dropped:
        legend.append(
            '<label class="legend-item"><input type="checkbox" checked data-toggle="Dropped"> '
            f'<span class="swatch t-Dropped"></span>not asserted <span class="count">{len(result.dropped)}'
            "</span></label>"
        )
    marks = "".join(
        f'<span class="legend-mark"><mark class="hl t-Condition {m} end" data-badge="{_e(b)}">{_e(w)}</mark></span>'
        for m, b, w in [
            ("neg", "negated", "sans diabète"),
            ("hyp", "hypothesis", "suspicion de"),
            ("fam", "family", "mère : cancer"),
            ("hist", "history", "antécédent"),
            ("nocode", "no code", "not coded"),
        ]
    )
    counts = ", ".join(f"{len(by_type[t])} {t}" for t in types)
    return (
        f'<header class="top"><h1>{_e(name)}</h1><p class="meta">FHIR {_e(result.fhir_version)} · {counts} · '
        f"{len(result.unmapped)} unmapped · {len(result.dropped)} not asserted</p>"
        f'<div class="legend" role="group" aria-label="Resource types (untick to hide)">{"".join(legend)}</div>'
        f'<div class="legend marks" aria-label="Assertion marks">{marks}'
        '<span class="legend-mark"><span class="ev-sample">dotted</span> = date, site or value cited by a '
        "resource</span></div></header>"
    )


_COLUMNS = [
    ("Text", "label"),
    ("Codes", "codes"),
    ("Status", "status"),
    ("Value / dosage", "values"),
    ("Dates", "dates"),
    ("Site", "site"),
]


def _cell(summary: dict[str, Any], key: str) -> str:
    v = summary[key]
    if key == "codes":
        return (
            "<br>".join(
                f'<span class="sys">{_e(c["system"])}</span> <code>{_e(c["code"])}</code> {_e(c["display"])}' for c in v
            )
            or '<span class="none">none</span>'
        )
    if isinstance(v, list):
        return "<br>".join(_e(x) for x in v)
    return _e(v)


def _tables(
    resources: list[dict[str, Any]],
    summaries: list[dict[str, Any]],
    by_type: dict[str, list[int]],
    types: list[str],
    first_ann: dict[int, str],
    unmapped: set[int],
) -> str:
    out = ['<section class="tables"><h2>Resources by type</h2>']
    for t in types:
        cols = [c for c in _COLUMNS if any(summaries[i][c[1]] for i in by_type[t])]
        if t == "FamilyMemberHistory":
            cols.insert(1, ("Relative", "relationship"))
        head = "".join(f'<th scope="col">{_e(c)}</th>' for c, _ in cols)
        rows = []
        for i in by_type[t]:
            s = summaries[i]
            cells = "".join(f'<td class="c-{k}">{_cell(s, k)}</td>' for _, k in cols)
            aid = first_ann.get(i)
            go = (
                f'<button type="button" class="goto" data-goto="{aid}" aria-label="Show in text">show</button>'
                if aid
                else ""
            )
            cls = " ".join(sorted(_resource_marks(resources[i]) | ({"nocode"} if i in unmapped else set())))
            rows.append(f'<tr class="{cls}" data-rid="{i}">{cells}<td>{go}</td></tr>')
        out.append(
            f'<h3 id="table-{_e(t)}"><span class="swatch t-{_e(t)}"></span>{_e(t)} ({len(by_type[t])})</h3>'
            f'<table class="rtable" data-type="{_e(t)}"><thead><tr>{head}<th></th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    out.append("</section>")
    return "".join(out)


def _lists(result: ConversionResult, anns: list[_Ann]) -> str:
    text = result.text
    by_span = {(a.start, a.end): a.aid for a in anns if a.kind in ("hl", "drop")}

    def goto(a: int, b: int) -> str:
        aid = by_span.get((a, b))
        return f'<button type="button" class="goto" data-goto="{aid}">show</button>' if aid else ""

    unmapped = "".join(
        f"<tr><td>{_e(u.text)}</td><td>{_e(u.kind)}</td><td>{_e(u.reason)}</td>"
        f"<td>{u.start}–{u.end}</td><td>{goto(u.start, u.end)}</td></tr>"
        for u in result.unmapped
    )
    dropped = "".join(
        f"<tr><td>{_e(m.text)}</td><td>{_e(m.kind)}</td><td>{_e(why)}</td>"
        f"<td>{_e(_context(text, m.start, m.end))}</td><td>{goto(m.start, m.end)}</td></tr>"
        for m, why in result.dropped
    )
    return (
        '<section class="lists"><h2 id="unmapped">Unmapped mentions (recognised, no code in the tables)</h2>'
        + (
            f'<table class="rtable unmapped"><thead><tr><th>Text</th><th>Kind</th><th>Reason</th><th>Offsets</th>'
            f"<th></th></tr></thead><tbody>{unmapped}</tbody></table>"
            if unmapped
            else "<p>None.</p>"
        )
        + '<h2 id="dropped">Not asserted (recognised, deliberately left out of the bundle)</h2>'
        + (
            f'<table class="rtable dropped"><thead><tr><th>Text</th><th>Kind</th><th>Reason</th><th>Context</th>'
            f"<th></th></tr></thead><tbody>{dropped}</tbody></table>"
            if dropped
            else "<p>None.</p>"
        )
        + "</section>"
    )


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    before = text[max(0, start - width) : start].split("\n")[-1]
    after = text[end : end + width].split("\n")[0]
    return f"…{before}[{text[start:end]}]{after}…"
