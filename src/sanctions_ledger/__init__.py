"""Sanctions Ledger: every official sanctions list, every version, screened and queryable by date.

The public library API; the CLI, HTTP API and web UI are thin layers over these names.
"""

from __future__ import annotations

from sanctions_ledger.errors import (
    DownloadError,
    InputError,
    LedgerError,
    MatchError,
    NotFoundError,
    SourceError,
    StoreError,
)
from sanctions_ledger.history import Diff, Event, diff, history
from sanctions_ledger.match import Hit, MatchIndex, Query, compare
from sanctions_ledger.queries import list_parties, show, sources
from sanctions_ledger.screen import Screener, ScreenResult, screen_file
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import IngestReport, Ledger, LedgerView, ingest

__version__ = "0.1.0"

__all__ = [
    "Diff",
    "DownloadError",
    "Event",
    "Hit",
    "IngestReport",
    "InputError",
    "Ledger",
    "LedgerError",
    "LedgerView",
    "MatchError",
    "MatchIndex",
    "NotFoundError",
    "Query",
    "ScreenResult",
    "Screener",
    "Settings",
    "SourceError",
    "StoreError",
    "__version__",
    "compare",
    "diff",
    "history",
    "ingest",
    "list_parties",
    "screen_file",
    "show",
    "sources",
]
