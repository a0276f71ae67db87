"""``GET /licences``: licences (authorisations) and dated legal acts, of one party and in
force on a date. Thin wrapper over ``sanctions_ledger.service.licences_dict``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from sanctions_ledger.api.deps import JSONBytes, get_service
from sanctions_ledger.api.schemas import ErrorResponse
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.service import licences_dict

router = APIRouter(tags=["Jurisdictions"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid parameter (date)"},
    404: {"model": ErrorResponse, "description": "No party matches / nothing in the ledger"},
}


@router.get("/licences", responses=ERRORS, summary="Licences and legal acts (of a party, on a date)")
async def licences_route(
    service: Annotated[ScreeningService, Depends(get_service)],
    party: Annotated[str | None, Query(max_length=500, description="A name, an entity id or a party id",
                                       examples=["Belaruskali"])] = None,
    as_of: Annotated[str | None, Query(max_length=20, description="YYYY-MM-DD: keep the licences "
                                       "in force (and the acts in effect) on that date",
                                       examples=["2025-12-20"])] = None,
) -> Response:
    """Each record: identifier (``OFAC Belarus GL 13``), jurisdiction, authority, title, kind
    (general / wind-down / specific licence, derogation, exemption; or ``delisting`` for a
    dated removal the lists cannot show), what it authorises and its extent, the dates issued /
    effective / expires / revoked and the supersession chain, the scope (record ids, names,
    entities owned 50% or more, programs, the records it resolved to), the source URL and
    whether a primary source confirmed it. An authorisation never makes a party delisted."""
    return JSONBytes(await run_in_threadpool(licences_dict, service, party, as_of))
