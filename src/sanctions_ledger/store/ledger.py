"""The ledger handle: one DuckDB file, one writer lock, cursors for concurrent readers."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import duckdb

from sanctions_ledger.errors import StoreError
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import schema
from sanctions_ledger.store.cache import GenerationCache

HELD_HINT = ("the server holds the store: stop it or use the API (a server started with "
             "--workers 2 or more opens it read-only, and read-only commands can then run beside it)")
_PID = re.compile(r"\(PID (\d+)\)")


def _connect(path: Path, read_only: bool, why: str = "") -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        prefix = f"{why}: " if why else ""
        if "lock" in str(exc).lower():
            # DuckDB's own text names the file, the lock and the holder's executable; what a user
            # needs is who holds it and what to do.
            pid = _PID.search(str(exc))
            holder = f" (process {pid.group(1)})" if pid else ""
            raise StoreError(f"{prefix}cannot open ledger {path}: another process holds it{holder}; "
                             f"{HELD_HINT}", 503) from exc
        raise StoreError(f"{prefix}cannot open ledger {path}: {exc}", 503) from exc


class Ledger:
    """An open ledger store.

    DuckDB gives snapshot isolation: a reader's cursor sees the last committed ingest, never
    half of one. Writes are serialised by ``write_lock`` inside this process; DuckDB's file
    lock keeps other processes out while it is open for writing.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None, read_only: bool) -> None:
        self._con = con
        self.path = path
        self.read_only = read_only
        self.write_lock = threading.Lock()
        self._generation = 0
        self._local = threading.local()
        self.cache = GenerationCache(lambda: self._generation)
        """Whole-store derived values (snapshot sequences, ...), rebuilt after each write."""

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = False,
             settings: Settings | None = None) -> Ledger:
        """Open (creating or migrating it, see :mod:`.schema`) the store at ``path``.

        A store written by an older release is migrated even when opened read-only: it is
        opened for writing once, migrated, and reopened read-only.
        """
        if path is None:
            path = (settings or Settings()).store_path
        path = Path(path)
        if read_only and not path.exists():
            raise StoreError(f"no ledger at {path}: ingest something first (sanctions ingest PATH)", 404)
        path.parent.mkdir(parents=True, exist_ok=True)
        where = f"the ledger {path}"
        con = _connect(path, read_only)
        try:
            if not read_only:
                schema.migrate(con, where)
                return cls(con, path, read_only)
            version = schema.stored_version(con)
            schema.check_version(version, where)
        except BaseException:
            con.close()
            raise
        if version is not None and version < schema.SCHEMA_VERSION:
            con.close()
            writer = _connect(path, False, f"{where} needs migrating from store schema version {version}")
            try:
                schema.migrate(writer, where)
            finally:
                writer.close()
            con = _connect(path, True)
        return cls(con, path, read_only)

    @classmethod
    def memory(cls) -> Ledger:
        con = duckdb.connect(":memory:")
        schema.migrate(con)
        return cls(con, None, False)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor: use one per thread/request."""
        return self._con.cursor()

    def reader(self) -> duckdb.DuckDBPyConnection:
        """This thread's own cursor, kept while the ledger is open, for point reads that fetch
        their whole result at once (never for a streamed read: the next read on the thread
        would cut it off). One party's lookup took about twice as long on a fresh cursor as on
        a reused one (8.5 ms against 4.6). Each statement still sees the last committed write."""
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self._con.cursor()
        return cur

    @property
    def generation(self) -> int:
        """Incremented by every committed ingest; caches key on it."""
        return self._generation

    def bump(self) -> None:
        self._generation += 1

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self.read_only:
            raise StoreError("the ledger is open read-only", 409)
        with self.write_lock:
            cur = self._con.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
                self.bump()
            finally:
                cur.close()

    def tune_for_server(self) -> None:
        """A long-running server: let DuckDB's allocator hand freed query memory back to the OS
        in the background (otherwise the start-up scans stay resident, ~100 MB per process)."""
        self.query("SET allocator_background_threads = true")
        self.query("SET allocator_flush_threshold = '16MB'")

    def set_threads(self, threads: int) -> None:
        """DuckDB's worker threads for this store (server workers already split the cores)."""
        self.query(f"SET threads = {int(threads)}")

    def has_snapshots(self) -> bool:
        """Whether any list snapshot was ever ingested."""
        return bool(self.query("SELECT 1 FROM snapshots LIMIT 1"))

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
