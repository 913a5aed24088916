"""fhirconv upload against a real FHIR R4 server: Medplum's engine (tests/server), validating every write, with
all-or-nothing transactions. The tests assert on what the server stores (resources, versions, content)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import fhirconv
from fhirconv.cli import main
from fhirconv.transactions import as_transaction

from .conftest import SEEDS
from .fhir_server import FhirServer, server_missing

pytestmark = pytest.mark.skipif(server_missing() is not None, reason=str(server_missing()))


@pytest.fixture(scope="module")
def expected() -> dict[str, list[dict[str, Any]]]:
    """The resources each seed report should leave on the server (references as Type/id)."""
    out = {}
    for p in SEEDS:
        data = fhirconv.convert(p.read_text(encoding="utf-8"), report_id=p.stem, bundle_type="transaction").data
        out[p.stem] = [e["resource"] for e in as_transaction(data)["entry"]]
    return out


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory):
    srv = FhirServer(tmp_path_factory.mktemp("fhir") / "store.json")
    yield srv
    srv.stop()


@pytest.fixture()
def server(shared_server: FhirServer) -> FhirServer:
    """The module's server, emptied (its start-up, loading the R4 definitions, takes seconds)."""
    shared_server.reset()
    return shared_server


def _counts(expected: dict[str, list[dict[str, Any]]], reports: list[str] | None = None) -> dict[str, int]:
    return dict(Counter(r["resourceType"] for k, rs in expected.items() if reports is None or k in reports for r in rs))


def upload(
    server: FhirServer, tmp_path: Path, *args: str, env: dict[str, str] | None = None, inputs: list[str] | None = None
) -> tuple[int, list[list[str]]]:
    cmd = [
        "upload",
        *(inputs or [str(p) for p in SEEDS]),
        "--server",
        server.url,
        "--state-dir",
        str(tmp_path / "state"),
        *args,
    ]
    res = CliRunner().invoke(main, cmd, env=env or {}, catch_exceptions=False)
    return res.exit_code, [line.split("\t") for line in res.stdout.splitlines()]


def test_every_seed_bundle_is_stored_as_sent(server: FhirServer, tmp_path: Path, expected) -> None:
    code, lines = upload(server, tmp_path)
    assert code == 0, lines
    assert [(status, report) for status, report, _ in lines] == [("created", p.stem) for p in SEEDS]
    stats = server.stats()
    assert stats["resources"] == _counts(expected)
    assert stats["versions"] == _counts(expected)  # one version each: nothing written twice
    stored = _stored(server, expected)
    for resources in expected.values():
        for r in resources:
            assert stored[f"{r['resourceType']}/{r['id']}"] == r
    r = expected[SEEDS[0].stem][1]
    assert server.read(f"{r['resourceType']}/{r['id']}")["id"] == r["id"]  # a read, not only a search


def test_reupload_creates_nothing_new(server: FhirServer, tmp_path: Path, expected) -> None:
    assert upload(server, tmp_path)[0] == 0
    before = server.stats()
    code, lines = upload(server, tmp_path)  # the journal says done: nothing sent
    assert code == 0 and {status for status, *_ in lines} == {"skipped"}
    assert server.stats()["writes"] == before["writes"]
    code, lines = upload(server, tmp_path, "--force")  # sent again: the server answers 200 for every entry
    assert code == 0 and {status for status, *_ in lines} == {"updated"}
    after = server.stats()
    assert after["writes"] > before["writes"]
    assert after["resources"] == before["resources"] == _counts(expected)
    assert after["versions"] == before["versions"]


def test_split_transactions_keep_references_resolvable(server: FhirServer, tmp_path: Path, expected) -> None:
    # the largest seed has over 100 resources; Medplum refuses more than 50 updates in one transaction
    code, lines = upload(server, tmp_path, "--max-entries", "8")
    assert code == 0, lines
    assert any(int(detail.split(" in ")[1].split()[0]) > 5 for _, _, detail in lines)
    assert server.stats()["resources"] == _counts(expected)
    stored = _stored(server, expected)
    assert len(stored) == sum(len(rs) for rs in expected.values())
    for resource in stored.values():
        for ref in _references(resource):
            assert ref in stored


def test_unsplit_large_bundle_is_refused_whole(server: FhirServer, tmp_path: Path, expected) -> None:
    big = max(expected, key=lambda k: len(expected[k]))
    assert len(expected[big]) > 50
    code, lines = upload(server, tmp_path, "--max-entries", "0", inputs=[str(p) for p in SEEDS if p.stem == big])
    assert code == 6 and lines[0][0] == "failed"
    assert "more update operations than allowed" in lines[0][2]
    assert server.stats()["resources"] == {}
    saved = json.loads((tmp_path / "state" / "failed" / f"{big}.outcome.json").read_text())
    assert saved["httpStatus"] == 400 and saved["outcome"]["resourceType"] == "OperationOutcome"


