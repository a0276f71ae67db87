"""The release guard: what one file may do to the lists already in the ledger.

A list release that would show a large share of a list as delisted is far more often a cut
download, a wrong file or a hand-made one than a real mass delisting, and once appended it
reads as a fact ("8,975 parties delisted today"). So, before anything is written:

* **Claims.** A format whose records name their own list (FtM JSON lines: ``"datasets"``) may
  not write into an official list (the lists the official parsers write: ``us_ofac_sdn``,
  ``eu_fsf``, ``un_sc_sanctions`` ...) unless the caller names that list in ``allow_lists``.
  Other list names pass.
* **Shrink.** Per list, the parties that this snapshot would newly show as delisted are
  counted, and more than ``max(share x parties, minimum)`` is refused unless forced. Which
  parties that is depends on where the snapshot falls in the list's snapshot order (the
  share is per year between the snapshots compared, at least one year: a release two years
  after the last one loaded may remove twice as much, as OFAC's list did from 2019 to 2022):

  - a *release* (newer than every snapshot of its list) is compared with the newest one:
    every party there and missing here would be delisted on this date;
  - *history* (older than the newest one, e.g. an old file loaded late) sits between a
    predecessor P and a successor S. Parties of P missing from S were delisted anyway (the
    snapshot only dates that more precisely); the new ones are parties in both P and S but
    missing here: a gap that reads as "delisted, then listed again". Those are counted;
  - the oldest snapshot of its list has no predecessor and delists nothing.
* **Completeness** against the previous snapshot of the same format: a file set that lacks a
  member file its predecessor had, or is under half its predecessor's size (for lists of more
  than ``minimum`` parties: excerpts are small), is refused unless forced (a format's own checks, such as OFAC's end-of-file mark or record count, are in its
  parser).

Every refusal, and every ingest forced past one, is written to ``ingest_log`` with the file's
hash.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import official_datasets
from sanctions_ledger.sources.snapshot import Snapshot
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import SCHEMA_PROP
from sanctions_ledger.store.snapshots import SnapshotInfo, list_snapshots
from sanctions_ledger.vocab import PARTY_SCHEMAS

__all__ = ["GuardLimits", "ReleaseRefused", "check_claims", "check_release", "ingest_log", "log_ingest"]


class ReleaseRefused(SourceError):
    """A snapshot the guard refused: the reason says what it would do and how to force it."""

    status = 409


@dataclass(frozen=True)
class GuardLimits:
    """How much one snapshot may remove from a list before it is refused."""

    share: float = 0.05
    """Share of the previous snapshot's parties per year between the two (at least a year) ..."""
    minimum: int = 200
    """... or this many parties, whichever is larger."""
    min_size_ratio: float = 0.5
    """A snapshot under this share of its same-format predecessor's bytes is refused."""

    def allowed(self, previous: int, years: float = 1.0) -> int:
        """Parties one snapshot may remove from a list of ``previous`` parties, ``years``
        after the snapshot it is compared with."""
        return max(self.minimum, math.ceil(self.share * max(1.0, years) * previous))


def _years(first: date, last: date) -> float:
    """Years from ``first`` to ``last``, counting no further than today (a date in the future
    buys no larger allowance)."""
    return max(0, (min(last, datetime.now(UTC).date()) - first).days) / 365.25


def _order_key(observed: date, published: date | None, snapshot_id: str) -> tuple[date, int, date, str]:
    """Python twin of ``schema.snapshot_order`` (published date NULLS FIRST)."""
    return observed, 0 if published is None else 1, published or date.min, snapshot_id


def _neighbours(seq: list[SnapshotInfo], key: tuple[date, int, date, str]) -> tuple[SnapshotInfo | None, SnapshotInfo | None]:
    before = [s for s in seq if _order_key(s.observed_at, s.published_at, s.id) < key]
    after = [s for s in seq if _order_key(s.observed_at, s.published_at, s.id) > key]
    return (before[-1] if before else None), (after[0] if after else None)


def _party_ids(ledger: Ledger, snapshot_id: str, dataset: str) -> set[str]:
    rows = ledger.query(
        f"""SELECT DISTINCT s.entity_id FROM observations o JOIN statements s ON s.id = o.statement_id
            WHERE o.snapshot_id = ? AND o.dataset = ? AND s.prop = ?
              AND s.schema IN ({", ".join("?" for _ in PARTY_SCHEMAS)})""",
        [snapshot_id, dataset, SCHEMA_PROP, *PARTY_SCHEMAS])
    return {r[0] for r in rows}


def _file_facts(ledger: Ledger, snapshot_id: str) -> tuple[str, int, list[str]]:
    rows = ledger.query("SELECT kind, size, files FROM snapshots WHERE id = ?", [snapshot_id])
    kind, size, files = rows[0]
    return kind, size, [str(f).replace("\\", "/").rsplit("/", 1)[-1].lower() for f in files or []]


