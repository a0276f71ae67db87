"""What licences, legal acts and partial files add to a jurisdiction's status on a date.

:mod:`.status` reads the full list snapshots: listed, not listed, uncertain or unknown, with
the snapshot's date and age. Three more kinds of evidence refine that answer here:

* **partial snapshots** (OFAC files without ``sdn.csv``, :mod:`sanctions_ledger.sources.ofac_partial`):
  a record seen in one was on the list that day. Sightings on both sides of the asked date (or
  on it) make the party *listed*; a party the later partial files no longer carry is reported as
  "no longer seen in partial files", never as delisted: those files are not whole lists;
* **delisting acts** (a dated, sourced removal the lists we hold cannot show): on or after the
  act's date, with no later evidence of a listing, the party is *delisted* (when, which act,
  and the event that records it);
* **authorisations** in force on the date (general, wind-down or specific licences,
  derogations, exemptions): a listed party becomes *listed — authorised* (which licence, since
  when, until when, its scope). An authorisation never makes a party delisted.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctions_ledger.jurisdictions.events import list_events
from sanctions_ledger.jurisdictions.freshness import freshness
from sanctions_ledger.jurisdictions.licences import LegalAct
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.licences import partial_sightings, partial_snapshot_dates
from sanctions_ledger.vocab import jurisdiction

__all__ = ["AUTHORISED", "Evidence", "PartialSeen", "apply_acts", "load_evidence"]

AUTHORISED = "listed — authorised"


@dataclass
class PartialSeen:
    """A party's records in the partial files of one jurisdiction."""

    seen: list[date] = field(default_factory=list)
    """Dates of the partial files that carry a record of the party."""
    not_seen: list[date] = field(default_factory=list)
    """Dates of later partial files (after its first sighting) that no longer carry it."""
    entity_ids: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)

    def wording(self) -> str:
        if not self.seen:
            return ""
        text = (f"seen in partial {'/'.join(self.datasets)} files of {', '.join(map(str, self.seen))}"
                f" (last seen {self.seen[-1]})")
        gone = [d for d in self.not_seen if d > self.seen[-1]]
        if gone:
            text += (f"; no longer seen in partial files since {gone[0]} (partial files are not "
                     "whole lists: this is not a delisting)")
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"seen": [d.isoformat() for d in self.seen],
                "last_seen": self.seen[-1].isoformat() if self.seen else None,
                "no_longer_seen_since": next((d.isoformat() for d in self.not_seen
                                              if self.seen and d > self.seen[-1]), None),
                "entity_ids": self.entity_ids, "datasets": self.datasets,
                "note": self.wording()}


@dataclass
class Evidence:
    """Everything beyond the full snapshots that bears on one party's status."""

    acts: list[LegalAct]
    sightings: list[tuple[str, str, date]]
    partial_dates: dict[str, list[date]]
    events: list[Any]
    reported: list[Any] = field(default_factory=list)
    """Dated designation and delisting events naming one of the party's records: what a
    source reported, which a later snapshot may not show yet (see :func:`_reported`)."""


def load_evidence(ledger: Ledger, entity_ids: Collection[str]) -> Evidence:
    """The acts naming the party's records, their sightings in partial files and the dated
    delisting events (read once per status question)."""
    from sanctions_ledger.jurisdictions.licences import acts_of

    acts = acts_of(ledger, entity_ids)
    ids = set(entity_ids) | {e for a in acts for e in a.scope}
    partial = {ds: [d for _sid, d in seq] for ds, seq in partial_snapshot_dates(ledger).items()}
    sightings = partial_sightings(ledger, sorted(ids)) if partial else []
    dated = list_events(ledger, tags=["designation", "delisting"])
    events = [e for e in dated if "delisting" in e.tags] if any(not a.is_authorisation for a in acts) else []
    reported = [e for e in dated if ids & set(e.related)]
    return Evidence(acts, sightings, partial, events, reported)


def _reported(evidence: Evidence, code: str, mine: list[LegalAct], base: date | None,
              day: date) -> list[dict[str, Any]]:
    """The designations and delistings of jurisdiction ``code`` that a source reported after
    the snapshot the state rests on (``base``) and by ``day``: the state stays what the
    snapshot shows, and the answer says what was reported since. Events of the acts already
    applied (a delisting act's own event) are left out."""
    if base is None:
        return []
    out = []
    for event in evidence.reported:
        if code not in event.tags or not base < event.date <= day:
            continue
        if any(_is_event_of(event, act) for act in mine):
            continue
        out.append({"date": event.date.isoformat(), "kind": event.kind, "title": event.title,
                    "url": event.url})
    return out


