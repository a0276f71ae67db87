"""`sanctions update`: fetch the official lists and ingest them."""

from __future__ import annotations

from typing import Annotated

import typer

from sanctions_ledger.cli import render
from sanctions_ledger.cli.common import ForceOpt, StoreOpt, app, fail, open_ledger
from sanctions_ledger.errors import LedgerError
from sanctions_ledger.settings import Settings


@app.command("update")
def update_cmd(
    source: Annotated[list[str] | None, typer.Option("--source", "-s", metavar="SOURCE", help="An official source, e.g. un or ofac-sdn (see --list); repeatable")] = None,
    mirror: Annotated[str | None, typer.Option("--mirror", metavar="URL", help="Base URL replacing the official hosts ({mirror}/{source}/{file})")] = None,
    token: Annotated[str | None, typer.Option("--token", help="Token for sources that need one (EU FSF)")] = None,
    checksums: Annotated[str | None, typer.Option("--checksums", metavar="URL|FILE", help="The publisher's SHA-256 values of the files (SHA256SUMS lines or a page of hash values, e.g. OFAC's 'Hash Values for List Content Assurance'): every file must match")] = None,
    list_sources: Annotated[bool, typer.Option("--list", help="Show the official URLs and exit")] = False,
    force: ForceOpt = False,
    store: StoreOpt = None,
) -> None:
    """Fetch the official lists (timeouts, retries, size cap, sha256 recorded), then ingest them."""
    from sanctions_ledger.loading import DEFAULT_SOURCES, update
    from sanctions_ledger.monitoring.runs import after_update
    from sanctions_ledger.service import licence_authoriser
    from sanctions_ledger.sources.download import OFFICIAL_SOURCES

    if list_sources:
        rows = [(s.name, s.parser, "yes" if s.name in DEFAULT_SOURCES else "", "\n".join(f.url for f in s.files))
                for s in OFFICIAL_SOURCES.values()]
        typer.echo(render.table(["source", "format", "default", "url"], rows, max_width=110))
        return
    try:
        with open_ledger(store) as ledger:
            settings = Settings(store_path=ledger.path) if ledger.path else Settings()
            results = update(ledger, source, mirror=mirror, settings=settings, token=token, force=force,
                             checksums=checksums)
            for result in results:
                typer.echo(result.summary())
            # New lists: every book is monitored against them (see docs/monitoring.md).
            after_update(ledger, any(not r.report.skipped for r in results), report=typer.echo,
                         authoriser=licence_authoriser)
    except LedgerError as exc:
        fail(exc)
