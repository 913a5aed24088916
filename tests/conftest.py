from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = sorted(FIXTURES.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_results():
    import fhirconv

    return {p.stem: fhirconv.convert(p.read_text(encoding="utf-8"), report_id=p.stem) for p in SEEDS}
