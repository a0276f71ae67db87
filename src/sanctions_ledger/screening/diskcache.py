"""The on-disk caches next to a store (screening indexes, API party records): atomic writes,
least-recently-used pruning.

Each cache file is named by a key over the snapshot ids it was built from, so a new ingest
means a new file; without pruning, a nightly update would leave one more of each per day.
A file's modification time is its last use (loading touches it), and only the newest
:data:`KEEP` files of a kind stay.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["KEEP", "prune", "touch", "write_atomic"]

log = logging.getLogger(__name__)

KEEP = 8
"""Cache files kept per kind (suffix); the least recently used beyond these are deleted."""


def write_atomic(path: Path, dump: Callable[[BinaryIO], None], keep: int = KEEP) -> None:
    """Write ``path`` through a temp file and a rename, then prune its kind.

    Several processes may build the same file at once: each writes its own temp file and
    the last rename wins (the contents are identical).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            dump(fh)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    prune(path.parent, path.suffix, keep)


def touch(path: Path) -> None:
    """Mark a cache file as just used (best effort: the folder may be read-only)."""
    try:
        os.utime(path)
    except OSError:
        pass


def prune(folder: Path, suffix: str, keep: int = KEEP) -> list[Path]:
    """Delete all but the ``keep`` most recently used ``*suffix`` files of ``folder``;
    returns the deleted paths. A file another process deletes first is skipped."""
    files = []
    for path in folder.glob(f"*{suffix}"):
        try:
            files.append((path.stat().st_mtime, path))
        except OSError:
            continue
    files.sort(reverse=True)
    gone = []
    for _, path in files[keep:]:
        try:
            path.unlink()
            gone.append(path)
        except OSError as exc:
            log.warning("cannot prune cache file %s: %s", path, exc)
    return gone
