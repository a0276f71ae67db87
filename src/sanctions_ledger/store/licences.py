"""The ``legal_acts`` and ``legal_act_scope`` tables (licences, and dated legal acts such as a
delisting the lists cannot show), and the sightings of records in partial snapshots.

The checks and the meaning live in ``sanctions_ledger.jurisdictions.licences``; this module
only reads and writes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.schema import SCHEMA_PROP

__all__ = ["ACT_COLUMNS", "act_digests", "act_rows", "acts_for_entities", "add_acts",
           "existing_entities", "partial_sightings", "partial_snapshot_dates"]

ACT_COLUMNS = ("identifier", "jurisdiction", "authority", "title", "kind", "authorises", "extent",
               "issued", "effective", "expires", "revoked", "supersedes", "scope_ids",
               "scope_names", "owned_50", "programs", "source_url", "confirmed", "notes",
               "digest", "source")
"""The columns a caller gives (``imported_at`` is added here)."""

_SELECT = ", ".join(f"a.{c}" for c in ACT_COLUMNS)


def act_digests(ledger: Ledger) -> dict[str, str]:
    """identifier -> content digest of every act held."""
    return {i: d for i, d in ledger.query("SELECT identifier, digest FROM legal_acts")}


def add_acts(ledger: Ledger, rows: Sequence[dict[str, Any]],
             scope: Sequence[tuple[str, str, str]]) -> list[str]:
    """Insert the acts whose identifier the table does not hold yet, and their resolved scope
    ((identifier, entity_id, via) rows), in one transaction; returns the identifiers added."""
    now = datetime.now(UTC).replace(tzinfo=None)
    marks = ", ".join("?" for _ in range(len(ACT_COLUMNS) + 1))
    with ledger.transaction() as cur:
        have = {r[0] for r in cur.execute("SELECT identifier FROM legal_acts").fetchall()}
        new = [row for row in rows if row["identifier"] not in have]
        for row in new:
            cur.execute(f"INSERT INTO legal_acts ({', '.join(ACT_COLUMNS)}, imported_at) "
                        f"VALUES ({marks})", [row[c] for c in ACT_COLUMNS] + [now])
        added = {row["identifier"] for row in new}
        for ident, entity_id, via in scope:
            if ident in added:
                cur.execute("INSERT INTO legal_act_scope VALUES (?, ?, ?)", [ident, entity_id, via])
    return [row["identifier"] for row in new]


def _dicts(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip((*ACT_COLUMNS, "scope"), r, strict=True)) for r in rows]


_SCOPE = """(SELECT identifier, list(DISTINCT entity_id ORDER BY entity_id) AS ids
               FROM legal_act_scope GROUP BY identifier)"""


def act_rows(ledger: Ledger) -> list[dict[str, Any]]:
    """Every act with the record ids its scope resolved to (``scope``), by date and identifier."""
    return _dicts(ledger.query(f"""
        SELECT {_SELECT}, coalesce(s.ids, []) FROM legal_acts a
        LEFT JOIN {_SCOPE} s ON s.identifier = a.identifier
        ORDER BY coalesce(a.effective, a.issued), a.identifier"""))


def acts_for_entities(ledger: Ledger, entity_ids: Collection[str]) -> list[dict[str, Any]]:
    """The acts whose resolved scope names any of ``entity_ids`` (with their whole scope)."""
    if not entity_ids:
        return []
    return _dicts(ledger.query(f"""
        SELECT {_SELECT}, s.ids FROM legal_acts a JOIN {_SCOPE} s ON s.identifier = a.identifier
        WHERE a.identifier IN (SELECT identifier FROM legal_act_scope
                               WHERE list_contains(?, entity_id))
        ORDER BY coalesce(a.effective, a.issued), a.identifier""", [sorted(entity_ids)]))


def existing_entities(ledger: Ledger, entity_ids: Collection[str]) -> set[str]:
    """Those of ``entity_ids`` that some snapshot (full or partial) held as a record."""
    if not entity_ids:
        return set()
    rows = ledger.query(f"SELECT DISTINCT entity_id FROM statements WHERE list_contains(?, entity_id) "
                        f"AND prop = '{SCHEMA_PROP}' AND schema <> 'Sanction'", [sorted(entity_ids)])
    return {r[0] for r in rows}


def partial_snapshot_dates(ledger: Ledger) -> dict[str, list[tuple[str, date]]]:
    """dataset -> (snapshot id, observed date) of its partial snapshots (files that are not
    whole lists, and are not change files either: kind ``ofac_partial``), oldest first."""
    rows = ledger.query("""
        SELECT d.dataset, s.id, s.observed_at FROM snapshots s
        JOIN snapshot_datasets d ON d.snapshot_id = s.id
        WHERE NOT s.full_snapshot AND s.kind = 'ofac_partial'
        ORDER BY d.dataset, s.observed_at, s.id""")
    out: dict[str, list[tuple[str, date]]] = {}
    for ds, sid, observed in rows:
        out.setdefault(ds, []).append((sid, observed))
    return out


def partial_sightings(ledger: Ledger, entity_ids: Sequence[str]) -> list[tuple[str, str, date]]:
    """(entity_id, dataset, observed date) of every partial snapshot holding the records."""
    if not entity_ids:
        return []
    return [(e, d, o) for e, d, o in ledger.reader().execute(f"""
        SELECT DISTINCT st.entity_id, o.dataset, s.observed_at
        FROM statements st JOIN observations o ON o.statement_id = st.id
        JOIN snapshots s ON s.id = o.snapshot_id
        WHERE st.entity_id IN (SELECT unnest($ids)) AND st.prop = '{SCHEMA_PROP}'
          AND NOT s.full_snapshot AND s.kind = 'ofac_partial'
        ORDER BY 1, 3""", {"ids": list(entity_ids)}).fetchall()]
