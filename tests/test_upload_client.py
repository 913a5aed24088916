"""The upload pieces without a server: transactions and splitting, the retry policy, the resume journal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from fhirconv.errors import UploadError
from fhirconv.fhirclient import FhirClient, RetryPolicy
from fhirconv.transactions import as_transaction, bundle_hash, split_transaction
from fhirconv.upload import Uploader, UploadState


def _bundle(n_obs: int = 6) -> dict[str, Any]:
    entries = [
        {
            "fullUrl": "urn:uuid:d",
            "resource": {
                "resourceType": "DocumentReference",
                "id": "d",
                "status": "current",
                "subject": {"reference": "urn:uuid:p"},
            },
        },
        {"fullUrl": "urn:uuid:p", "resource": {"resourceType": "Patient", "id": "p"}},
        # a cycle: the condition's stage cites an observation that cites the condition
        {
            "fullUrl": "urn:uuid:c",
            "resource": {
                "resourceType": "Condition",
                "id": "c",
                "subject": {"reference": "urn:uuid:p"},
                "stage": [{"assessment": [{"reference": "urn:uuid:o0"}]}],
            },
        },
    ]
    for i in range(n_obs):
        entries.append(
            {
                "fullUrl": f"urn:uuid:o{i}",
                "resource": {
                    "resourceType": "Observation",
                    "id": f"o{i}",
                    "subject": {"reference": "urn:uuid:p"},
                    "focus": [{"reference": "urn:uuid:c"}],
                    "derivedFrom": [{"reference": "urn:uuid:d"}],
                },
            }
        )
    return {"resourceType": "Bundle", "id": "b", "type": "collection", "entry": entries}


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["reference"]] if "reference" in value else []
        return own + [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


def test_as_transaction_puts_and_rewrites_references() -> None:
    t = as_transaction(_bundle())
    assert t["type"] == "transaction"
    assert [e["request"] for e in t["entry"][:2]] == [
        {"method": "PUT", "url": "DocumentReference/d"},
        {"method": "PUT", "url": "Patient/p"},
    ]
    refs = _refs(t)
    assert "Patient/p" in refs and "Observation/o0" in refs
    assert not [r for r in refs if r.startswith("urn:")]


def test_split_parts_are_small_ordered_and_keep_cycles_together() -> None:
    t = as_transaction(_bundle(6))
    parts = split_transaction(t, 3)
    assert sum(len(p["entry"]) for p in parts) == len(t["entry"])
    sent: list[str] = []
    for part in parts:
        urls = [e["request"]["url"] for e in part["entry"]]
        assert len(urls) <= 3
        # every reference points to a resource sent in this part or an earlier one
        for e in part["entry"]:
            assert set(_refs(e["resource"])) <= set(sent) | set(urls), e["request"]["url"]
        sent.extend(urls)
    together = next(p for p in parts if any(e["request"]["url"] == "Condition/c" for e in p["entry"]))
    assert "Observation/o0" in [e["request"]["url"] for e in together["entry"]]
    assert split_transaction(t, 0) == [t] and split_transaction(t, 100) == [t]


def test_a_bundle_without_ids_cannot_be_sent_idempotently() -> None:
    with pytest.raises(ValueError, match="no resource id"):
        as_transaction(
            {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Patient"}}]}
        )


class Script:
    """A mock server answering from a list of (status, headers, body) or exceptions, recording requests."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, headers, body = answer
        return httpx.Response(status, headers=headers, json=body)


OK = (
    200,
    {},
    {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [{"response": {"status": "201 Created", "location": "Patient/p/_history/1"}}],
    },
)
OO = {
    "resourceType": "OperationOutcome",
    "issue": [
        {
            "severity": "error",
            "code": "invalid",
            "details": {"text": "Patient.gender: bad code"},
            "expression": ["Patient.gender"],
        }
    ],
}


