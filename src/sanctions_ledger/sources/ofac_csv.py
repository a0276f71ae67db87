"""OFAC legacy CSV: SDN.CSV/ADD.CSV/ALT.CSV/SDN_COMMENTS.CSV and the non-SDN CONS_*.CSV set.

No header, ``-0-`` for empty, a trailing Ctrl-Z, programs packed as ``"X] [Y"``, remarks that
overflow into the comments file. Published at https://sanctionslist.ofac.treas.gov/.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import (
    ParseMeta,
    Record,
    limit_csv_fields,
    make_entity,
    make_sanction,
    register,
)
from sanctions_ledger.sources.ofac_remarks import apply_remarks
from sanctions_ledger.vocab import country_code

OFAC = "Office of Foreign Assets Control"
SDN_URL = "https://sanctionslist.ofac.treas.gov/Home/SdnList"
CONS_URL = "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList"
_FIRST_ROW = re.compile(rb'^\s*\d+,"[^"\r\n]*",')
_TYPES = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
_ALT_PROPS = {"aka": "alias", "fka": "previousName", "nka": "alias"}
SNIFF = 64 * 1024


@dataclass(frozen=True)
class FileSet:
    """The files of one OFAC legacy CSV snapshot."""

    kind: str  # "sdn" or "cons"
    main: Path
    add: Path | None
    alt: Path | None
    comments: Path | None

    @property
    def dataset(self) -> str:
        return "us_ofac_sdn" if self.kind == "sdn" else "us_ofac_cons"

    @property
    def prefix(self) -> str:
        return "us-sdn" if self.kind == "sdn" else "us-cons"

    def paths(self) -> list[Path]:
        return [p for p in (self.main, self.add, self.alt, self.comments) if p is not None]


def _find(folder: Path, name: str) -> Path | None:
    for child in folder.iterdir():
        if child.name.lower() == name:
            return child
    return None


def file_set(path: Path) -> FileSet:
    folder = path if path.is_dir() else path.parent
    if path.is_dir():
        main = _find(folder, "sdn.csv") or _find(folder, "cons_prim.csv")
        if main is None:
            raise SourceError("folder has no SDN.CSV or CONS_PRIM.CSV", str(path))
    else:
        main = path
    kind = "cons" if main.name.lower().startswith("cons") else "sdn"
    if kind == "sdn":
        return FileSet(kind, main, _find(folder, "add.csv"), _find(folder, "alt.csv"), _find(folder, "sdn_comments.csv"))
    return FileSet(kind, main, _find(folder, "cons_add.csv"), _find(folder, "cons_alt.csv"), _find(folder, "cons_comments.csv"))


def _null(value: str) -> str | None:
    value = value.strip()
    if value in ("-0-", "-0", ""):
        return None
    return value


def check_end_mark(path: Path, data: bytes) -> None:
    """A file in OFAC's own form (CRLF lines) ends with the DOS end-of-file mark Ctrl-Z: one
    without it was cut, even exactly at a row boundary, which the CSV alone cannot show.
    Files normalised to LF lines (older mirrors) carry no mark and cannot be checked here;
    the store's shrink guard still compares their size and parties with the previous list."""
    if b"\r\n" in data[:SNIFF] and not data.rstrip(b" \t").endswith(b"\x1a"):
        lines = data.count(b"\n")
        raise SourceError(f"truncated: the file has OFAC's CRLF form but ends after line {lines} without "
                          "the end-of-file mark (Ctrl-Z) that OFAC writes: incomplete download?", str(path))


