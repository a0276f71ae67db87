"""Monitoring's tables: runs, the hits each book stands at, alerts, their decisions
(append-only) and webhook deliveries."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any

import duckdb

from sanctions_ledger.errors import NotFoundError
from sanctions_ledger.store.ledger import Ledger

__all__ = ["AlertRow", "Decision", "HitRow", "RunRow", "alert", "alerts", "decide", "decisions",
           "last_run", "save_run", "stored_hits"]


@dataclass(frozen=True)
class HitRow:
    """One (customer, party) pair a book stands at after a run (score at or above the floor)."""

    customer_id: str
    dataset: str
    entity_id: str
    customer_version: int
    customer_hash: str
    party_hash: str
    snapshot_id: str
    score: float
    matched_name: str
    name_kind: str
    caption: str
    explanation: str
    authorisation: str = ""
    """The authorisations (licences) in force for the party when it was screened, if any:
    such a pair is no hit."""

    @property
    def pair(self) -> tuple[str, str, str]:
        return (self.customer_id, self.dataset, self.entity_id)


@dataclass
class AlertRow:
    id: str
    book: str
    run_id: str
    kind: str
    created_at: datetime
    customer_id: str
    customer_version: int
    customer_hash: str
    customer_name: str
    dataset: str
    entity_id: str
    caption: str
    snapshot_id: str
    party_hash: str
    matched_name: str
    score: float
    previous_score: float | None
    explanation: str
    reason: str
    trigger: str
    """JSON: the list change (dataset, snapshots, diff entry) or book change that caused it."""
    state: str = "open"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["created_at"] = self.created_at.isoformat()
        out["trigger"] = json.loads(self.trigger)
        return out


@dataclass
class Decision:
    alert_id: str
    decision: str
    author: str
    note: str | None
    decided_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"alert_id": self.alert_id, "decision": self.decision, "author": self.author,
                "note": self.note, "decided_at": self.decided_at.isoformat()}


@dataclass
class RunRow:
    id: str
    book: str
    started_at: datetime
    seconds: float
    mode: str
    book_version: int
    snapshots: dict[str, str]
    rescreened: int
    alerts: int
    suppressed: int

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["started_at"] = self.started_at.isoformat()
        return out


_HIT_COLS = [f.name for f in fields(HitRow)]
_ALERT_COLS = [f.name for f in fields(AlertRow) if f.name != "state"]


def last_run(ledger: Ledger, book: str) -> RunRow | None:
    found = ledger.query("SELECT id, book, started_at, seconds, mode, book_version, snapshots, rescreened, "
                         "alerts, suppressed FROM monitor_runs WHERE book = ? ORDER BY started_at DESC, id DESC "
                         "LIMIT 1", [book])
    if not found:
        return None
    r = found[0]
    return RunRow(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8], r[9])


def run_count(ledger: Ledger, book: str) -> int:
    return int(ledger.query("SELECT count(*) FROM monitor_runs WHERE book = ?", [book])[0][0])


def runs(ledger: Ledger, book: str | None = None, limit: int = 50) -> list[RunRow]:
    where, params = ("WHERE book = ?", [book]) if book else ("", [])
    return [RunRow(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8], r[9])
            for r in ledger.query("SELECT id, book, started_at, seconds, mode, book_version, snapshots, "
                                  f"rescreened, alerts, suppressed FROM monitor_runs {where} "
                                  "ORDER BY started_at DESC, id DESC LIMIT ?", [*params, limit])]


def stored_hits(ledger: Ledger, book: str, customer_ids: Iterable[str] | None = None) -> list[HitRow]:
    """The pairs ``book`` stands at (of ``customer_ids`` only, when given)."""
    cols = ", ".join(_HIT_COLS)
    cur = ledger.cursor()
    try:
        if customer_ids is None:
            rows = cur.execute(f"SELECT {cols} FROM monitor_hits WHERE book = ?", [book]).fetchall()
        else:
            import pyarrow as pa

            cur.register("wanted_hits", pa.table({"customer_id": sorted(set(customer_ids))}))
            rows = cur.execute(f"SELECT {cols} FROM monitor_hits WHERE book = ? AND customer_id IN "
                               "(SELECT customer_id FROM wanted_hits)", [book]).fetchall()
        return [HitRow(*r) for r in rows]
    finally:
        cur.close()


def hits_of_parties(ledger: Ledger, book: str, parties: Iterable[tuple[str, str]]) -> set[str]:
    """Customers of ``book`` standing at a pair with one of the (dataset, entity_id) ``parties``."""
    import pyarrow as pa

    keys = sorted(set(parties))
    if not keys:
        return set()
    cur = ledger.cursor()
    try:
        cur.register("wanted_parties", pa.table({"dataset": [k[0] for k in keys],
                                                 "entity_id": [k[1] for k in keys]}))
        return {r[0] for r in cur.execute(
            "SELECT DISTINCT h.customer_id FROM monitor_hits h JOIN wanted_parties w "
            "ON w.dataset = h.dataset AND w.entity_id = h.entity_id WHERE h.book = ?", [book]).fetchall()}
    finally:
        cur.close()


def _register_rows(cur: duckdb.DuckDBPyConnection, name: str, cols: Sequence[str],
                   rows: Sequence[Any]) -> None:
    import pyarrow as pa

    cur.register(name, pa.table({c: [getattr(r, c) for r in rows] for c in cols}))


def save_run(ledger: Ledger, run: RunRow, rescreened: Iterable[str] | None, hits: Sequence[HitRow],
             new_alerts: Sequence[AlertRow]) -> None:
    """One run, in one transaction: the hits of the customers re-screened replace theirs
    (``rescreened`` None: the whole book's), its alerts and the run itself."""
    import pyarrow as pa

    with ledger.transaction() as cur:
        if rescreened is None:
            cur.execute("DELETE FROM monitor_hits WHERE book = ?", [run.book])
        else:
            cur.register("rescreened", pa.table({"customer_id": sorted(set(rescreened))}))
            cur.execute("DELETE FROM monitor_hits WHERE book = ? AND customer_id IN "
                        "(SELECT customer_id FROM rescreened)", [run.book])
            cur.unregister("rescreened")
        if hits:
            _register_rows(cur, "new_hits", _HIT_COLS, hits)
            cur.execute(f"INSERT INTO monitor_hits SELECT ?, {', '.join(_HIT_COLS)} FROM new_hits", [run.book])
            cur.unregister("new_hits")
        if new_alerts:
            _register_rows(cur, "new_alerts", _ALERT_COLS, new_alerts)
            cur.execute(f"INSERT INTO alerts SELECT {', '.join(_ALERT_COLS)} FROM new_alerts")
            cur.unregister("new_alerts")
        cur.execute("INSERT INTO monitor_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [run.id, run.book, run.started_at, run.seconds, run.mode, run.book_version,
                     json.dumps(run.snapshots, sort_keys=True), run.rescreened, run.alerts, run.suppressed])


