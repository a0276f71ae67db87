"""The reads behind screening's party records: which lists the ledger holds, the Sanction
entities of the standing snapshots, and each party's first/last-seen and last-change dates.

Screening (``sanctions_ledger.screening``) builds its records and its cache keys from these
and holds no SQL of its own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date
from typing import Any

from followthemoney.proxy import EntityProxy

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.view import SnapshotInfo, assemble, fetch_rows

__all__ = ["Dates", "dataset_names", "party_dates", "sanction_owners", "snapshot_ids",
           "snapshot_party_dates", "snapshot_sanctions"]

Dates = tuple[date | None, date | None, date | None]
"""A party's (first_seen, last_seen, last_change) in one list."""

# The statements observed in the given (snapshot id, dataset) pairs.
_OBSERVED = """WITH cur AS (SELECT unnest($pairs) AS p),
    obs AS (SELECT o.statement_id, o.dataset, o.snapshot_id FROM observations o
            JOIN cur ON o.snapshot_id = p[1] AND o.dataset = p[2])"""


def dataset_names(ledger: Ledger) -> frozenset[str]:
    """Every list the ledger holds, at any date."""
    return frozenset(r[0] for r in ledger.query("SELECT DISTINCT dataset FROM snapshot_datasets"))


def snapshot_ids(ledger: Ledger) -> list[str]:
    """The id of every snapshot in the ledger, in id order."""
    return [str(i) for (i,) in ledger.query("SELECT id FROM snapshots ORDER BY id")]


def _pairs(snaps: Sequence[SnapshotInfo]) -> dict[str, Any]:
    return {"pairs": [[s.id, s.dataset] for s in snaps]}


def snapshot_sanctions(ledger: Ledger, snaps: Sequence[SnapshotInfo]) -> Iterator[tuple[str, EntityProxy]]:
    """(dataset, entity) of every Sanction entity in ``snaps``, in one scan."""
    cur = ledger.cursor()
    try:
        cur.execute(f"""{_OBSERVED}
            SELECT st.dataset, st.entity_id, st.schema, st.prop, st.value FROM obs
            JOIN statements st ON st.id = obs.statement_id WHERE st.schema = 'Sanction'
            ORDER BY st.dataset, st.entity_id, st.prop, st.value""", _pairs(snaps))
        yield from assemble(fetch_rows(cur))
    finally:
        cur.close()


def snapshot_party_dates(ledger: Ledger, snaps: Sequence[SnapshotInfo]) -> dict[tuple[str, str], Dates]:
    """(dataset, entity_id) -> dates of every entity in ``snaps``, capped at each list's
    snapshot date, in one scan."""
    cur = ledger.cursor()
    try:
        rows = cur.execute(f"""{_OBSERVED}
            SELECT st.dataset, st.entity_id, min(i.first_seen), max(i.last_seen),
                   max(greatest(i.first_seen, coalesce(i.first_missing, i.first_seen)))
            FROM obs JOIN statements st ON st.id = obs.statement_id
            JOIN intervals i ON i.statement_id = st.id AND i.dataset = st.dataset
            GROUP BY 1, 2""", _pairs(snaps)).fetchall()
    finally:
        cur.close()
    observed = {s.dataset: s.observed_at for s in snaps}
    return {(d, e): (f, min(last, observed[d]), min(ch, observed[d])) for d, e, f, last, ch in rows}


def sanction_owners(ledger: Ledger, party_ids: Collection[str]) -> list[tuple[str, str, str]]:
    """(dataset, sanction_id, party_id) of every entity-typed reference to the parties: the
    Sanction entities among them are the parties' sanctions (``refs`` indexes references by
    target, the same lookup :meth:`LedgerView.sanction_ids` does)."""
    rows = ledger.query("SELECT DISTINCT dataset, entity_id, target FROM refs "
                        "WHERE prop = 'entity' AND list_contains(?, target)", [sorted(party_ids)])
    return [(d, s, p) for d, s, p in rows]


def party_dates(ledger: Ledger, party_ids: Collection[str],
                observed: dict[str, date]) -> dict[tuple[str, str], Dates]:
    """(dataset, entity_id) -> dates of the given parties in the lists of ``observed``
    (dataset -> its snapshot's date), counting only what was seen up to that date."""
    if not observed:
        return {}
    rows = ledger.query("""
        SELECT i.dataset, st.entity_id, i.first_seen, i.last_seen, i.first_missing
        FROM statements st JOIN intervals i ON i.statement_id = st.id
        WHERE list_contains(?, st.entity_id) AND list_contains(?, i.dataset)""",
        [sorted(party_ids), sorted(observed)])
    out: dict[tuple[str, str], list[date]] = {}
    for dataset, eid, first, last, missing in rows:
        cap = observed[dataset]
        if first > cap:
            continue
        change = max(first, missing) if missing is not None and missing <= cap else first
        cur = out.get((dataset, eid))
        last = min(last, cap)
        if cur is None:
            out[(dataset, eid)] = [first, last, change]
        else:
            cur[0], cur[1], cur[2] = min(cur[0], first), max(cur[1], last), max(cur[2], change)
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}
