"""The app factory and the one table that maps errors to HTTP responses."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from sanctions_ledger.api.deps import JSONBytes
from sanctions_ledger.api.middleware import GateLimits, RequestGate
from sanctions_ledger.api.routes import admin, entities, licences, match, parties, system
from sanctions_ledger.api.routes import exports as exports_routes
from sanctions_ledger.api.routes import ledger as ledger_routes
from sanctions_ledger.api.routes import monitoring as monitoring_routes
from sanctions_ledger.errors import LedgerError, UnavailableError
from sanctions_ledger.screening.screener import Screener
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger

log = logging.getLogger(__name__)

DESCRIPTION = """Every official sanctions list, every version, screened and queryable by date.

`POST /match/{dataset}` speaks yente's (OpenSanctions) request and response format, so yente
clients work unchanged; `as_of` screens against the lists as they stood on any past date.
The ledger endpoints (`/lists`, `/diff`, `/entities/{id}/history`) answer who was listed
when, and what changed; the cross-list endpoints (`/status`, `/divergence`, `/timeline`,
`/parties/{id}`) link one party's records across the US, EU, UK and UN lists. Errors are always `{"detail": "..."}`."""


def _validation_detail(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{loc}: {err.get('msg', 'invalid')}" if loc else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "invalid request"


async def _ledger_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LedgerError)
    if exc.status >= 500:
        log.error("request failed: %s", exc.detail)
    retry = exc.retry_after if isinstance(exc, UnavailableError) else None
    return JSONBytes({"detail": exc.detail}, status_code=exc.status,
                     headers={"retry-after": str(retry)} if retry is not None else None)


async def _validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return JSONBytes({"detail": _validation_detail(exc)}, status_code=422)


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JSONBytes({"detail": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)


async def _unexpected(_request: Request, exc: Exception) -> Response:
    log.exception("unexpected error", exc_info=exc)
    return JSONBytes({"detail": "internal error; see the server log"}, status_code=500)


ERROR_HANDLERS: dict[type[Exception], Callable[[Request, Exception], Awaitable[Response]]] = {
    LedgerError: _ledger_error,
    RequestValidationError: _validation_error,
    HTTPException: _http_error,
    Exception: _unexpected,
}
"""Every error the app can raise, and how it is answered: one place, never a stack trace."""


def create_app(settings: Settings, ledger: Ledger | None = None, *, warm: bool = True,
               pages: Callable[[FastAPI], None] | None = None) -> FastAPI:
    """The HTTP API over ``ledger`` (opened from ``settings.store_path`` when not given).

    ``warm`` builds the screening index of the latest lists in a background thread at start-up
    (``/readyz`` says when it is ready). ``pages`` adds other routes (the web UI: see
    ``sanctions_ledger.server``) after ``/match`` and before the other API routes, so that a
    page negotiated by its ``Accept`` header is tried before the JSON endpoint of its path.
    """
    own = ledger is None
    if ledger is None:
        ledger = Ledger.open(settings.store_path)
    ledger.tune_for_server()
    screener = Screener(ledger, settings.index_cache_dir if ledger.path is not None else None)
    service = ScreeningService(settings, ledger, screener)
    service.warming = warm

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warming = threading.Thread(target=service.warm, name="index-warm", daemon=True)
        if warm:
            warming.start()
        yield
        # The warm-up reads the ledger in its own thread: wait for it before the ledger closes
        # under it (a DuckDB query on a closed connection fails in C++; at interpreter exit a
        # daemon thread still inside DuckDB aborts the process).
        if warming.is_alive():
            await asyncio.to_thread(warming.join)
        if own:
            ledger.close()

    # The API docs (/docs, /redoc) load Swagger UI and ReDoc from this server, not from a CDN:
    # they work offline and behind a firewall (fastapi-offline ships the assets).
    app = FastAPIOffline(title="Sanctions Ledger", version="0.1.0", description=DESCRIPTION,
                         lifespan=lifespan, exception_handlers=ERROR_HANDLERS)
    app.state.service = service
    app.state.settings = settings
    # /match first: it is the hot path, and routes are tried in order (no page shares its path).
    app.include_router(match.router)
    if pages is not None:
        pages(app)
    app.include_router(monitoring_routes.router)  # /books, /alerts (pages negotiate first)
    for router in (entities.router, ledger_routes.router, parties.router, system.router,
                   admin.router):
        app.include_router(router)
    app.include_router(licences.router)
    app.include_router(exports_routes.router)  # /exports: the dataset index yente loads
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(RequestGate, limits=GateLimits(
        max_bytes=settings.max_body_bytes, admin_max_bytes=settings.download_max_bytes,
        admin_token=settings.admin_token, max_in_flight=settings.max_in_flight,
        body_timeout=settings.body_timeout, upload_timeout=settings.upload_timeout))
    return app
