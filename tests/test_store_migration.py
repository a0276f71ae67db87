"""Stores written by an older release are migrated on open; newer ones are refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from sanctions_ledger import history, queries
from sanctions_ledger.errors import StoreError
from sanctions_ledger.store import Ledger, LedgerView, ingest
from sanctions_ledger.store.schema import INDEXES, SCHEMA_VERSION, TABLES

FIXTURES = Path(__file__).parent / "fixtures"

# The tables of release 0.1 (store schema version 1), as its store/schema.py created them.
V1_DDL = {
    "meta": "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "snapshots": """CREATE TABLE snapshots (
        id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
        size BIGINT NOT NULL, path VARCHAR, files VARCHAR[], observed_at DATE NOT NULL,
        published_at DATE, parser_version VARCHAR NOT NULL, full_snapshot BOOLEAN NOT NULL,
        ingested_at TIMESTAMP NOT NULL, entity_count INTEGER NOT NULL,
        statement_count INTEGER NOT NULL)""",
    "snapshot_datasets": """CREATE TABLE snapshot_datasets (
        snapshot_id VARCHAR NOT NULL, dataset VARCHAR NOT NULL, entity_count INTEGER NOT NULL,
        party_count INTEGER NOT NULL, statement_count INTEGER NOT NULL)""",
    "statements": """CREATE TABLE statements (
        id UBIGINT NOT NULL, dataset VARCHAR NOT NULL, entity_id VARCHAR NOT NULL,
        schema VARCHAR NOT NULL, prop VARCHAR NOT NULL, prop_type VARCHAR NOT NULL,
        value VARCHAR NOT NULL)""",
    "observations": """CREATE TABLE observations (
        snapshot_id VARCHAR NOT NULL, dataset VARCHAR NOT NULL, statement_id UBIGINT NOT NULL)""",
    "intervals": """CREATE TABLE intervals (
        statement_id UBIGINT NOT NULL, dataset VARCHAR NOT NULL, first_seen DATE NOT NULL,
        last_seen DATE NOT NULL, first_missing DATE, first_snapshot VARCHAR NOT NULL,
        last_snapshot VARCHAR NOT NULL, missing_snapshot VARCHAR)""",
    "refs": """CREATE TABLE refs (
        statement_id UBIGINT NOT NULL, dataset VARCHAR NOT NULL, entity_id VARCHAR NOT NULL,
        prop VARCHAR NOT NULL, target VARCHAR NOT NULL)""",
    "judgements": """CREATE TABLE judgements (
        left_id VARCHAR NOT NULL, right_id VARCHAR NOT NULL, verdict VARCHAR NOT NULL,
        note VARCHAR, author VARCHAR, created_at TIMESTAMP NOT NULL)""",
    "events": """CREATE TABLE events (
        id VARCHAR NOT NULL, date DATE NOT NULL, title VARCHAR NOT NULL, url VARCHAR,
        tags VARCHAR[], related VARCHAR[])""",
}
V1_INDEXES = [
    "CREATE INDEX statements_entity ON statements (entity_id)",
    "CREATE INDEX statements_id ON statements (id)",
    "CREATE INDEX refs_target ON refs (target)",
]
# Created by the first `sanctions resolve` of that release, not by opening the store.
V1_LINKING = {
    "party_members": """CREATE TABLE party_members (
        entity_id VARCHAR NOT NULL, party_id VARCHAR NOT NULL, dataset VARCHAR NOT NULL,
        schema VARCHAR NOT NULL, caption VARCHAR NOT NULL)""",
    "party_links": """CREATE TABLE party_links (
        left_id VARCHAR NOT NULL, right_id VARCHAR NOT NULL, evidence VARCHAR NOT NULL,
        confidence DOUBLE NOT NULL, detail VARCHAR)""",
    "party_ids": """CREATE TABLE party_ids (
        party_id VARCHAR NOT NULL, anchor_id VARCHAR NOT NULL, merged_into VARCHAR,
        issued_at TIMESTAMP NOT NULL)""",
    "resolve_runs": """CREATE TABLE resolve_runs (
        run_at TIMESTAMP NOT NULL, records INTEGER, links INTEGER, parties INTEGER,
        seconds DOUBLE)""",
}
LEDGER_TABLES = [t for t in V1_DDL if t != "meta"]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the current version holding two small real snapshots."""
    path = tmp_path_factory.mktemp("source") / "source.duckdb"
    with Ledger.open(path) as ledger:
        ingest(ledger, FIXTURES / "ofac_sdn_sample.xml")
        ingest(ledger, FIXTURES / "uk_fcdo_sample.csv")
    return path


def dump(con: duckdb.DuckDBPyConnection, tables: list[str], prefix: str = "") -> dict[str, list[tuple[object, ...]]]:
    return {t: con.execute(f"SELECT * FROM {prefix}{t} ORDER BY ALL").fetchall() for t in tables}


