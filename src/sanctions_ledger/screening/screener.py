"""Screening against the ledger as of a date: index per view (cached on disk by snapshot ids),
hits enriched with the party's sanctions and the snapshot ids used (the audit record)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.match import Hit, MatchIndex, Query, validate_query
from sanctions_ledger.match import index as match_index
from sanctions_ledger.match.index import FORMAT_VERSION as INDEX_FORMAT
from sanctions_ledger.screening import diskcache
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.view import LedgerView, parse_date
from sanctions_ledger.vocab import jurisdiction


@dataclass
class ScreenHit:
    hit: Hit
    source_id: str
    sanctions: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        h = self.hit
        return {
            "entity_id": h.entity_id, "dataset": h.dataset, "jurisdiction": jurisdiction(h.dataset),
            "source_id": self.source_id, "schema": h.schema, "caption": h.caption,
            "matched_name": h.matched_name, "name_kind": h.name_kind, "score": round(h.score, 4),
            "explanation": h.explanation,
            "features": [{"name": f.name, "weight": f.weight, "value": round(f.value, 4), "evidence": f.evidence}
                         for f in h.features],
            "sanctions": self.sanctions,
        }


@dataclass
class ScreenResult:
    query: Query
    as_of: date | None
    snapshot_ids: list[str]
    hits: list[ScreenHit]

    def to_dict(self) -> dict[str, Any]:
        q = self.query
        return {"query": {"name": q.name, "schema": q.schema, "birth_date": q.birth_date,
                          "country": q.country, "identifier": q.identifier},
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "snapshot_ids": self.snapshot_ids, "hits": [h.to_dict() for h in self.hits]}


def source_id(entity_id: str) -> str:
    """The list's own id inside our entity id (``us-sdn-9760`` -> ``9760``)."""
    parts = entity_id.split("-")
    head = 0
    while head < len(parts) - 1 and parts[head].isalpha() and parts[head].islower():
        head += 1
    return "-".join(parts[head:]) if head else entity_id


