"""The retired OFSI Consolidated List as XML (``ConList.xml``, 2022 format).

Root ``ArrayOfFinancialSanctionsTarget``; each ``FinancialSanctionsTarget`` is one name of a
group, with the ConList.csv columns as child elements (``Name6``, ``Name1``…, ``DOB``,
``GroupTypeDescription``, ``RegimeName``, ``DateListed``, ``LastUpdated``, ``GroupID``).
Rows are folded into parties exactly as the CSV parser does, so both files of one day give
the same entities (tested).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources._uk_common import UkParty, add_row, norm
from sanctions_ledger.sources.base import ParseMeta, Record, date_from_path, register
from sanctions_ledger.sources.uk_ofsi import emit
from sanctions_ledger.sources.xmlsafe import XmlStream, local, root_name

URL = "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.xml"
ROOT = "ArrayOfFinancialSanctionsTarget"
RECORD = "FinancialSanctionsTarget"
# XML element names whose bare form differs from the CSV column's.
_RENAMES = {"datelisted": "listedon", "grouptypedescription": "grouptype", "postcode": "postzipcode",
            "ninumber": "nationalidentificationnumber", "passportdetails": "passportnumber"}


def row_of(elem: object) -> dict[str, str]:
    row: dict[str, str] = {}
    for child in elem:  # type: ignore[attr-defined]
        key = norm(local(child.tag))
        value = (child.text or "").strip()
        if value:
            row[_RENAMES.get(key, key)] = value
    return row


class UkOfsiXmlParser:
    kind = "uk_ofsi_xml"
    version = "1"
    description = "OFSI Consolidated List XML (ConList.xml, retired January 2026)"

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.is_file() and root_name(head) == ROOT

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        meta.published_at = date_from_path(path)
        stream = XmlStream(path)
        parties: dict[str, UkParty] = {}
        for n, elem in enumerate(stream.records({RECORD}), start=1):
            if stream.root_tag != ROOT:
                raise SourceError(f"root element is {stream.root_tag}, expected {ROOT}", str(path))
            row = row_of(elem)
            key = row.get("groupid", "")
            if not key:
                raise SourceError("target without GroupID", str(path), f"{RECORD} #{n}")
            party = parties.setdefault(key, UkParty(key))
            add_row(party, row)
            party.add("group_id", key)
        if not parties:
            raise SourceError(f"no {RECORD} elements", str(path))
        yield from emit(parties, path, URL)


PARSER = register(UkOfsiXmlParser())
