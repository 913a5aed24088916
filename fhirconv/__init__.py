"""fhirconv: French clinical case reports -> coded, evidence-linked FHIR Bundles.

>>> import fhirconv
>>> result = fhirconv.convert("Une femme de 51 ans ...", report_id="cas-1")   # doctest: +SKIP
>>> print(fhirconv.to_json(result.data))                                      # doctest: +SKIP
"""

from .errors import ConversionValidationError, FhirconvError, InputError, MappingError, UploadError
from .pipeline import ConversionResult, convert
from .serialise import resources_by_type, to_json, to_ndjson_line, to_xml
from .tables import Mappings, load_mappings

__version__ = "0.1.0"

__all__ = [
    "ConversionResult",
    "ConversionValidationError",
    "FhirconvError",
    "InputError",
    "MappingError",
    "Mappings",
    "UploadError",
    "__version__",
    "convert",
    "load_mappings",
    "resources_by_type",
    "to_json",
    "to_ndjson_line",
    "to_xml",
]
