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

import html
import re
from collections.abc import Collection
from pathlib import Path

from sanctions_ledger.errors import SourceError

__all__ = ["MANIFEST", "MAX_MANIFEST_BYTES", "parse_checksums", "parse_hash_page", "parse_manifest",
           "verify_beside"]

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


_SHA256 = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])")
_TAG = re.compile(r"<[^>]*>")
_TABLE_ROW_END = re.compile(r"</tr\s*>", re.IGNORECASE)


def parse_hash_page(text: str, names: Collection[str], where: str,
                    error: type[SourceError] = SourceError) -> dict[str, str]:
    """File name -> sha256 from a page that lists a publisher's hash values (OFAC's "Hash Values
    for List Content Assurance" gives SHA-256, SHA-384 and SHA-512 values for its list files):
    HTML table rows, or plain lines, each naming one of ``names`` and holding one 64-hex-digit
    value (a SHA-384 or SHA-512 value is longer and never taken for one).

    A name is matched whole and case-insensitively (``ADD.CSV`` is not found in
    ``CONS_ADD.CSV``). A row naming several files, or holding several SHA-256 values, is
    ambiguous and skipped; two rows giving one file different values raise ``error``. Files
    the page does not list are left out: the downloader then refuses them."""
    rows = _TABLE_ROW_END.split(text) if "<tr" in text.lower() else text.splitlines()
    patterns = {n: re.compile(rf"(?<![\w.]){re.escape(n)}(?![\w.])", re.IGNORECASE) for n in names}
    sums: dict[str, str] = {}
    for row in rows:
        plain = html.unescape(_TAG.sub(" ", row))
        digests = {d.lower() for d in _SHA256.findall(plain)}
        named = [n for n, pattern in patterns.items() if pattern.search(plain)]
        if len(named) != 1 or len(digests) != 1:
            continue
        (name,), (digest,) = named, digests
        if sums.get(name, digest) != digest:
            raise error(f"the page gives {name} two SHA-256 values ({sums[name]}, {digest})", where)
        sums[name] = digest
    return sums


def parse_checksums(text: str, names: Collection[str], where: str,
                    error: type[SourceError] = SourceError) -> dict[str, str]:
    """A publisher's checksums as file name -> sha256: ``SHA256SUMS`` lines when the text is a
    manifest of that form (keys reduced to the file name), otherwise a page of hash values
    (:func:`parse_hash_page`)."""
    try:
        listed = parse_manifest(text, where, error)
    except SourceError:
        return parse_hash_page(text, names, where, error)
    wanted = {n.lower(): n for n in names}
    return {wanted[path.rsplit("/", 1)[-1].lower()]: digest for path, digest in listed.items()
            if path.rsplit("/", 1)[-1].lower() in wanted}


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
