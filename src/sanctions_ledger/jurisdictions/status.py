"""Where does one party stand, jurisdiction by jurisdiction, on a date?

For each jurisdiction (us, eu, gb, un) we look at every sanctions list of that jurisdiction:
the snapshot that stood on the date and the next one after it. A party is *listed* when a
record of it is in the standing snapshot (and, if a later snapshot exists, still in it),
*not listed* when it is in neither, and *uncertain* when the two disagree: the change
happened somewhere between them and we do not guess where. Before a list's first snapshot
the answer is *unknown*. After its last snapshot (today included: ``--as-of today`` and
today's date give the same answer) the answer is the last state we observed, with that
snapshot's date and age, flagged stale past the list's threshold (see
:mod:`sanctions_ledger.jurisdictions.freshness`).

"Since when" is the designation date where the list gives one (labelled with what that list's
date means: the EU's is the date of the current entry, not the first EU listing), otherwise
the observation bracket: the record appeared after one snapshot and on or before the next
(``2021-07-07 < … ≤ 2022-05-05``), as ``history`` shows it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.jurisdictions.acts import apply_acts, load_evidence
from sanctions_ledger.jurisdictions.freshness import Freshness, freshness, stale_notes
from sanctions_ledger.resolve import Party, canonical_id, party_of
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.reads import (
    has_entity,
    presence_rows,
    sanction_fact_rows,
    sanction_list_flags,
    sanction_owner_pairs,
)
from sanctions_ledger.store.snapshots import snapshot_sequences
from sanctions_ledger.store.view import parse_date
from sanctions_ledger.vocab import JURISDICTIONS, jurisdiction, listing_date_label

ALL_JURISDICTIONS = tuple(JURISDICTIONS)
_ALIASES = {"uk": "gb", "gb": "gb", "us": "us", "eu": "eu", "un": "un"}


def parse_jurisdictions(value: str | Sequence[str] | None) -> list[str]:
    """``"us,eu,uk"`` -> ``["us", "eu", "gb"]`` (uk and gb are the same)."""
    if value is None:
        return list(ALL_JURISDICTIONS)
    parts = value.split(",") if isinstance(value, str) else list(value)
    out: list[str] = []
    for part in parts:
        code = _ALIASES.get(part.strip().lower())
        if code is None:
            raise InputError(f"unknown jurisdiction {part!r}; use us, eu, uk (or gb), un")
        if code not in out:
            out.append(code)
    if len(out) < 1:
        raise InputError("name at least one jurisdiction")
    return out


@dataclass
class Snapshots:
    """Full snapshots of every list, in order, and which lists count as sanctions lists."""

    by_dataset: dict[str, list[tuple[date, str]]]
    sanction_lists: set[str]

    @classmethod
    def load(cls, ledger: Ledger) -> Snapshots:
        by_dataset = {ds: [(observed, sid) for sid, observed in seq]
                      for ds, seq in snapshot_sequences(ledger).items()}
        # Export-control and debarment lists (BIS, DDTC) are shown but do not decide whether
        # a jurisdiction *sanctions* a party. A list without topics counts as a sanctions list.
        tagged = sanction_list_flags(ledger)
        sanction = {ds for ds in by_dataset if tagged.get(ds, True)}
        return cls(by_dataset, sanction)

    def datasets_of(self, code: str, sanctions_only: bool = True) -> list[str]:
        return sorted(ds for ds in self.by_dataset if jurisdiction(ds) == code
                      and (ds in self.sanction_lists or not sanctions_only))

    def around(self, dataset: str, when: date) -> tuple[tuple[date, str] | None, tuple[date, str] | None]:
        """The snapshot standing on ``when`` and the next one after it."""
        seq = self.by_dataset.get(dataset, [])
        idx = bisect.bisect_right([d for d, _ in seq], when)
        prev = seq[idx - 1] if idx > 0 else None
        nxt = seq[idx] if idx < len(seq) else None
        return prev, nxt

    def before(self, dataset: str, day: date) -> date | None:
        """The observed date of the list's snapshot just before ``day`` (None: none before)."""
        dates = [d for d, _ in self.by_dataset.get(dataset, []) if d < day]
        return dates[-1] if dates else None


