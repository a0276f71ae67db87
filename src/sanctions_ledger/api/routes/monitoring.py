"""Customer books and monitoring alerts: ``/books``, ``/books/{name}``,
``/books/{name}/customers``, ``/alerts``, ``/alerts/{id}`` and ``POST /alerts/{id}/decision``.

Reads are open like the rest of the API. A decision (a write) needs ``Authorization: Bearer``
with the admin token (``SANCTIONS_LEDGER_ADMIN_TOKEN``) or the token of the alert's book
(``sanctions book token NAME``); with neither configured, writes are off (404).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sanctions_ledger.api.auth import bearer_token
from sanctions_ledger.api.deps import JSONBytes, get_service
from sanctions_ledger.api.schemas import ErrorResponse
from sanctions_ledger.errors import InputError
from sanctions_ledger.monitoring import alert_detail, decide, list_alerts
from sanctions_ledger.monitoring.alerts import authorise_write
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.store import alerts as store_alerts
from sanctions_ledger.store import books as store_books

router = APIRouter(tags=["Monitoring"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse, "description": "Unknown book or alert"}}
WRITE: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "Missing bearer token"},
    403: {"model": ErrorResponse, "description": "Neither the admin token nor the book's token"},
    404: {"model": ErrorResponse, "description": "Unknown alert, or writes disabled (no token configured)"},
    400: {"model": ErrorResponse, "description": "Unknown decision or missing author"}}


class DecisionRequest(BaseModel):
    decision: str = Field(description="true_match, false_positive or escalated", max_length=20)
    author: str = Field(description="Who decides", min_length=1, max_length=200)
    note: str | None = Field(default=None, max_length=4000, description="Why")


@router.get("/books", summary="Customer books")
async def books_list(service: Annotated[ScreeningService, Depends(get_service)]) -> JSONBytes:
    found = await run_in_threadpool(store_books.books, service.ledger)
    return JSONBytes({"books": [b.to_dict() for b in found]})


@router.get("/books/{name}", responses=NOT_FOUND, summary="One book: versions and imports")
async def book_get(name: str, service: Annotated[ScreeningService, Depends(get_service)]) -> JSONBytes:
    info = await run_in_threadpool(store_books.book_info, service.ledger, name)
    runs = await run_in_threadpool(store_alerts.runs, service.ledger, name, 20)
    return JSONBytes({**info.to_dict(), "runs": [r.to_dict() for r in runs]})


@router.get("/books/{name}/customers", responses=NOT_FOUND, summary="A page of a book's current customers")
async def book_customers(
    name: str, service: Annotated[ScreeningService, Depends(get_service)],
    q: Annotated[str | None, Query(max_length=200, description="Name or id contains")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSONBytes:
    def page() -> dict[str, Any]:
        store_books.book_info(service.ledger, name)
        total, rows = store_books.customers_page(service.ledger, name, offset=offset, limit=limit, q=q)
        return {"book": name, "total": total, "offset": offset, "customers": [c.to_dict() for c in rows]}

    return JSONBytes(await run_in_threadpool(page))


@router.get("/alerts", responses={400: {"model": ErrorResponse, "description": "Bad filter"}, **NOT_FOUND},
            summary="Alerts, newest first, filtered")
async def alerts_list(
    service: Annotated[ScreeningService, Depends(get_service)],
    book: Annotated[str | None, Query(max_length=64)] = None,
    kind: Annotated[str | None, Query(max_length=20, description="new_hit, hit_changed, hit_cleared")] = None,
    state: Annotated[str | None, Query(max_length=20, description="open, true_match, false_positive, escalated")] = None,
    since: Annotated[str | None, Query(max_length=10, description="Raised on or after YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(max_length=10, description="Raised on or before YYYY-MM-DD")] = None,
    customer_id: Annotated[str | None, Query(max_length=200)] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSONBytes:
    found = await run_in_threadpool(lambda: list_alerts(
        service.ledger, book=book, kind=kind, state=state, since=since, until=until,
        customer_id=customer_id, limit=limit, offset=offset))
    return JSONBytes({"alerts": [a.to_dict() for a in found], "count": len(found), "offset": offset})


@router.get("/alerts/{alert_id}", responses=NOT_FOUND, summary="One alert with both sides, its trigger and decisions")
async def alert_get(alert_id: str, service: Annotated[ScreeningService, Depends(get_service)]) -> JSONBytes:
    detail = await run_in_threadpool(alert_detail, service.ledger, alert_id)
    return JSONBytes(detail.to_dict())


@router.post("/alerts/{alert_id}/decision", responses=WRITE,
             summary="Decide an alert (admin token or the book's token)")
async def alert_decide(alert_id: str, body: DecisionRequest, request: Request,
                       service: Annotated[ScreeningService, Depends(get_service)]) -> JSONBytes:
    """Appends a decision to the alert's history; the last decision is its state."""
    def run() -> dict[str, Any]:
        found = store_alerts.alert(service.ledger, alert_id)
        authorise_write(service.ledger, service.settings.admin_token, found.book,
                        bearer_token(request.headers.get("authorization")))
        if not body.author.strip():
            raise InputError("a decision needs an author")
        made = decide(service.ledger, alert_id, body.decision, author=body.author, note=body.note)
        return {"decision": made.to_dict(), "alert": alert_detail(service.ledger, alert_id).to_dict()}

    return JSONBytes(await run_in_threadpool(run), status_code=201)
