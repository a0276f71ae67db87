"""Server-rendered pages over the same library calls as the API (no JavaScript needed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from markupsafe import Markup
from starlette.routing import Match
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import Scope

from sanctions_ledger import history as hist
from sanctions_ledger import queries
from sanctions_ledger.errors import LedgerError, NotFoundError
from sanctions_ledger.jurisdictions.events import list_events
from sanctions_ledger.jurisdictions.status import ALL_JURISDICTIONS, parse_jurisdictions
from sanctions_ledger.jurisdictions.timeline import to_svg
from sanctions_ledger.service import (
    ALL_DATASETS,
    RESOLVE_HINT,
    ScreeningService,
    check_entity_id,
    diff_dict,
    divergence_dict,
    freshness_dict,
    linking,
    list_page,
    parse_as_of,
    party_dict,
    search_parties,
    status_dict,
    timeline_data,
)
from sanctions_ledger.vocab import JURISDICTIONS, listing_date_label, listing_date_short
from sanctions_ledger.web import data, svg

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals["shown_values"] = data.shown_values
templates.env.globals["listing_date_label"] = listing_date_label
templates.env.globals["listing_date_short"] = listing_date_short
templates.env.globals["jurisdictions"] = JURISDICTIONS


class HTMLRoute(APIRoute):
    """Matches only requests that accept HTML: ``/diff`` and ``/lists`` are JSON API endpoints
    too, so a browser gets the page and an API client (``Accept: */*`` or JSON) the data."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is Match.NONE or scope.get("type") != "http":
            return match, child
        accept = dict(scope.get("headers", ())).get(b"accept", b"")
        return (match, child) if b"text/html" in accept else (Match.NONE, {})


router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
negotiated = APIRouter(include_in_schema=False, default_response_class=HTMLResponse, route_class=HTMLRoute)
OptStr = Annotated[str | None, Query(max_length=200)]
PAGE = 100
MAX_DIFF_ROWS = 500


def service_of(request: Request) -> ScreeningService:
    """The service state the app was created with (``app.state.service``)."""
    service: ScreeningService = request.app.state.service
    return service


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    service = service_of(request)
    context.setdefault("empty", service.is_empty())
    return templates.TemplateResponse(request, template, context, status_code=status)


def _guard(request: Request, template: str, build: Callable[[ScreeningService], dict[str, Any]],
           form: dict[str, Any]) -> HTMLResponse:
    """Render ``template`` with ``build``'s context; library errors become a readable page."""
    try:
        context = build(service_of(request))
    except LedgerError as exc:
        return _render(request, template, exc.status, error=exc.detail, form=form)
    return _render(request, template, form=form, **context)


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


@router.get("/")
def home(request: Request, q: OptStr = None, schema: OptStr = None, as_of: OptStr = None,
         dataset: OptStr = None) -> HTMLResponse:
    form = {"q": q or "", "schema": schema or "", "as_of": as_of or "", "dataset": dataset or ""}

    def build(service: ScreeningService) -> dict[str, Any]:
        lists = sorted(service.datasets())
        if not q or not q.strip() or service.is_empty():
            return {"lists": lists, "results": None}
        found, parties = search_parties(service, q, schema=_clean(schema), as_of=as_of,
                                        dataset=_clean(dataset) or ALL_DATASETS, limit=20,
                                        threshold=0.3)
        return {"lists": lists, "results": found.hits, "parties": parties, "as_of_date": found.as_of,
                "freshness": freshness_dict(service, found.as_of,
                                            sorted({d for p in parties for d in p.lists}) or None)}

    return _guard(request, "search.html", build, form)


@router.get("/entity/{entity_id}", response_model=None)
def entity_page(request: Request, entity_id: str, as_of: OptStr = None) -> HTMLResponse | RedirectResponse:
    form = {"as_of": as_of or ""}
    if entity_id.startswith("sl-"):
        # A party id: show the party through its first record (the status block lists the others).
        try:
            first = party_dict(service_of(request), entity_id)["members"][0]["entity_id"]
        except LedgerError as exc:
            return _render(request, "entity.html", exc.status, error=exc.detail, form=form)
        query = f"?as_of={quote(as_of)}" if as_of else ""
        return RedirectResponse(f"/entity/{quote(first, safe='')}{query}", status_code=303)

    def build(service: ScreeningService) -> dict[str, Any]:
        check_entity_id(entity_id)
        when = parse_as_of(as_of)
        events = hist.history(service.ledger, entity_id)
        try:
            listings = queries.show(service.ledger, entity_id, when)
            absent = None
        except LedgerError as exc:
            listings, absent = [], exc.detail
        marks = data.party_marks(events)
        caption = listings[0].entity.caption if listings else entity_id
        chart = svg.event_timeline(marks, f"Timeline of {caption}", "party-timeline")
        return {"entity_id": entity_id, "caption": caption, "listings": listings, "absent": absent,
                **_party_status(service, entity_id, as_of),
                "events": events, "marks": marks, "chart": chart,
                "names": data.names_by_script(listings), "identifiers": data.identifiers(listings),
                "as_of_date": when, "jurisdiction": queries.jurisdiction}

    return _guard(request, "entity.html", build, form)


def _party_status(service: ScreeningService, entity_id: str, as_of: str | None) -> dict[str, Any]:
    """The status block: the party's state per jurisdiction and its records in other lists."""
    try:
        result = status_dict(service, entity_id, as_of, [])
    except LedgerError as exc:
        return {"party_status": None, "status_error": exc.detail}
    others = [m for m in result["members"] if m["entity_id"] != entity_id]
    return {"party_status": result, "members": others, "current": entity_id, "resolve_hint": RESOLVE_HINT}


@negotiated.get("/diff")
def diff_page(request: Request, from_: Annotated[str | None, Query(alias="from", max_length=20)] = None,
              to: OptStr = None, source: OptStr = None, program: OptStr = None,
              country: OptStr = None) -> HTMLResponse:
    form = {"from": from_ or "", "to": to or "", "source": source or "", "program": program or "",
            "country": country or ""}

    def build(service: ScreeningService) -> dict[str, Any]:
        lists = sorted(service.datasets())
        if not _clean(from_):
            return {"lists": lists, "result": None}
        result = diff_dict(service, from_ or "", _clean(to), [s for s in [_clean(source)] if s],
                           _clean(program), _clean(country))
        shown = result["entries"][:MAX_DIFF_ROWS]
        return {"lists": lists, "result": result, "shown": shown}

    return _guard(request, "diff.html", build, form)


@negotiated.get("/lists")
def lists_page(request: Request, as_of: OptStr = None, source: OptStr = None, program: OptStr = None,
               country: OptStr = None, page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> HTMLResponse:
    form = {"as_of": as_of or "", "source": source or "", "program": program or "", "country": country or ""}

    def build(service: ScreeningService) -> dict[str, Any]:
        result = list_page(service, _clean(as_of), [s for s in [_clean(source)] if s], _clean(program),
                           _clean(country), PAGE, (page - 1) * PAGE)
        pages = max(1, -(-result["total"] // PAGE))
        return {"lists": sorted(service.datasets()), "result": result, "page": page, "pages": pages}

    return _guard(request, "lists.html", build, form)


JurQ = Annotated[list[str], Query(max_length=20)]


def _jurisdictions(between: list[str]) -> list[str]:
    """Checked jurisdictions of a form (``between=us&between=eu``, or ``us,eu``)."""
    return parse_jurisdictions([p for v in between for p in v.split(",") if p.strip()] or None)


@negotiated.get("/status")
def status_page(request: Request, q: OptStr = None, as_of: OptStr = None) -> HTMLResponse:
    form = {"q": q or "", "as_of": as_of or ""}

    def build(service: ScreeningService) -> dict[str, Any]:
        if not _clean(q) or service.is_empty():
            return {"party_status": None}
        result = status_dict(service, (q or "").strip(), _clean(as_of), [])
        return {"party_status": result, "members": result["members"], "current": None,
                "resolve_hint": RESOLVE_HINT}

    return _guard(request, "status.html", build, form)


@negotiated.get("/divergence")
def divergence_page(request: Request, as_of: OptStr = None, country: OptStr = None,
                    program: OptStr = None, between: JurQ = []) -> HTMLResponse:  # noqa: B006
    asked = bool(request.query_params)
    form = {"as_of": as_of or "", "country": country or "", "program": program or "",
            "between": list(ALL_JURISDICTIONS)}

    def build(service: ScreeningService) -> dict[str, Any]:
        form["between"] = _jurisdictions(between)
        if not asked or service.is_empty():
            return {"result": None}
        result = divergence_dict(service, _clean(as_of), _clean(country), _clean(program), between,
                                 limit=MAX_DIFF_ROWS)
        return {"result": result}

    return _guard(request, "divergence.html", build, form)


@negotiated.get("/timeline")
def timeline_page(request: Request, country: OptStr = None, program: OptStr = None,
                  between: JurQ = []) -> HTMLResponse:  # noqa: B006
    form = {"country": country or "", "program": program or "", "between": list(ALL_JURISDICTIONS)}

    def build(service: ScreeningService) -> dict[str, Any]:
        form["between"] = _jurisdictions(between)
        if service.is_empty():
            return {"data": None}
        data = timeline_data(service, country, program, between)
        try:
            chart = Markup(to_svg(data, svg_id="timeline-chart"))
        except NotFoundError:
            chart = None
        return {"data": data, "chart": chart,
                "linking": linking(service), "any_events": bool(list_events(service.ledger))}

    return _guard(request, "timeline.html", build, form)


def mount(app: FastAPI) -> None:
    """Add the pages to ``app``; call before the API routers so negotiated pages match first."""
    from sanctions_ledger.web import monitoring  # its pages build on this module's helpers

    app.include_router(negotiated)
    app.include_router(monitoring.pages)
    app.include_router(monitoring.forms)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
