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
from sanctions_ledger.store.reads import sanction_ids
from sanctions_ledger.store.schema import SCHEMA_PROP, snapshot_order
from sanctions_ledger.store.snapshots import FAR_FUTURE, SnapshotInfo, list_snapshots
from sanctions_ledger.vocab import PARTY_SCHEMAS

__all__ = ["EntityLookup", "LedgerView", "SnapshotInfo", "assemble", "fetch_rows", "filter_sql",
           "parse_date"]


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


# The (snapshot, dataset) pairs standing on $as_of: each list's last full snapshot in the
# snapshot order, for the statement scans that join it (ListSnapshots.standing in SQL).
_CURRENT = f"""
    SELECT snapshot_id, dataset FROM (
        SELECT d.snapshot_id, d.dataset, row_number() OVER (
            PARTITION BY d.dataset ORDER BY {snapshot_order('s', descending=True)}) AS rn
        FROM snapshot_datasets d JOIN snapshots s ON s.id = d.snapshot_id
        WHERE s.full_snapshot AND s.observed_at <= $as_of
          AND (len($datasets) = 0 OR list_contains($datasets, d.dataset))
    ) WHERE rn = 1
"""

# One party and the entities pointing at it (its Sanctions), with every validity interval
# of each statement, filtered to the view's date in Python. All three tables are read through
# their indexes: the materialised CTE keeps the prop filter off the refs scan (DuckDB probes
# refs_target only for a scan filtered on target alone); a statement id hashes its dataset
# in, so joining intervals on the id alone is exact, and a single join key is what lets
# DuckDB probe intervals_statement instead of scanning every interval.
_ENTITY_INTERVALS = """
    WITH pointing AS MATERIALIZED (SELECT entity_id, prop FROM refs WHERE target = $id),
         ids AS (SELECT $id AS entity_id
                 UNION SELECT entity_id FROM pointing WHERE prop = 'entity')
    SELECT st.dataset, st.entity_id, st.schema, st.prop, st.value,
           i.first_snapshot, i.last_snapshot, i.first_seen, i.last_seen
    FROM statements st JOIN intervals i ON i.statement_id = st.id
    WHERE st.entity_id IN (SELECT entity_id FROM ids)
    ORDER BY st.dataset, st.entity_id, st.prop, st.value"""


def _params(as_of: date | None, datasets: Collection[str] | None) -> dict[str, Any]:
    return {"as_of": as_of or FAR_FUTURE, "datasets": sorted(datasets or [])}


@dataclass
class EntityLookup:
    """One entity on the view's date, read in one query."""

    own: list[tuple[str, EntityProxy]]
    """(dataset, entity) in each list that carried it on the date."""
    sanctions: list[tuple[str, EntityProxy]]
    """(dataset, Sanction entity) pointing at it in those lists' standing snapshots."""
    seen: tuple[date, date] | None
    """First and last date any snapshot held a statement of it (any list, any date)."""


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
        """The snapshot that stood for each list on the view's date (from the ledger's cached
        snapshot sequences; computed once per view)."""
        if self._snapshots is None:
            self._snapshots = list_snapshots(self.ledger).standing(self.as_of, self.datasets)
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
        return sanction_ids(self.ledger, entity_id)

    def sanctions_of(self, entity_id: str) -> list[tuple[str, EntityProxy]]:
        """The Sanction entities pointing at ``entity_id`` in the standing snapshots."""
        found = self.entities(self.sanction_ids(entity_id))
        return [(d, e) for d, e in found if e.schema.name == "Sanction"]

    def entity_with_sanctions(self, entity_id: str) -> tuple[list[tuple[str, EntityProxy]], list[tuple[str, EntityProxy]]]:
        """(the entity in each list, its Sanction entities) in one read."""
        found = self.lookup(entity_id)
        return found.own, found.sanctions

    def lookup(self, entity_id: str) -> EntityLookup:
        """One entity and its Sanction entities on the view's date, in one query.

        A statement stood on the date when one of its intervals runs over the list's standing
        snapshot: the same answer as joining that snapshot's observations, without scanning
        them (intervals are rebuilt from the observations by every ingest).
        """
        snaps = list_snapshots(self.ledger)
        rows = self.ledger.reader().execute(_ENTITY_INTERVALS, {"id": entity_id}).fetchall()
        if any((r[0], r[5]) not in snaps.position or (r[0], r[6]) not in snaps.position
               for r in rows):
            # An ingest committed after the cached sequences were read: read them again.
            snaps = list_snapshots(self.ledger, fresh=True)
            self._snapshots = snaps.standing(self.as_of, self.datasets)
        standing = {s.dataset: snaps.position[(s.dataset, s.id)] for s in self.snapshots()}
        kept = []
        first: date | None = None
        last: date | None = None
        for ds, eid, schema, prop, value, first_snap, last_snap, first_seen, last_seen in rows:
            if eid == entity_id:
                first = first_seen if first is None else min(first, first_seen)
                last = last_seen if last is None else max(last, last_seen)
            at = standing.get(ds)
            lo, hi = snaps.position.get((ds, first_snap)), snaps.position.get((ds, last_snap))
            if at is not None and lo is not None and hi is not None and lo <= at <= hi:
                kept.append((ds, eid, schema, prop, value))
        found = list(assemble(kept))
        own = [(d, e) for d, e in found if e.id == entity_id]
        sanctions = [(d, e) for d, e in found if e.id != entity_id and e.schema.name == "Sanction"]
        return EntityLookup(own, sanctions, (first, last) if first is not None and last is not None else None)

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
