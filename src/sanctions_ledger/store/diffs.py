"""The reads behind a diff of one list between two of its snapshots."""

from __future__ import annotations

from typing import Any

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import SCHEMA_PROP
from sanctions_ledger.store.view import filter_sql
from sanctions_ledger.vocab import PARTY_SCHEMAS

__all__ = ["changed_statements", "name_captions", "snapshot_props"]


def changed_statements(ledger: Ledger, dataset: str, a: str, b: str, program: str | None,
                       country: str | None) -> list[tuple[str, str, str, str, str, str]]:
    """(party, party schema, side, entity_id, prop, value) of every statement in only one of
    snapshots ``a`` and ``b`` of ``dataset`` (side ``removed``: only in ``a``; ``added``:
    only in ``b``), each attributed to the party it describes (a Sanction's statements to the
    party it points at), for the parties matching the programme and country filters."""
    params: dict[str, Any] = {"a": a, "b": b, "ds": dataset, "schemas": list(PARTY_SCHEMAS)}
    flt = filter_sql(program, country, params, present="seen")
    sql = f"""
        WITH sa AS (SELECT statement_id FROM observations WHERE snapshot_id = $a AND dataset = $ds),
             sb AS (SELECT statement_id FROM observations WHERE snapshot_id = $b AND dataset = $ds),
             delta AS (
                SELECT statement_id, 'removed' AS side FROM (SELECT * FROM sa EXCEPT SELECT * FROM sb)
                UNION ALL
                SELECT statement_id, 'added' FROM (SELECT * FROM sb EXCEPT SELECT * FROM sa)),
             seen AS (
                SELECT st.* FROM statements st WHERE st.id IN (SELECT statement_id FROM sa UNION SELECT statement_id FROM sb)),
             owner AS (
                SELECT st.entity_id AS eid, st.entity_id AS party FROM delta d JOIN statements st ON st.id = d.statement_id
                WHERE st.schema <> 'Sanction'
                UNION
                SELECT st.entity_id, st.value FROM statements st
                WHERE st.prop = 'entity' AND st.schema = 'Sanction' AND st.dataset = $ds
                  AND st.entity_id IN (SELECT s2.entity_id FROM delta d JOIN statements s2 ON s2.id = d.statement_id)),
             changed AS (
                SELECT d.side, st.entity_id, st.prop, st.value, o.party FROM delta d
                JOIN statements st ON st.id = d.statement_id JOIN owner o ON o.eid = st.entity_id),
             p AS (SELECT DISTINCT st.dataset, st.entity_id, st.value AS schema FROM seen st
                   WHERE st.prop = '{SCHEMA_PROP}' AND list_contains($schemas, st.value)
                     AND st.entity_id IN (SELECT party FROM changed))
        SELECT c.party, p.schema, c.side, c.entity_id, c.prop, c.value
        FROM changed c JOIN p ON p.entity_id = c.party
        WHERE {flt}
        ORDER BY c.party, c.entity_id, c.prop, c.side, c.value"""
    cur = ledger.cursor()
    try:
        return cur.execute(sql, params).fetchall()
    finally:
        cur.close()


def name_captions(ledger: Ledger, dataset: str, a: str, b: str) -> dict[str, str]:
    """entity_id -> its least name in ``dataset``, for the named entities of snapshots ``a``
    and ``b``."""
    cur = ledger.cursor()
    try:
        return dict(cur.execute(
            """SELECT st.entity_id, min(st.value) FROM statements st
               WHERE st.dataset = $ds AND st.prop = 'name' AND st.entity_id IN (
                  SELECT st2.entity_id FROM statements st2 JOIN observations o ON o.statement_id = st2.id
                  WHERE o.snapshot_id IN ($a, $b) AND o.dataset = $ds AND st2.prop = 'name')
               GROUP BY st.entity_id""", {"ds": dataset, "a": a, "b": b}).fetchall())
    finally:
        cur.close()


def snapshot_props(ledger: Ledger, dataset: str, snapshot_id: str) -> set[str]:
    """Every property that any statement of ``dataset`` in one snapshot carries: what that
    snapshot's source format can say at all (a diff across formats compares only these)."""
    cur = ledger.cursor()
    try:
        return {r[0] for r in cur.execute(
            """SELECT DISTINCT st.prop FROM observations o JOIN statements st ON st.id = o.statement_id
               WHERE o.snapshot_id = $s AND o.dataset = $ds""", {"s": snapshot_id, "ds": dataset}).fetchall()}
    finally:
        cur.close()
