"""The on-disk caches next to a store (screening indexes, API party records): atomic writes,
least-recently-used pruning.

Each cache file is named by a key over the snapshot ids it was built from, so a new ingest
means a new file; without pruning, a nightly update would leave one more of each per day.
A file's modification time is its last use (loading touches it), and only the newest
:data:`KEEP` files of a kind stay.

The caches are pickles, so they are signed (:mod:`sanctions_ledger.match.signed`): a file is
unpickled only when its HMAC verifies under the folder's own key, and the folder is 0700 and
must belong to this user (:func:`usable` says when it does not, and why).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sanctions_ledger.match import signed

__all__ = ["KEEP", "prune", "read_signed", "touch", "usable", "write_atomic", "write_signed"]

log = logging.getLogger(__name__)

KEEP = 8
"""Cache files kept per kind (suffix); the least recently used beyond these are deleted."""


def write_atomic(path: Path, dump: Callable[[BinaryIO], None], keep: int = KEEP) -> None:
    """Write ``path`` through a temp file and a rename, then prune its kind.

    Several processes may build the same file at once: each writes its own temp file and
    the last rename wins (the contents are identical).
    """
    signed.private_dir(path.parent)
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            dump(fh)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    prune(path.parent, path.suffix, keep)


def write_signed(path: Path, dump: Callable[[BinaryIO], None], keep: int = KEEP) -> None:
    """:func:`write_atomic` of ``dump``'s bytes, signed with the folder's key."""
    key = signed.folder_key(path.parent)
    write_atomic(path, lambda fh: signed.write_signed(fh, key, dump), keep)


def read_signed(path: Path) -> memoryview:
    """The payload of a file :func:`write_signed` wrote; ``signed.UntrustedCache`` for a file
    that is unsigned, mis-signed, or in a folder that is not this user's."""
    return signed.read_signed(path, signed.folder_key(path.parent))


def usable(folder: Path | None) -> Path | None:
    """``folder`` when this user may keep caches there (created 0700 if missing); None, with
    a warning, for a folder of another user: caches are then built in memory only."""
    if folder is None:
        return None
    try:
        return signed.private_dir(folder)
    except (signed.UntrustedCache, OSError) as exc:
        log.warning("not using cache folder %s: %s", folder, getattr(exc, "detail", exc))
        return None


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
