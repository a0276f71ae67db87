"""Parties that some jurisdictions sanction on a date and others do not, and since when.

A party (linked cluster, see :mod:`sanctions_ledger.resolve`) is in scope when any of its
records matches the country/program filter on the date in a compared jurisdiction's
sanctions list; it then counts as listed by each jurisdiction that has *any* of its records
in the snapshot standing on the date, whatever that record's country or program says (the
EU writes BLR where OFAC writes BELARUS-EO14038). Jurisdictions with no snapshot on or
before the date cannot be compared and are left out, with a note. Each compared list's
snapshot is given with its age on the asked date, and a list past its staleness threshold
is named in a note (see :mod:`sanctions_ledger.jurisdictions.freshness`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctions_ledger.jurisdictions.freshness import Freshness, freshness, stale_notes
from sanctions_ledger.jurisdictions.licences import authorisations_for
from sanctions_ledger.jurisdictions.status import (
    parse_jurisdictions,
    presences,
    sanction_facts,
    snapshot_cache,
)
from sanctions_ledger.resolve import members_of, party_map
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.reads import captions
from sanctions_ledger.store.view import LedgerView, parse_date
from sanctions_ledger.vocab import jurisdiction, listing_date_label, listing_date_short

# The same sanctions programme under each list's own name; a filter on one finds the others.
PROGRAM_ALIASES: dict[str, tuple[str, ...]] = {
    "BELARUS": ("BELARUS", "BLR"), "BLR": ("BELARUS", "BLR"),
    "RUSSIA": ("RUSSIA", "RUS", "UKRAINE-EO13662", "RUSSIA-EO14024"),
    "IRAN": ("IRAN", "IRN"), "SYRIA": ("SYRIA", "SYR"), "LIBYA": ("LIBYA", "LBY"),
    "DPRK": ("DPRK", "PRK", "NORTH KOREA"), "MYANMAR": ("MYANMAR", "BURMA", "MMR"),
    "VENEZUELA": ("VENEZUELA", "VEN"), "ZIMBABWE": ("ZIMBABWE", "ZWE"),
}


@dataclass
class Side:
    """One jurisdiction's position on one party."""

    listed: bool
    lists: list[str] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)
    designated: str | None = None
    """Earliest designation date the list gives (source date)."""
    designated_list: str = ""
    """The list that gives ``designated`` (its date means what ``vocab.listing_date_label`` says)."""
    first_observed: date | None = None
    """Start of the run of our snapshots that contains the date (observed date)."""
    observed_after: date | None = None
    """The list's snapshot before ``first_observed``: the record appeared after it."""
    since: str = ""
    """For the not-listed side: "delisted, absent since D" or "not in any snapshot since D"."""
    authorised: list[str] = field(default_factory=list)
    """Licences of this jurisdiction in force on the date for the party: listed, but authorised."""

    @property
    def state(self) -> str:
        if not self.listed:
            return "not listed"
        return "listed — authorised" if self.authorised else "listed"

    def to_dict(self) -> dict[str, Any]:
        return {"listed": self.listed, "state": self.state, "authorised_by": self.authorised,
                "lists": self.lists, "entity_ids": self.entity_ids,
                "designated": self.designated,
                "designated_list": self.designated_list or None,
                "designated_label": (listing_date_label(self.designated_list)
                                     if self.designated else None),
                "first_observed": self.first_observed.isoformat() if self.first_observed else None,
                "observed_after": self.observed_after.isoformat() if self.observed_after else None,
                "since": self.since if not self.listed else self.bracket()}

    def bracket(self) -> str:
        """When our snapshots first showed the listing: ``2021-07-07 < … ≤ 2022-05-05``."""
        if self.first_observed is None:
            return ""
        if self.observed_after is None:
            return f"≤ {self.first_observed}"
        return f"{self.observed_after} < … ≤ {self.first_observed}"

    def describe(self) -> str:
        if self.listed:
            parts = []
            if self.designated:
                parts.append(f"{listing_date_short(self.designated_list)} {self.designated}")
            if self.first_observed:
                parts.append(f"observed {self.bracket()}")
            head = f"listed — authorised by {', '.join(self.authorised)}" if self.authorised else "listed"
            return f"{head}: " + ", ".join(parts) if parts else head
        return f"not listed ({self.since})" if self.since else "not listed"


