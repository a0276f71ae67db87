"""The reads behind exports (``sanctions_ledger.export``): every statement of the snapshots
standing on a date with the validity interval it stood in, the dates entities lost a
statement, the entities that changed between two dates, and the flat table written by DuckDB
itself (CSV, Parquet).

Rows come in one fixed order (entity id, list, property, value), so that the same ledger
always gives the same bytes. The caller names the standing snapshots (``SnapshotInfo`` from
``LedgerView.snapshots()``); nothing here decides what "as of" means.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import SCHEMA_PROP, snapshot_order
from sanctions_ledger.store.snapshots import SnapshotInfo
from sanctions_ledger.store.view import fetch_rows

__all__ = ["FLAT_COLUMNS", "StatementRow", "changed_entities", "copy_flat", "entity_statements",
           "last_change", "removal_dates", "standing_statements"]

StatementRow = tuple[str, str, str, str, str, str, date, date]
"""(entity_id, dataset, schema, prop, prop_type, value, first_seen, last_seen)."""

FLAT_COLUMNS = ("entity_id", "dataset", "schema", "prop", "prop_type", "value", "first_seen",
                "last_seen", "snapshot_id", "observed_at")
"""The columns of the flat CSV / Parquet export, in order."""

# The standing (snapshot, dataset) pairs with each list's snapshot date and its place in the
# list's snapshot order; ``seqs`` numbers every full snapshot of those lists the same way
# rebuild_intervals does, so that "the interval that holds the standing snapshot" is exact even
# when a list has several snapshots observed on one day.
_STANDING = f"""
    cur AS (SELECT unnest($sids) AS sid, unnest($dsets) AS ds),
    seqs AS MATERIALIZED (
        SELECT d.dataset AS ds, s.id AS sid, s.observed_at,
               row_number() OVER (PARTITION BY d.dataset ORDER BY {snapshot_order('s')}) AS seq
        FROM snapshots s JOIN snapshot_datasets d ON d.snapshot_id = s.id
        WHERE s.full_snapshot AND list_contains($dsets, d.dataset)),
    stand AS MATERIALIZED (SELECT cur.sid, cur.ds, q.observed_at, q.seq FROM cur
              JOIN seqs q ON q.sid = cur.sid AND q.ds = cur.ds)"""

_STATEMENTS = f"""
    WITH {_STANDING},
    base AS MATERIALIZED (
        SELECT st.entity_id, st.dataset, st.schema, st.prop, st.prop_type, st.value,
               i.first_seen, least(i.last_seen, stand.observed_at) AS last_seen,
               stand.sid AS snapshot_id, stand.observed_at, stand.seq,
               i.first_snapshot, i.last_snapshot
        FROM stand
        JOIN observations o ON o.snapshot_id = stand.sid AND o.dataset = stand.ds
        JOIN statements st ON st.id = o.statement_id
        JOIN intervals i ON i.statement_id = st.id AND i.dataset = st.dataset
        WHERE i.first_seen <= stand.observed_at AND stand.observed_at <= i.last_seen)
    SELECT b.entity_id, b.dataset, b.schema, b.prop, b.prop_type, b.value, b.first_seen,
           b.last_seen, b.snapshot_id, b.observed_at
    FROM base b
    JOIN seqs f ON f.sid = b.first_snapshot AND f.ds = b.dataset
    JOIN seqs l ON l.sid = b.last_snapshot AND l.ds = b.dataset
    WHERE f.seq <= b.seq AND b.seq <= l.seq
    ORDER BY b.entity_id, b.dataset, b.prop, b.value"""


def _params(snaps: Sequence[SnapshotInfo]) -> dict[str, Any]:
    return {"sids": [s.id for s in snaps], "dsets": [s.dataset for s in snaps]}


def standing_statements(ledger: Ledger, snaps: Sequence[SnapshotInfo]) -> Iterator[StatementRow]:
    """Every statement of the standing snapshots ``snaps`` with the interval that holds it:
    its first date in that run of snapshots, and its last date capped at the standing
    snapshot's (what a later snapshot said is not known on the date). Streamed, in (entity id,
    list, property, value) order; ``$schema`` rows carry each entity's schema."""
    if not snaps:
        return
    cur = ledger.cursor()
    try:
        cur.execute(f"SELECT * EXCLUDE (snapshot_id, observed_at) FROM ({_STATEMENTS})", _params(snaps))
        yield from fetch_rows(cur)
    finally:
        cur.close()


def removal_dates(ledger: Ledger, snaps: Sequence[SnapshotInfo]) -> dict[tuple[str, str], date]:
    """(dataset, entity_id) -> the last date, up to each list's standing snapshot, on which the
    entity lost a statement (the first snapshot that no longer held it)."""
    if not snaps:
        return {}
    rows = ledger.reader().execute("""
        WITH cur AS (SELECT unnest($sids) AS sid, unnest($dsets) AS ds, unnest($days) AS day)
        SELECT st.dataset, st.entity_id, max(i.first_missing)
        FROM intervals i JOIN cur ON cur.ds = i.dataset
        JOIN statements st ON st.id = i.statement_id
        WHERE i.first_missing IS NOT NULL AND i.first_missing <= cur.day
        GROUP BY 1, 2""", _params(snaps) | {"days": [s.observed_at for s in snaps]}).fetchall()
    return {(ds, eid): day for ds, eid, day in rows}


