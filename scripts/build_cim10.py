"""Write mappings/cim10.csv: every WHO-level CIM-10 FR code with its French label, and a matchable term.

Why: conditions.csv is curated by hand and covers a few hundred diseases; fhirconv also needs to look up and
match the rest of CIM-10. The ATIH French labels come from the ``edsnlp`` wheel (BSD-3-Clause), which ships them
as ``edsnlp/resources/cim10.csv.gz`` and may be reused. Only this script touches edsnlp: fhirconv reads the
generated table, so there is no run-time dependency. The term rules below are judgement calls, each with its
reason; rebuild and read the diff after changing one.

    python scripts/build_cim10.py                 # pip-downloads edsnlp==0.23.0 (no dependencies)
    python scripts/build_cim10.py --wheel PATH    # or reads a wheel already on disk

The output is deterministic (rows sorted by code), so a rebuild from the same wheel gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fhirconv.normalise import term_keys  # noqa: E402

EDSNLP_VERSION = "0.23.0"
RESOURCE = "edsnlp/resources/cim10.csv.gz"
OUT = ROOT / "mappings" / "cim10.csv"

# WHO-level codes only: the category (A00) and its 4th-character subdivision (A00.9). ATIH's 5-6 character
# extensions (national PMSI codes) and the "+" forms are French billing detail that the other tables do not use.
_CATEGORY = re.compile(r"[A-Z]\d\d")
_SUBDIVISION = re.compile(r"[A-Z]\d\d\d")

# Chapters whose labels get no term (the rows stay, for code lookup and the cross-table check):
# C00-D48 neoplasms go through morphology.csv + topography.csv; R symptoms and signs are curated by hand (the
# gold leaves plain symptoms out); S/T injuries and poisonings, V01-Y98 external causes,
# Z (factors, encounters) and U (provisional codes) are not the patient's disease as a report words it.
_NO_TERM_LETTERS = set("RSTVWXYZU")


def _no_term_chapter(code: str) -> bool:
    return code[0] in _NO_TERM_LETTERS or code[0] == "C" or (code[0] == "D" and code[1:3] <= "48")


# ATIH keeps deleted codes in its list with the label "*** SU19 *** ..." (SUpprimé in 2019): they must not be coded
# any more, so they are left out and the cross-table check at load catches a curated row still using one.
_DELETED = re.compile(r"^\*\*\*\s*SU\d\d")
# Tails that qualify the code, not the disease: "Choléra, sans précision" is written "choléra" in a report, and
# "Méningite tuberculeuse (G01*)" / "Hypertension essentielle (primitive)" without their brackets.
_UNSPECIFIED = re.compile(r",\s*(?:sans précision|SAI)$")
_TRAILING_BRACKETS = re.compile(r"(?:\s*\([^()]*\))+$")
# Labels that never read as a disease a report would write: residual classes ("Autres ...", "... d'autres
# organes"), cross-references ("classé ailleurs", "au cours de maladies ..."), ATIH site subdivisions
# ("... - Bras"), "non précisé" and enumerations, and the obstetric "Soins maternels pour ..." encounter labels.
_NO_TERM = re.compile(
    r"\bautres?\b|class[ée]e?s? ailleurs|\bau cours d|\s-\s|non précisée?s?|;|^Soins\b",
    re.IGNORECASE,
)
# A term keeps letters, digits, spaces, hyphens and apostrophes only: the matcher stops a term at a comma or a
# colon, and report wording never carries "[VIH]", quotes or "C.R.E.S.T." inside a disease name.
_UNMATCHABLE = re.compile(r"[^\w\s'’-]")
_MAX_WORDS = 6
# Terms that name something else in a report: an everyday or other-sense word ("charbon activé", "goutte à
# goutte", "aspect miliaire", "nerf sciatique", "TIC", "Propionibacterium acnes", "21 semaines d'aménorrhée" = the
# term of a pregnancy, "troubles de la conduction" of a nerve, a "kyste" of any organ, "lymphangite
# carcinomateuse" = a metastasis, not I89.1), an imaging or anatomical word (ostéophyte, ostéolyse, lordose), or a
# sign that chapter Q codes as congenital when a report describes it acquired (asymétrie faciale, macroglossie).
_AMBIGUOUS = {
    "charbon",
    "rage",
    "peste",
    "morve",
    "goutte",
    "kyste",
    "miliaire",
    "sciatique",
    "télogène",
    "anagène",
    "infestation",
    "rhumatisme",
    "lordose",
    "ostéophyte",
    "ostéolyse",
    "tic",
    "acné",
    "aménorrhée",
    "trouble de la conduction",
    "asymétrie faciale",
    "macroglossie",
    "lymphangite",
}
# Plain symptoms coded outside chapter R: like R, they are left to the curated tables (the gold leaves plain
# symptoms out). Pains are these words and every label starting with "Douleur".
_SYMPTOMS = {
    "érythème",
    "acouphènes",
    "dyspareunie",
    "cervicalgie",
    "dorsalgie",
    "myalgie",
    "otalgie",
    "métatarsalgie",
    "glossodynie",
    "mastodynie",
}
_PAIN = re.compile(r"^douleurs?\b", re.IGNORECASE)
# "Maladie osseuse, sans précision", "Atteinte musculaire, sans précision": an unspecified disorder of an organ. In
# a report these words name the extent of a tumour ("progression de la maladie osseuse", "atteinte musculaire
# métastatique"), so the residual code would be wrong; a named disease ("Maladie de Crohn, sans précision") stays.
_GENERIC_HEAD = re.compile(r"^(?:maladie|affection|atteinte|anomalie|lésion)s?\b", re.IGNORECASE)
_CAUSED = re.compile(r"\b(?:à|due?s?|par)\b")  # "Maladie à cytomégalovirus, sans précision" names its cause
# Compared on matching keys, so that "Tics" (F95) is caught by "tic" as the matcher would see it.
_STOP_KEYS = {term_keys(t)[0] for t in _AMBIGUOUS | _SYMPTOMS}


def read_wheel(wheel: Path) -> tuple[list[dict[str, str]], str]:
    """The rows of edsnlp's CIM-10 resource, and the sha256 of the gz file (recorded in the header)."""
    with zipfile.ZipFile(wheel) as z:
        raw = z.read(RESOURCE)
    text = gzip.decompress(raw).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text))), hashlib.sha256(raw).hexdigest()


