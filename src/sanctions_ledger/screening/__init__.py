"""Screening: one screening service over the ledger (``ScreeningService``, with one index
cache keyed by the snapshot ids it indexes), the library's ``Screener`` on top of it, and
bulk files on local cores or Spark (``engines/``), all running one plan."""

from sanctions_ledger.screening.bulk import BulkReport
from sanctions_ledger.screening.results import ScreenHit, ScreenResult
from sanctions_ledger.screening.screener import Screener, screen, screen_file, screen_many
from sanctions_ledger.screening.service import ScreeningService

__all__ = [
    "BulkReport",
    "ScreenHit",
    "ScreenResult",
    "Screener",
    "ScreeningService",
    "screen",
    "screen_file",
    "screen_many",
]
