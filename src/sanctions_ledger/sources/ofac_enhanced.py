"""OFAC SDN_ENHANCED.XML / CONS_ENHANCED.XML (the "enhanced" ``sanctionsData`` schema).

Published at https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_ENHANCED.XML.
Root ``sanctionsData`` with ``publicationInfo/dataAsOf``, then ``entities/entity id=<uid>``
holding ``generalInfo``, ``sanctionsLists`` (``datePublished`` per list), ``sanctionsPrograms``,
``names/name/translations/translation`` (one translation per script), ``addresses``,
``features`` (typed facts: birthdate, nationality, vessel data...) and ``identityDocuments``.

The entity ``id`` is the same number as the legacy ``ent_num``/XML ``uid``, so entities keep
their ``us-sdn-<uid>`` ids across formats. Unlike the other formats this one dates each
listing, so one Sanction is written per program.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import ParseMeta, Record, make_entity, make_sanction, register
from sanctions_ledger.sources.ofac_xml import _ID_PROPS, CONS_URL, OFAC, SDN_URL, is_consolidated
from sanctions_ledger.sources.xmlsafe import (
    Element,
    XmlStream,
    child,
    children,
    position,
    root_name,
    text,
)
from sanctions_ledger.vocab import country_code, iso_date, parse_list_dates

_TYPES = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "entity": "Organization"}
_LIST_DATE_ATTRS = ("datePublished", "dateListed", "listingDate", "designationDate")
# Feature type (lower case) -> property. Unknown features go to notes.
_FEATURES = {
    "place of birth": "birthPlace",
    "nationality country": "nationality",
    "citizenship country": "citizenship",
    "nationality of registration": "country",
    "gender": "gender",
    "title": "position",
    "email address": "email",
    "website": "website",
    "vessel call sign": "callSign",
    "vessel type": "type",
    "vessel flag": "flag",
    "vessel tonnage": "tonnage",
    "vessel gross registered tonnage": "grossRegisteredTonnage",
    "aircraft model": "model",
    "aircraft manufacturer's serial number (msn)": "serialNumber",
    "organization established date": "incorporationDate",
}
_COUNTRY_PROPS = {"nationality", "citizenship", "country", "flag"}


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


def _true(elem: Element, name: str) -> bool:
    return (text(elem, name) or "").lower() == "true"


def _translation_name(tr: Element) -> str | None:
    last, first = text(tr, "formattedLastName"), text(tr, "formattedFirstName")
    if last and first:
        return f"{last}, {first}"
    return text(tr, "formattedFullName") or last or first


def listing_dates(elem: Element) -> tuple[str | None, dict[str, str]]:
    """Earliest list publication date, and per-program dates where the file gives them."""
    dates: list[str] = []
    for lists in children(elem, "sanctionsLists"):
        for item in children(lists, "sanctionsList"):
            found = next((iso_date(item.get(a)) for a in _LIST_DATE_ATTRS if item.get(a)), None)
            if found:
                dates.append(found)
    per_program: dict[str, str] = {}
    for programs in children(elem, "sanctionsPrograms"):
        for prog in children(programs, "sanctionsProgram"):
            found = next((iso_date(prog.get(a)) for a in _LIST_DATE_ATTRS if prog.get(a)), None)
            if text(prog) and found:
                per_program[text(prog) or ""] = found
    # Some publications carry explicit listings: sanctionsListings/sanctionsListing.
    for listings in children(elem, "sanctionsListings"):
        for item in children(listings, "sanctionsListing"):
            prog = text(item, "sanctionsProgram") or text(item, "program")
            found = iso_date(text(item, "listingDate") or text(item, "datePublished"))
            found = found or next((iso_date(item.get(a)) for a in _LIST_DATE_ATTRS if item.get(a)), None)
            if prog and found:
                per_program.setdefault(prog, found)
    return (min(dates) if dates else None), per_program


class OfacEnhancedParser:
    kind = "ofac_enhanced"
    version = "1"
    description = "OFAC SDN_ENHANCED.XML / CONS_ENHANCED.XML (sanctionsData schema)"

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        # Delta publications share the root element; ofac_delta claims those by name.
        return path.is_file() and root_name(head) == "sanctionsData" and "delta" not in path.name.lower()

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        cons = is_consolidated(path)
        dataset = "us_ofac_cons" if cons else "us_ofac_sdn"
        prefix = "us-cons" if cons else "us-sdn"
        stream = XmlStream(path)
        for elem in stream.records({"entity", "publicationInfo"}):
            if stream.root_tag != "sanctionsData":
                raise SourceError(f"root element is {stream.root_tag!r}, not sanctionsData", str(path))
            if elem.tag.endswith("publicationInfo"):
                as_of = iso_date(text(elem, "dataAsOf"))
                meta.published_at = date.fromisoformat(as_of) if as_of else None
                continue
            entity = self.entity(path, elem, prefix)
            yield Record(dataset, entity)
            for sanction in self.sanctions(entity, elem, CONS_URL if cons else SDN_URL):
                yield Record(dataset, sanction)
        if stream.root_tag != "sanctionsData":
            raise SourceError(f"root element is {stream.root_tag!r}, not sanctionsData", str(path))

    def sanctions(self, entity: EntityProxy, elem: Element, url: str) -> list[EntityProxy]:
        first_listed, per_program = listing_dates(elem)
        uid = (entity.id or "").rsplit("-", 1)[-1]
        out = []
        programs = entity.get("program") or [""]
        for prog in programs:
            listed = per_program.get(prog, first_listed)
            sanction = make_sanction(
                entity, authority=OFAC, country="us", program=[prog] if prog else [],
                source_url=url, listing_date=listed, authority_id=uid,
                suffix=f"sanction-{slug(prog)}" if prog else "sanction",
            )
            sanction.add("startDate", listed, quiet=True)
            for lists in children(elem, "sanctionsLists"):
                for item in children(lists, "sanctionsList"):
                    sanction.add("provisions", text(item), quiet=True)
            out.append(sanction)
        return out

    def entity(self, path: Path, elem: Element, prefix: str) -> EntityProxy:
        uid = (elem.get("id") or "").strip()
        if not uid.isdigit():
            raise SourceError(f"entity without a numeric id ({uid!r})", str(path), position(elem))
        info = child(elem, "generalInfo")
        kind = (text(info, "entityType") or "entity").lower()
        schema = _TYPES.get(kind, "LegalEntity")
        entity = make_entity(schema, f"{prefix}-{uid}")
        entity.add("topics", "sanction")
        for programs in children(elem, "sanctionsPrograms"):
            for prog in children(programs, "sanctionsProgram"):
                entity.add("program", text(prog), quiet=True)
        self._names(path, entity, elem, uid)
        for addresses in children(elem, "addresses"):
            for addr in children(addresses, "address"):
                self._address(entity, addr)
        for features in children(elem, "features"):
            for feature in children(features, "feature"):
                self._feature(entity, feature)
        for docs in children(elem, "identityDocuments"):
            for doc in children(docs, "identityDocument"):
                self._document(entity, doc)
        for holder in (info, elem):
            remarks = text(holder, "remarks")
            if remarks:
                entity.add("notes", remarks, quiet=True)
        return entity

    def _names(self, path: Path, entity: EntityProxy, elem: Element, uid: str) -> None:
        primary: str | None = None
        for names in children(elem, "names"):
            for name in children(names, "name"):
                alias_type = (text(name, "aliasType") or "").lower()
                is_primary = _true(name, "isPrimary")
                weak = _true(name, "isLowQuality")
                for translations in children(name, "translations"):
                    for tr in children(translations, "translation"):
                        value = _translation_name(tr)
                        if not value:
                            continue
                        latin = (text(tr, "script") or "Latin").lower() == "latin"
                        if is_primary and latin and _true(tr, "isPrimary") and primary is None:
                            primary = value
                            entity.add("name", value)
                        elif weak:
                            entity.add("weakAlias", value, quiet=True)
                        elif alias_type.startswith("f.k.a"):
                            entity.add("previousName", value, quiet=True)
                        else:
                            entity.add("alias", value, quiet=True)
        if primary is None:
            raise SourceError(f"entity {uid} has no primary name", str(path), position(elem))

    def _address(self, entity: EntityProxy, addr: Element) -> None:
        country = text(addr, "country")
        parts: list[str] = []
        for translations in children(addr, "translations"):
            for tr in children(translations, "translation"):
                if (text(tr, "script") or "Latin").lower() != "latin":
                    continue
                for address_parts in children(tr, "addressParts"):
                    for part in children(address_parts, "addressPart"):
                        value = text(part, "value")
                        if value:
                            parts.append(value)
        if country:
            parts.append(country)
            entity.add("country", country_code(country), quiet=True)
        if parts:
            entity.add("address", ", ".join(parts), quiet=True)

    def _feature(self, entity: EntityProxy, feature: Element) -> None:
        ftype = text(feature, "type") or ""
        value = text(feature, "value")
        low = ftype.lower()
        if low == "birthdate":
            dates = parse_list_dates(value or "")
            if not dates:
                period = child(feature, "valueDate")
                found = iso_date(text(period, "fromDateBegin")) if period is not None else None
                dates = [found] if found else []
            for found in dates:
                entity.add("birthDate", found, quiet=True)
            return
        if not value:
            return
        prop = _FEATURES.get(low)
        if prop in _COUNTRY_PROPS:
            entity.add(prop, country_code(value), quiet=True)
        elif prop == "birthPlace":
            entity.add("birthPlace", value, quiet=True)
            entity.add("birthCountry", country_code(value.rsplit(",", 1)[-1]), quiet=True)
        elif prop == "gender":
            entity.add("gender", value.lower(), quiet=True)
        elif prop == "incorporationDate":
            for found in parse_list_dates(value):
                entity.add(prop, found, quiet=True)
        elif prop and entity.schema.get(prop):
            entity.add(prop, value, quiet=True)
        else:
            entity.add("notes", f"{ftype}: {value}", quiet=True)

    def _document(self, entity: EntityProxy, doc: Element) -> None:
        number = text(doc, "documentNumber")
        if not number:
            return
        doc_type = text(doc, "type") or ""
        prop = _ID_PROPS.get(doc_type.lower())
        if prop == "imoNumber":
            number = number.replace(" ", "")
            number = number if number.upper().startswith("IMO") else f"IMO{number}"
            if not entity.schema.get("imoNumber"):
                prop = "registrationNumber"
        if prop and entity.schema.get(prop):
            entity.add(prop, number, quiet=True)
        else:
            country = text(doc, "issuingCountry")
            entity.add("notes", f"{doc_type}: {number}" + (f" ({country})" if country else ""), quiet=True)


PARSER = register(OfacEnhancedParser())
