"""The screening indexes of one ledger: one :class:`MatchIndex` per set of snapshot ids, kept
in memory (the few most recently used) and on disk (next to the store, for other processes:
the bulk engines' workers, the server's workers, the next start)."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sanctions_ledger.errors import NotFoundError
from sanctions_ledger.match import MatchIndex, signed
from sanctions_ledger.match import index as match_index
from sanctions_ledger.match.index import FORMAT_VERSION as INDEX_FORMAT
from sanctions_ledger.screening import diskcache
from sanctions_ledger.store import Ledger, LedgerView

__all__ = ["IndexCache", "SnapshotKey", "matcher_fingerprint"]

log = logging.getLogger(__name__)

SnapshotKey = tuple[str, ...]
"""The sorted ids of the snapshots an index was built from: what the index depends on."""


def matcher_fingerprint() -> str:
    """A hash of the matcher's source files (``sanctions_ledger/match/*.py``): the index
    holds names as they were analysed, so a changed analysis must not reuse an old file."""
    digest = hashlib.sha256()
    for path in sorted(Path(match_index.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def no_snapshot(as_of: date | None) -> NotFoundError:
    return NotFoundError(f"no list snapshot on or before {as_of or 'now'}: load lists first "
                         "(sanctions ingest PATH, or sanctions serve --from DIR / --update)")


class IndexCache:
    """One index per snapshot-id set: built from the ledger, or loaded from ``cache_dir``.

    The index of a date indexes every list standing on it (datasets filter at query time), so
    the snapshot ids alone name it: an ingest that changes no standing snapshot reuses it.
    """

    def __init__(self, ledger: Ledger, cache_dir: Path | None = None, max_cached: int = 4) -> None:
        self.ledger = ledger
        self.cache_dir = diskcache.usable(cache_dir)
        """The index files' folder (0700, this user's; None when ``cache_dir`` is not: see
        ``diskcache.usable``). Files there are signed; an unsigned one is rebuilt."""
        self.max_cached = max_cached
        self._indexes: OrderedDict[SnapshotKey, MatchIndex] = OrderedDict()
        self._fingerprint: str | None = None
        self._lock = threading.Lock()

    def file_name(self, key: SnapshotKey) -> str:
        """The disk cache file of ``key``: named by the snapshot ids, the index format and the
        matcher's source, so a new build never loads a file written by other code."""
        if self._fingerprint is None:
            self._fingerprint = matcher_fingerprint()
        material = "\n".join([f"format {INDEX_FORMAT}", f"matcher {self._fingerprint}", *key])
        return hashlib.sha256(material.encode()).hexdigest()[:24] + ".idx"

    def cached(self, key: SnapshotKey) -> MatchIndex | None:
        """The index of ``key`` when it is in memory (no lock: the hot path of every request)."""
        return self._indexes.get(key)

    def get(self, key: SnapshotKey, as_of: date | None) -> MatchIndex:
        """The index of ``key``, the snapshots standing on ``as_of``: from memory, else from
        the disk cache, else built (one build at a time)."""
        found = self._indexes.get(key)
        if found is not None:
            return found
        if not key:
            raise no_snapshot(as_of)
        with self._lock:
            found = self._indexes.get(key)
            if found is None:
                found = self._load_or_build(key, as_of)
                while len(self._indexes) >= self.max_cached:
                    self._indexes.popitem(last=False)
                self._indexes[key] = found
        return found

    def file(self, key: SnapshotKey, as_of: date | None) -> Path:
        """The on-disk index of ``key`` (loaded to validate it, or built and written)."""
        if self.cache_dir is None:
            raise NotFoundError("bulk screening needs an index cache directory")
        if not key:
            raise no_snapshot(as_of)
        self.get(key, as_of)
        return self.cache_dir / self.file_name(key)

    def _load_or_build(self, key: Sequence[str], as_of: date | None) -> MatchIndex:
        path = self.cache_dir / self.file_name(tuple(key)) if self.cache_dir else None
        if path is not None and path.exists():
            try:
                loaded = MatchIndex.load(path)  # verifies the signature before unpickling
                diskcache.touch(path)
                return loaded
            except Exception as exc:  # noqa: BLE001 - a corrupt or unsigned cache is rebuilt, never trusted
                log.warning("rebuilding index cache %s: %s", path, getattr(exc, "detail", exc))
        index = MatchIndex.build(LedgerView(self.ledger, as_of, None).iter_parties())
        if path is not None:
            secret = signed.folder_key(path.parent)
            diskcache.write_atomic(path, lambda fh: index.dump(fh, secret))
        return index
