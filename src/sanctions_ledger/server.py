"""The served application: the HTTP API with the web UI mounted beside it.

``api/`` and ``web/`` never import each other; this module composes them. ``sanctions serve``
starts uvicorn on the factories below by name (``sanctions_ledger.server:serve_app``), so the
CLI needs no import of the apps either; and with the HTTP protocol below
(``sanctions_ledger.server:GuardedHttpToolsProtocol``), which times out half-sent requests.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
from http import HTTPStatus

from fastapi import FastAPI
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from sanctions_ledger.api.app import create_app as create_api
from sanctions_ledger.settings import READ_ONLY_ENV, THREADS_ENV, Settings
from sanctions_ledger.store import Ledger
from sanctions_ledger.web.routes import mount


def create_app(settings: Settings, ledger: Ledger | None = None, *, warm: bool = True,
               web: bool = True) -> FastAPI:
    """The API over ``ledger`` (opened from ``settings.store_path`` when not given), with the web
    pages when ``web``."""
    return create_api(settings, ledger, warm=warm, pages=mount if web else None)


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size cap on each request's head.

    uvicorn times out only an idle keep-alive connection: a client that opens a connection
    and sends nothing, or sends its request line and headers a byte at a time (slowloris),
    holds it forever, and httptools does not bound the headers' size. Here the request line
    and headers must arrive within ``head_timeout`` seconds of the connection (or of the
    request's first byte) and within ``max_head_bytes``; otherwise the connection is
    answered 408 / 431 and closed. The body has its own deadline (``api.middleware``).
    """

    head_timeout = 10.0
    max_head_bytes = 64 * 1024

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_timer: asyncio.TimerHandle | None = None
        self._head_bytes = 0
        super().connection_made(transport)
        self._start_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._head_timer is None:
            self._start_head()

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._stop_head()
        super().on_headers_complete()

    def _start_head(self) -> None:
        self._head_bytes = 0
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_late)

    def _stop_head(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _count_head(self, n: int) -> None:
        self._head_bytes += n
        if self._head_bytes > self.max_head_bytes:
            self._refuse(431, "request header fields too large")

    def _head_late(self) -> None:
        self._head_timer = None
        self._refuse(408, "request line and headers not received in time")

    def _refuse(self, status: int, reason: str) -> None:
        self._stop_head()
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete:
            # No response of an earlier request is being written on this connection.
            body = reason.encode()
            phrase = HTTPStatus(status).phrase.encode()
            self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
                                 b"content-length: %d\r\nconnection: close\r\n\r\n%s"
                                 % (status, phrase, len(body), body))
        self.transport.close()


def serve_app() -> FastAPI:
    """App factory for ``sanctions serve``: settings from the environment (the CLI sets the
    store path). With ``--workers N`` (N > 1) each worker process opens the store read-only
    (DuckDB allows many reading processes, no writer), so admin ingest/update are off and the
    screening index is loaded from the on-disk cache the parent built."""
    settings = Settings()
    read_only = os.environ.get(READ_ONLY_ENV) == "1"
    if read_only:
        settings = dataclasses.replace(settings, admin_token=None)
    ledger = Ledger.open(settings.store_path, read_only=read_only)
    threads = os.environ.get(THREADS_ENV)
    if threads:
        ledger.set_threads(int(threads))
    return create_app(settings, ledger)
