"""Stage 5b - values: lab results (number, comparator, UCUM unit, qualitative result: ``labvalues``) and drug
dosages (dose, route, frequency, duration: ``dosage``), read from the text next to each mention.

French numbers: decimal comma ("37,5"); thousands grouped by spaces or dots ("97 000", "76.000" = 76000,
"2.400 mg/m2" = 2400) when every group has exactly three digits. A number inside a date expression is never a value.
"""

from __future__ import annotations

from .document import Mention, PartialDate
from .dosage import read_dosage
from .labvalues import attach_observation_values, parse_number
from .tables import Mappings

__all__ = ["parse_number", "attach_values"]

_CONCEPTS = ("observation", "medication", "regimen", "condition", "finding", "morphology", "procedure")


def attach_values(text: str, mentions: list[Mention], dates: list[PartialDate], mappings: Mappings) -> None:
    """Fill ``attrs`` of observation mentions (quantity / qualitative) and medication mentions (dosage)."""
    concepts = [m for m in mentions if m.kind in _CONCEPTS and "alias_of" not in m.attrs]
    quals = [m for m in mentions if m.kind == "qualitative"]
    for i, m in enumerate(concepts):
        if m.kind == "medication":
            read_dosage(text, m, concepts, i, dates, mentions, mappings)
    attach_observation_values(text, concepts, quals, dates, mappings)
