"""Sanctions Ledger: every official sanctions list, every version, screened and queryable by date.

The public library API; the CLI, HTTP API and web UI are thin layers over these names.
The submodules ``history`` (``history.history(ledger, id)``) and ``queries``
(``queries.sources(ledger)``) keep their own names.
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
from sanctions_ledger.history import ChangeEvent, Diff, diff
from sanctions_ledger.match import Hit, MatchIndex, Query, compare
from sanctions_ledger.queries import list_parties, show
from sanctions_ledger.screening.screener import (
    Screener,
    ScreenResult,
    screen,
    screen_file,
    screen_many,
)
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import IngestReport, Ledger, LedgerView, ingest

__version__ = "0.1.0"

__all__ = [
    "ChangeEvent",
    "Diff",
    "DownloadError",
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
    "ingest",
    "list_parties",
    "screen",
    "screen_file",
    "screen_many",
    "show",
]
