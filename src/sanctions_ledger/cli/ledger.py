"""Ledger commands: ingest, formats, sources, show, history, list, diff."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sanctions_ledger.cli import render
from sanctions_ledger.cli.common import (
    AsListOpt,
    AsOfOpt,
    ForceOpt,
    FormatOpt,
    SourceOpt,
    StoreOpt,
    app,
)
from sanctions_ledger.cli.common import fail as _fail
from sanctions_ledger.cli.common import open_ledger as _ledger
from sanctions_ledger.errors import LedgerError

if TYPE_CHECKING:  # pragma: no cover - imported in the commands (start-up time)
    from tqdm import tqdm


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[Path], typer.Argument(help="List files, or folders: a file set's folder (OFAC CSV) "
                                                "is one snapshot, any other folder is walked for list files")],
    source: Annotated[str | None, typer.Option("--source", metavar="FORMAT", help="Force the format (see `sanctions formats`)")] = None,
    observed_at: Annotated[str | None, typer.Option("--observed-at", metavar="DATE", help="Date the file was fetched (YYYY-MM-DD)")] = None,
    force: ForceOpt = False,
    as_list: AsListOpt = None,
    store: StoreOpt = None,
) -> None:
    """Parse official list files and append them to the ledger (atomic, idempotent, any order).

    A folder is walked as `serve --from` walks it: every list file found is ingested, and every
    file left out is listed with the reason.
    """
    from tqdm import tqdm

    from sanctions_ledger.loading import ingest_path

    try:
        with _ledger(store) as ledger:
            for path in paths:
                with tqdm(desc=path.name, unit=" records", disable=not sys.stderr.isatty(),
                          leave=False) as bar:
                    ingest_path(ledger, path, kind=source, observed_at=observed_at,
                                progress=_progress(bar), report=typer.echo, force=force,
                                allow_lists=as_list or ())
    except LedgerError as exc:
        _fail(exc)


def _progress(bar: tqdm) -> Callable[[int], None]:
    def update(n: int) -> None:
        bar.update(n - bar.n)

    return update


@app.command("formats")
def formats_cmd() -> None:
    """The source formats this build can parse."""
    from sanctions_ledger.sources import parsers

    rows = [(p.kind, p.version, p.description) for p in parsers().values()]
    typer.echo(render.table(["kind", "version", "description"], sorted(rows), max_width=90))


@app.command("sources")
def sources_cmd(store: StoreOpt = None, fmt: FormatOpt = "table") -> None:
    """Snapshots per list, with dates and counts."""
    from sanctions_ledger import queries

    try:
        with _ledger(store, read_only=True) as ledger:
            data = queries.sources(ledger)
    except LedgerError as exc:
        _fail(exc)
        return
    headers = ["dataset", "observed_at", "published_at", "parties", "statements", "kind", "snapshot_id"]
    rows = [[d[h] if h != "snapshot_id" else d["snapshot_id"] for h in headers] for d in data]
    typer.echo(render.render(fmt, headers, rows, data))


@app.command("show")
def show_cmd(entity_id: str, as_of: AsOfOpt = None, source: SourceOpt = None,
             store: StoreOpt = None, fmt: FormatOpt = "table") -> None:
    """One party as the lists described it on a date, with its sanctions."""
    from sanctions_ledger import queries

    try:
        with _ledger(store, read_only=True) as ledger:
            listings = queries.show(ledger, entity_id, as_of, source)
    except LedgerError as exc:
        _fail(exc)
        return
    if fmt == "json":
        typer.echo(render.to_json([lst.to_dict() for lst in listings]))
        return
    for lst in listings:
        ent = lst.entity
        typer.echo(f"{ent.id}  [{ent.schema.name}]  {ent.caption}")
        typer.echo(f"  list {lst.dataset} ({queries.jurisdiction(lst.dataset)}), snapshot {lst.snapshot_id} observed {lst.observed_at}")
        for prop, values in sorted(ent.properties.items()):
            typer.echo(f"  {prop}: {'; '.join(values)}")
        for sanc in lst.sanctions:
            parts = [f"{p}={'; '.join(sanc.get(p))}" for p in ("authority", "program", "listingDate", "startDate", "endDate") if sanc.get(p)]
            typer.echo(f"  sanction {sanc.id}: " + ", ".join(parts))


@app.command("history")
def history_cmd(entity_id: str, store: StoreOpt = None, fmt: FormatOpt = "table") -> None:
    """Dated events of one party: listed, amended (field old -> new), delisted."""
    from sanctions_ledger import history as hist

    try:
        with _ledger(store, read_only=True) as ledger:
            events = hist.history(ledger, entity_id)
    except LedgerError as exc:
        _fail(exc)
        return
    headers = ["observed", "event", "dataset", "source dates", "details"]
    rows = [[e.when(), e.kind, e.dataset,
             [f"{k} {', '.join(v)}" for k, v in sorted(e.source_dates.items())],
             [c.describe() for c in e.changes] or e.note] for e in events]
    typer.echo(render.render(fmt, headers, rows, [e.to_dict() for e in events]))


@app.command("list")
def list_cmd(as_of: AsOfOpt = None, source: SourceOpt = None,
             program: Annotated[str | None, typer.Option(help="Program, e.g. BELARUS")] = None,
             country: Annotated[str | None, typer.Option(help="ISO country code, e.g. by")] = None,
             store: StoreOpt = None, fmt: FormatOpt = "table") -> None:
    """Parties on the lists as of a date."""
    from sanctions_ledger import queries
    from sanctions_ledger.service import check_filters, known_lists

    try:
        with _ledger(store, read_only=True) as ledger:
            check_filters(known_lists(ledger), source or [], country)
            parties = queries.list_parties(ledger, as_of, datasets=source, program=program, country=country)
    except LedgerError as exc:
        _fail(exc)
        return
    headers = ["dataset", "entity_id", "schema", "name", "program", "country"]
    rows = [[d, e.id, e.schema.name, e.caption, sorted(e.get("program")), sorted(e.get_type_values(_country_type()))]
            for d, e in parties]
    data = [{"dataset": d, **e.to_dict()} for d, e in parties]
    out = render.render(fmt, headers, rows, data)
    typer.echo(out)
    if fmt == "table":
        typer.echo(f"{len(rows)} parties")


def _country_type():  # type: ignore[no-untyped-def]
    from followthemoney.types import registry

    return registry.country


@app.command("diff")
def diff_cmd(from_date: Annotated[str, typer.Option("--from", metavar="DATE", help="Start date YYYY-MM-DD")],
             to_date: Annotated[str | None, typer.Option("--to", metavar="DATE", help="End date (default: latest)")] = None,
             source: SourceOpt = None,
             program: Annotated[str | None, typer.Option(help="Program, e.g. BELARUS")] = None,
             country: Annotated[str | None, typer.Option(help="ISO country code")] = None,
             store: StoreOpt = None, fmt: FormatOpt = "table") -> None:
    """Parties added, removed and amended between two dates, per list."""
    from sanctions_ledger import history as hist
    from sanctions_ledger.service import check_filters, known_lists

    try:
        with _ledger(store, read_only=True) as ledger:
            check_filters(known_lists(ledger), source or [], country)
            result = hist.diff(ledger, from_date, to_date, datasets=source, program=program, country=country)
    except LedgerError as exc:
        _fail(exc)
        return
    headers = ["dataset", "change", "entity_id", "schema", "name", "fields"]
    rows = [[e.dataset, e.change, e.entity_id, e.schema, e.caption, sorted({c.prop for c in e.changes})]
            for e in result.entries]
    typer.echo(render.render(fmt, headers, rows, result.to_dict()))
    if fmt == "table":
        for ds, counts in sorted(result.counts().items()):
            a, b = result.snapshots[ds]
            typer.echo(f"{ds}: +{counts['added']} -{counts['removed']} ~{counts['amended']} ({a} → {b})")
        for note in result.notes:
            typer.echo(f"note: {note}")
