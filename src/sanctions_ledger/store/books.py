"""Customer books: versioned like a list. Each import that changes something is one version;
a customer row carries the version it appeared in (``version_from``) and, once changed or
removed, the version that replaced it (``version_to``). Nothing is deleted."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from sanctions_ledger.errors import NotFoundError
from sanctions_ledger.store.ledger import Ledger

__all__ = ["BookImport", "BookInfo", "CustomerRow", "book_info", "book_token_hash", "books",
           "current_customers", "customers_page", "import_rows", "set_book_token", "customer_rows"]

CUSTOMER_FIELDS = ("name", "schema", "birth_date", "country", "identifier")
"""What the matcher reads of a customer: a change of one of these is material."""


@dataclass(frozen=True)
class CustomerRow:
    customer_id: str
    name: str
    schema: str
    birth_date: str | None
    country: str | None
    identifier: str | None
    extra: str
    """The other columns of the row, as a JSON object (kept, never screened)."""
    row_hash: str
    screen_hash: str
    version: int = 0
    """The book version this row of the customer appeared in (0 before it is stored)."""

    def to_dict(self) -> dict[str, Any]:
        return {"customer_id": self.customer_id, "name": self.name, "schema": self.schema,
                "birth_date": self.birth_date, "country": self.country,
                "identifier": self.identifier, "extra": self.extra, "version": self.version}


def screen_hash(name: str, schema: str, birth_date: str | None, country: str | None,
                identifier: str | None) -> str:
    """A hash of what screening reads of a customer (its material fields)."""
    text = "\x1f".join(v or "" for v in (name, schema, birth_date, country, identifier))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def make_row(customer_id: str, name: str, schema: str, birth_date: str | None, country: str | None,
             identifier: str | None, extra: str) -> CustomerRow:
    sh = screen_hash(name, schema, birth_date, country, identifier)
    rh = hashlib.blake2b(f"{sh}\x1f{extra}".encode(), digest_size=8).hexdigest()
    return CustomerRow(customer_id, name, schema, birth_date, country, identifier, extra, rh, sh)


@dataclass
class BookImport:
    book: str
    version: int
    """The book version after the import (unchanged when the import changed nothing)."""
    rows: int
    rejected: int
    added: int
    changed: int
    removed: int
    unchanged: bool
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class BookInfo:
    name: str
    created_at: datetime
    version: int
    customers: int
    last_import: datetime | None
    imports: list[dict[str, Any]]
    has_token: bool

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "created_at": self.created_at.isoformat(), "version": self.version,
                "customers": self.customers,
                "last_import": self.last_import.isoformat() if self.last_import else None,
                "imports": self.imports, "has_token": self.has_token}


_COLS = "customer_id, name, schema, birth_date, country, identifier, extra, row_hash, screen_hash, version_from"


def _row(r: Sequence[Any]) -> CustomerRow:
    return CustomerRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9])


def current_hashes(cur: duckdb.DuckDBPyConnection, book: str) -> dict[str, str]:
    return dict(cur.execute("SELECT customer_id, row_hash FROM book_customers "
                            "WHERE book = ? AND version_to IS NULL", [book]).fetchall())


def import_rows(ledger: Ledger, book: str, rows: Sequence[CustomerRow], *, path: str, sha256: str,
                read: int, rejected: int, keep: Iterable[str] = ()) -> BookImport:
    """Store ``rows`` as the book's new content in one transaction: customers not in ``rows``
    (nor in ``keep``: the ids of rejected rows, whose previous version stands) are removed,
    changed ones get a new version, the same content twice is no new version."""
    now = datetime.now()
    with ledger.transaction() as cur:
        cur.execute("INSERT INTO books VALUES (?, ?, NULL) ON CONFLICT DO NOTHING", [book, now])
        last = cur.execute("SELECT coalesce(max(version), 0) FROM book_imports WHERE book = ?",
                           [book]).fetchone()
        version = int(last[0]) if last else 0
        old = current_hashes(cur, book)
        new_ids = {r.customer_id for r in rows}
        kept = set(keep)
        added = [r for r in rows if r.customer_id not in old]
        changed = [r for r in rows if r.customer_id in old and old[r.customer_id] != r.row_hash]
        removed = sorted(cid for cid in old if cid not in new_ids and cid not in kept)
        if not (added or changed or removed):
            return BookImport(book, version, read, rejected, 0, 0, 0, True, sha256)
        version += 1
        closing = [r.customer_id for r in changed] + removed
        if closing:
            _close(cur, book, closing, version)
        _insert(cur, book, added + changed, version)
        cur.execute("INSERT INTO book_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [book, version, now, path, sha256, read, rejected, len(added), len(changed),
                     len(removed)])
    return BookImport(book, version, read, rejected, len(added), len(changed), len(removed), False, sha256)


def _close(cur: duckdb.DuckDBPyConnection, book: str, ids: list[str], version: int) -> None:
    import pyarrow as pa

    cur.register("closing", pa.table({"customer_id": ids}))
    try:
        cur.execute("UPDATE book_customers SET version_to = ? WHERE book = ? AND version_to IS NULL "
                    "AND customer_id IN (SELECT customer_id FROM closing)", [version, book])
    finally:
        cur.unregister("closing")


def _insert(cur: duckdb.DuckDBPyConnection, book: str, rows: Sequence[CustomerRow], version: int) -> None:
    import pyarrow as pa

    if not rows:
        return
    table = pa.table({
        "customer_id": [r.customer_id for r in rows], "name": [r.name for r in rows],
        "schema": [r.schema for r in rows], "birth_date": [r.birth_date for r in rows],
        "country": [r.country for r in rows], "identifier": [r.identifier for r in rows],
        "extra": [r.extra for r in rows], "row_hash": [r.row_hash for r in rows],
        "screen_hash": [r.screen_hash for r in rows]})
    cur.register("incoming_customers", table)
    try:
        cur.execute("INSERT INTO book_customers SELECT ?, customer_id, ?, NULL, name, schema, birth_date, "
                    "country, identifier, extra, row_hash, screen_hash FROM incoming_customers",
                    [book, version])
    finally:
        cur.unregister("incoming_customers")


def book_names(ledger: Ledger) -> list[str]:
    return [r[0] for r in ledger.query("SELECT name FROM books ORDER BY name")]


def books(ledger: Ledger) -> list[BookInfo]:
    return [book_info(ledger, name) for name in book_names(ledger)]


def book_info(ledger: Ledger, book: str) -> BookInfo:
    found = ledger.query("SELECT name, created_at, token_sha256 FROM books WHERE name = ?", [book])
    if not found:
        known = ", ".join(book_names(ledger)) or "(none: import one with sanctions book import)"
        raise NotFoundError(f"unknown book {book!r}; known: {known}")
    imports = [{"version": r[0], "imported_at": r[1].isoformat(), "path": r[2], "sha256": r[3],
                "rows": r[4], "rejected": r[5], "added": r[6], "changed": r[7], "removed": r[8]}
               for r in ledger.query("SELECT version, imported_at, path, sha256, rows, rejected, added, "
                                     "changed, removed FROM book_imports WHERE book = ? ORDER BY version",
                                     [book])]
    count = ledger.query("SELECT count(*) FROM book_customers WHERE book = ? AND version_to IS NULL", [book])
    return BookInfo(book, found[0][1], imports[-1]["version"] if imports else 0, int(count[0][0]),
                    datetime.fromisoformat(imports[-1]["imported_at"]) if imports else None,
                    imports, found[0][2] is not None)


def book_version(ledger: Ledger, book: str) -> int:
    row = ledger.query("SELECT coalesce(max(version), 0) FROM book_imports WHERE book = ?", [book])
    return int(row[0][0])


def current_customers(ledger: Ledger, book: str, ids: Iterable[str] | None = None) -> list[CustomerRow]:
    """The book's customers as they stand (those of ``ids`` only, when given), by id."""
    cur = ledger.cursor()
    try:
        if ids is None:
            sql = f"SELECT {_COLS} FROM book_customers WHERE book = ? AND version_to IS NULL ORDER BY customer_id"
            return [_row(r) for r in cur.execute(sql, [book]).fetchall()]
        import pyarrow as pa

        cur.register("wanted", pa.table({"customer_id": sorted(set(ids))}))
        sql = (f"SELECT {_COLS} FROM book_customers WHERE book = ? AND version_to IS NULL "
               "AND customer_id IN (SELECT customer_id FROM wanted) ORDER BY customer_id")
        return [_row(r) for r in cur.execute(sql, [book]).fetchall()]
    finally:
        cur.close()


