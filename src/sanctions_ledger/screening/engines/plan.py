"""The bulk screening plan, written once: input rows -> ranked, explained hit rows.

Both engines (local processes and Spark) call :func:`run_rows` on their share of the input
with an index loaded from the same cache file, so they give identical output.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sanctions_ledger.errors import InputError, LedgerError
from sanctions_ledger.match import MatchIndex, Query

INPUT_COLUMNS = ("query_id", "name", "schema", "birth_date", "country", "identifier")
OUTPUT_COLUMNS = ("query_id", "rank", "entity_id", "score", "dataset", "caption", "matched_name",
                  "name_kind", "explanation", "error")


def check_columns(source: str, columns: Collection[str]) -> None:
    """A tabular input (CSV header, Parquet schema) must have a ``name`` column: checked here
    once for both engines, before any row is screened or any output written."""
    if "name" not in columns:
        raise InputError(f"{source}: no 'name' column (columns: {', '.join(columns) or 'none'}); "
                         f"expected {','.join(INPUT_COLUMNS)}")


@dataclass(frozen=True)
class PlanParams:
    limit: int = 10
    floor: float = 0.5
    datasets: tuple[str, ...] = ()


def _text(row: Mapping[str, Any], key: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def run_rows(index: MatchIndex, rows: Iterable[Mapping[str, Any]], params: PlanParams) -> Iterator[dict[str, Any]]:
    """Screen each input row; a row that cannot be screened yields one row carrying ``error``."""
    for n, row in enumerate(rows, start=1):
        qid = _text(row, "query_id") or str(n)
        try:
            query = Query(name=_text(row, "name") or "", schema=_text(row, "schema") or "Any",
                          birth_date=_text(row, "birth_date"), country=_text(row, "country"),
                          identifier=_text(row, "identifier"))
            hits = index.search(query, limit=params.limit, threshold=params.floor,
                                datasets=params.datasets or None)
        except LedgerError as exc:
            yield {"query_id": qid, "rank": 0, "entity_id": "", "score": 0.0, "dataset": "", "caption": "",
                   "matched_name": "", "name_kind": "", "explanation": "", "error": exc.detail}
            continue
        for rank, hit in enumerate(hits, start=1):
            yield {"query_id": qid, "rank": rank, "entity_id": hit.entity_id, "score": round(hit.score, 4),
                   "dataset": hit.dataset, "caption": hit.caption, "matched_name": hit.matched_name,
                   "name_kind": hit.name_kind, "explanation": hit.explanation, "error": ""}
