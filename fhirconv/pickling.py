"""Pickling and copying of the conversion's dataclasses, the same in both builds: through the constructor.

In the compiled build (setup.py) they are mypyc native classes, whose default unpickling (and ``copy.copy``)
assigns the fields one by one, which a frozen dataclass refuses; a ``ConversionResult`` (its dates, sections,
timeline) and the tables cache (``tables/cache.py``) could not be unpickled. Built through the constructor, they
can, in both builds. (``Prefiltered`` is pickled with its analysis by its own ``__reduce__``.)
"""

from __future__ import annotations

import copyreg
from dataclasses import fields
from typing import Any

__all__ = ["register"]


def _by_constructor(obj: Any) -> tuple[Any, tuple[Any, ...]]:
    return type(obj), tuple(getattr(obj, f.name) for f in fields(obj) if f.init)


def register() -> None:
    """Register the frozen dataclasses of the conversion and of the tables with ``copyreg`` (pickle and copy)."""
    from .document import Cue, Mention, PartialDate, Quantity, Section, Sentence, Structure
    from .labvalues import LabPatterns
    from .tables.ucum import UcumChecker
    from .timeline import Timeline

    # Mention is not frozen, but its __init__ is written out (document.py), which a native class's default
    # unpickling calls with no argument
    for cls in (Section, Sentence, Structure, PartialDate, Quantity, Cue, Mention, Timeline, LabPatterns, UcumChecker):
        # every field is a constructor argument, or one the constructor derives from them and equality ignores
        # (Structure.starts): the constructor rebuilds an equal object
        assert all(f.init or not f.compare for f in fields(cls)), cls
        copyreg.pickle(cls, _by_constructor)
