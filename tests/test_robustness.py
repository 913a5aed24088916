"""Bad input (issue 10, point 1): every odd report gets a valid bundle or a clear error naming the file; a batch
goes on; the exit code says some failed; no partial or temporary file is ever left in the output folder."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import fhirconv
import fhirconv.parallel
from fhirconv import InputError
from fhirconv.cli import main
from fhirconv.io import atomic_write, decode_report, output_path, safe_output_name, unique_names
from fhirconv.validate import validate_bundle

GOOD = "Femme de 62 ans. Diabète de type 2 traité par metformine 1000 mg deux fois par jour. Hb 10,2 g/dl."


def _run(*args: str, input: bytes | None = None) -> Result:
    res = CliRunner().invoke(main, list(args), input=input)
    # a user mistake is never a crash: the only exception allowed out of the command is the exit
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    return res


def _bundle(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _document_text(bundle: dict) -> str:
    doc = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DocumentReference")
    return base64.b64decode(doc["content"][0]["attachment"]["data"]).decode("utf-8")


def _cited(bundle: dict) -> list[str]:
    """The text every derivation-reference of the bundle cites."""
    text = _document_text(bundle)
    out = []
    for e in bundle["entry"]:
        for ext in e["resource"].get("extension", []):
            sub = {x["url"]: x for x in ext.get("extension", [])}
            if "offset" in sub:
                off, length = sub["offset"]["valueInteger"], sub["length"]["valueInteger"]
                out.append(text[off : off + length])
    return out


def _no_stray_files(folder: Path, expected: set[str]) -> None:
    assert {p.name for p in folder.iterdir()} == expected  # no temporary file, nothing for a failed report


# --- bad reports in a batch: each named, the others written -------------------------------------------------------

BAD = {
    "empty.txt": (b"", "empty report"),
    "blank.txt": (b"  \n\t\r\n  \n", "empty report"),
    "nul.txt": (b"Femme de 50 ans\x00\x01\x02\x00 binaire", "binary file"),
    "undecodable.txt": (bytes(range(0x80, 0xA0)) * 4, "not UTF-8 or Windows-1252"),
    "controls.txt": (bytes([1, 2, 3, 4, 5, 6, 7, 8, 0x0E, 0x1F]) * 50 + b"abc", "binary content"),
    "pdf.txt": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 >>\nstream\n\x00\x9d\x81x\nendstream", "binary"),
}


def test_batch_of_bad_reports_goes_on_and_names_each_file(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name, (data, _) in BAD.items():
        (src / name).write_bytes(data)
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    res = _run("convert", str(src), "-o", str(out))
    assert res.exit_code == 1  # some failed, the others were written
    _no_stray_files(out, {"good.json"})
    assert f"1 report(s) converted, {len(BAD)} failed" in res.stderr
    for name, (_, words) in BAD.items():
        line = next(x for x in res.stderr.splitlines() if x.startswith(f"fhirconv: failed: {src / name}:"))
        assert words in line, line
        assert line.count(str(src / name)) == 1  # the file is named once, not twice
    validate_bundle(_bundle(out / "good.json"), "R4", fhirconv.load_mappings())  # raises when not valid


def test_only_bad_reports_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "blank.txt"
    bad.write_bytes(b"\n\n   \n")
    res = _run("convert", str(bad), "-o", str(tmp_path / "out"))
    assert res.exit_code == InputError.exit_code
    assert f"{bad}: empty report" in res.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_binary_stdin_is_named_stdin() -> None:
    res = _run("convert", "-", input=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert res.exit_code == InputError.exit_code
    assert "<stdin>: binary file" in res.stderr
    assert res.stdout == ""


def test_folder_without_reports_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "empty_dir").mkdir()
    res = _run("convert", str(tmp_path / "empty_dir"), "-o", str(tmp_path / "out"))
    assert res.exit_code == 4 and "no .txt report" in res.stderr
    res = _run("convert", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out"))
    assert res.exit_code == 4 and f"{tmp_path / 'missing.txt'}: cannot read" in res.stderr


# --- encodings and line ends: decoded, offsets index the decoded text ----------------------------------------------

ENCODED = {
    "latin1.txt": GOOD.replace("Diabète", "Diab\u00e8te").encode("latin-1"),
    "cp1252.txt": ("Cœur : " + GOOD + " Coût : 10 €.").encode("cp1252"),
    "bom.txt": b"\xef\xbb\xbf" + GOOD.encode("utf-8"),
    "crlf.txt": GOOD.replace(". ", ".\r\n").encode("utf-8"),
    "cr.txt": GOOD.replace(". ", ".\r").encode("utf-8"),
    "utf16.txt": GOOD.encode("utf-16"),
}


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_encodings_give_the_same_facts(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(ENCODED[name])
    res = _run("convert", str(tmp_path / name), "-o", str(tmp_path / "out"))
    assert res.exit_code == 0, res.output
    bundle = _bundle(tmp_path / "out" / f"{Path(name).stem}.json")
    text = _document_text(bundle)
    assert "\r" not in text and "\ufeff" not in text and "Diabète" in text
    cited = _cited(bundle)
    assert "Diabète de type 2" in cited and "metformine" in cited and "Hb" in cited


def test_decode_report_unit() -> None:
    assert decode_report(b"\xef\xbb\xbfa\r\nb\rc", "x") == "a\nb\nc"
    assert decode_report("Diabète, cœur : 10 €".encode("cp1252"), "x") == "Diabète, cœur : 10 €"
    with pytest.raises(InputError, match="^r.txt: binary file"):
        decode_report(b"ab\x00cd", "r.txt")
    with pytest.raises(InputError, match="^r.txt: empty report"):
        decode_report(b"\xef\xbb\xbf \n", "r.txt")


# --- odd but textual reports: always a valid bundle -----------------------------------------------------------------

ODD = {
    "english": "Woman aged 50. History of type 2 diabetes treated with metformin 1000 mg twice daily.",
    "html": "<html><body><p>Femme de <b>50</b> ans.</p><div class='x'>Diabète &amp; HTA ((( [[ {{</div>"
    "<script>alert(1)</script></body></html>",
    "brackets": "Patient (((( de 40 ans ]]] avec [ cancer du sein ( gauche ) ) ) ) et { fièvre > < >> <<",
    "absurd-numbers": "Hb 99999999999999999999999999999999999999 g/dl. Créatinine 1e308 µmol/l. Homme de 999 ans. "
    "Le 31/02/2013, le 00/00/0000, en 99999, en l'an 3000. Plaquettes 0,0000000001 G/L. "
    "Paracétamol 10000000000000000000000 mg par jour. TNM pT9N9M9. Stade XXIV.",
    "only-punctuation": ". , ; : ! ? - ( ) [ ] « » … — – ' ’ \" /",
    "one-long-line": "fièvre " * 3000,
    "emoji-and-scripts": "Femme de 30 ans 😷. 糖尿病. السكري. Диабет. Diabète 🩺 de type 1.",
    "zero-width": "Dia\u200bbète de type 2 et méta\u00adstases hépatiques; HTA\u2028ancienne.",
    "combining": "Diabe\u0300te de type 2. Me\u0301tastases he\u0301patiques.",  # decomposed accents (NFD)
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_reports_give_valid_bundles(name: str) -> None:
    text = ODD[name]
    result = fhirconv.convert(text, report_id=name)
    assert result.bundle is not None
    for m in result.mentions:
        assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.text
    for cited in _cited(result.data):
        assert cited and cited.strip()


def test_long_report_converts_with_valid_evidence() -> None:
    """A long report (about 170 kB, 40 seed reports in a row) converts; the full 5 MB run is in
    benchmarks/fuzz_many.py --long (it takes minutes)."""
    seeds = sorted((Path(__file__).parent.parent / "fixtures").glob("*.txt"))
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in seeds) * 10
    result = fhirconv.convert(text, report_id="long")
    cited = _cited(result.data)
    assert len(cited) > 1000 and all(c.strip() for c in cited)


# --- output names and paths -----------------------------------------------------------------------------------------


def test_same_stem_in_two_folders_gives_two_outputs(tmp_path: Path) -> None:
    for sub, text in (("a", GOOD), ("b", "Homme de 70 ans. Hypertension artérielle.")):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "cas.txt").write_text(text, encoding="utf-8")
    (tmp_path / "in" / "cas-2.txt").write_text("Femme de 30 ans. Asthme.", encoding="utf-8")
    out = tmp_path / "out"
    res = _run("convert", str(tmp_path / "in"), "-o", str(out))
    assert res.exit_code == 0, res.output
    _no_stray_files(out, {"cas.json", "cas-2.json", "cas-3.json"})
    assert f"{tmp_path / 'in' / 'b' / 'cas.txt'}: another input has the stem 'cas'; written as cas-3.json" in res.stderr
    texts = {p.name: _document_text(_bundle(p)) for p in out.iterdir()}
    assert texts == {
        "cas.json": GOOD,
        "cas-3.json": "Homme de 70 ans. Hypertension artérielle.",
        "cas-2.json": "Femme de 30 ans. Asthme.",
    }
    ids = {p.name: {e["resource"]["id"] for e in _bundle(p)["entry"]} for p in out.iterdir()}
    assert not ids["cas.json"] & ids["cas-3.json"]  # distinct report ids: no resource id shared


def test_same_file_twice_and_case_only_difference() -> None:
    assert unique_names(["cas", "cas", "Cas", "cas-2"]) == ["cas", "cas-3", "Cas-4", "cas-2"]


@pytest.mark.parametrize(
    "name",
    ["..", ".", "../../etc/passwd", "/etc/passwd", "a/../../b", "..\\..\\win", "c:x", "\x00nul", ".hidden", "", " "],
)
def test_output_path_stays_in_the_output_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    path = output_path(out, name, "json")
    assert path.parent == out and path.resolve().parent == out.resolve()
    assert not path.name.startswith(".") and "/" not in safe_output_name(name) and "\\" not in path.name


def test_dotted_stems_are_written_inside_the_folder(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "...txt").write_text(GOOD, encoding="utf-8")  # stem '..'
    (src / ".txt.txt").write_text(GOOD, encoding="utf-8")  # stem '.txt' (hidden)
    out = tmp_path / "out"
    res = _run("convert", str(src / "...txt"), str(src / ".txt.txt"), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["_.json", "_txt.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_existing_symlink_at_the_output_name_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.json").symlink_to(outside)
    (tmp_path / "r.txt").write_text(GOOD, encoding="utf-8")
    res = _run("convert", str(tmp_path / "r.txt"), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert outside.read_text(encoding="utf-8") == "keep"
    assert not (out / "r.json").is_symlink() and _bundle(out / "r.json")["resourceType"] == "Bundle"


# --- faults while writing: no partial file --------------------------------------------------------------------------


def test_interrupted_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.json"
    target.write_text("previous run", encoding="utf-8")

    real_fdopen = os.fdopen

    class Interrupted:
        def __init__(self, fd: int, *a: object, **k: object) -> None:
            self.f = real_fdopen(fd, *a, **k)  # type: ignore[call-overload]

        def __enter__(self) -> Interrupted:
            return self

        def __exit__(self, *exc: object) -> None:
            self.f.close()

        def write(self, s: str) -> int:
            self.f.write(s[: len(s) // 2])
            raise KeyboardInterrupt  # Ctrl-C halfway through the write

    monkeypatch.setattr("fhirconv.io.os.fdopen", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, '{"resourceType": "Bundle"}')
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
    assert target.read_text(encoding="utf-8") == "previous run"  # the old file is intact, not half-replaced


def test_write_failure_fails_that_report_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b", "c"):
        (src / f"{name}.txt").write_text(GOOD, encoding="utf-8")
    real_replace = os.replace

    def replace(a: str | Path, b: str | Path) -> None:
        if Path(b).name == "b.json":
            raise OSError(28, "No space left on device")
        real_replace(a, b)

    monkeypatch.setattr("fhirconv.io.os.replace", replace)
    out = tmp_path / "out"
    res = _run("convert", str(src), "-o", str(out))
    assert res.exit_code == 1
    _no_stray_files(out, {"a.json", "c.json"})
    assert f"failed: {src / 'b.txt'}: cannot write output (No space left on device)" in res.stderr


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(GOOD, encoding="utf-8")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    res = _run("convert", str(tmp_path / "r.txt"), "-o", str(not_a_folder))
    assert res.exit_code == 4
    assert f"failed: {tmp_path / 'r.txt'}: cannot write output" in res.stderr


def test_internal_error_on_one_report_does_not_stop_the_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    (src / "boom.txt").write_text("Homme de 40 ans. BOOM.", encoding="utf-8")
    real = fhirconv.parallel.convert

    def convert(text: str, **kw: object) -> fhirconv.ConversionResult:
        if "BOOM" in text:
            raise ZeroDivisionError("simulated bug")
        return real(text, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr("fhirconv.parallel.convert", convert)  # --jobs 1: converted in this process
    res = _run("convert", str(src), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert res.exit_code == 1
    _no_stray_files(tmp_path / "out", {"a.json"})
    assert "boom.txt: internal error, please report it: ZeroDivisionError at test_robustness.py:" in res.stderr
    assert "simulated bug" not in res.stderr and "BOOM" not in res.stderr  # no report text in messages


def test_output_files_get_normal_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "r.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644


def test_real_process_binary_input_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(b"\x00\xff\xfe" * 100)
    out = subprocess.run(
        [sys.executable, "-m", "fhirconv", "convert", str(tmp_path / "x.txt"), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 4
    assert "binary file" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "data, words",
    [
        (b"\x91\x00\xff binary", "bad.jsonl:1: not UTF-8"),
        (b'{"doc_id": "x", "text": "abc", "mentions": []}\n{"doc_id": "y"\n', "bad.jsonl:2: not a corpus document"),
    ],
)
def test_eval_bad_corpus_file_names_file_and_line(tmp_path: Path, data: bytes, words: str) -> None:
    (tmp_path / "bad.jsonl").write_bytes(data)
    res = _run("eval", str(tmp_path / "bad.jsonl"))
    assert res.exit_code == InputError.exit_code
    assert words in res.stderr


def test_oversized_input_is_refused_without_reading_it_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fhirconv.io.MAX_REPORT_BYTES", 1000)
    res = _run("convert", "/dev/zero")  # endless: only the limit (plus one byte) is read
    assert res.exit_code == InputError.exit_code
    assert "/dev/zero: larger than 0 MB" in res.stderr
