"""Monitoring pages: the alerts queue (filters), one alert (the customer and the party side by
side, the list change that triggered it, its decisions and a decision form) and a book's page.

``/alerts``, ``/alerts/{id}`` and ``/books/{name}`` are also JSON API endpoints: the pages
answer only requests that accept HTML (see ``routes.HTMLRoute``). A decision posted from the
form needs the admin token or the book's token, as the API's does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sanctions_ledger.errors import LedgerError
from sanctions_ledger.monitoring import alert_detail, decide, list_alerts
from sanctions_ledger.monitoring.alerts import DECISIONS, KINDS, STATES, authorise_write
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.store import alerts as store_alerts
from sanctions_ledger.store import books as store_books
from sanctions_ledger.web.routes import HTMLRoute, OptStr, _guard, _render, service_of

pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, route_class=HTMLRoute)
forms = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE = 100


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


@pages.get("/alerts")
def alerts_page(request: Request, book: OptStr = None, kind: OptStr = None, state: OptStr = None,
                since: OptStr = None, until: OptStr = None,
                page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> HTMLResponse:
    form = {"book": book or "", "kind": kind or "", "state": state or "", "since": since or "",
            "until": until or ""}

    def build(service: ScreeningService) -> dict[str, Any]:
        found = list_alerts(service.ledger, book=_clean(book), kind=_clean(kind), state=_clean(state),
                            since=_clean(since), until=_clean(until), limit=PAGE + 1, offset=(page - 1) * PAGE)
        return {"alerts": found[:PAGE], "more": len(found) > PAGE, "page": page,
                "books": store_books.books(service.ledger), "kinds": KINDS, "states": STATES}

    try:
        return _guard(request, "alerts.html", build, form)
    except LedgerError as exc:  # pragma: no cover - _guard renders library errors
        return _render(request, "alerts.html", exc.status, error=exc.detail, form=form)


@pages.get("/alerts/{alert_id}")
def alert_page(request: Request, alert_id: str, decided: OptStr = None) -> HTMLResponse:
    def build(service: ScreeningService) -> dict[str, Any]:
        return {"detail": alert_detail(service.ledger, alert_id), "decisions": DECISIONS,
                "decided": decided}

    return _guard(request, "alert.html", build, {"alert_id": alert_id})


@forms.post("/alerts/{alert_id}/decide", response_model=None)
def alert_decide(request: Request, alert_id: str,
                 decision: Annotated[str, Form(max_length=20)],
                 author: Annotated[str, Form(max_length=200)],
                 token: Annotated[str, Form(max_length=500)] = "",
                 note: Annotated[str, Form(max_length=4000)] = "") -> HTMLResponse | RedirectResponse:
    """The decision form: the token field takes the admin token or the book's token."""
    service = service_of(request)
    try:
        found = store_alerts.alert(service.ledger, alert_id)
        authorise_write(service.ledger, service.settings.admin_token, found.book, token.strip() or None)
        decide(service.ledger, alert_id, decision, author=author, note=note)
    except LedgerError as exc:
        detail = None
        try:
            detail = alert_detail(service.ledger, alert_id)
        except LedgerError:
            pass
        return _render(request, "alert.html", exc.status, error=exc.detail, detail=detail,
                       decisions=DECISIONS, form={"alert_id": alert_id, "decision": decision,
                                                  "author": author, "note": note})
    return RedirectResponse(f"/alerts/{alert_id}?decided={decision}", status_code=303)


@pages.get("/books/{name}")
def book_page(request: Request, name: str, q: OptStr = None,
              page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    form = {"q": q or ""}

    def build(service: ScreeningService) -> dict[str, Any]:
        info = store_books.book_info(service.ledger, name)
        total, customers = store_books.customers_page(service.ledger, name, offset=(page - 1) * PAGE,
                                                      limit=PAGE, q=_clean(q))
        return {"info": info, "customers": customers, "total": total, "page": page,
                "pages": max(1, -(-total // PAGE)), "runs": store_alerts.runs(service.ledger, name, 10),
                "open": list_alerts(service.ledger, book=name, state="open", limit=20)}

    return _guard(request, "book.html", build, form)


@pages.get("/books")
def books_page(request: Request) -> HTMLResponse:
    return _guard(request, "books.html", lambda service: {"books": store_books.books(service.ledger)}, {})
