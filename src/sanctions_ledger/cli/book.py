"""`sanctions book import|list|show|token`: customer books, versioned like a list."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer

from sanctions_ledger.cli import render
from sanctions_ledger.cli.common import FormatOpt, StoreOpt, app, fail, open_ledger
from sanctions_ledger.errors import LedgerError

book_app = typer.Typer(help="Customer books: import (CSV, JSON lines, Parquet), list, show.",
                       no_args_is_help=True)
app.add_typer(book_app, name="book")

BookOpt = Annotated[str, typer.Option("--book", "-b", metavar="NAME", help="Book name (a-z, 0-9, _ . -)")]


@book_app.command("import")
def book_import_cmd(
    path: Annotated[Path, typer.Argument(help="CSV, JSON lines or Parquet: customer_id,name,schema,"
                                              "birth_date,country,identifier (other columns are kept)")],
    book: BookOpt,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse the whole file when any row is bad")] = False,
    store: StoreOpt = None,
) -> None:
    """Import a book file as the book's new version: customers added, changed and removed are
    counted; bad rows are reported by line and skipped (see docs/monitoring.md)."""
    from sanctions_ledger.monitoring import import_book

    try:
        with open_ledger(store) as ledger:
            result = import_book(ledger, path, book, strict=strict)
    except LedgerError as exc:
        fail(exc)
    typer.echo(result.summary())


@book_app.command("list")
def book_list_cmd(fmt: FormatOpt = "table", store: StoreOpt = None) -> None:
    """Every book with its version and size."""
    from sanctions_ledger.store.books import books

    try:
        with open_ledger(store, read_only=True) as ledger:
            found = books(ledger)
    except LedgerError as exc:
        fail(exc)
    rows = [[b.name, b.version, b.customers, b.last_import.isoformat(timespec="seconds") if b.last_import else ""]
            for b in found]
    typer.echo(render.render(fmt, ["book", "version", "customers", "last_import"], rows,
                             [b.to_dict() for b in found]))


@book_app.command("show")
def book_show_cmd(
    book: Annotated[str, typer.Argument(help="Book name")],
    customers: Annotated[int, typer.Option("--customers", help="Show this many customers")] = 20,
    fmt: FormatOpt = "table",
    store: StoreOpt = None,
) -> None:
    """A book's imports (versions with what each changed) and its first customers."""
    from sanctions_ledger.store.books import book_info, customers_page

    try:
        with open_ledger(store, read_only=True) as ledger:
            info = book_info(ledger, book)
            total, page = customers_page(ledger, book, limit=max(customers, 1))
    except LedgerError as exc:
        fail(exc)
    if fmt != "table":
        data = {**info.to_dict(), "customer_rows": [c.to_dict() for c in page]}
        typer.echo(render.render(fmt, ["customer_id", "name"], [[c.customer_id, c.name] for c in page], data))
        return
    typer.echo(f"book {info.name}: version {info.version}, {info.customers} customers")
    typer.echo(render.table(["version", "imported_at", "rows", "rejected", "added", "changed", "removed", "path"],
                            [[i["version"], i["imported_at"][:19], i["rows"], i["rejected"], i["added"],
                              i["changed"], i["removed"], i["path"]] for i in info.imports]))
    typer.echo(render.table(["customer_id", "name", "schema", "birth_date", "country", "identifier", "version"],
                            [[c.customer_id, c.name, c.schema, c.birth_date or "", c.country or "",
                              c.identifier or "", c.version] for c in page]))
    if total > len(page):
        typer.echo(f"... {total - len(page)} more customers")


@book_app.command("token")
def book_token_cmd(book: Annotated[str, typer.Argument(help="Book name")], store: StoreOpt = None) -> None:
    """Issue a new write token for one book (the API's per-book bearer token); the old one stops
    working. The token is shown once; only its hash is stored."""
    import hashlib

    from sanctions_ledger.store.books import book_info, set_book_token

    token = secrets.token_urlsafe(24)
    try:
        with open_ledger(store) as ledger:
            book_info(ledger, book)
            set_book_token(ledger, book, hashlib.sha256(token.encode()).hexdigest())
    except LedgerError as exc:
        fail(exc)
    typer.echo(token)
