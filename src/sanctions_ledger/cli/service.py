"""``sanctions serve``: the HTTP API and web UI over a ledger."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sanctions_ledger.cli.common import AsListOpt, StoreOpt, app, fail
from sanctions_ledger.errors import LedgerError
from sanctions_ledger.settings import READ_ONLY_ENV, STORE_ENV, THREADS_ENV, Settings

if TYPE_CHECKING:  # pragma: no cover - imported in the command (start-up time)
    from sanctions_ledger.store import Ledger

APP_FACTORY = "sanctions_ledger.server:serve_app"
"""The served app, by name: uvicorn imports it (``sanctions_ledger.server``), the CLI does not."""
HTTP_PROTOCOL = "sanctions_ledger.server:GuardedHttpToolsProtocol"
"""uvicorn's httptools protocol with a deadline and a size cap on request heads (slowloris)."""
KEEP_ALIVE_S = 5
"""An idle keep-alive connection is closed after this many seconds."""
MAX_CONNECTIONS = 2048
"""Past this many open connections (or running requests), uvicorn answers 503 itself: the last
guard; the app sheds load far earlier (``Settings.max_in_flight``)."""


@app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    store: StoreOpt = None,
    update: Annotated[bool, typer.Option("--update", help="Download the official lists and ingest them first")] = False,
    mirror: Annotated[str | None, typer.Option(metavar="URL", help="Base URL to download the lists from (with --update)")] = None,
    from_dir: Annotated[Path | None, typer.Option("--from", metavar="DIR", help="Ingest every list file/folder found under DIR first")] = None,
    as_list: AsListOpt = None,
    access_log: Annotated[bool, typer.Option("--access-log/--no-access-log", help="Log every request")] = False,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes; above 1 the store is read-only to them (no admin ingest)")] = 1,
    link: Annotated[bool, typer.Option("--link/--no-link", help="After --from/--update, link records "
                                       "across lists (sanctions resolve) if any are not linked yet")] = True,
    builtin: Annotated[list[str] | None, typer.Option(
        "--builtin", metavar="NAME", help="After loading, import a shipped set of events and licences "
        "(belarus); idempotent, as `events import --builtin` and `licences import --builtin`")] = None,
) -> None:
    """Serve the yente-compatible API (/match, /search, /entities …) and the web UI.

    Starts on an empty ledger too: the pages then say how to load lists. After --from or
    --update the records are linked across lists (as `sanctions resolve` does) so the status,
    divergence and timeline views show one party per real-world party.
    """
    import uvicorn

    from sanctions_ledger.loading import ingest_folder, link_parties
    from sanctions_ledger.loading import update as download_update
    from sanctions_ledger.monitoring.runs import after_update
    from sanctions_ledger.service import licence_authoriser
    from sanctions_ledger.store import Ledger

    settings = Settings()
    if store is not None:
        settings = dataclasses.replace(settings, store_path=store)
    try:
        ledger = Ledger.open(settings.store_path)
        if from_dir is not None:
            reports = ingest_folder(ledger, from_dir, report=typer.echo, allow_lists=as_list or ())
            typer.echo(f"{len(reports)} list snapshot(s) found under {from_dir}")
        if update:
            try:
                results = download_update(ledger, settings=settings, mirror=mirror, keep_going=True,
                                          report=typer.echo)
                for result in results:
                    typer.echo(result.summary())
                after_update(ledger, any(not r.report.skipped for r in results), report=typer.echo,
                             authoriser=licence_authoriser)
            except LedgerError as exc:
                typer.echo(f"error: --update failed: {exc.detail}; serving what the ledger holds", err=True)
        if link and (from_dir is not None or update):
            link_parties(ledger, report=typer.echo)
        for name in builtin or ():
            _import_builtin(ledger, name)
    except LedgerError as exc:
        fail(exc)
    typer.echo(f"serving {settings.store_path} on http://{host}:{port}/ (API docs at /docs)")
    os.environ[STORE_ENV] = str(settings.store_path)
    if workers > 1:
        _serve_workers(ledger, settings, host, port, workers, access_log)
        return
    # The app (sanctions_ledger.server) opens the store itself: the CLI imports neither the API
    # nor the web UI, and hands the store over closed.
    ledger.close()
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, access_log=access_log,
                log_level="info", server_header=False, http=HTTP_PROTOCOL,
                timeout_keep_alive=KEEP_ALIVE_S, limit_concurrency=MAX_CONNECTIONS)


def _import_builtin(ledger: Ledger, name: str) -> None:
    """A shipped set of events and licences, imported after the lists (a licence names records
    that must be on them). A set that cannot be imported is reported, and the server starts."""
    from sanctions_ledger.jurisdictions.events import import_events
    from sanctions_ledger.jurisdictions.licences import import_licences

    for what, load in (("events", import_events), ("licences", import_licences)):
        try:
            report = load(ledger, builtin=name)
        except LedgerError as exc:
            typer.echo(f"warning: built-in {name} {what} not imported: {exc.detail}", err=True)
            continue
        typer.echo(f"built-in {name} {what}: {report.summary()}")


def _serve_workers(ledger: Ledger, settings: Settings, host: str, port: int, workers: int,
                   access_log: bool) -> None:
    """Several uvicorn processes on one socket, each reading the store read-only."""
    from sanctions_ledger.screening.screener import Screener
    from sanctions_ledger.screening.service import ScreeningService

    if settings.admin_token:
        typer.echo("note: admin ingest/update are disabled with --workers > 1 (read-only store)", err=True)
    if ledger.has_snapshots():
        # Build the index and the party records once and leave them in the disk cache for the
        # workers to load (the exec below drops them from this process).
        screener = Screener(ledger, settings.index_cache_dir)
        screener.index_file(None)
        ScreeningService(settings, ledger, screener).preload_records(None)
    ledger.close()
    os.environ[READ_ONLY_ENV] = "1"
    # The workers already split the cores between them: one DuckDB thread each keeps
    # DuckDB's per-thread memory from being multiplied by workers x cores.
    os.environ[THREADS_ENV] = "1"
    # glibc gives each thread that allocates its own malloc arena, which stays resident:
    # two per process are enough for a worker's event loop and its thread pool.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    # Become a bare uvicorn supervisor: this process has imported the whole CLI and opened
    # the store; the supervisor only forks and watches the workers, so start it afresh.
    argv = [sys.executable, "-m", "uvicorn", APP_FACTORY, "--factory",
            "--workers", str(workers), "--host", host, "--port", str(port), "--log-level", "info",
            "--no-server-header", "--access-log" if access_log else "--no-access-log",
            "--http", HTTP_PROTOCOL, "--timeout-keep-alive", str(KEEP_ALIVE_S),
            "--limit-concurrency", str(MAX_CONNECTIONS)]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)