def customer_rows(ledger: Ledger, book: str, customer_id: str) -> list[CustomerRow]:
    """Every version of one customer, oldest first."""
    return [_row(r) for r in ledger.query(
        f"SELECT {_COLS} FROM book_customers WHERE book = ? AND customer_id = ? ORDER BY version_from",
        [book, customer_id])]


def changed_since(ledger: Ledger, book: str, version: int) -> tuple[list[str], list[str]]:
    """Customers added or changed after book ``version`` (current ids), and those removed."""
    changed = [r[0] for r in ledger.query(
        "SELECT customer_id FROM book_customers WHERE book = ? AND version_to IS NULL AND version_from > ?",
        [book, version])]
    removed = [r[0] for r in ledger.query(
        "SELECT DISTINCT customer_id FROM book_customers b WHERE book = ? AND version_to > ? AND NOT EXISTS ("
        "SELECT 1 FROM book_customers c WHERE c.book = b.book AND c.customer_id = b.customer_id "
        "AND c.version_to IS NULL)", [book, version])]
    return changed, removed


def customers_page(ledger: Ledger, book: str, *, offset: int = 0, limit: int = 100,
                   q: str | None = None) -> tuple[int, list[CustomerRow]]:
    """A page of the book's current customers (name or id containing ``q``), and the total."""
    where = "book = ? AND version_to IS NULL"
    params: list[Any] = [book]
    if q:
        where += " AND (name ILIKE ? OR customer_id ILIKE ?)"
        params += [f"%{q}%", f"%{q}%"]
    total = ledger.query(f"SELECT count(*) FROM book_customers WHERE {where}", params)[0][0]
    rows = ledger.query(f"SELECT {_COLS} FROM book_customers WHERE {where} ORDER BY customer_id "
                        "LIMIT ? OFFSET ?", [*params, limit, offset])
    return int(total), [_row(r) for r in rows]