def _partial(evidence: Evidence, code: str, ids: set[str]) -> PartialSeen:
    out = PartialSeen()
    dates = sorted({d for ds, seq in evidence.partial_dates.items() if jurisdiction(ds) == code
                    for d in seq})
    for eid, ds, day in evidence.sightings:
        if eid in ids and jurisdiction(ds) == code:
            if day not in out.seen:
                out.seen.append(day)
            if eid not in out.entity_ids:
                out.entity_ids.append(eid)
            if ds not in out.datasets:
                out.datasets.append(ds)
    out.seen.sort()
    if out.seen:
        out.not_seen = [d for d in dates if d > out.seen[0] and d not in out.seen]
    return out


def _is_event_of(event: Any, act: LegalAct) -> bool:
    """The event reports this act: the same date, and a record of its scope."""
    return event.date == act.start and bool(set(event.related) & set(act.scope))


def _event_for(evidence: Evidence, act: LegalAct) -> dict[str, Any] | None:
    for event in evidence.events:
        if _is_event_of(event, act):
            return {"date": event.date.isoformat(), "title": event.title, "url": event.url}
    return None


def apply_acts(row: Any, code: str, party_ids: Sequence[str], evidence: Evidence,
               when: date | None, today: date | None,
               stale_after: Mapping[str, int] | None = None) -> None:
    """Refine one :class:`~.status.JurisdictionStatus` (in place) with partial sightings,
    delisting acts and the authorisations in force on the asked date."""
    day = when or today or date.today()
    mine = [a for a in evidence.acts if a.jurisdiction == code]
    ids = set(party_ids) | {e for a in mine for e in a.scope}
    seen = _partial(evidence, code, ids)
    row.partial = seen.to_dict() if seen.seen else None
    before = [d for d in seen.seen if d <= day]
    after = [d for d in seen.seen if d >= day]
    base_date = row.snapshot_date
    removals = [a for a in mine if not a.is_authorisation and a.start is not None and a.start <= day]
    removal = removals[-1] if removals else None
    later_listing = (row.state == "listed" and base_date is not None and removal is not None
                     and removal.start is not None and base_date > removal.start)
    if removal is not None and removal.start is not None and not later_listing \
            and not any(d > removal.start for d in before):
        row.state = "delisted"
        row.delisted_by = removal.to_dict()
        row.delisted_by["event"] = _event_for(evidence, removal)
        row.delisted = f"{removal.start}: {removal.title} ({removal.identifier})"
        row.lists = []
    elif before and (row.state in ("not listed", "unknown", "uncertain") or row.stale
                     or (base_date is not None and base_date < before[-1])):
        if after or before[-1] == day:
            row.state = "listed"
        elif any(d > before[-1] and d <= day for d in seen.not_seen):
            row.state = "uncertain"
        elif row.state != "listed":
            row.state = "listed"
        for ds in seen.datasets:
            if ds not in row.lists:
                row.lists.append(ds)
            row.freshness.append(freshness(ds, before[-1], when, bracketed=bool(after),
                                           overrides=stale_after, today=today))
            row.checked.append(f"{ds}@{before[-1]}")
        for eid in seen.entity_ids:
            if eid not in row.entity_ids:
                row.entity_ids.append(eid)
        if row.last_observed is None or row.last_observed < seen.seen[-1]:
            row.last_observed = seen.seen[-1]
    elif row.state == "listed" and after and not before:
        row.freshness.append(freshness(seen.datasets[0], after[0], when, bracketed=True,
                                       overrides=stale_after, today=today))
        if row.last_observed is None or row.last_observed < seen.seen[-1]:
            row.last_observed = seen.seen[-1]
    if row.state == "not listed" and row.delisted:
        row.state = "delisted"
    granted = [a for a in mine if a.is_authorisation and a.in_force(day)]
    row.authorisations = [a.to_dict() for a in granted]
    row.acts = [a.to_dict() for a in mine]
    if granted and row.state == "listed":
        row.state = AUTHORISED
    row.reported = _reported(evidence, code, mine, base_date if row.stale else None, day)
    row.answer = _answer(row, granted, seen)
    notes = [n for n in [row.note, seen.wording() if seen.seen else ""] if n]
    row.note = "; ".join(notes)


def _answer(row: Any, granted: list[LegalAct], seen: PartialSeen) -> str:
    """One sentence: what the state is and what it rests on."""
    if row.state == AUTHORISED:
        parts = [f"listed — authorised by {a.describe()}" for a in granted]
        text = "; ".join(parts)
    elif row.state == "delisted":
        act = row.delisted_by
        text = f"delisted {row.delisted}" if act is None else (
            f"delisted on {act['start']} ({act['identifier']}; {act['source_url']})")
        if act and act.get("event"):
            text += f"; event: {act['event']['title']}"
    else:
        text = row.state
    if seen.seen and row.state in ("listed", AUTHORISED, "uncertain"):
        text += f"; listing still present in partial files (last seen {seen.seen[-1]})"
    if row.stale and row.snapshot_date is not None:
        text += f"; last full snapshot {row.snapshot_date} ({row.age_days} days old, STALE)"
    for event in row.reported:
        text += f"; since that snapshot, a {event['kind']} reported on {event['date']}: {event['title']} ({event['url']})"
    return text
