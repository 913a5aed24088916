"""A small FHIR REST client for uploads: POST a transaction, retry what is worth retrying, authenticate.

Built on httpx (connection reuse, separate connect/read timeouts, TLS verification with a CA bundle, and a mock
transport for tests); the retry policy is fhirconv's own because it depends on FHIR semantics:

- 429, 500, 502, 503, 504, timeouts and broken connections are retried with exponential backoff, waiting what the
  server's ``Retry-After`` says when it says it. Re-sending a whole transaction is safe because every entry is
  ``PUT <Type>/<id>``: a transaction that was in fact committed before the connection broke is stored again with
  the same content, never duplicated.
- Any other 4xx is final: the request is wrong (validation, authentication) and the same bytes would fail again.
"""

from __future__ import annotations

import email.utils
import random
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .errors import UploadError

__all__ = ["FhirClient", "RetryPolicy"]

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
FHIR_JSON = "application/fhir+json"  # FHIR R4 http.html#mime-type


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all; the n-th retry waits ``backoff * 2**n`` seconds (with jitter, at most
    ``max_backoff``) unless the server sends ``Retry-After``, honoured up to ``max_retry_after`` seconds."""

    attempts: int = 5
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 300.0


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date, RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _outcome(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) and body.get("resourceType") == "OperationOutcome" else None


def outcome_text(outcome: dict[str, Any] | None) -> str:
    """The issues of an OperationOutcome in one line."""
    if not outcome:
        return ""
    parts = []
    for issue in outcome.get("issue") or []:
        text = (issue.get("details") or {}).get("text") or issue.get("diagnostics") or issue.get("code", "")
        where = ", ".join(issue.get("expression") or issue.get("location") or [])
        parts.append(f"{where}: {text}" if where else str(text))
    return "; ".join(parts)


class FhirClient:
    """Talks to one FHIR server. Use as a context manager (it holds a connection pool).

    >>> with FhirClient("https://fhir.example.org/fhir", token="...") as client:   # doctest: +SKIP
    ...     response = client.transaction(bundle)
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        verify: bool | str | ssl.SSLContext = True,
        timeout: float = 30.0,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise UploadError(f"server URL must start with http:// or https://, not {base_url!r}")
        if token and user:
            raise UploadError("give a bearer token or a user and password, not both")
        auth = httpx.BasicAuth(user, password or "") if user else None
        if isinstance(verify, str):  # a CA bundle: trust it instead of the default authorities
            verify = ssl.create_default_context(cafile=verify)
        headers = {"Accept": FHIR_JSON, "Content-Type": f"{FHIR_JSON}; charset=utf-8"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.base_url = base_url.rstrip("/")
        self.retry = retry
        self._sleep = sleep
        self._http = httpx.Client(
            auth=auth,
            headers=headers,
            verify=verify,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        )

    def __enter__(self) -> FhirClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def transaction(self, bundle: dict[str, Any]) -> dict[str, Any]:
        """POST a transaction bundle to the base URL; the transaction-response bundle, or UploadError."""
        return self.request("POST", "", bundle)

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.base_url}/{path}" if path else self.base_url
        for attempt in range(1, self.retry.attempts + 1):
            last = attempt == self.retry.attempts
            try:
                response = self._http.request(method, url, json=body)
            except httpx.TimeoutException as exc:
                if last:
                    raise UploadError(
                        f"{self.base_url}: no answer within the timeout ({exc.__class__.__name__}, {attempt} attempts)"
                    ) from None
                self._sleep(self._backoff(attempt))
                continue
            except httpx.TransportError as exc:
                if "CERTIFICATE_VERIFY_FAILED" in str(exc):  # not transient: do not retry
                    raise UploadError(
                        f"{self.base_url}: TLS certificate not trusted ({exc}); give the server's CA "
                        "with --ca-cert (verify=...)"
                    ) from None
                if last:
                    raise UploadError(f"{self.base_url}: cannot reach the server ({exc}; {attempt} attempts)") from None
                self._sleep(self._backoff(attempt))
                continue
            if response.is_success:
                try:
                    data = response.json()
                except ValueError:
                    raise UploadError(
                        f"{self.base_url}: answer {response.status_code} is not JSON", status=response.status_code
                    ) from None
                return data if isinstance(data, dict) else {}
            outcome = _outcome(response)
            if response.status_code in RETRY_STATUS and not last:
                wait = _retry_after(response.headers.get("Retry-After"))
                if wait is not None and wait > self.retry.max_retry_after:
                    raise UploadError(
                        f"{self.base_url}: HTTP {response.status_code}, server asks to retry in "
                        f"{wait:.0f} s (more than {self.retry.max_retry_after:.0f} s)",
                        outcome,
                        response.status_code,
                    )
                self._sleep(self._backoff(attempt) if wait is None else wait)
                continue
            tries = f" after {attempt} attempts" if attempt > 1 else ""
            detail = outcome_text(outcome) or response.reason_phrase
            raise UploadError(
                f"{self.base_url}: HTTP {response.status_code}{tries}: {detail}", outcome, response.status_code
            )
        raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        # "equal jitter": half fixed, half random, so clients failing together do not retry together
        delay = min(self.retry.max_backoff, self.retry.backoff * 2 ** (attempt - 1))
        return float(delay / 2 + random.uniform(0, delay / 2))
