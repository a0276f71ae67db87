"""Named reads of statements and their validity intervals, across dates, for one party or a
few: its history, where it was seen, its Sanctions' programmes and dates, captions.

The callers (``history``, ``jurisdictions``) turn these rows into events and statuses and
hold no SQL of their own.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import SCHEMA_PROP

__all__ = ["captions", "has_entity", "official_rows", "party_intervals", "presence_rows",
           "sanction_fact_rows", "sanction_ids", "sanction_list_flags", "sanction_owner_pairs",
           "with_country", "with_program"]

# The Sanction properties that give a party's programme, authority and dates.
SANCTION_FACTS = ("program", "authority", "listingDate", "startDate", "endDate")


def sanction_ids(ledger: Ledger, entity_id: str) -> list[str]:
    """The entities whose ``entity`` property points at ``entity_id`` (its Sanctions), in any
    list at any date."""
    rows = ledger.query("SELECT DISTINCT entity_id FROM refs WHERE target = ? AND prop = 'entity'",
                        [entity_id])
    return sorted(r[0] for r in rows)


def has_entity(ledger: Ledger, entity_id: str) -> bool:
    """Whether any list ever carried a statement of ``entity_id``."""
    return bool(ledger.query("SELECT 1 FROM statements WHERE entity_id = ? LIMIT 1", [entity_id]))


def party_intervals(ledger: Ledger, entity_ids: Collection[str]) -> list[tuple[Any, ...]]:
    """(dataset, entity_id, schema, prop, value, first_seen, first_snapshot, first_missing,
    missing_snapshot) of every validity interval of the entities' statements, by list and
    first date."""
    return ledger.query("""
        SELECT i.dataset, st.entity_id, st.schema, st.prop, st.value, i.first_seen, i.first_snapshot,
               i.first_missing, i.missing_snapshot
        FROM statements st JOIN intervals i ON i.statement_id = st.id
        WHERE list_contains(?, st.entity_id)
        ORDER BY i.dataset, i.first_seen""", [sorted(entity_ids)])


def official_rows(ledger: Ledger, entity_id: str) -> list[tuple[Any, ...]]:
    """(dataset, sanction id, prop, value, snapshot id, observed_at) of the Sanction entities
    of ``entity_id`` in official change files (snapshots that are not full lists)."""
    return ledger.query("""
        WITH sids AS (SELECT DISTINCT entity_id FROM refs WHERE prop = 'entity' AND target = ?),
             deltas AS (SELECT id, observed_at FROM snapshots WHERE NOT full_snapshot),
             cand AS (SELECT st.* FROM statements st JOIN sids ON sids.entity_id = st.entity_id
                      WHERE st.schema = 'Sanction')
        SELECT c.dataset, c.entity_id, c.prop, c.value, d.id, d.observed_at
        FROM cand c JOIN observations o ON o.statement_id = c.id JOIN deltas d ON d.id = o.snapshot_id
        ORDER BY c.entity_id""", [entity_id])


def presence_rows(ledger: Ledger, entity_ids: Sequence[str]) -> list[tuple[str, str, date, date, date | None]]:
    """(entity_id, dataset, first_seen, last_seen, first_missing) of each run of snapshots
    that held the records (not Sanction entities), by entity, list and date."""
    return ledger.reader().execute(f"""
        SELECT st.entity_id, i.dataset, i.first_seen, i.last_seen, i.first_missing
        FROM statements st JOIN intervals i ON i.statement_id = st.id
        WHERE st.entity_id IN (SELECT unnest($ids)) AND st.prop = '{SCHEMA_PROP}'
          AND st.schema <> 'Sanction'
        ORDER BY 1, 2, 3""", {"ids": list(entity_ids)}).fetchall()


def sanction_fact_rows(ledger: Ledger, entity_ids: Collection[str]) -> list[tuple[Any, ...]]:
    """(entity_id, dataset, prop, value, first_seen, last_seen) of the programme, authority
    and date statements of the given entities, with each statement's validity interval."""
    props = ", ".join(f"'{p}'" for p in SANCTION_FACTS)
    return ledger.reader().execute(f"""
        SELECT st.entity_id, st.dataset, st.prop, st.value, i.first_seen, i.last_seen
        FROM statements st JOIN intervals i ON i.statement_id = st.id
        WHERE st.entity_id IN (SELECT unnest($ids)) AND st.prop IN ({props})
        ORDER BY 1, 2, 3, 4""", {"ids": sorted(entity_ids)}).fetchall()


