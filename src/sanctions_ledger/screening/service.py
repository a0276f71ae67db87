"""The one screening service: every screening (the API's ``/match`` and ``/search``, the web
pages, the CLI's ``screen`` and ``screen-file``, the library's :class:`Screener`, the bulk
engines, the status lookup by name) goes through a :class:`ScreeningService`.

It owns the caches: the snapshots standing on each date and the party records, keyed on the
ledger's ``generation`` (bumped by each committed ingest), so an ingest through the admin API
is visible to the next request while requests already running keep reading the snapshot they
started on (DuckDB snapshot isolation, one cursor per query); and, through its screener, the
one index cache, keyed by snapshot ids (an index depends on nothing else). The ``/match`` hot
path touches no DuckDB once warm: the snapshots standing on a date, the index for those
snapshots and the entity records of hits are all in memory.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sanctions_ledger.errors import InputError, LedgerError, NotFoundError, UnavailableError
from sanctions_ledger.match import Hit, MatchIndex, Query, validate_query
from sanctions_ledger.screening import records
from sanctions_ledger.screening.indexes import IndexCache, SnapshotKey, no_snapshot
from sanctions_ledger.screening.records import EntityRecord
from sanctions_ledger.screening.results import ScreenHit, ScreenResult, sanction_dict, source_id
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger, LedgerView, SnapshotInfo, parse_date
from sanctions_ledger.store import records as store_records

if TYPE_CHECKING:  # pragma: no cover - the screener imports this module
    from sanctions_ledger.screening.screener import Screener

log = logging.getLogger(__name__)

ALL_DATASETS = "default"
MAX_CACHED_DATES = 512
MAX_CACHED_RECORDS = 200_000
MAX_FAILED_KEYS = 64
RETRY_FAILED_INDEX_S = 60
"""What ``Retry-After`` says while an index cannot be built (an ingest or a restart is needed)."""


def failure_reason(exc: BaseException) -> str:
    """A failure as an operator can act on it: ``str(MemoryError())`` is empty."""
    if isinstance(exc, LedgerError):
        return exc.detail
    text = str(exc).strip().split("\n", 1)[0]  # DuckDB appends paragraphs of advice
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@dataclass
class _Fallback:
    """The latest lists whose index was built, kept while a newer set's index fails."""

    snapshots: tuple[SnapshotInfo, ...]
    key: SnapshotKey
    index: MatchIndex


