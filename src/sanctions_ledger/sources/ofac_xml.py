"""OFAC SDN.XML and CONSOLIDATED.XML (the classic ``sdnList`` XML).

Published at https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML
and .../CONSOLIDATED.XML. The default namespace has changed over the years
(``http://tempuri.org/sdnList.xsd``, then the sanctionslistservice URL), so every lookup is by
local name. Names are written ``LAST, First`` like the legacy CSV, so that an entity keeps the
same id and name whichever OFAC format a snapshot came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import ParseMeta, Record, make_entity, make_sanction, register
from sanctions_ledger.sources.ofac_remarks import apply_remarks
from sanctions_ledger.sources.xmlsafe import (
    Element,
    XmlStream,
    child,
    children,
    position,
    root_name,
    text,
)
from sanctions_ledger.vocab import country_code, parse_list_dates

OFAC = "Office of Foreign Assets Control"
SDN_URL = "https://sanctionslist.ofac.treas.gov/Home/SdnList"
CONS_URL = "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList"
_TYPES = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "entity": "Organization"}
_AKA_PROPS = {"a.k.a.": "alias", "f.k.a.": "previousName", "n.k.a.": "alias"}
# idType -> property; anything else is kept in notes so no fact is lost.
_ID_PROPS = {
    "passport": "passportNumber",
    "diplomatic passport": "passportNumber",
    "national id no.": "idNumber",
    "cedula no.": "idNumber",
    "identification number": "idNumber",
    "ssn": "idNumber",
    "tax id no.": "taxNumber",
    "nit #": "taxNumber",
    "rfc": "taxNumber",
    "registration id": "registrationNumber",
    "registration number": "registrationNumber",
    "company number": "registrationNumber",
    "business registration number": "registrationNumber",
    "unified social credit code (uscc)": "registrationNumber",
    "vessel registration identification": "imoNumber",
    "swift/bic": "swiftBic",
    "legal entity number": "leiCode",
    "email address": "email",
    "website": "website",
    "gender": "gender",
}


def parse_us_date(value: str | None) -> date | None:
    """OFAC's ``Publish_Date`` is ``MM/DD/YYYY``."""
    if not value:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip()[:10], fmt).date()
        except ValueError:
            continue
    return None


def ofac_name(elem: Element) -> str | None:
    last, first = text(elem, "lastName"), text(elem, "firstName")
    if last and first:
        return f"{last}, {first}"
    return last or first


def is_consolidated(path: Path) -> bool:
    return "cons" in path.name.lower()


