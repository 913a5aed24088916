"""The review page as HTML (no browser): nesting of crossing spans, escaping of hostile reports, no network, CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

import fhirconv
from fhirconv.cli import main
from fhirconv.show import _Ann, _render_text, review_page

from .conftest import SEEDS


class _Marks(HTMLParser):
    """Checks tags are well nested and collects marks, the text outside tags, and the script blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.marks: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "br", "input", "link", "img"):
            if tag in ("img", "link"):
                self.marks.append({"tag": tag})
            return
        self.stack.append(tag)
        if tag == "mark":
            self.marks.append(dict(attrs))
        if tag == "script":
            self.scripts.append(dict(attrs))
            self.in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("meta", "br", "input"):
            return
        assert self.stack and self.stack[-1] == tag, (self.stack[-5:], tag)
        self.stack.pop()
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if not self.in_script:
            self.text.append(data)


def _parse(html: str) -> _Marks:
    p = _Marks()
    p.feed(html)
    p.close()
    assert not p.stack, p.stack
    return p


def test_crossing_and_nested_spans_are_well_formed() -> None:
    text = "adénocarcinome gastrique antral métastatique"
    anns = [
        _Ann("a0", "hl", "Condition", 0, 24),
        _Ann("a1", "hl", "Procedure", 15, 31),  # crossing
        _Ann("a2", "ev", "Condition", 15, 24, [0]),
        _Ann("a3", "hl", "Observation", 32, 44),
        _Ann("a4", "drop", "Dropped", 32, 44),
    ]  # same span twice
    p = _parse(f"<div>{_render_text(text, anns)}</div>")
    assert "".join(p.text) == text  # no character lost or doubled
    frags: dict[str, list[dict[str, str | None]]] = {}
    for m in p.marks:
        frags.setdefault(str(m["data-a"]), []).append(m)
    assert sorted(frags) == ["a0", "a1", "a2", "a3", "a4"]
    # exactly one focusable first fragment per annotation
    for aid, fs in frags.items():
        assert [f.get("id") for f in fs if f.get("tabindex") == "0"] == [aid]
    # the crossing one is split in two fragments, the second one marked as a continuation
    assert len(frags["a1"]) == 2 and "cont" in str(frags["a1"][1]["class"]).split()
    assert len(frags["a0"]) == 1


def test_hostile_report_is_escaped_and_page_loads_nothing() -> None:
    text = (
        "Patiente de 60 ans, sans diabète. <script>alert(1)</script> <img src=x onerror=alert(2)> "
        'Diagnostic : adénocarcinome gastrique </script><!-- \u2028 & "quotes"\n'
    )
    page = review_page(fhirconv.convert(text, report_id="<b>x</b>"))
    p = _parse(page)
    assert len(p.scripts) == 2  # the data block and the page script, nothing from the report
    assert not [m for m in p.marks if m.get("tag") in ("img", "link")]
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>x</b>" not in page
    data = re.search(r'<script type="application/json" id="fhirconv-data">(.*?)</script>', page, re.DOTALL)
    assert data is not None and "<" not in data.group(1)
    assert json.loads(data.group(1))["anns"]  # still valid JSON after escaping
    # no network: no external URL in src/href, no CSS import or url(), a CSP that forbids loading
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page


def test_page_of_every_seed_marks_every_resource(seed_results) -> None:
    for stem, result in seed_results.items():
        p = _parse(review_page(result))
        firsts = [
            m
            for m in p.marks
            if m.get("tag") is None and "hl" in str(m["class"]).split() and "first" in str(m["class"]).split()
        ]
        per_type: dict[str, set[str]] = {}
        for m in firsts:
            per_type.setdefault(str(m["data-type"]), set()).add(str(m["data-r"]))
        counts = {t: n for t, n in result.resource_counts().items() if t != "DocumentReference"}
        assert {t: len(v) for t, v in per_type.items()} == counts, stem


def test_cli_show_writes_a_page_and_fails_cleanly(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "sub" / "page.html"
    res = runner.invoke(main, ["show", str(SEEDS[0]), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    r5 = runner.invoke(main, ["show", str(SEEDS[1]), "--fhir-version", "R5"])
    assert r5.exit_code == 0 and "ATC" in r5.output  # R5 medication.concept codes are shown
    piped = runner.invoke(main, ["show", "-"], input="Homme de 70 ans, diabète de type 2.\n")
    assert piped.exit_code == 0 and "E11" in piped.output
    missing = runner.invoke(main, ["show", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "x.html")])
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    blank = runner.invoke(main, ["show", str(empty), "-o", str(tmp_path / "y.html")])
    assert (missing.exit_code, blank.exit_code) == (4, 4)
    assert "nope.txt" in missing.output and "Traceback" not in missing.output
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "y.html").exists()
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".")] == []  # no temporary file left
