"""The dataset index that ``sanctions serve`` publishes under ``/exports/``, in OpenSanctions'
shape, so that a yente deployment can load the ledger like any OpenSanctions collection:

- ``index.json``: the collection ``sanctions_ledger`` (name, title, version, last change, the
  lists it holds as ``datasets``) with its resources: the latest full export in FtM entities
  and in FtM statements, each with URL, SHA1 checksum (what yente verifies), SHA256, size and
  media type; and ``delta_url``.
- ``delta.json``: yente's delta index, ``{"versions": {version: url}}``: one delta file per
  pair of consecutive points of the ledger's timeline.
- ``catalog.json``: ``{"datasets": [...]}``, the collection and one entry per list, which a
  yente manifest names under ``catalogs:``.

The timeline's points are the days on which some list has a full snapshot; a point's version
is ``YYYYMMDD-NNNN``, its day and the number of list snapshots observed on or before it, so
versions sort in time and a snapshot ingested later for a day already published moves the
version on. Files are named by a digest of the snapshot ids they rest on and kept in a cache
folder beside the store (``<store>.exports``, as the screening index's ``<store>.index``):
an ingest never invalidates a file, it only adds a new point.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from followthemoney.dataset.util import dataset_name_check

from sanctions_ledger.errors import NotFoundError
from sanctions_ledger.export.build import MEDIA_TYPES, write_delta, write_export
from sanctions_ledger.export.entities import iso
from sanctions_ledger.export.files import file_digests, write_atomic
from sanctions_ledger.store.exports import last_change
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.snapshots import SnapshotInfo, list_snapshots

__all__ = ["DATASET", "Point", "Publisher", "timeline"]

DATASET = "sanctions_ledger"
TITLE = "Sanctions Ledger"
KEEP = {"entities": 8, "statements": 8, "delta": 256}
"""Files kept per kind; the least recently written beyond these are deleted."""
_NAME = re.compile(r"^(entities|statements)-([0-9a-f]{16})\.(ftm\.json|csv)$"
                   r"|^delta-([0-9a-f]{16})-([0-9a-f]{16})\.json$")
EMPTY = "0" * 16
"""The key of the empty ledger, before the first point: the delta from it adds everything."""


@dataclass(frozen=True)
class Point:
    """The ledger on one day: the snapshot standing for each list."""

    day: date
    snapshots: tuple[SnapshotInfo, ...]
    version: str
    key: str
    """Digest of the (list, snapshot id) pairs: names this point's files."""


def _key(snaps: tuple[SnapshotInfo, ...]) -> str:
    text = "\n".join(f"{s.dataset}:{s.id}" for s in sorted(snaps, key=lambda s: s.dataset))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def timeline(ledger: Ledger) -> list[Point]:
    """Every day on which a list has a full snapshot, oldest first, with what stood then."""
    snaps = list_snapshots(ledger)
    observed = sorted(s.observed_at for seq in snaps.by_dataset.values() for s in seq)
    points = []
    for day in sorted(set(observed)):
        standing = tuple(snaps.standing(day))
        count = sum(1 for d in observed if d <= day)
        points.append(Point(day, standing, f"{day:%Y%m%d}-{count:04d}", _key(standing)))
    return points


def _dataset_name(name: str) -> bool:
    try:
        dataset_name_check(name)
    except ValueError:
        return False
    return True


def default_folder(ledger: Ledger) -> Path:
    if ledger.path is not None:
        return ledger.path.parent / (ledger.path.name + ".exports")
    return Path(tempfile.gettempdir()) / f"sanctions-ledger-exports-{os.getpid()}"