@cache
def matcher_fingerprint() -> str:
    """A hash of the matcher's source files (``sanctions_ledger/match/*.py``): the index
    holds names as they were analysed, so a changed analysis must not reuse an old file."""
    digest = hashlib.sha256()
    for path in sorted(Path(match_index.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class Screener:
    """Builds (or loads from the disk cache) one index per (snapshot ids) and screens against it."""

    def __init__(self, ledger: Ledger, cache_dir: Path | None = None, max_cached: int = 4) -> None:
        self.ledger = ledger
        self.cache_dir = cache_dir
        self.max_cached = max_cached
        self._indexes: dict[str, MatchIndex] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(view: LedgerView) -> tuple[str, list[str]]:
        """Cache key: the snapshot ids, the index format and the matcher's source, so a new
        build never loads an index file written by other code (names analysed otherwise)."""
        snaps = view.snapshot_ids()
        if not snaps:
            when = view.as_of or "now"
            raise NotFoundError(f"no list snapshot on or before {when}: ingest lists first")
        material = "\n".join([f"format {INDEX_FORMAT}", f"matcher {matcher_fingerprint()}", *snaps])
        return hashlib.sha256(material.encode()).hexdigest()[:24], snaps

    def index_file(self, as_of: date | str | None = None) -> tuple[Path, list[str]]:
        """The on-disk index for the lists as of a date (built if needed), for bulk engines."""
        if self.cache_dir is None:
            raise NotFoundError("bulk screening needs an index cache directory")
        view = LedgerView(self.ledger, parse_date(as_of, "as_of"), None)
        key, snaps = self._key(view)
        self.index_for(view)  # loads (validating) or builds and writes the file
        return self.cache_dir / f"{key}.idx", snaps

    def index_for(self, view: LedgerView) -> tuple[MatchIndex, list[str]]:
        key, snaps = self._key(view)
        with self._lock:
            index = self._indexes.get(key)
            if index is None:
                index = self._load_or_build(key, view)
                if len(self._indexes) >= self.max_cached:
                    self._indexes.pop(next(iter(self._indexes)))
                self._indexes[key] = index
        return index, snaps

    def _load_or_build(self, key: str, view: LedgerView) -> MatchIndex:
        path = self.cache_dir / f"{key}.idx" if self.cache_dir else None
        if path is not None and path.exists():
            try:
                loaded = MatchIndex.load(path)
                diskcache.touch(path)
                return loaded
            except Exception:  # noqa: BLE001 - a corrupt cache is rebuilt, never trusted
                pass
        # Index every list of the snapshots that stood on the date; datasets filter at query time.
        full = LedgerView(self.ledger, view.as_of, None)
        index = MatchIndex.build(full.iter_parties())
        if path is not None:
            diskcache.write_atomic(path, index.dump)
        return index

    def screen(self, query: Query, *, as_of: date | str | None = None,
               datasets: Collection[str] | None = None, limit: int = 10,
               threshold: float = 0.0, with_sanctions: bool = True) -> ScreenResult:
        query = validate_query(query)
        when = parse_date(as_of, "as_of")
        full_view = LedgerView(self.ledger, when, None)
        index, snaps = self.index_for(full_view)
        if datasets:
            snaps = LedgerView(self.ledger, when, datasets).snapshot_ids()
        hits = index.search(query, limit=limit, threshold=threshold, datasets=datasets or None)
        out = []
        for hit in hits:
            sanctions: list[dict[str, Any]] = []
            if with_sanctions:
                view = LedgerView(self.ledger, when, [hit.dataset])
                sanctions = [_sanction_dict(s) for _d, s in view.sanctions_of(hit.entity_id)]
            out.append(ScreenHit(hit, source_id(hit.entity_id), sanctions))
        return ScreenResult(query, when, snaps, out)


def _sanction_dict(entity: Any) -> dict[str, Any]:
    props = ("authority", "program", "listingDate", "startDate", "endDate", "country", "sourceUrl")
    return {"id": entity.id, **{p: entity.get(p) for p in props if entity.get(p)}}


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


def screen_file(screener: Screener, input_path: Path, output_path: Path, *,
                as_of: date | str | None = None, datasets: Collection[str] | None = None,
                limit: int = 10, floor: float = 0.5, engine: str = "local",
                workers: int | None = None, progress: Callable[[int], None] | None = None) -> BulkReport:
    """Screen every query of a CSV / JSON lines / Parquet file; write ranked hits atomically."""
    import time

    from sanctions_ledger.screening.engines import PlanParams
    from sanctions_ledger.screening.engines.io import read_queries, write_hits

    params = PlanParams(limit=limit, floor=floor, datasets=tuple(sorted(datasets or ())))
    index_path, snaps = screener.index_file(as_of)
    started = time.perf_counter()
    seen: set[str] = set()

    def counted(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in rows:
            seen.add(row["query_id"])
            yield row

    if engine == "spark":
        from sanctions_ledger.screening.engines.io import _kind
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


def screen(ledger: Ledger, query: Query | str, *, as_of: date | str | None = None,
           datasets: Collection[str] | None = None, limit: int = 10, threshold: float = 0.0,
           cache_dir: Path | None = None) -> ScreenResult:
    """Screen one name (or :class:`Query`) against the lists as of a date."""
    q = Query(query) if isinstance(query, str) else query
    return Screener(ledger, cache_dir=cache_dir).screen(q, as_of=as_of, datasets=datasets, limit=limit,
                                                        threshold=threshold)


def screen_many(screener: Screener, queries: Iterable[Query | str], *, as_of: date | str | None = None,
                datasets: Collection[str] | None = None, limit: int = 10,
                threshold: float = 0.0) -> Iterator[ScreenResult]:
    """Screen many queries in this process against one index (see :func:`screen_file` for
    files and all cores)."""
    for query in queries:
        q = Query(query) if isinstance(query, str) else query
        yield screener.screen(q, as_of=as_of, datasets=datasets, limit=limit, threshold=threshold)
