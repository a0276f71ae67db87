"""Party records as the API returns them: built from the ledger, cached on disk.

A record is one list's party in one snapshot, with its sanctions nested and its first/last
seen dates. The service keeps every record of the latest lists in memory; building them
takes three scans of the ledger, so the result is also written next to the screening index,
keyed by the snapshot ids, and later processes (the ``--workers`` processes, a restart)
load that file instead: faster, and without the scans' garbage in every process.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import LedgerError
from sanctions_ledger.screening import diskcache
from sanctions_ledger.store import Ledger, LedgerView, SnapshotInfo
from sanctions_ledger.store import records as store_records

__all__ = ["EntityRecord", "load_all", "nested", "read_all", "read_some"]

log = logging.getLogger(__name__)

FORMAT = "records 1"
"""Part of the disk cache key: bump when :class:`EntityRecord` changes shape."""


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """A party as one list carried it in one snapshot, ready to serialise.

    The properties (with the nested sanctions) are kept as one orjson-encoded blob: tens of
    thousands of records stay resident in every server process, and a blob is a fraction
    of the size of the dicts and strings it encodes. Responses embed it verbatim
    (``orjson.Fragment``), so the hot path never decodes it.
    """

    dataset: str
    id: str
    schema: str
    caption: str
    payload: bytes
    """orjson of the properties, with the Sanction entities under ``sanctions``."""
    topics: tuple[str, ...]
    first_seen: date | None
    last_seen: date | None
    last_change: date | None

    @classmethod
    def build(cls, dataset: str, entity: EntityProxy, sanctions: list[dict[str, Any]],
              dates: tuple[date | None, date | None, date | None]) -> EntityRecord:
        props: dict[str, Any] = {p: list(v) for p, v in entity.properties.items()}
        topics = tuple(props.get("topics") or (["sanction"] if sanctions else []))
        if sanctions:
            props["sanctions"] = sanctions
        # orjson's output keeps a 4 KB buffer behind every result: copy it to its own size.
        payload = bytes(memoryview(orjson.dumps(props)))
        return cls(dataset, str(entity.id), entity.schema.name, entity.caption, payload, topics, *dates)

    @property
    def properties(self) -> dict[str, list[Any]]:
        """The decoded properties (``sanctions`` included when the party has any)."""
        props: dict[str, list[Any]] = orjson.loads(self.payload)
        return props

    @property
    def sanctions(self) -> list[dict[str, Any]]:
        return self.properties.get("sanctions", [])

    def to_json(self) -> dict[str, Any]:
        """yente's entity shape; Sanction entities nested under ``properties.sanctions``."""
        return {
            "id": self.id, "caption": self.caption, "schema": self.schema,
            "properties": orjson.Fragment(self.payload),
            "datasets": [self.dataset], "referents": [], "target": True,
            "first_seen": _ts(self.first_seen), "last_seen": _ts(self.last_seen),
            "last_change": _ts(self.last_change),
        }


def _ts(value: date | None) -> str | None:
    return f"{value.isoformat()}T00:00:00" if value else None


def nested(sanction: EntityProxy) -> dict[str, Any]:
    """A Sanction entity as yente nests it under a party's ``properties.sanctions``."""
    return {"id": sanction.id, "caption": sanction.caption, "schema": sanction.schema.name,
            "properties": {p: list(v) for p, v in sanction.properties.items()},
            "datasets": [], "referents": [], "target": False}


def read_all(ledger: Ledger, snaps: Sequence[SnapshotInfo], as_of: date | None) -> list[EntityRecord]:
    """Every party of ``snaps`` (the snapshots standing on ``as_of``), in three scans."""
    sanctions: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for dataset, sanc in store_records.snapshot_sanctions(ledger, snaps):
        for party in sanc.get("entity"):
            sanctions.setdefault((dataset, party), []).append(nested(sanc))
    dates = store_records.snapshot_party_dates(ledger, snaps)
    return [EntityRecord.build(dataset, entity, sanctions.get((dataset, str(entity.id)), []),
                               dates.get((dataset, str(entity.id)), (None, None, None)))
            for dataset, entity in LedgerView(ledger, as_of, None).iter_parties()]


def read_some(ledger: Ledger, snaps: Sequence[SnapshotInfo], as_of: date | None,
              keys: Collection[tuple[str, str]]) -> list[tuple[str, EntityRecord]]:
    """(snapshot id, record) of the given (dataset, entity_id) parties of ``snaps`` (the
    snapshots standing on ``as_of``), in three queries; parties no snapshot holds are left out."""
    if not keys:
        return []
    by_dataset = {s.dataset: s for s in snaps}
    view = LedgerView(ledger, as_of, sorted({d for d, _ in keys}))
    ids = sorted({e for _, e in keys})
    wanted = set(keys)
    parties = {(d, str(e.id)): e for d, e in view.entities(ids) if (d, e.id) in wanted}
    owners = store_records.sanction_owners(ledger, ids)
    owner = {(d, sid): party for d, sid, party in owners}
    sanctions: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for d, sanc in view.entities(sorted({sid for _, sid, _ in owners})):
        party = owner.get((d, str(sanc.id)))
        if party is not None and sanc.schema.name == "Sanction":
            sanctions.setdefault((d, party), []).append(nested(sanc))
    dates = store_records.party_dates(ledger, ids, {d: s.observed_at for d in {d for d, _ in keys}
                                                    if (s := by_dataset.get(d)) is not None})
    out = []
    for key, entity in parties.items():
        snap = by_dataset.get(key[0])
        if snap is not None:
            out.append((snap.id, EntityRecord.build(key[0], entity, sanctions.get(key, []),
                                                    dates.get(key, (None, None, None)))))
    return out


def cache_file(ledger: Ledger, cache_dir: Path, snaps: Sequence[SnapshotInfo]) -> Path:
    """The cache file of the records of ``snaps``. The key holds every snapshot in the ledger,
    not just ``snaps``: an older snapshot ingested later changes their first-seen dates."""
    every = store_records.snapshot_ids(ledger)
    material = "\n".join([FORMAT, *sorted(s.id for s in snaps), "all", *every])
    return cache_dir / f"{hashlib.sha256(material.encode()).hexdigest()[:24]}.records"


def load_all(ledger: Ledger, snaps: Sequence[SnapshotInfo], as_of: date | None,
             cache_dir: Path | None) -> list[EntityRecord]:
    """:func:`read_all`, through the disk cache in ``cache_dir`` when there is one (a pickle
    signed with the folder's key: an unsigned or mis-signed file is rebuilt, never unpickled)."""
    cache_dir = diskcache.usable(cache_dir)
    path = cache_file(ledger, cache_dir, snaps) if cache_dir is not None else None
    if path is not None and path.exists():
        try:
            fmt, recs = pickle.loads(diskcache.read_signed(path))
            if fmt == FORMAT:
                diskcache.touch(path)
                return list(recs)
        except Exception:  # noqa: BLE001 - a corrupt cache is rebuilt, never trusted
            log.warning("ignoring unreadable record cache %s", path)
    recs = read_all(ledger, snaps, as_of)
    if path is not None:
        try:
            diskcache.write_signed(
                path, lambda fh: pickle.dump((FORMAT, recs), fh, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, LedgerError) as exc:  # a read-only cache folder only costs the next start its scans
            log.warning("cannot write record cache %s: %s", path, exc)
    return recs
