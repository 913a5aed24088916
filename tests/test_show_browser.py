"""The review page in a real headless browser (Debian's chromium driven by chromedriver through selenium).

scripts/test.sh installs chromium and chromedriver (scripts/install-browser.sh). Without them the tests skip on a
developer's machine, and fail in CI (CI=true), where the set-up must have installed them.
Screenshots go to $FHIRCONV_ARTIFACTS (default build/artifacts/), to look at the page as a clinician would.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fhirconv.cli import main
from fhirconv.fhirspec import DERIVATION_REFERENCE

from .conftest import FIXTURES, ROOT

SEED = FIXTURES / "001_7044a167d4b1b468.txt"  # family history, refuted and provisional conditions, drugs, labs
ARTIFACTS = Path(os.environ.get("FHIRCONV_ARTIFACTS", ROOT / "build" / "artifacts"))
# Without the background-networking flags chromium tries to reach Google services, which the sandbox refuses.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        message = "chromium/chromedriver not installed (scripts/install-browser.sh installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    # explicit driver path: selenium never runs its downloader (no network)
    drv = webdriver.Chrome(options=opts, service=Service(executable_path=driver))
    drv.set_page_load_timeout(30)
    try:
        yield drv
    finally:
        drv.quit()


def _page(tmp_path: Path, report: Path) -> Path:
    out = tmp_path / f"{report.stem}.html"
    res = CliRunner().invoke(main, ["show", str(report), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def _expected_highlights(bundle: dict[str, Any]) -> dict[str, set[tuple[str, int, int]]]:
    """Per resource type, the (resource id, offset, length) of every main evidence span of the bundle."""
    out: dict[str, set[tuple[str, int, int]]] = {}
    for entry in bundle["entry"]:
        res = entry["resource"]
        mains, paths = [], []
        for ext in res.get("extension", []):
            if ext["url"] != DERIVATION_REFERENCE:
                continue
            sub = {e["url"]: e for e in ext["extension"]}
            span = (res["id"], sub["offset"]["valueInteger"], sub["length"]["valueInteger"])
            (paths if "path" in sub else mains).append(span)
        if mains or paths:
            out.setdefault(res["resourceType"], set()).update(mains or paths)
    return out


_READ_MARKS = """
const out = [];
for (const m of document.querySelectorAll('#report-text mark.hl.first')) {
  const r = m.getBoundingClientRect();
  out.push({aid: m.dataset.a, type: m.dataset.type, rid: m.dataset.r, cls: m.className,
            text: m.textContent, w: r.width, h: r.height,
            bg: getComputedStyle(m).backgroundColor, deco: getComputedStyle(m).textDecorationLine});
}
const data = JSON.parse(document.getElementById('fhirconv-data').textContent);
return {marks: out, anns: data.anns, ids: data.resources.map(r => r.json.id),
        requests: performance.getEntriesByType('resource').length};
