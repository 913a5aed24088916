"""fhirconv's own validation rules (validate.py) reject what they must, on the one-walk path that decides a valid
bundle as well as on the walk that names the problems: each case breaks one rule in a valid bundle and expects
``validate_bundle`` to raise with that rule's message. Texts written for these tests (no corpus text)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

import fhirconv
from fhirconv import ConversionValidationError
from fhirconv.validate import validate_bundle

TEXT = (
    "Femme de 60 ans. Hémoglobine à 10,5 g/dL. Créatinine < 80 µmol/L. Paracétamol 1 g trois fois par jour. "
    "Adénocarcinome du côlon."
)


def _first(data: dict[str, Any], rtype: str, has: str) -> dict[str, Any]:
    return next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == rtype and has in str(e))


def _reference(data: dict[str, Any]) -> None:
    _first(data, "Observation", "subject")["subject"]["reference"] = "urn:uuid:nowhere"


def _ucum(data: dict[str, Any]) -> None:
    _first(data, "Observation", "valueQuantity")["valueQuantity"]["code"] = "g/dLx"


def _comparator(data: dict[str, Any]) -> None:
    _first(data, "Observation", "comparator")["valueQuantity"]["comparator"] = "<<"


def _period_unit(data: dict[str, Any]) -> None:
    _first(data, "MedicationStatement", "periodUnit")["dosage"][0]["timing"]["repeat"]["periodUnit"] = "fortnight"


def _offset(data: dict[str, Any]) -> None:
    ext = _first(data, "Condition", "offset")["extension"][0]["extension"]
    next(e for e in ext if e["url"] == "offset")["valueInteger"] = len(TEXT) + 5


def _status(data: dict[str, Any]) -> None:
    _first(data, "MedicationStatement", "status")["status"] = "finished"


@pytest.mark.parametrize(
    "breaks, message",
    [
        (_reference, "does not resolve inside the bundle"),
        (_ucum, "g/dLx"),
        (_comparator, "comparator '<<' not allowed"),
        (_period_unit, "periodUnit 'fortnight' not allowed"),
        (_offset, "outside the text"),
        (_status, "status 'finished' not in the required value set"),
    ],
)
def test_a_broken_rule_is_named(breaks: Callable[[dict[str, Any]], None], message: str) -> None:
    result = fhirconv.convert(TEXT)
    validate_bundle(result.data, "R4", fhirconv.load_mappings(), len(TEXT))  # the bundle as written is valid
    broken = copy.deepcopy(result.data)
    breaks(broken)
    with pytest.raises(ConversionValidationError) as err:
        validate_bundle(broken, "R4", fhirconv.load_mappings(), len(TEXT))
    assert any(message in p for p in err.value.problems), err.value.problems