def test_failed_transaction_leaves_nothing_behind(server: FhirServer, tmp_path: Path, expected) -> None:
    # the 5th resource write of the first transaction fails after four were applied; no retry
    server.faults([{"on": 1, "action": "entry", "entry": 5}])
    seed = SEEDS[0]
    code, lines = upload(server, tmp_path, "--retries", "0", inputs=[str(seed)])
    assert code == 6 and lines[0][0] == "failed"
    assert server.stats()["resources"] == {}
    assert (tmp_path / "state" / "failed" / f"{seed.stem}.json").exists()
    code, lines = upload(server, tmp_path, inputs=[str(seed)])  # re-run: sent again, stored once
    assert code == 0 and lines[0][0] == "created"
    assert server.stats()["versions"] == _counts(expected, [seed.stem])
    assert not (tmp_path / "state" / "failed" / f"{seed.stem}.json").exists()


def _corrupt_status(resources: list[dict[str, Any]]) -> str:
    resources[-1]["status"] = "not-a-status"  # outside a required value set: the `fhir` package's validator
    return "not-a-status"


def _drop_subject(resources: list[dict[str, Any]]) -> str:
    del next(r for r in resources if r["resourceType"] == "Condition")["subject"]  # Medplum's validateResource
    return "Missing required property"


@pytest.mark.parametrize("corrupt", [_corrupt_status, _drop_subject])
def test_invalid_resource_is_refused_with_its_outcome(server: FhirServer, tmp_path: Path, corrupt) -> None:
    seed = SEEDS[2]
    bundle = fhirconv.convert(seed.read_text(encoding="utf-8"), report_id=seed.stem).data
    message = corrupt([e["resource"] for e in bundle["entry"]])
    path = tmp_path / f"{seed.stem}.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    code, lines = upload(server, tmp_path, inputs=[str(path)])
    assert code == 6 and lines[0][0] == "failed"
    assert message in lines[0][2] and "HTTP 400" in lines[0][2]
    assert server.stats()["resources"] == {}
    outcome = json.loads((tmp_path / "state" / "failed" / f"{seed.stem}.outcome.json").read_text())["outcome"]
    assert outcome["issue"][0]["severity"] == "error"
    res = CliRunner().invoke(
        main, ["upload", str(path), "--server", server.url, "--json", "--state-dir", str(tmp_path / "state")]
    )
    result = json.loads(res.stdout)
    assert (result["status"], result["http_status"], result["outcome"]) == ("failed", 400, outcome)


def test_transient_errors_are_retried_honouring_retry_after(server: FhirServer, tmp_path: Path, expected) -> None:
    server.faults([{"on": 1, "status": 429, "retryAfter": 1}, {"on": 2, "status": 503}, {"on": 4, "status": 502}])
    code, lines = upload(server, tmp_path, "--retries", "3")
    assert code == 0, lines
    stats = server.stats()
    transactions = sum(int(detail.split(" in ")[1].split()[0]) for *_, detail in lines)
    assert stats["writes"] == transactions + 3
    assert stats["resources"] == stats["versions"] == _counts(expected)


def test_timeout_is_retried_without_duplicates(server: FhirServer, tmp_path: Path, expected) -> None:
    # the first transaction answers after 3 s; the client gives up after 2 s and sends it again
    server.faults([{"on": 1, "action": "delay", "ms": 3000}])
    seed = SEEDS[0]
    code, lines = upload(server, tmp_path, "--timeout", "2", "--retries", "4", inputs=[str(seed)])
    assert code == 0, lines
    assert lines[0][0] == "updated"  # the slow first attempt had stored everything
    stats = server.stats()
    assert stats["writes"] >= 2
    assert stats["resources"] == stats["versions"] == _counts(expected, [seed.stem])


def test_server_failing_mid_batch_loses_and_duplicates_nothing(server: FhirServer, tmp_path: Path, expected) -> None:
    server.faults([{"on": n, "status": 500} for n in range(3, 40)])  # down from the 3rd write on
    code, lines = upload(server, tmp_path, "--retries", "1")
    assert code == 1
    statuses = [status for status, *_ in lines]
    assert statuses[0] == "created" and "failed" in statuses
    failed = [report for status, report, _ in lines if status == "failed"]
    for report in failed:
        saved = json.loads((tmp_path / "state" / "failed" / f"{report}.json").read_text())
        assert len(saved["entry"]) == len(expected[report])
    server.faults([])
    code, lines = upload(server, tmp_path)
    assert code == 0
    assert [report for status, report, _ in lines if status != "skipped"] == failed
    stats = server.stats()
    assert stats["resources"] == _counts(expected)
    assert stats["versions"] == _counts(expected)  # the first report was not sent twice
    assert not list((tmp_path / "state" / "failed").glob("*.json"))


