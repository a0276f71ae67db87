"""The ``events`` table: dated real-world events shown beside timelines (see
``sanctions_ledger.jurisdictions.events`` for their file format and checks)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sanctions_ledger.store.ledger import Ledger

__all__ = ["EventRow", "add_events", "event_rows", "remove_events"]

EventRow = tuple[str, date, str, str | None, list[str], list[str]]
"""(id, date, title, url, tags, related)."""


def add_events(ledger: Ledger, rows: Sequence[EventRow]) -> list[str]:
    """Insert the events whose id the table does not hold yet, in one transaction; returns
    the ids added, in the given order."""
    with ledger.transaction() as cur:
        have = {r[0] for r in cur.execute("SELECT id FROM events").fetchall()}
        new = [row for row in rows if row[0] not in have]
        for row in new:
            cur.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)", list(row))
    return [row[0] for row in new]


def event_rows(ledger: Ledger) -> list[EventRow]:
    """Every event, by date and title."""
    return [(eid, day, title, url, list(tags or ()), list(related or ()))
            for eid, day, title, url, tags, related in ledger.query(
                "SELECT id, date, title, url, tags, related FROM events ORDER BY date, title")]


def remove_events(ledger: Ledger, ids: Sequence[str]) -> list[str]:
    """Delete the events with these ids (a built-in set withdrawing a wrong event), in one
    transaction; returns the ids that were there."""
    if not ids:
        return []
    with ledger.transaction() as cur:
        have = [r[0] for r in cur.execute("SELECT id FROM events WHERE list_contains(?, id)",
                                          [list(ids)]).fetchall()]
        if have:
            cur.execute("DELETE FROM events WHERE list_contains(?, id)", [have])
    return have
