"""Atomic, idempotent, order-free ingest of one snapshot.

``append(ledger, snapshot)`` takes what ``sources.read_snapshot(path)`` read; ``ingest(ledger,
path)`` is the two together. The store never picks a parser itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from sanctions_ledger.errors import InputError, SourceError
from sanctions_ledger.sources.base import MAX_FIELD_CHARS, Record, date_from_path
from sanctions_ledger.sources.snapshot import Snapshot, read_snapshot
from sanctions_ledger.store.guard import (
    GuardLimits,
    ReleaseRefused,
    check_claims,
    check_release,
    log_ingest,
    write_log,
)
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import SCHEMA_PROP, snapshot_order
from sanctions_ledger.store.snapshots import find_snapshot
from sanctions_ledger.vocab import PARTY_SCHEMAS

if TYPE_CHECKING:
    import pyarrow as pa

Progress = Callable[[int], None]


@dataclass
class IngestReport:
    path: str
    kind: str
    snapshot_id: str
    sha256: str
    observed_at: date
    published_at: date | None
    skipped: bool = False
    reason: str = ""
    datasets: dict[str, int] = field(default_factory=dict)
    entity_count: int = 0
    statement_count: int = 0
    new_statements: int = 0

    def summary(self) -> str:
        if self.skipped:
            return f"{self.path}: {self.reason} (snapshot {self.snapshot_id}); nothing written"
        lists = ", ".join(f"{d} {n}" for d, n in sorted(self.datasets.items()))
        return (f"{self.path}: {self.kind} snapshot {self.snapshot_id} observed {self.observed_at}"
                f" — {self.entity_count} entities, {self.statement_count} statements"
                f" ({self.new_statements} new); parties per list: {lists}")


def statement_id(dataset: str, entity_id: str, prop: str, value: str) -> int:
    key = f"{dataset}\x1f{entity_id}\x1f{prop}\x1f{value}".encode()
    return int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big")


class _Columns:
    """Statement rows accumulated column-wise for one Arrow insert."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.dataset: list[str] = []
        self.entity: list[str] = []
        self.schema: list[str] = []
        self.prop: list[str] = []
        self.ptype: list[str] = []
        self.value: list[str] = []
        self.seen: set[int] = set()

    def add(self, dataset: str, entity_id: str, schema: str, prop: str, ptype: str, value: str) -> None:
        sid = statement_id(dataset, entity_id, prop, value)
        if sid in self.seen:
            return
        self.seen.add(sid)
        self.ids.append(sid)
        self.dataset.append(dataset)
        self.entity.append(entity_id)
        self.schema.append(schema)
        self.prop.append(prop)
        self.ptype.append(ptype)
        self.value.append(value)

    def table(self) -> pa.Table:
        import pyarrow as pa  # only a writer needs it: a read-only server does not load it

        return pa.table({
            "id": pa.array(self.ids, pa.uint64()),
            "dataset": self.dataset, "entity_id": self.entity, "schema": self.schema,
            "prop": self.prop, "prop_type": self.ptype, "value": self.value,
        })


MAX_NAME_CHARS = 2_000
"""The longest name value stored (the longest in the shared lists is under 400 characters): a
name is indexed word by word with one-letter deletions, so one absurd name costs the matcher
memory in proportion to its square."""


def _check_length(path: str, rec: Record, prop: str, ptype: str, value: str) -> None:
    limit = MAX_NAME_CHARS if ptype == "name" else MAX_FIELD_CHARS
    if len(value) > limit:
        raise SourceError(f"entity {rec.entity.id} ({rec.dataset}): its {prop} value is {len(value):,} "
                          f"characters long, over the {limit:,}-character limit for {ptype} values; "
                          "the file is refused, nothing was written", path)


