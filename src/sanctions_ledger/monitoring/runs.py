"""Monitoring runs: a book against the latest lists, alerts from what changed.

A run keeps, per book, the pairs (customer, listed party) the bulk plan found at or above
:data:`FLOOR`; a pair at or above the alert level :data:`THRESHOLD` is a hit. Each run
re-screens some customers through the screening service's bulk plan and compares their new
pairs with the stored ones:

* ``new_hit``: a hit that was not one before;
* ``hit_changed``: still a hit, but the customer's screened fields, the party's record (names,
  birth dates, countries, identifiers) or the matched name changed;
* ``hit_cleared``: a hit that is no longer one (party delisted, name removed, customer
  removed, or the score fell below the alert level).

A *full* run re-screens the whole book. An *incremental* run (the default after the first)
gives exactly the alerts of a full run compared with the previous result, and re-screens only
whom that requires. When a list changed, that is every customer: the lists' index is one
index, and any change of it moves every token's weight (IDF over all indexed names) and its
candidate budgets (the common-key cap grows with the names), so a customer can reach a party
that did not change and that its search did not reach before (tests/test_monitoring_real.py
has the cases the narrower plans missed). When no list changed (the same snapshots: the same
index), only customers added or changed in the book since and customers whose pairs'
authorisations changed are re-screened: every other customer's search is the same search. A
run keeps the matcher's fingerprint with its snapshots (:data:`MATCHER_KEY`): after the
matcher changed, the next run re-screens every customer too.

A *quick* run (``mode="quick"``) re-screens only the customers a list change is likely to
touch: those the index of the book finds for a name of a list record added or amended
(:data:`BOOK_LIMIT` customers per name from :data:`BOOK_FLOOR`), those holding a pair, and
those added or changed in the book. It is faster and NOT exact: it misses new hits of
customers that held no pair (benchmarks/results/monitoring.md counts them).

A ``false_positive`` decision suppresses a later ``new_hit`` or ``hit_changed`` of the same
customer version, party record version and matched name.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.match import DEFAULT_THRESHOLD
from sanctions_ledger.monitoring.changes import (
    ListChanges,
    current_parties,
    list_changes,
    party_hash,
    party_names,
)
from sanctions_ledger.screening.books import book_index, screen_customers, search_book
from sanctions_ledger.screening.indexes import matcher_fingerprint
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.store import Ledger
from sanctions_ledger.store import alerts as store_alerts
from sanctions_ledger.store import books as store_books
from sanctions_ledger.store.alerts import AlertRow, HitRow, RunRow
from sanctions_ledger.store.books import CustomerRow

__all__ = ["FLOOR", "THRESHOLD", "RunResult", "after_update", "monitor", "monitor_all", "plan_run", "service_over"]

log = logging.getLogger(__name__)

THRESHOLD = DEFAULT_THRESHOLD
FLOOR = round(THRESHOLD - 0.10, 4)
"""Pairs are kept from this score, below the alert level, so that one near it is re-checked."""
LIMIT = 10
"""Parties kept per customer (the bulk plan's limit)."""
BOOK_LIMIT = 50
BOOK_FLOOR = 0.5
"""A quick run's search of the book index with a changed list name: candidates kept, and their
lowest score (see the module docs: the quick plan is not exact)."""
MODES = ("auto", "full", "incremental", "quick")
MATCHER_KEY = "@matcher"
"""Kept with a run's snapshots: the matcher's fingerprint (its source). A changed matcher
changes searches as a list change does, so the next run re-screens every customer."""
LOADED_MATCHER = matcher_fingerprint()
"""The fingerprint of the matcher this process runs: its source as imported (a process, and
the worker processes it forks, keep the code they imported whatever is on disk later)."""

Authoriser = Callable[[Ledger, Collection[str]], dict[str, str]]
"""entity ids -> {entity id: the authorisations in force today that name it (or another
record of its party)}, ``; ``-separated: a pair with an authorised party is no hit. The
service layer passes the licences' (``jurisdictions.licences``); None: no authorisations."""


def _alerting(h: HitRow) -> bool:
    return h.score >= THRESHOLD and not h.authorisation


@dataclass
class RunResult:
    run: RunRow
    alerts: list[AlertRow]
    hits: list[HitRow]
    rescreened: set[str] | None
    """Customers re-screened (None: the whole book)."""
    changes: ListChanges | None = None
    candidates: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {"new_hit": 0, "hit_changed": 0, "hit_cleared": 0}
        for a in self.alerts:
            out[a.kind] += 1
        return out

    def summary(self) -> str:
        c = self.counts()
        r = self.run
        return (f"book {r.book}: {r.mode} run {r.id} — {r.rescreened} customers screened, "
                f"{len(self.alerts)} alerts (new_hit {c['new_hit']}, hit_changed {c['hit_changed']}, "
                f"hit_cleared {c['hit_cleared']}), {r.suppressed} suppressed by false-positive decisions; "
                f"{r.seconds:.1f} s; snapshots "
                f"{', '.join(sorted({v for k, v in r.snapshots.items() if k != MATCHER_KEY}))}")

    def to_dict(self) -> dict[str, Any]:
        return {"run": self.run.to_dict(), "counts": self.counts(),
                "alerts": [a.to_dict() for a in self.alerts]}


def _customer_dict(c: CustomerRow) -> dict[str, Any]:
    return {"customer_id": c.customer_id, "name": c.name, "schema": c.schema, "birth_date": c.birth_date,
            "country": c.country, "identifier": c.identifier}


def _hit_rows(ledger: Ledger, rows: list[dict[str, Any]], customers: dict[str, CustomerRow],
              snaps: dict[str, str], authorised: dict[str, str]) -> list[HitRow]:
    parties = current_parties(ledger, {(r["dataset"], r["entity_id"]) for r in rows})
    out = []
    for r in rows:
        cust = customers[r["query_id"]]
        entity = parties.get((r["dataset"], r["entity_id"]))
        out.append(HitRow(cust.customer_id, r["dataset"], r["entity_id"], cust.version, cust.screen_hash,
                          party_hash(entity) if entity is not None else "", snaps.get(r["dataset"], ""),
                          float(r["score"]), r["matched_name"], r["name_kind"], r["caption"],
                          r["explanation"], authorised.get(r["entity_id"], "")))
    return out


def _alert_id(run_id: str, kind: str, pair: tuple[str, str, str]) -> str:
    key = "\x1f".join((run_id, kind, *pair)).encode()
    return "al-" + hashlib.blake2b(key, digest_size=8).hexdigest()


def _book_trigger(cid: str, book_changes: dict[str, str], versions: tuple[int, int]) -> dict[str, Any] | None:
    change = book_changes.get(cid)
    if change is None:
        return None
    return {"type": "book", "change": change, "from_version": versions[0], "to_version": versions[1]}


def _trigger(pair: tuple[str, str, str], changes: ListChanges | None, book_changes: dict[str, str],
             versions: tuple[int, int], first: bool) -> dict[str, Any]:
    if first:
        return {"type": "first_run", "book_version": versions[1], "snapshots": changes.after if changes else {}}
    entry = changes.entries.get((pair[1], pair[2])) if changes else None
    book = _book_trigger(pair[0], book_changes, versions)
    if entry is not None and book is not None:
        return {**entry, "book": book}
    if entry is not None:
        return entry
    if book is not None:
        return book
    return {"type": "rescore", "note": "no change of this customer or party: the lists' index (or the matcher) changed",
            "snapshots": changes.after if changes else {}}


def _compare(book: str, run_id: str, now: datetime, old: Sequence[HitRow], new: Sequence[HitRow],
             customers: dict[str, CustomerRow], removed_rows: dict[str, CustomerRow],
             changes: ListChanges | None, book_changes: dict[str, str], versions: tuple[int, int],
             first: bool, suppressed_keys: set[tuple[str, str, str, str, str, str]]) -> tuple[list[AlertRow], int]:
    old_hits = {h.pair: h for h in old if _alerting(h)}
    new_all = {h.pair: h for h in new}
    new_hits = {h.pair: h for h in new if _alerting(h)}
    out: list[AlertRow] = []
    suppressed = 0

    def name_of(cid: str) -> str:
        row = customers.get(cid) or removed_rows.get(cid)
        return row.name if row else ""

    def make(kind: str, h: HitRow, prev: float | None, reason: str) -> AlertRow:
        trig = orjson.dumps(_trigger(h.pair, changes, book_changes, versions, first)).decode()
        return AlertRow(_alert_id(run_id, kind, h.pair), book, run_id, kind, now, h.customer_id,
                        h.customer_version, h.customer_hash, name_of(h.customer_id), h.dataset,
                        h.entity_id, h.caption, h.snapshot_id, h.party_hash, h.matched_name, h.score,
                        prev, h.explanation, reason, trig)

    for pair in sorted(new_hits):
        h = new_hits[pair]
        before = old_hits.get(pair)
        key = (h.customer_id, h.customer_hash, h.dataset, h.entity_id, h.party_hash, h.matched_name)
        if before is None:
            kind, reason = "new_hit", f"score {h.score:.3f} ≥ {THRESHOLD}"
        else:
            why = []
            if before.customer_hash != h.customer_hash:
                why.append("customer's screened fields changed")
            if before.party_hash != h.party_hash:
                why.append("party's record changed")
            if before.matched_name != h.matched_name:
                why.append(f"matched name {before.matched_name!r} → {h.matched_name!r}")
            if not why:
                continue
            kind, reason = "hit_changed", "; ".join(why)
        if key in suppressed_keys:
            suppressed += 1
            continue
        out.append(make(kind, h, before.score if before else None, reason))
    for pair in sorted(set(old_hits) - set(new_hits)):
        h = old_hits[pair]
        cid, ds, eid = pair
        entry = changes.entries.get((ds, eid)) if changes else None
        now_pair = new_all.get(pair)
        if cid not in customers:
            reason = "customer removed from the book"
        elif now_pair is not None and now_pair.authorisation and now_pair.score >= THRESHOLD:
            reason = f"authorisation in force: {now_pair.authorisation}"
        elif entry is not None and entry["change"] == "removed":
            reason = f"party delisted: no longer on {ds}"
        elif entry is not None and any(f["prop"] in ("name", "alias", "weakAlias", "previousName")
                                       and any(h.matched_name in old for old in f["old"])
                                       for f in entry["fields"]):
            # (in: the name matched may be one a listed value holds, DCB of "... BANK (DCB)")
            reason = f"matched name {h.matched_name!r} removed from the record"
        else:
            score = now_pair.score if now_pair else 0.0
            reason = f"score fell below {THRESHOLD} ({score:.3f})"
        cleared = make("hit_cleared", h, h.score, reason)
        cleared.score = now_pair.score if now_pair else 0.0
        out.append(cleared)
    return out, suppressed


def _quick_candidates(ledger: Ledger, service: ScreeningService, book: str, version: int, changes: ListChanges,
                      rescreen: set[str], timings: dict[str, float]) -> int:
    """Into ``rescreen``: the customers a quick run re-screens after a list change (see the module
    docs); returns how many the book index found."""
    t = time.perf_counter()
    found: set[str] = set()
    named = changes.with_names()
    if named:
        parties = current_parties(ledger, named)
        queries = [q for e in parties.values() for q in party_names(e)]
        index = book_index((_customer_dict(c) for c in store_books.current_customers(ledger, book)),
                           book=book, version=version, cache_dir=service.screener.cache_dir)
        timings["book_index"] = time.perf_counter() - t
        found = search_book(index, queries, limit=BOOK_LIMIT, threshold=BOOK_FLOOR)
        rescreen |= found
    rescreen |= store_alerts.hits_of_parties(ledger, book, changes.gone_or_amended())
    rescreen |= {h.customer_id for h in store_alerts.stored_hits(ledger, book)}
    return len(found)


def plan_run(ledger: Ledger, service: ScreeningService, book: str, *, mode: str = "auto",
             engine: str = "local", workers: int | None = None,
             authoriser: Authoriser | None = None) -> RunResult:
    """Compute a run of ``book`` against the latest lists without writing it (see :func:`monitor`)."""
    if mode not in MODES:
        raise InputError(f"unknown mode {mode!r}: {', '.join(MODES)}")
    started = time.perf_counter()
    timings: dict[str, float] = {}
    info = store_books.book_info(ledger, book)
    snaps = {s.dataset: s.id for s in service.snapshots(None)}
    if not snaps:
        raise NotFoundError("no list snapshot: load lists first (sanctions ingest PATH)")
    now = datetime.now()
    last = store_alerts.last_run(ledger, book)
    run_id = f"{book}-run{store_alerts.run_count(ledger, book) + 1}"
    first = last is None
    since = last.book_version if last else 0
    screened_before = {ds: sid for ds, sid in last.snapshots.items() if ds != MATCHER_KEY} if last else {}
    changes = list_changes(ledger, screened_before, snaps) if last else None
    matcher = LOADED_MATCHER
    matcher_changed = last is not None and last.snapshots.get(MATCHER_KEY) != matcher
    timings["diff"] = time.perf_counter() - started
    book_changes = store_books.changes_since(ledger, book, since) if last else {}
    full = first or mode == "full"
    if mode in ("incremental", "quick") and first:
        raise InputError(f"book {book} has never been monitored: its first run is a full run")
    candidates = 0
    rescreen: set[str] | None = None
    if not full and changes is not None and (matcher_changed or changes.changed and mode != "quick"):
        # Exact: the lists' index changed, so every customer's search may have changed (the
        # token weights and candidate budgets of the one index move with any list change),
        # or the matcher itself did.
        rescreen = None
    elif not full:
        assert changes is not None
        rescreen = {cid for cid, change in book_changes.items() if change != "restated"}
        if changes.changed:  # mode "quick": the likely customers only, not exact
            t = time.perf_counter()
            candidates = _quick_candidates(ledger, service, book, info.version, changes, rescreen, timings)
            timings["candidates"] = time.perf_counter() - t
        if authoriser is not None:
            # An authorisation that came into force (or ended) since: its pairs are re-checked.
            held = store_alerts.stored_hits(ledger, book)
            now_auth = authoriser(ledger, {h.entity_id for h in held})
            rescreen |= {h.customer_id for h in held if now_auth.get(h.entity_id, "") != h.authorisation}
    t = time.perf_counter()
    if full or rescreen is None:
        customers = store_books.current_customers(ledger, book)
        old = store_alerts.stored_hits(ledger, book)
    else:
        customers = store_books.current_customers(ledger, book, rescreen)
        old = store_alerts.stored_hits(ledger, book, rescreen)
    by_id = {c.customer_id: c for c in customers}
    timings["load"] = time.perf_counter() - t
    t = time.perf_counter()
    rows, _snap_ids = screen_customers(service, [_customer_dict(c) for c in customers], limit=LIMIT,
                                       floor=FLOOR, engine=engine, workers=workers)
    timings["screen"] = time.perf_counter() - t
    t = time.perf_counter()
    authorised = authoriser(ledger, {r["entity_id"] for r in rows}) if authoriser and rows else {}
    hits = _hit_rows(ledger, rows, by_id, snaps, authorised)
    timings["pairs"] = time.perf_counter() - t
    t = time.perf_counter()
    gone = {h.customer_id for h in old} - set(by_id)
    removed_rows = store_books.latest_rows(ledger, book, gone)
    alerts, suppressed = _compare(book, run_id, now, old, hits, by_id, removed_rows, changes, book_changes,
                                  (since, info.version), first, store_alerts.false_positives(ledger, book))
    timings["compare"] = time.perf_counter() - t
    seconds = time.perf_counter() - started
    screened = len(customers)
    run = RunRow(run_id, book, now, seconds, "full" if full else "quick" if mode == "quick" else "incremental",
                 info.version, {**snaps, MATCHER_KEY: matcher},
                 screened, len(alerts), suppressed)
    return RunResult(run, alerts, hits, rescreen, changes, candidates, timings)


def monitor(ledger: Ledger, service: ScreeningService, book: str, *, mode: str = "auto",
            engine: str = "local", workers: int | None = None, deliver: bool = True,
            authoriser: Authoriser | None = None) -> RunResult:
    """Run ``book`` against the latest lists and store the run, its pairs and its alerts in one
    transaction; then POST the alerts to the webhooks (see :mod:`.webhooks`)."""
    result = plan_run(ledger, service, book, mode=mode, engine=engine, workers=workers, authoriser=authoriser)
    store_alerts.save_run(ledger, result.run, result.rescreened, result.hits, result.alerts)
    if deliver and result.alerts:
        from sanctions_ledger.monitoring.webhooks import deliver_alerts

        deliver_alerts(ledger, result.alerts)
    return result


def monitor_all(ledger: Ledger, service: ScreeningService, books: Iterable[str] | None = None,
                **kwargs: Any) -> list[RunResult]:
    """A run of each book (every book when none is named)."""
    names = list(books) if books else store_books.book_names(ledger)
    return [monitor(ledger, service, name, **kwargs) for name in names]


def service_over(ledger: Ledger) -> ScreeningService:
    """A screening service over ``ledger`` with the index cache next to the store (the CLI's)."""
    from sanctions_ledger.screening.screener import Screener
    from sanctions_ledger.settings import Settings

    settings = Settings(store_path=ledger.path) if ledger.path else Settings()
    cache = settings.index_cache_dir if ledger.path else None
    return ScreeningService(settings, ledger, Screener(ledger, cache_dir=cache))


def after_update(ledger: Ledger, wrote: bool, report: Any = None, service: ScreeningService | None = None,
                 authoriser: Authoriser | None = None) -> list[RunResult]:
    """Monitoring after an ingest or update: every book is run when new lists were written
    (``report``, if given, is called with each run's summary)."""
    if not wrote or not store_books.book_names(ledger):
        return []
    results = monitor_all(ledger, service or service_over(ledger), authoriser=authoriser)
    if report is not None:
        for r in results:
            report(r.summary())
    return results
