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

import duckdb

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.resolve.evidence import Link, link_all
from sanctions_ledger.resolve.records import Record, load_records
from sanctions_ledger.store.ledger import Ledger


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


def effective_judgements(cur: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """The latest verdict per unordered pair: a later ``unlink`` undoes an earlier ``link``."""
    rows = cur.execute("SELECT left_id, right_id, verdict FROM judgements "
                       "ORDER BY created_at, rowid").fetchall()
    out: dict[tuple[str, str], str] = {}
    for left, right, verdict in rows:
        out[_pair(left, right)] = verdict
    return out


class _Clusters:
    """Union-find with cannot-link and one-record-per-list constraints."""

    def __init__(self, records: dict[str, Record], cannot: Iterable[tuple[str, str]]) -> None:
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


def cluster(records: dict[str, Record], links: list[Link],
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


def _write(cur: duckdb.DuckDBPyConnection, records: dict[str, Record], groups: list[list[str]],
           ids: dict[int, str], redirects: dict[str, str], now: datetime) -> None:
    cols: dict[str, list[str]] = {"entity_id": [], "party_id": [], "dataset": [], "schema": [],
                                  "caption": []}
    for gi, members in enumerate(groups):
        for m in members:
            rec = records[m]
            for key, value in (("entity_id", m), ("party_id", ids[gi]), ("dataset", rec.dataset),
                               ("schema", rec.schema), ("caption", rec.caption)):
                cols[key].append(value)
    import pyarrow as pa  # only resolving writes: a read-only server does not load it

    table = pa.table(cols)
    cur.register("new_members", table)
    cur.execute("DELETE FROM party_members WHERE entity_id IN (SELECT entity_id FROM new_members)")
    cur.execute("INSERT INTO party_members SELECT entity_id, party_id, dataset, schema, caption "
                "FROM new_members")
    cur.unregister("new_members")
    known = {r[0] for r in cur.execute("SELECT party_id FROM party_ids").fetchall()}
    for gi, members in enumerate(groups):
        if ids[gi] not in known:
            cur.execute("INSERT INTO party_ids VALUES (?, ?, NULL, ?)", [ids[gi], members[0], now])
            known.add(ids[gi])
    for old, new in redirects.items():
        cur.execute("UPDATE party_ids SET merged_into = ? WHERE party_id = ?", [new, old])
    # A retired id that later comes back (a merge undone) stops redirecting.
    cur.execute("UPDATE party_ids SET merged_into = NULL WHERE party_id IN "
                "(SELECT DISTINCT party_id FROM party_members)")


def _previous(cur: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, str], set[str]]:
    previous = dict(cur.execute("SELECT entity_id, party_id FROM party_members").fetchall())
    rows = cur.execute("SELECT party_id, anchor_id FROM party_ids").fetchall()
    return previous, dict(rows), {r[0] for r in rows}


def resolve(ledger: Ledger, *, hidden: frozenset[str] = frozenset()) -> ResolveReport:
    """Link every record in the ledger and store the parties (one transaction)."""
    started = time.perf_counter()
    records = load_records(ledger)
    links = link_all(list(records.values()), hidden)
    with ledger.transaction() as cur:
        judged = effective_judgements(cur)
        groups, vetoed = cluster(records, links, judged)
        previous, anchors, issued = _previous(cur)
        ids, redirects = assign_ids(groups, previous, anchors, issued)
        now = datetime.now(UTC).replace(tzinfo=None)
        cur.execute("DELETE FROM party_links")
        if links:
            import pyarrow as pa

            cur.register("new_links", pa.table({
                "left_id": [lk.left for lk in links], "right_id": [lk.right for lk in links],
                "evidence": [lk.evidence for lk in links],
                "confidence": [lk.confidence for lk in links],
                "detail": [lk.detail for lk in links]}))
            cur.execute("INSERT INTO party_links SELECT * FROM new_links")
            cur.unregister("new_links")
        _write(cur, records, groups, ids, redirects, now)
        seconds = time.perf_counter() - started
        multi = sum(1 for g in groups if len({records[m].dataset for m in g}) > 1)
        cur.execute("INSERT INTO resolve_runs VALUES (?, ?, ?, ?, ?)",
                    [now, len(records), len(links), len(groups), seconds])
    return ResolveReport(len(records), len(links), len(groups), multi, seconds,
                         dict(Counter(lk.evidence for lk in links)), vetoed)


def _require_party(ledger: Ledger, entity_id: str) -> None:
    rows = ledger.query("SELECT 1 FROM statements WHERE entity_id = ? AND prop = '$schema' "
                        "AND schema <> 'Sanction' LIMIT 1", [entity_id])
    if not rows:
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
    with ledger.transaction() as cur:
        cur.execute("INSERT INTO judgements VALUES (?, ?, ?, ?, ?, ?)",
                    [left, right, verdict, note, author, datetime.now(UTC).replace(tzinfo=None)])
        _recluster(ledger, cur, [left, right])
    return [party_of(ledger, left), party_of(ledger, right)]


def link(ledger: Ledger, left: str, right: str, note: str | None = None,
         author: str | None = None) -> list[Party]:
    return judge(ledger, left, right, "link", note, author)


def unlink(ledger: Ledger, left: str, right: str, note: str | None = None,
           author: str | None = None) -> list[Party]:
    return judge(ledger, left, right, "unlink", note, author)


def _recluster(ledger: Ledger, cur: duckdb.DuckDBPyConnection, seeds: list[str]) -> None:
    """Re-cluster only the parties of ``seeds`` (and parties judged linked to them) from the
    stored links, so a judgement takes effect without a full run."""
    judged = effective_judgements(cur)
    # Records linked to the seeds may sit in other parties now (kept out by the judgement
    # being replaced): their parties are re-clustered too.
    neighbours = {x for row in cur.execute(
        "SELECT left_id, right_id FROM party_links WHERE list_contains($ids, left_id) "
        "OR list_contains($ids, right_id)", {"ids": sorted(seeds)}).fetchall() for x in row}
    scope = set(seeds) | neighbours
    frontier = set(scope)
    while frontier:
        pids = [r[0] for r in cur.execute(
            "SELECT DISTINCT party_id FROM party_members WHERE list_contains(?, entity_id)",
            [sorted(frontier)]).fetchall()]
        found = {r[0] for r in cur.execute(
            "SELECT entity_id FROM party_members WHERE list_contains(?, party_id)",
            [pids]).fetchall()}
        found |= {x for p, v in judged.items() if v == "link" and scope & set(p) for x in p}
        frontier = found - scope
        scope |= found
    records = load_records(ledger, scope)
    rows = cur.execute("SELECT left_id, right_id, evidence, confidence, detail FROM party_links "
                       "WHERE list_contains($ids, left_id) AND list_contains($ids, right_id)",
                       {"ids": sorted(scope)}).fetchall()
    links = [Link(*row) for row in rows]
    groups, _ = cluster(records, links, judged)
    previous, anchors, issued = _previous(cur)
    ids, redirects = assign_ids(groups, previous, anchors, issued)
    _write(cur, records, groups, ids, redirects, datetime.now(UTC).replace(tzinfo=None))


def _query(ledger: Ledger, sql: str, params: dict[str, Any] | list[Any]) -> list[tuple[Any, ...]]:
    cur = ledger.cursor()
    try:
        return cur.execute(sql, params).fetchall()
    finally:
        cur.close()


def _tables_exist(ledger: Ledger) -> bool:
    rows = ledger.query("SELECT count(*) FROM information_schema.tables "
                        "WHERE table_name = 'party_members'")
    return bool(rows and rows[0][0])


def canonical_id(ledger: Ledger, any_id: str) -> str | None:
    """The party id for an entity id, a party id or a retired (merged) party id."""
    if not _tables_exist(ledger):
        return None
    rows = ledger.query("SELECT party_id FROM party_members WHERE entity_id = ? "
                        "UNION ALL SELECT party_id FROM party_members WHERE party_id = ? LIMIT 1",
                        [any_id, any_id])
    if rows:
        return str(rows[0][0])
    seen = set()
    current = any_id
    while current not in seen:
        seen.add(current)
        row = ledger.query("SELECT merged_into FROM party_ids WHERE party_id = ?", [current])
        if not row:
            return None
        if row[0][0] is None:
            return current
        current = row[0][0]
    return None


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
    rows = ledger.query("SELECT entity_id, dataset, schema, caption FROM party_members "
                        "WHERE party_id = ? ORDER BY dataset, entity_id", [pid])
    members = [Member(*r) for r in rows]
    ids = [m.entity_id for m in members]
    link_rows = _query(ledger, 
        "SELECT left_id, right_id, evidence, confidence, detail FROM party_links "
        "WHERE list_contains($ids, left_id) AND list_contains($ids, right_id) "
        "ORDER BY confidence DESC, left_id, right_id", {"ids": ids})
    links = [Link(*r) for r in link_rows]
    pairs = {lk.key() for lk in links}
    judged_rows = _query(ledger, 
        "SELECT left_id, right_id, verdict, note, author FROM judgements "
        "WHERE list_contains($ids, left_id) AND list_contains($ids, right_id) "
        "ORDER BY created_at", {"ids": ids})
    for left, right, verdict, note, author in judged_rows:
        a, b = _pair(left, right)
        if verdict == "link" and (a, b) not in pairs:
            links.insert(0, Link(a, b, "judgement", 1.0, f"{author or 'anonymous'}: {note or ''}"))
    return Party(pid, members, links)


def party_map(ledger: Ledger, entity_ids: Iterable[str]) -> dict[str, str]:
    """entity id -> party id, for many ids at once (unlinked records map to themselves)."""
    ids = sorted(set(entity_ids))
    out = {e: e for e in ids}
    if ids and _tables_exist(ledger):
        rows = _query(ledger, "SELECT entity_id, party_id FROM party_members "
                            "WHERE list_contains($ids, entity_id)", {"ids": ids})
        out.update(dict(rows))
    return out


def members_of(ledger: Ledger, party_ids: Iterable[str]) -> dict[str, list[str]]:
    """party id -> member entity ids (a raw entity id, for an unlinked record, maps to itself)."""
    ids = sorted(set(party_ids))
    out: dict[str, list[str]] = {p: [p] for p in ids}
    if ids and _tables_exist(ledger):
        rows = _query(ledger, "SELECT party_id, entity_id FROM party_members "
                            "WHERE list_contains($ids, party_id) ORDER BY 1, 2", {"ids": ids})
        got: dict[str, list[str]] = {}
        for pid, eid in rows:
            got.setdefault(pid, []).append(eid)
        out.update(got)
    return out


def judgements(ledger: Ledger) -> list[dict[str, Any]]:
    rows = ledger.query("SELECT left_id, right_id, verdict, note, author, created_at "
                        "FROM judgements ORDER BY created_at")
    keys = ["left_id", "right_id", "verdict", "note", "author", "created_at"]
    return [dict(zip(keys, r, strict=True)) for r in rows]
