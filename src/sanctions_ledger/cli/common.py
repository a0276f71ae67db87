"""The Typer app and the options every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from sanctions_ledger.errors import LedgerError
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger

app = typer.Typer(help="Sanctions Ledger: every sanctions list, every version, screened and queryable by date.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

StoreOpt = Annotated[Path | None, typer.Option("--store", help="Ledger file (default: $SANCTIONS_LEDGER_STORE or the user data dir)")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Date YYYY-MM-DD (default: latest)")]
SourceOpt = Annotated[list[str] | None, typer.Option("--source", "-s", help="List (dataset) name, e.g. us_ofac_sdn; repeatable")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv")]


def open_ledger(store: Path | None, read_only: bool = False) -> Ledger:
    return Ledger.open(store or Settings().store_path, read_only=read_only)


def fail(exc: LedgerError) -> NoReturn:
    typer.echo(f"error: {exc.detail}", err=True)
    raise typer.Exit(2)
