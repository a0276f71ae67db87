"""BIS Denied Persons List (``dpl.txt``): tab separated, a header row, every value quoted.

Published by the Bureau of Industry and Security (https://www.bis.gov/dpl). Columns: Name,
Street_Address, City, State, Country, Postal_Code, Effective_Date, Expiration_Date,
Standard_Order, Last_Update, Action, FR_Citation. The list has no ids of its own and repeats a
party once per address, so rows are grouped by name into one entity whose id is a sha1 of the
name (stable across snapshots while the list spells the name the same way). It does not say
whether a party is a person or a company: parties are ``LegalEntity``.

The dataset is ``us_bis_dpl``. The FtM compilation of 2022 carries the same list as
``us_bis_denied``, but under ids of its own (hashes of its rows), so the two cannot be one list's
snapshots: read as one, every party would show as delisted and relisted at each change of
format. They stay two lists, and the name of the official file is the official list name.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import (
    ParseMeta,
    Record,
    date_from_path,
    make_entity,
    make_sanction,
    register,
)
from sanctions_ledger.vocab import country_code

DATASET = "us_bis_dpl"
AUTHORITY = "Bureau of Industry and Security"
PROGRAM = "Denied Persons List"
URL = "https://www.bis.gov/dpl/dpl.txt"
COLUMNS = ("name", "street_address", "city", "state", "country", "postal_code", "effective_date",
           "expiration_date", "standard_order", "last_update", "action", "fr_citation")
_HEAD = re.compile(rb'^(?:\xef\xbb\xbf)?"?Name"?\t"?Street_Address"?\t', re.IGNORECASE)
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def us_date(value: str) -> str | None:
    """``10/16/2017`` (month first, as BIS writes) as ``2017-10-16``; None when not a date."""
    m = _US_DATE.match(value.strip())
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(1)), int(m.group(2))).isoformat()
    except ValueError:
        return None


@dataclass
class _Party:
    """The rows of one name: one per address (and per order, when BIS issued several)."""

    name: str
    rows: list[dict[str, str]] = field(default_factory=list)


class UsBisDplParser:
    kind = "us_bis_dpl"
    version = "1"
    description = "BIS Denied Persons List (dpl.txt, tab separated)"

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.is_file() and bool(_HEAD.match(head))

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read file: {exc.strerror}", str(path)) from exc
        parties: dict[str, _Party] = {}
        updates: list[str] = []
        for line, row in _rows(path, _text(path, data, meta)):
            name = " ".join(row["name"].split())
            if not name:
                raise SourceError("row without a name", str(path), f"line {line}")
            parties.setdefault(name.upper(), _Party(name)).rows.append(row)
            if (updated := row["last_update"].strip()[:10]) and re.match(r"^\d{4}-\d{2}-\d{2}$", updated):
                updates.append(updated)
        if not parties:
            raise SourceError("no rows", str(path))
        meta.published_at = date_from_path(path) or _latest_plausible(updates)
        for party in parties.values():
            entity, sanction = _build(party)
            yield Record(DATASET, entity)
            yield Record(DATASET, sanction)


def _text(path: Path, data: bytes, meta: ParseMeta) -> str:
    """BIS publishes ASCII; a Windows-1252 byte (an accented name) is read as such and noted."""
    if b"\x00" in data:
        raise SourceError("NUL bytes: not a DPL text file (UTF-16?)", str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        meta.notes.append(f"not UTF-8 (line {line}): read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def _rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"', strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise SourceError(f"header lacks the column(s) {', '.join(missing)}", str(path), "line 1")
        for row in reader:
            if not any(v.strip() for v in row):
                continue
            if len(row) != len(header):
                raise SourceError(f"expected {len(header)} columns, found {len(row)}", str(path),
                                  f"line {reader.line_num}")
            yield reader.line_num, dict(zip(header, row, strict=True))
    except csv.Error as exc:
        raise SourceError(f"malformed DPL text: {exc}", str(path), f"line {reader.line_num}") from exc


def _latest_plausible(updates: list[str]) -> date | None:
    """The newest Last_Update that is not in the future (the list has typos such as 3017)."""
    today = date.today().isoformat()
    past = [u for u in updates if u <= today]
    return date.fromisoformat(max(past)) if past else None


def party_id(name: str) -> str:
    """``us-dpl-`` and the sha1 of the name as the list spells it (upper case, spaces folded)."""
    return "us-dpl-" + hashlib.sha1(" ".join(name.upper().split()).encode()).hexdigest()


def _build(party: _Party) -> tuple[EntityProxy, EntityProxy]:
    entity = make_entity("LegalEntity", party_id(party.name))
    entity.add("name", party.name)
    entity.add("topics", "export.control")
    entity.add("program", PROGRAM)
    starts: list[str] = []
    for row in party.rows:
        city_line = " ".join(v for v in (row["state"].strip(), row["postal_code"].strip()) if v)
        parts = [row["street_address"].strip(), row["city"].strip(), city_line, row["country"].strip()]
        address = ", ".join(p for p in parts if p)
        entity.add("address", address or None, quiet=True)
        if (country := row["country"].strip()) and (code := country_code(country)):
            entity.add("country", code, quiet=True)
        if start := us_date(row["effective_date"]):
            starts.append(start)
    sanction = make_sanction(entity, authority=AUTHORITY, country="us", program=[PROGRAM],
                             source_url=URL, listing_date=min(starts) if starts else None)
    for row in party.rows:
        sanction.add("startDate", us_date(row["effective_date"]), quiet=True)
        sanction.add("endDate", us_date(row["expiration_date"]), quiet=True)
        if citation := " ".join(row["fr_citation"].split()):
            sanction.add("description", f"Federal Register: {citation}", quiet=True)
        if action := row["action"].strip():
            sanction.add("summary", action, quiet=True)
        if row["standard_order"].strip().upper() == "Y":
            sanction.add("provisions", "Standard denial order", quiet=True)
    return entity, sanction


PARSER = register(UsBisDplParser())
