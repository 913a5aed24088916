"""Dates the work-up of the presenting episode gives what it finds: the month of a dated admission (the imaging and
the biopsy follow over days), the year of the first dated exam when the history tells the admission undated."""

from tests.bundle_facts import dated as _dated

DATED_ADMISSION = """Anamnèse
Un homme de 70 ans s'est présenté aux urgences le 12 mars 2016 pour des douleurs abdominales.

Tests complémentaires
Scanner abdominal : ascite de moyenne abondance.

Diagnostic
Adénocarcinome du pancréas.
"""

UNDATED_ADMISSION = """Anamnèse
Antécédents d'hypertension artérielle. Le patient se présente aux urgences pour un amaigrissement.

Tests complémentaires
Bilan sanguin : hémoglobine 10,2 g/dl.
Scanner thoraco-abdominal : multiples métastases pulmonaires.
Coloscopie (14/11/2019) : masse du côlon sigmoïde.

Diagnostic
Adénocarcinome du côlon sigmoïde.
"""

DATED_HISTORY = """Anamnèse
Opéré d'une hernie inguinale en 2008. Le patient se présente aux urgences pour un amaigrissement.

Tests complémentaires
Scanner thoraco-abdominal : multiples métastases pulmonaires.
Coloscopie (14/11/2019) : masse du côlon sigmoïde.
"""


def test_a_disease_of_the_workup_takes_the_month_of_the_admission() -> None:
    got = _dated(DATED_ADMISSION)
    assert got["Adénocarcinome du pancréas"] == "2016-03"
    assert got["ascite"] == "2016-03"


def test_an_undated_admission_gives_the_workup_the_year_of_its_first_dated_exam() -> None:
    got = _dated(UNDATED_ADMISSION)
    assert got["métastases pulmonaires"] == "2019"
    assert got["Adénocarcinome du côlon sigmoïde"] == "2019"
    assert got["Scanner"] == "2019"
    assert got["hypertension artérielle"] is None  # history, not the episode
    assert next(v for k, v in got.items() if k.startswith("hémoglobine")) == "2019"


def test_a_dated_history_gives_the_workup_no_year() -> None:
    got = _dated(DATED_HISTORY)
    assert got["métastases pulmonaires"] is None