def book_token_hash(ledger: Ledger, book: str) -> str | None:
    found = ledger.query("SELECT token_sha256 FROM books WHERE name = ?", [book])
    return found[0][0] if found else None


def set_book_token(ledger: Ledger, book: str, token_sha256: str | None) -> None:
    with ledger.transaction() as cur:
        cur.execute("UPDATE books SET token_sha256 = ? WHERE name = ?", [token_sha256, book])


def latest_rows(ledger: Ledger, book: str, ids: Iterable[str]) -> dict[str, CustomerRow]:
    """The last row of each of ``ids`` (current or, for a removed customer, its last one)."""
    import pyarrow as pa

    wanted = sorted(set(ids))
    if not wanted:
        return {}
    cur = ledger.cursor()
    try:
        cur.register("wanted_latest", pa.table({"customer_id": wanted}))
        rows = cur.execute(
            f"SELECT {_COLS} FROM book_customers WHERE book = ? AND customer_id IN "
            "(SELECT customer_id FROM wanted_latest) QUALIFY row_number() OVER "
            "(PARTITION BY customer_id ORDER BY version_from DESC) = 1", [book]).fetchall()
        return {r[0]: _row(r) for r in rows}
    finally:
        cur.close()


def changes_since(ledger: Ledger, book: str, version: int) -> dict[str, str]:
    """customer_id -> added / changed / removed / restated, for every customer whose row
    changed after book ``version``: ``changed`` when a field screening reads changed,
    ``restated`` when only the other columns did."""
    rows = ledger.query(
        """SELECT customer_id,
                  max(screen_hash) FILTER (WHERE version_to IS NULL) AS now_hash,
                  max(screen_hash) FILTER (WHERE version_from <= ? AND (version_to IS NULL OR version_to > ?)) AS then_hash,
                  bool_or(version_from > ? OR version_to > ?) AS touched
           FROM book_customers WHERE book = ? GROUP BY customer_id HAVING touched""",
        [version, version, version, version, book])
    out = {}
    for cid, now_hash, then_hash, _t in rows:
        if now_hash is not None and then_hash is not None:
            out[cid] = "changed" if now_hash != then_hash else "restated"
        elif now_hash is not None:
            out[cid] = "added"
        elif then_hash is not None:
            out[cid] = "removed"
    return out
