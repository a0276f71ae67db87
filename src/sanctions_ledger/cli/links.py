"""Cross-list commands: resolve, link, unlink, status, divergence, timeline, events."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sanctions_ledger.cli import render
from sanctions_ledger.cli.common import AsOfOpt, FormatOpt, StoreOpt, app, fail, open_ledger
from sanctions_ledger.errors import LedgerError
from sanctions_ledger.settings import Settings

if TYPE_CHECKING:  # pragma: no cover - imported in the commands (start-up time)
    from sanctions_ledger import resolve as res

CountryOpt = Annotated[str | None, typer.Option("--country", help="ISO country code, e.g. by")]
ProgramOpt = Annotated[str | None, typer.Option("--program", help="Program, e.g. BELARUS")]
BetweenOpt = Annotated[str | None, typer.Option("--between", help="Jurisdictions, e.g. us,eu,uk,un")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Why (kept with the judgement)")]
AuthorOpt = Annotated[str | None, typer.Option("--author", help="Who decided")]


@app.command("resolve")
def resolve_cmd(store: StoreOpt = None) -> None:
    """Link the records of one party across all lists (judgements override the machine)."""
    from sanctions_ledger import resolve as res

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
    from sanctions_ledger import resolve as res

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
    from sanctions_ledger.jurisdictions.status import parse_jurisdictions, status
    from sanctions_ledger.screening.screener import Screener

    try:
        with open_ledger(store, read_only=True) as ledger:
            settings = Settings(store_path=ledger.path) if ledger.path else Settings()
            screener = Screener(ledger, cache_dir=settings.index_cache_dir)
            result = status(ledger, query, as_of, jurisdictions=parse_jurisdictions(between),
                            screener=screener, stale_after=settings.stale_after_days)
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
    headers = ["jurisdiction", "status", "lists", "programs", "since", "snapshot (age)",
               "delisting", "authority"]
    rows = [[r.jurisdiction, r.state, r.lists, r.programs, r.since.split(" (")[0],
             r.snapshot_text(), r.delisted, r.authorities] for r in result.rows]
    typer.echo(render.table(headers, rows, max_width=48))
    for r in result.rows:
        if r.since:
            typer.echo(f"{r.jurisdiction} since: {r.since}")
    for r in result.rows:
        if r.authorisations or r.delisted_by or r.partial:
            typer.echo(f"{r.jurisdiction} answer: {r.answer}")
    for r in result.rows:
        if r.note:
            typer.echo(f"{r.jurisdiction}: {r.note}")
    typer.echo("records: " + ", ".join(f"{m.entity_id} [{m.dataset}]" for m in party.members))
    for pid, caption, score in result.other_candidates:
        typer.echo(f"other candidate: {pid} {caption} ({score:.2f})")


@app.command("divergence")
def divergence_cmd(as_of: AsOfOpt = None, country: CountryOpt = None, program: ProgramOpt = None,
                   between: BetweenOpt = None, fmt: FormatOpt = "table",
                   store: StoreOpt = None) -> None:
    """Parties listed by some jurisdictions and not others on a date, with since-when."""
    from sanctions_ledger.jurisdictions.divergence import divergence, table_rows

    try:
        with open_ledger(store, read_only=True) as ledger:
            settings = Settings(store_path=ledger.path) if ledger.path else Settings()
            result = divergence(ledger, as_of, country=country, program=program, between=between,
                                stale_after=settings.stale_after_days)
    except LedgerError as exc:
        fail(exc)
    headers, rows = table_rows(result)
    if fmt == "table":
        typer.echo(render.table(headers, rows, max_width=56))
        counts = ", ".join(f"{k} only {v}" for k, v in result.counts().items())
        typer.echo(f"{len(rows)} of {result.in_scope} parties diverge as of "
                   f"{result.as_of or 'latest'} ({counts})")
        for c, fresh in result.freshness.items():
            typer.echo(f"{c}: {', '.join(f.describe() for f in fresh)}")
        for note in result.notes:
            typer.echo(f"note: {note}")
        return
    typer.echo(render.render(fmt, headers, rows, result.to_dict()))


@app.command("timeline")
def timeline_cmd(out: Annotated[Path, typer.Option("--out", help="FILE.svg, FILE.html or FILE.png")],
                 country: CountryOpt = None, program: ProgramOpt = None,
                 between: BetweenOpt = None, store: StoreOpt = None) -> None:
    """Chart of parties listed per jurisdiction over time, annotated with events."""
    from sanctions_ledger.jurisdictions import timeline

    try:
        with open_ledger(store, read_only=True) as ledger:
            data = timeline.write(ledger, out, country=country, program=program, between=between)
    except LedgerError as exc:
        fail(exc)
    for s in data.series:
        last = f"{s.observed[-1][1]} on {s.observed[-1][0]}" if s.observed else "no snapshot"
        total = s.designated[-1][1] if s.designated else 0
        typer.echo(f"{s.jurisdiction}: designated (source dates) {total}, undated {s.undated}, "
                   f"observed {last}, lines end at the last snapshot {s.last_snapshot}")
    typer.echo(f"wrote {out} ({data.parties} parties, {len(data.events)} events)")


events_app = typer.Typer(help="Dated real-world events that annotate timelines.",
                         no_args_is_help=True)
app.add_typer(events_app, name="events")


@events_app.command("import")
def events_import_cmd(
    path: Annotated[Path | None, typer.Argument(help="CSV: date,title,url,tags,related")] = None,
    builtin: Annotated[str | None, typer.Option("--builtin", help="A shipped event set: belarus")] = None,
    store: StoreOpt = None,
) -> None:
    """Import events from a CSV file (validated whole first; a bad file imports nothing)."""
    from sanctions_ledger.jurisdictions.events import import_events

    try:
        with open_ledger(store) as ledger:
            report = import_events(ledger, path, builtin=builtin)
    except LedgerError as exc:
        fail(exc)
    typer.echo(report.summary())


@events_app.command("list")
def events_list_cmd(tag: Annotated[list[str] | None, typer.Option("--tag", help="Keep events with this tag")] = None,
                    fmt: FormatOpt = "table", store: StoreOpt = None) -> None:
    """The imported events, in date order."""
    from sanctions_ledger.jurisdictions.events import list_events

    try:
        with open_ledger(store, read_only=True) as ledger:
            events = list_events(ledger, tags=tag)
    except LedgerError as exc:
        fail(exc)
    headers = ["date", "title", "url", "tags", "related"]
    rows = [[e.date, e.title, e.url, list(e.tags), list(e.related)] for e in events]
    typer.echo(render.render(fmt, headers, rows, [e.to_dict() for e in events]))
