"""The retired OFSI Consolidated List (``ConList.csv``), replaced on 28 January 2026.

Kept so that historical snapshots stay readable. The file starts with a ``Last Updated,<date>``
line, then a header; each row is one name of a group, and rows are grouped by ``Group ID``
into one entity (``uk-<Group ID>``, as OFSI ids were used before the FCDO list).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources._uk_common import UkParty, add_row, build, read_csv, to_date
from sanctions_ledger.sources.base import ParseMeta, Record, date_from_path, register

# The same list id as OpenSanctions-style FtM exports use for OFSI (`gb_hmt`), so the
# 2022 FtM snapshot and a ConList file are snapshots of one list.
DATASET = "gb_hmt"
AUTHORITY = "HM Treasury Office of Financial Sanctions Implementation"
URL = "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"
_LAST_UPDATED = re.compile(rb"^(?:\xef\xbb\xbf)?\s*\"?Last Updated\"?\s*,\s*\"?(\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE | re.MULTILINE)


class UkOfsiParser:
    kind = "uk_ofsi"
    version = "1"
    description = "OFSI Consolidated List CSV (ConList.csv, retired January 2026)"

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.is_file():
            return False
        return b"Group ID" in head[:4096] and b"Name 6" in head[:4096] and b"Unique ID" not in head[:4096]

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        data = path.read_bytes()
        if m := _LAST_UPDATED.search(data[:1000]):
            meta.published_at = to_date(m.group(1).decode("ascii"))
        meta.published_at = meta.published_at or date_from_path(path)
        parties: dict[str, UkParty] = {}
        for line, row in read_csv(path, data, "groupid"):
            key = (row.get("groupid") or "").strip()
            if not key:
                raise SourceError("row without Group ID", str(path), f"line {line}")
            party = parties.setdefault(key, UkParty(key))
            add_row(party, row)
            party.add("group_id", key)
        if not parties:
            raise SourceError("no rows", str(path))
        yield from emit(parties, path, URL)


def emit(parties: dict[str, UkParty], path: Path, source_url: str) -> Iterator[Record]:
    """Each grouped OFSI party as its entity and Sanction (shared by the CSV and XML forms)."""
    for party in parties.values():
        try:
            entity, sanction = build(party, prefix="uk", authority=AUTHORITY, source_url=source_url)
        except SourceError as exc:
            raise SourceError(exc.detail, str(path), f"group {party.key}") from exc
        yield Record(DATASET, entity)
        yield Record(DATASET, sanction)


PARSER = register(UkOfsiParser())