def read_rows(path: Path, width: int, *, end_mark: bool = True) -> Iterator[tuple[int, list[str | None]]]:
    """Rows of one legacy CSV file, nulls as None; errors name the file and line."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise SourceError("NUL bytes: not an OFAC legacy CSV (UTF-16?)", str(path))
    if end_mark:
        check_end_mark(path, data)
    data = data.rstrip(b"\x1a\r\n \t")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    limit_csv_fields()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 0
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                raise SourceError(f"expected {width} columns, found {len(row)}", str(path), f"line {line}")
            yield line, [_null(v) for v in row]
    except csv.Error as exc:
        raise SourceError(f"malformed CSV: {exc}", str(path), f"line {reader.line_num}") from exc


def _int(value: str | None, path: Path, line: int) -> int:
    try:
        return int(value or "")
    except ValueError as exc:
        raise SourceError(f"ent_num {value!r} is not a number", str(path), f"line {line}") from exc


def _programs(raw: str | None) -> list[str]:
    if not raw:
        return []
    return [p.strip(" []") for p in raw.split("] [") if p.strip(" []")]


class OfacCsvParser:
    kind = "ofac_csv"
    version = "1"
    description = "OFAC legacy CSV (SDN.CSV + ADD/ALT/SDN_COMMENTS, or CONS_PRIM + CONS_*)"

    def members(self, path: Path) -> list[Path]:
        return file_set(path).paths()

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir():
            return _find(path, "sdn.csv") is not None or _find(path, "cons_prim.csv") is not None
        return path.name.lower() in ("sdn.csv", "cons_prim.csv") and bool(_FIRST_ROW.match(head))

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        fs = file_set(path)
        remarks: dict[int, str] = {}
        rows: list[tuple[int, list[str | None]]] = []
        for line, row in read_rows(fs.main, 12):
            rows.append((_int(row[0], fs.main, line), row))
        if not rows:
            raise SourceError("no entries", str(fs.main))
        if fs.comments:
            # OFAC's comments file has no end-of-file mark (2021-07-07): nothing to check.
            for line, row in read_rows(fs.comments, 2, end_mark=False):
                num = _int(row[0], fs.comments, line)
                remarks[num] = remarks.get(num, "") + (row[1] or "")
        aliases: dict[int, list[tuple[str, str]]] = {}
        if fs.alt:
            for line, row in read_rows(fs.alt, 5):
                if row[3]:
                    aliases.setdefault(_int(row[0], fs.alt, line), []).append((row[2] or "aka", row[3]))
        addresses: dict[int, list[list[str | None]]] = {}
        if fs.add:
            for line, row in read_rows(fs.add, 6):
                addresses.setdefault(_int(row[0], fs.add, line), []).append(row)

        by_name = {row[1]: num for num, row in rows if row[1]}
        url = SDN_URL if fs.kind == "sdn" else CONS_URL
        for num, row in rows:
            entity = self._entity(fs, num, row, aliases.get(num, []), addresses.get(num, []))
            linked: list[str] = []
            full_remarks = (row[11] or "") + remarks.get(num, "")
            if full_remarks:
                apply_remarks(entity, full_remarks, linked)
            yield Record(fs.dataset, entity)
            programs = _programs(row[3])
            sanction = make_sanction(entity, authority=OFAC, country="us", program=programs,
                                     source_url=url, authority_id=str(num))
            yield Record(fs.dataset, sanction)
            for target_name in linked:
                target = by_name.get(target_name)
                if target is None:
                    entity.add("notes", f"Linked To: {target_name}", quiet=True)
                    continue
                link = make_entity("UnknownLink", f"{entity.id}-link-{fs.prefix}-{target}")
                link.add("subject", entity.id)
                link.add("object", f"{fs.prefix}-{target}")
                link.add("role", "Linked To")
                yield Record(fs.dataset, link)

    def _entity(self, fs: FileSet, num: int, row: list[str | None],
                alts: list[tuple[str, str]], adds: list[list[str | None]]) -> EntityProxy:
        schema = _TYPES.get((row[2] or "").lower(), "Organization")
        entity = make_entity(schema, f"{fs.prefix}-{num}")
        if not row[1]:
            raise SourceError(f"entry {num} has no name", str(fs.main))
        entity.add("name", row[1], cleaned=True)
        entity.add("topics", "sanction", cleaned=True)
        for prog in _programs(row[3]):
            entity.add("program", prog, cleaned=True)
        if row[4]:
            entity.add("position" if schema == "Person" else "notes", row[4], quiet=True)
        if schema == "Vessel":
            entity.add("callSign", row[5], quiet=True)
            entity.add("type", row[6], quiet=True)
            entity.add("tonnage", row[7], quiet=True)
            entity.add("grossRegisteredTonnage", row[8], quiet=True)
            if row[9]:
                entity.add("flag", country_code(row[9]), quiet=True)
            if row[10]:
                entity.add("notes", f"Owner: {row[10]}", quiet=True)
        elif schema == "Airplane" and row[6]:
            entity.add("type", row[6], quiet=True)
        add_aliases_and_addresses(entity, alts, adds)
        return entity


def add_aliases_and_addresses(entity: EntityProxy, alts: list[tuple[str, str]],
                              adds: list[list[str | None]]) -> None:
    """An entry's ALT.CSV names (aka/fka/nka) and ADD.CSV rows (address text, country)."""
    for alt_type, alt_name in alts:
        entity.add(_ALT_PROPS.get(alt_type.lower(), "alias"), alt_name, quiet=True, cleaned=True)
    for add in adds:
        parts = [p for p in (add[2], add[3], add[4]) if p]
        if parts:
            entity.add("address", ", ".join(parts), quiet=True, cleaned=True)
        if add[4]:
            code = country_code(add[4])
            if code:
                entity.add("country", code, quiet=True)


PARSER = register(OfacCsvParser())
