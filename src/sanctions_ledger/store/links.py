"""The linking tables: party records, parties, the links that joined them, judgements, runs.

``resolve/`` decides which records are one party and which canonical id each party keeps;
this module is the only place that reads or writes ``party_members``, ``party_links``,
``party_ids``, ``resolve_runs`` and ``judgements``. The tables are created with the rest of
the ledger (:mod:`sanctions_ledger.store.schema`), so an empty table means "never resolved".

Reads outside a write go through the module functions (a fresh cursor each, safe beside a
writer); what a linking run reads and writes under the write lock goes through
:class:`LinkWriter`, so a judgement cannot slip in between a run's reads and its writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import duckdb

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import SCHEMA_PROP
from sanctions_ledger.vocab import PARTY_SCHEMAS

LinkRow = tuple[str, str, str, float, str]
"""(left_id, right_id, evidence, confidence, detail) of one stored link."""
MemberRow = tuple[str, str, str, str, str]
"""(entity_id, party_id, dataset, schema, caption) of one party member."""
StatementRow = tuple[str, str, str, str, str]
"""(dataset, entity_id, schema, prop, value) of one statement about a party record."""

# A party's own statements, then its Sanction entities' statements under the party's id
# (schema 'Sanction'), so one pass reads everything a record is compared on.
_PARTY_SQL = """
    SELECT dataset, entity_id, schema, prop, value FROM statements
    WHERE list_contains($schemas, schema) AND list_contains($props, prop)
    UNION ALL
    SELECT s.dataset, e.value, 'Sanction', s.prop, s.value FROM statements s
    JOIN (SELECT DISTINCT dataset, entity_id, value FROM statements
          WHERE schema = 'Sanction' AND prop = 'entity') e
      ON e.dataset = s.dataset AND e.entity_id = s.entity_id
    WHERE s.schema = 'Sanction' AND list_contains($sprops, s.prop)
