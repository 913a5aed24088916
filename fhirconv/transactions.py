"""Turn one bundle into the transaction bundles sent to a server: PUT entries, server references, split by size.

- Every entry becomes ``PUT <Type>/<id>`` with fhirconv's deterministic id, so sending twice stores nothing new
  (FHIR "update as create", http.html#upsert).
- ``urn:uuid:<id>`` references resolve only inside the transaction that carries the entry (FHIR transaction
  rules, http.html#trules). They are rewritten to ``<Type>/<id>``, which is what the server would store anyway, so
  each part of a split bundle is valid on its own.
- Splitting keeps resources that reference each other in a cycle together, and sends referenced resources before
  the resources citing them (servers enforcing referential integrity on write, such as HAPI, need that order).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["as_transaction", "bundle_hash", "split_transaction"]

_URN = "urn:uuid:"


def as_transaction(bundle: dict[str, Any]) -> dict[str, Any]:
    """A transaction bundle with ``PUT <Type>/<id>`` entries and ``<Type>/<id>`` references.

    Accepts fhirconv's collection or transaction bundles (or any bundle whose resources all have ids).
    Raises ValueError on a bundle it cannot send idempotently (an entry without resource or id).
    """
    if bundle.get("resourceType") != "Bundle":
        raise ValueError("not a FHIR Bundle")
    urls: dict[str, str] = {}
    for i, e in enumerate(bundle.get("entry") or []):
        r = e.get("resource") or {}
        if not r.get("id") or not r.get("resourceType"):
            raise ValueError(f"entry {i} has no resource id: PUT needs one to be idempotent")
        if e.get("fullUrl"):
            urls[e["fullUrl"]] = f"{r['resourceType']}/{r['id']}"
        urls[f"{_URN}{r['id']}"] = f"{r['resourceType']}/{r['id']}"
    entries = []
    for e in bundle.get("entry") or []:
        r = _rewrite(e["resource"], urls)
        entries.append(
            {
                "fullUrl": f"{_URN}{r['id']}",
                "resource": r,
                "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"},
            }
        )
    out = {k: v for k, v in bundle.items() if k not in ("entry", "type", "fullUrl")}
    out["type"] = "transaction"
    out["entry"] = entries
    return out


def _rewrite(value: Any, urls: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {k: _rewrite(v, urls) for k, v in value.items()}
        ref = out.get("reference")
        if isinstance(ref, str) and ref in urls:
            out["reference"] = urls[ref]
        return out
    if isinstance(value, list):
        return [_rewrite(v, urls) for v in value]
    return value


def _references(value: Any, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "reference" and isinstance(v, str):
                out.add(v)
            else:
                _references(v, out)
    elif isinstance(value, list):
        for v in value:
            _references(v, out)
    return out


def _components(entries: list[dict[str, Any]]) -> list[list[int]]:
    """Strongly connected components of the reference graph (Tarjan), dependencies first."""
    index_of = {e["request"]["url"]: i for i, e in enumerate(entries)}
    edges = [
        sorted({index_of[r] for r in _references(e["resource"], set()) if r in index_of} - {i})
        for i, e in enumerate(entries)
    ]
    order: list[list[int]] = []
    low: dict[int, int] = {}
    num: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()

    def visit(v: int) -> None:
        # recursive is fine: a report's bundle has tens of resources, references are one or two levels deep
        num[v] = low[v] = len(num)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in num:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], num[w])
        if low[v] == num[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            order.append(sorted(comp))  # Tarjan emits a component after everything it references

    for v in range(len(entries)):
        if v not in num:
            visit(v)
    return order


def split_transaction(transaction: dict[str, Any], max_entries: int) -> list[dict[str, Any]]:
    """Split a transaction (from :func:`as_transaction`) into transactions of at most ``max_entries`` entries.

    ``max_entries <= 0`` or a small enough bundle gives ``[transaction]`` unchanged. A cycle of references larger
    than ``max_entries`` cannot be split without breaking it and is sent as one (larger) transaction.

    >>> t = as_transaction({"resourceType": "Bundle", "type": "collection", "entry": [
    ...     {"resource": {"resourceType": "Patient", "id": "p"}},
    ...     {"resource": {"resourceType": "Condition", "id": "c", "subject": {"reference": "urn:uuid:p"}}}]})
    >>> [[e["request"]["url"] for e in part["entry"]] for part in split_transaction(t, 1)]
    [['Patient/p'], ['Condition/c']]
    """
    entries = transaction["entry"]
    if max_entries <= 0 or len(entries) <= max_entries:
        return [transaction]
    parts: list[list[int]] = [[]]
    for comp in _components(entries):
        if parts[-1] and len(parts[-1]) + len(comp) > max_entries:
            parts.append([])
        parts[-1].extend(comp)
    head = {k: v for k, v in transaction.items() if k not in ("entry", "id")}
    return [{**head, "entry": [entries[i] for i in part]} for part in parts]


def bundle_hash(bundle: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a bundle: what the resume state compares."""
    data = json.dumps(bundle, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()
