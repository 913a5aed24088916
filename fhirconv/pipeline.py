"""The pipeline: normalise -> sections -> mentions -> qualifiers -> dates and values -> resources -> bundle ->
validation. ``convert`` is the library's entry point; it holds no global state beyond the immutable, cached
mapping tables, so it is safe to call from several threads or processes."""

from __future__ import annotations

import gc
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .build import Unmapped, build_resources
from .bundle import BUNDLE_TYPES, assemble
from .dates import resolve_dates
from .document import Cue, Mention
from .errors import InputError
from .mentions import find_mentions
from .normalise import normalise
from .qualifiers import qualify
from .sections import segment
from .tables import Mappings, load_mappings, with_icdo_edition
from .timeline import Timeline
from .validate import validate_bundle
from .values import attach_values
from .versions import VERSIONS, bundle_model

__all__ = ["ConversionResult", "convert"]


@dataclass
class ConversionResult:
    """What one conversion produced.

    ``data`` is the validated bundle as plain JSON-ready dicts; ``bundle`` the same bundle as a fhir.resources
    Bundle model, built on first access (no output format needs it: JSON, NDJSON and XML are written from ``data``);
    ``mentions`` every mention with its offsets, rows and qualifiers; ``unmapped`` concepts found without a code;
    ``dropped`` mentions deliberately not asserted (negated, homonyms) with the reason; ``timings`` seconds per stage;
    ``timeline`` every date of the report (absolute and resolved relative, ``fhirconv.timeline.Timeline``).
    """

    report_id: str | None
    text: str
    data: dict[str, Any]
    mentions: list[Mention]
    cues: list[Cue]
    unmapped: list[Unmapped]
    dropped: list[tuple[Mention, str]]
    fhir_version: str
    timings: dict[str, float] = field(default_factory=dict)
    timeline: Timeline | None = None  # every date of the report, absolute and resolved relative (timeline.py)
    _model: Any = field(default=None, init=False, repr=False, compare=False)

    @property
    def bundle(self) -> Any:
        """The bundle as a fhir.resources ``Bundle`` model (``data`` already passed validation, so this cannot fail
        unless ``data`` was changed since)."""
        if self._model is None:
            self._model = bundle_model(self.fhir_version).model_validate(self.data)
        return self._model

    def resource_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for e in self.data["entry"]:
            t = e["resource"]["resourceType"]
            counts[t] = counts.get(t, 0) + 1
        return counts


def convert(
    text: str,
    *,
    report_id: str | None = None,
    mappings: Mappings | None = None,
    mappings_dir: str | Path | None = None,
    fhir_version: str = "R4",
    bundle_type: str = "collection",
    icdo_edition: str | None = None,
) -> ConversionResult:
    """Convert one French clinical report into a validated FHIR Bundle.

    >>> result = convert("Femme de 51 ans. Diagnostic : adénocarcinome gastrique.")  # doctest: +SKIP
    >>> result.resource_counts()                                                   # doctest: +SKIP
    {'DocumentReference': 1, 'Patient': 1, 'Observation': 1, 'Condition': 1}
    """
    if not isinstance(text, str):
        raise InputError(f"report text must be str, not {type(text).__name__}")
    if fhir_version not in VERSIONS:
        raise InputError(f"fhir_version must be one of {VERSIONS}")
    if bundle_type not in BUNDLE_TYPES:
        raise InputError(f"bundle_type must be one of {BUNDLE_TYPES}")
    if not text.strip():
        raise InputError(f"{report_id or 'report'}: empty report (no text to convert)")
    paused = _pause_cyclic_gc()
    try:
        return _convert(text, report_id, mappings, mappings_dir, fhir_version, bundle_type, icdo_edition)
    finally:
        if paused:
            gc.enable()


def _pause_cyclic_gc() -> bool:
    """Switch the cyclic garbage collector off for one conversion if it is on; True if this call switched it off
    (the caller switches it back on at the end, on success or error).

    Why: a conversion leaves almost nothing for the collector (over the dev corpora and seeds, 4 objects in
    reference cycles per text on average, 124 at most: mentions linked to each other; the collections during a
    report 100 times longer than a seed freed nothing), yet its automatic runs kept walking what the conversion holds
    alive. A long report holds more at a time, so they walk more: its full collections (none in a seed-sized
    report: ~100 ms of ~1 s) and more frequent young ones made a report 100 times longer cost ~110-125 times the time
    of a seed (issue 8: at most 120), ~100 times with the collector off. Paused, the objects still alive at the end
    are walked once, by the first young collection after the conversion (the collector keeps counting allocations
    while off), and the few cycles are freed then.
    Why it is safe for the caller: only a state this call changed is restored, and only to what the caller had: if
    the collector is off (the caller's choice, or another thread's conversion in progress), it is left alone. Two
    threads that both found it on each switch it back on at their end, so it is never left off; the cost is only
    that the later one's remainder runs with the collector on. A reference cycle the host creates in another thread
    meanwhile waits for the end of the conversion that switched the collector off; a ``gc.disable()`` the host calls
    in another thread during a conversion is undone at its end."""
    if not gc.isenabled():
        return False
    gc.disable()
    return True


def _convert(
    text: str,
    report_id: str | None,
    mappings: Mappings | None,
    mappings_dir: str | Path | None,
    fhir_version: str,
    bundle_type: str,
    icdo_edition: str | None,
) -> ConversionResult:
    t0 = time.perf_counter()
    maps = mappings or load_mappings(mappings_dir)
    if icdo_edition is not None and icdo_edition != maps.icdo_edition:  # "3.1": see tables.load_mappings
        maps = with_icdo_edition(maps, icdo_edition)
    report_key = report_id or hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    timings: dict[str, float] = {}

    doc = normalise(text)
    structure = segment(text, maps)
    mentions = find_mentions(doc, structure, maps)
    cues = qualify(text, structure, mentions, maps)
    timeline = resolve_dates(text, mentions, structure, maps)
    attach_values(text, mentions, list(timeline.dates), maps)
    t1 = time.perf_counter()
    timings["mentions"] = t1 - t0

    ctx = build_resources(text, report_key, report_id, structure, mentions, maps, list(timeline.dates), timeline)
    data = assemble(ctx.resources, report_key, bundle_type, fhir_version)
    t2 = time.perf_counter()
    timings["building"] = t2 - t1

    validate_bundle(data, fhir_version, maps, len(text))
    timings["validation"] = time.perf_counter() - t2
    return ConversionResult(
        report_id, text, data, mentions, cues, ctx.unmapped, ctx.dropped, fhir_version, timings, timeline
    )
