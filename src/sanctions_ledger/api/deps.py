"""Request helpers shared by the routers: the service, fast JSON responses, admin auth."""

from __future__ import annotations

import hmac
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from sanctions_ledger.errors import LedgerError
from sanctions_ledger.screening.service import ScreeningService


class JSONBytes(Response):
    """orjson-encoded JSON; the routes build plain dicts so the hot path skips pydantic."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def service_of(request: Request) -> ScreeningService:
    service: ScreeningService = request.app.state.service
    return service


async def get_service(request: Request) -> ScreeningService:
    """The routes' dependency; async so that FastAPI does not run it on a worker thread (a
    thread hop per request, about a tenth of a /match request's time)."""
    return service_of(request)


def require_admin(request: Request) -> None:
    token = service_of(request).settings.admin_token
    if not token:
        raise LedgerError("admin endpoints are disabled: set SANCTIONS_LEDGER_ADMIN_TOKEN to enable them",
                          404)
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise LedgerError("admin endpoints need 'Authorization: Bearer <token>'", 401)
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise LedgerError("invalid admin token", 403)
