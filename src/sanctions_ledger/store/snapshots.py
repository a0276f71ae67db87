"""Snapshot reads: each list's snapshots in the one snapshot order, and which stood on a date.

The full snapshots are few (one per list per download) and every as-of read starts from
them, so they are read once per ledger generation into :class:`ListSnapshots` and answered
from memory afterwards.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import snapshot_order

__all__ = ["FAR_FUTURE", "ListSnapshots", "SnapshotInfo", "find_snapshot", "has_delta_snapshots",
           "list_snapshots", "snapshot_listing", "snapshot_sequences"]

FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class SnapshotInfo:
    id: str
    kind: str
    dataset: str
    observed_at: date
    published_at: date | None
    sha256: str
    party_count: int
    statement_count: int
    path: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "dataset": self.dataset,
                "observed_at": self.observed_at.isoformat(),
                "published_at": self.published_at.isoformat() if self.published_at else None,
                "sha256": self.sha256, "party_count": self.party_count,
                "statement_count": self.statement_count, "path": self.path}


class ListSnapshots:
    """Every full snapshot of every list, each list's in snapshot order."""

    def __init__(self, rows: list[SnapshotInfo]) -> None:
        self.by_dataset: dict[str, list[SnapshotInfo]] = {}
        for info in rows:
            self.by_dataset.setdefault(info.dataset, []).append(info)
        self._dates = {ds: [s.observed_at for s in seq] for ds, seq in self.by_dataset.items()}
        self.position = {(ds, s.id): n for ds, seq in self.by_dataset.items()
                         for n, s in enumerate(seq)}
        """(dataset, snapshot id) -> its place in the list's sequence (as in ``intervals``)."""

    def standing(self, as_of: date | None, datasets: Collection[str] = ()) -> list[SnapshotInfo]:
        """The snapshot that stood for each list on ``as_of`` (latest when None): the last
        one in snapshot order observed on or before the date; lists in name order."""
        day = as_of or FAR_FUTURE
        out = []
        for ds in sorted(datasets or self.by_dataset):
            idx = bisect.bisect_right(self._dates.get(ds, []), day)
            if idx:
                out.append(self.by_dataset[ds][idx - 1])
        return out

    def sequences(self, datasets: Collection[str] | None = None) -> dict[str, list[tuple[str, date]]]:
        """(snapshot id, observed date) of each list's full snapshots, oldest first."""
        names = self.by_dataset if datasets is None else datasets
        return {ds: [(s.id, s.observed_at) for s in self.by_dataset.get(ds, [])] for ds in names}


def _load(ledger: Ledger) -> ListSnapshots:
    rows = ledger.query(f"""
        SELECT s.id, s.kind, d.dataset, s.observed_at, s.published_at, s.sha256,
               d.party_count, d.statement_count, s.path
        FROM snapshots s JOIN snapshot_datasets d ON d.snapshot_id = s.id
        WHERE s.full_snapshot
        ORDER BY d.dataset, {snapshot_order('s')}""")
    return ListSnapshots([SnapshotInfo(*row) for row in rows])


def list_snapshots(ledger: Ledger, *, fresh: bool = False) -> ListSnapshots:
    """The full snapshots, read once per ledger generation (``fresh``: read them again now,
    for a reader that met a snapshot newer than the cached ones)."""
    if fresh:
        return _load(ledger)
    return ledger.cache.get("store.snapshots", lambda: _load(ledger))


def snapshot_sequences(ledger: Ledger, datasets: Collection[str] | None = None) -> dict[str, list[tuple[str, date]]]:
    """(snapshot id, observed date) of each list's full snapshots, oldest first; every list
    asked for is a key, with no snapshots if the ledger has none of it."""
    return list_snapshots(ledger).sequences(datasets)


def snapshot_listing(ledger: Ledger) -> list[tuple[Any, ...]]:
    """Every snapshot of every list, delta files included, oldest first per list: (dataset,
    id, kind, observed_at, published_at, party_count, entity_count, statement_count, sha256,
    size, parser_version, full_snapshot, path, ingested_at)."""
    return ledger.query(f"""
        SELECT d.dataset, s.id, s.kind, s.observed_at, s.published_at, d.party_count, d.entity_count,
               d.statement_count, s.sha256, s.size, s.parser_version, s.full_snapshot, s.path, s.ingested_at
        FROM snapshots s JOIN snapshot_datasets d ON d.snapshot_id = s.id
        ORDER BY d.dataset, {snapshot_order('s')}""")


def find_snapshot(ledger: Ledger, snapshot_id: str) -> tuple[date, date | None] | None:
    """(observed_at, published_at) of a snapshot already in the ledger, else None."""
    rows = ledger.query("SELECT observed_at, published_at FROM snapshots WHERE id = ?", [snapshot_id])
    return (rows[0][0], rows[0][1]) if rows else None


def has_delta_snapshots(ledger: Ledger) -> bool:
    """Whether any official change file (a snapshot that is not a full list) was ingested."""
    return bool(ledger.query("SELECT 1 FROM snapshots WHERE NOT full_snapshot LIMIT 1"))
