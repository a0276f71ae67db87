"""Checksum manifests (``SHA256SUMS``): reading them, and verifying a list file against the one
beside it.

A list folder copied from a mirror or an archive often carries the publisher's ``SHA256SUMS``
(the shared data does: one per snapshot folder). When a file is read for ingest and its folder
holds such a manifest that names it, its bytes must hash to the listed value, or the file is
refused before anything is parsed: a truncated copy, a bit-flip on disk or an edited file then
never reaches the ledger. A manifest that does not name the file says nothing about it. The
downloader (``sources.download``) reads the same format from a mirror or a source.
"""

from __future__ import annotations

import re
from pathlib import Path

from sanctions_ledger.errors import SourceError

__all__ = ["MANIFEST", "MAX_MANIFEST_BYTES", "parse_manifest", "verify_beside"]

MANIFEST = "SHA256SUMS"
MAX_MANIFEST_BYTES = 1 << 20
_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *]?(\S.*)")


def parse_manifest(text: str, where: str, error: type[SourceError] = SourceError) -> dict[str, str]:
    """``SHA256SUMS`` lines (``<sha256>  <path>``, ``*`` for binary mode) as path -> sha256.

    Blank lines and ``#`` comments are skipped; any other line that is not a checksum line
    raises ``error`` naming its number, so a damaged manifest is never half read."""
    sums: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        found = _LINE.fullmatch(line.strip())
        if found is None:
            raise error(f"line {lineno} is not '<sha256>  <path>'", where)
        sums[found.group(2).strip().lstrip("./")] = found.group(1).lower()
    return sums


def _beside(folder: Path, cache: dict[Path, dict[str, str] | None]) -> dict[str, str] | None:
    if folder in cache:
        return cache[folder]
    manifest = folder / MANIFEST
    sums: dict[str, str] | None = None
    if manifest.is_file():
        if manifest.stat().st_size > MAX_MANIFEST_BYTES:
            raise SourceError(f"over {MAX_MANIFEST_BYTES} bytes: not a checksum manifest", str(manifest))
        try:
            text = manifest.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"unreadable checksum manifest: {exc}", str(manifest)) from exc
        sums = parse_manifest(text, str(manifest))
    cache[folder] = sums
    return sums


def verify_beside(digests: list[tuple[Path, str]]) -> int:
    """Check each ``(file, sha256)`` against a ``SHA256SUMS`` in the file's folder, if one names
    it; raise :class:`SourceError` naming the file on a mismatch. Returns how many were verified."""
    cache: dict[Path, dict[str, str] | None] = {}
    verified = 0
    for path, digest in digests:
        sums = _beside(path.parent, cache)
        if not sums:
            continue
        expected = sums.get(path.name)
        if expected is None:
            continue
        if expected != digest:
            raise SourceError(f"sha256 {digest} does not match the {MANIFEST} beside it ({expected}): "
                              "the file was altered or cut since the manifest was written; refused",
                              str(path))
        verified += 1
    return verified
