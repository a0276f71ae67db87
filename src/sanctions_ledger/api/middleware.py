"""A pure-ASGI request body cap: refuses early on Content-Length, and while streaming.

List files are larger than any query, so ``/admin/`` requests that carry the admin token get
``admin_max_bytes``; everyone else gets ``max_bytes`` before a single byte is parsed.
"""

from __future__ import annotations

import hmac

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, admin_max_bytes: int = 0,
                 admin_token: str | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.admin_max_bytes = max(admin_max_bytes, max_bytes)
        self.admin_header = f"Bearer {admin_token}".encode() if admin_token else None

    def _limit(self, scope: Scope) -> int:
        if self.admin_header and str(scope.get("path", "")).startswith("/admin/"):
            for name, value in scope.get("headers", ()):
                if name == b"authorization" and hmac.compare_digest(value, self.admin_header):
                    return self.admin_max_bytes
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    await self._refuse(send, 400, "invalid Content-Length")
                    return
                if size > limit:
                    await self._refuse(send, 413, self._detail(limit))
                    return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, 413, self._detail(limit))

    @staticmethod
    def _detail(limit: int) -> str:
        return f"request body larger than {limit} bytes"

    @staticmethod
    async def _refuse(send: Send, status: int, detail: str) -> None:
        body = orjson.dumps({"detail": detail})
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
