"""Screening commands: screen, screen-file, compare."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sanctions_ledger.cli import render
from sanctions_ledger.cli.common import AsOfOpt, SourceOpt, StoreOpt, app, fail, open_ledger
from sanctions_ledger.errors import LedgerError
from sanctions_ledger.settings import Settings

if TYPE_CHECKING:  # pragma: no cover - imported in the commands (start-up time)
    from sanctions_ledger.screening.service import ScreeningService

SchemaOpt = Annotated[str, typer.Option("--schema", metavar="SCHEMA", help="Person, Organization, Vessel, Airplane or Any")]


@contextmanager
def _service(store: Path | None, source: list[str] | None = None) -> Iterator[ScreeningService]:
    """The screening service over the store, with the index cache next to it; the store is
    closed again when the command is done (a command run in-process must not leave it open).
    The lists named by ``--source`` are checked as the API checks them (an unknown list is an
    error, never "0 hits")."""
    from sanctions_ledger.screening.screener import Screener
    from sanctions_ledger.screening.service import ScreeningService
    from sanctions_ledger.service import check_filters

    with open_ledger(store, read_only=True) as ledger:
        settings = Settings(store_path=ledger.path) if ledger.path else Settings()
        service = ScreeningService(settings, ledger, Screener(ledger, cache_dir=settings.index_cache_dir))
        check_filters(service.datasets(), source or [], None)
        yield service


@app.command("screen")
def screen_cmd(
    name: str,
    schema: SchemaOpt = "Any",
    birth_date: Annotated[str | None, typer.Option("--birth-date")] = None,
    country: Annotated[str | None, typer.Option("--country")] = None,
    identifier: Annotated[str | None, typer.Option("--id", help="Passport, IMO or registration number")] = None,
    as_of: AsOfOpt = None,
    source: SourceOpt = None,
    threshold: Annotated[float | None, typer.Option(help="Minimum score (default: the matcher's threshold)")] = None,
    limit: Annotated[int, typer.Option(help="Maximum hits")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="Full JSON with features and evidence")] = False,
    store: StoreOpt = None,
) -> None:
    """Screen one name against the lists (as of a date), with explained scores."""
    from sanctions_ledger.match import DEFAULT_THRESHOLD, Query
    from sanctions_ledger.service import attach_authorisations, freshness_dict
    from sanctions_ledger.store import parse_date

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    try:
        with _service(store, source) as service:
            when = parse_date(as_of, "as_of")
            result = service.screen(Query(name, schema, birth_date, country, identifier),
                                    as_of=when, datasets=source, limit=limit, threshold=threshold)
            fresh = freshness_dict(service, when, source)
            attach_authorisations(service, result)
    except LedgerError as exc:
        fail(exc)
    if as_json:
        typer.echo(render.to_json(result.to_dict()))
        return
    rows = [[f"{h.hit.score:.3f}", h.hit.entity_id, h.hit.dataset, h.hit.caption,
             f"{h.hit.matched_name} ({h.hit.name_kind})", h.hit.explanation] for h in result.hits]
    typer.echo(render.table(["score", "entity_id", "list", "caption", "matched name", "why"], rows, max_width=70))
    typer.echo(f"{len(rows)} hits ≥ {threshold} as of {result.as_of or 'latest'}; snapshots {', '.join(result.snapshot_ids)}")
    for note in fresh["notes"]:  # the lists' snapshots past their update interval
        typer.echo(f"stale: {note}")
    for h in result.hits:  # listed, but a licence in force on the date authorises dealings
        for a in h.authorisations:
            typer.echo(f"authorised: {h.hit.entity_id} still listed, authorised by {a['describe']}")


@app.command("screen-file")
def screen_file_cmd(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="CSV (query_id,name,schema,birth_date,country; "
                                                "UTF-8, UTF-16 or Latin-1), JSON lines or Parquet")],
    out: Annotated[Path, typer.Option("--out", metavar="FILE", help="Output: .csv, .jsonl or .parquet")],
    as_of: AsOfOpt = None,
    source: SourceOpt = None,
    limit: Annotated[int, typer.Option(help="Hits per query")] = 10,
    floor: Annotated[float, typer.Option(help="Omit hits scoring below this")] = 0.5,
    engine: Annotated[str, typer.Option(help="local (all cores) or spark (pip install 'sanctions-ledger[spark]'; needs Java)")] = "local",
    workers: Annotated[int | None, typer.Option(help="Local worker processes (default: cores)")] = None,
    store: StoreOpt = None,
) -> None:
    """Screen a file of names: one row per query with its status (hit, no_hit or error), each
    followed by its top hits with explanations."""
    from tqdm import tqdm

    from sanctions_ledger.jurisdictions.licences import licensed_records
    from sanctions_ledger.screening.bulk import screen_file
    from sanctions_ledger.store import parse_date

    try:
        when = parse_date(as_of, "as_of")
        with _service(store, source) as service, tqdm(unit=" queries", disable=not sys.stderr.isatty()) as bar:
            report = screen_file(service, input_path, out, as_of=when, datasets=source, limit=limit,
                                 floor=floor, engine=engine, workers=workers, progress=bar.update,
                                 authorised=licensed_records(service.ledger, when))
    except LedgerError as exc:
        fail(exc)
    typer.echo(report.summary())


@app.command("compare")
def compare_cmd(a: str, b: str, schema: SchemaOpt = "Any",
                as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Score two names against each other and explain the score."""
    from sanctions_ledger.match import compare

    try:
        score, features, explanation = compare(a, b, schema)
    except LedgerError as exc:
        fail(exc)
    if as_json:
        typer.echo(render.to_json({"score": score, "explanation": explanation,
                                   "features": [f.__dict__ for f in features]}))
        return
    typer.echo(f"score {score:.3f}: {explanation}")
    for f in features:
        typer.echo(f"  {f.name:<16} value {f.value:.3f}  weight {f.weight:+.2f}  {f.evidence}")
