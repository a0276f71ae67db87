"""Reading query files (CSV, JSON lines, Parquet) and writing hit files."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from sanctions_ledger.errors import InputError
from sanctions_ledger.screening.engines.plan import OUTPUT_COLUMNS, check_columns


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return "csv"


def read_queries(path: Path) -> Iterator[dict[str, Any]]:
    """Query rows with at least ``name``; errors name the file and line."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    kind = _kind(path)
    if kind == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        check_columns(str(path), table.column_names)
        for batch in table.to_batches(10_000):
            yield from batch.to_pylist()
        return
    if kind == "jsonl":
        with open(path, "rb") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise InputError(f"{path}: line {lineno}: invalid JSON ({exc})") from exc
                if not isinstance(row, dict):
                    raise InputError(f"{path}: line {lineno}: expected a JSON object")
                yield row
        return
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        check_columns(str(path), reader.fieldnames or [])
        try:
            yield from reader
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: line {reader.line_num}: {exc}") from exc


def write_hits(path: Path, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write hit rows atomically (temp file, then rename); returns the row count."""
    tmp = path.with_name(path.name + ".partial")
    kind = _kind(path)
    count = 0
    if kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = list(rows)
        count = len(data)
        pq.write_table(pa.Table.from_pylist(data) if data else pa.table({c: [] for c in OUTPUT_COLUMNS}), tmp)
    elif kind == "jsonl":
        with open(tmp, "wb") as fh:
            for row in rows:
                fh.write(orjson.dumps(row) + b"\n")
                count += 1
    else:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(OUTPUT_COLUMNS), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
    tmp.replace(path)
    return count