@dataclass
class Presence:
    """Where one record was seen: (first_seen, last_seen, first_missing) runs per list."""

    entity_id: str
    dataset: str
    runs: list[tuple[date, date, date | None]] = field(default_factory=list)

    def seen_on(self, day: date) -> bool:
        return any(first <= day <= last for first, last, _m in self.runs)


def presences(ledger: Ledger, entity_ids: Sequence[str]) -> list[Presence]:
    out: dict[tuple[str, str], Presence] = {}
    for eid, ds, first, last, missing in presence_rows(ledger, entity_ids):
        out.setdefault((eid, ds), Presence(eid, ds)).runs.append((first, last, missing))
    return list(out.values())


def _load_snapshot_cache(ledger: Ledger) -> tuple[Snapshots, dict[str, list[str]]]:
    snaps = Snapshots.load(ledger)
    sanctions: dict[str, list[str]] = defaultdict(list)
    for sid, party in sanction_owner_pairs(ledger):
        sanctions[party].append(sid)
    return snaps, dict(sanctions)


def snapshot_cache(ledger: Ledger) -> tuple[Snapshots, dict[str, list[str]]]:
    """Snapshot sequences and party -> Sanction entity ids, rebuilt after each ingest.

    Both need a scan of the whole statements table; a long-lived process (API, benchmark)
    pays it once per ledger generation instead of once per status query (the ledger's
    cache keeps them).
    """
    return ledger.cache.get("jurisdictions.status", lambda: _load_snapshot_cache(ledger))


def sanction_facts(ledger: Ledger, entity_ids: Sequence[str],
                   sanctions: dict[str, list[str]]) -> list[tuple[Any, ...]]:
    """(party entity id, dataset, prop, value, first_seen, last_seen) of the records' Sanction
    entities and programs, with the validity interval of each statement."""
    owner = {sid: eid for eid in entity_ids for sid in sanctions.get(eid, [])}
    rows = sanction_fact_rows(ledger, set(entity_ids) | set(owner))
    return [(owner.get(r[0], r[0]), *r[1:]) for r in rows]


