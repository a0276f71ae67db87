"""DuckDB schema of the ledger: every table, its migrations and the one snapshot order.

The atom is the statement (dataset, entity, property, value) with a deterministic 64-bit id.
``observations`` records which statements each snapshot contained; ``intervals`` is derived
from it (gaps-and-islands over each dataset's snapshots in :func:`snapshot_order`), so the
ledger is the same whatever order snapshots were ingested in. Nothing is ever deleted.

Every table is created here and nowhere else. A store records its schema version in
``meta``; opening a store written by an older release migrates it step by step (each step in
one transaction), and a store written by a newer release is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

from sanctions_ledger.errors import StoreError
from sanctions_ledger.vocab import PARTY_SCHEMAS

__all__ = ["PARTY_SCHEMAS", "SCHEMA_PROP", "SCHEMA_VERSION", "TABLES", "check_version", "migrate",
           "snapshot_order", "stored_version"]

SCHEMA_VERSION = 4
"""1: the ledger tables, with the linking tables created by the first ``sanctions resolve``;
2: every table, linking ones included, exists from the start; intervals are indexed by
statement; 3: the ingest log (every ingest, and every file the release guard refused);
4: authorisations (licences) and legal acts, customer books and monitoring, export cache."""

# The pseudo-property that records an entity's existence (and its schema) in a snapshot.
SCHEMA_PROP = "$schema"

# (column, nullable) of the snapshot order: observed date, then published date (a snapshot
# without one first), then id, so that snapshots observed the same day still have one order.
_SNAPSHOT_ORDER = (("observed_at", False), ("published_at", True), ("id", False))


def snapshot_order(alias: str = "s", *, descending: bool = False) -> str:
    """The ORDER BY terms of a list's snapshots, oldest first (or newest first).

    Intervals, "the snapshot standing on a date" and every sequence of snapshots depend on
    this one order; the descending twin reverses it exactly (a missing published date sorts
    last instead of first).
    """
    terms = []
    for column, nullable in _SNAPSHOT_ORDER:
        term = f"{alias}.{column}" + (" DESC" if descending else "")
        if nullable:
            term += " NULLS LAST" if descending else " NULLS FIRST"
        terms.append(term)
    return ", ".join(terms)


TABLES: dict[str, str] = {
    "meta": """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    "snapshots": """CREATE TABLE IF NOT EXISTS snapshots (
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
    "snapshot_datasets": """CREATE TABLE IF NOT EXISTS snapshot_datasets (
        snapshot_id VARCHAR NOT NULL,
        dataset VARCHAR NOT NULL,
        entity_count INTEGER NOT NULL,
        party_count INTEGER NOT NULL,
        statement_count INTEGER NOT NULL
    )""",
    "statements": """CREATE TABLE IF NOT EXISTS statements (
        id UBIGINT NOT NULL,
        dataset VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        schema VARCHAR NOT NULL,
        prop VARCHAR NOT NULL,
        prop_type VARCHAR NOT NULL,
        value VARCHAR NOT NULL
    )""",
    "observations": """CREATE TABLE IF NOT EXISTS observations (
        snapshot_id VARCHAR NOT NULL,
        dataset VARCHAR NOT NULL,
        statement_id UBIGINT NOT NULL
    )""",
    "intervals": """CREATE TABLE IF NOT EXISTS intervals (
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
    "refs": """CREATE TABLE IF NOT EXISTS refs (
        statement_id UBIGINT NOT NULL,
        dataset VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        prop VARCHAR NOT NULL,
        target VARCHAR NOT NULL
    )""",
    "judgements": """CREATE TABLE IF NOT EXISTS judgements (
        left_id VARCHAR NOT NULL,
        right_id VARCHAR NOT NULL,
        verdict VARCHAR NOT NULL,
        note VARCHAR,
        author VARCHAR,
        created_at TIMESTAMP NOT NULL
    )""",
    "events": """CREATE TABLE IF NOT EXISTS events (
        id VARCHAR NOT NULL,
        date DATE NOT NULL,
        title VARCHAR NOT NULL,
        url VARCHAR,
        tags VARCHAR[],
        related VARCHAR[]
    )""",
    # Every ingest attempt that was refused by the list-shrink guard or forced past it (and
    # every ingest that wrote a snapshot): the bytes' hash, so a refused file can be found again.
    "ingest_log": """CREATE TABLE IF NOT EXISTS ingest_log (
        logged_at TIMESTAMP NOT NULL, outcome VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL, snapshot_id VARCHAR NOT NULL, path VARCHAR,
        datasets VARCHAR[], reason VARCHAR)""",
    # Parties linked across lists (written by ``sanctions resolve``; see resolve/).
    "party_members": """CREATE TABLE IF NOT EXISTS party_members (
        entity_id VARCHAR NOT NULL, party_id VARCHAR NOT NULL, dataset VARCHAR NOT NULL,
        schema VARCHAR NOT NULL, caption VARCHAR NOT NULL)""",
    "party_links": """CREATE TABLE IF NOT EXISTS party_links (
        left_id VARCHAR NOT NULL, right_id VARCHAR NOT NULL, evidence VARCHAR NOT NULL,
        confidence DOUBLE NOT NULL, detail VARCHAR)""",
    "party_ids": """CREATE TABLE IF NOT EXISTS party_ids (
        party_id VARCHAR NOT NULL, anchor_id VARCHAR NOT NULL, merged_into VARCHAR,
        issued_at TIMESTAMP NOT NULL)""",
    "resolve_runs": """CREATE TABLE IF NOT EXISTS resolve_runs (
        run_at TIMESTAMP NOT NULL, records INTEGER, links INTEGER, parties INTEGER,
        seconds DOUBLE)""",
    # --- v4: authorisations and legal acts (licences; see jurisdictions/) ---
    # Licences (authorisations) and the dated legal acts the lists cannot show (a delisting
    # announced before any snapshot we hold), keyed by their identifier ("OFAC Belarus GL 13";
    # see jurisdictions/licences.py). ``supersedes`` chains amendments (GL 13 -> GL 13A).
    "legal_acts": """CREATE TABLE IF NOT EXISTS legal_acts (
        identifier VARCHAR PRIMARY KEY, jurisdiction VARCHAR NOT NULL, authority VARCHAR NOT NULL,
        title VARCHAR NOT NULL, kind VARCHAR NOT NULL, authorises VARCHAR, extent VARCHAR,
        issued DATE, effective DATE, expires DATE, revoked DATE, supersedes VARCHAR,
        scope_ids VARCHAR[], scope_names VARCHAR[], owned_50 BOOLEAN NOT NULL,
        programs VARCHAR[], source_url VARCHAR NOT NULL, confirmed BOOLEAN NOT NULL,
        notes VARCHAR, digest VARCHAR NOT NULL, source VARCHAR, imported_at TIMESTAMP NOT NULL)""",
    # The records each act's scope resolved to when it was imported (by id, or by name).
    "legal_act_scope": """CREATE TABLE IF NOT EXISTS legal_act_scope (
        identifier VARCHAR NOT NULL, entity_id VARCHAR NOT NULL, via VARCHAR NOT NULL)""",
    # --- v4: customer books and monitoring (see monitoring/) ---
    "books": """CREATE TABLE IF NOT EXISTS books (
        name VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL, token_sha256 VARCHAR)""",
    "book_imports": """CREATE TABLE IF NOT EXISTS book_imports (
        book VARCHAR NOT NULL, version INTEGER NOT NULL, imported_at TIMESTAMP NOT NULL,
        path VARCHAR, sha256 VARCHAR NOT NULL, rows INTEGER NOT NULL, rejected INTEGER NOT NULL,
        added INTEGER NOT NULL, changed INTEGER NOT NULL, removed INTEGER NOT NULL)""",
    "book_customers": """CREATE TABLE IF NOT EXISTS book_customers (
        book VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, version_from INTEGER NOT NULL,
        version_to INTEGER, name VARCHAR NOT NULL, schema VARCHAR NOT NULL, birth_date VARCHAR,
        country VARCHAR, identifier VARCHAR, extra VARCHAR NOT NULL, row_hash VARCHAR NOT NULL,
        screen_hash VARCHAR NOT NULL)""",
    "monitor_runs": """CREATE TABLE IF NOT EXISTS monitor_runs (
        id VARCHAR PRIMARY KEY, book VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL,
        seconds DOUBLE NOT NULL, mode VARCHAR NOT NULL, book_version INTEGER NOT NULL,
        snapshots VARCHAR NOT NULL, rescreened INTEGER NOT NULL, alerts INTEGER NOT NULL,
        suppressed INTEGER NOT NULL)""",
    "monitor_hits": """CREATE TABLE IF NOT EXISTS monitor_hits (
        book VARCHAR NOT NULL, customer_id VARCHAR NOT NULL, dataset VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL, customer_version INTEGER NOT NULL, customer_hash VARCHAR NOT NULL,
        party_hash VARCHAR NOT NULL, snapshot_id VARCHAR NOT NULL, score DOUBLE NOT NULL,
        matched_name VARCHAR NOT NULL, name_kind VARCHAR NOT NULL, caption VARCHAR NOT NULL,
        explanation VARCHAR NOT NULL, authorisation VARCHAR NOT NULL DEFAULT '')""",
    "alerts": """CREATE TABLE IF NOT EXISTS alerts (
        id VARCHAR PRIMARY KEY, book VARCHAR NOT NULL, run_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, customer_id VARCHAR NOT NULL, customer_version INTEGER NOT NULL,
        customer_hash VARCHAR NOT NULL, customer_name VARCHAR NOT NULL, dataset VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL, caption VARCHAR NOT NULL, snapshot_id VARCHAR NOT NULL,
        party_hash VARCHAR NOT NULL, matched_name VARCHAR NOT NULL, score DOUBLE NOT NULL,
        previous_score DOUBLE, explanation VARCHAR NOT NULL, reason VARCHAR NOT NULL,
        trigger VARCHAR NOT NULL)""",
    "alert_decisions": """CREATE TABLE IF NOT EXISTS alert_decisions (
        alert_id VARCHAR NOT NULL, decision VARCHAR NOT NULL, author VARCHAR NOT NULL,
        note VARCHAR, decided_at TIMESTAMP NOT NULL)""",
    "webhooks": """CREATE TABLE IF NOT EXISTS webhooks (
        url VARCHAR PRIMARY KEY, secret VARCHAR NOT NULL, book VARCHAR, created_at TIMESTAMP NOT NULL)""",
    "webhook_deliveries": """CREATE TABLE IF NOT EXISTS webhook_deliveries (
        alert_id VARCHAR NOT NULL, url VARCHAR NOT NULL, status VARCHAR NOT NULL,
        attempts INTEGER NOT NULL, last_error VARCHAR, updated_at TIMESTAMP NOT NULL)""",
    # --- v4: exports (see export/) ---
}

