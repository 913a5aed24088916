"""Scale-out beyond one machine: convert a Spark DataFrame column of report texts into FHIR Bundle JSON.

Needs the ``[spark]`` extra (``pip install 'fhirconv[spark]'``: pyspark, pandas, pyarrow), and fhirconv installed
in the Python of the Spark executors (``PYSPARK_PYTHON``). Conversion runs inside ``mapInPandas``: each executor
process loads the mapping tables once (they are cached per process) and converts its Arrow batches row by row. A
report that fails gives a row with ``bundle`` null and the message in ``error``; the job goes on.

>>> from fhirconv.spark import convert_column                                         # doctest: +SKIP
>>> out = convert_column(df, text_col="text", id_col="report_id")                     # doctest: +SKIP
>>> out.select("report_id", "bundle", "error").write.json("bundles/")                 # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pyspark and pandas are optional: imported only where a Spark job is built or run
    from pyspark.sql import DataFrame

PandasFrames = Iterator[Any]  # of pandas.DataFrame (pandas ships no type stubs)

__all__ = ["convert_column"]


def convert_column(
    df: DataFrame,
    text_col: str = "text",
    id_col: str | None = None,
    *,
    bundle_col: str = "bundle",
    error_col: str = "error",
    fhir_version: str = "R4",
    bundle_type: str = "collection",
    mappings_dir: str | None = None,
) -> DataFrame:
    """A DataFrame of ``id_col`` (when given), ``bundle_col`` (the bundle as one-line JSON, or null) and
    ``error_col`` (why the report failed, or null), one row per row of ``df``.

    ``id_col`` names the report id column (it keys the deterministic resource ids, like ``report_id=`` of
    :func:`fhirconv.convert`); without it, ids derive from the text. ``mappings_dir`` must be readable from the
    executors.
    """
    from pyspark.sql.types import StringType, StructField, StructType

    for col in (text_col, id_col):
        if col is not None and col not in df.columns:
            raise ValueError(f"no column {col!r} in the DataFrame (columns: {', '.join(df.columns)})")
    fields = [StructField(bundle_col, StringType(), True), StructField(error_col, StringType(), True)]
    if id_col is not None:
        fields.insert(0, StructField(id_col, df.schema[id_col].dataType, True))
    options = {"fhir_version": fhir_version, "bundle_type": bundle_type, "mappings_dir": mappings_dir}
    columns = [text_col] + ([id_col] if id_col is not None else [])

    def convert_batches(batches: PandasFrames) -> PandasFrames:
        # Runs on the executors: only this closure and the options dict are shipped there.
        yield from _convert_batches(batches, text_col, id_col, bundle_col, error_col, options)

    return df.select(*columns).mapInPandas(convert_batches, StructType(fields))


def _convert_batches(
    batches: PandasFrames, text_col: str, id_col: str | None, bundle_col: str, error_col: str, options: dict[str, Any]
) -> PandasFrames:
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]

    from .errors import FhirconvError
    from .pipeline import convert
    from .serialise import to_ndjson_line
    from .tables import load_mappings

    maps = load_mappings(options["mappings_dir"])
    for batch in batches:
        bundles: list[str | None] = []
        errors: list[str | None] = []
        ids = batch[id_col].tolist() if id_col is not None else [None] * len(batch)
        for text, report_id in zip(batch[text_col].tolist(), ids):
            try:
                if not isinstance(text, str):
                    raise FhirconvError(f"{report_id or 'report'}: no text (null or not a string)")
                rid = None if report_id is None or pd.isna(report_id) else str(report_id)
                result = convert(
                    text,
                    report_id=rid,
                    mappings=maps,
                    fhir_version=options["fhir_version"],
                    bundle_type=options["bundle_type"],
                )
            except FhirconvError as exc:
                bundles.append(None)
                errors.append(str(exc))
                continue
            bundles.append(to_ndjson_line(result.data).rstrip("\n"))
            errors.append(None)
        out = {bundle_col: bundles, error_col: errors}
        if id_col is not None:
            out = {id_col: batch[id_col].tolist(), **out}
        yield pd.DataFrame(out)