@dataclass
class JurisdictionStatus:
    jurisdiction: str
    state: str
    """listed | listed — authorised | delisted | not listed | uncertain | unknown"""
    lists: list[str] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)
    designated: list[str] = field(default_factory=list)
    """Designation dates the lists themselves give (listingDate/startDate)."""
    first_observed: date | None = None
    last_observed: date | None = None
    delisted: str = ""
    checked: list[str] = field(default_factory=list)
    """The snapshots consulted: "dataset@date"."""
    note: str = ""
    freshness: list[Freshness] = field(default_factory=list)
    """Each consulted list's snapshot, its age on the asked date and whether it is stale."""
    since: str = ""
    """Since when the party is listed: the designation date the list gives (with what it
    means), otherwise the observation bracket ``A < … ≤ B``."""
    observed_after: date | None = None
    """The list's snapshot before ``first_observed`` (the bracket's open end), if any."""
    authorisations: list[dict[str, Any]] = field(default_factory=list)
    """Licences in force on the date whose scope names the party (see ``.acts``)."""
    acts: list[dict[str, Any]] = field(default_factory=list)
    """Every licence and legal act of this jurisdiction naming the party, at any date."""
    delisted_by: dict[str, Any] | None = None
    """The dated legal act (and its event) behind a "delisted" the lists cannot show."""
    partial: dict[str, Any] | None = None
    """The party's sightings in partial list files (presence only)."""
    reported: list[dict[str, Any]] = field(default_factory=list)
    """Designations and delistings a source reported after a stale snapshot the state rests
    on (the state is still the snapshot's; see ``.acts._reported``)."""
    answer: str = ""
    """The state in one sentence, with what it rests on."""

    @property
    def stale(self) -> bool:
        return any(f.stale for f in self.freshness)

    @property
    def snapshot_date(self) -> date | None:
        """The oldest snapshot the state rests on (the row is as current as that one)."""
        return min((f.snapshot for f in self.freshness), default=None)

    @property
    def age_days(self) -> int | None:
        return max((f.age_days for f in self.freshness), default=None)

    def snapshot_text(self) -> str:
        """``2022-05-05 (1673 days, STALE)`` for a terminal or a table cell."""
        if self.snapshot_date is None:
            return ""
        return f"{self.snapshot_date} ({self.age_days} days{', STALE' if self.stale else ''})"

    def to_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction, "name": JURISDICTIONS.get(self.jurisdiction, ""),
                "state": self.state, "lists": self.lists, "entity_ids": self.entity_ids,
                "programs": self.programs, "authorities": self.authorities,
                "designated": self.designated,
                "first_observed": self.first_observed.isoformat() if self.first_observed else None,
                "last_observed": self.last_observed.isoformat() if self.last_observed else None,
                "delisted": self.delisted, "checked": self.checked, "note": self.note,
                "since": self.since,
                "observed_after": self.observed_after.isoformat() if self.observed_after else None,
                "snapshot_date": self.snapshot_date.isoformat() if self.snapshot_date else None,
                "age_days": self.age_days, "stale": self.stale,
                "freshness": [f.to_dict() for f in self.freshness],
                "answer": self.answer or self.state, "authorisations": self.authorisations,
                "delisted_by": self.delisted_by, "partial": self.partial, "acts": self.acts,
                "reported": self.reported}