def test_server_killed_mid_batch_resumes_after_restart(tmp_path: Path, expected) -> None:
    server = FhirServer(tmp_path / "store.json")
    try:
        _killed_and_restarted(server, tmp_path, expected)
    finally:
        server.stop()


def _killed_and_restarted(server: FhirServer, tmp_path: Path, expected) -> None:
    server.faults([{"on": 2, "action": "exit"}])  # the process dies on the second transaction
    code, lines = upload(server, tmp_path, "--retries", "1", "--timeout", "5")
    assert server.exited()
    assert code == 1 and lines[0][0] == "created" and lines[1][0] == "failed"
    server.restart()  # reloads what it had committed
    assert server.stats()["resources"] == _counts(expected, [SEEDS[0].stem])
    code, lines = upload(server, tmp_path)
    assert code == 0
    assert [s for s, *_ in lines] == ["skipped", "created", "created"]
    stats = server.stats()
    assert stats["resources"] == stats["versions"] == _counts(expected)


def test_client_killed_mid_batch_resumes(server: FhirServer, tmp_path: Path, expected) -> None:
    server.faults([{"on": 2, "action": "delay", "ms": 2000}])  # the second transaction is slow to answer
    cmd = [
        sys.executable,
        "-m",
        "fhirconv",
        "upload",
        *map(str, SEEDS),
        "--server",
        server.url,
        "--state-dir",
        str(tmp_path / "state"),
    ]
    client = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while server.stats()["writes"] < 2 and time.monotonic() < deadline and client.poll() is None:
        time.sleep(0.05)
    client.kill()  # killed while waiting for the answer to the second report's first transaction
    out, _ = client.communicate(timeout=30)
    n = len(expected[SEEDS[0].stem])
    assert out.splitlines() == [f"created\t{SEEDS[0].stem}\t{n} entries in 1 transaction(s): {n} created, 0 updated"]
    code, lines = upload(server, tmp_path)  # the re-run skips the first report and sends the others
    assert code == 0
    assert [s for s, *_ in lines] == ["skipped", "created", "created"]
    stats = server.stats()
    assert stats["resources"] == stats["versions"] == _counts(expected)


def test_dry_run_sends_nothing(server: FhirServer, tmp_path: Path, expected) -> None:
    code, lines = upload(server, tmp_path, "--dry-run", "--max-entries", "20")
    assert code == 0 and {s for s, *_ in lines} == {"dry-run"}
    for _, report, detail in lines:
        entries, transactions = int(detail.split()[0]), int(detail.split(" in ")[1].split()[0])
        assert entries == len(expected[report]) and transactions >= -(-entries // 20)
    assert server.stats()["writes"] == 0
    assert not (tmp_path / "state").exists()


def test_two_reports_with_one_id_are_not_both_sent(server: FhirServer, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / SEEDS[1].name).write_text(SEEDS[2].read_text(encoding="utf-8"), encoding="utf-8")
    code, lines = upload(server, tmp_path, "--dry-run", inputs=[str(SEEDS[1]), str(other / SEEDS[1].name)])
    assert code == 1 and [s for s, *_ in lines] == ["dry-run", "failed"]
    assert "same report id" in lines[1][2]


@pytest.mark.parametrize("auth", ["token", "basic"])
def test_authentication(server: FhirServer, tmp_path: Path, expected, auth: str) -> None:
    server.require_auth(**({"token": "s3cret"} if auth == "token" else {"basic": "ann:pw"}))
    wrong = ["--token", "wrong"] if auth == "token" else ["--user", "ann", "--password", "bad"]
    code, lines = upload(server, tmp_path, *wrong)
    assert code == 6 and len(lines) == 1 and "HTTP 401" in lines[0][2]  # stops at the first refusal
    env = {"FHIRCONV_TOKEN": "s3cret"} if auth == "token" else {"FHIRCONV_USER": "ann", "FHIRCONV_PASSWORD": "pw"}
    code, lines = upload(server, tmp_path, env=env)
    assert code == 0
    assert server.stats()["resources"] == _counts(expected)


def _stored(server: FhirServer, expected: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Everything the server holds ("Type/id" -> resource without meta), by a search per resource type."""
    out = {}
    for rtype in _counts(expected):
        page = server.read(f"{rtype}?_count=1000")
        for e in page.get("entry", []):
            e["resource"].pop("meta")
            out[f"{rtype}/{e['resource']['id']}"] = e["resource"]
    return out


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        return (
            [value["reference"]]
            if isinstance(value.get("reference"), str)
            else [r for v in value.values() for r in _references(v)]
        )
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []
