"""Entities: name search, a party as of a date, and its history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from sanctions_ledger.api.deps import JSONBytes, get_service
from sanctions_ledger.api.routes.match import INLINE_CHARS
from sanctions_ledger.api.schemas import (
    ErrorResponse,
    HistoryResponse,
    PartyResponse,
    SearchResponse,
)
from sanctions_ledger.api.work import Check, guarded
from sanctions_ledger.screening.service import ALL_DATASETS, ScreeningService
from sanctions_ledger.service import check_entity_id, entity_view, history_dict, search_dict

router = APIRouter(tags=["Entities"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse, "description": "No such entity (on that date)"},
             400: {"model": ErrorResponse, "description": "Invalid parameter"}}


@router.get("/search", response_model=SearchResponse, responses=NOT_FOUND,
            summary="Search listed parties by name")
@router.get("/search/{dataset}", response_model=SearchResponse, responses=NOT_FOUND,
            summary="Search listed parties by name in one list", include_in_schema=True)
async def search(
    service: Annotated[ScreeningService, Depends(get_service)],
    request: Request,
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
    def run(_check: Check) -> dict[str, Any]:
        return search_dict(service, q, dataset=dataset, limit=limit, offset=offset, schema=schema,
                           include=include_dataset, exclude=exclude_dataset, as_of=as_of)
    # A name of a line or two is screened on the event loop, as /match does with small
    # batches: in a thread it would wait for the GIL behind the loop's work at every turn.
    return JSONBytes(await guarded(request, service, len(q), run, inline=len(q) <= INLINE_CHARS))


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
    # Inline on the event loop, not in a worker thread: the lookup is one indexed query and
    # a little Python (about 3 ms). In a thread, each of its returns to Python waited for the
    # GIL behind the /match work running on the loop (up to the 5 ms switch interval each
    # time), which made it ten times slower under a mixed load.
    return JSONBytes(entity_view(service, entity_id, as_of))


@router.get("/entities/{entity_id}/history", response_model=HistoryResponse,
            responses=NOT_FOUND, summary="Dated events of a party: listed, amended, delisted")
async def entity_history(
    service: Annotated[ScreeningService, Depends(get_service)],
    entity_id: Annotated[str, Path(max_length=200, examples=["us-sdn-9760"])],
) -> JSONBytes:
    """Every event the ledger derives for the party, over all lists that ever carried it: when it was
    listed, amended (field by field, old → new) and delisted, with the source's own dates."""
    check_entity_id(entity_id)
    return JSONBytes(await run_in_threadpool(history_dict, service, entity_id))
