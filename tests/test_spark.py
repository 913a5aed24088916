"""fhirconv.spark.convert_column on a local[2] Spark session: the same bundles as fhirconv.convert, row by row,
and a failed report gives an error row without stopping the job. CI installs the [spark] extra
(scripts/test.sh), so there this test runs; it skips only outside CI when pyspark or Java is missing."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator

import pytest

import fhirconv

from .conftest import SEEDS

if not os.environ.get("CI"):
    pytest.importorskip("pyspark", reason="pip install -e '.[spark]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java (17)", allow_module_level=True)

from fhirconv.spark import convert_column


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    from pyspark.sql import SparkSession

    # Executors must run this very Python (where fhirconv is installed); Spark listens on localhost only.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("fhirconv-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_convert_column_gives_the_bundles_of_convert(spark) -> None:
    rows = [(p.stem, p.read_text(encoding="utf-8")) for p in SEEDS]
    rows += [("empty", "   "), ("null", None), ("short", "Femme de 45 ans, diabète de type 2 sous metformine.")]
    df = spark.createDataFrame(rows, "report_id string, text string").repartition(2)  # type: ignore[attr-defined]
    out = {r["report_id"]: r for r in convert_column(df, "text", "report_id").collect()}
    assert sorted(out) == sorted(rid for rid, _ in rows)
    for rid, text in rows:
        if rid in ("empty", "null"):
            assert out[rid]["bundle"] is None and out[rid]["error"], rid
            continue
        expected = fhirconv.to_ndjson_line(fhirconv.convert(text, report_id=rid).data).rstrip("\n")
        assert out[rid]["error"] is None
        assert out[rid]["bundle"] == expected, rid
    assert "empty report" in out["empty"]["error"]


def test_convert_column_without_ids_and_options(spark) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    df = spark.createDataFrame([(text,)], "body string")  # type: ignore[attr-defined]
    got = convert_column(df, text_col="body", fhir_version="R5", bundle_type="transaction", bundle_col="fhir").collect()
    assert got[0].asDict().keys() == {"fhir", "error"}
    expected = fhirconv.convert(text, fhir_version="R5", bundle_type="transaction").data
    assert got[0]["fhir"] == fhirconv.to_ndjson_line(expected).rstrip("\n")
    with pytest.raises(ValueError, match="no column 'nope'"):
        convert_column(df, text_col="nope")