_STATE = ("coalesce((SELECT d.decision FROM alert_decisions d WHERE d.alert_id = a.id "
          "ORDER BY d.decided_at DESC LIMIT 1), 'open')")


def alerts(ledger: Ledger, *, book: str | None = None, kind: str | None = None, state: str | None = None,
           since: date | None = None, until: date | None = None, customer_id: str | None = None,
           run_id: str | None = None, limit: int = 1000, offset: int = 0) -> list[AlertRow]:
    """Alerts, newest first, filtered by book, kind, state (open or the last decision) and the
    date they were raised (``since``/``until`` inclusive)."""
    cond, params = ["TRUE"], []  # type: list[str], list[Any]
    for col, value in (("a.book", book), ("a.kind", kind), ("a.customer_id", customer_id),
                       ("a.run_id", run_id)):
        if value:
            cond.append(f"{col} = ?")
            params.append(value)
    if state:
        cond.append(f"{_STATE} = ?")
        params.append(state)
    if since:
        cond.append("CAST(a.created_at AS DATE) >= ?")
        params.append(since)
    if until:
        cond.append("CAST(a.created_at AS DATE) <= ?")
        params.append(until)
    cols = ", ".join(f"a.{c}" for c in _ALERT_COLS)
    rows = ledger.query(f"SELECT {cols}, {_STATE} FROM alerts a WHERE {' AND '.join(cond)} "
                        "ORDER BY a.created_at DESC, a.id LIMIT ? OFFSET ?", [*params, limit, offset])
    return [AlertRow(*r) for r in rows]