class OfacXmlParser:
    kind = "ofac_xml"
    version = "1"
    description = "OFAC SDN.XML / CONSOLIDATED.XML (sdnList schema)"

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.is_file() and root_name(head) == "sdnList"

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        cons = is_consolidated(path)
        dataset = "us_ofac_cons" if cons else "us_ofac_sdn"
        prefix = "us-cons" if cons else "us-sdn"
        url = CONS_URL if cons else SDN_URL
        stream = XmlStream(path)
        stated: int | None = None
        entries = 0
        for elem in stream.records({"sdnEntry", "publshInformation"}):
            if stream.root_tag != "sdnList":
                raise SourceError(f"root element is {stream.root_tag!r}, not sdnList", str(path))
            if elem.tag.endswith("publshInformation"):
                meta.published_at = parse_us_date(text(elem, "Publish_Date"))
                count = text(elem, "Record_Count")
                if count:
                    meta.notes.append(f"Record_Count {count}")
                    stated = int(count) if count.strip().isdigit() else None
                continue
            entries += 1
            entity = self.entity(path, elem, prefix)
            yield Record(dataset, entity)
            sanction = make_sanction(
                entity, authority=OFAC, country="us", program=entity.get("program"),
                source_url=url, authority_id=entity.id.split("-")[-1] if entity.id else None,
            )
            yield Record(dataset, sanction)
        if stream.root_tag != "sdnList":
            raise SourceError(f"root element is {stream.root_tag!r}, not sdnList", str(path))
        if stated is not None and stated != entries:
            # OFAC states the number of entries it published; a file cut or edited between
            # whole entries is still well-formed XML, but not this count.
            raise SourceError(f"incomplete: publshInformation states Record_Count {stated} but the file "
                              f"holds {entries} sdnEntry records", str(path))

    def entity(self, path: Path, elem: Element, prefix: str) -> EntityProxy:
        uid = text(elem, "uid")
        if not uid or not uid.isdigit():
            raise SourceError(f"sdnEntry without a numeric uid ({uid!r})", str(path), position(elem))
        sdn_type = (text(elem, "sdnType") or "entity").lower()
        schema = _TYPES.get(sdn_type, "LegalEntity")
        entity = make_entity(schema, f"{prefix}-{uid}")
        name = ofac_name(elem)
        if not name:
            raise SourceError(f"sdnEntry {uid} has no name", str(path), position(elem))
        entity.add("name", name)
        entity.add("topics", "sanction")
        for prog_list in children(elem, "programList"):
            for prog in children(prog_list, "program"):
                entity.add("program", text(prog), quiet=True)
        title = text(elem, "title")
        if title:
            entity.add("position" if schema == "Person" else "notes", title, quiet=True)
        for aka_list in children(elem, "akaList"):
            for aka in children(aka_list, "aka"):
                alias = ofac_name(aka)
                if not alias:
                    continue
                prop = _AKA_PROPS.get((text(aka, "type") or "").lower(), "alias")
                if prop == "alias" and (text(aka, "category") or "").lower() == "weak":
                    prop = "weakAlias"
                entity.add(prop, alias, quiet=True)
        self._addresses(entity, elem)
        self._ids(entity, elem)
        self._personal(entity, elem)
        vessel = child(elem, "vesselInfo")
        if vessel is not None:
            entity.add("callSign", text(vessel, "callSign"), quiet=True)
            entity.add("type", text(vessel, "vesselType"), quiet=True)
            entity.add("tonnage", text(vessel, "tonnage"), quiet=True)
            entity.add("grossRegisteredTonnage", text(vessel, "grossRegisteredTonnage"), quiet=True)
            flag = text(vessel, "vesselFlag")
            if flag:
                entity.add("flag", country_code(flag), quiet=True)
            owner = text(vessel, "vesselOwner")
            if owner:
                entity.add("notes", f"Owner: {owner}", quiet=True)
        remarks = text(elem, "remarks")
        if remarks:
            apply_remarks(entity, remarks, [])
            entity.add("notes", remarks, quiet=True)
        return entity

    def _addresses(self, entity: EntityProxy, elem: Element) -> None:
        for addr_list in children(elem, "addressList"):
            for addr in children(addr_list, "address"):
                names = ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country")
                parts = [text(addr, n) for n in names]
                joined = ", ".join(p for p in parts if p)
                entity.add("address", joined or None, quiet=True)
                country = text(addr, "country")
                if country:
                    entity.add("country", country_code(country), quiet=True)

    def _ids(self, entity: EntityProxy, elem: Element) -> None:
        for id_list in children(elem, "idList"):
            for item in children(id_list, "id"):
                id_type = text(item, "idType") or ""
                number = text(item, "idNumber")
                if not number:
                    continue
                prop = _ID_PROPS.get(id_type.lower())
                if prop == "imoNumber":
                    number = number if number.upper().startswith("IMO") else f"IMO{number}"
                    if not entity.schema.get("imoNumber"):
                        prop = "registrationNumber"
                if prop == "gender":
                    number = number.lower()
                if prop and entity.schema.get(prop):
                    entity.add(prop, number, quiet=True)
                else:
                    country = text(item, "idCountry")
                    note = f"{id_type}: {number}" + (f" ({country})" if country else "")
                    entity.add("notes", note, quiet=True)

    def _personal(self, entity: EntityProxy, elem: Element) -> None:
        for dob_list in children(elem, "dateOfBirthList"):
            for item in children(dob_list, "dateOfBirthItem"):
                for value in parse_list_dates(text(item, "dateOfBirth") or ""):
                    entity.add("birthDate", value, quiet=True)
        for pob_list in children(elem, "placeOfBirthList"):
            for item in children(pob_list, "placeOfBirthItem"):
                place = text(item, "placeOfBirth")
                if place:
                    entity.add("birthPlace", place, quiet=True)
                    entity.add("birthCountry", country_code(place.rsplit(",", 1)[-1]), quiet=True)
        for list_tag, item_tag, prop in (
            ("nationalityList", "nationality", "nationality"),
            ("citizenshipList", "citizenship", "citizenship"),
        ):
            for nat_list in children(elem, list_tag):
                for item in children(nat_list, item_tag):
                    country = text(item, "country")
                    if country:
                        entity.add(prop, country_code(country), quiet=True)


PARSER = register(OfacXmlParser())
