"""The one error family of fhirconv.

Every error a user can cause is a :class:`FhirconvError`; each subclass carries the exit code the CLI returns::

    FhirconvError                 exit 1   (base; also "some reports failed" in a batch)
    ├── MappingError              exit 3   a mapping table is malformed (message names file:line)
    ├── InputError                exit 4   a report cannot be read or decoded (message names the file)
    ├── ConversionValidationError exit 5   a produced bundle fails validation (a bug or a bad overlay table)
    └── UploadError               exit 6   a FHIR server refused or could not be reached

Exit code 2 is click's usage error (bad option), 0 is success. The library raises these and never prints.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "FhirconvError",
    "MappingError",
    "InputError",
    "ConversionValidationError",
    "UploadError",
]


class FhirconvError(Exception):
    """Base of every fhirconv error."""

    exit_code = 1


class MappingError(FhirconvError):
    """A mapping table is malformed. ``str(err)`` starts with ``file:line:``."""

    exit_code = 3

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}")


class InputError(FhirconvError):
    """An input report cannot be read (missing, not text, undecodable)."""

    exit_code = 4


class ConversionValidationError(FhirconvError):
    """A bundle does not validate. ``problems`` lists one message per problem."""

    exit_code = 5

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
        super().__init__(f"bundle failed validation: {shown}")


class UploadError(FhirconvError):
    """Upload to a FHIR server failed; ``outcome`` holds the server's OperationOutcome when there is one and
    ``status`` the HTTP status (None when the server could not be reached)."""

    exit_code = 6

    def __init__(self, message: str, outcome: dict[str, Any] | None = None, status: int | None = None) -> None:
        self.outcome = outcome
        self.status = status
        super().__init__(message)
