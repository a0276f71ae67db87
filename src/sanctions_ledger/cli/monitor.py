"""`sanctions monitor`, `sanctions alerts list|show|decide|export|redeliver` and
`sanctions webhook add|list|remove`: books screened as the lists change."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sanctions_ledger.cli import render
from sanctions_ledger.cli.common import FormatOpt, StoreOpt, app, fail, open_ledger
from sanctions_ledger.errors import InputError, LedgerError


@app.command("monitor")
def monitor_cmd(
    book: Annotated[list[str] | None, typer.Option("--book", "-b", metavar="NAME", help="Book to run (default: every book); repeatable")] = None,
    full: Annotated[bool, typer.Option("--full", help="Re-screen the whole book instead of what changed")] = False,
    quick: Annotated[bool, typer.Option("--quick", help="After a list change, re-screen only the customers the "
                                        "changed list names find in the book index and those holding a pair: "
                                        "faster, NOT exact (see docs/monitoring.md)")] = False,
    engine: Annotated[str, typer.Option(help="Full re-screens: local (worker processes) or spark")] = "local",
    workers: Annotated[int | None, typer.Option(help="Local engine: worker processes (default: all cores)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The runs and their alerts as JSON")] = False,
    store: StoreOpt = None,
) -> None:
    """Screen books against the latest lists: alerts (new_hit, hit_changed, hit_cleared) from
    what changed since each book's last run; the first run of a book is a full one."""
    from sanctions_ledger.monitoring import monitor_all
    from sanctions_ledger.monitoring.runs import service_over
    from sanctions_ledger.service import licence_authoriser

    if full and quick:
        fail(InputError("--full and --quick exclude each other"))
    try:
        with open_ledger(store) as ledger:
            results = monitor_all(ledger, service_over(ledger), book,
                                  mode="full" if full else "quick" if quick else "auto",
                                  engine=engine, workers=workers, authoriser=licence_authoriser)
    except LedgerError as exc:
        fail(exc)
    if as_json:
        typer.echo(render.to_json([r.to_dict() for r in results]))
        return
    if not results:
        typer.echo("no book to monitor: import one with sanctions book import FILE --book NAME")
    for r in results:
        typer.echo(r.summary())
        for a in r.alerts:
            typer.echo(f"  {a.kind:<11}  {a.id}  {a.customer_id} {a.customer_name!r} ~ {a.entity_id} "
                       f"{a.matched_name!r} {a.score:.3f}: {a.reason}")


alerts_app = typer.Typer(help="Alerts of monitoring runs: list, show, decide, export.", no_args_is_help=True)
app.add_typer(alerts_app, name="alerts")

KindOpt = Annotated[str | None, typer.Option("--kind", help="new_hit, hit_changed or hit_cleared")]
StateOpt = Annotated[str | None, typer.Option("--state", help="open, true_match, false_positive or escalated")]
SinceOpt = Annotated[str | None, typer.Option("--since", metavar="DATE", help="Raised on or after (YYYY-MM-DD)")]
UntilOpt = Annotated[str | None, typer.Option("--until", metavar="DATE", help="Raised on or before (YYYY-MM-DD)")]
BookFilter = Annotated[str | None, typer.Option("--book", "-b", metavar="NAME", help="Only this book's alerts")]


@alerts_app.command("list")
def alerts_list_cmd(book: BookFilter = None, kind: KindOpt = None, state: StateOpt = None,
                    since: SinceOpt = None, until: UntilOpt = None,
                    customer: Annotated[str | None, typer.Option("--customer", help="One customer_id")] = None,
                    limit: Annotated[int, typer.Option(help="At most this many")] = 100,
                    fmt: FormatOpt = "table", store: StoreOpt = None) -> None:
    """Alerts, newest first, with their state (open, or the last decision)."""
    from sanctions_ledger.monitoring import list_alerts

    try:
        with open_ledger(store, read_only=True) as ledger:
            found = list_alerts(ledger, book=book, kind=kind, state=state, since=since, until=until,
                                customer_id=customer, limit=limit)
    except LedgerError as exc:
        fail(exc)
    headers = ["id", "book", "kind", "state", "customer", "entity_id", "matched_name", "score", "reason"]
    rows = [[a.id, a.book, a.kind, a.state, f"{a.customer_id} {a.customer_name}", a.entity_id, a.matched_name,
             f"{a.score:.3f}", a.reason] for a in found]
    typer.echo(render.render(fmt, headers, rows, [a.to_dict() for a in found]))


@alerts_app.command("show")
def alerts_show_cmd(alert_id: Annotated[str, typer.Argument(help="Alert id (al-...)")],
                    as_json: Annotated[bool, typer.Option("--json")] = False, store: StoreOpt = None) -> None:
    """One alert: the customer, the party, the match, the list change that triggered it and
    every decision made on it."""
    from sanctions_ledger.monitoring import alert_detail

    try:
        with open_ledger(store, read_only=True) as ledger:
            detail = alert_detail(ledger, alert_id)
    except LedgerError as exc:
        fail(exc)
    if as_json:
        typer.echo(render.to_json(detail.to_dict()))
        return
    a = detail.alert
    c = detail.customer or {}
    trig = a.to_dict()["trigger"]
    lines = [f"{a.id}  {a.kind}  [{a.state}]  book {a.book}, run {a.run_id}, raised {a.created_at:%Y-%m-%d %H:%M:%S}",
             f"customer: {a.customer_id} (version {a.customer_version}) {a.customer_name}; "
             f"schema {c.get('schema', '')}, birth_date {c.get('birth_date') or '-'}, "
             f"country {c.get('country') or '-'}, identifier {c.get('identifier') or '-'}",
             f"party:    {a.entity_id} [{a.dataset}] {a.caption}; snapshot {a.snapshot_id}, record {a.party_hash}",
             f"match:    {a.matched_name!r} score {a.score:.3f}"
             + (f" (was {a.previous_score:.3f})" if a.previous_score is not None else "") + f": {a.reason}",
             f"why:      {a.explanation}",
             f"trigger:  {render.to_json(trig) if trig.get('type') != 'list' else _list_trigger(trig)}"]
    for d in detail.decisions:
        lines.append(f"decision: {d.decision} by {d.author} at {d.decided_at:%Y-%m-%d %H:%M:%S}"
                     + (f": {d.note}" if d.note else ""))
    for dv in detail.deliveries:
        lines.append(f"webhook:  {dv['url']} {dv['status']} after {dv['attempts']} attempt(s)"
                     + (f" ({dv['last_error']})" if dv["last_error"] else ""))
    typer.echo("\n".join(lines))


