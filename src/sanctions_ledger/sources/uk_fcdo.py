"""UK Sanctions List (FCDO): XML and CSV — the sole official UK list since 28 January 2026.

Published at https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml (and ``.csv``).
XML root ``Designations`` with ``DateGenerated`` and one ``Designation`` per party (``UniqueID``
such as ``RUS0001``, ``OFSIGroupID``, ``UNReferenceNumber``, ``DateDesignated``,
``LastUpdated``, ``Names/Name`` with ``Name1``..``Name6`` and ``NameType``, non-Latin names,
``RegimeName``, ``IndividualEntityShip``, addresses, individual / entity / ship details). The
CSV has a "Report Date" line, a header, and one row per name of each designation.

Facts inside a Designation are collected by element local name wherever they are nested, so
minor schema re-arrangements do not lose data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources._uk_common import (
    COLUMNS,
    UkName,
    UkParty,
    add_row,
    build,
    multi,
    norm,
    read_csv,
    to_date,
)
from sanctions_ledger.sources.base import ParseMeta, Record, date_from_path, register
from sanctions_ledger.sources.xmlsafe import Element, XmlStream, local, position, root_name, text

DATASET = "gb_fcdo_sanctions"
AUTHORITY = "Foreign, Commonwealth & Development Office"
URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
_CSV_HEAD = re.compile(rb"unique\s*id", re.IGNORECASE)
_REPORT_DATE = re.compile(r"(\d{1,2}[/-]\w{2,9}[/-]\d{4}|\d{4}-\d{2}-\d{2})")
# XML element local name (normalised) -> UkParty fact.
_XML_FACTS = {name: fact for fact, (names, _m) in COLUMNS.items() for name in names}
_XML_FACTS.update({
    "nationality": "nationality", "dob": "dob", "passportnumber": "passport",
    "nationalidentifiernumber": "national_id", "position": "position", "gender": "gender",
    "townofbirth": "town_of_birth", "countryofbirth": "country_of_birth",
    "businessregistrationnumber": "registration", "imonumber": "imo", "currentflag": "flag",
    "namenonlatinscript": "non_latin", "emailaddress": "email", "phonenumber": "phone",
    "typeofentity": "entity_type", "uniqueid": "unique_id",
})
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def _report_date(value: str) -> str | None:
    """``27-Nov-2026`` / ``27/11/2026`` / ``2026-11-27`` -> ISO."""
    parts = re.split(r"[/-]", value)
    if len(parts) == 3 and parts[1][:3].lower() in _MONTHS:
        return f"{parts[2]}-{_MONTHS[parts[1][:3].lower()]:02d}-{int(parts[0]):02d}"
    found = to_date(value)
    return found.isoformat() if found else None


class UkFcdoParser:
    kind = "uk_fcdo"
    version = "1"
    description = "UK Sanctions List (FCDO) XML or CSV"

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.is_file():
            return False
        if root_name(head) == "Designations":
            return True
        first_lines = b"\n".join(head.splitlines()[:4])
        return bool(_CSV_HEAD.search(first_lines)) and b"Name 6" in first_lines and b"<" not in head[:1]

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        with open(path, "rb") as fh:
            start = fh.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")
        parties = self._xml(path, meta) if start.startswith(b"<") else self._csv(path, meta)
        count = 0
        for party in parties:
            try:
                entity, sanction = build(party, prefix="uk", authority=AUTHORITY, source_url=URL)
            except SourceError as exc:
                raise SourceError(exc.detail, str(path), f"designation {party.key}") from exc
            count += 1
            yield Record(DATASET, entity)
            yield Record(DATASET, sanction)
        if count == 0:
            raise SourceError("no designations", str(path))

    def _csv(self, path: Path, meta: ParseMeta) -> Iterator[UkParty]:
        data = path.read_bytes()
        # The "Report Date" line precedes the header (possibly after other preamble lines).
        for first in data[:1000].decode("utf-8", errors="replace").splitlines()[:4]:
            if "report date" in first.lower() and (m := _REPORT_DATE.search(first)):
                found = _report_date(m.group(1))
                meta.published_at = to_date(found) if found else None
                break
        meta.published_at = meta.published_at or date_from_path(path)
        parties: dict[str, UkParty] = {}
        for line, row in read_csv(path, data, "uniqueid"):
            key = (row.get("uniqueid") or "").strip()
            if not key:
                raise SourceError("row without Unique ID", str(path), f"line {line}")
            add_row(parties.setdefault(key, UkParty(key)), row)
        yield from parties.values()

    def _xml(self, path: Path, meta: ParseMeta) -> Iterator[UkParty]:
        stream = XmlStream(path)
        for elem in stream.records({"Designation", "DateGenerated"}):
            if stream.root_tag != "Designations":
                raise SourceError(f"root element is {stream.root_tag!r}, not Designations", str(path))
            if local(elem.tag) == "DateGenerated":
                meta.published_at = to_date(text(elem))
                continue
            yield self._designation(path, elem)
        if stream.root_tag != "Designations":
            raise SourceError(f"root element is {stream.root_tag!r}, not Designations", str(path))

    def _designation(self, path: Path, elem: Element) -> UkParty:
        key = None
        for node in elem.iter():
            if norm(local(node.tag)) == "uniqueid":
                key = text(node)
                break
        if not key:
            raise SourceError("Designation without UniqueID", str(path), position(elem))
        party = UkParty(key)
        for node in elem.iter():
            name = norm(local(node.tag))
            if name == "name" and len(node):
                values = {norm(local(c.tag)): text(c) or "" for c in node}
                party.names.append(UkName(
                    parts=[values.get(f"name{i}", "") for i in (1, 2, 3, 4, 5, 6)],
                    kind=values.get("nametype", ""), quality=values.get("aliasstrength", ""),
                    title=values.get("title", ""),
                ))
            elif name == "address" and len(node):
                parts = [text(c) for c in node]
                party.add("address", ", ".join(p for p in parts if p) or None)
                for c in node:
                    if norm(local(c.tag)) == "addresscountry":
                        party.add("country", text(c))
            elif name in ("individualentityship", "designationtype"):
                party.group_type = text(node) or ""
            elif name in _XML_FACTS and len(node) == 0 and name not in ("country",):
                value = text(node)
                fact = _XML_FACTS[name]
                party.add(fact, multi(value) if COLUMNS.get(fact, ([], False))[1] else value)
        return party


PARSER = register(UkFcdoParser())
