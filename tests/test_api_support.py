"""Shared by the cross-list API, page and browser tests (no tests of its own): the linked ledger
of the library tests (``tests.test_resolve_support``: four real snapshots ingested and linked
once per test process) with the built-in Belarus events imported, and one app over it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi import FastAPI

from sanctions_ledger.jurisdictions.events import import_events
from sanctions_ledger.server import create_app
from sanctions_ledger.settings import Settings
from tests.test_resolve_support import linked_ledger

_lock = threading.Lock()
_apps: dict[Path, FastAPI] = {}


def linked_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The service over the linked ledger (same folder as the library tests use, so one build)."""
    base = tmp_path_factory.getbasetemp() / "issue5"
    ledger = linked_ledger(base)
    with _lock:
        if base not in _apps:
            import_events(ledger, builtin="belarus")
            settings = Settings(store_path=base / "linked.duckdb", admin_token=None)
            _apps[base] = create_app(settings, ledger, warm=False)
        return _apps[base]
