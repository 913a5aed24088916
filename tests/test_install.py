"""pip install . into a new virtual environment, then run from another folder: the tables must come along."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .conftest import ROOT, SEEDS


@pytest.mark.slow
def test_wheel_ships_the_tables(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", str(ROOT)], capture_output=True, text=True, timeout=600
    )
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run(
        [str(env_dir / "bin" / "fhirconv"), "convert", str(SEEDS[0]), "-q"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    bundle = json.loads(out.stdout)
    assert any(e["resource"]["resourceType"] == "MedicationStatement" for e in bundle["entry"])
    where = subprocess.run(
        [str(py), "-c", "import fhirconv.tables as t, importlib.resources as r; print(r.files('fhirconv.mappings'))"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert str(env_dir) in where.stdout, where.stdout  # the installed copy, not the source tree
    assert sys.prefix != str(env_dir)
