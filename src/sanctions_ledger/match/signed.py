"""Signed cache files: what this process wrote, and nothing else, is unpickled.

The caches next to a store (screening indexes, the API's party records) are pickles, and
unpickling runs code: a planted ``.idx`` file made ``sanctions screen`` run ``os.system``. So
each cache file carries an HMAC-SHA256 of its bytes under a key that never leaves the cache
folder (``.cache-key``, mode 0600, created once), and a file is unpickled only after its tag
verifies. The folder itself is created 0700, and one owned by another user is refused: its
owner could read the key or swap the files.

File layout: ``MAGIC`` (8 bytes), the 32-byte tag, then the payload (a pickle).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sanctions_ledger.errors import LedgerError

__all__ = ["KEY_FILE", "MAGIC", "UntrustedCache", "folder_key", "private_dir", "read_signed", "write_signed"]

MAGIC = b"SLSIGN1\n"
KEY_FILE = ".cache-key"
_TAG = 32


class UntrustedCache(LedgerError):
    """A cache file or folder that cannot be trusted: unsigned, mis-signed or not ours."""

    status = 500


def private_dir(folder: Path) -> Path:
    """``folder``, created 0700 when missing; one owned by another user is refused, and one
    of ours open to group or others is closed to them."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.geteuid():
        raise UntrustedCache(f"cache folder {folder} belongs to user id {info.st_uid}, not to this "
                             f"user ({os.geteuid()}): not used")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(folder, 0o700)
    return folder


def folder_key(folder: Path) -> bytes:
    """The signing key of a cache folder (created once, 0600)."""
    path = private_dir(folder) / KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or stat.S_IMODE(info.st_mode) & 0o077:
        raise UntrustedCache(f"cache key {path} is not a private file of this user: not used")
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 64:
        raise UntrustedCache(f"cache key {path} is too short: not used")
    return bytes.fromhex(key)


class _Signing:
    """A write-only file object that signs what passes through it."""

    def __init__(self, fh: BinaryIO, key: bytes) -> None:
        self._fh = fh
        self.mac = hmac.new(key, digestmod=hashlib.sha256)

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self._fh.write(data)


def write_signed(fh: BinaryIO, key: bytes, dump: Callable[[BinaryIO], None]) -> None:
    """Write ``MAGIC``, room for the tag, ``dump``'s bytes, then the tag over those bytes."""
    start = fh.tell()
    fh.write(MAGIC + b"\0" * _TAG)
    signing = _Signing(fh, key)
    dump(signing)  # type: ignore[arg-type]  # pickle needs only .write()
    end = fh.tell()
    fh.seek(start + len(MAGIC))
    fh.write(signing.mac.digest())
    fh.seek(end)


def read_signed(path: Path, key: bytes) -> memoryview:
    """The payload of a signed file, once its tag verifies; :class:`UntrustedCache` otherwise.

    The whole file is read into memory first, so the bytes checked are the bytes unpickled
    (no window for a swap between the check and the load)."""
    with open(path, "rb") as fh:
        data = fh.read()
    head = len(MAGIC) + _TAG
    if len(data) < head or not data.startswith(MAGIC):
        raise UntrustedCache(f"cache file {path} is not signed: not loaded")
    payload = memoryview(data)[head:]
    expected = hmac.new(key, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, data[len(MAGIC):head]):
        raise UntrustedCache(f"cache file {path} has a wrong signature: not loaded")
    return payload
