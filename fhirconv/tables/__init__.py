"""Load, check and overlay the mapping tables (``mappings/``): every clinical fact fhirconv knows.

``load_mappings()`` reads the built-in tables shipped in the package ``fhirconv.mappings``; ``load_mappings(dir)``
adds a user overlay folder whose files of the same name add rows or replace rows with the same term (the same
code in the generated ``cim10.csv``). Any problem raises :class:`~fhirconv.errors.MappingError` naming
``file:line``. Loaded tables are immutable and cached, so threads and processes can share them.

The loaded tables are a :class:`~.model.Mappings` object (``model.py``); ``loading.py`` reads and checks the files
and assembles it, with the lookups of ``lookups.py``; the row models are in ``schema/``, the disk cache in
``cache.py``. This module is the entry point: ``load_mappings`` and its caches.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import replace
from pathlib import Path

from ..errors import FhirconvError
from .cache import cached
from .loading import ATTRIBUTE_KINDS, CSV_TABLES, MENTION_TABLES, YAML_TABLES, _load
from .model import Mappings, RowRef, Rx, TableInfo

__all__ = [
    "Mappings",
    "Rx",
    "TableInfo",
    "load_mappings",
    "with_icdo_edition",
    "ICDO_EDITIONS",
    "RowRef",
    "ATTRIBUTE_KINDS",
    "CSV_TABLES",
    "MENTION_TABLES",
    "YAML_TABLES",
]


_cache: dict[str, Mappings] = {}
_edition_cache: dict[tuple[str, str], Mappings] = {}
_lock = threading.Lock()


ICDO_EDITIONS = ("3.2", "3.1")


def load_mappings(overlay: str | Path | None = None, *, icdo_edition: str = "3.2") -> Mappings:
    """Load the built-in tables, plus an overlay folder if given. Cached per overlay path and edition.

    ``icdo_edition`` is the ICD-O-3 edition of the morphology codes in the bundles: ``"3.2"`` (the current one,
    default) or ``"3.1"`` (see :func:`with_icdo_edition`)."""
    key = str(Path(overlay).resolve()) if overlay else ""
    with _lock:
        if key not in _cache:
            _cache[key] = cached(Path(overlay) if overlay else None, _load)  # disk cache: see tables/cache.py
            _freeze()
        if (key, icdo_edition) not in _edition_cache:  # callers may compare Mappings by identity: one per edition
            _edition_cache[key, icdo_edition] = with_icdo_edition(_cache[key], icdo_edition)
        return _edition_cache[key, icdo_edition]


def _freeze() -> None:
    """Move the objects alive now, the tables just loaded among them, to the garbage collector's permanent generation.

    Why: the tables are some 150,000 immutable container objects, and every full collection of the cyclic GC walked
    them all again (about 0.1 s each). A long report creates enough objects to trigger several, so a report 100 times
    longer cost 124 times the time (issue 8: at most 120); frozen, 112 times, as in the ``fhirconv`` command.
    Why it is safe in a host process: frozen objects are still freed by reference counting as usual; what changes is
    only that a reference cycle among the objects alive at this moment (the host's included) that becomes garbage
    later is not collected until ``gc.unfreeze()``. That is a bounded, one-time set (what existed at the first load),
    and ``gc.freeze()`` is the documented way to exempt long-lived start-up objects from collection. Python offers no
    way to freeze only some objects, and fewer tracked containers in the tables (shared pydantic field sets, a slotted
    matcher trie: 148,000 -> 104,000 objects) measured 119x: not a reliable margin."""
    gc.freeze()


def with_icdo_edition(maps: Mappings, edition: str) -> Mappings:
    """The same tables writing morphology codes of ICD-O-3 ``edition``: "3.2" (the tables' codes) or "3.1", where
    the words whose code or behaviour ICD-O-3.2 changed keep their ICD-O-3.1 code (morphology.csv ``icdo3_1``,
    each change sourced in icdo_editions.csv): for registries still holding ICD-O-3.1 data."""
    if edition not in ICDO_EDITIONS:
        raise FhirconvError(f"unknown ICD-O-3 edition {edition!r}; expected one of {', '.join(ICDO_EDITIONS)}")
    return maps if maps.icdo_edition == edition else replace(maps, icdo_edition=edition)
