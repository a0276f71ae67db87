"""Request helpers shared by the routers: the service, fast JSON responses, admin auth."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from sanctions_ledger.api.auth import admin_refusal
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
    """The admin endpoints' dependency (the request gate has already refused a request
    without the token before its body was read; this keeps each route safe on its own)."""
    refusal = admin_refusal(service_of(request).settings.admin_token, request.headers.get("authorization"))
    if refusal is not None:
        raise refusal
