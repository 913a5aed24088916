"""What a new process pays before its first bundle (issue 8: ``fhirconv convert one.txt`` starts in under a
second): work that a run does not need is not done at start."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_the_xml_writer_imports_the_models_of_written_fields_only() -> None:
    # fhir_core names a field's FHIR type by importing its model: the plan of a class names none, a field's type is
    # named when a value of it is written (serialise._type_name)
    code = (
        "import sys\n"
        "from fhir.resources.R4B.patient import Patient\n"
        "from fhirconv import serialise\n"
        "before = set(sys.modules)\n"
        "serialise._plan(Patient)\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith('fhir.resources')))\n"
    )
    assert _run(code).strip() == "[]"


def test_xml_from_the_dict_names_types_as_fhir_resources_does() -> None:
    from fhir.resources.R4B.observation import Observation
    from fhir_core.utils import determine_version_prefix_from_class, get_fhir_type_name

    from fhirconv import serialise

    prefix = determine_version_prefix_from_class(Observation)
    for alias, key, _, _ in serialise._plan(Observation):
        expected = get_fhir_type_name(Observation.model_fields[key], prefix=prefix)
        assert serialise._type_name(Observation, key) == expected, alias


def test_a_one_process_batch_does_not_import_multiprocessing() -> None:
    # multiprocessing (and the subprocess, socket, selectors modules it brings) serves batches with helpers only
    code = (
        "import sys\n"
        "from fhirconv import cli\n"
        "from fhirconv.parallel import BatchOptions, Report, convert_reports\n"
        "[o] = convert_reports([Report('r', '<r>', text='Femme de 51 ans.')], BatchOptions(), open, jobs=1)\n"
        "print(o.error, 'multiprocessing' in sys.modules)\n"
    )
    assert _run(code).split() == ["None", "False"]
