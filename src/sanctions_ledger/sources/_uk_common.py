"""Shared pieces of the UK list readers (FCDO UK Sanctions List and the retired OFSI ConList).

All UK formats spread one designation over several rows or elements (one per name), carry
dates as ``dd/mm/yyyy`` with ``00`` for unknown parts, and pack several values in one cell
as ``(1) ... (2) ...``. Each reader turns its input into :class:`UkParty` objects, which are
built into entities here so that the CSV and XML forms give identical output.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import full_date, limit_csv_fields, make_entity, make_sanction
from sanctions_ledger.vocab import country_code

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_NUMBERED = re.compile(r"\(\d+\)\s*")
_SCHEMAS = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}


def norm(header: str) -> str:
    """Column names vary in case, spacing and punctuation across years: compare them bare."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def uk_date(value: str | None) -> str | None:
    """``30/08/1954`` -> ``1954-08-30``; ``00/00/1954`` -> ``1954``; ISO passes through."""
    if not value:
        return None
    value = value.strip()
    if m := _UK_DATE.match(value):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if month == 0 or month > 12:
            return year
        if day == 0 or day > 31:
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{day:02d}"
    if m := _ISO.match(value):
        return "-".join(g for g in m.groups() if g)
    return None


def to_date(value: str | None) -> date | None:
    return full_date(uk_date(value))


def multi(value: str | None) -> list[str]:
    """``(1) A (2) B`` -> ``[A, B]``; a plain value -> ``[value]``."""
    if not value or not value.strip():
        return []
    parts = [p.strip(" ,;") for p in _NUMBERED.split(value)]
    return [p for p in parts if p]


@dataclass
class UkName:
    parts: list[str]  # Name 1..5 (given names), then Name 6 (family name)
    kind: str = ""  # "Primary Name", "Alias", "Primary name variation"...
    quality: str = ""  # "Good quality", "Low quality"
    title: str = ""

    @property
    def full(self) -> str:
        return " ".join(p for p in self.parts if p)


@dataclass
class UkParty:
    """Every fact of one UK designation, gathered from however many rows it spans."""

    key: str
    group_type: str = ""
    names: list[UkName] = field(default_factory=list)
    facts: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, values: list[str] | str | None) -> None:
        if not values:
            return
        items = [values] if isinstance(values, str) else values
        bucket = self.facts.setdefault(name, [])
        for item in items:
            item = " ".join(item.split())
            if item and item not in bucket:
                bucket.append(item)

    def first(self, name: str) -> str | None:
        values = self.facts.get(name)
        return values[0] if values else None


def build(party: UkParty, *, prefix: str, authority: str, source_url: str) -> tuple[EntityProxy, EntityProxy]:
    """The entity and its Sanction for one UK designation."""
    schema = _SCHEMAS.get(party.group_type.strip().lower(), "LegalEntity")
    entity = make_entity(schema, f"{prefix}-{party.key}")
    entity.add("topics", "sanction")
    primary = [n for n in party.names if n.kind.lower().startswith("primary name") and n.full]
    exact = [n for n in primary if "variation" not in n.kind.lower()]
    chosen = (exact or primary or [n for n in party.names if n.full])[:1]
    if not chosen:
        raise SourceError(f"designation {party.key} has no name")
    entity.add("name", chosen[0].full)
    for name in party.names:
        if not name.full or name is chosen[0]:
            continue
        weak = "low" in name.quality.lower()
        entity.add("weakAlias" if weak else "alias", name.full, quiet=True)
    for name in party.names:
        entity.add("title", name.title or None, quiet=True)
    entity.add("alias", party.facts.get("non_latin", []), quiet=True)
    for value in party.facts.get("dob", []):
        entity.add("birthDate", uk_date(value), quiet=True)
    entity.add("birthPlace", party.facts.get("town_of_birth", []), quiet=True)
    for value in party.facts.get("country_of_birth", []):
        entity.add("birthCountry", country_code(value), quiet=True)
    for value in party.facts.get("nationality", []):
        entity.add("nationality", country_code(value), quiet=True)
    entity.add("passportNumber", party.facts.get("passport", []), quiet=True)
    entity.add("idNumber", party.facts.get("national_id", []), quiet=True)
    entity.add("position", party.facts.get("position", []), quiet=True)
    for value in party.facts.get("gender", []):
        if value.lower() in ("male", "female"):
            entity.add("gender", value.lower(), quiet=True)
    entity.add("address", party.facts.get("address", []), quiet=True)
    for value in party.facts.get("country", []):
        entity.add("country", country_code(value), quiet=True)
    entity.add("phone", party.facts.get("phone", []), quiet=True)
    entity.add("email", party.facts.get("email", []), quiet=True)
    entity.add("website", party.facts.get("website", []), quiet=True)
    entity.add("registrationNumber", party.facts.get("registration", []), quiet=True)
    entity.add("legalForm", party.facts.get("entity_type", []), quiet=True)
    for value in party.facts.get("imo", []):
        digits = re.sub(r"\D", "", value)
        entity.add("imoNumber" if entity.schema.get("imoNumber") else "registrationNumber",
                   f"IMO{digits}" if digits else value, quiet=True)
    for value in party.facts.get("flag", []):
        entity.add("flag", country_code(value), quiet=True)
    entity.add("type", party.facts.get("ship_type", []), quiet=True)
    entity.add("notes", party.facts.get("other_info", []), quiet=True)
    regimes = party.facts.get("regime", [])
    entity.add("program", regimes, quiet=True)

    designated = sorted(d for d in (uk_date(v) for v in party.facts.get("designated", [])) if d)
    listed_on = sorted(d for d in (uk_date(v) for v in party.facts.get("listed_on", [])) if d)
    updated = sorted(d for d in (uk_date(v) for v in party.facts.get("last_updated", [])) if d)
    start = (designated or listed_on or [""])[0] or None
    sanction = make_sanction(
        entity, authority=authority, country="gb", program=regimes, source_url=source_url,
        listing_date=(listed_on or designated or [""])[0] or None, authority_id=party.key,
    )
    sanction.add("startDate", start, quiet=True)
    if updated:
        sanction.add("modifiedAt", updated[-1], quiet=True)
    sanction.add("unscId", party.facts.get("un_ref", []), quiet=True)
    sanction.add("reason", party.facts.get("reasons", []), quiet=True)
    sanction.add("provisions", party.facts.get("sanctions_imposed", []), quiet=True)
    sanction.add("recordId", party.facts.get("group_id", []), quiet=True)
    return entity, sanction


