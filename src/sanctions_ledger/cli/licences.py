"""``sanctions licences``: import and list authorisations (licences) and dated legal acts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sanctions_ledger.cli import render
from sanctions_ledger.cli.common import AsOfOpt, FormatOpt, StoreOpt, app, fail, open_ledger
from sanctions_ledger.errors import LedgerError

licences_app = typer.Typer(help="Licences (authorisations) and dated legal acts such as delistings "
                           "the lists cannot show.", no_args_is_help=True)
app.add_typer(licences_app, name="licences")


@licences_app.command("import")
def licences_import_cmd(
    path: Annotated[Path | None, typer.Argument(help="CSV or JSON lines (.jsonl) of licences and acts")] = None,
    builtin: Annotated[str | None, typer.Option("--builtin", help="A shipped set: belarus")] = None,
    store: StoreOpt = None,
) -> None:
    """Import licences and legal acts (the whole file is checked first; any error imports nothing)."""
    from sanctions_ledger.jurisdictions.licences import import_licences

    if (path is None) == (builtin is None):
        fail(LedgerError("give a FILE or --builtin NAME (one of them)", 422))
    try:
        with open_ledger(store) as ledger:
            report = import_licences(ledger, path, builtin=builtin)
    except LedgerError as exc:
        fail(exc)
    typer.echo(report.summary())
    for ident, ids in report.scope.items():
        typer.echo(f"  {ident}: scope {', '.join(ids)}")


@licences_app.command("list")
def licences_list_cmd(
    party: Annotated[str | None, typer.Option("--party", help="A name, an entity id or a party id")] = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = "table",
    store: StoreOpt = None,
) -> None:
    """Licences and legal acts, in date order; --as-of keeps those in force on that date."""
    from sanctions_ledger.jurisdictions.licences import list_licences
    from sanctions_ledger.jurisdictions.status import find_party
    from sanctions_ledger.store.view import parse_date

    try:
        when = parse_date(as_of, "as_of")
        with open_ledger(store, read_only=True) as ledger:
            ids = find_party(ledger, party, when).entity_ids if party else None
            acts = list_licences(ledger, entity_ids=ids, as_of=when)
    except LedgerError as exc:
        fail(exc)
    headers = ["identifier", "kind", "jurisdiction", "from", "until", "extent", "50%", "scope",
               "confirmed"]
    rows = [[a.identifier, a.kind, a.jurisdiction, a.start, a.ended_how() or ("no end date" if a.is_authorisation else ""),
             a.extent, "yes" if a.owned_50 else "", list(a.scope), "yes" if a.confirmed else "no"]
            for a in acts]
    typer.echo(render.render(fmt, headers, rows, [a.to_dict() for a in acts]))
