"""The service layer: plain functions that the HTTP API, the web pages and the CLI all call.

Each takes the service state (:class:`~sanctions_ledger.screening.service.ScreeningService`:
the ledger, its settings, the screening index and record caches), validates its arguments the
same way for every caller, and returns plain data (dicts and library dataclasses). The API
serialises the result, the web pages render it, the CLI prints it; none of them re-implements
a query or a check.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.types import registry

from sanctions_ledger import history as hist
from sanctions_ledger import queries, resolve
from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.jurisdictions.divergence import divergence
from sanctions_ledger.jurisdictions.events import list_events
from sanctions_ledger.jurisdictions.freshness import freshness, stale_notes
from sanctions_ledger.jurisdictions.licences import authorisations_for
from sanctions_ledger.jurisdictions.status import parse_jurisdictions, status
from sanctions_ledger.jurisdictions.timeline import Timeline, series, to_svg
from sanctions_ledger.loading import RESOLVE_HINT, linking_state, update
from sanctions_ledger.match import Hit, Query, validate_query
from sanctions_ledger.screening.records import EntityRecord
from sanctions_ledger.screening.service import (
    ALL_DATASETS,
    ScreeningService,
    check_lists,
    parse_as_of,
)
from sanctions_ledger.store import IngestReport, Ledger, LedgerView, ingest, parse_date
from sanctions_ledger.store.snapshots import list_snapshots
from sanctions_ledger.vocab import jurisdiction

__all__ = [
    "EMPTY",
    "attach_authorisations",
    "hit_authorisations",
    "licences_dict",
    "RESOLVE_HINT",
    "ScreeningService",
    "SearchResult",
    "catalog_dict",
    "check_filters",
    "check_entity_id",
    "diff_dict",
    "divergence_dict",
    "entity_view",
    "events_dict",
    "freshness_dict",
    "history_dict",
    "ingest_file",
    "ingest_report",
    "known_lists",
    "linking",
    "list_page",
    "parse_as_of",
    "party_dict",
    "sources_list",
    "search",
    "search_dict",
    "search_parties",
    "status_dict",
    "timeline_data",
    "timeline_dict",
    "timeline_svg",
    "update_lists",
]

EMPTY = ("the ledger holds no list snapshots: load lists first (sanctions ingest PATH, or "
         "sanctions serve --from DIR / --update)")
ENTITY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,199}")


def check_entity_id(entity_id: str) -> str:
    """Entity ids are short and plain: no slashes, dots-only or control characters. The
    whole id must match (``fullmatch``: a ``$`` would also match before a final newline)."""
    if not ENTITY_ID.fullmatch(entity_id) or ".." in entity_id:
        raise InputError(f"invalid entity id {entity_id[:60]!r}", 404)
    return entity_id


@dataclass(frozen=True)
class SearchResult:
    """Hits of a name search, best first, each with its list record as of the date."""

    as_of: date | None
    hits: list[tuple[Hit, EntityRecord | None]]


def search(service: ScreeningService, q: str, *, schema: str | None = None, as_of: str | None = None,
           dataset: str = ALL_DATASETS, include: Iterable[str] = (), exclude: Iterable[str] = (),
           limit: int = 10, offset: int = 0, threshold: float = 0.0) -> SearchResult:
    """A name search over the screening index as of a date (the API's ``/search`` and the web
    UI's search box): the same checks of the name, the date and the lists for both."""
    if len(q) > service.settings.max_name_length:
        raise InputError(f"q longer than {service.settings.max_name_length} characters", 422)
    when = parse_as_of(as_of)
    datasets = service.select_datasets(dataset, include, exclude)
    query = validate_query(Query(q, schema=schema or "Any"))
    hits = service.search(query, as_of=when, datasets=datasets, limit=limit + offset,
                          threshold=threshold)[offset:]
    records = service.records(when, [(h.dataset, h.entity_id) for h in hits])
    return SearchResult(when, [(h, records.get((h.dataset, h.entity_id))) for h in hits])


@dataclass(frozen=True)
class PartyHits:
    """The hits of one party (the linked cluster of ``resolve/``), best first: a party on
    three lists is one result with three list badges, not three results."""

    party_id: str
    hits: list[tuple[Hit, EntityRecord | None]]

    @property
    def best(self) -> Hit:
        return self.hits[0][0]

    @property
    def lists(self) -> list[str]:
        return sorted({h.dataset for h, _rec in self.hits})


def search_parties(service: ScreeningService, q: str, **options: Any) -> tuple[SearchResult, list[PartyHits]]:
    """A name search (same checks as :func:`search`) with its hits grouped by party, in the
    order of each party's best hit."""
    found = search(service, q, **options)
    pmap = resolve.party_map(service.ledger, [h.entity_id for h, _rec in found.hits])
    groups: dict[str, list[tuple[Hit, EntityRecord | None]]] = {}
    for hit, rec in found.hits:
        groups.setdefault(pmap.get(hit.entity_id, hit.entity_id), []).append((hit, rec))
    return found, [PartyHits(pid, hits) for pid, hits in groups.items()]


def search_dict(service: ScreeningService, q: str, *, dataset: str, limit: int, offset: int,
                schema: str | None, include: list[str], exclude: list[str],
                as_of: str | None) -> dict[str, Any]:
    """yente's ``/search`` response: each hit's record with its score and explanation."""
    found = search(service, q, schema=schema, as_of=as_of, dataset=dataset, include=include,
                   exclude=exclude, limit=limit, offset=offset)
    results = []
    for hit, rec in found.hits:
        if rec is not None:
            doc = rec.to_json()
            doc["score"] = round(hit.score, 4)
            doc["explanation"] = hit.explanation
            results.append(doc)
    datasets = sorted({hit.dataset for hit, _rec in found.hits}) or None
    return {"results": results, "facets": {}, "total": {"value": len(results) + offset, "relation": "gte"},
            "limit": limit, "offset": offset,
            "freshness": freshness_dict(service, found.as_of, datasets)}


def freshness_dict(service: ScreeningService, when: date | None,
                   datasets: Collection[str] | None = None, today: date | None = None) -> dict[str, Any]:
    """The snapshot each list's answer comes from on ``when`` (None: latest, aged to today),
    its age, and whether it is past the list's staleness threshold: what every screening
    answer (``/match``, ``/search``, the web search) shows beside its hits. Kept per ledger
    generation and day: /match asks it on every request. Read-only for callers."""
    day = today or date.today()
    key = ("freshness", when, None if datasets is None else tuple(sorted(datasets)), day)
    return service.derived(key, lambda: _freshness(service, when, datasets, day))


def _freshness(service: ScreeningService, when: date | None, datasets: Collection[str] | None,
               today: date) -> dict[str, Any]:
    seqs = list_snapshots(service.ledger).by_dataset
    items = [freshness(s.dataset, s.observed_at, when, overrides=service.settings.stale_after_days,
                       bracketed=seqs[s.dataset][-1].observed_at > s.observed_at, today=today)
             for s in service.snapshots(when) if datasets is None or s.dataset in datasets]
    asked = items[0].asked if items else (when or today)
    return {"asked": asked.isoformat(), "stale": any(f.stale for f in items),
            "lists": [f.to_dict() for f in items], "notes": stale_notes(items)}


def ingest_report(rep: IngestReport) -> dict[str, object]:
    """An ingest report as plain data."""
    return {"snapshot_id": rep.snapshot_id, "kind": rep.kind, "observed_at": rep.observed_at.isoformat(),
            "skipped": rep.skipped, "summary": rep.summary(), "datasets": rep.datasets}


def history_dict(service: ScreeningService, entity_id: str) -> dict[str, Any]:
    """Every dated event of a record over all lists that ever carried it."""
    check_entity_id(entity_id)
    events = hist.history(service.ledger, entity_id)
    return {"entity_id": entity_id, "events": [e.to_dict() for e in events]}


def ingest_file(service: ScreeningService, target: Path, *, kind: str | None,
                observed_at: str | None) -> dict[str, object]:
    """Ingest one list file (or file set) in one transaction, then warm the screening index of
    the new lists; running requests keep their snapshot, the next ones see the new one."""
    rep = ingest(service.ledger, target, kind=kind, observed_at=observed_at)
    if not rep.skipped:
        service.warm()
    return ingest_report(rep)


def update_lists(service: ScreeningService) -> dict[str, Any]:
    """Fetch every official list, ingest what changed (a failing source is skipped and
    reported), then warm the screening index."""
    results = update(service.ledger, settings=service.settings, keep_going=True)
    service.warm()
    from sanctions_ledger.monitoring.runs import after_update

    runs = after_update(service.ledger, any(not r.report.skipped for r in results), service=service,
                        authoriser=licence_authoriser)
    return {"reports": [ingest_report(r.report) for r in results],
            "monitoring": [r.run.to_dict() | {"counts": r.counts()} for r in runs]}


def licence_authoriser(ledger: Ledger, entity_ids: Collection[str]) -> dict[str, str]:
    """entity id -> the authorisations in force today naming it (or another record of its
    party), ``; ``-separated: what monitoring clears hits with (``monitoring.runs.Authoriser``)."""
    found = authorisations_for(ledger, entity_ids, None)
    return {eid: "; ".join(a["identifier"] for a in acts) for eid, acts in found.items()}


def timeline_svg(service: ScreeningService, country: str | None, program: str | None,
                 between: list[str]) -> str:
    """The timeline chart as a self-contained SVG document."""
    return to_svg(timeline_data(service, country, program, between))


def events_dict(service: ScreeningService, tags: list[str], since: str | None,
                until: str | None) -> dict[str, Any]:
    """Dated real-world events, filtered by tag and date range, in date order."""
    start, end = parse_date(since, "since"), parse_date(until, "until")
    found = list_events(service.ledger, tags=[t.lower() for t in tags if t] or None, since=start,
                        until=end)
    return {"events": [e.to_dict() for e in found]}


def check_filters(known: Collection[str], source: Collection[str], country: str | None) -> None:
    """The list and country filters of a request or a command: every list named must be one
    the ledger holds (``known``), and a country is an ISO 3166-1 alpha-2 code. One check for
    the API, the web pages and the CLI, so that none of them answers "0 parties" to a typo."""
    check_lists(known, source)
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise InputError(f"country {country!r} is not an ISO 3166-1 alpha-2 code")


def known_lists(ledger: Ledger) -> set[str]:
    """The lists (datasets) of which the ledger holds a snapshot."""
    return {row["dataset"] for row in queries.sources(ledger)}


def _check_filters(service: ScreeningService, source: list[str], country: str | None) -> None:
    check_filters(service.datasets(), source, country)


def list_page(service: ScreeningService, as_of: str | None, source: list[str], program: str | None,
              country: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Parties on the lists as of a date, one page (ids first, then only the page's entities)."""
    _check_filters(service, source, country)
    when = parse_as_of(as_of)
    view = LedgerView(service.ledger, when, source or None)
    ids = view.party_ids(program=program, country=country.lower() if country else None)
    page = ids[offset:offset + limit]
    wanted = set(page)
    found = {(d, e.id): e for d, e in view.entities({e for _d, e in page}) if (d, e.id) in wanted}
    results = []
    for key in page:
        ent = found.get(key)
        if ent is None:
            continue
        results.append({"dataset": key[0], "id": key[1], "schema": ent.schema.name, "caption": ent.caption,
                        "program": sorted(ent.get("program")),
                        "country": sorted(ent.get_type_values(registry.country))})
    return {"as_of": when.isoformat() if when else None, "total": len(ids), "limit": limit,
            "offset": offset, "results": results}


def diff_dict(service: ScreeningService, from_: str, to: str | None, source: list[str], program: str | None,
              country: str | None) -> dict[str, Any]:
    _check_filters(service, source, country)
    start = parse_as_of(from_)
    if start is None:
        raise InputError("from must be a date (YYYY-MM-DD)")
    end = parse_as_of(to)
    result = hist.diff(service.ledger, start, end, datasets=source or None, program=program,
                       country=country.lower() if country else None)
    return result.to_dict()


def sources_list(service: ScreeningService) -> list[dict[str, Any]]:
    rows = queries.sources(service.ledger)
    keep = ("dataset", "snapshot_id", "kind", "parties", "entities", "statements", "sha256",
            "parser_version", "full_snapshot")
    out = []
    for row in rows:
        doc = {k: row[k] for k in keep}
        doc["observed_at"] = row["observed_at"].isoformat()
        doc["published_at"] = row["published_at"].isoformat() if row["published_at"] else None
        out.append(doc)
    return out


def catalog_dict(service: ScreeningService) -> dict[str, Any]:
    latest: dict[str, dict[str, Any]] = {}
    for row in queries.sources(service.ledger):
        if row["full_snapshot"]:
            latest[row["dataset"]] = row
    datasets = [{"name": d, "title": d, "load": True, "version": r["snapshot_id"],
                 "index_version": r["snapshot_id"], "index_current": True, "children": [],
                 "entity_count": r["parties"], "updated_at": f"{r['observed_at'].isoformat()}T00:00:00"}
                for d, r in sorted(latest.items())]
    datasets.append({"name": "default", "title": "All lists", "load": True, "version": "latest",
                     "index_current": True, "children": sorted(latest)})
    return {"datasets": datasets, "current": sorted(latest), "outdated": [], "index_stale": False}


def _latest_listings(service: ScreeningService, entity_id: str) -> list[queries.Listing] | None:
    """The party's listings in the latest lists from the records the service holds in memory
    (what :func:`queries.show` reads from the ledger, without a query); None when memory
    cannot tell (see ``ScreeningService.latest_records_of``)."""
    recs = service.latest_records_of(entity_id)
    if recs is None:
        return None
    snaps = {s.dataset: s for s in service.snapshots(None)}
    out = []
    for rec in recs:
        props = rec.properties
        nested = props.pop("sanctions", [])
        entity = model.get_proxy({"id": rec.id, "schema": rec.schema, "properties": props}, cleaned=True)
        sanctions = [model.get_proxy({"id": n["id"], "schema": n["schema"], "properties": n["properties"]},
                                     cleaned=True) for n in sorted(nested, key=lambda n: n["id"])]
        snap = snaps[rec.dataset]
        out.append(queries.Listing(rec.dataset, snap.id, snap.observed_at, entity, sanctions))
    return out


def entity_view(service: ScreeningService, entity_id: str, as_of: str | None) -> dict[str, Any]:
    """yente's merged entity plus each list's listing on the date (library: ``queries.show``)."""
    when = parse_as_of(as_of)
    listings = _latest_listings(service, entity_id) if when is None else None
    if listings is None:
        listings = queries.show(service.ledger, entity_id, when)
    first = listings[0].entity
    props: dict[str, list[Any]] = {}
    for lst in listings:
        for prop, values in lst.entity.properties.items():
            props.setdefault(prop, [])
            props[prop].extend(v for v in values if v not in props[prop])
    sanctions = [{"id": s.id, "caption": s.caption, "schema": s.schema.name,
                  "properties": {p: list(v) for p, v in s.properties.items()}}
                 for lst in listings for s in lst.sanctions]
    if sanctions:
        props["sanctions"] = sanctions
    records = service.records(when, [(lst.dataset, entity_id) for lst in listings])
    seen = [r for r in records.values()]
    return {
        "id": entity_id, "caption": first.caption, "schema": first.schema.name, "properties": props,
        "datasets": [lst.dataset for lst in listings], "referents": [], "target": True,
        "first_seen": min((r.to_json()["first_seen"] for r in seen if r.first_seen), default=None),
        "last_seen": max((r.to_json()["last_seen"] for r in seen if r.last_seen), default=None),
        "last_change": max((r.to_json()["last_change"] for r in seen if r.last_change), default=None),
        "as_of": when.isoformat() if when else None,
        "listings": [lst.to_dict() for lst in listings],
    }


def _between(values: list[str]) -> list[str]:
    parts = [p for v in values for p in v.split(",") if p.strip()]
    return parse_jurisdictions(parts or None)


def _country(value: str | None) -> str | None:
    value = value.strip() if value else None
    if not value:
        return None
    if not (len(value) == 2 and value.isalpha()):
        raise InputError(f"country {value!r} is not an ISO 3166-1 alpha-2 code")
    return value.lower()


def linking(service: ScreeningService) -> dict[str, Any]:
    return linking_state(service.ledger)


def _annotate(doc: dict[str, Any]) -> None:
    """Each member record gets its jurisdiction and the links that joined it to the others."""
    for member in doc["members"]:
        member["jurisdiction"] = jurisdiction(member["dataset"])
        member["evidence"] = [lk for lk in doc["links"] if member["entity_id"] in (lk["left"], lk["right"])]


def hit_authorisations(service: ScreeningService, entity_ids: Collection[str],
                       when: date | None) -> dict[str, list[dict[str, Any]]]:
    """entity id -> the licences in force on the screening date for the hit's party (the
    ``authorisations`` extension of /match results, screen and screen-file)."""
    return authorisations_for(service.ledger, entity_ids, when)


def attach_authorisations(service: ScreeningService, result: Any) -> None:
    """Fill each hit of a ``ScreenResult`` with the licences in force on its date."""
    found = hit_authorisations(service, [h.hit.entity_id for h in result.hits], result.as_of)
    for h in result.hits:
        h.authorisations = found.get(h.hit.entity_id, [])


def licences_dict(service: ScreeningService, party: str | None, as_of: str | None) -> dict[str, Any]:
    """Licences and legal acts (of one party when ``party`` names one; in force on ``as_of``)."""
    from sanctions_ledger.jurisdictions.licences import list_licences
    from sanctions_ledger.jurisdictions.status import find_party

    when = parse_as_of(as_of)
    found = None
    if party and party.strip():
        if len(party) > service.settings.max_name_length:
            raise InputError(f"party longer than {service.settings.max_name_length} characters", 422)
        found = find_party(service.ledger, party, when, screener=service.screener)
    acts = list_licences(service.ledger, entity_ids=found.entity_ids if found else None, as_of=when)
    return {"as_of": when.isoformat() if when else None,
            "party": ({"party_id": found.party_id, "caption": found.caption,
                       "entity_ids": found.entity_ids} if found else None),
            "licences": [a.to_dict() for a in acts]}


def status_dict(service: ScreeningService, q: str, as_of: str | None, between: list[str]) -> dict[str, Any]:
    when = parse_as_of(as_of)
    if service.is_empty():
        raise NotFoundError(EMPTY)
    if len(q) > service.settings.max_name_length:
        raise InputError(f"q longer than {service.settings.max_name_length} characters", 422)
    result = status(service.ledger, q, when, jurisdictions=_between(between), screener=service.screener,
                    stale_after=service.settings.stale_after_days)
    doc = result.to_dict()
    doc["resolved"] = result.party.resolved
    _annotate(doc)
    doc["linking"] = linking(service)
    if not result.party.resolved:
        doc["linking"]["note"] = RESOLVE_HINT
    return doc


def divergence_dict(service: ScreeningService, as_of: str | None, country: str | None, program: str | None,
                    between: list[str], limit: int = 500, offset: int = 0) -> dict[str, Any]:
    when = parse_as_of(as_of)
    if service.is_empty():
        raise NotFoundError(EMPTY)
    result = divergence(service.ledger, when, country=_country(country),
                        program=(program or "").strip() or None, between=_between(between),
                        stale_after=service.settings.stale_after_days)
    doc = result.to_dict()
    doc["total"] = len(doc["parties"])
    doc["parties"] = doc["parties"][offset:offset + limit]
    doc["counts"] = result.counts()
    doc["limit"], doc["offset"] = limit, offset
    doc["linking"] = linking(service)
    if not doc["linking"]["linked"]:
        doc["notes"].append("each record counts as its own party, so a party on several lists "
                            "shows as divergent: " + RESOLVE_HINT)
    return doc


def timeline_data(service: ScreeningService, country: str | None, program: str | None,
                  between: list[str]) -> Timeline:
    if service.is_empty():
        raise NotFoundError(EMPTY)
    return series(service.ledger, _country(country), (program or "").strip() or None, _between(between))


def timeline_dict(service: ScreeningService, country: str | None, program: str | None,
                  between: list[str]) -> dict[str, Any]:
    doc = timeline_data(service, country, program, between).to_dict()
    doc["linking"] = linking(service)
    return doc


def party_dict(service: ScreeningService, party_id: str) -> dict[str, Any]:
    check_entity_id(party_id)
    try:
        party = resolve.party_of(service.ledger, party_id)
    except NotFoundError as exc:
        hint = "" if linking(service)["linked"] else f"; {RESOLVE_HINT}"
        raise NotFoundError(f"no party or record {party_id!r} in the ledger{hint}") from exc
    doc = party.to_dict()
    _annotate(doc)
    doc["requested"] = party_id
    doc["linking"] = linking(service)
    if not party.resolved:
        doc["linking"]["note"] = RESOLVE_HINT
    return doc
