"""trade.gov Consolidated Screening List (CSL): CSV and JSON.

Published at https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv
(and ``consolidated.json``). One row per listed party of eleven US lists (OFAC SDN/SSI/FSE...,
BIS Entity/Denied/Unverified/MEU, State ISN/DTC); ``source`` names the underlying list.

Column sets differ across years (the 2019 export had no ``_id``; the ``ids`` column switched
from ``country, number, type`` to ``type, number, country``), so both are read by name and
id items are parsed by finding the id-type label at either end. Rows without an id of their
own get a stable sha1 of source and name; BIS lists repeat a name once per address, so rows
with the same id are merged into one entity.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import (
    ParseMeta,
    Record,
    date_from_path,
    limit_csv_fields,
    make_entity,
    make_sanction,
    register,
)
from sanctions_ledger.vocab import country_code, parse_list_dates

DATASET = "us_trade_csl"
URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
_TYPES = {"individual": "Person", "entity": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}
_REQUIRED = {"source", "name"}
_CSV_HEAD = re.compile(rb"^(?:\xef\xbb\xbf)?\"?(?:_id|id|source)\"?,")
_JSON_HEAD = re.compile(rb"^\s*[\[{]")
# Id-type label keyword -> property (first match wins; more specific first).
_ID_KEYWORDS: list[tuple[str, str]] = [
    ("vessel registration identification", "imoNumber"),
    ("passport", "passportNumber"),
    ("tax id", "taxNumber"),
    ("v.a.t.", "taxNumber"),
    ("nit #", "taxNumber"),
    ("rfc", "taxNumber"),
    ("inn", "innCode"),
    ("registration", "registrationNumber"),
    ("matricula", "registrationNumber"),
    ("company number", "registrationNumber"),
    ("uscc", "registrationNumber"),
    ("national id", "idNumber"),
    ("cedula", "idNumber"),
    ("identification number", "idNumber"),
    ("id no", "idNumber"),
    ("ssn", "idNumber"),
    ("swift/bic", "swiftBic"),
    ("email address", "email"),
    ("website", "website"),
    ("gender", "gender"),
]


def _topic(source: str) -> str:
    """The FtM topic for a CSL source list: BIS lists are export controls, DDTC debarment."""
    low = source.lower()
    if "bureau of industry" in low:
        return "export.control"
    if "itar debarred" in low or "(dtc)" in low:
        return "debarment"
    return "sanction"


def _id_prop(label: str) -> str | None:
    low = label.lower().strip().rstrip(":. ")
    if not low or any(ch.isdigit() for ch in low):
        return None
    for keyword, prop in _ID_KEYWORDS:
        if keyword == low or low.startswith(keyword) or (len(keyword) > 4 and keyword in low):
            return prop
    return None


def parse_id_item(item: str) -> tuple[str, str, str | None] | None:
    """``US, 80-0890696, Tax ID No.`` or ``Passport, 836238033, KP`` -> (prop, number, country)."""
    parts = [p.strip() for p in item.split(", ") if p.strip()]
    if len(parts) < 2 or len(parts) > 3:
        return None
    if (prop := _id_prop(parts[0])) is not None:
        return prop, parts[1], parts[2] if len(parts) == 3 else None
    if (prop := _id_prop(parts[-1])) is not None:
        return prop, parts[-2], parts[0] if len(parts) == 3 else None
    return None


def _split(value: str | None) -> list[str]:
    if not value:
        return []
    return [v.strip() for v in value.split(";") if v.strip()]


def _flatten(value: Any) -> str | None:
    """JSON values may be strings, lists of strings or lists of address/id objects."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        items = [_flatten(v) for v in value]
        return "; ".join(i for i in items if i)
    if isinstance(value, dict):
        keys: tuple[str, ...] = ("address", "city", "state", "postal_code", "country")
        if "number" in value or "type" in value:
            keys = ("type", "number", "country")
        return ", ".join(str(value[k]) for k in keys if value.get(k))
    return str(value)


