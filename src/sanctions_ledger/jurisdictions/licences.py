"""Authorisations (licences) and the dated legal acts around a listing.

A listing says a party is sanctioned; a licence says what may be done with it anyway. "Listed,
but authorised by OFAC Belarus GL 13 since 15 Dec 2025" is a different answer from "delisted",
and this module keeps the two apart: an authorisation (general, wind-down or specific licence,
derogation, exemption) never ends a listing. A *delisting* act is a separate kind of record,
for removals the lists we hold cannot show (Belavia left the SDN list on 4 Nov 2025, after the
last full SDN snapshot in the ledger).

Each record has a jurisdiction, an authority, an identifier ("OFAC Belarus GL 13", the key),
a title, a kind, what it authorises (free text plus an extent: all transactions, wind-down only
or specified transactions), the dates issued / effective / expires / revoked, the identifier it
supersedes or amends (a chain: GL 13 -> GL 13A), a scope (record ids, names the screening
service resolves to records, a flag for entities owned 50% or more, programs), the source URL,
and whether a primary source confirmed it.

Files are CSV (header :data:`COLUMNS`; lists ``;``-separated) or JSON lines (objects with the
same keys; lists as arrays or ``;``-separated strings). The whole file is checked first and
every error is reported with its line and column; any error refuses the whole file. Importing
is idempotent; a known identifier with different content is an error.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sanctions_ledger.jurisdictions.licence_files import (
    ACT_KINDS,
    AUTHORISATION_KINDS,
    COLUMNS,
    EXTENTS,
    FileErrors,
    FileRow,
    LegalAct,
    parse_licences,
    read_licence_file,
)
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.licences import (
    act_digests,
    act_rows,
    acts_for_entities,
    add_acts,
    existing_entities,
)

__all__ = ["ACT_KINDS", "AUTHORISATION_KINDS", "COLUMNS", "EXTENTS", "LegalAct", "LicenceImport",
           "acts_of", "authorisations_for", "import_licences", "in_force", "licensed_records",
           "list_licences", "parse_licences"]

NAME_THRESHOLD = 0.85
"""A scope name must match a listed record at least this well to count as resolved."""


@dataclass
class LicenceImport:
    source: str
    read: int
    added: list[str]
    scope: dict[str, list[str]]
    """identifier -> the record ids its scope resolved to."""

    def summary(self) -> str:
        return (f"{self.source}: {self.read} records read, {len(self.added)} added, "
                f"{self.read - len(self.added)} already present")


def _resolve_names(ledger: Ledger, names: Iterable[str], on: date | None,
                   screener: Any) -> dict[str, list[str]]:
    """name -> the records of the best-matching listed party (empty when none matches)."""
    from sanctions_ledger.errors import NotFoundError
    from sanctions_ledger.match import Query
    from sanctions_ledger.resolve import party_of
    from sanctions_ledger.screening.screener import Screener

    screener = screener or Screener(ledger)
    out: dict[str, list[str]] = {}
    for name in names:
        found: list[str] = []
        for when in (None, on):
            try:
                result = screener.screen(Query(name=name), as_of=when, limit=5, with_sanctions=False)
            except NotFoundError:
                continue
            hits = [h.hit for h in result.hits if h.hit.score >= NAME_THRESHOLD]
            if hits:
                best = hits[0]
                found = sorted({best.entity_id, *party_of(ledger, best.entity_id).entity_ids})
                break
        out[name] = found
    return out


def import_licences(ledger: Ledger, path: Path | str | None = None, *, builtin: str | None = None,
                    screener: Any = None) -> LicenceImport:
    """Check a whole file (fields, dates, the chain, scope ids against the ledger, scope names
    against the listed parties), then add its new records in one transaction."""
    label, text, fmt = read_licence_file(path, builtin)
    parsed = parse_licences(text, label, fmt)
    errors = FileErrors(label)
    held = act_digests(ledger)
    idents = {a.identifier for _l, a in parsed} | set(held)
    all_ids = {i for _l, a in parsed for i in a.scope_ids}
    known = existing_entities(ledger, all_ids)
    scope: dict[str, list[tuple[str, str]]] = {}
    for line, act in parsed:
        row = FileRow(line, {}, _columns(fmt))
        if act.identifier in held and held[act.identifier] != act.digest():
            errors.add(row, "identifier", f"{act.identifier!r} is already in the ledger with "
                       "different content (give the amendment its own identifier and "
                       "'supersedes')")
        if act.supersedes and act.supersedes not in idents:
            errors.add(row, "supersedes", f"{act.supersedes!r} is neither in this file nor in the ledger")
        if act.supersedes == act.identifier:
            errors.add(row, "supersedes", "a record cannot supersede itself")
        for eid in act.scope_ids:
            if eid not in known:
                errors.add(row, "scope_ids", f"no record {eid!r} in any snapshot of the ledger")
        scope[act.identifier] = [(eid, "id") for eid in act.scope_ids if eid in known]
    errors.raise_if_any()
    pending = [(line, act) for line, act in parsed if act.identifier not in held]
    for line, act in pending:
        if not act.scope_names:
            continue
        resolved = _resolve_names(ledger, act.scope_names, act.start, screener)
        row = FileRow(line, {}, _columns(fmt))
        for name, ids in resolved.items():
            if not ids:
                errors.add(row, "scope_names", f"{name!r} resolves to no listed party "
                           f"(no record matches it at {NAME_THRESHOLD} or better)")
            scope[act.identifier].extend((eid, f"name:{name}") for eid in ids)
    errors.raise_if_any()
    rows = []
    scope_rows: list[tuple[str, str, str]] = []
    for _line, act in pending:
        doc = act.content()
        doc.update({"digest": act.digest(), "source": label,
                    "issued": act.issued, "effective": act.effective, "expires": act.expires,
                    "revoked": act.revoked, "supersedes": act.supersedes or None})
        rows.append(doc)
        seen: set[str] = set()
        for eid, via in scope[act.identifier]:
            if eid not in seen:
                seen.add(eid)
                scope_rows.append((act.identifier, eid, via))
    added = add_acts(ledger, rows, scope_rows)
    return LicenceImport(label, len(parsed), added,
                         {i: sorted({e for e, _v in scope.get(i, [])}) for i in added})


def _columns(fmt: str) -> dict[str, int]:
    return {n: i for i, n in enumerate(COLUMNS, start=1)} if fmt == "csv" else {}


def _acts(rows: list[dict[str, Any]]) -> list[LegalAct]:
    acts = [LegalAct(
        identifier=r["identifier"], jurisdiction=r["jurisdiction"], authority=r["authority"],
        title=r["title"], kind=r["kind"], source_url=r["source_url"], confirmed=r["confirmed"],
        authorises=r["authorises"] or "", extent=r["extent"] or "", issued=r["issued"],
        effective=r["effective"], expires=r["expires"], revoked=r["revoked"],
        supersedes=r["supersedes"] or "", scope_ids=tuple(r["scope_ids"] or ()),
        scope_names=tuple(r["scope_names"] or ()), owned_50=bool(r["owned_50"]),
        programs=tuple(r["programs"] or ()), notes=r["notes"] or "",
        scope=tuple(r["scope"] or ())) for r in rows]
    return _chain(acts)


def _chain(acts: list[LegalAct]) -> list[LegalAct]:
    """Each act superseded by a later one learns by which, and from when."""
    from dataclasses import replace

    successor = {a.supersedes: a for a in acts if a.supersedes}
    return [replace(a, superseded_by=successor[a.identifier].identifier,
                    superseded_on=successor[a.identifier].start)
            if a.identifier in successor else a for a in acts]


def list_licences(ledger: Ledger, *, entity_ids: Collection[str] | None = None,
                  as_of: date | None = None, jurisdiction: str | None = None) -> list[LegalAct]:
    """Every record (or those whose scope names one of ``entity_ids``), in date order;
    ``as_of`` keeps the authorisations in force and the acts in effect on that day."""
    if entity_ids is None:
        acts = _acts(act_rows(ledger))
    else:
        # The chain needs every act, not only those that name the records.
        chained = {a.identifier: a for a in _acts(act_rows(ledger))}
        acts = [chained[r["identifier"]] for r in acts_for_entities(ledger, entity_ids)]
    if jurisdiction:
        acts = [a for a in acts if a.jurisdiction == jurisdiction]
    if as_of is not None:
        acts = [a for a in acts if (a.in_force(as_of) if a.is_authorisation
                                    else a.start is None or a.start <= as_of)]
    return acts


def acts_of(ledger: Ledger, entity_ids: Collection[str]) -> list[LegalAct]:
    """Every act whose scope names one of the records (a party's records), in date order."""
    return list_licences(ledger, entity_ids=entity_ids)


def in_force(ledger: Ledger, entity_ids: Collection[str], on: date,
             jurisdiction: str | None = None) -> list[LegalAct]:
    """The authorisations in force on ``on`` whose scope names one of ``entity_ids`` (a
    party's records, or a screening hit's): what a compliance check asks before paying."""
    return [a for a in list_licences(ledger, entity_ids=entity_ids, as_of=on,
                                     jurisdiction=jurisdiction) if a.is_authorisation]


def authorisations_for(ledger: Ledger, entity_ids: Collection[str],
                       on: date | None) -> dict[str, list[dict[str, Any]]]:
    """entity id -> the authorisations in force on ``on`` (None: today) whose scope names the
    record or another record of its party: what screening hits carry. Ids with none are left
    out. Computed once per ledger generation and day (a /match costs a dictionary lookup)."""
    if not entity_ids:
        return {}
    day = on or date.today()
    licensed = ledger.cache.get(f"jurisdictions.licensed:{day.isoformat()}",
                                lambda: _licensed_on(ledger, day))
    return {eid: licensed[eid] for eid in entity_ids if eid in licensed}


def _licensed_on(ledger: Ledger, day: date) -> dict[str, list[dict[str, Any]]]:
    """Every record of every party an authorisation in force on ``day`` names -> those acts."""
    from sanctions_ledger.resolve import members_of, party_map

    out: dict[str, list[dict[str, Any]]] = {}
    for act in list_licences(ledger, as_of=day):
        if not act.is_authorisation:
            continue
        doc = act.to_dict()
        parties = set(party_map(ledger, act.scope).values())
        for eid in sorted({*act.scope, *(m for ms in members_of(ledger, parties).values() for m in ms)}):
            out.setdefault(eid, []).append(doc)
    return out


def licensed_records(ledger: Ledger, on: date | None) -> dict[str, str]:
    """Every record of every party that an authorisation in force on ``on`` (None: today)
    names -> the licences' identifiers (``; ``-separated): the ``authorisations`` column of a
    screened file, computed once for the whole file."""
    day = on or date.today()
    return {eid: "; ".join(a["identifier"] for a in acts)
            for eid, acts in _licensed_on(ledger, day).items()}
