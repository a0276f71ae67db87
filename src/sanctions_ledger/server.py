"""The served application: the HTTP API with the web UI mounted beside it.

``api/`` and ``web/`` never import each other; this module composes them. ``sanctions serve``
starts uvicorn on the factories below by name (``sanctions_ledger.server:serve_app``), so the
CLI needs no import of the apps either.
"""

from __future__ import annotations

import dataclasses
import os

from fastapi import FastAPI

from sanctions_ledger.api.app import create_app as create_api
from sanctions_ledger.settings import READ_ONLY_ENV, THREADS_ENV, Settings
from sanctions_ledger.store import Ledger
from sanctions_ledger.web.routes import mount


def create_app(settings: Settings, ledger: Ledger | None = None, *, warm: bool = True,
               web: bool = True) -> FastAPI:
    """The API over ``ledger`` (opened from ``settings.store_path`` when not given), with the web
    pages when ``web``."""
    return create_api(settings, ledger, warm=warm, pages=mount if web else None)


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
