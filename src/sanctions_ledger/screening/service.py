"""The service state behind the API and the web UI: one ledger, its screener, and caches.

Every cache is keyed on the ledger's ``generation`` (bumped by each committed ingest), so
an ingest through the admin API is visible to the next request while requests already
running keep reading the snapshot they started on (DuckDB snapshot isolation, one cursor
per query). The ``/match`` hot path touches no DuckDB once warm: the snapshots standing on
a date, the index for those snapshots and the entity records of hits are all in memory.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.match import MatchIndex
from sanctions_ledger.screening import records
from sanctions_ledger.screening.records import EntityRecord
from sanctions_ledger.screening.screener import Screener
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger, LedgerView, SnapshotInfo, parse_date

log = logging.getLogger(__name__)

ALL_DATASETS = "default"
MAX_CACHED_DATES = 512
MAX_CACHED_RECORDS = 200_000


@dataclass
class _Generation:
    number: int
    snapshots: OrderedDict[date | None, tuple[SnapshotInfo, ...]] = field(default_factory=OrderedDict)
    datasets: frozenset[str] | None = None
    records: OrderedDict[tuple[str, str, str], EntityRecord] = field(default_factory=OrderedDict)


class ScreeningService:
    """Shared by all requests of one app; safe to use from the event loop and worker threads."""

    def __init__(self, settings: Settings, ledger: Ledger, screener: Screener) -> None:
        self.settings = settings
        self.ledger = ledger
        self.screener = screener
        self._gen = _Generation(ledger.generation)
        self._lock = threading.Lock()
        self._indexes: dict[tuple[int, tuple[str, ...]], MatchIndex] = {}
        self.warming = True
        """True until the first :meth:`warm` has finished (the app starts it at start-up)."""
        self.warm_error: str | None = None

    # -- generations ---------------------------------------------------------------------

    def _current(self) -> _Generation:
        gen = self._gen
        if gen.number != self.ledger.generation:
            with self._lock:
                if self._gen.number != self.ledger.generation:
                    self._gen = _Generation(self.ledger.generation)
                    self._indexes = {k: v for k, v in self._indexes.items() if k[0] == self._gen.number}
                gen = self._gen
        return gen

    # -- snapshots and datasets ----------------------------------------------------------

    def snapshots(self, as_of: date | None) -> tuple[SnapshotInfo, ...]:
        """The snapshot standing for each list on ``as_of`` (latest when None)."""
        gen = self._current()
        found = gen.snapshots.get(as_of)
        if found is None:
            found = tuple(LedgerView(self.ledger, as_of, None).snapshots())
            with self._lock:
                gen.snapshots[as_of] = found
                while len(gen.snapshots) > MAX_CACHED_DATES:
                    gen.snapshots.popitem(last=False)
        return found

    def datasets(self) -> frozenset[str]:
        """Every list the ledger holds, at any date."""
        gen = self._current()
        if gen.datasets is None:
            rows = self.ledger.query("SELECT DISTINCT dataset FROM snapshot_datasets")
            gen.datasets = frozenset(r[0] for r in rows)
        return gen.datasets

    def is_empty(self) -> bool:
        return not self.datasets()

    def select_datasets(self, dataset: str, include: Iterable[str] = (),
                        exclude: Iterable[str] = ()) -> list[str] | None:
        """Resolve yente's dataset path and include/exclude filters; None means all lists."""
        known = self.datasets()
        if dataset != ALL_DATASETS and dataset not in known:
            raise NotFoundError(f"unknown dataset {dataset!r}; use 'default' or one of: "
                                + (", ".join(sorted(known)) or "(none: the ledger is empty)"))
        chosen = set(known) if dataset == ALL_DATASETS else {dataset}
        include = [d for d in include if d]
        exclude = {d for d in exclude if d}
        if include:
            chosen &= set(include)
        chosen -= exclude
        if dataset == ALL_DATASETS and not include and not exclude:
            return None
        return sorted(chosen)

    # -- the index -----------------------------------------------------------------------

    def index_key(self, as_of: date | None) -> tuple[int, tuple[str, ...]]:
        snaps = tuple(sorted({s.id for s in self.snapshots(as_of)}))
        if not snaps:
            when = as_of or "now"
            raise NotFoundError(f"no list snapshot on or before {when}: load lists first "
                                "(sanctions ingest PATH, or sanctions serve --from DIR / --update)")
        return self._current().number, snaps

    def cached_index(self, as_of: date | None) -> MatchIndex | None:
        """The index for ``as_of`` when it is already in memory (no DuckDB work when warm)."""
        gen = self._current()
        snaps = gen.snapshots.get(as_of)
        if not snaps:
            return None
        return self._indexes.get((gen.number, tuple(sorted({s.id for s in snaps}))))

    def index(self, as_of: date | None) -> MatchIndex:
        key = self.index_key(as_of)
        found = self._indexes.get(key)
        if found is None:
            found, _snaps = self.screener.index_for(LedgerView(self.ledger, as_of, None))
            self._indexes[key] = found
        return found

    def warm(self) -> None:
        """Build (or load from the disk cache) the index of the latest snapshots."""
        self.warming = True
        try:
            if not self.is_empty():
                self.index(None)
                self.preload_records(None)
            # The index and the records are long-lived: keep the cyclic GC from rescanning
            # hundreds of MB of them (full collections were the open-loop p99 tail).
            gc.collect()
            gc.freeze()
            self.warm_error = None
        except Exception as exc:
            log.exception("warming the index failed")
            self.warm_error = str(exc)
        finally:
            self.warming = False

    # -- entity records ------------------------------------------------------------------

    def _snapshot_of(self, as_of: date | None, dataset: str) -> SnapshotInfo | None:
        for snap in self.snapshots(as_of):
            if snap.dataset == dataset:
                return snap
        return None

    def cached_records(self, as_of: date | None,
                       keys: Iterable[tuple[str, str]]) -> tuple[dict[tuple[str, str], EntityRecord], list[tuple[str, str]]]:
        """(dataset, entity_id) -> record for those in memory, and the keys still missing."""
        gen = self._current()
        found: dict[tuple[str, str], EntityRecord] = {}
        missing: list[tuple[str, str]] = []
        for dataset, entity_id in keys:
            snap = self._snapshot_of(as_of, dataset)
            rec = gen.records.get((snap.id, dataset, entity_id)) if snap else None
            if rec is None:
                missing.append((dataset, entity_id))
            else:
                found[(dataset, entity_id)] = rec
        return found, missing

    def load_records(self, as_of: date | None, keys: Collection[tuple[str, str]]) -> None:
        """Read the given parties from the ledger (three queries in all) into the cache."""
        if not keys:
            return
        gen = self._current()
        view = LedgerView(self.ledger, as_of, sorted({d for d, _ in keys}))
        ids = sorted({e for _, e in keys})
        wanted = set(keys)
        parties = {(d, str(e.id)): e for d, e in view.entities(ids) if (d, e.id) in wanted}
        # refs indexes entity-typed statements by target (the same lookup LedgerView.sanction_ids does)
        sanction_rows = self.ledger.query(
            "SELECT DISTINCT dataset, entity_id, target FROM refs "
            "WHERE prop = 'entity' AND list_contains(?, target)", [ids])
        owner = {(d, sid): party for d, sid, party in sanction_rows}
        sanctions: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for d, sanc in view.entities(sorted({sid for _, sid, _ in sanction_rows})):
            party = owner.get((d, str(sanc.id)))
            if party is not None and sanc.schema.name == "Sanction":
                sanctions.setdefault((d, party), []).append(records.nested(sanc))
        dates = self._dates(ids, {d: s.observed_at for d in {d for d, _ in keys}
                                  if (s := self._snapshot_of(as_of, d)) is not None})
        with self._lock:
            for key, entity in parties.items():
                snap = self._snapshot_of(as_of, key[0])
                if snap is None:
                    continue
                gen.records[(snap.id, key[0], key[1])] = EntityRecord.build(
                    key[0], entity, sanctions.get(key, []), dates.get(key, (None, None, None)))
            while len(gen.records) > MAX_CACHED_RECORDS:
                gen.records.popitem(last=False)

    def preload_records(self, as_of: date | None) -> int:
        """Every party of the snapshots standing on ``as_of`` into the cache (from the disk
        cache when an earlier process wrote it), so that screening never waits on the ledger
        for the parties it returns."""
        snaps = self.snapshots(as_of)
        if not snaps:
            return 0
        gen = self._current()
        recs = records.load_all(self.ledger, snaps, as_of, self.screener.cache_dir)
        by_dataset = {s.dataset: s.id for s in snaps}
        with self._lock:
            for rec in recs:
                gen.records[(by_dataset[rec.dataset], rec.dataset, rec.id)] = rec
            while len(gen.records) > MAX_CACHED_RECORDS:
                gen.records.popitem(last=False)
        log.info("cached %d party records", len(recs))
        return len(recs)

    def _dates(self, ids: list[str], observed: dict[str, date]) -> dict[tuple[str, str], tuple[date, date, date]]:
        """first_seen, last_seen and last_change of each party up to its list's snapshot date."""
        if not observed:
            return {}
        rows = self.ledger.query("""
            SELECT i.dataset, st.entity_id, i.first_seen, i.last_seen, i.first_missing
            FROM statements st JOIN intervals i ON i.statement_id = st.id
            WHERE list_contains(?, st.entity_id) AND list_contains(?, i.dataset)""",
            [ids, sorted(observed)])
        out: dict[tuple[str, str], list[date]] = {}
        for dataset, eid, first, last, missing in rows:
            cap = observed[dataset]
            if first > cap:
                continue
            change = max(first, missing) if missing is not None and missing <= cap else first
            cur = out.get((dataset, eid))
            last = min(last, cap)
            if cur is None:
                out[(dataset, eid)] = [first, last, change]
            else:
                cur[0], cur[1], cur[2] = min(cur[0], first), max(cur[1], last), max(cur[2], change)
        return {k: (v[0], v[1], v[2]) for k, v in out.items()}

    def records(self, as_of: date | None, keys: list[tuple[str, str]]) -> dict[tuple[str, str], EntityRecord]:
        found, missing = self.cached_records(as_of, keys)
        if missing:
            self.load_records(as_of, missing)
            found, _ = self.cached_records(as_of, keys)
        return found


def parse_as_of(value: str | None) -> date | None:
    """``as_of`` query parameter: a date, or empty/latest for the newest snapshots."""
    when = parse_date(value, "as_of")
    if when is not None and not (date(1900, 1, 1) <= when <= date(2200, 1, 1)):
        raise InputError(f"as_of {when} is out of range")
    return when
