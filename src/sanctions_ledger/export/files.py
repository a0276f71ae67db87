"""Atomic export files: everything is written to a temporary file beside the target and renamed
over it only once complete, so a reader never sees half an export, and an error (a full disk,
a bad date found late, Ctrl-C) leaves no file behind."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from sanctions_ledger.errors import InputError

__all__ = ["atomic_output", "check_writable", "file_digests"]


def check_writable(out: Path) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise InputError(f"--out {out} is a directory; give a file name")
    if not parent.is_dir():
        raise InputError(f"--out {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"--out {out}: folder {parent} is not writable")
    if out.exists() and not os.access(out, os.W_OK):
        raise InputError(f"--out {out}: the file exists and is not writable")


def _temp_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}.{threading.get_ident()}.part")


@contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """A temporary path to write; renamed to ``out`` when the block ends without error, and
    removed otherwise. An OS error (no space, no permission) becomes an :class:`InputError`
    naming the output file."""
    out = Path(out)
    check_writable(out)
    tmp = _temp_path(out)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        tmp.replace(out)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(out: Path, dump: Callable[[BinaryIO], None]) -> None:
    """:func:`atomic_output` around one function that writes the bytes."""
    with atomic_output(out) as tmp, open(tmp, "wb") as fh:
        dump(fh)


def file_digests(path: Path) -> tuple[str, str, int]:
    """(sha1, sha256, size) of a file: yente checks a resource's SHA1 ``checksum``; the
    index gives both."""
    sha1 = hashlib.sha1()
    sha256 = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            sha1.update(chunk)
            sha256.update(chunk)
            size += len(chunk)
    return sha1.hexdigest(), sha256.hexdigest(), size
