"""Upload bundles to a FHIR server, one report at a time, resumable, losing nothing.

For each report: the bundle becomes PUT transactions (``transactions.py``: deterministic ids, so re-sending stores
nothing new), split when the server limits entries per transaction, sent with retries (``fhirclient.py``). The
result says created / updated / failed with the server's OperationOutcome. With a state folder:

- ``<state>/uploaded.jsonl`` records every report uploaded (server, report id, hash of what was sent), one JSON
  line appended and flushed per report, so a re-run skips what is done even after a crash (a torn last line is
  ignored) and sends again what failed or changed;
- ``<state>/failed/<report>.json`` holds the transaction bundle of a failed report and ``<report>.outcome.json``
  the server's answer, written atomically and removed once the report goes through.

>>> from fhirconv.fhirclient import FhirClient                                      # doctest: +SKIP
>>> with FhirClient("http://127.0.0.1:8080/fhir") as client:                        # doctest: +SKIP
...     up = Uploader(client, state_dir="upload-state", max_entries=50)
...     result = up.upload("cas-12", fhirconv.convert(text, report_id="cas-12").data)
...     result.status, result.created, result.updated
('created', 34, 0)
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, UploadError
from .fhirclient import FhirClient
from .transactions import as_transaction, bundle_hash, split_transaction

__all__ = ["UploadResult", "UploadState", "Uploader", "find_inputs", "read_bundle"]

DONE = ("created", "updated")


@dataclass
class UploadResult:
    """What happened to one report. ``status``: created (the server created at least one resource), updated
    (every resource existed), failed, skipped (already uploaded with the same content), or dry-run."""

    report_id: str
    status: str
    entries: int = 0
    transactions: int = 0
    created: int = 0
    updated: int = 0
    message: str = ""
    outcome: dict[str, Any] | None = None
    http_status: int | None = None
    saved_to: str | None = None
    locations: list[str] = field(default_factory=list)


def _atomic_write(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _safe_name(report_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in report_id).lstrip(".") or "report"


class UploadState:
    """The resume journal and the folder of failed bundles of one state folder."""

    def __init__(self, folder: str | Path, server: str) -> None:
        self.folder = Path(folder)
        self.server = server
        self.journal = self.folder / "uploaded.jsonl"
        self.failed_dir = self.folder / "failed"
        self._done: dict[str, str] = {}
        if self.journal.exists():
            for line in self.journal.read_text(encoding="utf-8").splitlines():
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue  # a line torn by a crash: that report is simply sent again
                if isinstance(rec, dict) and rec.get("server") == server and rec.get("status") in DONE:
                    self._done[rec["report"]] = rec["hash"]

    def is_done(self, report_id: str, digest: str) -> bool:
        return self._done.get(report_id) == digest

    def record_done(self, result: UploadResult, digest: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "server": self.server,
                "report": result.report_id,
                "hash": digest,
                "status": result.status,
                "created": result.created,
                "updated": result.updated,
            },
            ensure_ascii=False,
        )
        with open(self.journal, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())
        self._done[result.report_id] = digest
        for path in self._failed_paths(result.report_id):
            path.unlink(missing_ok=True)

    def save_failed(self, report_id: str, transaction: dict[str, Any], result: UploadResult) -> Path:
        bundle_path, outcome_path = self._failed_paths(report_id)
        _atomic_write(bundle_path, json.dumps(transaction, ensure_ascii=False, indent=2) + "\n")
        answer = {
            "report": report_id,
            "server": self.server,
            "message": result.message,
            "httpStatus": result.http_status,
            "outcome": result.outcome,
        }
        _atomic_write(outcome_path, json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
        return bundle_path

    def _failed_paths(self, report_id: str) -> tuple[Path, Path]:
        name = _safe_name(report_id)
        return self.failed_dir / f"{name}.json", self.failed_dir / f"{name}.outcome.json"


def _entry_status(entry: dict[str, Any]) -> int:
    status = str((entry.get("response") or {}).get("status", ""))
    head = status.split(" ", 1)[0]
    return int(head) if head.isdigit() else 0


class Uploader:
    """Uploads reports' bundles through one client; keeps no state beyond the optional state folder."""

    def __init__(
        self,
        client: FhirClient | None,
        *,
        state_dir: str | Path | None = None,
        max_entries: int = 50,
        dry_run: bool = False,
        force: bool = False,
    ) -> None:
        if client is None and not dry_run:
            raise UploadError("a client is needed unless dry_run is set")
        self.client = client
        self.max_entries = max_entries
        self.dry_run = dry_run
        self.force = force
        server = client.base_url if client else ""
        self.state = UploadState(state_dir, server) if state_dir is not None else None

    def upload(self, report_id: str, bundle: dict[str, Any]) -> UploadResult:
        """Send one report's bundle (collection or transaction); never raises for a server's refusal."""
        try:
            transaction = as_transaction(bundle)
        except ValueError as exc:
            return UploadResult(report_id, "failed", message=f"cannot upload this bundle: {exc}")
        parts = split_transaction(transaction, self.max_entries)
        result = UploadResult(report_id, "dry-run", entries=len(transaction["entry"]), transactions=len(parts))
        digest = bundle_hash(transaction)
        if self.state and not self.force and self.state.is_done(report_id, digest):
            result.status = "skipped"
            result.message = "already uploaded with the same content"
            return result
        if self.dry_run or self.client is None:
            return result
        try:
            for part in parts:
                answer = self.client.transaction(part)
                for entry in answer.get("entry") or []:
                    code = _entry_status(entry)
                    if code == 201:
                        result.created += 1
                    elif 200 <= code < 300:
                        result.updated += 1
                    location = (entry.get("response") or {}).get("location")
                    if location:
                        result.locations.append(location)
        except UploadError as exc:
            result.status = "failed"
            result.message = str(exc)
            result.outcome = exc.outcome
            result.http_status = exc.status
            if self.state:
                result.saved_to = str(self.state.save_failed(report_id, transaction, result))
            return result
        result.status = "created" if result.created else "updated"
        if self.state:
            self.state.record_done(result, digest)
        return result


def find_inputs(inputs: tuple[str, ...], skip: Path) -> list[tuple[str, Path]]:
    """(report id, path) of every report (.txt) or bundle (.json) given; folders are searched recursively, except
    the upload state folder (its failed bundles are re-sent from the reports, not picked up as inputs)."""
    out: list[tuple[str, Path]] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            files = sorted(
                f
                for f in p.rglob("*")
                if f.suffix in (".txt", ".json") and f.is_file() and skip.resolve() not in f.resolve().parents
            )
            if not files:
                raise InputError(f"{p}: no .txt report or .json bundle in this folder")
            out.extend((f.stem, f) for f in files)
        else:
            out.append((p.stem, p))
    return out


def read_bundle(path: Path) -> dict[str, Any]:
    """A FHIR Bundle from a JSON file (as `fhirconv convert` writes them), or InputError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except ValueError as exc:
        raise InputError(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InputError(f"{path}: not a FHIR Bundle")
    return data
