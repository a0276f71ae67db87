"""Entities: name search, a party as of a date, and its history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from starlette.concurrency import run_in_threadpool

from sanctions_ledger import history as hist
from sanctions_ledger import queries
from sanctions_ledger.api.deps import JSONBytes, check_entity_id, get_service
from sanctions_ledger.api.schemas import (
    ErrorResponse,
    HistoryResponse,
    PartyResponse,
    SearchResponse,
)
from sanctions_ledger.errors import InputError
from sanctions_ledger.match import Query as MatchQuery
from sanctions_ledger.match import validate_query
from sanctions_ledger.screening.service import ALL_DATASETS, ScreeningService, parse_as_of

router = APIRouter(tags=["Entities"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse, "description": "No such entity (on that date)"},
             400: {"model": ErrorResponse, "description": "Invalid parameter"}}


def _search(service: ScreeningService, q: str, dataset: str, limit: int, offset: int, schema: str | None,
            include: list[str], exclude: list[str], as_of: str | None) -> dict[str, Any]:
    if len(q) > service.settings.max_name_length:
        raise InputError(f"q longer than {service.settings.max_name_length} characters", 422)
    when = parse_as_of(as_of)
    datasets = service.select_datasets(dataset, include, exclude)
    query = validate_query(MatchQuery(q, schema=schema or "Any"))
    hits = service.index(when).search(query, limit=limit + offset, datasets=datasets)[offset:]
    records = service.records(when, [(h.dataset, h.entity_id) for h in hits])
    results = []
    for hit in hits:
        rec = records.get((hit.dataset, hit.entity_id))
        if rec is not None:
            doc = rec.to_json()
            doc["score"] = round(hit.score, 4)
            doc["explanation"] = hit.explanation
            results.append(doc)
    return {"results": results, "facets": {}, "total": {"value": len(results) + offset, "relation": "gte"},
            "limit": limit, "offset": offset}


@router.get("/search", response_model=SearchResponse, responses=NOT_FOUND,
            summary="Search listed parties by name")
@router.get("/search/{dataset}", response_model=SearchResponse, responses=NOT_FOUND,
            summary="Search listed parties by name in one list", include_in_schema=True)
async def search(
    service: Annotated[ScreeningService, Depends(get_service)],
    q: Annotated[str, Query(min_length=1, max_length=2000, description="A name", examples=["Lukashenko"])],
    dataset: str = ALL_DATASETS,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=1000)] = 0,
    schema: Annotated[str | None, Query(max_length=40, examples=["Person"])] = None,
    include_dataset: Annotated[list[str], Query()] = [],  # noqa: B006
    exclude_dataset: Annotated[list[str], Query()] = [],  # noqa: B006
    as_of: Annotated[str | None, Query(max_length=20, examples=["2021-07-07"])] = None,
) -> JSONBytes:
    """Name search over the screening index (transliteration and typo tolerant), best first."""
    return JSONBytes(await run_in_threadpool(_search, service, q, dataset, limit, offset, schema,
                                             include_dataset, exclude_dataset, as_of))


def party(service: ScreeningService, entity_id: str, as_of: str | None) -> dict[str, Any]:
    """yente's merged entity plus each list's listing on the date (library: ``queries.show``)."""
    when = parse_as_of(as_of)
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


@router.get("/entities/{entity_id}", response_model=PartyResponse, responses=NOT_FOUND,
            summary="A party as the lists described it on a date")
async def entity(
    service: Annotated[ScreeningService, Depends(get_service)],
    entity_id: Annotated[str, Path(max_length=200, examples=["us-sdn-9760"])],
    as_of: Annotated[str | None, Query(max_length=20, examples=["2021-07-07"])] = None,
) -> JSONBytes:
    """The party with every list's record of it as of ``as_of`` (latest by default); sanctions are
    nested under ``properties.sanctions`` as yente does."""
    check_entity_id(entity_id)
    return JSONBytes(await run_in_threadpool(party, service, entity_id, as_of))


@router.get("/entities/{entity_id}/history", response_model=HistoryResponse,
            responses=NOT_FOUND, summary="Dated events of a party: listed, amended, delisted")
async def entity_history(
    service: Annotated[ScreeningService, Depends(get_service)],
    entity_id: Annotated[str, Path(max_length=200, examples=["us-sdn-9760"])],
) -> JSONBytes:
    """Every event the ledger derives for the party, over all lists that ever carried it: when it was
    listed, amended (field by field, old → new) and delisted, with the source's own dates."""
    check_entity_id(entity_id)
    events = await run_in_threadpool(hist.history, service.ledger, entity_id)
    return JSONBytes({"entity_id": entity_id, "events": [e.to_dict() for e in events]})
