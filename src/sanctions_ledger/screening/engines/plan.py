"""The bulk screening plan, written once: input rows -> one status row per query, then its
ranked, explained hits.

Both engines (local processes and Spark) call :func:`run_rows` on their share of the input
with an index loaded from the same cache file, so they give identical output. Every input row
gives a status row (rank 0, status ``hit``, ``no_hit`` or ``error``): a clean customer leaves
an audit trail too, and the counts of the summary are read from these rows.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sanctions_ledger.errors import InputError, LedgerError
from sanctions_ledger.match import MatchIndex, Query

INPUT_COLUMNS = ("query_id", "name", "schema", "birth_date", "country", "identifier")
OUTPUT_COLUMNS = ("query_id", "status", "rank", "query_name", "entity_id", "score", "dataset",
                  "caption", "matched_name", "name_kind", "explanation", "error", "authorisations")
"""``authorisations``: the licences in force on the screening date for the hit's party
(identifiers, ``; ``-separated), filled in after the engines by ``screening.bulk.screen_file``."""
HIT, NO_HIT, ERROR = "hit", "no_hit", "error"
"""A query's status (its rank-0 row); hit rows (rank 1 and up) carry ``hit``."""


_LOADED: dict[tuple[str, int, int], MatchIndex] = {}


def worker_index(path: str) -> MatchIndex:
    """The index file at ``path``, loaded once per process: an engine's worker process (the
    local engine's pool, Spark's Python workers, which outlive their tasks with
    ``spark.python.worker.reuse``, on by default) screens all its rows with one index, and a
    later task starts with the memos (expanded query keys, analysed names) the earlier ones
    warmed. A file rewritten at the same path (another modification time or size) is loaded
    anew; one index is kept."""
    stat = os.stat(path)
    key = (path, stat.st_mtime_ns, stat.st_size)
    index = _LOADED.get(key)
    if index is None:
        _LOADED.clear()
        index = _LOADED[key] = MatchIndex.load(Path(path))
    return index


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


def _row(qid: str, status: str, rank: int, query_name: str = "", **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"query_id": qid, "status": status, "rank": rank, "query_name": query_name,
                           "entity_id": "", "score": 0.0, "dataset": "", "caption": "",
                           "matched_name": "", "name_kind": "", "explanation": "", "error": "",
                           "authorisations": ""}
    row.update(values)
    return row


def run_rows(index: MatchIndex, rows: Iterable[Mapping[str, Any]], params: PlanParams) -> Iterator[dict[str, Any]]:
    """Screen each input row: its status row (rank 0; the best score when it has hits, the
    reason when it cannot be screened), then one row per hit (rank 1 and up)."""
    for n, row in enumerate(rows, start=1):
        qid = _text(row, "query_id") or str(n)
        name = _text(row, "name") or ""
        try:
            query = Query(name=name, schema=_text(row, "schema") or "Any",
                          birth_date=_text(row, "birth_date"), country=_text(row, "country"),
                          identifier=_text(row, "identifier"))
            hits = index.search(query, limit=params.limit, threshold=params.floor,
                                datasets=params.datasets or None)
        except LedgerError as exc:
            yield _row(qid, ERROR, 0, name, error=exc.detail)
            continue
        best = round(hits[0].score, 4) if hits else 0.0
        yield _row(qid, HIT if hits else NO_HIT, 0, name, score=best)
        for rank, hit in enumerate(hits, start=1):
            yield _row(qid, HIT, rank, name, entity_id=hit.entity_id, score=round(hit.score, 4),
                       dataset=hit.dataset, caption=hit.caption, matched_name=hit.matched_name,
                       name_kind=hit.name_kind, explanation=hit.explanation)
