"""One party, many lists: link records across lists into parties with stable canonical ids.

``resolve(ledger)`` reads every party record the ledger ever held, links pairs on evidence
(:mod:`sanctions_ledger.resolve.evidence`), clusters the links and stores the parties.

Clustering is a union-find over links, strongest first, with two vetoes: a human ``unlink``
judgement keeps two records apart whatever chain of links would join them, and an automatic
link never puts two different records of the same list in one party (lists do not repeat a
party, so such a cluster means a chain of weak links went wrong). Human ``link`` judgements
are applied first and may override the second veto, not the first.

Canonical ids (``sl-`` + 10 hex digits) are issued once and never reused. A new cluster
keeps the id that most of its members already had (so ids survive new snapshots, new
members and re-runs); a cluster that brings no id gets one hashed from its smallest member
id. When two parties merge, the id of the smaller one is retired and redirects to the
survivor, so an id anyone wrote down still finds the party. See docs/jurisdictions.md.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.resolve.evidence import Link, link_all
from sanctions_ledger.resolve.records import PartyRecord, load_records
from sanctions_ledger.store import links as store
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.links import LinkWriter, canonical_id


@dataclass
class Member:
    entity_id: str
    dataset: str
    schema: str
    caption: str

    def to_dict(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "dataset": self.dataset, "schema": self.schema,
                "caption": self.caption}


@dataclass
class Party:
    """A real-world party: its canonical id, its list records and the links that joined them."""

    party_id: str
    members: list[Member]
    links: list[Link] = field(default_factory=list)
    resolved: bool = True
    """False when the record was never linked (``sanctions resolve`` has not seen it)."""

    @property
    def caption(self) -> str:
        return self.members[0].caption if self.members else self.party_id

    @property
    def entity_ids(self) -> list[str]:
        return [m.entity_id for m in self.members]

    def to_dict(self) -> dict[str, Any]:
        return {"party_id": self.party_id, "caption": self.caption, "resolved": self.resolved,
                "members": [m.to_dict() for m in self.members],
                "links": [{"left": lk.left, "right": lk.right, "evidence": lk.evidence,
                           "confidence": lk.confidence, "detail": lk.detail} for lk in self.links]}


@dataclass
class ResolveReport:
    records: int
    links: int
    parties: int
    multi_list_parties: int
    seconds: float
    evidence: dict[str, int]
    vetoed: int

    def summary(self) -> str:
        ev = ", ".join(f"{k} {v}" for k, v in sorted(self.evidence.items()))
        return (f"{self.records} records -> {self.parties} parties ({self.multi_list_parties} on "
                f"several lists) from {self.links} links [{ev}]; {self.vetoed} links vetoed; "
                f"{self.seconds:.1f} s")


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def effective_judgements(tx: LinkWriter) -> dict[tuple[str, str], str]:
    """The latest verdict per unordered pair: a later ``unlink`` undoes an earlier ``link``."""
    out: dict[tuple[str, str], str] = {}
    for left, right, verdict in tx.judgements():
        out[_pair(left, right)] = verdict
    return out


class _Clusters:
    """Union-find with cannot-link and one-record-per-list constraints."""

    def __init__(self, records: dict[str, PartyRecord], cannot: Iterable[tuple[str, str]]) -> None:
        self.parent = {eid: eid for eid in records}
        self.members = {eid: [eid] for eid in records}
        self.datasets = {eid: set(r.datasets) for eid, r in records.items()}
        self.cannot: dict[str, set[str]] = {}
        for a, b in cannot:
            self.cannot.setdefault(a, set()).add(b)
            self.cannot.setdefault(b, set()).add(a)

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str, human: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        small, big = sorted((ra, rb), key=lambda r: (len(self.members[r]), r))
        big_set = set(self.members[big])
        if any(self.cannot.get(m, set()) & big_set for m in self.members[small]):
            return False
        if not human and self.datasets[small] & self.datasets[big]:
            return False
        self.parent[small] = big
        self.members[big].extend(self.members.pop(small))
        self.datasets[big] |= self.datasets.pop(small)
        return True

    def groups(self) -> list[list[str]]:
        return [sorted(m) for m in self.members.values()]


def cluster(records: dict[str, PartyRecord], links: list[Link],
            judged: dict[tuple[str, str], str]) -> tuple[list[list[str]], int]:
    """Groups of entity ids (each sorted) and the number of automatic links vetoed."""
    cannot = [p for p, v in judged.items() if v == "unlink" and all(x in records for x in p)]
    uf = _Clusters(records, cannot)
    for (a, b), verdict in sorted(judged.items()):
        if verdict == "link" and a in records and b in records:
            uf.union(a, b, human=True)
    vetoed = 0
    for link in sorted(links, key=lambda lk: (-lk.confidence, lk.left, lk.right)):
        if judged.get(link.key()) == "unlink":
            vetoed += 1
            continue
        if not uf.union(link.left, link.right, human=False):
            vetoed += 1
    return sorted(uf.groups()), vetoed


def _new_id(seed: str, issued: set[str]) -> str:
    salt = 0
    while True:
        text = seed if salt == 0 else f"{seed}#{salt}"
        pid = "sl-" + hashlib.sha256(text.encode()).hexdigest()[:10]
        if pid not in issued:
            return pid
        salt += 1


def assign_ids(groups: list[list[str]], previous: dict[str, str], anchors: dict[str, str],
               issued: set[str]) -> tuple[dict[int, str], dict[str, str]]:
    """Canonical id per group index, and redirects {retired id: surviving id}.

    An id goes to the group holding most of its previous members (ties: the group holding its
    anchor, then the smaller member id); each group takes at most one id.
    """
    claims: list[tuple[int, bool, str, str, int]] = []
    for gi, members in enumerate(groups):
        held = Counter(previous[m] for m in members if m in previous)
        member_set = set(members)
        for pid, n in held.items():
            claims.append((-n, anchors.get(pid) not in member_set, pid, members[0], gi))
    claims.sort()
    out: dict[int, str] = {}
    taken: set[str] = set()
    for _n, _no_anchor, pid, _first, gi in claims:
        if gi not in out and pid not in taken:
            out[gi] = pid
            taken.add(pid)
    issued = set(issued)
    for gi, members in enumerate(groups):
        if gi not in out:
            out[gi] = _new_id(members[0], issued)
            issued.add(out[gi])
    redirects: dict[str, str] = {}
    for gi, members in enumerate(groups):
        for m in members:
            old = previous.get(m)
            if old is not None and old not in taken and old not in redirects:
                redirects[old] = out[gi]
    return out, redirects


def _write(tx: LinkWriter, records: dict[str, PartyRecord], groups: list[list[str]],
           ids: dict[int, str], redirects: dict[str, str], now: datetime) -> None:
    members = [(m, ids[gi], records[m].dataset, records[m].schema, records[m].caption)
               for gi, group in enumerate(groups) for m in group]
    # A group's anchor is its smallest member: the record its id was first issued for.
    anchors = [(ids[gi], group[0]) for gi, group in enumerate(groups)]
    tx.write_parties(members, anchors, redirects, now)


def resolve(ledger: Ledger, *, hidden: frozenset[str] = frozenset()) -> ResolveReport:
    """Link every record in the ledger and store the parties (one transaction)."""
    started = time.perf_counter()
    records = load_records(ledger)
    links = link_all(list(records.values()), hidden)
    with store.writing(ledger) as tx:
        judged = effective_judgements(tx)
        groups, vetoed = cluster(records, links, judged)
        previous, anchors, issued = tx.assignments()
        ids, redirects = assign_ids(groups, previous, anchors, issued)
        now = datetime.now(UTC).replace(tzinfo=None)
        tx.replace_links([(lk.left, lk.right, lk.evidence, lk.confidence, lk.detail)
                          for lk in links])
        _write(tx, records, groups, ids, redirects, now)
        seconds = time.perf_counter() - started
        multi = sum(1 for g in groups if len({records[m].dataset for m in g}) > 1)
        tx.record_run(now, len(records), len(links), len(groups), seconds)
    return ResolveReport(len(records), len(links), len(groups), multi, seconds,
                         dict(Counter(lk.evidence for lk in links)), vetoed)


def _require_party(ledger: Ledger, entity_id: str) -> None:
    if not store.is_listed_party(ledger, entity_id):
        raise NotFoundError(f"no listed party {entity_id!r} in the ledger")


def judge(ledger: Ledger, left: str, right: str, verdict: str, note: str | None = None,
          author: str | None = None) -> list[Party]:
    """Record a human judgement and re-cluster the records it touches. Returns their parties."""
    if verdict not in ("link", "unlink"):
        raise InputError(f"verdict must be link or unlink, not {verdict!r}")
    if left == right:
        raise InputError("cannot judge a record against itself")
    for eid in (left, right):
        _require_party(ledger, eid)
    with store.writing(ledger) as tx:
        tx.add_judgement(left, right, verdict, note, author, datetime.now(UTC).replace(tzinfo=None))
        _recluster(ledger, tx, [left, right])
    return [party_of(ledger, left), party_of(ledger, right)]


def link(ledger: Ledger, left: str, right: str, note: str | None = None,
         author: str | None = None) -> list[Party]:
    return judge(ledger, left, right, "link", note, author)


def unlink(ledger: Ledger, left: str, right: str, note: str | None = None,
           author: str | None = None) -> list[Party]:
    return judge(ledger, left, right, "unlink", note, author)


def _recluster(ledger: Ledger, tx: LinkWriter, seeds: list[str]) -> None:
    """Re-cluster only the parties of ``seeds`` (and parties judged linked to them) from the
    stored links, so a judgement takes effect without a full run."""
    judged = effective_judgements(tx)
    # Records linked to the seeds may sit in other parties now (kept out by the judgement
    # being replaced): their parties are re-clustered too.
    scope = set(seeds) | tx.linked_with(sorted(seeds))
    frontier = set(scope)
    while frontier:
        found = tx.members_of(tx.parties_of(sorted(frontier)))
        found |= {x for p, v in judged.items() if v == "link" and scope & set(p) for x in p}
        frontier = found - scope
        scope |= found
    records = load_records(ledger, scope)
    links = [Link(*row) for row in tx.links_among(sorted(scope))]
    groups, _ = cluster(records, links, judged)
    previous, anchors, issued = tx.assignments()
    ids, redirects = assign_ids(groups, previous, anchors, issued)
    _write(tx, records, groups, ids, redirects, datetime.now(UTC).replace(tzinfo=None))


def party_of(ledger: Ledger, any_id: str) -> Party:
    """The party of an entity id, party id or retired party id; a record never linked is a
    party of one (``resolved`` False)."""
    pid = canonical_id(ledger, any_id)
    if pid is None:
        _require_party(ledger, any_id)
        recs = load_records(ledger, [any_id])
        rec = recs[any_id]
        return Party("sl-" + hashlib.sha256(any_id.encode()).hexdigest()[:10],
                     [Member(any_id, rec.dataset, rec.schema, rec.caption)], [], resolved=False)
    members = [Member(eid, dataset, schema, caption)
               for eid, _pid, dataset, schema, caption in store.party_members(ledger, pid)]
    ids = [m.entity_id for m in members]
    links = [Link(*r) for r in store.links_among(ledger, ids)]
    pairs = {lk.key() for lk in links}
    for left, right, verdict, note, author in store.judgements_among(ledger, ids):
        a, b = _pair(left, right)
        if verdict == "link" and (a, b) not in pairs:
            links.insert(0, Link(a, b, "judgement", 1.0, f"{author or 'anonymous'}: {note or ''}"))
    return Party(pid, members, links)


def party_map(ledger: Ledger, entity_ids: Iterable[str]) -> dict[str, str]:
    """entity id -> party id, for many ids at once (unlinked records map to themselves)."""
    ids = sorted(set(entity_ids))
    out = {e: e for e in ids}
    out.update(store.party_map(ledger, ids))
    return out


def members_of(ledger: Ledger, party_ids: Iterable[str]) -> dict[str, list[str]]:
    """party id -> member entity ids (a raw entity id, for an unlinked record, maps to itself)."""
    ids = sorted(set(party_ids))
    out: dict[str, list[str]] = {p: [p] for p in ids}
    out.update(store.members_of(ledger, ids))
    return out


def judgements(ledger: Ledger) -> list[dict[str, Any]]:
    keys = ["left_id", "right_id", "verdict", "note", "author", "created_at"]
    return [dict(zip(keys, r, strict=True)) for r in store.all_judgements(ledger)]
