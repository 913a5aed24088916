"""A broken mapping table (issue 10, point 2): every kind of error names ``file:line``, and ``convert`` with an
overlay folder holding the broken table stops before converting anything (exit code 3, no output file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fhirconv import MappingError, load_mappings
from fhirconv.cli import main

from .conftest import SEEDS

H = "# source: test\n# version: 1\n# licence: CC0\n"  # lines 1-3 of a CSV table
M = "meta: {source: t, version: 1, licence: CC0}\n"  # line 1 of a YAML table

# (case id, file name, content, line the error must name, words the message must contain)
CASES = [
    # malformed files
    ("yaml-unclosed-flow", "assertions.yaml", M + "cues: [\n", None, "malformed YAML"),
    ("yaml-tab-indent", "assertions.yaml", M + "cues:\n\t- {kind: negation, pattern: x}\n", 3, "malformed YAML"),
    (
        "yaml-duplicate-key",
        "assertions.yaml",
        M + "cues:\n  - {kind: negation, kind: hypothesis, pattern: xyz}\n",
        3,
        "duplicate key 'kind'",
    ),
    ("yaml-no-meta", "assertions.yaml", "cues: []\n", 1, "meta"),
    ("yaml-entry-not-mapping", "assertions.yaml", M + "\ncues:\n  - just words\n", 3, "must be a mapping"),
    ("yaml-list-expected", "sections.yaml", M + "\n\nsections: {key: a}\n", 4, "must be a list"),
    ("csv-too-few-cells", "medications.csv", H + "term,atc,display\nfoo,N02BE01\n", 5, "expected 3 cells"),
    ("csv-too-many-cells", "medications.csv", H + "term,atc,display\nfoo,N02BE01,x,y\n", 5, "expected 3 cells"),
    ("csv-bad-quoting", "medications.csv", H + 'term,atc,display\nfoo,N02BE01,"para"cetamol\n', 5, "malformed CSV"),
    ("csv-unterminated-quote", "units.csv", H + 'alias,ucum,display\n"machin,mg,x\n', 5, "malformed CSV"),
    ("csv-no-header", "medications.csv", "term,atc,display\nfoo,N02BE01,paracetamol\n", 1, "licence"),
    ("not-utf8", "medications.csv", None, 1, "not UTF-8"),
    # unknown keys and columns
    ("csv-unknown-column", "medications.csv", H + "term,atc,display,colour\nfoo,N02BE01,x,red\n", 4, "unknown column"),
    (
        "yaml-unknown-row-key",
        "assertions.yaml",
        M + "cues:\n  - {kind: negation, pattern: xyz, colour: red}\n",
        3,
        "unknown key 'colour'",
    ),
    ("yaml-unknown-top-key", "assertions.yaml", M + "\n\nclues: []\n", 4, "unknown key 'clues'"),
    ("unknown-table-file", "medicaments.csv", H + "term,atc,display\n", 1, "unknown table name"),
    (
        "bad-enum-value",
        "procedures.csv",
        H + "term,snomed,snomed_display,ccam,ccam_display,category\nfoo,,,,,chirurgie\n",
        5,
        "category",
    ),
    # code formats and check digits
    ("cim10-format", "conditions.csv", H + "term,cim10,display,snomed,snomed_display\nfoo,C7A.012,x,,\n", 5, "CIM-10"),
    (
        "cim10-unknown-code",
        "conditions.csv",
        H + "term,cim10,display,snomed,snomed_display\nfoo,Z99.99,x,,\n",
        5,
        "not in cim10.csv",
    ),
    ("icdo3-format", "morphology.csv", H + "term,icdo3,display\nfoo,814/3,x\n", 5, "ICD-O-3"),
    (
        "loinc-check-digit",
        "observations.csv",
        H + "term,loinc,display,category,unit\nfoo,718-8,x,laboratory,\n",
        5,
        "LOINC check digit",
    ),
    ("atc-format", "medications.csv", H + "term,atc,display\nfoo,L01XE4,x\n", 5, "ATC"),
    (
        "snomed-verhoeff",
        "conditions.csv",
        H + "term,cim10,display,snomed,snomed_display\nfoo,D65,x,77477001,y\n",
        5,
        "Verhoeff",
    ),
    (
        "snomed-not-digits",
        "procedures.csv",
        H + "term,snomed,snomed_display,ccam,ccam_display,category\nfoo,12AB56,x,,,surgery\n",
        5,
        "SNOMED CT",
    ),
    ("edqm-format", "routes.csv", H + "alias,edqm,display\nvoie x,123,x\n", 5, "EDQM"),
    ("code-without-display", "medications.csv", H + "term,atc,display\nfoo,N02BE01,\n", 5, "display"),
    # duplicate terms
    (
        "duplicate-csv-term",
        "medications.csv",
        H + "term,atc,display\nzorglub,N02BE01,x\nZorglubs,N02BE01,x\n",
        6,
        "duplicate term",
    ),
    (
        "duplicate-yaml-pattern",
        "sections.yaml",
        M + "sections:\n  - {key: a, pattern: Foo}\n  - {key: b, pattern: Foo}\n",
        4,
        "duplicate",
    ),
    (
        "duplicate-regimen-alias",
        "regimens.yaml",
        M
        + "regimens:\n  - {name: ZORGO, components: [paracétamol]}\n  - {name: ZAP, aliases: [zorgo], components: [paracétamol]}\n",
        4,
        "duplicate",
    ),
    # regexes
    (
        "regex-does-not-compile",
        "assertions.yaml",
        M + 'cues:\n  - {kind: negation, pattern: "(unclosed"}\n',
        3,
        "does not compile",
    ),
    ("regex-matches-empty", "assertions.yaml", M + 'cues:\n  - {kind: negation, pattern: "x*"}\n', 3, "empty string"),
    ("regex-missing-group", "patient.yaml", M + 'age:\n  - {pattern: "\\\\d+ ans"}\n', 3, "named group"),
    (
        "frequency-without-n",
        "frequencies.yaml",
        M + "rules:\n  - {pattern: tous les jours, period_unit: d, n_fills: period}\n",
        3,
        "named group",
    ),
    (
        "refine-unknown-code",
        "cim10_refine.yaml",
        M + 'rules:\n  - {code: I80.9, to: I80.7, pattern: "jambe"}\n',
        3,
        "I80.7 is not in cim10.csv",
    ),
    (
        "refine-site-unknown-finding",
        "cim10_refine.yaml",
        M + "sites:\n  - {finding: zorglub, icdo3: C22, cim10: K75.0}\n",
        3,
        "not a term of findings.csv",
    ),
    (
        "refine-site-bad-topography",
        "cim10_refine.yaml",
        M + "sites:\n  - {finding: abcès, icdo3: 22, cim10: K75.0}\n",
        3,
        "icdo3",
    ),
    ("refine-bad-code", "cim10_refine.yaml", M + 'rules:\n  - {code: I809, to: I80.3, pattern: "jambe"}\n', 3, "code"),
    (
        "refine-bare-anaphor",
        "cim10_refine.yaml",
        M + "bare:\n  - {finding: lésion, cim10: L98.9}\n",
        3,
        "may name no disease of its own",
    ),
    (
        "neoplasm-unsited-wrong-block",
        "neoplasm_cim10.csv",
        H + "morphology,behaviour,topography,cim10,display\n,3,,D36.9,Tumeur bénigne de siège non précisé\n",
        5,
        "unsited",
    ),
    # tumours.yaml, cim10_refine.yaml types: a row must name codes that exist, in the shape its rule reads
    ("organ-not-category", "tumours.yaml", M + "distinct_histologies:\n  - {topography: C44.1}\n", 3, "category"),
    ("organ-unknown", "tumours.yaml", M + "distinct_histologies:\n  - {topography: C99}\n", 3, "no row of topography"),
    (
        "umbrella-later-type",
        "tumours.yaml",
        M + 'umbrellas:\n  - {morphology: "8046", types: ["8012", "8140"]}\n',
        3,
        "a later one refines it",
    ),
    (
        "umbrella-behaviour",
        "tumours.yaml",
        M + 'umbrellas:\n  - {morphology: "8046/3", types: ["8012"]}\n',
        3,
        "4-digit",
    ),
    ("umbrella-unknown", "tumours.yaml", M + 'umbrellas:\n  - {morphology: "0999", types: ["0998"]}\n', 3, "no row of"),
    ("local-behaviour", "tumours.yaml", M + 'local_histologies:\n  - {morphology: "8090/3"}\n', 3, "prefix"),
    ("local-unknown", "tumours.yaml", M + 'local_histologies:\n  - {morphology: "0999"}\n', 3, "no malignant row"),
    (
        "types-not-category",
        "cim10_refine.yaml",
        M + "types:\n  - {untyped: E14.2, typed: [E11], bare: E14.9}\n",
        3,
        "E14.2 is not a CIM-10 category",
    ),
    (
        "types-bare-of-another",
        "cim10_refine.yaml",
        M + "types:\n  - {untyped: E14, typed: [E11], bare: E11.9}\n",
        3,
        "bare: E11.9 is not a cim10.csv code of E14",
    ),
    (
        "types-missing-subdivision",
        "cim10_refine.yaml",
        M + "types:\n  - {untyped: E14, typed: [E11, I10], bare: E14.9}\n",
        3,
        "I10 has no I10.0 for E14.0",
    ),
    # UCUM
    ("ucum-unit", "units.csv", H + "alias,ucum,display\nmachins,mgx/L,x\n", 5, "UCUM"),
    (
        "ucum-observation-unit",
        "observations.csv",
        H + "term,loinc,display,category,unit\nfoo,718-7,x,laboratory,mg//L\n",
        5,
        "UCUM",
    ),
    ("ucum-unclosed-bracket", "units.csv", H + "alias,ucum,display\nmachins,[iU,x\n", 5, "UCUM"),
]


def _write(folder: Path, name: str, body: str | None) -> None:
    folder.mkdir(exist_ok=True)
    if body is None:  # a Latin-1 table: "fièvre" as one byte 0xE8
        (folder / name).write_bytes(H.encode() + b"term,atc,display\nfi\xe8vre,N02BE01,x\n")
    else:
        (folder / name).write_text(body, encoding="utf-8")


@pytest.mark.parametrize("case, name, body, line, words", CASES, ids=[c[0] for c in CASES])
def test_broken_table_names_file_and_line(
    tmp_path: Path, case: str, name: str, body: str | None, line: int | None, words: str
) -> None:
    overlay = tmp_path / "overlay"
    _write(overlay, name, body)
    with pytest.raises(MappingError) as err:
        load_mappings(overlay)
    message = str(err.value)
    where = f"{overlay / name}:{line if line is not None else ''}"
    assert message.startswith(where), message
    assert words.lower() in message.lower(), message


@pytest.mark.parametrize("case, name, body, line, words", CASES[::4], ids=[c[0] for c in CASES[::4]])
def test_convert_with_broken_overlay_converts_nothing(
    tmp_path: Path, case: str, name: str, body: str | None, line: int | None, words: str
) -> None:
    overlay = tmp_path / "overlay"
    _write(overlay, name, body)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["convert", *map(str, SEEDS), "-o", str(out), "--mappings", str(overlay)])
    assert res.exit_code == 3, res.output
    assert f"{overlay / name}:" in res.stderr and words.lower() in res.stderr.lower()
    assert "Traceback" not in res.output
    assert not out.exists() or not any(out.iterdir())  # nothing converted with a broken table


def test_mappings_check_reports_the_error(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    _write(overlay, "units.csv", H + "alias,ucum,display\nmachins,mgx/L,x\n")
    res = CliRunner().invoke(main, ["mappings", "check", str(overlay)])
    assert res.exit_code == 3
    assert f"{overlay / 'units.csv'}:5:" in res.stderr


def test_table_with_byte_order_mark_loads(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    _write(overlay, "medications.csv", "\ufeff" + H + "term,atc,display\nzorglubine,N02BE01,paracetamol\n")
    maps = load_mappings(overlay)
    assert any(r.row.term == "zorglubine" for r in maps.rows["medications.csv"])


def test_rows_with_one_pattern_and_one_direction_are_duplicates(tmp_path: Path) -> None:
    """Two cue rows with one pattern are refused when they also look the same way; with other directions they
    are two rules of one cue (a stop verb looks back over the sentence and forward over its clause)."""
    overlay = tmp_path / "overlay"
    _write(
        overlay,
        "assertions.yaml",
        M + "cues:\n"
        '  - {kind: med_stopped, pattern: "\\\\bzarrêt\\\\b", direction: backward, scope: sentence}\n'
        '  - {kind: med_stopped, pattern: "\\\\bzarrêt\\\\b", direction: backward, scope: clause}\n',
    )
    with pytest.raises(
        MappingError, match=r"assertions.yaml:4: duplicate pattern \\bzarrêt\\b in 'cues' \(first at line 3\)"
    ):
        load_mappings(overlay)
    _write(
        overlay,
        "assertions.yaml",
        M + "cues:\n"
        '  - {kind: med_stopped, pattern: "\\\\bzarrêt\\\\b", direction: backward, scope: sentence}\n'
        '  - {kind: med_stopped, pattern: "\\\\bzarrêt\\\\b", direction: forward, scope: clause}\n',
    )
    assert len(load_mappings(overlay).cues) > 2
