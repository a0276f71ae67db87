"""What screening one query returns: the hits, each with its list's own id and the party's
sanctions, and the snapshot ids screened against (the audit record)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sanctions_ledger.match import Hit, Query
from sanctions_ledger.vocab import jurisdiction

__all__ = ["ScreenHit", "ScreenResult", "sanction_dict", "source_id"]


@dataclass
class ScreenHit:
    hit: Hit
    source_id: str
    sanctions: list[dict[str, Any]] = field(default_factory=list)
    authorisations: list[dict[str, Any]] = field(default_factory=list)
    """Licences in force on the screening date whose scope names this party (an authorisation,
    not a delisting), filled in above screening (``jurisdictions.licences.authorisations_for``)."""

    def to_dict(self) -> dict[str, Any]:
        h = self.hit
        return {
            "entity_id": h.entity_id, "dataset": h.dataset, "jurisdiction": jurisdiction(h.dataset),
            "source_id": self.source_id, "schema": h.schema, "caption": h.caption,
            "matched_name": h.matched_name, "name_kind": h.name_kind, "score": round(h.score, 4),
            "explanation": h.explanation,
            "features": [{"name": f.name, "weight": f.weight, "value": round(f.value, 4), "evidence": f.evidence}
                         for f in h.features],
            "sanctions": self.sanctions,
            "authorisations": self.authorisations,
        }


@dataclass
class ScreenResult:
    query: Query
    as_of: date | None
    snapshot_ids: list[str]
    hits: list[ScreenHit]

    def to_dict(self) -> dict[str, Any]:
        q = self.query
        return {"query": {"name": q.name, "schema": q.schema, "birth_date": q.birth_date,
                          "country": q.country, "identifier": q.identifier},
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "snapshot_ids": self.snapshot_ids, "hits": [h.to_dict() for h in self.hits]}


def source_id(entity_id: str) -> str:
    """The list's own id inside our entity id (``us-sdn-9760`` -> ``9760``)."""
    parts = entity_id.split("-")
    head = 0
    while head < len(parts) - 1 and parts[head].isalpha() and parts[head].islower():
        head += 1
    return "-".join(parts[head:]) if head else entity_id


def sanction_dict(entity: Any) -> dict[str, Any]:
    """A Sanction entity as a screening hit lists it: its id and its main properties."""
    props = ("authority", "program", "listingDate", "startDate", "endDate", "country", "sourceUrl")
    return {"id": entity.id, **{p: entity.get(p) for p in props if entity.get(p)}}
