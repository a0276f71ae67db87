"""Local engine: the plan over a pool of worker processes, one per core."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any

from sanctions_ledger.match import MatchIndex
from sanctions_ledger.screening.engines.plan import PlanParams, run_rows, worker_index

CHUNK = 500
_worker_path = ""


def _init(path: str) -> None:
    global _worker_path
    _worker_path = path
    worker_index(path)  # loaded before the first chunk arrives


def _work(args: tuple[list[Mapping[str, Any]], PlanParams]) -> list[dict[str, Any]]:
    rows, params = args
    return list(run_rows(worker_index(_worker_path), rows, params))


def _chunks(rows: Iterable[Mapping[str, Any]], params: PlanParams) -> Iterator[tuple[list[Mapping[str, Any]], PlanParams]]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        yield chunk, params


def run_local(index_path: Path, rows: Iterable[Mapping[str, Any]], params: PlanParams, *,
              workers: int | None = None, progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Screen ``rows`` with ``workers`` processes (default: all cores), output in input order."""
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        index = MatchIndex.load(index_path)
        for chunk, p in _chunks(rows, params):
            yield from run_rows(index, chunk, p)
            if progress:
                progress(len(chunk))
        return
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(str(index_path),)) as pool:
        for out in pool.imap(_work, _chunks(rows, params), chunksize=1):
            yield from out
            if progress:
                progress(sum(1 for r in out if r["rank"] == 0))
