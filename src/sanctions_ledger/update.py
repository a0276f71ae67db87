"""Fetch the official lists (or a mirror of them) and ingest them: `sanctions update`."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sanctions_ledger.errors import InputError
from sanctions_ledger.settings import Settings
from sanctions_ledger.sources.download import OFFICIAL_SOURCES, FetchedFile, fetch
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.writer import IngestReport, ingest

# Sources fetched when none is named: one file set per list (the XML twins of the CSV sets
# and the ~100 MB enhanced XML are fetched only on request).
DEFAULT_SOURCES = ("ofac-sdn", "ofac-cons", "us-csl", "eu-fsf", "uk-fcdo", "un")


@dataclass
class UpdateResult:
    source: str
    files: list[FetchedFile]
    report: IngestReport

    def summary(self) -> str:
        got = ", ".join(f"{f.name} {f.size:,} B sha256 {f.sha256[:12]}…" for f in self.files)
        return f"{self.source}: fetched {got}\n  {self.report.summary()}"


def update(ledger: Ledger, sources: Collection[str] | None = None, *, mirror: str | None = None,
           settings: Settings | None = None, download_dir: Path | None = None,
           token: str | None = None) -> list[UpdateResult]:
    """Download each source (all files or none), then ingest it in one transaction."""
    settings = settings or Settings()
    names = list(sources) if sources else list(DEFAULT_SOURCES)
    unknown = [n for n in names if n not in OFFICIAL_SOURCES]
    if unknown:
        raise InputError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(OFFICIAL_SOURCES))}")
    today = datetime.now(UTC).date()
    base = download_dir or settings.store_path.parent / "downloads"
    results = []
    for name in names:
        dest = base / name / datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
        files = fetch(name, dest, mirror=mirror, timeout=settings.download_timeout,
                      retries=settings.download_retries, max_bytes=settings.download_max_bytes,
                      token=token)
        target = dest if len(files) > 1 else files[0].path
        report = ingest(ledger, target, kind=OFFICIAL_SOURCES[name].parser, observed_at=today)
        results.append(UpdateResult(name, files, report))
    return results