def check_claims(snapshot: Snapshot, datasets: Collection[str], allow_lists: Collection[str]) -> None:
    """Refuse official list names that the file itself claims (FtM ``datasets``) unless the
    caller allowed them."""
    if not getattr(snapshot.parser, "names_own_lists", False):
        return
    claimed = sorted(set(datasets) & official_datasets() - set(allow_lists))
    if claimed:
        raise ReleaseRefused(
            f"refused: the file names official list(s) {', '.join(claimed)} itself; a {snapshot.kind} "
            "file may write into an official list only when that list is allowed explicitly "
            f"(allow_lists={claimed!r}, sanctions ingest {' '.join(f'--as-list {c}' for c in claimed)})",
            str(snapshot.path))


def _shrink(ledger: Ledger, dataset: str, prev: SnapshotInfo, nxt: SnapshotInfo | None,
            observed: date, incoming: set[str], limits: GuardLimits) -> str | None:
    before = _party_ids(ledger, prev.id, dataset)
    if nxt is not None:  # history: only gaps that no other snapshot shows are new
        before &= _party_ids(ledger, nxt.id, dataset)
    removed = before - incoming
    years = _years(prev.observed_at, nxt.observed_at if nxt is not None else observed)
    allowed = limits.allowed(len(before), years)
    if len(removed) <= allowed:
        return None
    where = (f"the snapshot before it ({prev.id}, observed {prev.observed_at})" if nxt is None else
             f"the snapshots around it ({prev.id}, observed {prev.observed_at}, and {nxt.id}, "
             f"observed {nxt.observed_at}), which both list them")
    example = ", ".join(sorted(removed)[:3])
    return (f"list {dataset} would show {len(removed):,} of {len(before):,} parties as delisted "
            f"compared with {where}; at most {allowed:,} may go in one snapshot "
            f"({limits.share:.0%} per year, over {max(1.0, years):.1f} year(s) here, or {limits.minimum}, "
            f"whichever is larger), e.g. {example}")


def _completeness(ledger: Ledger, snapshot: Snapshot, prev: SnapshotInfo, limits: GuardLimits) -> str | None:
    kind, size, files = _file_facts(ledger, prev.id)
    if kind != snapshot.kind:
        return None  # another format: its sizes and member files say nothing about this one
    have = {m.name.lower() for m in snapshot.members}
    missing = [f for f in files if f not in have]
    if len(files) > 1 and missing:
        return (f"the file set lacks {', '.join(missing)}, which the previous {kind} snapshot "
                f"{prev.id} (observed {prev.observed_at}) had")
    if size and snapshot.size < limits.min_size_ratio * size and prev.party_count > limits.minimum:
        return (f"the file is {snapshot.size:,} bytes, under {limits.min_size_ratio:.0%} of the "
                f"previous {kind} snapshot {prev.id} ({size:,} bytes, observed {prev.observed_at})")
    return None


def check_release(ledger: Ledger, snapshot: Snapshot, observed: date, published: date | None,
                  parties: Mapping[str, set[str]], limits: GuardLimits) -> list[str]:
    """The reasons to refuse this full snapshot of the lists in ``parties`` (dataset -> its
    party ids here); empty when it may be appended."""
    if not snapshot.full:
        return []  # a change file removes what it says it removes
    key = _order_key(observed, published, snapshot.id)
    by_dataset = list_snapshots(ledger, fresh=True).by_dataset
    reasons: list[str] = []
    completeness_done = False
    for dataset in sorted(parties):
        prev, nxt = _neighbours(by_dataset.get(dataset, []), key)
        if prev is None:
            continue
        found = _shrink(ledger, dataset, prev, nxt, observed, parties[dataset], limits)
        if found:
            reasons.append(found)
        if not completeness_done and nxt is None:
            completeness_done = True
            found = _completeness(ledger, snapshot, prev, limits)
            if found:
                reasons.append(found)
    return reasons


def log_ingest(ledger: Ledger, snapshot: Snapshot, outcome: str, datasets: Collection[str],
               reason: str = "") -> None:
    """One ``ingest_log`` row in its own transaction (a refusal writes nothing else)."""
    if ledger.read_only:
        return
    with ledger.transaction() as cur:
        write_log(cur, snapshot, outcome, datasets, reason)


def write_log(cur: duckdb.DuckDBPyConnection, snapshot: Snapshot, outcome: str, datasets: Collection[str], reason: str = "") -> None:
    """The ``ingest_log`` row of ``snapshot`` on an open transaction's cursor."""
    cur.execute(
        "INSERT INTO ingest_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [datetime.now(UTC).replace(tzinfo=None), outcome, snapshot.kind, snapshot.sha256,
         snapshot.id, str(snapshot.path), sorted(datasets), reason or None])


def ingest_log(ledger: Ledger, limit: int = 100) -> list[dict[str, object]]:
    """The newest ``ingest_log`` rows first: when, outcome (ingested, forced, refused), format,
    sha256, snapshot id, path, lists and the reason."""
    rows = ledger.query("SELECT logged_at, outcome, kind, sha256, snapshot_id, path, datasets, reason "
                        "FROM ingest_log ORDER BY logged_at DESC LIMIT ?", [limit])
    names = ("logged_at", "outcome", "kind", "sha256", "snapshot_id", "path", "datasets", "reason")
    return [dict(zip(names, row, strict=True)) for row in rows]