def write_v1(path: Path, source: Path, *, refs: bool = True, resolved: bool = False) -> None:
    """A version-1 store with the source's rows (``refs`` empty, as in the oldest stores, when
    ``refs`` is false; the linking tables only when ``resolved``)."""
    con = duckdb.connect(str(path))
    for ddl in [*V1_DDL.values(), *V1_INDEXES]:
        con.execute(ddl)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    for table in LEDGER_TABLES:
        if table != "refs" or refs:
            con.execute(f"INSERT INTO {table} SELECT * FROM src.{table}")
    if resolved:
        for ddl in V1_LINKING.values():
            con.execute(ddl)
        con.execute("INSERT INTO party_members SELECT entity_id, 'sl-' || entity_id, dataset, schema, "
                    "entity_id FROM src.statements WHERE prop = '$schema'")
        con.execute("INSERT INTO party_ids SELECT party_id, entity_id, NULL, TIMESTAMP '2026-01-02' "
                    "FROM party_members")
        con.execute("INSERT INTO resolve_runs VALUES (TIMESTAMP '2026-01-02', 3, 0, 3, 0.5)")
    con.close()


def tables_of(ledger: Ledger) -> set[str]:
    return {r[0] for r in ledger.query("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = 'main'")}


def version_of(ledger: Ledger) -> str:
    return ledger.query("SELECT value FROM meta WHERE key = 'schema_version'")[0][0]


def some_party(ledger: Ledger) -> str:
    return LedgerView(ledger).party_ids()[0][1]


@pytest.mark.parametrize("refs", [True, False], ids=["with-refs", "refs-empty"])
def test_v1_store_migrated_on_open(tmp_path: Path, source: Path, refs: bool) -> None:
    path = tmp_path / "v1.duckdb"
    write_v1(path, source, refs=refs)
    with Ledger.open(source, read_only=True) as original:
        expected = dump(original.cursor(), LEDGER_TABLES)
        party = some_party(original)
        shown = [lst.to_dict() for lst in queries.show(original, party)]
        events = [e.to_dict() for e in history.history(original, party)]
    with Ledger.open(path) as ledger:
        assert version_of(ledger) == str(SCHEMA_VERSION)
        assert tables_of(ledger) >= set(TABLES)
        indexes = {r[0] for r in ledger.query("SELECT index_name FROM duckdb_indexes()")}
        assert indexes == {ddl.split()[5] for ddl in INDEXES}
        assert expected["refs"], "the sample has Sanction entities pointing at parties"
        assert dump(ledger.cursor(), LEDGER_TABLES) == expected  # refs rebuilt when empty
        assert ledger.query("SELECT count(*) FROM party_members")[0][0] == 0
        assert [lst.to_dict() for lst in queries.show(ledger, party)] == shown
        assert [e.to_dict() for e in history.history(ledger, party)] == events
    with Ledger.open(path) as again:  # a current store opens unchanged
        assert version_of(again) == str(SCHEMA_VERSION)
        assert dump(again.cursor(), LEDGER_TABLES) == expected


def test_v1_store_after_resolve_keeps_its_links(tmp_path: Path, source: Path) -> None:
    path = tmp_path / "v1.duckdb"
    write_v1(path, source, resolved=True)
    con = duckdb.connect(str(path), read_only=True)
    linking = dump(con, list(V1_LINKING))
    con.close()
    assert linking["party_members"] and linking["resolve_runs"]
    with Ledger.open(path) as ledger:
        assert version_of(ledger) == str(SCHEMA_VERSION)
        assert dump(ledger.cursor(), list(V1_LINKING)) == linking


def test_read_only_open_migrates_first(tmp_path: Path, source: Path) -> None:
    path = tmp_path / "v1.duckdb"
    write_v1(path, source)
    with Ledger.open(path, read_only=True) as ledger:
        assert ledger.read_only
        assert version_of(ledger) == str(SCHEMA_VERSION)
        assert tables_of(ledger) >= set(TABLES)
        assert queries.show(ledger, some_party(ledger))


@pytest.mark.parametrize("read_only", [False, True], ids=["write", "read-only"])
def test_newer_store_refused(tmp_path: Path, source: Path, read_only: bool) -> None:
    path = tmp_path / "future.duckdb"
    write_v1(path, source)
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError, match="newer sanctions-ledger") as err:
        Ledger.open(path, read_only=read_only)
    assert f"version {SCHEMA_VERSION + 1}" in err.value.detail
    con = duckdb.connect(str(path), read_only=True)  # refused, not touched
    assert con.execute("SELECT value FROM meta").fetchall() == [(str(SCHEMA_VERSION + 1),)]
    con.close()


def test_new_store_is_current() -> None:
    with Ledger.memory() as ledger:
        assert version_of(ledger) == str(SCHEMA_VERSION)
        assert tables_of(ledger) == set(TABLES)
