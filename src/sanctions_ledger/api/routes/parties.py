"""One party across jurisdictions: its status on a date, the parties some jurisdictions list and
others do not, listings over time with events, and the linked records of a party.

Thin HTTP wrappers over the service layer (``sanctions_ledger.service``), whose functions the
web pages and the CLI call too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from sanctions_ledger.api.deps import JSONBytes, get_service
from sanctions_ledger.api.schemas import ErrorResponse
from sanctions_ledger.api.schemas_parties import (
    DivergenceResult,
    EventsResult,
    PartyResult,
    StatusResult,
    TimelineResult,
)
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.service import (
    divergence_dict,
    events_dict,
    party_dict,
    status_dict,
    timeline_dict,
    timeline_svg,
)

router = APIRouter(tags=["Jurisdictions"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid parameter (date, country, jurisdiction)"},
    404: {"model": ErrorResponse, "description": "No party matches / nothing in the ledger"},
}
MAX_DIVERGENT = 5000

AsOfQ = Annotated[str | None, Query(max_length=20, description="YYYY-MM-DD; latest snapshots when empty",
                                    examples=["2022-05-05"])]
CountryQ = Annotated[str | None, Query(max_length=2, description="ISO 3166-1 alpha-2 code", examples=["by"])]
ProgramQ = Annotated[str | None, Query(max_length=100, description="Program, e.g. BELARUS (aliases: BLR)",
                                       examples=["BELARUS"])]
BetweenQ = Annotated[list[str], Query(
    description="Jurisdictions to compare: us, eu, uk (or gb), un; comma-separated or repeated "
                "(all four when empty)", examples=[["us,eu,uk"]])]


@router.get("/status", response_model=StatusResult, responses=ERRORS,
            summary="A party's status in each jurisdiction on a date")
async def status_route(
    service: Annotated[ScreeningService, Depends(get_service)],
    q: Annotated[str, Query(min_length=1, max_length=2000, description="A name, an entity id or a party id",
                            examples=["Belaruskali"])],
    as_of: AsOfQ = None,
    between: BetweenQ = [],  # noqa: B006
) -> JSONBytes:
    """One row per jurisdiction (us, eu, gb, un): `listed`, `not listed`, `uncertain` (the change
    happened between two snapshots) or `unknown` (the date is before the first snapshot the ledger
    holds for that jurisdiction). Past a list's last snapshot (today included) the row gives the last
    state observed, with its snapshot's date and age (`snapshot_date`, `age_days`, `freshness`) and
    `stale` when that age exceeds the list's update interval; `since` is the designation date the
    list gives, otherwise the bracket of our observations. A name is screened and the best hit's
    party taken (`matched`, `other_candidates`); 404 when nothing matches."""
    return JSONBytes(await run_in_threadpool(status_dict, service, q, as_of, between))


@router.get("/divergence", response_model=DivergenceResult, responses=ERRORS,
            summary="Parties listed by some jurisdictions and not others on a date")
async def divergence_route(
    service: Annotated[ScreeningService, Depends(get_service)],
    as_of: AsOfQ = None,
    country: CountryQ = None,
    program: ProgramQ = None,
    between: BetweenQ = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=MAX_DIVERGENT)] = 500,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONBytes:
    """Linked parties in scope (any record matching `country`/`program`) that some of the compared
    jurisdictions list on `as_of` and others do not; each side says since when (source designation
    date and first observed snapshot) or why not (delisted since, never seen). Jurisdictions without
    a snapshot on or before the date are left out, with a note."""
    return JSONBytes(await run_in_threadpool(divergence_dict, service, as_of, country, program, between,
                                             limit, offset))


@router.get("/timeline", response_model=TimelineResult, responses=ERRORS,
            summary="Parties listed per jurisdiction over time (data)")
async def timeline_route(
    service: Annotated[ScreeningService, Depends(get_service)],
    country: CountryQ = None,
    program: ProgramQ = None,
    between: BetweenQ = [],  # noqa: B006
) -> JSONBytes:
    """Per jurisdiction: cumulative parties by the designation dates the lists give (`designated`,
    source time) and parties in our snapshots (`observed`), plus the events tagged with the country
    or program. `GET /timeline.svg` draws it."""
    return JSONBytes(await run_in_threadpool(timeline_dict, service, country, program, between))


@router.get("/timeline.svg", responses={**ERRORS, 200: {"content": {"image/svg+xml": {}},
                                                         "description": "The chart"}},
            response_class=Response, summary="Parties listed per jurisdiction over time (SVG chart)")
async def timeline_chart(
    service: Annotated[ScreeningService, Depends(get_service)],
    country: CountryQ = None,
    program: ProgramQ = None,
    between: BetweenQ = [],  # noqa: B006
) -> Response:
    """The timeline as a self-contained SVG (no scripts): solid lines for source designation dates,
    dashed for observed snapshots, dotted verticals for events; every number is a `<text>` node."""
    return Response(await run_in_threadpool(timeline_svg, service, country, program, between),
                    media_type="image/svg+xml")


@router.get("/events", response_model=EventsResult, responses=ERRORS, summary="Dated real-world events")
async def events_route(
    service: Annotated[ScreeningService, Depends(get_service)],
    tag: Annotated[list[str], Query(description="Keep events carrying any of these tags",
                                    examples=[["by"]])] = [],  # noqa: B006
    since: Annotated[str | None, Query(max_length=20, examples=["2020-01-01"])] = None,
    until: Annotated[str | None, Query(max_length=20, examples=["2022-12-31"])] = None,
) -> JSONBytes:
    """Events imported with `sanctions events import` (e.g. `--builtin belarus`), in date order."""
    return JSONBytes(await run_in_threadpool(events_dict, service, tag, since, until))


@router.get("/parties/{party_id}", response_model=PartyResult, responses=ERRORS,
            summary="The linked records of one party, with the evidence joining them")
async def party_route(
    service: Annotated[ScreeningService, Depends(get_service)],
    party_id: Annotated[str, Path(max_length=200, description="A party id (sl-…, also a retired one) "
                                  "or any member's entity id", examples=["us-sdn-9760"])],
) -> JSONBytes:
    """The party (cluster) and its member records in every list, each with the links (identifier,
    name + birth date, name + country, or a human judgement) that joined it."""
    return JSONBytes(await run_in_threadpool(party_dict, service, party_id))
