"""Spark engine: the same plan over the partitions of a DataFrame (local mode or a cluster).

The index file must be readable at the same path by every executor (local mode: it is).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctions_ledger.screening.engines.plan import (
    INPUT_COLUMNS,
    OUTPUT_COLUMNS,
    PlanParams,
    run_rows,
    worker_index,
)

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession


def output_schema() -> Any:
    from pyspark.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

    types = {"rank": IntegerType(), "score": DoubleType()}
    return StructType([StructField(c, types.get(c, StringType()), True) for c in OUTPUT_COLUMNS])


def run_spark(df: DataFrame, index_path: Path, params: PlanParams,
              hits_only: bool = False) -> DataFrame:
    """Screen every row of ``df`` (columns: query_id, name, optional schema/birth_date/...).
    ``hits_only``: only the hit rows (rank 1 and up), dropped in the Python workers rather
    than sent to the JVM and filtered there (most of a book's customers have no hit)."""
    path = str(index_path)
    cols = [c for c in INPUT_COLUMNS if c in df.columns]

    def partition(rows: Iterable[Any]) -> Iterable[tuple[Any, ...]]:
        index = worker_index(path)
        dicts = (row.asDict() for row in rows)
        for out in run_rows(index, dicts, params):
            if not hits_only or out["rank"]:
                yield tuple(out[c] for c in OUTPUT_COLUMNS)

    spark: SparkSession = df.sparkSession
    return spark.createDataFrame(df.select(*cols).rdd.mapPartitions(partition), output_schema())


def local_session(cores: int = 2) -> SparkSession:
    import os
    import sys

    from pyspark.sql import SparkSession

    # Executors must run this interpreter (the one that has sanctions_ledger installed), not
    # whatever `python3` is first on PATH; SparkContext reads the variable, not the conf.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (SparkSession.builder.master(f"local[{cores}]").appName("sanctions-ledger")
            .config("spark.pyspark.python", sys.executable)
            .config("spark.pyspark.driver.python", sys.executable)
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", str(cores))
            .getOrCreate())