def last_change(ledger: Ledger, snaps: Sequence[SnapshotInfo]) -> date | None:
    """The last date, up to each list's standing snapshot, on which a statement of the lists
    appeared or went (a list's first snapshot counts: everything in it appeared)."""
    if not snaps:
        return None
    row = ledger.reader().execute("""
        WITH cur AS (SELECT unnest($dsets) AS ds, unnest($days) AS day)
        SELECT max(greatest(i.first_seen,
                            CASE WHEN i.first_missing <= cur.day THEN i.first_missing END))
        FROM intervals i JOIN cur ON cur.ds = i.dataset WHERE i.first_seen <= cur.day""",
        {"dsets": [s.dataset for s in snaps], "days": [s.observed_at for s in snaps]}).fetchone()
    return row[0] if row else None


def changed_entities(ledger: Ledger, before: Sequence[SnapshotInfo],
                     after: Sequence[SnapshotInfo]) -> tuple[list[str], list[str], list[str]]:
    """(added, modified, deleted) entity ids between two sets of standing snapshots, each
    sorted: an entity is modified when any statement of it (in any list) was added or
    removed; added or deleted when it exists (has a ``$schema`` statement) on one side only.
    Statement ids hash list, entity, property and value, so one set difference of ids
    finds every change."""
    sql = f"""
        WITH a AS (SELECT o.statement_id FROM observations o
                   JOIN (SELECT unnest($sa) AS sid, unnest($da) AS ds) c
                     ON o.snapshot_id = c.sid AND o.dataset = c.ds),
             b AS (SELECT o.statement_id FROM observations o
                   JOIN (SELECT unnest($sb) AS sid, unnest($db) AS ds) c
                     ON o.snapshot_id = c.sid AND o.dataset = c.ds),
             diff AS ((SELECT statement_id FROM a EXCEPT SELECT statement_id FROM b)
                      UNION ALL (SELECT statement_id FROM b EXCEPT SELECT statement_id FROM a)),
             touched AS (SELECT DISTINCT st.entity_id FROM diff JOIN statements st ON st.id = diff.statement_id),
             present AS (
                SELECT st.entity_id,
                       bool_or(st.id IN (SELECT statement_id FROM a)) AS before,
                       bool_or(st.id IN (SELECT statement_id FROM b)) AS after
                FROM statements st WHERE st.prop = '{SCHEMA_PROP}'
                  AND st.entity_id IN (SELECT entity_id FROM touched)
                GROUP BY st.entity_id)
        SELECT entity_id, before, after FROM present ORDER BY entity_id"""
    params = {"sa": [s.id for s in before], "da": [s.dataset for s in before],
              "sb": [s.id for s in after], "db": [s.dataset for s in after]}
    added: list[str] = []
    modified: list[str] = []
    deleted: list[str] = []
    for eid, was, is_now in ledger.reader().execute(sql, params).fetchall():
        if was and is_now:
            modified.append(eid)
        elif is_now:
            added.append(eid)
        elif was:
            deleted.append(eid)
    return added, modified, deleted


def entity_statements(ledger: Ledger, snaps: Sequence[SnapshotInfo],
                      entity_ids: Collection[str]) -> Iterator[StatementRow]:
    """:func:`standing_statements` of the named entities only (a delta's added and modified
    entities), in the same order."""
    if not snaps or not entity_ids:
        return
    sql = _STATEMENTS.replace("WHERE i.first_seen", "WHERE list_contains($ids, st.entity_id) AND i.first_seen")
    cur = ledger.cursor()
    try:
        cur.execute(f"SELECT * EXCLUDE (snapshot_id, observed_at) FROM ({sql})",
                    _params(snaps) | {"ids": sorted(entity_ids)})
        yield from fetch_rows(cur)
    finally:
        cur.close()


def copy_flat(ledger: Ledger, snaps: Sequence[SnapshotInfo], path: Path, fmt: str) -> int:
    """Write the standing statements as a flat table to ``path`` with DuckDB's own writer
    (``fmt`` ``csv`` or ``parquet``), rows in the export order (insertion order preserved, so
    the bytes do not depend on how DuckDB's threads were scheduled); returns the row count."""
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
    cols = ", ".join(FLAT_COLUMNS)
    literal = str(path).replace("'", "''")
    cur = ledger.cursor()
    try:
        cur.execute("SET preserve_insertion_order = true")
        if not snaps:
            cur.execute(f"COPY (SELECT {cols} FROM ({_STATEMENTS}) LIMIT 0) TO '{literal}' ({options})",
                        {"sids": [], "dsets": []})
            return 0
        cur.execute(f"COPY (SELECT {cols} FROM ({_STATEMENTS})) TO '{literal}' ({options})",
                    _params(snaps))
        row = cur.fetchone()
        return int(row[0]) if row else 0
    finally:
        cur.close()