def read_csv(path: Path, data: bytes, header_marker: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a UK CSV keyed by normalised column name, skipping preamble lines.

    The header is the first line whose normalised cells include ``header_marker``.
    """
    if b"\x00" in data:
        raise SourceError("NUL bytes: not a UK list CSV (UTF-16?)", str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # OFSI published Windows-1252 in some years; every byte decodes, nothing is lost.
        text = data.decode("cp1252", errors="replace")
    limit_csv_fields()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    try:
        for row in reader:
            if header is None:
                cells = [norm(c) for c in row]
                if header_marker in cells:
                    header = cells
                elif reader.line_num > 5:
                    raise SourceError(f"no header row with {header_marker!r} in the first lines", str(path))
                continue
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(header) and any(c.strip() for c in row[len(header):]):
                raise SourceError(
                    f"expected {len(header)} columns, found {len(row)}", str(path), f"line {reader.line_num}"
                )
            yield reader.line_num, dict(zip(header, row, strict=False))
    except csv.Error as exc:
        raise SourceError(f"malformed CSV: {exc}", str(path), f"line {reader.line_num}") from exc
    if header is None:
        raise SourceError(f"no header row with {header_marker!r}", str(path))


# Logical fact -> normalised column names (FCDO CSV first, then OFSI ConList), and whether the
# cell may hold "(1) ... (2) ..." multi-values.
COLUMNS: dict[str, tuple[list[str], bool]] = {
    "last_updated": (["lastupdated"], False),
    "designated": (["datedesignated", "uksanctionslistdatedesignated"], False),
    "listed_on": (["listedon"], False),
    "un_ref": (["unreferencenumber"], False),
    "group_id": (["ofsigroupid", "groupid"], False),
    "non_latin": (["namenonlatinscript"], False),
    "regime": (["regimename", "regime"], False),
    "sanctions_imposed": (["sanctionsimposed"], False),
    "other_info": (["otherinformation"], False),
    "reasons": (["ukstatementofreasons"], False),
    "phone": (["phonenumber"], True),
    "email": (["emailaddress"], True),
    "website": (["website"], True),
    "dob": (["dateofbirth", "dob"], True),
    "nationality": (["nationalityies", "nationalities", "nationality"], True),
    "national_id": (["nationalidentifiernumber", "nationalidentificationnumber"], True),
    "passport": (["passportnumber"], True),
    "position": (["position"], True),
    "gender": (["gender"], False),
    "town_of_birth": (["townofbirth"], True),
    "country_of_birth": (["countryofbirth"], True),
    "entity_type": (["typeofentity", "typeofentities"], True),
    "registration": (["businessregistrationnumbers", "businessregistrationnumber"], True),
    "imo": (["imonumber", "imonumbers"], True),
    "flag": (["currentbelievedflagofship", "currentflag", "currentflags"], True),
    "ship_type": (["typeofship"], False),
    "country": (["addresscountry", "country"], False),
}
GROUP_TYPE = ["designationtype", "individualentityship", "grouptype"]
_ADDRESS = [["addressline1", "address1"], ["addressline2", "address2"], ["addressline3", "address3"],
            ["addressline4", "address4"], ["addressline5", "address5"], ["addressline6", "address6"],
            ["addresspostalcode", "postzipcode"], ["addresscountry", "country"]]


def cell(row: dict[str, str], names: list[str]) -> str | None:
    for name in names:
        value = row.get(name)
        if value and value.strip():
            return value.strip()
    return None


def add_row(party: UkParty, row: dict[str, str]) -> None:
    """Fold one CSV row (one name of a designation) into ``party``."""
    party.group_type = party.group_type or (cell(row, GROUP_TYPE) or "")
    for fact, (names, is_multi) in COLUMNS.items():
        value = cell(row, names)
        party.add(fact, multi(value) if is_multi else value)
    parts = [row.get(f"name{i}", "").strip() for i in (1, 2, 3, 4, 5, 6)]
    if any(parts):
        name = UkName(
            parts=parts,
            kind=cell(row, ["nametype", "aliastype"]) or "",
            quality=cell(row, ["aliasstrength", "aliasquality"]) or "",
            title=cell(row, ["title"]) or "",
        )
        if not any(n.full == name.full and n.kind == name.kind for n in party.names):
            party.names.append(name)
    address = ", ".join(p for p in (cell(row, names) for names in _ADDRESS) if p)
    party.add("address", address or None)
