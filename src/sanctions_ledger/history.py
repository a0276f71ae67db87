"""Events derived from statement intervals: listed, amended (field by field), delisted; diffs.

Two kinds of time are kept apart: ``observed`` dates come from our snapshots (a change
happened after ``previous_observed`` and on or before ``observed``), ``source`` dates are
what the list itself says (designation/listing dates, official delta files).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import SCHEMA_PROP
from sanctions_ledger.store.view import LedgerView, filter_sql, parse_date
from sanctions_ledger.vocab import PARTY_SCHEMAS

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
class Event:
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
    rows = ledger.query(
        "SELECT DISTINCT entity_id FROM refs WHERE prop = 'entity' AND target = ?",
        [entity_id])
    related = {entity_id: entity_id}
    for (sid,) in rows:
        related[sid] = entity_id
    return related


def history(ledger: Ledger, entity_id: str) -> list[Event]:
    """Every dated event of one party, over all lists that ever carried it."""
    related = _related_ids(ledger, entity_id)
    rows = ledger.query("""
        SELECT i.dataset, st.entity_id, st.schema, st.prop, st.value, i.first_seen, i.first_snapshot,
               i.first_missing, i.missing_snapshot
        FROM statements st JOIN intervals i ON i.statement_id = st.id
        WHERE list_contains(?, st.entity_id)
        ORDER BY i.dataset, i.first_seen""", [sorted(related)])
    if not rows:
        official = _official_events(ledger, entity_id)
        if official:
            return official
        raise NotFoundError(f"no entity {entity_id!r} in the ledger")
    datasets = sorted({r[0] for r in rows})
    seq = _snapshot_sequences(ledger, datasets)
    starts: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    ends: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    source_dates: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ds, eid, schema, prop, value, _fs, fsnap, _fm, msnap in rows:
        starts[(ds, fsnap)].append((eid, schema, prop, value))
        if msnap:
            ends[(ds, msnap)].append((eid, schema, prop, value))
        if schema == "Sanction" and prop in SOURCE_DATE_PROPS and value not in source_dates[ds][prop]:
            source_dates[ds][prop].append(value)
    events: list[Event] = []
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
                events.append(Event("delisted", ds, entity_id, observed, prev, snap_id,
                                    note="absent from this snapshot; present in the previous one"))
                continue
            if party_added:
                kind = "relisted" if ever_listed else "listed"
                ever_listed = True
                note = "" if idx else "present in the first snapshot of this list we hold"
                events.append(Event(kind, ds, entity_id, observed, prev, snap_id,
                                    source_dates=dict(source_dates.get(ds, {})), note=note))
                continue
            changes = _changes(added, removed)
            if changes:
                events.append(Event("amended", ds, entity_id, observed, prev, snap_id, changes=changes))
    events.extend(_official_events(ledger, entity_id))
    events.sort(key=lambda e: (e.observed or date.min, e.dataset, e.kind))
    return events


def _changes(added: list[tuple[Any, ...]], removed: list[tuple[Any, ...]]) -> list[Change]:
    by_prop: dict[tuple[str, str], Change] = {}
    for eid, _schema, prop, value in removed:
        by_prop.setdefault((eid, prop), Change(eid, prop)).removed.append(value)
    for eid, _schema, prop, value in added:
        by_prop.setdefault((eid, prop), Change(eid, prop)).added.append(value)
    return [by_prop[k] for k in sorted(by_prop)]


def _snapshot_sequences(ledger: Ledger, datasets: list[str]) -> dict[str, list[tuple[str, date]]]:
    rows = ledger.query("""
        SELECT d.dataset, s.id, s.observed_at FROM snapshots s
        JOIN snapshot_datasets d ON d.snapshot_id = s.id
        WHERE s.full_snapshot AND list_contains(?, d.dataset)
        ORDER BY d.dataset, s.observed_at, s.published_at NULLS FIRST, s.id""", [datasets])
    seq: dict[str, list[tuple[str, date]]] = defaultdict(list)
    for ds, sid, observed in rows:
        seq[ds].append((sid, observed))
    return seq


def _official_events(ledger: Ledger, entity_id: str) -> list[Event]:
    """Changes published by the source itself (OFAC delta files)."""
    if not ledger.query("SELECT 1 FROM snapshots WHERE NOT full_snapshot LIMIT 1"):
        return []
    rows = ledger.query("""
        WITH sids AS (SELECT DISTINCT entity_id FROM refs WHERE prop = 'entity' AND target = ?),
             deltas AS (SELECT id, observed_at FROM snapshots WHERE NOT full_snapshot),
             cand AS (SELECT st.* FROM statements st JOIN sids ON sids.entity_id = st.entity_id
                      WHERE st.schema = 'Sanction')
        SELECT c.dataset, c.entity_id, c.prop, c.value, d.id, d.observed_at
        FROM cand c JOIN observations o ON o.statement_id = c.id JOIN deltas d ON d.id = o.snapshot_id
        ORDER BY c.entity_id""", [entity_id])
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
        events.append(Event("official", g["dataset"], entity_id, observed, None, g["snapshot"],
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

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = defaultdict(lambda: {"added": 0, "removed": 0, "amended": 0})
        for e in self.entries:
            out[e.dataset][e.change] += 1
        return dict(out)

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.from_date.isoformat() if self.from_date else None,
                "to": self.to_date.isoformat() if self.to_date else None,
                "snapshots": {d: {"from": a, "to": b} for d, (a, b) in self.snapshots.items()},
                "counts": self.counts(), "notes": self.notes,
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
    before = {s.dataset: s.id for s in LedgerView(ledger, start, datasets).snapshots()}
    after = {s.dataset: s.id for s in LedgerView(ledger, end, datasets).snapshots()}
    result = Diff(start, end, {}, [])
    for ds in sorted(set(before) | set(after)):
        a, b = before.get(ds), after.get(ds)
        result.snapshots[ds] = (a, b)
        if a is None:
            result.notes.append(f"{ds}: no snapshot on or before {start}; not compared")
            continue
        if a == b:
            continue
        result.entries.extend(_diff_pair(ledger, ds, a, b or a, program, country, details))
    return result


def _diff_pair(ledger: Ledger, dataset: str, a: str, b: str, program: str | None,
               country: str | None, details: bool) -> list[DiffEntry]:
    params: dict[str, Any] = {"a": a, "b": b, "ds": dataset, "schemas": list(PARTY_SCHEMAS)}
    flt = filter_sql(program, country, params, present="seen")
    sql = f"""
        WITH sa AS (SELECT statement_id FROM observations WHERE snapshot_id = $a AND dataset = $ds),
             sb AS (SELECT statement_id FROM observations WHERE snapshot_id = $b AND dataset = $ds),
             delta AS (
                SELECT statement_id, 'removed' AS side FROM (SELECT * FROM sa EXCEPT SELECT * FROM sb)
                UNION ALL
                SELECT statement_id, 'added' FROM (SELECT * FROM sb EXCEPT SELECT * FROM sa)),
             seen AS (
                SELECT st.* FROM statements st WHERE st.id IN (SELECT statement_id FROM sa UNION SELECT statement_id FROM sb)),
             owner AS (
                SELECT st.entity_id AS eid, st.entity_id AS party FROM delta d JOIN statements st ON st.id = d.statement_id
                WHERE st.schema <> 'Sanction'
                UNION
                SELECT st.entity_id, st.value FROM statements st
                WHERE st.prop = 'entity' AND st.schema = 'Sanction' AND st.dataset = $ds
                  AND st.entity_id IN (SELECT s2.entity_id FROM delta d JOIN statements s2 ON s2.id = d.statement_id)),
             changed AS (
                SELECT d.side, st.entity_id, st.prop, st.value, o.party FROM delta d
                JOIN statements st ON st.id = d.statement_id JOIN owner o ON o.eid = st.entity_id),
             p AS (SELECT DISTINCT st.dataset, st.entity_id, st.value AS schema FROM seen st
                   WHERE st.prop = '{SCHEMA_PROP}' AND list_contains($schemas, st.value)
                     AND st.entity_id IN (SELECT party FROM changed))
        SELECT c.party, p.schema, c.side, c.entity_id, c.prop, c.value
        FROM changed c JOIN p ON p.entity_id = c.party
        WHERE {flt}
        ORDER BY c.party, c.entity_id, c.prop, c.side, c.value"""
    rows = ledger.cursor().execute(sql, params).fetchall()
    captions = dict(ledger.cursor().execute(
        """SELECT st.entity_id, min(st.value) FROM statements st
           WHERE st.dataset = $ds AND st.prop = 'name' AND st.entity_id IN (
              SELECT st2.entity_id FROM statements st2 JOIN observations o ON o.statement_id = st2.id
              WHERE o.snapshot_id IN ($a, $b) AND o.dataset = $ds AND st2.prop = 'name')
           GROUP BY st.entity_id""", {"ds": dataset, "a": a, "b": b}).fetchall())
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
        if details and kind == "amended":
            changes = _changes([(e, "", p, v) for s, e, p, v in party_rows if s == "added"],
                               [(e, "", p, v) for s, e, p, v in party_rows if s == "removed"])
        out.append(DiffEntry(dataset, party, kind, info["schema"], captions.get(party, party), changes))
    return out