"""


def _rows(ledger: Ledger, sql: str, params: dict[str, Any] | list[Any]) -> list[tuple[Any, ...]]:
    """``Ledger.query`` takes positional parameters only; list queries name theirs."""
    cur = ledger.cursor()
    try:
        return cur.execute(sql, params).fetchall()
    finally:
        cur.close()


def party_statements(ledger: Ledger, props: Sequence[str], sanction_props: Sequence[str],
                     entity_ids: Iterable[str] | None = None) -> list[StatementRow]:
    """Every statement any snapshot ever held of party records (or only ``entity_ids``) with a
    property in ``props``, plus their sanctions' ``sanction_props`` with schema 'Sanction',
    ordered by entity id, property, value."""
    params: dict[str, Any] = {"schemas": list(PARTY_SCHEMAS), "props": list(props),
                              "sprops": list(sanction_props)}
    sql = f"SELECT * FROM ({_PARTY_SQL}) q"
    if entity_ids is not None:
        params["ids"] = sorted(set(entity_ids))
        sql += " WHERE list_contains($ids, q.entity_id)"
    return _rows(ledger, sql + " ORDER BY 2, 4, 5", params)


def is_listed_party(ledger: Ledger, entity_id: str) -> bool:
    """Whether any snapshot held ``entity_id`` as an entity other than a Sanction."""
    return bool(ledger.query(f"SELECT 1 FROM statements WHERE entity_id = ? AND prop = '{SCHEMA_PROP}' "
                             "AND schema <> 'Sanction' LIMIT 1", [entity_id]))


def canonical_id(ledger: Ledger, any_id: str) -> str | None:
    """The party id for an entity id, a party id or a retired (merged) party id; None when
    the id is in no party (never linked, or unknown)."""
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


def party_members(ledger: Ledger, party_id: str) -> list[MemberRow]:
    """The members of one party, by dataset then entity id."""
    return ledger.query("SELECT entity_id, party_id, dataset, schema, caption FROM party_members "
                        "WHERE party_id = ? ORDER BY dataset, entity_id", [party_id])


def links_among(ledger: Ledger, entity_ids: Sequence[str]) -> list[LinkRow]:
    """Stored links with both ends in ``entity_ids``, strongest first."""
    return _rows(ledger, "SELECT left_id, right_id, evidence, confidence, detail FROM party_links "
                 "WHERE list_contains($ids, left_id) AND list_contains($ids, right_id) "
                 "ORDER BY confidence DESC, left_id, right_id", {"ids": list(entity_ids)})


def judgements_among(ledger: Ledger,
                     entity_ids: Sequence[str]) -> list[tuple[str, str, str, str | None, str | None]]:
    """(left, right, verdict, note, author) of judgements with both ends in ``entity_ids``,
    oldest first."""
    return _rows(ledger, "SELECT left_id, right_id, verdict, note, author FROM judgements "
                 "WHERE list_contains($ids, left_id) AND list_contains($ids, right_id) "
                 "ORDER BY created_at", {"ids": list(entity_ids)})


def party_map(ledger: Ledger, entity_ids: Sequence[str]) -> dict[str, str]:
    """entity id -> party id of the linked records among ``entity_ids`` (others are absent)."""
    if not entity_ids:
        return {}
    rows = _rows(ledger, "SELECT entity_id, party_id FROM party_members "
                 "WHERE list_contains($ids, entity_id)", {"ids": list(entity_ids)})
    return dict(rows)


def members_of(ledger: Ledger, party_ids: Sequence[str]) -> dict[str, list[str]]:
    """party id -> member entity ids (sorted) of the parties among ``party_ids`` that exist."""
    if not party_ids:
        return {}
    rows = _rows(ledger, "SELECT party_id, entity_id FROM party_members "
                 "WHERE list_contains($ids, party_id) ORDER BY 1, 2", {"ids": list(party_ids)})
    out: dict[str, list[str]] = {}
    for pid, eid in rows:
        out.setdefault(pid, []).append(eid)
    return out


def all_judgements(ledger: Ledger) -> list[tuple[str, str, str, str | None, str | None, datetime]]:
    """(left, right, verdict, note, author, created_at) of every judgement, oldest first."""
    return ledger.query("SELECT left_id, right_id, verdict, note, author, created_at "
                        "FROM judgements ORDER BY created_at")


def linking_counts(ledger: Ledger) -> tuple[datetime | None, int]:
    """When linking last ran (None: never), and how many party records are in no party yet
    (ingested since, or never linked)."""
    last = ledger.query("SELECT max(run_at) FROM resolve_runs")[0][0]
    waiting = ledger.query(
        f"SELECT count(DISTINCT entity_id) FROM statements WHERE prop = '{SCHEMA_PROP}' "
        "AND list_contains(?, schema) AND entity_id NOT IN (SELECT entity_id FROM party_members)",
        [list(PARTY_SCHEMAS)])[0][0]
    return last, int(waiting)


class LinkWriter:
    """The linking tables inside one ledger transaction (see :func:`writing`)."""

    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        self._cur = cur

    def judgements(self) -> list[tuple[str, str, str]]:
        """(left, right, verdict) of every judgement, in the order they were made."""
        return self._cur.execute("SELECT left_id, right_id, verdict FROM judgements "
                                 "ORDER BY created_at, rowid").fetchall()

    def add_judgement(self, left: str, right: str, verdict: str, note: str | None,
                      author: str | None, at: datetime) -> None:
        self._cur.execute("INSERT INTO judgements VALUES (?, ?, ?, ?, ?, ?)",
                          [left, right, verdict, note, author, at])

    def assignments(self) -> tuple[dict[str, str], dict[str, str], set[str]]:
        """The ids as stored: {entity id: party id}, {party id: anchor entity id}, every
        party id ever issued (retired ones included)."""
        previous = dict(self._cur.execute("SELECT entity_id, party_id FROM party_members").fetchall())
        rows = self._cur.execute("SELECT party_id, anchor_id FROM party_ids").fetchall()
        return previous, dict(rows), {r[0] for r in rows}

    def linked_with(self, entity_ids: Sequence[str]) -> set[str]:
        """Both ends of every stored link touching ``entity_ids``."""
        rows = self._cur.execute("SELECT left_id, right_id FROM party_links WHERE "
                                 "list_contains($ids, left_id) OR list_contains($ids, right_id)",
                                 {"ids": list(entity_ids)}).fetchall()
        return {x for row in rows for x in row}

    def parties_of(self, entity_ids: Sequence[str]) -> list[str]:
        """The distinct party ids of ``entity_ids``."""
        return [r[0] for r in self._cur.execute(
            "SELECT DISTINCT party_id FROM party_members WHERE list_contains(?, entity_id)",
            [list(entity_ids)]).fetchall()]

    def members_of(self, party_ids: Sequence[str]) -> set[str]:
        """The entity ids of every member of ``party_ids``."""
        return {r[0] for r in self._cur.execute(
            "SELECT entity_id FROM party_members WHERE list_contains(?, party_id)",
            [list(party_ids)]).fetchall()}

    def links_among(self, entity_ids: Sequence[str]) -> list[LinkRow]:
        """Stored links with both ends in ``entity_ids``."""
        return self._cur.execute(
            "SELECT left_id, right_id, evidence, confidence, detail FROM party_links "
            "WHERE list_contains($ids, left_id) AND list_contains($ids, right_id)",
            {"ids": list(entity_ids)}).fetchall()

    def replace_links(self, links: Sequence[LinkRow]) -> None:
        """The links of a full run replace every stored link."""
        self._cur.execute("DELETE FROM party_links")
        if links:
            import pyarrow as pa  # only linking writes: a read-only server does not load it

            left, right, evidence, confidence, detail = (list(c) for c in zip(*links, strict=True))
            self._insert("party_links", pa.table({
                "left_id": left, "right_id": right, "evidence": evidence,
                "confidence": confidence, "detail": detail}))

    def write_parties(self, members: Sequence[MemberRow], issued: Iterable[tuple[str, str]],
                      redirects: dict[str, str], now: datetime) -> None:
        """Store ``members`` (replacing those entities' previous party), record each
        (party id, anchor entity id) of ``issued`` not issued before, and point each retired
        id of ``redirects`` at its survivor."""
        import pyarrow as pa

        cols = ("entity_id", "party_id", "dataset", "schema", "caption")
        table = pa.table({name: [m[i] for m in members] for i, name in enumerate(cols)})
        self._cur.register("new_members", table)
        self._cur.execute("DELETE FROM party_members WHERE entity_id IN "
                          "(SELECT entity_id FROM new_members)")
        self._cur.execute("INSERT INTO party_members SELECT entity_id, party_id, dataset, schema, "
                          "caption FROM new_members")
        self._cur.unregister("new_members")
        known = {r[0] for r in self._cur.execute("SELECT party_id FROM party_ids").fetchall()}
        for party_id, anchor in issued:
            if party_id not in known:
                self._cur.execute("INSERT INTO party_ids VALUES (?, ?, NULL, ?)",
                                  [party_id, anchor, now])
                known.add(party_id)
        for old, new in redirects.items():
            self._cur.execute("UPDATE party_ids SET merged_into = ? WHERE party_id = ?", [new, old])
        # A retired id that later comes back (a merge undone) stops redirecting.
        self._cur.execute("UPDATE party_ids SET merged_into = NULL WHERE party_id IN "
                          "(SELECT DISTINCT party_id FROM party_members)")

    def record_run(self, at: datetime, records: int, links: int, parties: int,
                   seconds: float) -> None:
        self._cur.execute("INSERT INTO resolve_runs VALUES (?, ?, ?, ?, ?)",
                          [at, records, links, parties, seconds])

    def _insert(self, table: str, rows: Any) -> None:
        self._cur.register("new_rows", rows)
        self._cur.execute(f"INSERT INTO {table} SELECT * FROM new_rows")
        self._cur.unregister("new_rows")


@contextmanager
def writing(ledger: Ledger) -> Iterator[LinkWriter]:
    """The linking tables in one ledger transaction: committed together, or not at all."""
    with ledger.transaction() as cur:
        yield LinkWriter(cur)
