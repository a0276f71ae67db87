"""What changed since a book's last monitoring run: the list records (from the ledger's diffs
between the snapshots the run screened and those standing now) and the book's customers."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from followthemoney.proxy import EntityProxy

from sanctions_ledger import history
from sanctions_ledger.store import Ledger, LedgerView
from sanctions_ledger.store.snapshots import find_snapshot
from sanctions_ledger.vocab import COUNTRY_PROPS, IDENTIFIER_PROPS, NAME_PROPS

__all__ = ["ListChanges", "list_changes", "party_hash", "party_names"]

MATERIAL_PROPS = (*NAME_PROPS, "birthDate", *COUNTRY_PROPS, *IDENTIFIER_PROPS)
"""What the matcher reads of a party: a change of one of these is material."""


def party_hash(entity: EntityProxy) -> str:
    """A hash of what screening reads of a listed party (its record version for monitoring)."""
    parts = [entity.schema.name]
    for prop in MATERIAL_PROPS:
        values = sorted(entity.properties.get(prop, ()))
        if values:
            parts.append(prop + "=" + "|".join(values))
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()


def party_names(entity: EntityProxy) -> list[tuple[str, str, str | None, str | None]]:
    """(name, schema, birth date, country) for each name of a party: the queries a changed
    record puts to the book index."""
    props = entity.properties
    births = sorted(props.get("birthDate", ()))
    countries = sorted({c for p in COUNTRY_PROPS for c in props.get(p, ())})
    names = sorted({v for p in NAME_PROPS for v in props.get(p, ())})
    return [(n, entity.schema.name, births[0] if births else None, countries[0] if countries else None)
            for n in names]


@dataclass
class ListChanges:
    """Parties added, amended or removed in each list since the snapshots of the last run."""

    before: dict[str, str]
    after: dict[str, str]
    entries: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """(dataset, entity_id) -> the trigger: dataset, snapshots, change and changed fields."""
    whole: set[str] = field(default_factory=set)
    """Lists that appeared or went away (every party of them counts as added or removed)."""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def with_names(self) -> list[tuple[str, str]]:
        return [k for k, e in self.entries.items() if e["change"] in ("added", "amended")]

    def gone_or_amended(self) -> list[tuple[str, str]]:
        return [k for k, e in self.entries.items() if e["change"] in ("removed", "amended")]


def _trigger(ds: str, a: str | None, b: str | None, change: str, fields_: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "list", "dataset": ds, "from_snapshot": a, "to_snapshot": b, "change": change,
            "fields": fields_}


def list_changes(ledger: Ledger, before: dict[str, str], after: dict[str, str]) -> ListChanges:
    """The ledger's diff of each list whose standing snapshot changed between two runs."""
    out = ListChanges(dict(before), dict(after))
    for ds in sorted(set(before) | set(after)):
        a, b = before.get(ds), after.get(ds)
        if a == b:
            continue
        entries: list[history.DiffEntry] | None = None
        found = find_snapshot(ledger, a) if a else None
        if a and b and found:
            result = history.diff(ledger, found[0], None, datasets=[ds])
            if result.snapshots.get(ds) == (a, b):
                entries = [e for e in result.entries if e.dataset == ds]
        if entries is None:
            # A list new to the book, or gone, or two snapshots a date cannot tell apart: every
            # party of the old one is removed and every party of the new one added.
            out.whole.add(ds)
            entries = []
            if a:
                entries += [history.DiffEntry(ds, eid, "removed", "", "") for eid in _party_ids(ledger, a, ds)]
            if b:
                entries += [history.DiffEntry(ds, eid, "added", "", "") for eid in _party_ids(ledger, b, ds)]
        for e in entries:
            out.entries[(ds, e.entity_id)] = _trigger(ds, a, b, e.change, [c.to_dict() for c in e.changes])
    return out


def _party_ids(ledger: Ledger, snapshot_id: str, dataset: str) -> list[str]:
    found = find_snapshot(ledger, snapshot_id)
    if found is None:
        return []
    view = LedgerView(ledger, found[0], [dataset])
    if not any(s.id == snapshot_id for s in view.snapshots()):
        return []
    return [eid for _ds, eid in view.party_ids()]


def current_parties(ledger: Ledger, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], EntityProxy]:
    """The parties ``keys`` (dataset, entity_id) as the latest lists carry them."""
    wanted = set(keys)
    if not wanted:
        return {}
    view = LedgerView(ledger, None, None)
    if len(wanted) > 3000:
        found = ((ds, e) for ds, e in view.iter_parties() if (ds, e.id) in wanted)
    else:
        found = ((ds, e) for ds, e in view.entities({eid for _ds, eid in wanted}))
    return {(ds, e.id or ""): e for ds, e in found if (ds, e.id) in wanted}