@dataclass
class DivergentParty:
    party_id: str
    caption: str
    schema: str
    sides: dict[str, Side]

    def to_dict(self) -> dict[str, Any]:
        return {"party_id": self.party_id, "caption": self.caption, "schema": self.schema,
                "listed_by": sorted(j for j, s in self.sides.items() if s.listed),
                "authorised_by": sorted(j for j, s in self.sides.items() if s.authorised),
                "not_listed_by": sorted(j for j, s in self.sides.items() if not s.listed),
                "sides": {j: s.to_dict() for j, s in self.sides.items()}}


@dataclass
class Divergence:
    as_of: date | None
    compared: list[str]
    snapshots: dict[str, list[str]]
    parties: list[DivergentParty]
    in_scope: int
    notes: list[str] = field(default_factory=list)
    freshness: dict[str, list[Freshness]] = field(default_factory=dict)
    """Per compared jurisdiction: each list's standing snapshot and its age on the date."""

    @property
    def stale(self) -> bool:
        return any(f.stale for fs in self.freshness.values() for f in fs)

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat() if self.as_of else None, "compared": self.compared,
                "snapshots": self.snapshots, "in_scope": self.in_scope, "notes": self.notes,
                "stale": self.stale,
                "freshness": {c: [f.to_dict() for f in fs] for c, fs in self.freshness.items()},
                "parties": [p.to_dict() for p in self.parties]}

    def counts(self) -> dict[str, int]:
        """How many divergent parties each combination of listing jurisdictions has (a
        jurisdiction that lists but authorises is written ``us(authorised)``)."""
        out: dict[str, int] = defaultdict(int)
        for p in self.parties:
            out["+".join(sorted(j + ("(authorised)" if s.authorised else "")
                                for j, s in p.sides.items() if s.listed))] += 1
        return dict(sorted(out.items()))


def _programs(program: str | None) -> list[str | None]:
    if not program:
        return [None]
    return list(PROGRAM_ALIASES.get(program.upper(), (program,)))


