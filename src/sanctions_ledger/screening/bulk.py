"""Screening a file of queries: the index of the date from the screening service, then the
bulk plan on the chosen engine (local worker processes or Spark), hits written atomically."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanctions_ledger.errors import InputError
from sanctions_ledger.screening.engines import PlanParams
from sanctions_ledger.screening.engines.io import read_queries, write_hits

if TYPE_CHECKING:  # pragma: no cover - the service does not need this module
    from sanctions_ledger.screening.service import ScreeningService

__all__ = ["BulkReport", "screen_file"]


@dataclass
class BulkReport:
    queries: int
    rows: int
    output: str
    snapshot_ids: list[str]
    engine: str
    seconds: float

    def summary(self) -> str:
        return (f"screened {self.queries} queries with the {self.engine} engine in {self.seconds:.1f} s "
                f"({self.queries / max(self.seconds, 1e-9):.0f}/s): {self.rows} hit rows -> {self.output}; "
                f"snapshots {', '.join(self.snapshot_ids)}")


def screen_file(service: ScreeningService, input_path: Path, output_path: Path, *,
                as_of: date | None = None, datasets: Collection[str] | None = None,
                limit: int = 10, floor: float = 0.5, engine: str = "local",
                workers: int | None = None, progress: Callable[[int], None] | None = None) -> BulkReport:
    """Screen every query of a CSV / JSON lines / Parquet file; write ranked hits atomically.

    The engines' workers are other processes: they load the service's index from its disk
    cache (:meth:`ScreeningService.index_file`) and run the same plan on their share.
    """
    params = PlanParams(limit=limit, floor=floor, datasets=tuple(sorted(datasets or ())))
    index_path, snaps = service.index_file(as_of)
    started = time.perf_counter()
    seen: set[str] = set()

    def counted(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            seen.add(row["query_id"])
            yield row

    if engine == "spark":
        from sanctions_ledger.screening.engines.io import _kind
        from sanctions_ledger.screening.engines.plan import check_columns
        from sanctions_ledger.screening.engines.spark import local_session, run_spark

        spark = local_session()
        kind = _kind(input_path)
        reader = spark.read
        if kind == "parquet":
            df = reader.parquet(str(input_path))
        elif kind == "jsonl":
            df = reader.json(str(input_path))
        else:
            df = reader.option("header", True).csv(str(input_path))
        if kind != "jsonl":  # JSON lines have no header: a row without a name is an error row
            check_columns(str(input_path), df.columns)
        rows_out = (r.asDict() for r in run_spark(df, index_path, params).toLocalIterator())
        count = write_hits(output_path, counted(rows_out))
    elif engine == "local":
        from sanctions_ledger.screening.engines.local import run_local

        rows_in = read_queries(input_path)
        count = write_hits(output_path, counted(run_local(index_path, rows_in, params,
                                                          workers=workers, progress=progress)))
    else:
        raise InputError(f"unknown engine {engine!r}: local or spark")
    return BulkReport(len(seen), count, str(output_path), snaps, engine, time.perf_counter() - started)
