"""NDJSON export in the FHIR bulk-data style: ``<out>/<Type>.ndjson``, one resource per line, every report's
resources of a type in one file (https://hl7.org/fhir/uv/bulkdata/export.html#file-format).

References inside the resources stay ``urn:uuid:<id>`` as in the bundles; each resource keeps its ``id``, so a
loader resolves ``urn:uuid:X`` to the resource whose id is X (fhirconv ids are uuid5, unique across reports).
The files are written into a hidden temporary folder inside ``<out>`` and moved into place by :meth:`commit`,
so an export that fails half-way leaves the previous files untouched, never half-written ones.

>>> with BulkWriter("export/") as bulk:                                           # doctest: +SKIP
...     for r in convert_many(reports):
...         if r.ok: bulk.add(r.bundle)
>>> bulk.counts                                                                   # doctest: +SKIP
{'Condition': 29, 'DocumentReference': 3, 'Observation': 78, 'Patient': 3, ...}
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

__all__ = ["BulkWriter"]


class BulkWriter:
    """Collects bundles into one NDJSON file per resource type. Not thread-safe: feed it from one thread."""

    def __init__(self, out_dir: str | Path) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._tmp: Path | None = Path(tempfile.mkdtemp(prefix=".fhirconv-bulk-", dir=self.out_dir))
        self._files: dict[str, IO[str]] = {}
        self._seen: set[tuple[str, str]] = set()
        self.counts: dict[str, int] = {}

    def add(self, bundle: dict[str, Any]) -> int:
        """Append the bundle's resources; returns how many were written (a resource already written is skipped)."""
        if self._tmp is None:
            raise ValueError("this export is already committed or aborted")
        written = 0
        for entry in bundle.get("entry") or []:
            r = entry["resource"]
            rtype = r["resourceType"]
            key = (rtype, r.get("id", ""))
            if r.get("id") and key in self._seen:
                continue
            self._seen.add(key)
            f = self._files.get(rtype)
            if f is None:
                f = self._files[rtype] = open(
                    self._tmp / f"{rtype}.ndjson",
                    "w",
                    encoding="utf-8",  # noqa: SIM115
                    newline="\n",
                )  # closed by commit() or abort()
            f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
            self.counts[rtype] = self.counts.get(rtype, 0) + 1
            written += 1
        return written

    def commit(self) -> dict[str, Path]:
        """Move the files into ``out_dir`` (each an atomic rename); returns the path of each type's file."""
        if self._tmp is None:
            raise ValueError("this export is already committed or aborted")
        paths = {}
        for rtype, f in sorted(self._files.items()):
            f.close()
            paths[rtype] = self.out_dir / f"{rtype}.ndjson"
            os.replace(self._tmp / f"{rtype}.ndjson", paths[rtype])
        shutil.rmtree(self._tmp, ignore_errors=True)
        self._tmp = None
        return paths

    def abort(self) -> None:
        for f in self._files.values():
            f.close()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._tmp = None

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
