"""DuckDB schema of the ledger.

The atom is the statement (dataset, entity, property, value) with a deterministic 64-bit id.
``observations`` records which statements each snapshot contained; ``intervals`` is derived
from it (gaps-and-islands over each dataset's snapshots ordered by observed date), so the
ledger is the same whatever order snapshots were ingested in. Nothing is ever deleted.
"""

from __future__ import annotations

import duckdb

from sanctions_ledger.vocab import PARTY_SCHEMAS

__all__ = ["PARTY_SCHEMAS", "SCHEMA_PROP", "SCHEMA_VERSION", "create"]

SCHEMA_VERSION = "1"

# The pseudo-property that records an entity's existence (and its schema) in a snapshot.
SCHEMA_PROP = "$schema"


DDL = [
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS snapshots (
        id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        size BIGINT NOT NULL,
        path VARCHAR,
        files VARCHAR[],
        observed_at DATE NOT NULL,
        published_at DATE,
        parser_version VARCHAR NOT NULL,
        full_snapshot BOOLEAN NOT NULL,
        ingested_at TIMESTAMP NOT NULL,
        entity_count INTEGER NOT NULL,
        statement_count INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS snapshot_datasets (
        snapshot_id VARCHAR NOT NULL,
        dataset VARCHAR NOT NULL,
        entity_count INTEGER NOT NULL,
        party_count INTEGER NOT NULL,
        statement_count INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS statements (
        id UBIGINT NOT NULL,
        dataset VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        schema VARCHAR NOT NULL,
        prop VARCHAR NOT NULL,
        prop_type VARCHAR NOT NULL,
        value VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS observations (
        snapshot_id VARCHAR NOT NULL,
        dataset VARCHAR NOT NULL,
        statement_id UBIGINT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS intervals (
        statement_id UBIGINT NOT NULL,
        dataset VARCHAR NOT NULL,
        first_seen DATE NOT NULL,
        last_seen DATE NOT NULL,
        first_missing DATE,
        first_snapshot VARCHAR NOT NULL,
        last_snapshot VARCHAR NOT NULL,
        missing_snapshot VARCHAR
    )""",
    # Entity-typed statements (a Sanction's `entity`, a link's `subject`/`object`) by target,
    # so "which entities point at X" is a lookup, not a scan of every value.
    """CREATE TABLE IF NOT EXISTS refs (
        statement_id UBIGINT NOT NULL,
        dataset VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        prop VARCHAR NOT NULL,
        target VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS judgements (
        left_id VARCHAR NOT NULL,
        right_id VARCHAR NOT NULL,
        verdict VARCHAR NOT NULL,
        note VARCHAR,
        author VARCHAR,
        created_at TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS events (
        id VARCHAR NOT NULL,
        date DATE NOT NULL,
        title VARCHAR NOT NULL,
        url VARCHAR,
        tags VARCHAR[],
        related VARCHAR[]
    )""",
    # Parties linked across lists (written by ``sanctions resolve``; see resolve/).
    """CREATE TABLE IF NOT EXISTS party_members (
        entity_id VARCHAR NOT NULL, party_id VARCHAR NOT NULL, dataset VARCHAR NOT NULL,
        schema VARCHAR NOT NULL, caption VARCHAR NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS party_links (
        left_id VARCHAR NOT NULL, right_id VARCHAR NOT NULL, evidence VARCHAR NOT NULL,
        confidence DOUBLE NOT NULL, detail VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS party_ids (
        party_id VARCHAR NOT NULL, anchor_id VARCHAR NOT NULL, merged_into VARCHAR,
        issued_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS resolve_runs (
        run_at TIMESTAMP NOT NULL, records INTEGER, links INTEGER, parties INTEGER,
        seconds DOUBLE)""",
]

INDEXES = [
    "CREATE INDEX IF NOT EXISTS statements_entity ON statements (entity_id)",
    "CREATE INDEX IF NOT EXISTS statements_id ON statements (id)",
    "CREATE INDEX IF NOT EXISTS refs_target ON refs (target)",
]


def create(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in DDL:
        con.execute(stmt)
    for stmt in INDEXES:
        con.execute(stmt)
    empty = con.execute("SELECT count(*) FROM refs").fetchone()
    if empty is not None and empty[0] == 0:  # stores written before refs existed
        con.execute("INSERT INTO refs SELECT id, dataset, entity_id, prop, value FROM statements "
                    "WHERE prop_type = 'entity'")
    con.execute(
        "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT (key) DO NOTHING", [SCHEMA_VERSION]
    )
