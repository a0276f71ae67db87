"""EU Financial Sanctions Files (FSF), XML format 1.1.

Published at https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=...
Root ``export generationDate=...``; one ``sanctionEntity`` per listed party with attributes
``euReferenceNumber``, ``logicalId``, ``unitedNationId``, ``designationDate``, and children
``regulation`` (programme, publicationDate, numberTitle), ``subjectType code=person|enterprise``,
``nameAlias`` (one per name and language; ``strong="false"`` marks low-quality aliases),
``citizen``/``citizenship``, ``birthdate``, ``identification`` and ``address`` — all facts are
attributes, so lookups are by attribute on namespace-agnostic children.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from followthemoney.proxy import EntityProxy
from followthemoney.types import registry

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import ParseMeta, Record, make_entity, make_sanction, register
from sanctions_ledger.sources.xmlsafe import (
    Element,
    XmlStream,
    child,
    children,
    position,
    root_name,
    text,
)
from sanctions_ledger.vocab import iso_date

DATASET = "eu_fsf"
AUTHORITY = "European Union"
URL = "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"
_SUBJECTS = {"person": "Person", "enterprise": "Organization"}
_ID_TYPES = {
    "passport": "passportNumber",
    "id": "idNumber",
    "other": "idNumber",
    "regnumber": "registrationNumber",
    "tin": "taxNumber",
    "fiscalcode": "taxNumber",
    "swiftbic": "swiftBic",
    "imo": "imoNumber",
}
_GENDERS = {"m": "male", "f": "female"}


def _attr(elem: Element, name: str) -> str | None:
    value = elem.get(name)
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _country(elem: Element) -> str | None:
    code = _attr(elem, "countryIso2Code")
    if code and code != "00":
        cleaned = registry.country.clean(code)
        if cleaned:
            return cleaned
    desc = _attr(elem, "countryDescription")
    return registry.country.clean(desc) if desc else None


def _is_latin(value: str) -> bool:
    return all(ord(ch) < 0x250 for ch in value)


class EuFsfParser:
    kind = "eu_fsf"
    version = "1"
    description = "EU Financial Sanctions Files XML 1.1 (export/sanctionEntity)"

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.is_file() and root_name(head) == "export" and b"sanctionEntity" in head

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        stream = XmlStream(path)
        for elem in stream.records({"sanctionEntity"}):
            if stream.root_tag != "export":
                raise SourceError(f"root element is {stream.root_tag!r}, not export", str(path))
            if meta.published_at is None:
                generated = iso_date(stream.root_attrib.get("generationDate"))
                meta.published_at = date.fromisoformat(generated) if generated else None
            entity = self.entity(path, elem)
            yield Record(DATASET, entity)
            yield Record(DATASET, self.sanction(entity, elem))
        if stream.root_tag != "export":
            raise SourceError(f"root element is {stream.root_tag!r}, not export", str(path))
        if meta.published_at is None:
            generated = iso_date(stream.root_attrib.get("generationDate"))
            meta.published_at = date.fromisoformat(generated) if generated else None

    def entity(self, path: Path, elem: Element) -> EntityProxy:
        ref = _attr(elem, "euReferenceNumber")
        logical = _attr(elem, "logicalId")
        if not ref and not logical:
            raise SourceError("sanctionEntity without euReferenceNumber or logicalId", str(path), position(elem))
        subject = child(elem, "subjectType")
        code = (_attr(subject, "code") or "") if subject is not None else ""
        schema = _SUBJECTS.get(code.lower(), "LegalEntity")
        entity = make_entity(schema, f"eu-{ref or logical}")
        entity.add("topics", "sanction")
        self._names(path, entity, elem, ref or logical or "")
        for reg in children(elem, "regulation"):
            entity.add("program", _attr(reg, "programme"), quiet=True)
        for remark in children(elem, "remark"):
            entity.add("notes", text(remark), quiet=True)
        for tag in ("citizen", "citizenship"):
            for cit in children(elem, tag):
                entity.add("citizenship", _country(cit), quiet=True)
        for birth in children(elem, "birthdate"):
            self._birth(entity, birth)
        for ident in children(elem, "identification"):
            self._identification(entity, ident)
        for addr in children(elem, "address"):
            names = ("street", "poBox", "city", "zipCode", "region", "place", "countryDescription")
            parts = [_attr(addr, n) for n in names]
            joined = ", ".join(p for p in parts if p and p != "UNKNOWN")
            entity.add("address", joined or None, quiet=True)
            entity.add("country", _country(addr), quiet=True)
        return entity

    def sanction(self, entity: EntityProxy, elem: Element) -> EntityProxy:
        regulations = children(elem, "regulation")
        published = sorted(d for d in (iso_date(_attr(r, "publicationDate")) for r in regulations) if d)
        listed = iso_date(_attr(elem, "designationDate")) or (published[0] if published else None)
        ref = _attr(elem, "euReferenceNumber") or _attr(elem, "logicalId")
        programs = [p for p in (_attr(r, "programme") for r in regulations) if p]
        sanction = make_sanction(
            entity, authority=AUTHORITY, country="eu", program=sorted(set(programs)),
            source_url=URL, listing_date=listed, authority_id=ref,
        )
        sanction.add("startDate", listed, quiet=True)
        sanction.add("unscId", _attr(elem, "unitedNationId"), quiet=True)
        sanction.add("recordId", _attr(elem, "logicalId"), quiet=True)
        if published and published[-1] != listed:
            sanction.add("modifiedAt", published[-1], quiet=True)
        for reg in regulations:
            title = _attr(reg, "numberTitle")
            if title:
                sanction.add("provisions", title, quiet=True)
            sanction.add("sourceUrl", text(reg, "publicationUrl"), quiet=True)
        return sanction

    def _names(self, path: Path, entity: EntityProxy, elem: Element, ref: str) -> None:
        primary: str | None = None
        for alias in children(elem, "nameAlias"):
            whole = _attr(alias, "wholeName") or " ".join(
                p for p in (_attr(alias, n) for n in ("firstName", "middleName", "lastName")) if p
            )
            if not whole:
                continue
            strong = (_attr(alias, "strong") or "true").lower() != "false"
            if primary is None and strong and _is_latin(whole):
                primary = whole
                entity.add("name", whole)
            elif strong:
                entity.add("alias", whole, quiet=True)
            else:
                entity.add("weakAlias", whole, quiet=True)
            entity.add("position", _attr(alias, "function"), quiet=True)
            entity.add("title", _attr(alias, "title"), quiet=True)
            gender = _GENDERS.get((_attr(alias, "gender") or "").lower())
            entity.add("gender", gender, quiet=True)
        if primary is None:
            # Every name is non-Latin or weak: fall back to the first one rather than fail.
            names = entity.get("alias") + entity.get("weakAlias")
            if not names:
                raise SourceError(f"sanctionEntity {ref} has no name", str(path), position(elem))
            entity.add("name", names[0])

    def _birth(self, entity: EntityProxy, birth: Element) -> None:
        value = iso_date(_attr(birth, "birthdate"))
        if value is None:
            year = _attr(birth, "year")
            month, day = _attr(birth, "monthOfYear"), _attr(birth, "dayOfMonth")
            if year and year.isdigit():
                value = year
                if month and month.isdigit():
                    value += f"-{int(month):02d}"
                    if day and day.isdigit():
                        value += f"-{int(day):02d}"
        entity.add("birthDate", value, quiet=True)
        place = ", ".join(
            p for p in (_attr(birth, n) for n in ("city", "place", "region", "countryDescription")) if p
        )
        entity.add("birthPlace", place or None, quiet=True)
        entity.add("birthCountry", _country(birth), quiet=True)

    def _identification(self, entity: EntityProxy, ident: Element) -> None:
        number = _attr(ident, "number") or _attr(ident, "latinNumber")
        if not number:
            return
        code = (_attr(ident, "identificationTypeCode") or "").lower()
        prop = _ID_TYPES.get(code)
        if prop == "imoNumber":
            number = number if number.upper().startswith("IMO") else f"IMO{number}"
        if prop and entity.schema.get(prop):
            entity.add(prop, number, quiet=True)
        else:
            desc = _attr(ident, "identificationTypeDescription") or code
            entity.add("notes", f"{desc}: {number}", quiet=True)


PARSER = register(EuFsfParser())