def download_wheel(folder: Path) -> Path:
    # The resource file is the same in every platform wheel of a release; pinning one platform makes the
    # download independent of the interpreter running this script and never falls back to a source build.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            f"edsnlp=={EDSNLP_VERSION}",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.11",
            "--platform",
            "manylinux_2_28_x86_64",
            "-d",
            str(folder),
        ],
        check=True,
    )
    wheels = sorted(folder.glob(f"edsnlp-{EDSNLP_VERSION}-*.whl"))
    if not wheels:
        sys.exit(f"build_cim10: pip did not download an edsnlp {EDSNLP_VERSION} wheel into {folder}")
    return wheels[0]


def who_code(code: str) -> str | None:
    """``A009`` -> ``A00.9``; ``A00`` stays; ATIH extensions give None."""
    if _CATEGORY.fullmatch(code):
        return code
    if _SUBDIVISION.fullmatch(code):
        return f"{code[:3]}.{code[3]}"
    return None


def clean_label(label: str) -> tuple[str, bool]:
    """The label without its code-level tails, and whether ", sans précision" was one of them."""
    term = _TRAILING_BRACKETS.sub("", label)
    cut = _UNSPECIFIED.sub("", term)
    return _TRAILING_BRACKETS.sub("", cut), cut != term


def is_generic(term: str, unspecified: bool) -> bool:
    """An unspecified disorder of an organ ("Maladie osseuse, sans précision"), not caused or named."""
    return (
        unspecified and bool(_GENERIC_HEAD.search(term)) and term[1:] == term[1:].lower() and not _CAUSED.search(term)
    )


