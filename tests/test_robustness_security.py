"""Security rules of docs/SECURITY.md (issue 10, point 4): safe YAML, no XML entity expansion, no clinical text in
logs or messages, output paths inside the output folder (the last one in test_robustness.py)."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import fhirconv
from fhirconv import MappingError, load_mappings
from fhirconv.cli import main
from fhirconv.io import safe_xml_parser

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("fhirconv/**/*.py"), *ROOT.glob("scripts/*.py"), *ROOT.glob("benchmarks/*.py")])
M = "meta: {source: t, version: 1, licence: CC0}\n"


def _overlay(tmp_path: Path, name: str, body: str) -> Path:
    d = tmp_path / "overlay"
    d.mkdir(exist_ok=True)
    (d / name).write_text(body, encoding="utf-8")
    return d


def test_sources_exist() -> None:
    assert any(p.name == "readers.py" for p in SOURCES) and len(SOURCES) > 20


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_unsafe_yaml_or_xml_call_in_the_sources(path: Path) -> None:
    code = path.read_text(encoding="utf-8")
    # yaml.load only with the SafeLoader subclass of the table reader; never unsafe_load / full_load / yaml.Loader
    for m in re.finditer(r"yaml\.(\w*load\w*)\((.*)", code):  # the rest of the line holds the Loader
        func, args = m.group(1), m.group(2)
        assert func in ("safe_load", "safe_load_all") or (func == "load" and "Loader=_LineLoader" in args), m.group()
    assert not re.search(r"Loader\s*=\s*yaml\.(Unsafe|Full)?Loader\b", code)
    # XML is parsed only through fhirconv.io.safe_xml_parser (entities off, no network)
    if path.name != "io.py":
        assert not re.search(r"\b(etree\.(fromstring|parse|XML|XMLParser)|model_validate_xml|parse_raw)\(", code), path


@pytest.mark.parametrize(
    "body, words",
    [
        (M + "cues:\n  - !!python/object/apply:os.system ['echo hacked']\n", "could not determine a constructor"),
        (M + "cues:\n  - {kind: negation, pattern: !!python/name:os.system }\n", "could not determine a constructor"),
        (M + "x: &a [lol, lol, lol, lol]\ny: &b [*a, *a, *a, *a]\ncues: [*b]\n", "aliases"),
    ],
)
def test_yaml_tables_construct_no_objects_and_no_aliases(tmp_path: Path, body: str, words: str) -> None:
    with pytest.raises(MappingError) as err:
        load_mappings(_overlay(tmp_path, "assertions.yaml", body))
    assert str(err.value).startswith(str(tmp_path / "overlay" / "assertions.yaml") + ":")
    assert words in str(err.value)


def test_xml_parser_expands_no_entity(tmp_path: Path) -> None:
    from lxml import etree

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    xxe = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'.encode()
    root = etree.fromstring(xxe, safe_xml_parser())
    assert b"TOP-SECRET" not in etree.tostring(root)
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;</r>'
    )
    root = etree.fromstring(laughs, safe_xml_parser())
    assert "haha" not in etree.tostring(root, encoding="unicode")


def test_xml_output_parses_back_with_the_safe_parser() -> None:
    from fhir.resources.R4B.bundle import Bundle

    result = fhirconv.convert("Femme de 60 ans. Diabète de type 2.", report_id="x")
    back = Bundle.model_validate_xml(fhirconv.to_xml(result.bundle).encode("utf-8"), xmlparser=safe_xml_parser())
    assert len(back.entry) == len(result.data["entry"])


MARKER = "Zorglubienne Xylophage"  # text that must never leave the bundle


def test_library_logs_and_prints_nothing(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    fhirconv.convert(f"Femme de 60 ans, {MARKER}. Diabète de type 2 traité par metformine.", report_id="x")
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert MARKER not in caplog.text


def test_cli_messages_carry_no_report_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Femme de 60 ans, {MARKER}. Diabète de type 2.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(f"{MARKER}\x00".encode())
    res = CliRunner().invoke(
        main, ["convert", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(tmp_path / "o")]
    )
    assert res.exit_code == 1
    assert MARKER not in res.stderr and "Zorglub" not in res.stderr