def _client(script: Script, sleeps: list[float], **kw: Any) -> FhirClient:
    return FhirClient(
        "https://fhir.example.test/fhir",
        transport=httpx.MockTransport(script),
        sleep=sleeps.append,
        retry=RetryPolicy(attempts=4, backoff=1.0),
        **kw,
    )


def test_retry_after_is_honoured_and_transient_errors_retried() -> None:
    script = Script((429, {"Retry-After": "7"}, OO), (503, {}, None), httpx.ReadTimeout("slow"), OK)
    sleeps: list[float] = []
    with _client(script, sleeps, token="abc") as client:
        answer = client.transaction({"resourceType": "Bundle", "type": "transaction", "entry": []})
    assert answer["type"] == "transaction-response"
    assert sleeps[0] == 7.0
    assert 1.0 <= sleeps[1] <= 2.0 and 2.0 <= sleeps[2] <= 4.0  # exponential backoff with jitter
    assert len(script.requests) == 4
    req = script.requests[0]
    assert req.method == "POST" and str(req.url) == "https://fhir.example.test/fhir"
    assert req.headers["Authorization"] == "Bearer abc"
    assert req.headers["Content-Type"].startswith("application/fhir+json")


def test_client_errors_are_final_and_carry_the_outcome() -> None:
    script = Script((422, {}, OO), OK)
    sleeps: list[float] = []
    with _client(script, sleeps, user="ann", password="pw") as client, pytest.raises(UploadError) as err:
        client.transaction({})
    assert err.value.status == 422 and err.value.outcome == OO
    assert "Patient.gender: bad code" in str(err.value)
    assert sleeps == [] and len(script.requests) == 1
    assert script.requests[0].headers["Authorization"].startswith("Basic ")


def test_retries_run_out() -> None:
    script = Script(*[httpx.ConnectError("refused")] * 4)
    with _client(script, []) as client, pytest.raises(UploadError, match="cannot reach the server.*4 attempts"):
        client.transaction({})


def test_a_retry_after_too_long_is_not_waited() -> None:
    script = Script((503, {"Retry-After": "86400"}, None))
    with _client(script, []) as client, pytest.raises(UploadError, match="retry in 86400 s"):
        client.transaction({})


def test_tls_verification_is_on_by_default_and_urls_checked() -> None:
    with pytest.raises(UploadError, match="http:// or https://"):
        FhirClient("fhir.example.test")
    with pytest.raises(UploadError, match="not both"):
        FhirClient("https://x.test", token="t", user="u")
    import inspect

    assert inspect.signature(FhirClient).parameters["verify"].default is True


def test_uploader_counts_and_journal(tmp_path: Path) -> None:
    answer = {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "entry": [
            {"response": {"status": "201 Created", "location": "Patient/p"}},
            {"response": {"status": "200 OK", "location": "Condition/c"}},
        ],
    }
    script = Script((200, {}, answer), (500, {}, OO))
    bundle = _bundle(0)
    with _client(script, []) as client:
        client.retry = RetryPolicy(attempts=1)
        up = Uploader(client, state_dir=tmp_path, max_entries=0)
        first = up.upload("r1", bundle)
        assert (first.status, first.created, first.updated) == ("created", 1, 1)
        second = up.upload("r2", bundle)
        assert second.status == "failed" and second.http_status == 500
        assert json.loads((tmp_path / "failed" / "r2.json").read_text())["type"] == "transaction"
    # a torn last line (crash while appending) is ignored; r1 is done, r2 is not
    with open(tmp_path / "uploaded.jsonl", "a", encoding="utf-8") as f:
        f.write('{"server": "https://fhir.example.test/fhir", "report": "r2", "ha')
    state = UploadState(tmp_path, "https://fhir.example.test/fhir")
    digest = bundle_hash(as_transaction(bundle))
    assert state.is_done("r1", digest) and not state.is_done("r2", digest)
    assert not state.is_done("r1", "another content")
    assert not UploadState(tmp_path, "https://other.test/fhir").is_done("r1", digest)