def usable(term: str) -> bool:
    """Matchable running-text wording that names the disease and nothing else."""
    return not (
        _UNMATCHABLE.search(term)
        or len(term.split()) > _MAX_WORDS
        or _PAIN.search(term)
        or term_keys(term)[0] in _STOP_KEYS
    )


def lower_first(term: str) -> str:
    # Lower-case the capital that starts every label, but keep a first word written in capitals or with an inner
    # capital (VIH, pH): an abbreviation, whose case matters to the matcher. The rest keeps the label's wording.
    first, _, rest = term.partition(" ")
    if first[:1].isupper() and first[1:] == first[1:].lower():
        first = first.lower()
    return f"{first} {rest}" if rest else first


def build(rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    table: dict[str, str] = {}
    candidates: dict[str, tuple[str, bool]] = {}  # code -> (term, "sans précision" was cut)
    blocked: set[tuple[str, ...]] = set()
    for r in rows:
        code = who_code(r["code"].strip())
        if code is None:
            continue
        label = " ".join(r["long"].split())  # a few labels carry double spaces
        if _DELETED.match(label):
            continue
        table[code] = label
        if _no_term_chapter(code) or _NO_TERM.search(label):
            continue
        term, unspecified = clean_label(label)
        if is_generic(term, unspecified):
            # refused for every code with the same words, so that the category ("Maladies osseuses") does not
            # take the term its ".9" child gave up
            blocked.add(term_keys(term)[0])
        elif usable(term):
            candidates[code] = (lower_first(term), unspecified)
    # One code per term. "Choléra" (A00) and "Choléra, sans précision" (A00.9) both give "choléra", so do
    # "Varicelle" (B01) and "Varicelle (sans complication)" (B01.9): ATIH coding wants the 4-character code when a
    # category is subdivided, so the unspecified or ".9" child wins over its category; otherwise the shortest code
    # (the broader concept) wins, then the first in code order.
    by_key: dict[tuple[str, ...], list[str]] = {}
    for code in sorted(candidates):
        key = term_keys(candidates[code][0])[0]
        if key not in blocked:
            by_key.setdefault(key, []).append(code)
    terms: dict[str, str] = {}
    for codes in by_key.values():
        children = [c for c in codes if len(c) == 5 and c[:3] in codes and (candidates[c][1] or c.endswith(".9"))]
        keep = children[0] if children else min(codes, key=lambda c: (len(c), c))
        terms[keep] = candidates[keep][0]
    return [(code, table[code], terms.get(code, "")) for code in sorted(table)]


def write(out: Path, table: list[tuple[str, str, str]], digest: str) -> None:
    buf = io.StringIO()
    buf.write(
        f"# source: CIM-10 FR labels as shipped in edsnlp {EDSNLP_VERSION} ({RESOURCE}, "
        "AP-HP, BSD-3-Clause); WHO-level codes only; terms derived by scripts/build_cim10.py\n"
    )
    buf.write(f"# version: edsnlp {EDSNLP_VERSION}, resource sha256 {digest[:16]}\n")
    buf.write(
        "# licence: carrier edsnlp BSD-3-Clause (c) AP-HP; content CIM-10 FR (c) WHO/ATIH (codes and French labels)\n"
    )
    buf.write("# note: generated, do not edit: rebuild with python scripts/build_cim10.py. Curated tables win over a\n")
    buf.write("# note: term here (conditions.csv etc.); a local change goes in an overlay cim10.csv (rows by code).\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "display", "term"])
    w.writerows(table)
    out.write_text(buf.getvalue(), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help=f"an edsnlp {EDSNLP_VERSION} wheel already downloaded")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if args.wheel:
        rows, digest = read_wheel(args.wheel)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows, digest = read_wheel(download_wheel(Path(tmp)))
    table = build(rows)
    write(args.out, table, digest)
    print(f"build_cim10: {len(table)} codes, {sum(1 for t in table if t[2])} with a term -> {args.out}")


if __name__ == "__main__":
    main()
