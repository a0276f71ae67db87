"""Alerts: listing with filters, one alert with both sides and its whole decision history,
decisions (append-only), and export to CSV or JSON."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from sanctions_ledger.errors import InputError, LedgerError
from sanctions_ledger.store import Ledger, LedgerView, parse_date
from sanctions_ledger.store import alerts as store_alerts
from sanctions_ledger.store import books as store_books
from sanctions_ledger.store.alerts import AlertRow, Decision
from sanctions_ledger.store.snapshots import find_snapshot

__all__ = ["DECISIONS", "KINDS", "STATES", "AlertDetail", "alert_detail", "authorise_write", "decide", "export",
           "list_alerts"]

KINDS = ("new_hit", "hit_changed", "hit_cleared")
DECISIONS = ("true_match", "false_positive", "escalated")
STATES = ("open", *DECISIONS)
EXPORT_COLUMNS = ("id", "book", "kind", "state", "created_at", "customer_id", "customer_version", "customer_name",
                  "dataset", "entity_id", "caption", "snapshot_id", "matched_name", "score", "previous_score",
                  "reason", "explanation", "trigger")


def list_alerts(ledger: Ledger, *, book: str | None = None, kind: str | None = None,
                state: str | None = None, since: str | None = None, until: str | None = None,
                customer_id: str | None = None, run_id: str | None = None, limit: int = 1000,
                offset: int = 0) -> list[AlertRow]:
    """Alerts, newest first, with the filters checked (an unknown kind or state is an error)."""
    if kind and kind not in KINDS:
        raise InputError(f"unknown alert kind {kind!r}; known: {', '.join(KINDS)}")
    if state and state not in STATES:
        raise InputError(f"unknown alert state {state!r}; known: {', '.join(STATES)}")
    if book:
        store_books.book_info(ledger, book)  # an unknown book is an error, never "no alerts"
    if limit < 1 or limit > 100_000 or offset < 0:
        raise InputError("limit must be 1..100000 and offset 0 or more")
    return store_alerts.alerts(ledger, book=book, kind=kind, state=state, since=parse_date(since, "since"),
                               until=parse_date(until, "until"), customer_id=customer_id, run_id=run_id,
                               limit=limit, offset=offset)


@dataclass
class AlertDetail:
    alert: AlertRow
    customer: dict[str, Any] | None
    """The customer's row of the version the alert was raised on."""
    party: dict[str, Any] | None
    """The party's record in the snapshot the alert was raised on (its properties)."""
    decisions: list[Decision]
    deliveries: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {**self.alert.to_dict(), "customer": self.customer, "party": self.party,
                "decisions": [d.to_dict() for d in self.decisions], "deliveries": self.deliveries}


def alert_detail(ledger: Ledger, alert_id: str) -> AlertDetail:
    found = store_alerts.alert(ledger, alert_id)
    rows = store_books.customer_rows(ledger, found.book, found.customer_id)
    version = next((r for r in rows if r.version == found.customer_version), rows[-1] if rows else None)
    return AlertDetail(found, version.to_dict() if version else None, party_side(ledger, found),
                       store_alerts.decisions(ledger, alert_id), store_alerts.deliveries(ledger, alert_id))


def party_side(ledger: Ledger, found: AlertRow) -> dict[str, Any] | None:
    """The listed party of an alert as the snapshot it was matched in carried it."""
    when = find_snapshot(ledger, found.snapshot_id) if found.snapshot_id else None
    if when is None:
        return None
    view = LedgerView(ledger, when[0], [found.dataset])
    if not any(s.id == found.snapshot_id for s in view.snapshots()):
        return None
    for _ds, entity in view.entities([found.entity_id]):
        if entity.id == found.entity_id:
            return {"id": entity.id, "schema": entity.schema.name, "caption": entity.caption,
                    "snapshot_id": found.snapshot_id, "observed_at": when[0].isoformat(),
                    "properties": {k: sorted(v) for k, v in sorted(entity.properties.items())}}
    return None


def decide(ledger: Ledger, alert_id: str, decision: str, *, author: str, note: str | None = None) -> Decision:
    """Append a decision to an alert's history (the last one is its state)."""
    if decision not in DECISIONS:
        raise InputError(f"unknown decision {decision!r}; known: {', '.join(DECISIONS)}")
    if not author or not author.strip():
        raise InputError("a decision needs an author")
    made = Decision(alert_id, decision, author.strip(), (note or "").strip() or None, datetime.now())
    store_alerts.decide(ledger, made)
    return made


def _row(a: AlertRow) -> dict[str, Any]:
    out = a.to_dict()
    out["trigger"] = orjson.dumps(out["trigger"]).decode()
    return {c: out.get(c) for c in EXPORT_COLUMNS}


def export(alerts: list[AlertRow], fmt: str) -> str:
    """The alerts as CSV (one row each, the trigger as JSON text) or as a JSON array."""
    if fmt == "json":
        return orjson.dumps([a.to_dict() for a in alerts], option=orjson.OPT_INDENT_2).decode() + "\n"
    if fmt != "csv":
        raise InputError(f"unknown export format {fmt!r}: csv or json")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for a in alerts:
        writer.writerow(_row(a))
    return buf.getvalue()


def authorise_write(ledger: Ledger, admin_token: str | None, book: str, token: str | None) -> None:
    """A write on ``book``'s alerts needs the admin token or the book's own token (``sanctions
    book token NAME``; only its SHA-256 is stored); with neither configured, writes are off."""
    book_hash = store_books.book_token_hash(ledger, book)
    if not admin_token and not book_hash:
        raise LedgerError("monitoring writes are disabled: set SANCTIONS_LEDGER_ADMIN_TOKEN or issue a "
                          f"book token (sanctions book token {book})", 404)
    if not token:
        raise LedgerError("writes need 'Authorization: Bearer <admin or book token>'", 401)
    raw = token.encode("latin-1", "replace")
    if admin_token and hmac.compare_digest(raw, admin_token.encode()):
        return
    if book_hash and hmac.compare_digest(hashlib.sha256(raw).hexdigest(), book_hash):
        return
    raise LedgerError(f"invalid token for book {book}", 403)