"""


def test_highlights_click_and_marks(browser: Any, tmp_path: Path, seed_results: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    page = _page(tmp_path, SEED)
    browser.get(page.as_uri())
    got = browser.execute_script(_READ_MARKS)
    assert got["requests"] == 0  # nothing fetched: the page is self-contained

    # every main evidence span of the bundle is one highlight of its type, visible on screen
    expected = _expected_highlights(seed_results[SEED.stem].data)
    expected.pop("DocumentReference", None)
    shown: dict[str, set[tuple[str, int, int]]] = {}
    for m in got["marks"]:
        ann = got["anns"][m["aid"]]
        rid = got["ids"][int(m["rid"])]
        shown.setdefault(m["type"], set()).add((rid, ann["start"], ann["end"] - ann["start"]))
        assert m["w"] > 0 and m["h"] > 0, m
    assert {t: len(v) for t, v in shown.items()} == {t: len(v) for t, v in expected.items()}
    assert shown == expected
    # each type has its own colour
    colours = {m["type"]: m["bg"] for m in got["marks"] if not set(m["cls"].split()) & {"fam", "nocode"}}
    assert len(set(colours.values())) == len(colours) >= 5, colours

    # the refuted "allergies" (pas d'allergies) is struck through; a family history is marked as such
    refuted = [m for m in got["marks"] if m["text"] == "allergies"]
    assert refuted and "neg" in refuted[0]["cls"].split() and "line-through" in refuted[0]["deco"]
    assert any("fam" in m["cls"].split() for m in got["marks"] if m["type"] == "FamilyMemberHistory")

    # click a coded condition: the panel shows its code, display and JSON
    bundle = seed_results[SEED.stem].data
    target = next(m for m in got["marks"] if m["type"] == "Condition" and m["text"].startswith("adénocarcinome"))
    res = bundle["entry"][[e["resource"]["id"] for e in bundle["entry"]].index(got["ids"][int(target["rid"])])]
    coding = res["resource"]["code"]["coding"][0]
    assert coding["code"] in browser.find_element(By.ID, target["aid"]).get_attribute("title")  # hover tooltip
    browser.find_element(By.ID, target["aid"]).click()
    panel = browser.find_element(By.ID, "panel").text
    assert coding["code"] in panel and coding["display"] in panel
    assert res["resource"]["id"] in browser.find_element(By.CSS_SELECTOR, "#panel pre").text
    assert "sel" in browser.find_element(By.ID, target["aid"]).get_attribute("class").split()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "review-page-condition.png"))

    # keyboard: Enter on a focused medication highlight shows it; Escape closes the panel
    med = next(m for m in got["marks"] if m["type"] == "MedicationStatement")
    el = browser.find_element(By.ID, med["aid"])
    browser.execute_script("arguments[0].focus()", el)
    el.send_keys(Keys.ENTER)
    assert "ATC" in browser.find_element(By.ID, "panel").text
    browser.save_screenshot(str(ARTIFACTS / "review-page-medication.png"))
    el.send_keys(Keys.ESCAPE)
    assert "Click or press Enter" in browser.find_element(By.ID, "panel").text

    # the table's "show" button brings the highlight into view and opens it
    button = browser.find_element(By.CSS_SELECTOR, 'table[data-type="Procedure"] button.goto')
    browser.execute_script("arguments[0].scrollIntoView()", button)
    button.click()
    assert "Procedure" in browser.find_element(By.CSS_SELECTOR, "#panel h2").text
    browser.execute_script("document.querySelector('.tables').scrollIntoView()")
    browser.save_screenshot(str(ARTIFACTS / "review-page-tables.png"))

    # unticking a type in the legend hides its colour
    browser.find_element(By.CSS_SELECTOR, 'input[data-toggle="Observation"]').click()
    obs = next(m for m in got["marks"] if m["type"] == "Observation")
    hidden = browser.execute_script(
        "return getComputedStyle(document.getElementById(arguments[0])).backgroundColor", obs["aid"]
    )
    assert hidden != obs["bg"]


def test_hostile_report_runs_no_script(browser: Any, tmp_path: Path) -> None:
    """A report is untrusted text: markup in it is shown as text and never runs."""
    report = tmp_path / "hostile.txt"
    report.write_text(
        'Patiente de 60 ans, sans diabète. <img src=x onerror="window.pwned=1"> '
        "Diagnostic : adénocarcinome gastrique </script><script>window.pwned=2</script> "
        "<b>hypertension artérielle</b> & co.\n",
        encoding="utf-8",
    )
    browser.get(_page(tmp_path, report).as_uri())
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('#report-text img, #report-text b').length") == 0
    shown = browser.execute_script("return document.getElementById('report-text').textContent")
    assert shown == report.read_text(encoding="utf-8")
    from selenium.webdriver.common.by import By

    marks = browser.find_elements(By.CSS_SELECTOR, "#report-text mark.hl.neg")
    assert [m.text for m in marks] == ["diabète"]
    marks[0].click()
    assert "refuted" in browser.find_element(By.ID, "panel").text


def test_eval_report_in_the_browser(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from .test_evaluate import _corpus

    out = tmp_path / "eval.html"
    res = CliRunner().invoke(main, ["eval", _corpus(tmp_path), "--html", str(out)])
    assert res.exit_code == 0, res.output
    browser.get(out.as_uri())
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    row = browser.find_element(By.CSS_SELECTOR, "table.by-type tbody tr")
    assert row.is_displayed() and row.text.startswith("Condition")
    assert any(m.text == "retiré" for m in browser.find_elements(By.CSS_SELECTOR, "details.metric mark"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "eval-report.png"))
