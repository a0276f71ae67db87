"""The ledger over time: lists as of a date, diffs between dates, the snapshots held."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from sanctions_ledger.api.deps import JSONBytes, get_service
from sanctions_ledger.api.schemas import DiffResponse, ErrorResponse, ListsResponse, SourcesResponse
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.service import diff_dict, list_page, sources_list

router = APIRouter(tags=["Ledger"])
BAD: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse, "description": "Invalid parameter"}}
SourceQ = Annotated[list[str], Query(description="List (dataset) name, repeatable", examples=[["us_ofac_sdn"]])]
ProgramQ = Annotated[str | None, Query(max_length=100, description="Program, e.g. BELARUS", examples=["BELARUS"])]
CountryQ = Annotated[str | None, Query(max_length=2, description="ISO 3166-1 alpha-2 code", examples=["by"])]


@router.get("/lists", response_model=ListsResponse, responses=BAD,
            summary="Parties on the lists as of a date")
async def lists(
    service: Annotated[ScreeningService, Depends(get_service)],
    as_of: Annotated[str | None, Query(max_length=20, examples=["2021-07-07"])] = None,
    source: SourceQ = [],  # noqa: B006
    program: ProgramQ = None,
    country: CountryQ = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONBytes:
    """Who was listed on ``as_of``, filtered by list, program (prefix match: BELARUS matches
    BELARUS-EO14038) and country; paged with ``limit``/``offset``."""
    return JSONBytes(await run_in_threadpool(list_page, service, as_of, source, program, country,
                                             limit, offset))


@router.get("/diff", response_model=DiffResponse, responses=BAD,
            summary="Parties added, removed and amended between two dates")
async def diff(
    service: Annotated[ScreeningService, Depends(get_service)],
    from_: Annotated[str, Query(alias="from", max_length=20, examples=["2019-01-15"])],
    to: Annotated[str | None, Query(max_length=20, examples=["2021-07-07"])] = None,
    source: SourceQ = [],  # noqa: B006
    program: ProgramQ = None,
    country: CountryQ = None,
) -> JSONBytes:
    """Per list, the parties added, removed and amended (with field-level old → new values) between
    the snapshots standing on ``from`` and on ``to`` (latest by default)."""
    return JSONBytes(await run_in_threadpool(diff_dict, service, from_, to, source, program, country))


@router.get("/sources", response_model=SourcesResponse, summary="Every snapshot of every list")
async def sources(service: Annotated[ScreeningService, Depends(get_service)]) -> JSONBytes:
    """The list snapshots the ledger holds, oldest first per list, with counts and hashes."""
    return JSONBytes({"snapshots": await run_in_threadpool(sources_list, service)})