class Publisher:
    """Builds, caches and describes the published files of one ledger."""

    def __init__(self, ledger: Ledger, folder: Path | None = None) -> None:
        self.ledger = ledger
        self.folder = folder or default_folder(ledger)
        self._lock = threading.Lock()
        self._digests: dict[tuple[str, int, int], tuple[str, str, int]] = {}

    def points(self) -> list[Point]:
        points = timeline(self.ledger)
        if not points:
            raise NotFoundError("the ledger holds no snapshots: nothing is published yet")
        return points

    def _build(self, name: str, dump: Callable[[BinaryIO], None]) -> Path:
        path = self.folder / name
        if path.exists():
            return path
        with self._lock:
            if not path.exists():
                self.folder.mkdir(parents=True, exist_ok=True)
                write_atomic(path, dump)
                self._prune(name.split("-", 1)[0])
        return path

    def _prune(self, kind: str) -> None:
        files = sorted(self.folder.glob(f"{kind}-*"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP.get(kind, 8):]:
            old.unlink(missing_ok=True)

    def full(self, point: Point, fmt: str) -> Path:
        """The full export of ``point`` in ``ftm`` or ``statements``, built once."""
        snaps = list(point.snapshots)
        name = f"entities-{point.key}.ftm.json" if fmt == "ftm" else f"statements-{point.key}.csv"
        return self._build(name, lambda fh: self._write_full(snaps, fmt, fh))

    def _write_full(self, snaps: list[SnapshotInfo], fmt: str, fh: BinaryIO) -> None:
        write_export(self.ledger, snaps, fmt, fh)

    def delta(self, before: Point | None, after: Point) -> Path:
        """The delta file from ``before`` (None: the empty ledger) to ``after``."""
        name = f"delta-{before.key if before else EMPTY}-{after.key}.json"
        return self._build(name, lambda fh: self._write_delta(before, after, fh))

    def _write_delta(self, before: Point | None, after: Point, fh: BinaryIO) -> None:
        write_delta(self.ledger, list(before.snapshots) if before else [], list(after.snapshots), fh)

    def file(self, name: str) -> tuple[Path, str]:
        """(path, media type) of a published file by its name, built if needed; an unknown
        name, or one of snapshots no longer in the ledger, is a 404."""
        match = _NAME.match(name)
        if match is None:
            raise NotFoundError(f"no published file {name!r}")
        by_key = {p.key: p for p in self.points()}
        if match.group(1):
            point = by_key.get(match.group(2))
            if point is None:
                raise NotFoundError(f"no published file {name!r}: no such ledger state")
            fmt = "ftm" if match.group(1) == "entities" else "statements"
            return self.full(point, fmt), MEDIA_TYPES[fmt]
        before, after = by_key.get(match.group(4)), by_key.get(match.group(5))
        if match.group(4) == EMPTY and after is not None:
            return self.delta(None, after), MEDIA_TYPES["delta"]
        if before is None or after is None or before.day > after.day:
            raise NotFoundError(f"no published file {name!r}: no such pair of ledger states")
        return self.delta(before, after), MEDIA_TYPES["delta"]

    def _digest(self, path: Path) -> tuple[str, str, int]:
        stat = path.stat()
        key = (path.name, stat.st_size, stat.st_mtime_ns)
        found = self._digests.get(key)
        if found is None:
            found = self._digests[key] = file_digests(path)
        return found

    def _resource(self, base: str, path: Path, name: str, fmt: str, title: str) -> dict[str, Any]:
        sha1, sha256, size = self._digest(path)
        return {"name": name, "url": f"{base}/exports/files/{path.name}", "checksum": sha1,
                "sha256": sha256, "mime_type": MEDIA_TYPES[fmt], "size": size, "title": title}

    def index(self, base: str) -> dict[str, Any]:
        """``index.json``: the collection as of the latest point (``base``: the server's URL)."""
        base = base.rstrip("/")
        latest = self.points()[-1]
        entities = self.full(latest, "ftm")
        statements = self.full(latest, "statements")
        # yente's catalog refuses a dataset name FtM's check refuses (an FtM file may name
        # its lists with dots or colons): such lists stay out of the collection's children,
        # and yente labels their entities with the collection's name.
        lists = sorted(s.dataset for s in latest.snapshots if _dataset_name(s.dataset))
        return {
            "name": DATASET, "title": TITLE,
            "summary": "Every list in this ledger as its latest snapshot states it, with each "
                       "statement's first and last seen dates, and deltas between snapshots.",
            "version": latest.version,
            "updated_at": iso(latest.day), "last_export": iso(latest.day),
            "last_change": iso(last_change(self.ledger, list(latest.snapshots)) or latest.day),
            "datasets": lists,
            "snapshots": [{"dataset": s.dataset, "id": s.id, "observed_at": s.observed_at.isoformat()}
                          for s in latest.snapshots],
            "resources": [
                self._resource(base, entities, "entities.ftm.json", "ftm", "FollowTheMoney entities"),
                self._resource(base, statements, "statements.csv", "statements",
                               "FollowTheMoney statements (first_seen / last_seen from the ledger)"),
            ],
            "delta_url": f"{base}/exports/delta.json",
        }

    def delta_index(self, base: str) -> dict[str, Any]:
        """``delta.json``: each point's version -> the delta file from the point before it
        (the first point's, from the empty ledger). yente applies the deltas of the versions
        after the one it holds, and loads in full a version older than every key, so the
        first point must be a key too (``DatasetUpdater.build``)."""
        base = base.rstrip("/")
        points = self.points()
        keys = [EMPTY] + [p.key for p in points[:-1]]
        return {"versions": {b.version: f"{base}/exports/files/delta-{a}-{b.key}.json"
                             for a, b in zip(keys, points, strict=True)}}

    def catalog(self, base: str) -> dict[str, Any]:
        """``catalog.json``: the collection, and each list it holds as a dataset of its own (so
        that yente keeps each entity's lists instead of relabelling it with the collection)."""
        index = self.index(base)
        leaves = [{"name": ds, "title": ds} for ds in index["datasets"]]
        return {"datasets": [index, *leaves], "updated_at": index["updated_at"]}
