"""OFAC delta (changes) publications: which entries were added, removed or modified on a day.

A delta is not a complete list (``full_snapshot = False``): the store must apply it on top of
the previous full snapshot instead of treating absent entries as delisted.

No official delta file is available to this project, so the reader is deliberately tolerant
of how the change is marked (all matched on local names):

* the root's local name contains ``delta`` or ``change`` (``sdnChanges``, ``deltaFile``...), or
  it is ``sanctionsData``/``sdnList`` in a file whose name contains ``delta``;
* each change is an ``entry``/``change``/``sdnEntry``/``entity`` element; its action comes from
  an ``action``/``changeType`` attribute or child, or from the name of an enclosing container
  (``added``/``addedEntries``, ``removed``/``deleted``, ``modified``/``updated``...);
* the uid is an ``uid``/``id``/``entityId`` attribute or child; the party itself, when
  present, is an ``sdnEntry`` (classic XML) or ``entity`` (enhanced XML) body;
* the change date is the entry's ``date``/``changeDate`` (attribute or child), else the file's
  publication date (root attribute or ``publicationDate``/``Publish_Date``/``dataAsOf``
  element), else a date in the file name.
"""

from __future__ import annotations

from collections.abc import Iterator
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
from sanctions_ledger.sources.ofac_enhanced import OfacEnhancedParser
from sanctions_ledger.sources.ofac_xml import OFAC, SDN_URL, OfacXmlParser, parse_us_date
from sanctions_ledger.sources.xmlsafe import (
    Element,
    XmlStream,
    child,
    local,
    position,
    root_name,
    text,
)
from sanctions_ledger.vocab import iso_date

DATASET = "us_ofac_delta"
_ACTIONS = {
    "added": "added", "add": "added", "addition": "added", "additions": "added", "new": "added",
    "addedentries": "added", "insert": "added",
    "removed": "removed", "remove": "removed", "deleted": "removed", "delete": "removed",
    "deletion": "removed", "deletions": "removed", "removedentries": "removed",
    "deletedentries": "removed", "delisted": "removed",
    "modified": "modified", "modify": "modified", "modification": "modified",
    "modifications": "modified", "updated": "modified", "update": "modified",
    "changed": "modified", "modifiedentries": "modified", "updatedentries": "modified",
}
_ENTRY_TAGS = {"entry", "change", "sdnEntry", "entity"}
_HEADER_TAGS = {"publicationDate", "Publish_Date", "dataAsOf", "publshInformation", "publicationInfo"}
_DATE_ATTRS = ("publicationDate", "dateOfPublication", "datePublished", "date", "dataAsOf")


def _date(value: str | None) -> str | None:
    if not value:
        return None
    found = iso_date(value)
    if found:
        return found
    us = parse_us_date(value)
    return us.isoformat() if us else None


def _action(elem: Element) -> str | None:
    for attr in ("action", "changeType", "type", "status"):
        raw = elem.get(attr) or text(elem, attr)
        if raw and raw.lower().replace(" ", "") in _ACTIONS:
            return _ACTIONS[raw.lower().replace(" ", "")]
    parent = elem.getparent()
    while parent is not None:
        name = local(parent.tag).lower()
        if name in _ACTIONS:
            return _ACTIONS[name]
        parent = parent.getparent()
    return None


def _uid(elem: Element) -> str | None:
    for name in ("uid", "id", "entityId", "ent_num"):
        value = (elem.get(name) or "").strip() or text(elem, name)
        if value and value.isdigit():
            return value
    return None


class OfacDeltaParser:
    kind = "ofac_delta"
    version = "1"
    description = "OFAC delta publications (entries added / removed / modified)"
    full_snapshot = False

    def __init__(self) -> None:
        self._classic = OfacXmlParser()
        self._enhanced = OfacEnhancedParser()

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        if not path.is_file():
            return False
        root = (root_name(head) or "").lower()
        if "delta" in root or "change" in root:
            return True
        return root in ("sanctionsdata", "sdnlist") and "delta" in path.name.lower()

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        stream = XmlStream(path)
        published: str | None = None
        seen = 0
        for elem in stream.records(_ENTRY_TAGS | _HEADER_TAGS):
            if published is None:
                published = next(
                    (_date(stream.root_attrib.get(a)) for a in _DATE_ATTRS if stream.root_attrib.get(a)), None
                )
            name = local(elem.tag)
            if name in _HEADER_TAGS:
                found = _date(text(elem)) or _date(text(elem, "Publish_Date")) or _date(text(elem, "dataAsOf"))
                published = published or found
                continue
            seen += 1
            yield from self._change(path, elem, published)
            if meta.published_at is None and published:
                meta.published_at = date.fromisoformat(published)
        if published and meta.published_at is None:
            meta.published_at = date.fromisoformat(published)
        if meta.published_at is None:
            meta.published_at = date_from_path(path)
        if seen == 0:
            meta.notes.append("delta file lists no changes")

    def _change(self, path: Path, elem: Element, published: str | None) -> Iterator[Record]:
        action = _action(elem)
        if action is None:
            raise SourceError("change without an added/removed/modified action", str(path), position(elem))
        body = elem if local(elem.tag) in ("sdnEntry", "entity") else None
        if body is None:
            body = child(elem, "sdnEntry")
            if body is None:
                body = child(elem, "entity")
        uid = _uid(elem) or (_uid(body) if body is not None else None)
        if uid is None:
            raise SourceError("change without a numeric uid", str(path), position(elem))
        when = _date(elem.get("date") or elem.get("changeDate") or text(elem, "date") or text(elem, "changeDate"))
        when = when or published
        if when is None:
            fallback = date_from_path(path)
            when = fallback.isoformat() if fallback else None
        if when is None:
            raise SourceError(f"change of uid {uid} has no date", str(path), position(elem))

        party = make_entity("LegalEntity", f"us-sdn-{uid}")
        if body is not None and action != "removed":
            party = self._party(path, body)
            if party.id != f"us-sdn-{uid}":
                raise SourceError(f"change uid {uid} does not match its entry {party.id}", str(path), position(elem))
            yield Record(DATASET, party)
        sanction = make_sanction(
            party, authority=OFAC, country="us", program=party.get("program"),
            source_url=SDN_URL, authority_id=uid, suffix=f"delta-{when}-{action}",
        )
        sanction.add("status", action)
        sanction.add("date", when)
        if action == "added":
            sanction.add("startDate", when)
        elif action == "removed":
            sanction.add("endDate", when)
        yield Record(DATASET, sanction)

    def _party(self, path: Path, body: Element) -> EntityProxy:
        if local(body.tag) == "sdnEntry" or child(body, "lastName") is not None:
            return self._classic.entity(path, body, "us-sdn")
        return self._enhanced.entity(path, body, "us-sdn")


PARSER = register(OfacDeltaParser())