def sanction_owner_pairs(ledger: Ledger) -> list[tuple[str, str]]:
    """(Sanction entity id, party entity id) of every Sanction in the ledger (a full scan)."""
    return ledger.query("SELECT DISTINCT entity_id, value FROM statements "
                        "WHERE schema = 'Sanction' AND prop = 'entity'")


def sanction_list_flags(ledger: Ledger) -> dict[str, bool]:
    """dataset -> whether any of its entities carries the ``sanction`` topic, for the lists
    that tag topics at all (a full scan)."""
    rows = ledger.query("""
        SELECT dataset, bool_or(value = 'sanction') FROM statements
        WHERE prop = 'topics' GROUP BY dataset""")
    return {ds: flag for ds, flag in rows}


def captions(ledger: Ledger, entity_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """entity_id -> (its least name, its least schema), over every list and date."""
    rows = ledger.reader().execute(f"""
        SELECT entity_id, min(value) FILTER (WHERE prop = 'name'),
               min(value) FILTER (WHERE prop = '{SCHEMA_PROP}')
        FROM statements WHERE entity_id IN (SELECT unnest($ids)) AND prop IN ('name', '{SCHEMA_PROP}')
        GROUP BY entity_id""", {"ids": list(entity_ids)}).fetchall()
    return {eid: (name, schema) for eid, name, schema in rows}


def with_country(ledger: Ledger, datasets: Sequence[str], schemas: Sequence[str],
                 country: str | None) -> set[str]:
    """Entities of ``schemas`` in ``datasets`` (at any date), with a country-typed statement
    equal to ``country`` when one is given."""
    params: dict[str, Any] = {"ds": list(datasets), "schemas": list(schemas)}
    sql = ("SELECT DISTINCT entity_id FROM statements WHERE list_contains($ds, dataset) "
           "AND list_contains($schemas, schema)")
    if country:
        sql += " AND prop_type = 'country' AND value = $cc"
        params["cc"] = country
    return {r[0] for r in ledger.reader().execute(sql, params).fetchall()}


def with_program(ledger: Ledger, datasets: Sequence[str], programs: Sequence[str]) -> set[str]:
    """Entities in ``datasets`` (at any date) with a ``program`` statement equal to one of
    ``programs`` (upper case) or starting with one of them and a dash, case-insensitively."""
    rows = ledger.reader().execute("""
        SELECT DISTINCT entity_id FROM statements
        WHERE list_contains($ds, dataset) AND prop = 'program'
          AND (list_contains($p, upper(value))
               OR len(list_filter($p, lambda x: starts_with(upper(value), x || '-'))) > 0)""",
                                   {"ds": list(datasets), "p": list(programs)}).fetchall()
    return {r[0] for r in rows}


def sample_names(ledger: Ledger, schemas: Sequence[str], limit: int) -> list[tuple[str, str]]:
    """(entity id, primary name) of up to ``limit`` entities of ``schemas``, in a fixed
    pseudo-random order (by a hash of id and name): a reproducible sample for benchmarks."""
    return [(str(eid), str(name)) for eid, name in ledger.query(
        "SELECT entity_id, value FROM statements WHERE prop = 'name' "
        "AND list_contains(?, schema) ORDER BY hash(entity_id || value) LIMIT ?",
        [list(schemas), limit])]
