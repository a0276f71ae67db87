"""A list file (or file set) read as one snapshot: what the store appends.

``read_snapshot(path)`` finds the format, the files that make up the snapshot and their
hash, without parsing: the store can then see that the same bytes were ingested before
and stop there. ``Snapshot.records()`` streams the parsed entities, and fills
``Snapshot.meta`` (the published date a file states) as it goes. Nothing here touches the
store: the store asks for a snapshot, never for a parser.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import ParseMeta, Parser, Record, detect, get_parser
from sanctions_ledger.sources.manifest import verify_beside


@dataclass
class Snapshot:
    """One official file or file set, identified by its bytes."""

    path: Path
    parser: Parser
    members: list[Path]
    sha256: str
    size: int
    meta: ParseMeta = field(default_factory=ParseMeta)

    @property
    def id(self) -> str:
        """``<kind>-<sha256[:16]>``: the same bytes are the same snapshot."""
        return f"{self.parser.kind}-{self.sha256[:16]}"

    @property
    def kind(self) -> str:
        return self.parser.kind

    @property
    def full(self) -> bool:
        """A full list (absence means delisted), or a partial file (delta, extract)."""
        return bool(getattr(self.parser, "full_snapshot", True))

    def records(self) -> Iterator[Record]:
        """The parsed entities, streamed; raises :class:`SourceError` naming file and place."""
        return self.parser.parse(self.path, self.meta)


def hash_members(paths: list[Path]) -> tuple[str, int]:
    """sha256 of a single file, or of the sorted (name, sha256) list of a file set; total size.

    Each file is checked against a ``SHA256SUMS`` beside it that names it (see
    :mod:`sources.manifest`): a mismatch raises :class:`SourceError` naming the file."""
    digests: list[tuple[str, str]] = []
    checked: list[tuple[Path, str]] = []
    total = 0
    for path in paths:
        h = hashlib.sha256()
        try:
            with open(path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)
                    total += len(chunk)
        except OSError as exc:
            raise SourceError(f"cannot read: {exc.strerror}", str(path)) from exc
        digests.append((path.name.lower(), h.hexdigest()))
        checked.append((path, h.hexdigest()))
    verify_beside(checked)
    if len(digests) == 1:
        return digests[0][1], total
    outer = hashlib.sha256()
    for name, digest in sorted(digests):
        outer.update(f"{name}:{digest}\n".encode())
    return outer.hexdigest(), total


def read_snapshot(path: Path | str, kind: str | None = None) -> Snapshot:
    """The snapshot at ``path`` in format ``kind`` (detected from the bytes when not given)."""
    path = Path(path)
    parser = get_parser(kind) if kind else detect(path)
    members = parser.members(path)
    sha, size = hash_members(members)
    return Snapshot(path, parser, members, sha, size)
