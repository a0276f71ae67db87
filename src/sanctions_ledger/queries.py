"""Library entry points behind ``sources``, ``show`` and ``list``: plain data, no formatting."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import NotFoundError
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.snapshots import snapshot_listing
from sanctions_ledger.store.view import LedgerView
from sanctions_ledger.vocab import JURISDICTIONS, jurisdiction

__all__ = ["JURISDICTIONS", "Listing", "jurisdiction", "list_parties", "show", "sources"]

def sources(ledger: Ledger) -> list[dict[str, Any]]:
    """Every snapshot of every list, oldest first."""
    keys = ["dataset", "snapshot_id", "kind", "observed_at", "published_at", "parties", "entities",
            "statements", "sha256", "size", "parser_version", "full_snapshot", "path", "ingested_at"]
    return [dict(zip(keys, row, strict=True)) for row in snapshot_listing(ledger)]


@dataclass
class Listing:
    """One list's record of a party on a date, with its sanctions."""

    dataset: str
    snapshot_id: str
    observed_at: date
    entity: EntityProxy
    sanctions: list[EntityProxy] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "jurisdiction": jurisdiction(self.dataset),
                "snapshot_id": self.snapshot_id, "observed_at": self.observed_at.isoformat(),
                "entity": self.entity.to_dict(), "sanctions": [s.to_dict() for s in self.sanctions]}


def show(ledger: Ledger, entity_id: str, as_of: date | str | None = None,
         datasets: Collection[str] | None = None) -> list[Listing]:
    """A party as each list described it on ``as_of`` (latest when None)."""
    view = LedgerView(ledger, as_of, datasets)
    snaps = {s.dataset: s for s in view.snapshots()}
    read = view.lookup(entity_id)
    found, sanctions = read.own, read.sanctions
    if not found:
        if read.seen is not None:
            raise NotFoundError(f"{entity_id} is not on any list as of {view.as_of or 'the latest snapshots'}; "
                                f"the ledger saw it from {read.seen[0]} to {read.seen[1]}")
        raise NotFoundError(f"no entity {entity_id!r} in the ledger")
    out = []
    for dataset, entity in found:
        snap = snaps[dataset]
        out.append(Listing(dataset, snap.id, snap.observed_at, entity,
                           [s for d, s in sanctions if d == dataset]))
    return out


def list_parties(ledger: Ledger, as_of: date | str | None = None, *,
                 datasets: Collection[str] | None = None, program: str | None = None,
                 country: str | None = None, schema: str | None = None) -> list[tuple[str, EntityProxy]]:
    """The parties each list carried on ``as_of``, filtered by program, country or schema."""
    view = LedgerView(ledger, as_of, datasets)
    ids = view.party_ids(program=program, country=country, schema=schema)
    wanted = {e for _d, e in ids}
    pairs = set(ids)
    return [(d, e) for d, e in view.entities(wanted) if (d, e.id) in pairs]
