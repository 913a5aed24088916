"""fhirconv: French clinical case reports -> coded, evidence-linked FHIR Bundles.

>>> import fhirconv
>>> result = fhirconv.convert("Une femme de 51 ans ...", report_id="cas-1")   # doctest: +SKIP
>>> print(fhirconv.to_json(result.data))                                      # doctest: +SKIP
"""

from importlib.machinery import EXTENSION_SUFFIXES as _EXTENSION_SUFFIXES

from . import normalise as _normalise
from . import pickling as _pickling
from .bulk import BulkWriter
from .errors import ConversionValidationError, FhirconvError, InputError, MappingError, UploadError
from .pipeline import ConversionResult, convert
from .serialise import resources_by_type, to_json, to_ndjson_line, to_xml
from .stream import ConvertOptions, StreamResult, convert_many
from .tables import Mappings, load_mappings

__version__ = "0.1.0"

# True in the compiled build (FHIRCONV_COMPILE=1 pip install ., setup.py): the per-report modules are mypyc C
# extensions. `fhirconv --version` and benchmarks/throughput.py say which build runs.
COMPILED: bool = (_normalise.__file__ or "").endswith(tuple(_EXTENSION_SUFFIXES))
_pickling.register()  # the frozen dataclasses pickle in both builds (fhirconv/pickling.py)

__all__ = [
    "COMPILED",
    "BulkWriter",
    "ConversionResult",
    "ConversionValidationError",
    "ConvertOptions",
    "FhirconvError",
    "InputError",
    "MappingError",
    "Mappings",
    "StreamResult",
    "UploadError",
    "__version__",
    "convert",
    "convert_many",
    "load_mappings",
    "resources_by_type",
    "to_json",
    "to_ndjson_line",
    "to_xml",
]
