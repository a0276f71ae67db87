"""Reads of the ledger as of a date: which snapshot stood for each list, and what it said."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import InputError
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import SCHEMA_PROP
from sanctions_ledger.vocab import PARTY_SCHEMAS

FAR_FUTURE = date(9999, 12, 31)


def parse_date(value: date | str | None, name: str = "date") -> date | None:
    """A user's date: ``YYYY-MM-DD``; ``None``, ``today``, ``latest`` and ``now`` mean the
    latest state (``None``)."""
    if value is None or isinstance(value, date):
        return value
    value = value.strip()
    if not value or value.lower() in ("today", "latest", "now"):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{name} {value!r} is not a date (YYYY-MM-DD)") from exc


@dataclass(frozen=True)
class SnapshotInfo:
    id: str
    kind: str
    dataset: str
    observed_at: date
    published_at: date | None
    sha256: str
    party_count: int
    statement_count: int
    path: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "dataset": self.dataset,
                "observed_at": self.observed_at.isoformat(),
                "published_at": self.published_at.isoformat() if self.published_at else None,
                "sha256": self.sha256, "party_count": self.party_count,
                "statement_count": self.statement_count, "path": self.path}


_CURRENT = """
    SELECT snapshot_id, dataset FROM (
        SELECT d.snapshot_id, d.dataset, row_number() OVER (
            PARTITION BY d.dataset
            ORDER BY s.observed_at DESC, s.published_at DESC NULLS LAST, s.id DESC) AS rn
        FROM snapshot_datasets d JOIN snapshots s ON s.id = d.snapshot_id
        WHERE s.full_snapshot AND s.observed_at <= $as_of
          AND (len($datasets) = 0 OR list_contains($datasets, d.dataset))
    ) WHERE rn = 1
"""


def _params(as_of: date | None, datasets: Collection[str] | None) -> dict[str, Any]:
    return {"as_of": as_of or FAR_FUTURE, "datasets": sorted(datasets or [])}


class LedgerView:
    """The ledger seen as of one date (``None`` = latest), optionally limited to some lists."""

    def __init__(self, ledger: Ledger, as_of: date | str | None = None,
                 datasets: Collection[str] | None = None) -> None:
        self.ledger = ledger
        self.as_of = parse_date(as_of, "as_of")
        self.datasets = sorted(datasets) if datasets else []
        self._snapshots: list[SnapshotInfo] | None = None

    def _cur(self) -> duckdb.DuckDBPyConnection:
        return self.ledger.cursor()

    def snapshots(self) -> list[SnapshotInfo]:
        """The snapshot that stood for each list on the view's date (computed once per view)."""
        if self._snapshots is None:
            sql = f"""
                SELECT s.id, s.kind, c.dataset, s.observed_at, s.published_at, s.sha256,
                       d.party_count, d.statement_count, s.path
                FROM ({_CURRENT}) c JOIN snapshots s ON s.id = c.snapshot_id
                JOIN snapshot_datasets d ON d.snapshot_id = c.snapshot_id AND d.dataset = c.dataset
                ORDER BY c.dataset"""
            rows = self._cur().execute(sql, _params(self.as_of, self.datasets)).fetchall()
            self._snapshots = [SnapshotInfo(*row) for row in rows]
        return self._snapshots

    def snapshot_ids(self) -> list[str]:
        return sorted({s.id for s in self.snapshots()})

    def _statements_sql(self, where: str) -> str:
        return f"""
            SELECT st.dataset, st.entity_id, st.schema, st.prop, st.value
            FROM ({_CURRENT}) c
            JOIN observations o ON o.snapshot_id = c.snapshot_id AND o.dataset = c.dataset
            JOIN statements st ON st.id = o.statement_id
            WHERE {where}
            ORDER BY st.dataset, st.entity_id, st.prop, st.value"""

    def entities(self, entity_ids: Collection[str]) -> list[tuple[str, EntityProxy]]:
        """The named entities in every list that had them on the view's date."""
        if not entity_ids:
            return []
        snaps = self.snapshots()
        if not snaps:
            return []
        # Pick the few statements of these entities first, then keep those observed in the
        # standing snapshots: far cheaper than joining every observation of the date.
        sql = """
            WITH cand AS (SELECT * FROM statements WHERE list_contains($ids, entity_id)),
                 cur AS (SELECT unnest($sids) AS sid, unnest($dsets) AS ds)
            SELECT c.dataset, c.entity_id, c.schema, c.prop, c.value FROM cand c
            JOIN observations o ON o.statement_id = c.id AND o.dataset = c.dataset
            JOIN cur ON cur.sid = o.snapshot_id AND cur.ds = o.dataset
            ORDER BY c.dataset, c.entity_id, c.prop, c.value"""
        params = {"ids": sorted(entity_ids), "sids": [s.id for s in snaps], "dsets": [s.dataset for s in snaps]}
        rows = self._cur().execute(sql, params).fetchall()
        return list(assemble(rows))

    def sanction_ids(self, entity_id: str) -> list[str]:
        rows = self._cur().execute(
            "SELECT DISTINCT entity_id FROM refs WHERE target = ? AND prop = 'entity'", [entity_id]).fetchall()
        return sorted(r[0] for r in rows)

    def sanctions_of(self, entity_id: str) -> list[tuple[str, EntityProxy]]:
        """The Sanction entities pointing at ``entity_id`` in the standing snapshots."""
        found = self.entities(self.sanction_ids(entity_id))
        return [(d, e) for d, e in found if e.schema.name == "Sanction"]

    def entity_with_sanctions(self, entity_id: str) -> tuple[list[tuple[str, EntityProxy]], list[tuple[str, EntityProxy]]]:
        """(the entity in each list, its Sanction entities) in one read."""
        found = self.entities([entity_id, *self.sanction_ids(entity_id)])
        own = [(d, e) for d, e in found if e.id == entity_id]
        sanctions = [(d, e) for d, e in found if e.id != entity_id and e.schema.name == "Sanction"]
        return own, sanctions

    def iter_parties(self) -> Iterator[tuple[str, EntityProxy]]:
        """Every listed party (not Sanction/link entities) on the view's date."""
        schemas = list(PARTY_SCHEMAS)
        params = _params(self.as_of, self.datasets) | {"schemas": schemas}
        cur = self._cur()
        cur.execute(self._statements_sql("list_contains($schemas, st.schema)"), params)
        yield from assemble(fetch_rows(cur))

    def party_ids(self, *, program: str | None = None, country: str | None = None,
                  schema: str | None = None) -> list[tuple[str, str]]:
        """(dataset, entity_id) of the parties on the view's date matching the filters."""
        params = _params(self.as_of, self.datasets) | {
            "schemas": [schema] if schema else list(PARTY_SCHEMAS)}
        sql = f"""
            WITH cur AS ({_CURRENT}),
            present AS (
                SELECT st.dataset, st.entity_id, st.schema, st.prop, st.prop_type, st.value FROM cur c
                JOIN observations o ON o.snapshot_id = c.snapshot_id AND o.dataset = c.dataset
                JOIN statements st ON st.id = o.statement_id),
            parties AS (SELECT dataset, entity_id FROM present
                        WHERE prop = '{SCHEMA_PROP}' AND list_contains($schemas, value))
            SELECT p.dataset, p.entity_id FROM parties p
            WHERE {filter_sql(program, country, params)}
            ORDER BY p.dataset, p.entity_id"""
        return [(d, e) for d, e in self._cur().execute(sql, params).fetchall()]


