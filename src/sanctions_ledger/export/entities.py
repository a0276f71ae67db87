"""Statement rows of the ledger as FollowTheMoney objects: one entity line exactly as
OpenSanctions writes ``entities.ftm.json``, and FtM ``Statement`` objects with our validity
intervals as ``first_seen`` / ``last_seen``.

Every collection is sorted before it is written (property names, values, lists, statements):
FtM's own ``StatementEntity.to_dict`` builds its lists from sets, whose order changes from run
to run, and an export must give the same bytes for the same ledger.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.statement import Statement
from followthemoney.statement.util import BASE_ID

from sanctions_ledger.store.exports import StatementRow
from sanctions_ledger.store.schema import SCHEMA_PROP
from sanctions_ledger.vocab import PARTY_SCHEMAS

__all__ = ["Dropped", "EntityRows", "by_entity", "entity_checksum", "ftm_dict", "ftm_line", "iso",
           "statements_of"]


def iso(day: date) -> str:
    """A ledger date as FtM's ``first_seen`` / ``last_seen`` text: an ISO timestamp at the
    start of the day (our snapshots are dated by the day, OpenSanctions' by the second)."""
    return f"{day.isoformat()}T00:00:00"


@dataclass
class EntityRows:
    """Every standing statement of one entity id, in every list that carries it."""

    entity_id: str
    rows: list[StatementRow]

    def schema_name(self) -> str:
        """The entity's schema; lists that disagree get the common schema FtM derives
        (a Company in one list and a LegalEntity in another: Company)."""
        names = sorted({r[5] for r in self.rows if r[3] == SCHEMA_PROP})
        if not names:
            names = sorted({r[2] for r in self.rows})
        schema = model.get(names[0])
        for name in names[1:]:
            try:
                schema = model.common_schema(schema, name) if schema else model.get(name)
            except InvalidData:
                continue
        if schema is None:
            raise InvalidData(f"{self.entity_id}: unknown schema {names[0]!r}")
        return schema.name

    def datasets(self) -> list[str]:
        return sorted({r[1] for r in self.rows})


def by_entity(rows: Iterable[StatementRow]) -> Iterator[EntityRows]:
    """Group rows ordered by entity id into one :class:`EntityRows` per entity."""
    current: EntityRows | None = None
    for row in rows:
        if current is None or row[0] != current.entity_id:
            if current is not None:
                yield current
            current = EntityRows(row[0], [])
        current.rows.append(row)
    if current is not None:
        yield current


Dropped = list[tuple[str, str, str]]
"""(entity id, property, value) of values left out of an FtM entity because FtM refuses them."""


def _valid(schema: str, properties: dict[str, list[str]], dropped: Dropped | None,
           entity_id: str) -> dict[str, list[str]]:
    """The properties without the values FtM's types refuse (an identifier longer than FtM
    allows, as one UN idNumber is): a producer such as zavod drops them when it adds them, and
    a line that FtM's ``Schema.validate`` refuses is not an FtM entity. The statement and flat
    exports keep every value."""
    found = model.get(schema)
    if found is None:
        return properties
    try:
        found.validate({"properties": properties})
        return properties
    except InvalidData:
        pass
    kept: dict[str, list[str]] = {}
    for name, values in properties.items():
        prop = found.properties.get(name)
        good = [v for v in values if prop is None or prop.validate([v]) is None]
        if dropped is not None:
            dropped.extend((entity_id, name, v) for v in values if v not in good)
        if good:
            kept[name] = good
    return kept


def ftm_dict(ent: EntityRows, removals: dict[tuple[str, str], date],
             dropped: Dropped | None = None) -> dict[str, Any]:
    """The entity as OpenSanctions' ``entities.ftm.json`` has it (FtM's
    ``StatementEntity.to_dict`` plus zavod's ``target``), keys in that order: ``first_seen``
    is the earliest date of the intervals its statements stand in, ``last_seen`` the standing
    snapshot's date, ``last_change`` the latest date a statement of it appeared or went.
    Values FtM refuses are left out and added to ``dropped``."""
    schema = ent.schema_name()
    props: dict[str, list[str]] = {}
    first: date | None = None
    last: date | None = None
    change: date | None = None
    for _eid, _ds, _schema, prop, _ptype, value, first_seen, last_seen in ent.rows:
        first = first_seen if first is None else min(first, first_seen)
        last = last_seen if last is None else max(last, last_seen)
        change = first_seen if change is None else max(change, first_seen)
        if prop == SCHEMA_PROP:
            continue
        values = props.setdefault(prop, [])
        if not values or values[-1] != value:  # rows are sorted by (list, prop, value)
            values.append(value)
    datasets = ent.datasets()
    for ds in datasets:
        gone = removals.get((ds, ent.entity_id))
        if gone is not None and change is not None:
            change = max(change, gone)
    properties = _valid(schema, {p: sorted(set(v)) for p, v in sorted(props.items())}, dropped,
                        ent.entity_id)
    proxy = model.get_proxy({"id": ent.entity_id, "schema": schema, "properties": properties},
                            cleaned=True)
    data: dict[str, Any] = {"id": ent.entity_id, "caption": proxy.caption, "schema": schema,
                            "referents": [], "datasets": datasets}
    if first is not None and last is not None and change is not None:
        data["first_seen"] = iso(first)
        data["last_seen"] = iso(last)
        data["last_change"] = iso(change)
    data["properties"] = properties
    data["target"] = schema in PARTY_SCHEMAS
    return data


def ftm_line(ent: EntityRows, removals: dict[tuple[str, str], date],
             dropped: Dropped | None = None) -> bytes:
    return orjson.dumps(ftm_dict(ent, removals, dropped), option=orjson.OPT_APPEND_NEWLINE)


def entity_checksum(schema: str, statement_ids: Iterable[str]) -> str:
    """FtM's checksum of an entity, the value of its ``id`` statement: SHA1 of the schema name
    and the sorted statement ids (``StatementEntity.statements`` in followthemoney 4; a test
    checks that FtM computes the same value). Computed here because building a
    ``StatementEntity`` per entity took a quarter of a statements export."""
    digest = hashlib.sha1(schema.encode("utf-8"))
    for sid in sorted(statement_ids):
        digest.update(sid.encode("utf-8"))
    return digest.hexdigest()


def statements_of(ent: EntityRows, removals: dict[tuple[str, str], date]) -> Iterator[Statement]:
    """The entity's FtM statements, list by list: each property value with the interval it
    stands in, then the entity's ``id`` statement in that list as FtM's
    ``StatementEntity.statements`` emits it: the checksum of its statement ids (computed by
    FtM), first seen on the entity's last change, last seen on the standing snapshot."""
    schema = ent.schema_name()
    for ds in ent.datasets():
        rows = [r for r in ent.rows if r[1] == ds]
        stmts = [Statement(eid, prop, row_schema, value, ds, first_seen=iso(first_seen),
                           last_seen=iso(last_seen))
                 for eid, _ds, row_schema, prop, _ptype, value, first_seen, last_seen in rows
                 if prop != SCHEMA_PROP]
        checksum = entity_checksum(schema, (st.id for st in stmts if st.id is not None))
        change = max(r[6] for r in rows)
        gone = removals.get((ds, ent.entity_id))
        if gone is not None:
            change = max(change, gone)
        yield from stmts
        yield Statement(ent.entity_id, BASE_ID, schema, checksum, ds, first_seen=iso(change),
                        last_seen=iso(max(r[7] for r in rows)))