def alert(ledger: Ledger, alert_id: str) -> AlertRow:
    cols = ", ".join(f"a.{c}" for c in _ALERT_COLS)
    rows = ledger.query(f"SELECT {cols}, {_STATE} FROM alerts a WHERE a.id = ?", [alert_id])
    if not rows:
        raise NotFoundError(f"no alert {alert_id!r}")
    return AlertRow(*rows[0])


def decisions(ledger: Ledger, alert_id: str) -> list[Decision]:
    return [Decision(*r) for r in ledger.query(
        "SELECT alert_id, decision, author, note, decided_at FROM alert_decisions WHERE alert_id = ? "
        "ORDER BY decided_at, decision", [alert_id])]


def decide(ledger: Ledger, decision: Decision) -> None:
    """Append a decision (never updated nor deleted)."""
    with ledger.transaction() as cur:
        if not cur.execute("SELECT 1 FROM alerts WHERE id = ?", [decision.alert_id]).fetchall():
            raise NotFoundError(f"no alert {decision.alert_id!r}")
        cur.execute("INSERT INTO alert_decisions VALUES (?, ?, ?, ?, ?)",
                    [decision.alert_id, decision.decision, decision.author, decision.note,
                     decision.decided_at])


def false_positives(ledger: Ledger, book: str) -> set[tuple[str, str, str, str, str, str]]:
    """(customer_id, customer_hash, dataset, entity_id, party_hash, matched_name) of the
    alerts of ``book`` whose last decision is ``false_positive``: pairs suppressed until
    either side changes materially."""
    return {tuple(r) for r in ledger.query(
        f"SELECT a.customer_id, a.customer_hash, a.dataset, a.entity_id, a.party_hash, a.matched_name "
        f"FROM alerts a WHERE a.book = ? AND {_STATE} = 'false_positive'", [book])}


# -- webhooks -----------------------------------------------------------------------------

def add_webhook(ledger: Ledger, url: str, secret: str, book: str | None) -> None:
    with ledger.transaction() as cur:
        cur.execute("INSERT INTO webhooks VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                    "secret = excluded.secret, book = excluded.book", [url, secret, book, datetime.now()])


def remove_webhook(ledger: Ledger, url: str) -> bool:
    with ledger.transaction() as cur:
        found = cur.execute("SELECT 1 FROM webhooks WHERE url = ?", [url]).fetchall()
        cur.execute("DELETE FROM webhooks WHERE url = ?", [url])
    return bool(found)


def webhooks(ledger: Ledger) -> list[tuple[str, str, str | None]]:
    """(url, secret, book or None for every book)."""
    return [(r[0], r[1], r[2]) for r in ledger.query("SELECT url, secret, book FROM webhooks ORDER BY url")]


def record_delivery(ledger: Ledger, alert_id: str, url: str, status: str, attempts: int,
                    error: str | None) -> None:
    with ledger.transaction() as cur:
        cur.execute("DELETE FROM webhook_deliveries WHERE alert_id = ? AND url = ?", [alert_id, url])
        cur.execute("INSERT INTO webhook_deliveries VALUES (?, ?, ?, ?, ?, ?)",
                    [alert_id, url, status, attempts, error, datetime.now()])


def failed_deliveries(ledger: Ledger) -> list[tuple[str, str, int, str | None]]:
    """(alert_id, url, attempts, last error) of deliveries that failed: kept for redelivery."""
    return [(r[0], r[1], r[2], r[3]) for r in ledger.query(
        "SELECT alert_id, url, attempts, last_error FROM webhook_deliveries WHERE status = 'failed' "
        "ORDER BY updated_at, alert_id")]


def deliveries(ledger: Ledger, alert_id: str) -> list[dict[str, Any]]:
    return [{"url": r[0], "status": r[1], "attempts": r[2], "last_error": r[3], "updated_at": r[4].isoformat()}
            for r in ledger.query("SELECT url, status, attempts, last_error, updated_at FROM webhook_deliveries "
                                  "WHERE alert_id = ? ORDER BY url", [alert_id])]
