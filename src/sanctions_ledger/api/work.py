"""How a route runs screening work that may be long: admitted against the service's bound on
pending work, in a worker thread, and stopped between names once the client has gone or the
server-side deadline has passed (a thread cannot be killed: the work checks and stops)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from sanctions_ledger.api.lane import screening_lane
from sanctions_ledger.errors import LedgerError, UnavailableError
from sanctions_ledger.screening.service import ScreeningService

__all__ = ["CLIENT_GONE", "Check", "guarded"]

T = TypeVar("T")
Check = Callable[[], None]
CLIENT_GONE = 499
"""The status of work stopped because the client disconnected (nobody reads it)."""


async def guarded(request: Request, service: ScreeningService, units: int,
                  work: Callable[[Check], T], *, inline: bool = False) -> T:
    """``work(check)`` admitted for ``units`` of work (name characters); ``check()`` raises
    once the client has disconnected or ``request_timeout`` has passed. ``inline`` runs it on
    the event loop (work of a millisecond or two costs less than a thread hop), one job per
    pass of the loop (:mod:`.lane`): cheap requests do not queue behind a pass of screening."""
    admission = service.admission
    admission.take(units)
    try:
        if inline:
            async with screening_lane():
                return work(_no_check)
        timeout = service.settings.request_timeout
        deadline = time.monotonic() + timeout
        gone = threading.Event()

        def check() -> None:
            if gone.is_set():
                raise LedgerError("the client disconnected; the work was stopped", CLIENT_GONE)
            if time.monotonic() > deadline:
                raise UnavailableError(f"the request took longer than {timeout:g} s and was stopped: "
                                       "send fewer or shorter names", retry_after=1)

        watcher = asyncio.ensure_future(_watch(request, gone))
        try:
            return await run_in_threadpool(work, check)
        finally:
            watcher.cancel()
    finally:
        admission.give_back(units)


def _no_check() -> None:
    return None


async def _watch(request: Request, gone: threading.Event) -> None:
    """Wait for the client to disconnect (the body has been read: nothing else can come)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            gone.set()
            return
