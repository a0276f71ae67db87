"""Sanctions Ledger: every official sanctions list, every version, screened and queryable by date.

The public library API; the CLI, HTTP API and web UI are thin layers over these names.
The submodules ``history`` (``history.history(ledger, id)``) and ``queries``
(``queries.sources(ledger)``) keep their own names.

The names that need the store, the parsers or the matcher are imported on first use (PEP 562):
``import sanctions_ledger``, and so the ``sanctions`` command's start-up, loads neither duckdb
nor followthemoney (``sanctions --help`` in 0.1 s instead of 2 s).
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from sanctions_ledger.errors import (
    DownloadError,
    InputError,
    LedgerError,
    MatchError,
    NotFoundError,
    SourceError,
    StoreError,
)
from sanctions_ledger.settings import Settings

if _typing.TYPE_CHECKING:  # pragma: no cover - what __getattr__ imports, for type checkers
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

_LAZY = {
    "ChangeEvent": "history", "Diff": "history", "diff": "history",
    "Hit": "match", "MatchIndex": "match", "Query": "match", "compare": "match",
    "list_parties": "queries", "show": "queries",
    "Screener": "screening.screener", "ScreenResult": "screening.screener",
    "screen": "screening.screener", "screen_file": "screening.screener",
    "screen_many": "screening.screener",
    "IngestReport": "store", "Ledger": "store", "LedgerView": "store", "ingest": "store",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