@dataclass
class Status:
    party: Party
    as_of: date | None
    rows: list[JurisdictionStatus]
    asked: date | None = None
    """The date the ages are counted to: ``as_of``, or today for the latest state."""
    matched: str = ""
    """How a name query found the party (empty for an id)."""
    other_candidates: list[tuple[str, str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"party_id": self.party.party_id, "caption": self.party.caption,
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "asked": self.asked.isoformat() if self.asked else None,
                "stale": any(r.stale for r in self.rows), "matched": self.matched,
                "members": [m.to_dict() for m in self.party.members],
                "links": self.party.to_dict()["links"],
                "jurisdictions": [r.to_dict() for r in self.rows],
                "other_candidates": [{"party_id": p, "caption": c, "score": s}
                                     for p, c, s in self.other_candidates]}


def _dataset_state(pres: list[Presence], snaps: Snapshots, ds: str, when: date | None
                   ) -> tuple[str, str, str]:
    """(state, checked snapshot, note) of one list on a date. Past the list's last snapshot
    (or for the latest state) the last observed state stands; its age is the freshness's."""
    seq = snaps.by_dataset.get(ds, [])
    if not seq:
        return "unknown", "", ""
    day = when or seq[-1][0]
    prev, nxt = snaps.around(ds, day)
    on = [p for p in pres if p.dataset == ds]
    if prev is None:
        return "unknown", "", f"{ds}: no snapshot on or before {day} (first {seq[0][0]})"
    in_prev = any(p.seen_on(prev[0]) for p in on)
    checked = f"{ds}@{prev[0]}"
    if nxt is None:
        return ("listed" if in_prev else "not listed"), checked, ""
    in_next = any(p.seen_on(nxt[0]) for p in on)
    if in_prev == in_next or day == prev[0]:
        return ("listed" if in_prev else "not listed"), checked, ""
    verb = "removed" if in_prev else "added"
    return "uncertain", checked, f"{ds}: {verb} between snapshots {prev[0]} and {nxt[0]}"


_RANK = {"listed": 0, "uncertain": 1, "delisted": 2, "not listed": 2, "unknown": 3}


def jurisdiction_status(ledger: Ledger, party: Party, when: date | None, code: str,
                        snaps: Snapshots, pres: list[Presence],
                        facts: list[tuple[Any, ...]], *,
                        stale_after: Mapping[str, int] | None = None,
                        today: date | None = None) -> JurisdictionStatus:
    row = JurisdictionStatus(code, "unknown")
    datasets = snaps.datasets_of(code)
    notes: list[str] = []
    states: list[str] = []
    for ds in datasets:
        state, checked, note = _dataset_state(pres, snaps, ds, when)
        states.append(state)
        if checked:
            prev, nxt = snaps.around(ds, when or date.max)
            if prev is not None:
                row.freshness.append(freshness(ds, prev[0], when, bracketed=nxt is not None,
                                               overrides=stale_after, today=today))
            row.checked.append(checked)
        if note:
            notes.append(note)
        if state in ("listed", "uncertain"):
            row.lists.append(ds)
    if not datasets:
        notes.append(f"the ledger holds no {code} sanctions list")
    known = [s for s in states if s != "unknown"]
    if known:
        row.state = min(known, key=_RANK.__getitem__)
    day_of = {ds: (when or snaps.by_dataset[ds][-1][0]) for ds in datasets}
    for p in pres:
        if p.dataset not in datasets:
            continue
        if p.dataset in row.lists:
            row.entity_ids.append(p.entity_id)
        day = day_of[p.dataset]
        past = [r for r in p.runs if r[0] <= day]
        if not past:
            continue
        first, last, missing = past[-1]
        if p.dataset in row.lists:
            if row.first_observed is None or first < row.first_observed:
                row.first_observed = first
                row.observed_after = snaps.before(p.dataset, first)
            if row.last_observed is None or last > row.last_observed:
                row.last_observed = last
        elif missing is not None and missing <= day:
            row.delisted = (f"{p.entity_id} absent from {p.dataset} since the snapshot of {missing}"
                            f" (last seen {last})")
    ids = set(row.entity_ids)
    designated_by: list[tuple[str, str]] = []
    for eid, ds, prop, value, first, last in facts:
        if eid not in ids or ds not in row.lists or first > day_of[ds]:
            continue
        target = {"program": row.programs, "authority": row.authorities,
                  "listingDate": row.designated, "startDate": row.designated}.get(prop)
        if target is not None and value not in target:
            target.append(value)
        if prop in ("listingDate", "startDate"):
            designated_by.append((value, ds))
        if prop == "endDate" and last >= day_of[ds]:
            row.delisted = f"the list gives an end date {value}"
    for lst in (row.programs, row.authorities, row.designated, row.entity_ids):
        lst.sort()
    others = set()
    for p in pres:
        if jurisdiction(p.dataset) == code and p.dataset not in snaps.sanction_lists:
            if _dataset_state([p], snaps, p.dataset, when)[0] == "listed":
                others.add(f"also on {p.dataset} ({p.entity_id}), not a sanctions list")
    early = [n.split(":")[0] for n in notes if "no snapshot on or before" in n]
    if early and len(early) < len(datasets):
        notes = [n for n in notes if "no snapshot on or before" not in n]
        notes.append(f"not yet in the ledger on that date: {', '.join(early)}")
    row.since = _since(row, designated_by)
    row.note = "; ".join(notes + stale_notes(row.freshness) + sorted(others))
    return row


def _since(row: JurisdictionStatus, designated_by: list[tuple[str, str]]) -> str:
    """The designation date the lists give (earliest, with what that list's date means),
    otherwise the bracket of our observations, as ``history`` writes it."""
    if row.state not in ("listed", "uncertain"):
        return ""
    if designated_by:
        value, ds = min(designated_by)
        return f"{value} ({ds}: {listing_date_label(ds)})"
    if row.first_observed is None:
        return ""
    if row.observed_after is None:
        return f"≤ {row.first_observed} (in the first snapshot we hold)"
    return f"{row.observed_after} < … ≤ {row.first_observed} (observed)"


def status(ledger: Ledger, query: str, as_of: date | str | None = None, *,
           jurisdictions: Sequence[str] | None = None, screener: Any = None,
           stale_after: Mapping[str, int] | None = None, today: date | None = None) -> Status:
    """Status of a party (entity id, party id or name) in each jurisdiction on ``as_of``
    (None: the latest state, aged to ``today``); ``stale_after`` overrides the per-list
    staleness thresholds (``Settings.stale_after_days``)."""
    when = parse_date(as_of, "as_of")
    text = query.strip()
    if not text:
        raise InputError("give a name or an id")
    matched = ""
    others: list[tuple[str, str, float]] = []
    if _is_known_id(ledger, text):
        party = party_of(ledger, text)
    else:
        party, matched, others = _by_name(ledger, text, when, screener)
    snaps, sanctions = snapshot_cache(ledger)
    if not snaps.by_dataset:
        raise NotFoundError("the ledger holds no list snapshots: ingest lists first")
    ids = party.entity_ids
    pres = presences(ledger, ids)
    facts = sanction_facts(ledger, ids, sanctions)
    rows = [jurisdiction_status(ledger, party, when, code, snaps, pres, facts,
                                stale_after=stale_after, today=today)
            for code in (jurisdictions or ALL_JURISDICTIONS)]
    evidence = load_evidence(ledger, ids)
    for row in rows:
        apply_acts(row, row.jurisdiction, ids, evidence, when, today, stale_after)
    return Status(party, when, rows, asked=when or today or date.today(), matched=matched,
                  other_candidates=others)


def find_party(ledger: Ledger, query: str, as_of: date | str | None = None, *,
               screener: Any = None) -> Party:
    """The party an id (entity or party) or a name designates, as ``status`` finds it."""
    text = query.strip()
    if not text:
        raise InputError("give a name or an id")
    if _is_known_id(ledger, text):
        return party_of(ledger, text)
    return _by_name(ledger, text, parse_date(as_of, "as_of"), screener)[0]


def _is_known_id(ledger: Ledger, text: str) -> bool:
    if " " in text:
        return False
    if canonical_id(ledger, text) is not None:
        return True
    return has_entity(ledger, text)


def _by_name(ledger: Ledger, name: str, when: date | None,
             screener: Any) -> tuple[Party, str, list[tuple[str, str, float]]]:
    from sanctions_ledger.match import DEFAULT_THRESHOLD, Query
    from sanctions_ledger.screening.screener import Screener

    screener = screener or Screener(ledger)
    # The party's identity does not depend on the date: search the latest lists first, then
    # the date's lists (a party delisted since is found there).
    result = screener.screen(Query(name=name), as_of=None, limit=10, with_sanctions=False)
    hits = [h for h in result.hits if h.hit.score >= DEFAULT_THRESHOLD]
    if not hits and when is not None:
        try:
            result = screener.screen(Query(name=name), as_of=when, limit=10, with_sanctions=False)
        except NotFoundError:
            result = None
        hits = [h for h in result.hits if h.hit.score >= DEFAULT_THRESHOLD] if result else []
    if not hits:
        raise NotFoundError(f"no listed party matches {name!r} (threshold {DEFAULT_THRESHOLD}); "
                            "try another spelling or an id (see `sanctions screen`)")
    best = hits[0].hit
    party = party_of(ledger, best.entity_id)
    matched = f"{best.matched_name} ({best.entity_id}, score {best.score:.2f})"
    seen = {party.party_id}
    others: list[tuple[str, str, float]] = []
    for h in hits[1:]:
        other = party_of(ledger, h.hit.entity_id)
        if other.party_id not in seen:
            seen.add(other.party_id)
            others.append((other.party_id, other.caption, round(h.hit.score, 4)))
    return party, matched, others
