"""UN Security Council Consolidated List XML (``consolidated.xml``).

Published at https://scsanctions.un.org/resources/xml/en/consolidated.xml. Root
``CONSOLIDATED_LIST dateGenerated=...`` with ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY``. Names are split over ``FIRST_NAME``..``FOURTH_NAME`` in the order the
UN writes them (given name first for most regimes), so they are joined as-is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import (
    ParseMeta,
    Record,
    full_date,
    make_entity,
    make_sanction,
    register,
)
from sanctions_ledger.sources.xmlsafe import (
    Element,
    XmlStream,
    child,
    children,
    position,
    root_name,
    text,
    texts,
)
from sanctions_ledger.vocab import country_code

DATASET = "un_sc_sanctions"
AUTHORITY = "United Nations Security Council"
URL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ALIAS_PROPS = {"good": "alias", "a.k.a.": "alias", "low": "weakAlias", "f.k.a.": "previousName"}


def iso_date(value: str | None) -> str | None:
    """``2026-02-27T00:00:09.554Z`` / ``1978-04-28`` / ``1963`` -> ISO date prefix."""
    if not value:
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    return "-".join(g for g in match.groups() if g)


def _birth_dates(elem: Element) -> list[str]:
    dates: list[str] = []
    for dob in children(elem, "INDIVIDUAL_DATE_OF_BIRTH"):
        exact = iso_date(text(dob, "DATE")) or iso_date(text(dob, "YEAR"))
        if exact:
            dates.append(exact)
        start, end = iso_date(text(dob, "FROM_YEAR")), iso_date(text(dob, "TO_YEAR"))
        if start and end and start.isdigit() and end.isdigit() and 0 <= int(end) - int(start) <= 20:
            dates.extend(str(y) for y in range(int(start), int(end) + 1))
        elif start:
            dates.append(start)
    return dates


def _place(elem: Element) -> tuple[str | None, str | None]:
    parts = [text(elem, n) for n in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")]
    country = text(elem, "COUNTRY")
    joined = ", ".join(p for p in parts if p)
    return (joined or None), (country_code(country) if country else None)


class UnScParser:
    kind = "un_sc"
    version = "1"
    description = "UN Security Council Consolidated List XML"

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.is_file() and root_name(head) == "CONSOLIDATED_LIST"

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        stream = XmlStream(path)
        count = 0
        for elem in stream.records({"INDIVIDUAL", "ENTITY"}):
            if stream.root_tag != "CONSOLIDATED_LIST":
                raise SourceError(f"root element is {stream.root_tag!r}, not CONSOLIDATED_LIST", str(path))
            if meta.published_at is None:
                meta.published_at = full_date(iso_date(stream.root_attrib.get("dateGenerated")))
            entity, sanction = self._party(path, elem)
            count += 1
            yield Record(DATASET, entity)
            yield Record(DATASET, sanction)
        if stream.root_tag != "CONSOLIDATED_LIST":
            raise SourceError(f"root element is {stream.root_tag!r}, not CONSOLIDATED_LIST", str(path))
        if meta.published_at is None:
            meta.published_at = full_date(iso_date(stream.root_attrib.get("dateGenerated")))
        if count == 0:
            meta.notes.append("no INDIVIDUAL or ENTITY records")

    def _party(self, path: Path, elem: Element) -> tuple[EntityProxy, EntityProxy]:
        ref = text(elem, "REFERENCE_NUMBER") or text(elem, "DATAID")
        if not ref:
            raise SourceError("record has neither REFERENCE_NUMBER nor DATAID", str(path), position(elem))
        is_person = elem.tag == "INDIVIDUAL" or elem.tag.endswith("}INDIVIDUAL")
        entity = make_entity("Person" if is_person else "Organization", f"un-{ref}")
        name = " ".join(
            t for t in (text(elem, n) for n in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")) if t
        )
        if not name:
            raise SourceError(f"record {ref} has no name", str(path), position(elem))
        entity.add("name", name)
        entity.add("topics", "sanction")
        entity.add("alias", text(elem, "NAME_ORIGINAL_SCRIPT"), quiet=True)
        list_type = text(elem, "UN_LIST_TYPE")
        entity.add("program", list_type, quiet=True)
        entity.add("notes", text(elem, "COMMENTS1"), quiet=True)
        for alias_tag in ("INDIVIDUAL_ALIAS", "ENTITY_ALIAS"):
            for alias in children(elem, alias_tag):
                alias_name = text(alias, "ALIAS_NAME")
                if alias_name:
                    quality = (text(alias, "QUALITY") or "").lower()
                    entity.add(_ALIAS_PROPS.get(quality, "alias"), alias_name, quiet=True)
                if is_person:
                    entity.add("birthDate", iso_date(text(alias, "DATE_OF_BIRTH")), quiet=True)
        for addr_tag in ("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS"):
            for addr in children(elem, addr_tag):
                full, code = _place(addr)
                entity.add("address", full, quiet=True)
                entity.add("country", code, quiet=True)
        if is_person:
            self._person(entity, elem)
        sanction = make_sanction(
            entity, authority=AUTHORITY, country="un",
            program=[list_type] if list_type else [], source_url=URL,
            listing_date=iso_date(text(elem, "LISTED_ON")), authority_id=ref,
        )
        sanction.add("startDate", iso_date(text(elem, "LISTED_ON")), quiet=True)
        updates = sorted({d for d in (iso_date(v) for v in texts(elem, "LAST_DAY_UPDATED", "VALUE")) if d})
        if updates:
            sanction.add("modifiedAt", updates[-1], quiet=True)
            # Every amendment date, not only the latest, is history worth keeping.
            sanction.add("date", updates, quiet=True)
            sanction.add("summary", "UN amendments: " + ", ".join(updates), quiet=True)
        sanction.add("unscId", ref, quiet=True)
        return entity, sanction

    def _person(self, entity: EntityProxy, elem: Element) -> None:
        for title in texts(elem, "TITLE", "VALUE"):
            entity.add("title", title, quiet=True)
        for designation in texts(elem, "DESIGNATION", "VALUE"):
            entity.add("position", designation, quiet=True)
        for nat in texts(elem, "NATIONALITY", "VALUE"):
            entity.add("nationality", country_code(nat), quiet=True)
        gender = (text(elem, "GENDER") or "").lower()
        if gender in ("male", "female"):
            entity.add("gender", gender, quiet=True)
        for dob in _birth_dates(elem):
            entity.add("birthDate", dob, quiet=True)
        for pob in children(elem, "INDIVIDUAL_PLACE_OF_BIRTH"):
            full, code = _place(pob)
            entity.add("birthPlace", full, quiet=True)
            entity.add("birthCountry", code, quiet=True)
        for doc in children(elem, "INDIVIDUAL_DOCUMENT"):
            number = text(doc, "NUMBER")
            if not number:
                continue
            kind = (text(doc, "TYPE_OF_DOCUMENT") or "").lower()
            prop = "passportNumber" if "pass" in kind else "idNumber"
            entity.add(prop, number, quiet=True)
            issuer = text(doc, "ISSUING_COUNTRY") or text(doc, "COUNTRY_OF_ISSUE")
            if issuer and child(doc, "NOTE") is None:
                entity.add("notes", f"{text(doc, 'TYPE_OF_DOCUMENT') or 'Document'} {number} ({issuer})", quiet=True)


PARSER = register(UnScParser())