class UsCslParser:
    kind = "us_csl"
    version = "1"
    description = "trade.gov Consolidated Screening List (CSV or JSON)"

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.is_file():
            return False
        if _CSV_HEAD.match(head):
            first = head.split(b"\n", 1)[0].lower()
            return all(col in first for col in (b"source", b"name", b"alt_names", b"programs"))
        return bool(_JSON_HEAD.match(head)) and b'"alt_names"' in head and b'"source"' in head

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        meta.published_at = date_from_path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read file: {exc.strerror}", str(path)) from exc
        rows = self._json_rows(path, data) if data.lstrip()[:1] in (b"{", b"[") else self._csv_rows(path, data)
        entities: dict[str, tuple[EntityProxy, EntityProxy]] = {}
        for where, row in rows:
            entity, sanction = self._row(path, where, row)
            assert entity.id is not None
            if entity.id in entities:
                # Same party repeated (one row per address): merge the facts into the first.
                entities[entity.id][0].merge(entity)
                entities[entity.id][1].merge(sanction)
            else:
                entities[entity.id] = (entity, sanction)
        if not entities:
            raise SourceError("no rows", str(path))
        for entity, sanction in entities.values():
            yield Record(DATASET, entity)
            yield Record(DATASET, sanction)

    def _csv_rows(self, path: Path, data: bytes) -> Iterator[tuple[str, dict[str, str]]]:
        if b"\x00" in data:
            raise SourceError("NUL bytes: not a CSL CSV (UTF-16?)", str(path))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise SourceError(f"wrong encoding: not UTF-8 ({exc.reason})", str(path), f"line {line}") from exc
        limit_csv_fields()
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = [h.strip().lower() for h in next(reader, [])]
            if not _REQUIRED <= set(header):
                raise SourceError("header lacks the 'source' and 'name' columns", str(path), "line 1")
            for row in reader:
                if not any(v.strip() for v in row):
                    continue
                if len(row) != len(header):
                    raise SourceError(
                        f"expected {len(header)} columns, found {len(row)}", str(path), f"line {reader.line_num}"
                    )
                yield f"line {reader.line_num}", dict(zip(header, row, strict=True))
        except csv.Error as exc:
            raise SourceError(f"malformed CSV: {exc}", str(path), f"line {reader.line_num}") from exc

    def _json_rows(self, path: Path, data: bytes) -> Iterator[tuple[str, dict[str, str]]]:
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise SourceError(f"invalid JSON: {exc}", str(path)) from exc
        results = doc.get("results") if isinstance(doc, dict) else doc
        if not isinstance(results, list):
            raise SourceError("JSON has no 'results' list", str(path))
        for index, item in enumerate(results):
            if not isinstance(item, dict):
                raise SourceError("result is not an object", str(path), f"result {index}")
            yield f"result {index}", {str(k).lower(): _flatten(v) or "" for k, v in item.items()}

    def _row(self, path: Path, where: str, row: dict[str, str]) -> tuple[EntityProxy, EntityProxy]:
        def get(col: str) -> str | None:
            value = (row.get(col) or "").strip()
            return value or None

        source, name = get("source"), get("name")
        if not source or not name:
            raise SourceError("row without source or name", str(path), where)
        own_id = get("_id") or get("id")
        if own_id is None:
            own_id = hashlib.sha1(f"{source}\n{name}".encode()).hexdigest()
        schema = _TYPES.get((get("type") or "").lower(), "LegalEntity")
        entity = make_entity(schema, f"us-csl-{own_id}")
        entity.add("name", name)
        entity.add("topics", _topic(source))
        entity.add("alias", _split(get("alt_names")), quiet=True)
        programs = _split(get("programs"))
        entity.add("program", programs, quiet=True)
        if title := get("title"):
            entity.add("position" if schema == "Person" else "notes", title, quiet=True)
        for address in _split(get("addresses")):
            entity.add("address", address, quiet=True)
            entity.add("country", registry.country.clean(address.rsplit(",", 1)[-1].strip()), quiet=True)
        for col, prop in (("citizenships", "citizenship"), ("nationalities", "nationality")):
            for value in re.split(r"[;,]", get(col) or ""):
                if value.strip():
                    entity.add(prop, country_code(value), quiet=True)
        for value in _split(get("dates_of_birth")):
            entity.add("birthDate", parse_list_dates(value) or value[:10], quiet=True)
        entity.add("birthPlace", _split(get("places_of_birth")), quiet=True)
        entity.add("notes", get("remarks"), quiet=True)
        self._vessel(entity, get)
        self._ids(entity, _split(get("ids")))
        sanction = make_sanction(
            entity, authority=source, country="us", program=programs or [source],
            source_url=get("source_list_url") or URL, listing_date=get("start_date"),
            authority_id=get("entity_number") or own_id,
        )
        sanction.add("startDate", get("start_date"), quiet=True)
        sanction.add("endDate", get("end_date"), quiet=True)
        if notice := get("federal_register_notice"):
            sanction.add("description", f"Federal Register: {notice}", quiet=True)
        for col in ("standard_order", "license_requirement", "license_policy"):
            if value := get(col):
                sanction.add("provisions", f"{col.replace('_', ' ').capitalize()}: {value}", quiet=True)
        sanction.add("programUrl", get("source_information_url"), quiet=True)
        return entity, sanction

    def _vessel(self, entity: EntityProxy, get: Any) -> None:
        if entity.schema.name != "Vessel":
            return
        entity.add("callSign", get("call_sign"), quiet=True)
        entity.add("type", get("vessel_type"), quiet=True)
        entity.add("tonnage", get("gross_tonnage"), quiet=True)
        entity.add("grossRegisteredTonnage", get("gross_registered_tonnage"), quiet=True)
        if flag := get("vessel_flag"):
            entity.add("flag", country_code(flag), quiet=True)
        if owner := get("vessel_owner"):
            entity.add("notes", f"Owner: {owner}", quiet=True)

    def _ids(self, entity: EntityProxy, items: list[str]) -> None:
        for item in items:
            parsed = parse_id_item(item)
            if parsed is None:
                entity.add("notes", item, quiet=True)
                continue
            prop: str = parsed[0]
            number = parsed[1]
            if prop == "imoNumber":
                number = number.replace(" ", "")
                number = number if number.upper().startswith("IMO") else f"IMO{number}"
                if not entity.schema.get(prop):
                    prop = "registrationNumber"
            if prop == "gender":
                number = number.lower()
            if entity.schema.get(prop):
                entity.add(prop, number, quiet=True)
            else:
                entity.add("notes", item, quiet=True)


PARSER = register(UsCslParser())
