"""Events derived from statement intervals: listed, amended (field by field), delisted; diffs.

Two kinds of time are kept apart: ``observed`` dates come from our snapshots (a change
happened after ``previous_observed`` and on or before ``observed``), ``source`` dates are
what the list itself says (designation/listing dates, official delta files).

A diff compares what a list says, not how a file says it: values are normalised before
they are compared (country names to codes, also at the end of an address), provenance
fields (``sourceUrl``, the authority's wording) are metadata and never an amendment, and
when the two snapshots come in different source formats (OFAC's CSV, then an FtM export)
that change is reported as one line of its own, and properties that only one of the two
formats carries at all are left out of the comparison.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.store.diffs import changed_statements, name_captions, snapshot_props
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.reads import official_rows, party_intervals, sanction_ids
from sanctions_ledger.store.schema import SCHEMA_PROP
from sanctions_ledger.store.snapshots import has_delta_snapshots, snapshot_sequences
from sanctions_ledger.store.view import LedgerView, SnapshotInfo, parse_date
from sanctions_ledger.vocab import (
    COUNTRY_PROPS,
    DOCUMENT_PROPS,
    NAME_PROPS,
    PROVENANCE_PROPS,
    country_code,
)

SOURCE_DATE_PROPS = ("listingDate", "startDate", "endDate", "modifiedAt", "date")


@dataclass
class Change:
    entity_id: str
    prop: str
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "prop": self.prop, "old": self.removed, "new": self.added}

    def describe(self) -> str:
        old = "; ".join(self.removed) or "∅"
        new = "; ".join(self.added) or "∅"
        return f"{self.prop}: {old} → {new}"


@dataclass
class ChangeEvent:
    kind: str  # listed | relisted | amended | delisted | official
    dataset: str
    entity_id: str
    observed: date | None
    previous_observed: date | None
    snapshot_id: str | None
    source_dates: dict[str, list[str]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "dataset": self.dataset, "entity_id": self.entity_id,
            "observed": self.observed.isoformat() if self.observed else None,
            "previous_observed": self.previous_observed.isoformat() if self.previous_observed else None,
            "snapshot_id": self.snapshot_id, "source_dates": self.source_dates,
            "changes": [c.to_dict() for c in self.changes], "note": self.note,
        }

    def when(self) -> str:
        if self.observed is None:
            return "—"
        if self.previous_observed is None:
            return f"≤ {self.observed}"
        return f"{self.previous_observed} < … ≤ {self.observed}"


def _related_ids(ledger: Ledger, entity_id: str) -> dict[str, str]:
    """entity id -> the party it belongs to (the party itself and its Sanction entities)."""
    related = {entity_id: entity_id}
    for sid in sanction_ids(ledger, entity_id):
        related[sid] = entity_id
    return related


def history(ledger: Ledger, entity_id: str) -> list[ChangeEvent]:
    """Every dated event of one party, over all lists that ever carried it."""
    related = _related_ids(ledger, entity_id)
    rows = party_intervals(ledger, related)
    if not rows:
        official = _official_events(ledger, entity_id)
        if official:
            return official
        raise NotFoundError(f"no entity {entity_id!r} in the ledger")
    datasets = sorted({r[0] for r in rows})
    seq = snapshot_sequences(ledger, datasets)
    starts: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    ends: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    source_dates: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ds, eid, schema, prop, value, _fs, fsnap, _fm, msnap in rows:
        starts[(ds, fsnap)].append((eid, schema, prop, value))
        if msnap:
            ends[(ds, msnap)].append((eid, schema, prop, value))
        if schema == "Sanction" and prop in SOURCE_DATE_PROPS and value not in source_dates[ds][prop]:
            source_dates[ds][prop].append(value)
    events: list[ChangeEvent] = []
    for ds in datasets:
        ever_listed = False
        for idx, (snap_id, observed) in enumerate(seq[ds]):
            added = starts.get((ds, snap_id), [])
            removed = ends.get((ds, snap_id), [])
            if not added and not removed:
                continue
            prev = seq[ds][idx - 1][1] if idx > 0 else None
            party_added = any(e == entity_id and p == SCHEMA_PROP for e, _s, p, _v in added)
            party_removed = any(e == entity_id and p == SCHEMA_PROP for e, _s, p, _v in removed)
            if party_removed and not party_added:
                events.append(ChangeEvent("delisted", ds, entity_id, observed, prev, snap_id,
                                    note="absent from this snapshot; present in the previous one"))
                continue
            if party_added:
                kind = "relisted" if ever_listed else "listed"
                ever_listed = True
                note = "" if idx else "present in the first snapshot of this list we hold"
                events.append(ChangeEvent(kind, ds, entity_id, observed, prev, snap_id,
                                    source_dates=dict(source_dates.get(ds, {})), note=note))
                continue
            changes = _changes(added, removed)
            if changes:
                events.append(ChangeEvent("amended", ds, entity_id, observed, prev, snap_id, changes=changes))
    events.extend(_official_events(ledger, entity_id))
    events.sort(key=lambda e: (e.observed or date.min, e.dataset, e.kind))
    return events


def _changes(added: list[tuple[Any, ...]], removed: list[tuple[Any, ...]]) -> list[Change]:
    by_prop: dict[tuple[str, str], Change] = {}
    for eid, _schema, prop, value in removed:
        by_prop.setdefault((eid, prop), Change(eid, prop)).removed.append(value)
    for eid, _schema, prop, value in added:
        by_prop.setdefault((eid, prop), Change(eid, prop)).added.append(value)
    for change in by_prop.values():  # the rows come in no defined order: make the output stable
        change.removed.sort()
        change.added.sort()
    return [by_prop[k] for k in sorted(by_prop)]


def _official_events(ledger: Ledger, entity_id: str) -> list[ChangeEvent]:
    """Changes published by the source itself (OFAC delta files)."""
    if not has_delta_snapshots(ledger):
        return []
    rows = official_rows(ledger, entity_id)
    grouped: dict[str, dict[str, Any]] = {}
    for ds, sid, prop, value, snap, observed in rows:
        g = grouped.setdefault(sid, {"dataset": ds, "snapshot": snap, "observed": observed, "props": defaultdict(list)})
        g["props"][prop].append(value)
    events = []
    for g in grouped.values():
        props = g["props"]
        status = (props.get("status") or ["changed"])[0]
        dates = {k: v for k, v in props.items() if k in SOURCE_DATE_PROPS}
        official = (props.get("date") or props.get("endDate") or props.get("startDate") or [None])[0]
        observed = parse_date(official) if official else g["observed"]
        events.append(ChangeEvent("official", g["dataset"], entity_id, observed, None, g["snapshot"],
                            source_dates=dates, note=f"official {status} (published by the source)"))
    return events


@dataclass
class DiffEntry:
    dataset: str
    entity_id: str
    change: str  # added | removed | amended
    schema: str
    caption: str
    changes: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "entity_id": self.entity_id, "change": self.change,
                "schema": self.schema, "caption": self.caption,
                "changes": [c.to_dict() for c in self.changes]}


@dataclass
class Diff:
    from_date: date | None
    to_date: date | None
    snapshots: dict[str, tuple[str | None, str | None]]
    entries: list[DiffEntry]
    notes: list[str] = field(default_factory=list)
    format_changes: list[dict[str, str]] = field(default_factory=list)
    """Lists whose two snapshots come in different source formats: dataset, from, to."""

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = defaultdict(lambda: {"added": 0, "removed": 0, "amended": 0})
        for e in self.entries:
            out[e.dataset][e.change] += 1
        return dict(out)

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.from_date.isoformat() if self.from_date else None,
                "to": self.to_date.isoformat() if self.to_date else None,
                "snapshots": {d: {"from": a, "to": b} for d, (a, b) in self.snapshots.items()},
                "counts": self.counts(), "notes": self.notes, "format_changes": self.format_changes,
                "entries": [e.to_dict() for e in self.entries]}


def diff(ledger: Ledger, from_date: date | str, to_date: date | str | None = None, *,
         datasets: Collection[str] | None = None, program: str | None = None,
         country: str | None = None, details: bool = True) -> Diff:
    """Parties added, removed and amended in each list between two dates."""
    start = parse_date(from_date, "from")
    end = parse_date(to_date, "to")
    if start is None:
        raise InputError("diff needs a --from date")
    if end is not None and end < start:
        raise InputError(f"--to {end} is before --from {start}")
    before = {s.dataset: s for s in LedgerView(ledger, start, datasets).snapshots()}
    after = {s.dataset: s for s in LedgerView(ledger, end, datasets).snapshots()}
    result = Diff(start, end, {}, [])
    for ds in sorted(set(before) | set(after)):
        sa, sb = before.get(ds), after.get(ds)
        result.snapshots[ds] = (sa.id if sa else None, sb.id if sb else None)
        if sa is None:
            result.notes.append(f"{ds}: no snapshot on or before {start}; not compared")
            continue
        if sb is None or sa.id == sb.id:
            continue
        only: set[str] = set()
        if sa.kind != sb.kind:
            result.format_changes.append({"dataset": ds, "from": sa.kind, "to": sb.kind,
                                          "from_snapshot": sa.id, "to_snapshot": sb.id})
            result.notes.append(_format_note(sa, sb))
            only = snapshot_props(ledger, ds, sa.id) ^ snapshot_props(ledger, ds, sb.id)
        result.entries.extend(_diff_pair(ledger, ds, sa.id, sb.id, program, country, details,
                                         ignore=only, across_formats=sa.kind != sb.kind))
    return result


def _format_note(a: SnapshotInfo, b: SnapshotInfo) -> str:
    return (f"{a.dataset}: source format changed from {a.kind} ({a.observed_at}) to {b.kind} "
            f"({b.observed_at}); values compared after normalising, provenance fields and "
            "properties only one format carries are not counted as amendments")


def _normalised(prop: str, value: str) -> str | None:
    """A value as a diff compares it: countries as codes (``Belarus`` -> ``by``); an address
    with its country as a code and without punctuation (``Minsk 220116, Belarus`` and FtM's
    ``Minsk, 220116, BY`` are one address); an address that is only a country is the CSV's
    way to give the country, not an address (None: not compared)."""
    if prop in COUNTRY_PROPS:
        return country_code(value) or value
    if prop == "address":
        head, _sep, tail = value.rpartition(",")
        code = country_code(tail) if len(tail.strip()) > 2 else None
        if code and not head.strip():
            return None
        text = f"{head} {code}" if code else value
        return re.sub(r"[\W_]+", "", text.casefold())
    return value


def _group(prop: str) -> str:
    """The kind of value a property holds, where lists file one value under several."""
    if prop in DOCUMENT_PROPS:
        return "document"
    if prop in NAME_PROPS:
        return "name"
    return ""


def _comparable(changes: list[Change], ignore: Collection[str], across_formats: bool) -> list[Change]:
    """The changes of list content: provenance and ``ignore``d properties dropped, and a value
    removed and added again once normalised is no change. Across formats, neither is a value
    that moved between properties of one kind: a document number from ``registrationNumber``
    to ``idNumber``, a name from ``previousName`` (OFAC's CSV "fka") to ``alias`` (its FtM
    export). Within one format such a move is the list's own (a primary name became an alias)."""
    moved: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for change in changes:
        group = _group(change.prop) if across_formats else ""
        if group:
            for v in change.removed:
                moved[(change.entity_id, group, v)].add("removed")
            for v in change.added:
                moved[(change.entity_id, group, v)].add("added")
    out = []
    for change in changes:
        if change.prop in PROVENANCE_PROPS or change.prop in ignore:
            continue
        old = {_normalised(change.prop, v): v for v in change.removed}
        new = {_normalised(change.prop, v): v for v in change.added}
        group = _group(change.prop) if across_formats else ""
        gone = {v for v in (*change.removed, *change.added)
                if group and len(moved[(change.entity_id, group, v)]) > 1}
        removed = sorted(v for k, v in old.items() if k is not None and k not in new and v not in gone)
        added = sorted(v for k, v in new.items() if k is not None and k not in old and v not in gone)
        if removed or added:
            out.append(Change(change.entity_id, change.prop, removed, added))
    return out


