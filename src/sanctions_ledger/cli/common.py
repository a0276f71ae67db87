"""The Typer app and the options every command shares.

Start-up time matters here: ``sanctions --help`` imports this package and every command
module, so they import only typer and light modules at the top; the store (duckdb), the
parsers (followthemoney), the matcher and the service layer are imported inside the commands
that use them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, get_args, get_origin

import typer
from typer.core import TyperArgument, TyperGroup

from sanctions_ledger.errors import LedgerError
from sanctions_ledger.settings import Settings

if TYPE_CHECKING:  # pragma: no cover - imported lazily (duckdb)
    from sanctions_ledger.store import Ledger

_METAVARS: dict[Any, str] = {Path: "PATH", int: "INTEGER", float: "FLOAT"}


class _PlainArgument(TyperArgument):
    """An argument shown by its name alone: typer adds its type (``<list[Path]>``) otherwise."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _metavar(param: Any) -> str:
    """A plain placeholder (PATH, TEXT, ...) for an option's value."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    return _METAVARS.get(annotation, "TEXT")


def _plain_help(command: Any) -> None:
    """Help without typer's type tags (``<list[Path]>``, ``<str>``), in ``command`` and every
    command below it: options get a plain metavar (PATH, TEXT ...) where they have none, and
    arguments are shown by their name."""
    for param in getattr(command, "params", []):
        if type(param) is TyperArgument:
            param.__class__ = _PlainArgument
            param.metavar = param.metavar or (param.name or "arg").upper()
        elif param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = _metavar(param)
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


class PlainHelpGroup(TyperGroup):
    """The command group of ``sanctions``: sub-commands come out with plain metavars."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _plain_help(command)
        return command


# rich_markup_mode=None: click's plain help (no type column, flags without a value tag), and
# no import of rich at start-up.
app = typer.Typer(help="Sanctions Ledger: every sanctions list, every version, screened and queryable by date.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode=None, cls=PlainHelpGroup)

StoreOpt = Annotated[Path | None, typer.Option("--store", metavar="FILE", help="Ledger file (default: $SANCTIONS_LEDGER_STORE or the user data dir)")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="Date YYYY-MM-DD (default: latest)")]
SourceOpt = Annotated[list[str] | None, typer.Option("--source", "-s", metavar="LIST", help="List (dataset) name, e.g. us_ofac_sdn; repeatable")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="table, json or csv")]


def open_ledger(store: Path | None, read_only: bool = False) -> Ledger:
    """The ledger at ``--store`` (or the default). Read-only commands pass ``read_only``: they
    can then run beside a server started with ``--workers`` (which opens it read-only too)."""
    from sanctions_ledger.store import Ledger

    return Ledger.open(store or Settings().store_path, read_only=read_only)


def fail(exc: LedgerError) -> NoReturn:
    typer.echo(f"error: {exc.detail}", err=True)
    raise typer.Exit(2)


ForceOpt = Annotated[bool, typer.Option(
    "--force", help="Ingest even when the release guard refuses the file (it would remove more of "
    "a list than a release normally does, or a member file is missing); the attempt is logged")]
AsListOpt = Annotated[list[str] | None, typer.Option(
    "--as-list", metavar="LIST", help="Accept an official list name (e.g. us_ofac_sdn) that a "
    "FollowTheMoney file gives its records; repeatable. Without it such a file is refused")]