def filter_sql(program: str | None, country: str | None, params: dict[str, Any],
               present: str = "present", alias: str = "p") -> str:
    """SQL conditions on a party ``alias`` over the statement relation ``present``.

    Programs match case-insensitively, exactly or as a prefix before ``-`` (BELARUS matches
    BELARUS-EO14038), on the party or on its Sanction entities; countries match any
    country-typed property of the party.
    """
    conds = ["TRUE"]
    if program:
        params["program"] = program.upper()
        conds.append(f"""EXISTS (
            SELECT 1 FROM {present} q WHERE q.prop = 'program'
              AND (upper(q.value) = $program OR upper(q.value) LIKE $program || '-%')
              AND q.dataset = {alias}.dataset
              AND (q.entity_id = {alias}.entity_id OR q.entity_id IN (
                    SELECT r.entity_id FROM {present} r WHERE r.dataset = {alias}.dataset
                      AND r.prop = 'entity' AND r.value = {alias}.entity_id)))""")
    if country:
        params["country"] = country.lower()
        conds.append(f"""EXISTS (
            SELECT 1 FROM {present} q WHERE q.dataset = {alias}.dataset
              AND q.entity_id = {alias}.entity_id AND q.prop_type = 'country' AND q.value = $country)""")
    return " AND ".join(conds)


def fetch_rows(cur: duckdb.DuckDBPyConnection, size: int = 50_000) -> Iterator[tuple[Any, ...]]:
    while batch := cur.fetchmany(size):
        yield from batch


def assemble(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[str, EntityProxy]]:
    """Group statement rows (dataset, entity_id, schema, prop, value), ordered by
    (dataset, entity_id), into entities."""
    key: tuple[str, str] | None = None
    schema = ""
    props: dict[str, list[str]] = {}
    for dataset, entity_id, row_schema, prop, value in rows:
        if (dataset, entity_id) != key:
            if key is not None:
                yield key[0], _proxy(key[1], schema, props)
            key, schema, props = (dataset, entity_id), row_schema, {}
        if prop == SCHEMA_PROP:
            schema = value
            continue
        props.setdefault(prop, []).append(value)
    if key is not None:
        yield key[0], _proxy(key[1], schema, props)


def _proxy(entity_id: str, schema: str, props: dict[str, list[str]]) -> EntityProxy:
    return model.get_proxy({"id": entity_id, "schema": schema, "properties": props}, cleaned=True)