def _diff_pair(ledger: Ledger, dataset: str, a: str, b: str, program: str | None,
               country: str | None, details: bool, *, ignore: Collection[str] = (),
               across_formats: bool = False) -> list[DiffEntry]:
    rows = changed_statements(ledger, dataset, a, b, program, country)
    captions = name_captions(ledger, dataset, a, b)
    per_party: dict[str, dict[str, Any]] = {}
    for party, schema, side, eid, prop, value in rows:
        entry = per_party.setdefault(party, {"schema": schema, "rows": []})
        entry["rows"].append((side, eid, prop, value))
    out: list[DiffEntry] = []
    for party in sorted(per_party):
        info = per_party[party]
        party_rows = info["rows"]
        kind = "amended"
        if any(s == "added" and e == party and p == SCHEMA_PROP for s, e, p, _v in party_rows):
            kind = "added"
        elif any(s == "removed" and e == party and p == SCHEMA_PROP for s, e, p, _v in party_rows):
            kind = "removed"
        changes: list[Change] = []
        if kind == "amended":
            changes = _comparable(
                _changes([(e, "", p, v) for s, e, p, v in party_rows if s == "added"],
                         [(e, "", p, v) for s, e, p, v in party_rows if s == "removed"]),
                ignore, across_formats)
            if not changes:
                continue  # only the format or the provenance differed: not an amendment
        out.append(DiffEntry(dataset, party, kind, info["schema"], captions.get(party, party),
                             changes if details else []))
    return out