def collect(records: Iterable[Record], progress: Progress | None = None,
            path: str = "") -> tuple[_Columns, dict[str, set[str]], dict[str, set[str]]]:
    """The statements of ``records`` column-wise, and each list's entity and party ids.
    A value over the length limits refuses the file (:class:`SourceError`)."""
    cols = _Columns()
    entities: dict[str, set[str]] = {}
    parties: dict[str, set[str]] = {}
    for n, rec in enumerate(records, start=1):
        ent = rec.entity
        if not ent.id:
            continue
        schema = ent.schema.name
        entities.setdefault(rec.dataset, set()).add(ent.id)
        if schema in PARTY_SCHEMAS:
            parties.setdefault(rec.dataset, set()).add(ent.id)
        cols.add(rec.dataset, ent.id, schema, SCHEMA_PROP, "schema", schema)
        for prop, value in ent.itervalues():
            if len(value) > MAX_NAME_CHARS:
                _check_length(path, rec, prop.name, prop.type.name, value)
            cols.add(rec.dataset, ent.id, schema, prop.name, prop.type.name, value)
        if progress is not None and n % 5000 == 0:
            progress(n)
    return cols, entities, parties


def resolve_observed(path: Path, observed_at: date | str | None, published: date | None) -> date:
    if isinstance(observed_at, str):
        try:
            return date.fromisoformat(observed_at)
        except ValueError as exc:
            raise InputError(f"--observed-at {observed_at!r} is not a date (YYYY-MM-DD)") from exc
    if observed_at is not None:
        return observed_at
    return published or date_from_path(path) or datetime.now(UTC).date()


def ingest(ledger: Ledger, path: Path | str, *, kind: str | None = None,
           observed_at: date | str | None = None, progress: Progress | None = None,
           force: bool = False, allow_lists: Collection[str] = (),
           limits: GuardLimits | None = None) -> IngestReport:
    """Read the snapshot at ``path`` (format ``kind``, detected when not given) and append it
    to the ledger in one transaction (see :func:`append` for the guard's parameters)."""
    return append(ledger, read_snapshot(path, kind), observed_at=observed_at, progress=progress,
                  force=force, allow_lists=allow_lists, limits=limits)


def append(ledger: Ledger, snapshot: Snapshot, *, observed_at: date | str | None = None,
           progress: Progress | None = None, force: bool = False,
           allow_lists: Collection[str] = (), limits: GuardLimits | None = None) -> IngestReport:
    """Append one snapshot in one transaction; the same bytes twice is a reported no-op.

    The snapshot is parsed only when the ledger does not hold its bytes yet, and completely
    before the transaction starts: a parse error writes nothing. Then the release guard
    (:mod:`.guard`) runs: a snapshot that would delist more of a list than ``limits`` allow
    (default 5% or 200 parties), or is incomplete against its predecessor, is refused with
    :class:`ReleaseRefused` unless ``force``; an FtM file writes into an official list only
    when ``allow_lists`` names it. Refusals and forced ingests are kept in ``ingest_log``.
    """
    path, snapshot_id = snapshot.path, snapshot.id
    existing = find_snapshot(ledger, snapshot_id)
    if existing:
        return IngestReport(str(path), snapshot.kind, snapshot_id, snapshot.sha256, existing[0],
                            existing[1], skipped=True, reason="already ingested (same bytes)")
    cols, entities, parties = collect(snapshot.records(), progress, str(path))
    if not cols.ids:
        raise SourceError("no entities found", str(path))
    published = snapshot.meta.published_at
    observed = resolve_observed(path, observed_at, published)
    report = IngestReport(str(path), snapshot.kind, snapshot_id, snapshot.sha256, observed, published,
                          entity_count=sum(len(v) for v in entities.values()),
                          statement_count=len(cols.ids),
                          datasets={d: len(parties.get(d, ())) for d in entities})
    outcome, why = _guard(ledger, snapshot, observed, published, entities, parties, force=force,
                          allow_lists=allow_lists, limits=limits or GuardLimits())
    table = cols.table()
    with ledger.transaction() as cur:
        write_log(cur, snapshot, outcome, entities, why)
        cur.register("incoming", table)
        cur.execute("""CREATE OR REPLACE TEMP TABLE fresh AS
                       SELECT i.* FROM incoming i ANTI JOIN statements s ON s.id = i.id""")
        cur.execute("INSERT INTO statements SELECT * FROM fresh")
        cur.execute("""INSERT INTO refs SELECT id, dataset, entity_id, prop, value FROM fresh
                       WHERE prop_type = 'entity'""")
        fresh = cur.execute("SELECT count(*) FROM fresh").fetchone()
        report.new_statements = fresh[0] if fresh else 0
        cur.execute("DROP TABLE fresh")
        cur.execute("INSERT INTO observations SELECT ?, dataset, id FROM incoming", [snapshot_id])
        cur.unregister("incoming")
        cur.execute(
            "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [snapshot_id, snapshot.kind, snapshot.sha256, snapshot.size, str(path),
             [str(m) for m in snapshot.members], observed, published, snapshot.parser.version,
             snapshot.full, datetime.now(UTC).replace(tzinfo=None), report.entity_count,
             report.statement_count],
        )
        counts = cur.execute(
            "SELECT dataset, count(*) FROM observations WHERE snapshot_id = ? GROUP BY dataset", [snapshot_id]
        ).fetchall()
        for dataset, n_statements in counts:
            cur.execute("INSERT INTO snapshot_datasets VALUES (?, ?, ?, ?, ?)",
                        [snapshot_id, dataset, len(entities.get(dataset, ())),
                         len(parties.get(dataset, ())), n_statements])
        for dataset in sorted(entities):
            rebuild_intervals(cur, dataset)
    return report


