"""Health, readiness, algorithms and the dataset catalog (yente's system endpoints)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from sanctions_ledger.api import matching
from sanctions_ledger.api.deps import JSONBytes, get_service
from sanctions_ledger.api.schemas import AlgorithmResponse, StatusResponse
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.service import catalog_dict

router = APIRouter(tags=["System information"])


@router.get("/healthz", response_model=StatusResponse, summary="Liveness")
async def healthz() -> JSONBytes:
    """``{"status": "ok"}`` whenever the process is up."""
    return JSONBytes({"status": "ok"})


@router.get("/readyz", response_model=StatusResponse, summary="Readiness",
            responses={503: {"model": StatusResponse, "description": "Index still loading"}})
async def readyz(service: Annotated[ScreeningService, Depends(get_service)]) -> JSONBytes:
    """503 while the screening index of the latest lists is being built; 200 once it is in
    memory, or when the ledger is empty (nothing to load: the detail says how to add lists).
    A failed build is 503 ``error`` with its reason, or 200 ``degraded`` while the previous
    lists' index is screened instead."""
    if await run_in_threadpool(service.is_empty):
        return JSONBytes({"status": "ok", "detail": "the ledger is empty: load lists with `sanctions "
                          "ingest PATH` or `sanctions serve --from DIR`"})
    failure = service.warm_error or await run_in_threadpool(service.index_failure, None)
    if failure:
        fallback = service.serving_fallback()
        if fallback:
            # Still screening, against the lists as they were before: up, but say so.
            return JSONBytes({"status": "degraded", "detail": f"the index of the latest lists failed: "
                              f"{failure}; screening the previous lists (snapshots "
                              f"{', '.join(fallback)})"})
        return JSONBytes({"status": "error", "detail": f"the screening index failed: {failure}"},
                         status_code=503)
    if service.warming or service.cached_index(None) is None:
        return JSONBytes({"status": "loading", "detail": "building the screening index"}, status_code=503)
    return JSONBytes({"status": "ok", "detail": "index ready"})


@router.get("/algorithms", response_model=AlgorithmResponse, summary="Matching algorithms")
async def algorithms() -> JSONBytes:
    """The one scoring model of this service and its features (weights and what each compares)."""
    algo = {"name": matching.ALGORITHM, "description": matching.ALGORITHM_DESCRIPTION,
            "features": matching.feature_docs()}
    return JSONBytes({"algorithms": [algo], "default": matching.ALGORITHM, "best": matching.ALGORITHM})


@router.get("/catalog", summary="Lists held (yente's dataset catalog)")
async def catalog(service: Annotated[ScreeningService, Depends(get_service)]) -> JSONBytes:
    """Each list with its latest snapshot, plus the ``default`` collection of all of them."""
    return JSONBytes(await run_in_threadpool(catalog_dict, service))
