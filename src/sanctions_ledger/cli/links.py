"""Cross-list commands: resolve, link, unlink, status, divergence, timeline, events."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sanctions_ledger import render
from sanctions_ledger import resolve as res
from sanctions_ledger.cli.common import AsOfOpt, StoreOpt, app, fail, open_ledger
from sanctions_ledger.errors import LedgerError
from sanctions_ledger.settings import Settings

CountryOpt = Annotated[str | None, typer.Option("--country", help="ISO country code, e.g. by")]
ProgramOpt = Annotated[str | None, typer.Option("--program", help="Program, e.g. BELARUS")]
BetweenOpt = Annotated[str | None, typer.Option("--between", help="Jurisdictions, e.g. us,eu,uk,un")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Why (kept with the judgement)")]
AuthorOpt = Annotated[str | None, typer.Option("--author", help="Who decided")]


@app.command("resolve")
def resolve_cmd(store: StoreOpt = None) -> None:
    """Link the records of one party across all lists (judgements override the machine)."""
    try:
        with open_ledger(store) as ledger:
            report = res.resolve(ledger)
    except LedgerError as exc:
        fail(exc)
    typer.echo(report.summary())


def _print_party(party: res.Party) -> None:
    typer.echo(f"{party.party_id}  {party.caption}  ({len(party.members)} records)")
    for m in party.members:
        typer.echo(f"  {m.entity_id}  [{m.dataset}]  {m.caption}")
    for lk in party.links:
        typer.echo(f"  link {lk.left} ~ {lk.right}: {lk.evidence} {lk.confidence:.2f} ({lk.detail})")


def _judge(verdict: str, left: str, right: str, note: str | None, author: str | None,
           store: Path | None) -> None:
    try:
        with open_ledger(store) as ledger:
            parties = res.judge(ledger, left, right, verdict, note, author)
    except LedgerError as exc:
        fail(exc)
    seen: set[str] = set()
    for party in parties:
        if party.party_id not in seen:
            seen.add(party.party_id)
            _print_party(party)


@app.command("link")
def link_cmd(left: str, right: str, note: NoteOpt = None, author: AuthorOpt = None,
             store: StoreOpt = None) -> None:
    """Judge two records to be the same party (survives re-ingest and re-linking)."""
    _judge("link", left, right, note, author, store)


@app.command("unlink")
def unlink_cmd(left: str, right: str, note: NoteOpt = None, author: AuthorOpt = None,
               store: StoreOpt = None) -> None:
    """Judge two records to be different parties (no chain of links will join them)."""
    _judge("unlink", left, right, note, author, store)


@app.command("status")
def status_cmd(
    query: Annotated[str, typer.Argument(metavar="NAME_OR_ID", help="A name, an entity id or a party id")],
    as_of: AsOfOpt = None,
    between: BetweenOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output")] = False,
    store: StoreOpt = None,
) -> None:
    """Is this party listed in the US, EU, UK and UN on a date? One row per jurisdiction."""
    from sanctions_ledger.screen import Screener
    from sanctions_ledger.status import parse_jurisdictions, status

    try:
        with open_ledger(store, read_only=True) as ledger:
            settings = Settings(store_path=ledger.path) if ledger.path else Settings()
            screener = Screener(ledger, cache_dir=settings.index_cache_dir)
            result = status(ledger, query, as_of, jurisdictions=parse_jurisdictions(between),
                            screener=screener)
    except LedgerError as exc:
        fail(exc)
    if as_json:
        typer.echo(render.to_json(result.to_dict()))
        return
    party = result.party
    when = result.as_of or "latest snapshots"
    typer.echo(f"{party.party_id}  {party.caption}  — status as of {when}")
    if result.matched:
        typer.echo(f"matched: {result.matched}")
    if not party.resolved:
        typer.echo("note: this record has not been linked yet; run `sanctions resolve`")
    headers = ["jurisdiction", "status", "lists", "programs", "designated (source)",
               "first observed", "last observed", "delisting", "authority"]
    rows = [[r.jurisdiction, r.state, r.lists, r.programs, r.designated, r.first_observed,
             r.last_observed, r.delisted, r.authorities] for r in result.rows]
    typer.echo(render.table(headers, rows, max_width=48))
    for r in result.rows:
        if r.note:
            typer.echo(f"{r.jurisdiction}: {r.note}")
    typer.echo("records: " + ", ".join(f"{m.entity_id} [{m.dataset}]" for m in party.members))
    for pid, caption, score in result.other_candidates:
        typer.echo(f"other candidate: {pid} {caption} ({score:.2f})")
