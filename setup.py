"""Build of fhirconv: pure Python by default; ``FHIRCONV_COMPILE=1 pip install .`` compiles the per-report modules
with mypyc into C extensions (about 20 % less CPU per report, README "Speed"), as black and mypy ship theirs.

Everything else is in pyproject.toml. The compiled wheel keeps the .py files next to the extensions (Python imports
the extension first), so tracebacks and ``inspect`` still show the source.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.config.pyprojecttoml import load_file
from setuptools.errors import CCompilerError, CompileError, ExecError, PlatformError

# The modules each conversion runs through. Not compiled: pipeline.py (glue of no cost, kept pure so the stage
# functions can be swapped for timing and in tests), tables/ (the pydantic row models and the table loader, run once
# per process), the CLI, the I/O, upload, evaluation and maintainer tools (click decorators, dynamic code, no
# per-report cost). scripts/test_compiled.sh checks that the compiled build writes the same bytes as the pure one.
COMPILED_MODULES = [
    "fhirconv/normalise.py",
    "fhirconv/sections.py",
    "fhirconv/matcher.py",
    "fhirconv/mentions.py",
    "fhirconv/abbreviations.py",
    "fhirconv/qualifiers.py",
    "fhirconv/dates.py",
    "fhirconv/dating.py",
    "fhirconv/timeline.py",
    "fhirconv/values.py",
    "fhirconv/labvalues.py",
    "fhirconv/dosage.py",
    "fhirconv/document.py",
    "fhirconv/build/__init__.py",
    "fhirconv/build/common.py",
    "fhirconv/build/grade.py",
    "fhirconv/build/med_context.py",
    "fhirconv/build/medications.py",
    "fhirconv/build/observations.py",
    "fhirconv/build/procedures.py",
    "fhirconv/build/conditions/__init__.py",
    "fhirconv/build/conditions/anaphora.py",
    "fhirconv/build/conditions/diabetes.py",
    "fhirconv/build/conditions/family_anaphora.py",
    "fhirconv/build/conditions/findings.py",
    "fhirconv/build/conditions/merging.py",
    "fhirconv/build/conditions/model.py",
    "fhirconv/build/conditions/nodal.py",
    "fhirconv/build/conditions/onset.py",
    "fhirconv/build/conditions/reading.py",
    "fhirconv/build/conditions/report.py",
    "fhirconv/build/conditions/resource.py",
    "fhirconv/build/conditions/site_words.py",
    "fhirconv/build/conditions/status.py",
    "fhirconv/build/conditions/tumours.py",
    "fhirconv/bundle.py",
    "fhirconv/validate.py",
    "fhirconv/shapecheck.py",
    "fhirconv/serialise.py",
    "fhirconv/fhirspec.py",
    "fhirconv/versions.py",
    "fhirconv/tables/prefilter.py",
    "fhirconv/tables/prefilter_needles.py",
    "fhirconv/tables/prefilter_starts.py",
    "fhirconv/tables/prefilter_text.py",
    "fhirconv/tables/codes.py",
    "fhirconv/tables/ucum.py",
]
# mypyc is part of mypy: pinned to the version the build was tested with (a new mypyc may compile differently).
# The runtime dependencies and stubs are there too so that mypy types the code as `mypy fhirconv` does in CI.
MYPYC = "mypy==2.4.1"
COMPILE = os.environ.get("FHIRCONV_COMPILE", "") == "1"


class _BuildExt(build_ext):
    def run(self) -> None:
        if self.editable_mode or self.inplace:  # (python setup.py build_ext --inplace): see _compiled_build
            sys.exit("FHIRCONV_COMPILE=1 builds a wheel (pip install .), not extensions in the source tree")
        try:
            super().run()
        except (CCompilerError, CompileError, ExecError, PlatformError) as e:
            # An error, not a silent fallback to pure Python: whoever asks for the compiled build wants its speed,
            # and a benchmark or a deployment must not run pure code believing it compiled.
            sys.exit(
                f"FHIRCONV_COMPILE=1: compiling fhirconv failed ({e}). It needs a C compiler and the Python headers "
                "(Debian: apt-get install gcc python3-dev); unset FHIRCONV_COMPILE for the pure-Python build."
            )


def _drop_stale_extensions() -> None:
    # build/compiled is kept between builds (only changed C is compiled again); the extension of a module since taken
    # off COMPILED_MODULES would otherwise ship in the next wheel and shadow the module's newer .py
    wanted = {m.removesuffix(".py") for m in COMPILED_MODULES}
    for so in Path("build/compiled").glob("lib.*/fhirconv/**/*.so"):
        parts = so.relative_to(next(p for p in so.parents if p.name.startswith("lib."))).parts
        if "/".join((*parts[:-1], parts[-1].split(".")[0])) not in wanted:
            so.unlink()


def _compiled_build() -> dict[str, object]:
    project = load_file("pyproject.toml")["project"]
    requires = [MYPYC, "types-PyYAML", *project["dependencies"]]
    # The PEP 517 backend runs this file once to ask for the build requirements (egg_info: setup_requires is how
    # setuptools reports them), once for the metadata (dist_info), then to build: mypy is there only from the second
    # run, and the extensions (a type check and C generation, ~1 min) are needed only by the last one.
    if {"egg_info", "dist_info"} & set(sys.argv[1:]):
        return {"setup_requires": requires}
    if "editable_wheel" in sys.argv[1:] or "develop" in sys.argv[1:]:
        # extensions built in place would shadow the .py files being edited, stale after the next change
        sys.exit("FHIRCONV_COMPILE=1 builds a wheel (pip install .), not an editable install: unset it for -e")
    try:
        from mypyc.build import mypycify
    except ImportError:
        sys.exit(f"FHIRCONV_COMPILE=1 needs {MYPYC} at build time (pip install . installs it; or pip install it)")
    _drop_stale_extensions()
    return {
        "setup_requires": requires,
        # C sources and build output under build/compiled: a later pure build (build/lib) never picks up a .so
        "ext_modules": mypycify(COMPILED_MODULES, opt_level="3", group_name="fhirconv", target_dir="build/compiled"),
        "cmdclass": {"build_ext": _BuildExt},
        "options": {"build": {"build_base": "build/compiled"}},
    }


setup(**(_compiled_build() if COMPILE else {}))