INDEXES = [
    "CREATE INDEX IF NOT EXISTS statements_entity ON statements (entity_id)",
    "CREATE INDEX IF NOT EXISTS statements_id ON statements (id)",
    "CREATE INDEX IF NOT EXISTS refs_target ON refs (target)",
    # One party's intervals are a lookup (GET /entities/{id}), not a scan of every interval.
    "CREATE INDEX IF NOT EXISTS intervals_statement ON intervals (statement_id)",
]


def stored_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version a store was written with; ``None`` for an empty database."""
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = 'main' AND table_name = 'meta'").fetchone()
    if not (has_meta and has_meta[0]):
        return None
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        return 1  # meta existed before the version was recorded in it
    try:
        return int(row[0])
    except (TypeError, ValueError) as exc:
        raise StoreError(f"unreadable store schema version {row[0]!r}", 409) from exc


def check_version(version: int | None, where: str = "the ledger") -> None:
    """Refuse a store written by a newer release: its tables may mean something else."""
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            f"{where} was written by a newer sanctions-ledger (store schema version {version}; "
            f"this version reads up to {SCHEMA_VERSION}): upgrade sanctions-ledger to open it", 409)


def _create_all(cur: duckdb.DuckDBPyConnection) -> None:
    for ddl in TABLES.values():
        cur.execute(ddl)
    for ddl in INDEXES:
        cur.execute(ddl)


def _from_v1(cur: duckdb.DuckDBPyConnection) -> None:
    """Version 1 stores lack the linking tables until ``sanctions resolve`` ran, and the oldest
    of them hold no ``refs`` rows: create what is missing (tables and the intervals index) and
    fill ``refs`` from statements."""
    _create_all(cur)
    empty = cur.execute("SELECT count(*) FROM refs").fetchone()
    if empty is not None and empty[0] == 0:
        cur.execute("INSERT INTO refs SELECT id, dataset, entity_id, prop, value FROM statements "
                    "WHERE prop_type = 'entity'")


def _from_v2(cur: duckdb.DuckDBPyConnection) -> None:
    """Version 3 adds the ingest log (``store.guard``)."""
    _create_all(cur)


def _from_v3(cur: duckdb.DuckDBPyConnection) -> None:
    """Version 4 adds the tables of licences and legal acts, customer books and monitoring,
    and exports: all new, so creating what is missing is the whole step."""
    _create_all(cur)


# MIGRATIONS[v] turns a version-v store into a version v+1 store.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    1: _from_v1, 2: _from_v2, 3: _from_v3}


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT on ``con``, ROLLBACK on error (DuckDB runs DDL transactionally)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _set_version(cur: duckdb.DuckDBPyConnection, version: int) -> None:
    cur.execute("INSERT INTO meta VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [str(version)])


def migrate(con: duckdb.DuckDBPyConnection, where: str = "the ledger") -> int:
    """Bring a store opened for writing to :data:`SCHEMA_VERSION`; returns the version it had
    (0 for a new database). Each step commits on its own, so an interrupted migration resumes
    from the last finished step."""
    found = stored_version(con)
    check_version(found, where)
    if found is None:
        with _transaction(con) as cur:
            _create_all(cur)
            _set_version(cur, SCHEMA_VERSION)
        return 0
    version = found
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise StoreError(f"{where}: no migration from store schema version {version}", 409)
        with _transaction(con) as cur:
            step(cur)
            _set_version(cur, version + 1)
        version += 1
    return found