def _guard(ledger: Ledger, snapshot: Snapshot, observed: date, published: date | None,
           entities: dict[str, set[str]], parties: dict[str, set[str]], *, force: bool,
           allow_lists: Collection[str], limits: GuardLimits) -> tuple[str, str]:
    """(outcome, reason) for the ingest log, or :class:`ReleaseRefused` (logged first)."""
    try:
        check_claims(snapshot, entities, allow_lists)
    except ReleaseRefused as exc:
        log_ingest(ledger, snapshot, "refused", entities, exc.detail)
        raise
    reasons = check_release(ledger, snapshot, observed, published,
                            {d: parties.get(d, set()) for d in entities}, limits)
    if not reasons:
        return "ingested", ""
    why = "; ".join(reasons)
    if force:
        return "forced", why
    log_ingest(ledger, snapshot, "refused", entities, why)
    raise ReleaseRefused(f"refused: {why}. Nothing was written; if this release is genuine, "
                         "ingest it again with force=True (sanctions ingest --force)", str(snapshot.path))


def rebuild_intervals(cur: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Recompute the validity intervals of one dataset from all its full snapshots.

    Snapshots are in the snapshot order (observed date, published date, id): a statement's
    interval is a maximal run of consecutive snapshots containing it, closed by the first
    snapshot missing it.
    """
    cur.execute("DELETE FROM intervals WHERE dataset = ?", [dataset])
    cur.execute(f"""
        INSERT INTO intervals
        WITH snaps AS (
            SELECT s.id, s.observed_at,
                   row_number() OVER (ORDER BY {snapshot_order('s')}) AS seq
            FROM snapshots s JOIN snapshot_datasets d ON d.snapshot_id = s.id
            WHERE d.dataset = $1 AND s.full_snapshot
        ),
        obs AS (
            SELECT o.statement_id, n.seq FROM observations o JOIN snaps n ON n.id = o.snapshot_id
            WHERE o.dataset = $1
        ),
        islands AS (
            SELECT statement_id, seq,
                   seq - row_number() OVER (PARTITION BY statement_id ORDER BY seq) AS grp
            FROM obs
        ),
        runs AS (
            SELECT statement_id, min(seq) AS first_seq, max(seq) AS last_seq
            FROM islands GROUP BY statement_id, grp
        )
        SELECT r.statement_id, $1, f.observed_at, l.observed_at, m.observed_at, f.id, l.id, m.id
        FROM runs r
        JOIN snaps f ON f.seq = r.first_seq
        JOIN snaps l ON l.seq = r.last_seq
        LEFT JOIN snaps m ON m.seq = r.last_seq + 1
    """, [dataset])