def _list_trigger(t: dict[str, object]) -> str:
    fields = t.get("fields") or []
    assert isinstance(fields, list)
    changed = "; ".join(f"{f['prop']}: {'; '.join(f['old']) or '∅'} → {'; '.join(f['new']) or '∅'}" for f in fields)
    return (f"{t['dataset']} {t['change']} ({t['from_snapshot'] or 'list new to the book'} → "
            f"{t['to_snapshot'] or 'list gone'})"
            + (f": {changed}" if changed else ""))


@alerts_app.command("decide")
def alerts_decide_cmd(
    alert_id: Annotated[str, typer.Argument(help="Alert id (al-...)")],
    decision: Annotated[str, typer.Argument(help="true_match, false_positive or escalated")],
    author: Annotated[str, typer.Option("--author", help="Who decides")],
    note: Annotated[str | None, typer.Option("--note", help="Why")] = None,
    store: StoreOpt = None,
) -> None:
    """Record a decision on an alert (decisions are appended, never changed)."""
    from sanctions_ledger.monitoring import decide

    try:
        with open_ledger(store) as ledger:
            made = decide(ledger, alert_id, decision, author=author, note=note)
    except LedgerError as exc:
        fail(exc)
    typer.echo(f"{made.alert_id}: {made.decision} by {made.author} at {made.decided_at:%Y-%m-%d %H:%M:%S}")


@alerts_app.command("export")
def alerts_export_cmd(book: BookFilter = None, kind: KindOpt = None, state: StateOpt = None,
                      since: SinceOpt = None, until: UntilOpt = None,
                      fmt: Annotated[str, typer.Option("--format", "-f", help="csv or json")] = "csv",
                      out: Annotated[Path | None, typer.Option("--out", help="File to write (default: stdout)")] = None,
                      store: StoreOpt = None) -> None:
    """Every alert matching the filters, as CSV or JSON (for an auditor)."""
    from sanctions_ledger.monitoring import export, list_alerts

    try:
        with open_ledger(store, read_only=True) as ledger:
            text = export(list_alerts(ledger, book=book, kind=kind, state=state, since=since, until=until,
                                      limit=100_000), fmt)
    except LedgerError as exc:
        fail(exc)
    if out is None:
        typer.echo(text, nl=False)
        return
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    typer.echo(f"wrote {out}")


@alerts_app.command("redeliver")
def alerts_redeliver_cmd(store: StoreOpt = None) -> None:
    """Send the webhook deliveries that failed again."""
    from sanctions_ledger.monitoring import redeliver

    try:
        with open_ledger(store) as ledger:
            done = redeliver(ledger)
    except LedgerError as exc:
        fail(exc)
    ok = sum(d.ok for d in done)
    typer.echo(f"{ok} of {len(done)} failed deliveries delivered")


webhook_app = typer.Typer(help="Webhooks: URLs that receive every alert, signed (HMAC-SHA256).",
                          no_args_is_help=True)
app.add_typer(webhook_app, name="webhook")


@webhook_app.command("add")
def webhook_add_cmd(url: Annotated[str, typer.Argument(help="http(s) URL to POST alerts to")],
                    secret: Annotated[str, typer.Option("--secret", help="Signing secret (16+ characters)")],
                    book: BookFilter = None, store: StoreOpt = None) -> None:
    """POST the alerts (of one book, or all) to URL, signed with SECRET."""
    from sanctions_ledger.monitoring import add_webhook

    try:
        with open_ledger(store) as ledger:
            add_webhook(ledger, url, secret, book)
    except LedgerError as exc:
        fail(exc)
    typer.echo(f"webhook {url} added" + (f" for book {book}" if book else " for every book"))


@webhook_app.command("list")
def webhook_list_cmd(store: StoreOpt = None) -> None:
    """The configured webhooks (secrets not shown)."""
    from sanctions_ledger.store.alerts import webhooks

    try:
        with open_ledger(store, read_only=True) as ledger:
            found = webhooks(ledger)
    except LedgerError as exc:
        fail(exc)
    typer.echo(render.table(["url", "book"], [[u, b or "(every book)"] for u, _s, b in found]))


@webhook_app.command("remove")
def webhook_remove_cmd(url: Annotated[str, typer.Argument(help="The URL to remove")], store: StoreOpt = None) -> None:
    """Stop sending alerts to URL."""
    from sanctions_ledger.store.alerts import remove_webhook

    try:
        with open_ledger(store) as ledger:
            found = remove_webhook(ledger, url)
    except LedgerError as exc:
        fail(exc)
    typer.echo(f"webhook {url} removed" if found else f"no webhook {url}")
