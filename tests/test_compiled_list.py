"""Every module a conversion runs through is in setup.py's COMPILED_MODULES, unless it is one of the few kept pure on
purpose: a stage module added without being listed would silently run as pure Python in the compiled build (it
happened twice: abbreviations.py and build/conditions/diabetes.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Kept pure, with the reason (setup.py says the same): glue swapped for timing, run-once table loading and row
# models, errors, and the batch / bulk front ends, which run once per batch, not per report.
PURE = {
    "fhirconv/__init__.py",
    "fhirconv/pipeline.py",
    "fhirconv/errors.py",
    "fhirconv/pickling.py",
    "fhirconv/bulk.py",
    "fhirconv/stream.py",
    "fhirconv/mappings/__init__.py",
    "fhirconv/tables/__init__.py",
    "fhirconv/tables/loading.py",
    "fhirconv/tables/lookups.py",
    "fhirconv/tables/model.py",
    "fhirconv/tables/cache.py",
    "fhirconv/tables/readers.py",
    "fhirconv/tables/schema/__init__.py",
    "fhirconv/tables/schema/base.py",
    "fhirconv/tables/schema/conditions.py",
    "fhirconv/tables/schema/dates.py",
    "fhirconv/tables/schema/medications.py",
    "fhirconv/tables/schema/observations.py",
    "fhirconv/tables/schema/phrases.py",
    "fhirconv/tables/schema/procedures.py",
    "fhirconv/tables/schema/tumours.py",
}


def _compiled_modules() -> set[str]:
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "COMPILED_MODULES" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError("setup.py has no COMPILED_MODULES list")


def _source(module: str, package: bool) -> str:
    """The source file of a fhirconv module, as setup.py names it (by module name, not by the loaded file: a
    compiled install loads .so files, and the tables package lives in the top-level mappings/ folder)."""
    path = module.replace(".", "/")
    return path + "/__init__.py" if package else path + ".py"


def _modules_of_a_conversion() -> set[str]:
    # a fresh interpreter: this one has imported test helpers and the CLI
    code = (
        "import sys, fhirconv\n"
        "r = fhirconv.convert('Patiente de 50 ans. Diabète de type 2 (DT2). Pas de fièvre. Metformine 1 g/j.')\n"
        "fhirconv.to_json(r.data)\n"
        "for m in sorted(sys.modules):\n"
        "    if m == 'fhirconv' or m.startswith('fhirconv.'):\n"
        "        print(m, int(hasattr(sys.modules[m], '__path__')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return {_source(name, flag == "1") for name, flag in (line.split() for line in out.stdout.splitlines())}


def test_every_conversion_module_is_compiled_or_kept_pure_on_purpose() -> None:
    compiled = _compiled_modules()
    used = _modules_of_a_conversion()
    assert "fhirconv/normalise.py" in used, used  # the probe saw the pipeline
    missing = sorted(used - compiled - PURE)
    assert not missing, f"modules a conversion runs through, missing from setup.py COMPILED_MODULES: {missing}"


def test_the_lists_name_real_files() -> None:
    for rel in _compiled_modules() | PURE:
        # the tables package is the top-level mappings/ folder (pyproject.toml package-dir)
        assert (ROOT / rel.replace("fhirconv/mappings/", "mappings/")).is_file(), rel
