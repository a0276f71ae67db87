"""The request gate: what every request passes before the app works on it (pure ASGI, one
layer, so the hot path pays for one wrapper of ``receive`` and ``send``, not five).

* **Load shedding**: beyond ``max_in_flight`` requests in progress, a request is answered 503
  with ``Retry-After`` at once (health and readiness probes are never shed).
* **Admin first**: an ``/admin/`` request without the admin token is refused (401/403/404)
  before a byte of its body is read or parsed.
* **Body size**: refused early on ``Content-Length``, and while streaming (a chunked body);
  both 413. List files are larger than any query, so ``/admin/`` requests that carry the
  token get ``admin_max_bytes``.
* **Body time**: a body not received within ``body_timeout`` seconds (``upload_timeout`` for
  admin uploads) is answered 408: a client that trickles its body holds no worker forever.
* **Security headers** on every response: ``nosniff``, no framing, the referrer policy and a
  content security policy (the web UI loads only its own stylesheet; FastAPI's ``/docs``
  pages load Swagger UI and ReDoc from their CDN).

Once the gate has answered (413, 408), the app's ``receive`` reports a disconnect so that it
stops reading, and whatever the app then tries to send is dropped.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sanctions_ledger.api.auth import admin_refusal

__all__ = ["GateLimits", "RequestGate"]

NEVER_SHED = frozenset({"/healthz", "/readyz"})
"""Probes answer whatever the load: an orchestrator must still see the process."""
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
CSP = (b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_CSP = (b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            b"script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; "
            b"base-uri 'none'; frame-ancestors 'none'")
"""Swagger UI and ReDoc are served from this server (fastapi-offline's copies), no CDN: their
pages start them with an inline script, so only those pages allow one."""
HEADERS = [*SECURITY_HEADERS, (b"content-security-policy", CSP)]
DOCS_HEADERS = [*SECURITY_HEADERS, (b"content-security-policy", DOCS_CSP)]
RETRY_AFTER = b"1"


@dataclass(frozen=True)
class GateLimits:
    """The gate's limits (from :class:`~sanctions_ledger.settings.Settings`)."""

    max_bytes: int
    admin_max_bytes: int
    admin_token: str | None
    max_in_flight: int
    body_timeout: float
    upload_timeout: float


class RequestGate:
    def __init__(self, app: ASGIApp, limits: GateLimits) -> None:
        self.app = app
        self.limits = limits
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        if path in NEVER_SHED:
            await self.app(scope, receive, self._with_headers(send, HEADERS))
            return
        if self.in_flight >= self.limits.max_in_flight:
            await _answer(send, 503, f"busy: {self.in_flight} requests in progress; retry shortly",
                          [(b"retry-after", RETRY_AFTER)])
            return
        self.in_flight += 1
        try:
            await self._gated(scope, receive, send, path)
        finally:
            self.in_flight -= 1

    async def _gated(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        limits = self.limits
        limit, timeout = limits.max_bytes, limits.body_timeout
        refusal = None
        if path.startswith("/admin/"):
            header = next((v for k, v in scope.get("headers", ()) if k == b"authorization"), None)
            refusal = admin_refusal(limits.admin_token, header)
            if refusal is None:
                limit, timeout = max(limits.admin_max_bytes, limits.max_bytes), limits.upload_timeout
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    await _answer(send, 400, "invalid Content-Length")
                    return
                if size > limit:
                    await _answer(send, 413, _too_large(limit))
                    return
        if refusal is not None:
            await _answer(send, refusal.status, refusal.detail)
            return
        state = _Exchange(send, limit, asyncio.get_running_loop().time() + timeout, timeout)
        out = self._with_headers(state.send, DOCS_HEADERS if path in DOCS_PATHS else HEADERS)
        try:
            await self.app(scope, state.receiver(receive), out)
        except Exception:
            if not state.answered:
                raise
            # The gate answered; the app failed on the disconnect it was given instead.

    @staticmethod
    def _with_headers(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *headers]
            await send(message)
        return sending


class _Exchange:
    """One request's body as the gate lets it through, and whether the gate answered it."""

    def __init__(self, send: Send, limit: int, deadline: float, timeout: float) -> None:
        """``deadline``: the event loop's time by which the body must be in."""
        self.raw_send = send
        self.limit = limit
        self.deadline = deadline
        self.timeout = timeout
        self.seen = 0
        self.body_done = False
        self.started = False
        self.answered = False

    def receiver(self, receive: Receive) -> Receive:
        async def receiving() -> Message:
            if self.answered:
                return {"type": "http.disconnect"}
            if self.body_done:
                return await receive()  # after the body: only a disconnect can come
            try:
                async with asyncio.timeout_at(self.deadline):
                    message = await receive()
            except TimeoutError:
                return await self._refuse(408, f"request body not received within {self.timeout:g} s")
            if message["type"] == "http.request":
                self.seen += len(message.get("body", b""))
                if self.seen > self.limit:
                    return await self._refuse(413, _too_large(self.limit))
                self.body_done = not message.get("more_body", False)
            return message
        return receiving

    async def _refuse(self, status: int, detail: str) -> Message:
        if not self.started:
            # and close the connection: the rest of the body may still be on its way
            await _answer(self.raw_send, status, detail, [(b"connection", b"close")])
        self.answered = True
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.answered:
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self.raw_send(message)


def _too_large(limit: int) -> str:
    return f"request body larger than {limit} bytes"


async def _answer(send: Send, status: int, detail: str,
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = orjson.dumps({"detail": detail})
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            *(headers or ()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