class Admission:
    """Work units (name characters) screening at once, bounded: past the bound a request is
    refused at once with 503 and ``Retry-After`` instead of queueing behind the others. A
    request is always admitted when nothing else is pending, whatever its size."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.pending = 0
        self._lock = threading.Lock()

    def take(self, units: int) -> None:
        with self._lock:
            if self.pending and self.pending + units > self.capacity:
                raise UnavailableError(f"busy: {self.pending} name characters are being screened "
                                       f"(capacity {self.capacity}); retry shortly", retry_after=1)
            self.pending += units

    def give_back(self, units: int) -> None:
        with self._lock:
            self.pending -= units


T = TypeVar("T")

@dataclass
class _Generation:
    number: int
    snapshots: OrderedDict[date | None, tuple[SnapshotInfo, ...]] = field(default_factory=OrderedDict)
    datasets: frozenset[str] | None = None
    records: OrderedDict[tuple[str, str, str], EntityRecord] = field(default_factory=OrderedDict)
    whole: set[str] = field(default_factory=set)
    """Snapshots every party of which is in ``records`` (preloaded, nothing evicted since)."""
    derived: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)


def _evict(gen: _Generation) -> None:
    """Keep the record cache within :data:`MAX_CACHED_RECORDS` (oldest first)."""
    if len(gen.records) > MAX_CACHED_RECORDS:
        gen.whole.clear()
    while len(gen.records) > MAX_CACHED_RECORDS:
        gen.records.popitem(last=False)


def check_lists(known: Collection[str], names: Iterable[str]) -> None:
    """Every list named must be one the ledger holds: the one check behind the API's
    ``include_dataset`` and the CLI's and web UI's ``--source`` / list filters (through
    ``service.check_filters``), so that a typo is an error everywhere, never "0 hits"."""
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise NotFoundError(f"unknown list(s): {', '.join(unknown)}; known: "
                            + (", ".join(sorted(known)) or "(none: the ledger is empty)"))


class ScreeningService:
    """Shared by all requests of one app; safe to use from the event loop and worker threads."""

    def __init__(self, settings: Settings, ledger: Ledger, screener: Screener) -> None:
        self.settings = settings
        self.ledger = ledger
        self.screener = screener
        self.indexes: IndexCache = screener.indexes
        """The one index cache: the screener's, shared with every service over it."""
        self._gen = _Generation(ledger.generation)
        self._lock = threading.Lock()
        self.warming = True
        """True until the first :meth:`warm` has finished (the app starts it at start-up)."""
        self.warm_error: str | None = None
        """Why the last :meth:`warm` could not make the latest lists' index (None: it did)."""
        self._failed: dict[SnapshotKey, str] = {}
        """Snapshot sets whose index failed to build, with the reason: not retried per
        request (a build that runs out of memory takes seconds to fail), only by :meth:`warm`."""
        self._fallback: _Fallback | None = None
        self.admission = Admission(settings.max_pending_name_chars)
        screener.adopt(self)

    # -- generations ---------------------------------------------------------------------

    def _current(self) -> _Generation:
        gen = self._gen
        if gen.number != self.ledger.generation:
            with self._lock:
                if self._gen.number != self.ledger.generation:
                    self._gen = _Generation(self.ledger.generation)
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

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``'s value, kept until the next ingest: for answers that follow from the
        snapshots alone (e.g. their freshness), asked on every request of a hot path."""
        gen = self._current()
        if key in gen.derived:
            value: T = gen.derived[key]
            return value
        value = build()
        with self._lock:
            gen.derived[key] = value
            while len(gen.derived) > MAX_CACHED_DATES:
                gen.derived.popitem(last=False)
        return value

    def datasets(self) -> frozenset[str]:
        """Every list the ledger holds, at any date."""
        gen = self._current()
        if gen.datasets is None:
            gen.datasets = store_records.dataset_names(self.ledger)
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
        # No hits from a list the ledger lacks would read as "not sanctioned".
        check_lists(known, include)
        if include:
            chosen &= set(include)
        chosen -= exclude
        if dataset == ALL_DATASETS and not include and not exclude:
            return None
        return sorted(chosen)

    def snapshot_ids(self, as_of: date | None, datasets: Collection[str] | None = None) -> list[str]:
        """The ids of the snapshots standing on ``as_of`` (of ``datasets`` only, when given):
        the audit record of a screening."""
        return sorted({s.id for s in self.screened(as_of) if datasets is None or s.dataset in datasets})

    def screened(self, as_of: date | None) -> tuple[SnapshotInfo, ...]:
        """The snapshots a screening on ``as_of`` searches: those standing then, except while
        the index of the latest lists cannot be built, when the latest lists whose index was
        built stand in for them (the hits' records are still read as the ledger holds them)."""
        snaps = self.snapshots(as_of)
        fallback = self._fallback
        if as_of is None and self._failed and fallback is not None and fallback.snapshots != snaps \
                and tuple(sorted({s.id for s in snaps})) in self._failed:
            return fallback.snapshots
        return snaps

    # -- the index -----------------------------------------------------------------------

    def index_key(self, as_of: date | None) -> SnapshotKey:
        """The snapshot ids that name the index of ``as_of``."""
        key = tuple(self.snapshot_ids(as_of))
        if not key:
            raise no_snapshot(as_of)
        return key

    def index_failure(self, as_of: date | None) -> str | None:
        """Why the index of the lists standing on ``as_of`` could not be built, if it could not."""
        if not self._failed:
            return None
        return self._failed.get(tuple(sorted({s.id for s in self.snapshots(as_of)})))

    def cached_index(self, as_of: date | None) -> MatchIndex | None:
        """The index for ``as_of`` when it is already in memory (no DuckDB work when warm)."""
        snaps = self._current().snapshots.get(as_of)
        if not snaps:
            return None
        key = tuple(sorted({s.id for s in snaps}))
        if self._failed and key in self._failed:
            fallback = self._fallback
            return fallback.index if as_of is None and fallback is not None else None
        return self.indexes.cached(key)

    def index(self, as_of: date | None) -> MatchIndex:
        """The index of the lists standing on ``as_of`` (built or loaded when not in memory).

        A build that fails is remembered with its reason: the latest lists are then screened
        with the last index that was built (see :meth:`screened`), and other dates answer
        503 with the reason at once instead of failing the same build on every request."""
        key = self.index_key(as_of)
        fallback = self._fallback
        if fallback is not None and key == fallback.key:
            return fallback.index
        failed = self._failed.get(key)
        if failed is not None:
            raise UnavailableError(f"the screening index of the lists standing on {as_of or 'now'} "
                                   f"could not be built: {failed}", retry_after=RETRY_FAILED_INDEX_S)
        try:
            found = self.indexes.get(key, as_of)
        except Exception as exc:  # noqa: BLE001 - MemoryError, OSError...: reported, not retried
            log.exception("building the screening index of %s failed", as_of or "the latest lists")
            with self._lock:
                if len(self._failed) >= MAX_FAILED_KEYS:
                    self._failed.clear()
                self._failed[key] = failure_reason(exc)
            if as_of is None and self._fallback is not None:
                return self._fallback.index
            return self.index(as_of)  # raises the remembered failure
        if as_of is None and (fallback is None or fallback.key != key):
            self._fallback = _Fallback(self.snapshots(None), key, found)
        return found

    def index_file(self, as_of: date | None) -> tuple[Path, list[str]]:
        """The on-disk index of ``as_of`` (built if needed) and its snapshot ids: what the
        bulk engines' workers load."""
        key = self.index_key(as_of)
        return self.indexes.file(key, as_of), list(key)

    def warm(self) -> None:
        """Build (or load from the disk cache) the index of the latest snapshots; a failed
        build is tried again here (and only here: see :meth:`index`)."""
        self.warming = True
        try:
            with self._lock:
                self._failed.clear()
            if not self.is_empty():
                self.index(None)
                self.preload_records(None)
            # The index and the records are long-lived: keep the cyclic GC from rescanning
            # hundreds of MB of them (full collections were the open-loop p99 tail).
            gc.collect()
            gc.freeze()
            self.warm_error = self.index_failure(None)
        except Exception as exc:
            log.exception("warming the index failed")
            self.warm_error = failure_reason(exc)
        finally:
            self.warming = False

    def serving_fallback(self) -> list[str] | None:
        """The snapshot ids screened instead of the latest lists' (whose index failed), if any."""
        fallback = self._fallback
        if fallback is None or self.index_failure(None) is None:
            return None
        return list(fallback.key)

    # -- screening -----------------------------------------------------------------------

    def search(self, query: Query, *, as_of: date | None, datasets: Collection[str] | None,
               limit: int, threshold: float = 0.0) -> list[Hit]:
        """The best-scoring parties for ``query`` in the lists standing on ``as_of`` (of
        ``datasets`` only, unless None), best first."""
        return self.index(as_of).search(query, limit=limit, threshold=threshold, datasets=datasets)

    def search_any(self, queries: Sequence[Query], *, as_of: date | None,
                   datasets: Collection[str] | None, limit: int, threshold: float = 0.0,
                   check: Callable[[], None] | None = None) -> list[Hit]:
        """The parties matching any of ``queries`` (the names of one example entity), each at
        its best score: best first, then by entity id. ``check`` is called before each name
        and raises to stop the work (the client has gone, the deadline has passed)."""
        index = self.index(as_of)
        best: dict[tuple[str, str], Hit] = {}
        for query in queries:
            if check is not None:
                check()
            for hit in index.search(query, limit=limit, threshold=threshold, datasets=datasets):
                k = (hit.dataset, hit.entity_id)
                prev = best.get(k)
                if prev is None or hit.score > prev.score:
                    best[k] = hit
        return sorted(best.values(), key=lambda h: (-h.score, h.entity_id))[:limit]

    def screen(self, query: Query, *, as_of: date | None = None, datasets: Collection[str] | None = None,
               limit: int = 10, threshold: float = 0.0, with_sanctions: bool = True) -> ScreenResult:
        """Screen one query: the hits with their list's own ids and (``with_sanctions``) the
        parties' sanctions, and the snapshot ids used."""
        query = validate_query(query)
        index = self.index(as_of)
        snaps = self.snapshot_ids(as_of, datasets or None)
        hits = index.search(query, limit=limit, threshold=threshold, datasets=datasets or None)
        out = []
        for hit in hits:
            sanctions: list[dict[str, Any]] = []
            if with_sanctions:
                view = LedgerView(self.ledger, as_of, [hit.dataset])
                sanctions = [sanction_dict(s) for _d, s in view.sanctions_of(hit.entity_id)]
            out.append(ScreenHit(hit, source_id(hit.entity_id), sanctions))
        return ScreenResult(query, as_of, snaps, out)

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
        found = records.read_some(self.ledger, self.snapshots(as_of), as_of, keys)
        with self._lock:
            for snap_id, rec in found:
                gen.records[(snap_id, rec.dataset, rec.id)] = rec
            _evict(gen)

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
            gen.whole.update(by_dataset.values())
            _evict(gen)
        log.info("cached %d party records", len(recs))
        return len(recs)

    def latest_records_of(self, entity_id: str) -> list[EntityRecord] | None:
        """Every latest list's record of the party ``entity_id``, in list order, from memory
        alone; None when memory cannot tell (the latest lists were not preloaded, or some of
        their records were evicted since, or no list holds it as a party)."""
        gen = self._current()
        snaps = self.snapshots(None)
        if not snaps or any(s.id not in gen.whole for s in snaps):
            return None
        found = [rec for s in sorted(snaps, key=lambda s: s.dataset)
                 if (rec := gen.records.get((s.id, s.dataset, entity_id))) is not None]
        return found or None

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
