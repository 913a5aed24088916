"""The evaluation report as one self-contained HTML page (``fhirconv eval GOLD.jsonl --html report.html``).

Per corpus file: precision, recall and F1 per FHIR resource type and per metric (the figures the terminal prints),
then the most frequent misses and false positives of each metric with the words around them. Texts come from the
corpora and are escaped; the page loads nothing (inline CSS, no script, a Content-Security-Policy forbidding fetches).

>>> from fhirconv.evaluate import evaluate_corpus
>>> page = eval_report_html([("gold.jsonl", evaluate_corpus("gold.jsonl"))])  # doctest: +SKIP
"""

from __future__ import annotations

import html
from collections import Counter
from importlib import resources as ir

from . import __version__
from .evaluate import EvalReport, Score

__all__ = ["eval_report_html"]

_CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _bar(x: float) -> str:
    return (
        f'<span class="bar" aria-hidden="true"><span style="width:{100 * x:.0f}%"></span></span>'
        f'<span class="num">{_pct(x)}</span>'
    )


def _row(name: str, sc: Score) -> str:
    return (
        f'<tr><th scope="row">{_e(name)}</th><td class="n">{sc.gold}</td><td class="n">{sc.found}</td>'
        f'<td>{_bar(sc.recall)}</td><td class="n">{sc.predicted}</td><td class="n">{sc.correct}</td>'
        f"<td>{_bar(sc.precision)}</td><td>{_bar(sc.f1)}</td></tr>"
    )


_HEAD = (
    '<thead><tr><th scope="col">{first}</th><th scope="col">gold</th><th scope="col">found</th>'
    '<th scope="col">recall</th><th scope="col">predicted</th><th scope="col">correct</th>'
    '<th scope="col">precision</th><th scope="col">F1</th></tr></thead>'
)


def _worst(title: str, counts: Counter[str], sc: Score, top: int) -> str:
    if not counts:
        return ""
    items = []
    for key, n in counts.most_common(top):
        contexts = "".join(
            f'<li><span class="doc">{_e(doc)}</span> …{_e(before)}<mark>{_e(span)}</mark>{_e(after)}…</li>'
            for doc, before, span, after in sc.examples.get(key, [])
        )
        items.append(
            f'<li><span class="key">{_e(key)}</span> <span class="times">×{n}</span>'
            f"{f'<ul class=ctx>{contexts}</ul>' if contexts else ''}</li>"
        )
    return f'<div class="worst"><h4>{_e(title)}</h4><ol>{"".join(items)}</ol></div>'


def _corpus(path: str, report: EvalReport, top: int) -> str:
    types = report.by_resource_type()
    out = [
        (
            f'<section class="corpus"><h2>{_e(report.corpus)} <span class="meta">{_e(path)} · {report.documents} '
            f"documents · {report.seconds:.1f} s · {len(report.failed)} failed</span></h2>"
        )
    ]
    if types:
        out.append(
            "<h3>Per resource type (mentions, micro-averaged over the labels of each type)</h3>"
            f'<table class="scores by-type">{_HEAD.format(first="resource type")}<tbody>'
            + "".join(_row(t, sc) for t, sc in sorted(types.items()))
            + "</tbody></table>"
        )
    out.append(
        f'<h3>Every metric</h3><table class="scores metrics">{_HEAD.format(first="metric")}<tbody>'
        + "".join(_row(n, sc) for n, sc in sorted(report.scores.items()))
        + "</tbody></table>"
    )
    worst = []
    for name, sc in sorted(report.scores.items()):
        block = _worst("missed", sc.misses, sc, top) + _worst("false positives", sc.false_positives, sc, top)
        if block:
            worst.append(
                f'<details class="metric" open><summary>{_e(name)} '
                f'<span class="meta">recall {_pct(sc.recall)} · precision {_pct(sc.precision)}</span>'
                f'</summary><div class="pair">{block}</div></details>'
            )
    if worst:
        out.append(f"<h3>Worst misses and false positives (top {top}, with their context)</h3>" + "".join(worst))
    if report.failed:
        out.append(
            "<h3>Documents that failed</h3><ul>"
            + "".join(f"<li><code>{_e(d)}</code>: {_e(err)}</li>" for d, err in report.failed)
            + "</ul>"
        )
    out.append("</section>")
    return "".join(out)


def eval_report_html(reports: list[tuple[str, EvalReport]], *, top: int = 8) -> str:
    """The HTML report of one or more scored corpus files, ``(path, report)`` pairs, as a complete page."""
    css = ir.files("fhirconv.templates").joinpath("eval.css").read_text(encoding="utf-8")
    names = ", ".join(r.corpus for _, r in reports)
    body = "".join(_corpus(path, report, top) for path, report in reports)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        + _CSP
        + f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>fhirconv evaluation: '
        f"{_e(names)}</title><style>{css}</style></head><body><header><h1>fhirconv evaluation</h1>"
        f'<p class="meta">fhirconv {_e(__version__)} · corpora: {_e(names)}. A gold mention is found when a '
        "mention cited by a bundle resource of its FHIR type overlaps it; precision counts cited mentions "
        "overlapping a gold one (README, Evaluation).</p></header><main>" + body + "</main></body></html>\n"
    )
