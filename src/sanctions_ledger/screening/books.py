"""Screening customer books: the book's customers against the lists (through the bulk plan,
on the local engine or Spark), and the other way round, list names against an index of the
book (what a monitoring run asks when a list changed: which customers could a new or changed
record hit?).

The book index is a :class:`MatchIndex` over the customers, cached on disk (signed) under a
name made of the book, its version and the matcher's source, like the lists' indexes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctions_ledger.match import MatchIndex, Query, signed
from sanctions_ledger.screening import diskcache
from sanctions_ledger.screening.engines import PlanParams
from sanctions_ledger.screening.indexes import matcher_fingerprint
from sanctions_ledger.vocab import SCREENABLE_SCHEMAS

if TYPE_CHECKING:  # pragma: no cover
    from sanctions_ledger.screening.service import ScreeningService

__all__ = ["BOOK_DATASET", "book_index", "screen_customers", "search_book"]

log = logging.getLogger(__name__)

BOOK_DATASET = "book"
INDEX_SUFFIX = ".bookidx"


def customer_entity(customer_id: str, name: str, schema: str, birth_date: str | None,
                    country: str | None, identifier: str | None) -> EntityProxy:
    """A customer as the matcher indexes a party (``Any`` indexes as LegalEntity)."""
    entity = model.make_entity(schema if schema in SCREENABLE_SCHEMAS else "LegalEntity")
    entity.id = customer_id
    entity.add("name", name, cleaned=True)
    if birth_date and entity.schema.get("birthDate") is not None:
        entity.add("birthDate", birth_date, cleaned=True)
    if country:
        entity.add("country", country.lower(), cleaned=True)
    if identifier and entity.schema.get("idNumber") is not None:
        entity.add("idNumber", identifier, cleaned=True)
    elif identifier and entity.schema.get("registrationNumber") is not None:
        entity.add("registrationNumber", identifier, cleaned=True)
    return entity


def _file_name(book: str, version: int) -> str:
    material = f"book {book}\nversion {version}\nmatcher {matcher_fingerprint()}"
    return hashlib.sha256(material.encode()).hexdigest()[:24] + INDEX_SUFFIX


def book_index(customers: Iterable[Mapping[str, Any]], *, book: str, version: int,
               cache_dir: Path | None) -> MatchIndex:
    """The index of a book version's customers (dicts with customer_id, name, schema,
    birth_date, country, identifier): loaded from ``cache_dir`` when built before."""
    path = diskcache.usable(cache_dir)
    file = path / _file_name(book, version) if path else None
    if file is not None and file.exists():
        try:
            loaded = MatchIndex.load(file)  # verifies the signature before unpickling
            diskcache.touch(file)
            return loaded
        except Exception as exc:  # noqa: BLE001 - a corrupt or unsigned cache is rebuilt
            log.warning("rebuilding book index %s: %s", file, getattr(exc, "detail", exc))
    index = MatchIndex.build((BOOK_DATASET, customer_entity(
        c["customer_id"], c["name"], c["schema"], c.get("birth_date"), c.get("country"),
        c.get("identifier"))) for c in customers)
    if file is not None:
        secret = signed.folder_key(file.parent)
        diskcache.write_atomic(file, lambda fh: index.dump(fh, secret), keep=4)
    return index


def search_book(index: MatchIndex, names: Sequence[tuple[str, str, str | None, str | None]], *,
                limit: int, threshold: float) -> set[str]:
    """Customer ids the book index finds for any of ``names`` (name, schema, birth date,
    country): the candidates a change of those list names could hit."""
    found: set[str] = set()
    for name, schema, birth_date, country in names:
        try:
            hits = index.search(Query(name, schema, birth_date, country), limit=limit, threshold=threshold)
        except Exception:  # noqa: BLE001 - a list name the matcher refuses (empty once normalised)
            continue
        found.update(h.entity_id for h in hits)
    return found


def _plan_rows(customers: Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    for c in customers:
        yield {"query_id": c["customer_id"], "name": c["name"], "schema": c["schema"],
               "birth_date": c.get("birth_date"), "country": c.get("country"),
               "identifier": c.get("identifier")}


SCREENED = ("name", "schema", "birth_date", "country", "identifier")
"""What a customer's search reads: customers alike in these get the same hits."""


def screen_customers(service: ScreeningService, customers: Sequence[Mapping[str, Any]], *,
                     limit: int, floor: float, engine: str = "local",
                     workers: int | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """The bulk plan's hit rows (rank 1 and up) for ``customers`` against the latest lists,
    on the local engine (in this process for a few customers) or Spark, and the snapshot
    ids screened. Both engines run the same plan over the same index file. Customers alike
    in every screened field are screened once (a search is a function of those fields) and
    each gets a copy of the rows."""
    groups: dict[tuple[Any, ...], list[str]] = {}
    unique: list[Mapping[str, Any]] = []
    for c in customers:
        members = groups.setdefault(tuple(c.get(k) or None for k in SCREENED), [])
        if not members:
            unique.append(c)
        members.append(c["customer_id"])
    rows, snaps = _screen_unique(service, unique, limit=limit, floor=floor, engine=engine, workers=workers)
    if len(unique) == len(customers):
        return rows, snaps
    twins = {ids[0]: ids[1:] for ids in groups.values() if len(ids) > 1}
    out: list[dict[str, Any]] = []
    for r in rows:
        out.append(r)
        out.extend({**r, "query_id": cid} for cid in twins.get(r["query_id"], ()))
    return out, snaps


def _screen_unique(service: ScreeningService, customers: Sequence[Mapping[str, Any]], *,
                   limit: int, floor: float, engine: str,
                   workers: int | None) -> tuple[list[dict[str, Any]], list[str]]:
    params = PlanParams(limit=limit, floor=floor)
    if not customers:
        return [], service.snapshot_ids(None)
    if engine == "spark":
        from sanctions_ledger.screening.engines.plan import INPUT_COLUMNS
        from sanctions_ledger.screening.engines.spark import local_session, run_spark

        index_path, snaps = service.index_file(None)
        spark = local_session()
        rows_in = [tuple(r[c] for c in INPUT_COLUMNS) for r in _plan_rows(customers)]
        # Slices of a few thousand customers: one task per slice, spread over the cores
        # (a DataFrame made from one local list is one partition: one core).
        slices = max(2, min(len(rows_in) // 2000, 512))
        df = spark.createDataFrame(spark.sparkContext.parallelize(rows_in, slices),
                                   ", ".join(f"{c} string" for c in INPUT_COLUMNS))
        # Only the hit rows come back, all partitions at once (toLocalIterator would run one
        # job per partition, one core at a time).
        rows = [r.asDict() for r in run_spark(df, index_path, params, hits_only=True).collect()]
    elif engine == "local":
        from sanctions_ledger.screening.engines.local import run_local
        from sanctions_ledger.screening.engines.plan import run_rows

        if len(customers) <= 2000 or workers == 1:
            snaps = service.snapshot_ids(None)
            rows = list(run_rows(service.index(None), _plan_rows(customers), params))
        else:
            index_path, snaps = service.index_file(None)
            rows = list(run_local(index_path, _plan_rows(customers), params, workers=workers))
    else:
        from sanctions_ledger.errors import InputError

        raise InputError(f"unknown engine {engine!r}: local or spark")
    return [r for r in rows if r["rank"] and r["rank"] > 0], snaps
