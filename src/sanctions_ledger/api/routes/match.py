"""``POST /match/{dataset}``: yente-compatible query-by-example screening."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from sanctions_ledger.api import matching
from sanctions_ledger.api.deps import JSONBytes, get_service
from sanctions_ledger.api.schemas import EntityMatchQuery, EntityMatchResponse, ErrorResponse
from sanctions_ledger.api.work import Check, guarded
from sanctions_ledger.errors import InputError
from sanctions_ledger.match import DEFAULT_THRESHOLD
from sanctions_ledger.screening.service import ScreeningService, parse_as_of
from sanctions_ledger.service import freshness_dict, hit_authorisations

router = APIRouter(tags=["Matching"])


class MatchParams(BaseModel):
    """``/match``'s query parameters, validated as one model (one pydantic call per request
    instead of one per parameter)."""

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(5, ge=1, le=100, description="Results per query")
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0,
                             description="Score at which a result is flagged `match`")
    cutoff: float = Field(0.5, ge=0.0, le=1.0, description="Results scoring below this are dropped")
    algorithm: str = Field(matching.ALGORITHM, max_length=50)
    topics: list[str] = Field([], description="Keep results with any of these topics")
    include_dataset: list[str] = []
    exclude_dataset: list[str] = []
    changed_since: str | None = Field(None, max_length=40, description="YYYY-MM-DD")
    as_of: str | None = Field(None, max_length=20, description="Screen against the lists as they "
                              "stood on this date (extension; default latest)")
INLINE_NAMES = 4
INLINE_CHARS = 160
"""Up to this many names and characters a request is screened on the event loop: about a
millisecond, cheaper than a thread hop (a name's cost grows with its length)."""

ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse, "description": "Invalid query"},
          404: {"model": ErrorResponse, "description": "Unknown dataset, or no lists loaded"},
          413: {"model": ErrorResponse, "description": "Request body too large"},
          422: {"model": ErrorResponse, "description": "Too many queries, too many name characters "
                "(the work budget), or a field out of bounds"},
          503: {"model": ErrorResponse, "description": "Busy, timed out or index unavailable: "
                "retry after `Retry-After` seconds"}}


@router.post("/match/{dataset}", response_model=EntityMatchResponse, responses=ERRORS,
             summary="Query-by-example matcher (yente-compatible)")
async def match(
    body: Annotated[EntityMatchQuery, Body(openapi_examples={"person": {"summary": "A person", "value": {
        "queries": {"q1": {"schema": "Person", "properties": {
            "name": ["Alexander Lukashenko"], "birthDate": ["1954-08-30"], "nationality": ["by"]}}}}}})],
    dataset: Annotated[str, Path(description="'default' for every list, or one list name (e.g. us_ofac_sdn)",
                                 max_length=100)],
    service: Annotated[ScreeningService, Depends(get_service)],
    params: Annotated[MatchParams, Query()],
    request: Request,
) -> JSONBytes:
    """Screen a batch of example entities (``queries``) and return, per key, the listed parties that
    match, with scores, per-feature evidence (``features``, ``explanations``) and each hit's sanctions
    (``properties.sanctions``). Same request and response shape as yente's ``/match``; ``as_of``
    screens against a past date and ``snapshot_ids`` records which list versions were used.
    """
    limit, threshold, topics = params.limit, params.threshold, params.topics
    max_queries = service.settings.max_queries_per_match
    if len(body.queries) > max_queries:
        raise InputError(f"too many queries in one request: {len(body.queries)} (limit {max_queries})", 422)
    if not body.queries:
        raise InputError("no queries provided")
    matching.check_algorithm(params.algorithm)
    when = parse_as_of(params.as_of)
    since = matching.parse_changed_since(params.changed_since)
    cutoff = min(params.cutoff, threshold)
    examples = {key: (ex, matching.to_queries(ex, service.settings.max_name_length))
                for key, ex in body.queries.items()}
    n_names = sum(len(q) for _ex, q in examples.values())
    n_chars = sum(len(q.name) for _ex, queries in examples.values() for q in queries)
    budget = service.settings.max_match_name_chars
    if n_chars > budget:
        raise InputError(f"this request screens {n_chars} characters of names; the limit is {budget} "
                         "per request: send fewer or shorter names, or split the batch", 422)
    if service.cached_index(when) is None:
        # A cold date: the index is built or loaded off the event loop.
        await run_in_threadpool(service.index, when)
        datasets = await run_in_threadpool(service.select_datasets, dataset, params.include_dataset,
                                            params.exclude_dataset)
    else:
        datasets = service.select_datasets(dataset, params.include_dataset, params.exclude_dataset)
    fetch = matching.fetch_limit(limit, bool(topics or since))

    def run(check: Check) -> list[matching.Plan]:
        return [matching.Plan(key, ex, service.search_any(queries, as_of=when, datasets=datasets,
                                                          limit=fetch, threshold=cutoff, check=check))
                for key, (ex, queries) in examples.items()]

    plans = await guarded(request, service, n_chars, run,
                          inline=n_names <= INLINE_NAMES and n_chars <= INLINE_CHARS)
    keys = matching.plans_keys(plans)
    records, missing = service.cached_records(when, keys)
    if missing:
        records = await run_in_threadpool(service.records, when, keys)
    responses = {p.key: matching.render(p, records, limit=limit, threshold=threshold, topics=topics,
                                        changed_since=since) for p in plans}
    # Our extension (yente clients ignore it): the licences in force on the date for each hit.
    found = hit_authorisations(service, {r["id"] for resp in responses.values()
                                         for r in resp["results"]}, when)
    for resp in responses.values():
        for r in resp["results"]:
            r["authorisations"] = found.get(r["id"], [])
    return JSONBytes({
        "responses": responses, "matcher": matching.feature_docs(), "limit": limit,
        "as_of": when.isoformat() if when else None,
        "snapshot_ids": service.snapshot_ids(when, datasets),
        # Our extension (yente clients ignore it): each list's snapshot date, age and stale flag.
        "freshness": freshness_dict(service, when, datasets),
    }, headers={"x-batch-size": str(len(responses))})