def divergence(ledger: Ledger, as_of: date | str | None = None, *, country: str | None = None,
               program: str | None = None, between: str | Sequence[str] | None = None,
               stale_after: Mapping[str, int] | None = None,
               today: date | None = None) -> Divergence:
    """Parties listed by some of the ``between`` jurisdictions on ``as_of`` and not by others
    (past a list's last snapshot: its last state, with its age; see ``freshness``)."""
    when = parse_date(as_of, "as_of")
    wanted = parse_jurisdictions(between)
    snaps, sanctions = snapshot_cache(ledger)
    notes: list[str] = []
    standing: dict[str, dict[str, date]] = {}
    for code in wanted:
        lists: dict[str, date] = {}
        for ds in snaps.datasets_of(code):
            prev, _nxt = snaps.around(ds, when or date.max)
            if prev is not None:
                lists[ds] = prev[0]
        if lists:
            standing[code] = lists
        else:
            notes.append(f"{code}: no sanctions list snapshot on or before {when or 'now'}; "
                         "not compared")
    compared = [c for c in wanted if c in standing]
    all_lists = sorted(ds for lists in standing.values() for ds in lists)
    result = Divergence(when, compared, {c: [f"{ds}@{d}" for ds, d in sorted(standing[c].items())]
                                         for c in compared}, [], 0, notes)
    for c in compared:
        result.freshness[c] = [
            freshness(ds, d, when, bracketed=snaps.around(ds, when or date.max)[1] is not None,
                      overrides=stale_after, today=today)
            for ds, d in sorted(standing[c].items())]
        result.notes.extend(stale_notes(result.freshness[c]))
    if len(compared) < 2:
        result.notes.append("fewer than two jurisdictions to compare")
        return result
    view = LedgerView(ledger, when, all_lists)
    seeds: set[str] = set()
    for prog in _programs(program):
        seeds.update(e for _d, e in view.party_ids(program=prog, country=country))
    pmap = party_map(ledger, seeds)
    clusters = members_of(ledger, set(pmap.values()))
    member_ids = sorted({m for ms in clusters.values() for m in ms})
    pres = presences(ledger, member_ids)
    facts = sanction_facts(ledger, member_ids, sanctions)
    designated: dict[tuple[str, str], list[str]] = defaultdict(list)
    for eid, ds, prop, value, _first, _last in facts:
        if prop in ("listingDate", "startDate"):
            designated[(eid, ds)].append(value)
    captions = _captions(ledger, member_ids)
    first_snapshot = {c: min(min(snaps.by_dataset[ds])[0] for ds in standing[c]) for c in compared}
    by_member: dict[str, list[Any]] = defaultdict(list)
    for p in pres:
        by_member[p.entity_id].append(p)
    result.in_scope = len(clusters)
    licensed = authorisations_for(ledger, member_ids, when or today)
    for pid, members in sorted(clusters.items()):
        sides = {c: Side(False) for c in compared}
        for eid in members:
            for p in by_member.get(eid, []):
                code = jurisdiction(p.dataset)
                day = standing.get(code, {}).get(p.dataset)
                if day is None:
                    continue
                side = sides[code]
                runs = [r for r in p.runs if r[0] <= day]
                if runs and runs[-1][1] >= day:
                    side.listed = True
                    side.lists.append(p.dataset)
                    side.entity_ids.append(eid)
                    if side.first_observed is None or runs[-1][0] < side.first_observed:
                        side.first_observed = runs[-1][0]
                        side.observed_after = snaps.before(p.dataset, runs[-1][0])
                    dates = sorted(designated.get((eid, p.dataset), []))
                    if dates and (side.designated is None or dates[0] < side.designated):
                        side.designated, side.designated_list = dates[0], p.dataset
                elif runs and runs[-1][2] is not None:
                    side.since = f"delisted: absent since the snapshot of {runs[-1][2]}"
        listed = [c for c, s in sides.items() if s.listed]
        for eid in members:
            for act in licensed.get(eid, []):
                licensed_side = sides.get(act["jurisdiction"])
                if licensed_side is not None and licensed_side.listed \
                        and act["identifier"] not in licensed_side.authorised:
                    licensed_side.authorised.append(act["identifier"])
        # Listed everywhere, but authorised somewhere, still diverges: what may be done differs.
        if not listed or (len(listed) == len(compared) and not any(s.authorised for s in sides.values())):
            continue
        for c, s in sides.items():
            if not s.listed and not s.since:
                last = max(standing[c].values())
                s.since = (f"in none of our snapshots, {first_snapshot[c]} to {last}"
                           if first_snapshot[c] < last else f"not in the snapshot of {last}")
        caption, schema = captions.get(members[0], (pid, ""))
        result.parties.append(DivergentParty(pid, caption, schema, sides))
    result.parties.sort(key=lambda p: (sorted(j for j, s in p.sides.items() if s.listed),
                                       p.caption.lower(), p.party_id))
    return result


def _captions(ledger: Ledger, ids: list[str]) -> dict[str, tuple[str, str]]:
    return {eid: (name or eid, schema or "") for eid, (name, schema) in captions(ledger, ids).items()}


def table_rows(result: Divergence) -> tuple[list[str], list[list[Any]]]:
    headers = ["party_id", "name", "schema", *result.compared]
    rows = [[p.party_id, p.caption, p.schema, *[p.sides[c].describe() for c in result.compared]]
            for p in result.parties]
    return headers, rows
