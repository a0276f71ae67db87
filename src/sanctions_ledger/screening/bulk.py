"""Screening a file of queries: the index of the date from the screening service, then the
bulk plan on the chosen engine (local worker processes or Spark), rows written atomically.

Every input row is accounted for: the output holds one status row per query (``hit``,
``no_hit`` or ``error``) followed by its hits, and the report counts rows read, screened, hit
and failed from those status rows, the same way for both engines.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctions_ledger.errors import InputError
from sanctions_ledger.screening.engines import PlanParams
from sanctions_ledger.screening.engines.io import (
    csv_dialect,
    input_kind,
    output_kind,
    parquet_columns,
    read_queries,
    write_hits,
)
from sanctions_ledger.screening.engines.plan import ERROR, HIT, NO_HIT

if TYPE_CHECKING:  # pragma: no cover - the service does not need this module
    from sanctions_ledger.screening.service import ScreeningService

__all__ = ["SPARK_HINT", "BulkReport", "screen_file"]

SPARK_HINT = ("the spark engine needs pyspark: pip install 'sanctions-ledger[spark]' "
              "(Spark also needs Java 17 or later: `java` on PATH or JAVA_HOME set)")


@dataclass
class BulkReport:
    read: int
    """Input rows read: each has a status row in the output."""
    screened: int
    """Rows screened (``hit`` or ``no_hit``)."""
    hit: int
    """Rows with at least one hit."""
    failed: int
    """Rows that could not be screened (``error``, with the reason in the output)."""
    hit_rows: int
    rows: int
    """Rows written (status rows and hit rows)."""
    output: str
    snapshot_ids: list[str]
    engine: str
    seconds: float

    @property
    def queries(self) -> int:
        return self.read

    def summary(self) -> str:
        rate = self.read / max(self.seconds, 1e-9)
        return (f"read {self.read} rows: {self.screened} screened ({self.hit} with hits, "
                f"{self.screened - self.hit} without), {self.failed} failed; {self.rows} rows "
                f"({self.hit_rows} hits) -> {self.output}; {self.engine} engine, "
                f"{self.seconds:.1f} s ({rate:.0f} rows/s); snapshots {', '.join(self.snapshot_ids)}")


def screen_file(service: ScreeningService, input_path: Path, output_path: Path, *,
                as_of: date | None = None, datasets: Collection[str] | None = None,
                limit: int = 10, floor: float = 0.5, engine: str = "local",
                workers: int | None = None, progress: Callable[[int], None] | None = None,
                authorised: Mapping[str, str] | None = None) -> BulkReport:
    """Screen every query of a CSV / JSON lines / Parquet file; write a status row per query
    and its ranked hits, atomically (nothing is written when the input is refused).

    The engines' workers are other processes: they load the service's index from its disk
    cache (:meth:`ScreeningService.index_file`) and run the same plan on their share.
    """
    if engine not in ("local", "spark"):
        raise InputError(f"unknown engine {engine!r}: local or spark")
    output_kind(output_path)
    if engine == "spark":
        _check_spark()
    params = PlanParams(limit=limit, floor=floor, datasets=tuple(sorted(datasets or ())))
    index_path, snaps = service.index_file(as_of)
    started = time.perf_counter()
    counts = {HIT: 0, NO_HIT: 0, ERROR: 0, "hit_rows": 0}

    def counted(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            counts[row["status"] if row["rank"] == 0 else "hit_rows"] += 1
            if authorised and row["entity_id"]:
                # Licences in force on the date (entity id -> identifiers), given by the caller:
                # the same for both engines, as it is added after them.
                row["authorisations"] = authorised.get(row["entity_id"], "")
            yield row

    if engine == "spark":
        rows_out = _spark_rows(input_path, index_path, params)
    else:
        from sanctions_ledger.screening.engines.local import run_local

        rows_out = run_local(index_path, read_queries(input_path), params, workers=workers, progress=progress)
    count = write_hits(output_path, counted(rows_out))
    return BulkReport(counts[HIT] + counts[NO_HIT] + counts[ERROR], counts[HIT] + counts[NO_HIT],
                      counts[HIT], counts[ERROR], counts["hit_rows"], count, str(output_path), snaps,
                      engine, time.perf_counter() - started)


def _check_spark() -> None:
    """pyspark and Java are there, or a clear error saying how to get them."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise InputError(SPARK_HINT) from exc
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise InputError("the spark engine needs Java 17 or later: install it (`java` on PATH) "
                         "or set JAVA_HOME")


def _spark_rows(input_path: Path, index_path: Path, params: PlanParams) -> Iterator[dict[str, Any]]:
    """The plan on Spark. Spark reads JSON lines, Parquet and plain CSV (UTF-8, commas) itself;
    a CSV of another encoding or delimiter is read by :func:`read_queries` (the local engine's
    reader), so both engines read the same rows from it."""
    from sanctions_ledger.screening.engines.plan import INPUT_COLUMNS, check_columns
    from sanctions_ledger.screening.engines.spark import local_session, run_spark

    if not input_path.is_file():
        raise InputError(f"{input_path}: no such file")
    spark = local_session()
    kind = input_kind(input_path)
    reader = spark.read
    if kind == "parquet":
        check_columns(str(input_path), parquet_columns(input_path))
        df = reader.parquet(str(input_path))
    elif kind == "jsonl":
        df = reader.json(str(input_path))
    elif csv_dialect(input_path).plain:
        df = reader.option("header", True).csv(str(input_path))
        check_columns(str(input_path), df.columns)
    else:
        rows = [{c: row.get(c) for c in INPUT_COLUMNS} for row in read_queries(input_path)]
        df = spark.createDataFrame(rows, ", ".join(f"{c} string" for c in INPUT_COLUMNS))
    return (r.asDict() for r in run_spark(df, index_path, params).toLocalIterator())
