"""The library's screening API: :class:`Screener` (one ledger's index cache, in memory and on
disk, and the screening service over it) and the functions :func:`screen`,
:func:`screen_many` and :func:`screen_file`.

A screener screens through a :class:`~sanctions_ledger.screening.service.ScreeningService`:
the first one built over it (the server's, which then shares its caches with the status
lookup by name), or its own when it is used alone (the library, the CLI).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import date
from pathlib import Path

from sanctions_ledger.match import MatchIndex, Query
from sanctions_ledger.screening import bulk
from sanctions_ledger.screening.bulk import BulkReport
from sanctions_ledger.screening.indexes import IndexCache, matcher_fingerprint
from sanctions_ledger.screening.results import ScreenHit, ScreenResult, source_id
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger, LedgerView, parse_date

__all__ = ["BulkReport", "ScreenHit", "ScreenResult", "Screener", "matcher_fingerprint", "screen",
           "screen_file", "screen_many", "source_id"]


class Screener:
    """Screens ``ledger`` against one index per set of standing snapshots, built once (or
    loaded from ``cache_dir``) and kept for the ``max_cached`` most recent sets."""

    def __init__(self, ledger: Ledger, cache_dir: Path | None = None, max_cached: int = 4) -> None:
        self.ledger = ledger
        self.cache_dir = cache_dir
        self.indexes = IndexCache(ledger, cache_dir, max_cached)
        self._service: ScreeningService | None = None

    def adopt(self, service: ScreeningService) -> None:
        """Screen through ``service`` (built over this screener) unless one was chosen before."""
        if self._service is None:
            self._service = service

    @property
    def service(self) -> ScreeningService:
        """The screening service this screener screens through (its own when none adopted it)."""
        if self._service is None:
            settings = Settings(store_path=self.ledger.path) if self.ledger.path else Settings()
            ScreeningService(settings, self.ledger, self)  # adopts itself
        assert self._service is not None
        return self._service

    def index_file(self, as_of: date | str | None = None) -> tuple[Path, list[str]]:
        """The on-disk index for the lists as of a date (built if needed), for bulk engines."""
        return self.service.index_file(parse_date(as_of, "as_of"))

    def index_for(self, view: LedgerView) -> tuple[MatchIndex, list[str]]:
        """The index of the lists standing on the view's date, and their snapshot ids."""
        service = self.service
        return service.index(view.as_of), service.snapshot_ids(view.as_of, view.datasets or None)

    def screen(self, query: Query, *, as_of: date | str | None = None,
               datasets: Collection[str] | None = None, limit: int = 10,
               threshold: float = 0.0, with_sanctions: bool = True) -> ScreenResult:
        return self.service.screen(query, as_of=parse_date(as_of, "as_of"), datasets=datasets, limit=limit,
                                   threshold=threshold, with_sanctions=with_sanctions)


def _service(screener: Screener | ScreeningService) -> ScreeningService:
    return screener.service if isinstance(screener, Screener) else screener


def screen_file(screener: Screener | ScreeningService, input_path: Path, output_path: Path, *,
                as_of: date | str | None = None, datasets: Collection[str] | None = None,
                limit: int = 10, floor: float = 0.5, engine: str = "local",
                workers: int | None = None, progress: Callable[[int], None] | None = None) -> BulkReport:
    """Screen every query of a CSV / JSON lines / Parquet file; write ranked hits atomically."""
    return bulk.screen_file(_service(screener), input_path, output_path, as_of=parse_date(as_of, "as_of"),
                            datasets=datasets, limit=limit, floor=floor, engine=engine, workers=workers,
                            progress=progress)


def screen(ledger: Ledger, query: Query | str, *, as_of: date | str | None = None,
           datasets: Collection[str] | None = None, limit: int = 10, threshold: float = 0.0,
           cache_dir: Path | None = None) -> ScreenResult:
    """Screen one name (or :class:`Query`) against the lists as of a date."""
    q = Query(query) if isinstance(query, str) else query
    return Screener(ledger, cache_dir=cache_dir).screen(q, as_of=as_of, datasets=datasets, limit=limit,
                                                        threshold=threshold)


def screen_many(screener: Screener | ScreeningService, queries: Iterable[Query | str], *,
                as_of: date | str | None = None, datasets: Collection[str] | None = None,
                limit: int = 10, threshold: float = 0.0) -> Iterator[ScreenResult]:
    """Screen many queries in this process against one index (see :func:`screen_file` for
    files and all cores)."""
    service, when = _service(screener), parse_date(as_of, "as_of")
    for query in queries:
        q = Query(query) if isinstance(query, str) else query
        yield service.screen(q, as_of=when, datasets=datasets, limit=limit, threshold=threshold)
