"""Loading lists into the ledger: every list file under a folder, or the official downloads
(``sources.download``), and linking the records across lists afterwards. The CLI, the server
and the admin API all load through here."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sanctions_ledger import resolve
from sanctions_ledger.errors import InputError, LedgerError, SourceError
from sanctions_ledger.settings import Settings
from sanctions_ledger.sources import detect
from sanctions_ledger.sources.download import OFFICIAL_SOURCES, FetchedFile, fetch
from sanctions_ledger.store import IngestReport, Ledger, ingest
from sanctions_ledger.store.links import linking_counts

log = logging.getLogger(__name__)

SKIP_NAMES = ("readme", "sha256sums", "license", "licence")


@dataclass
class FolderScan:
    """What a walk of a folder found: the list files (or file sets) in path order, and every
    other file with the reason it was left out, so that a user sees why a file was not loaded."""

    found: list[Path]
    skipped: list[tuple[Path, str]]


def scan_list_files(root: Path) -> FolderScan:
    """Every file or file set under ``root`` whose format is recognised, and the rest with why.

    A folder that is itself a snapshot (an OFAC CSV set) is taken whole; READMEs, checksum
    files, hidden files and files of unknown format are skipped.
    """
    root = Path(root)
    if not root.exists():
        raise SourceError("no such file or directory", str(root))
    if root.is_file():
        why = _unrecognised(root)
        return FolderScan([], [(root, why)]) if why else FolderScan([root], [])
    scan = FolderScan([], [])
    members: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here != root and not _unrecognised(here):
            scan.found.append(here)
            dirnames.clear()
            continue
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if name.startswith("."):
                scan.skipped.append((path, "hidden file"))
            elif name.lower().startswith(SKIP_NAMES):
                scan.skipped.append((path, "not a list (README, checksums or licence)"))
            elif why := _unrecognised(path):
                scan.skipped.append((path, why))
            else:
                scan.found.append(path)
                members.update(detect(path).members(path))
    # The other files of a file set (an OFAC sdn.csv's add.csv, alt.csv ...) are read with it.
    scan.skipped = [(p, why) for p, why in scan.skipped if p not in members]
    return scan


def find_list_files(root: Path) -> list[Path]:
    """Every file or file set under ``root`` whose format is recognised, in path order."""
    return scan_list_files(root).found


def _unrecognised(path: Path) -> str:
    """Why no parser reads ``path`` (empty when one does)."""
    try:
        detect(path)
    except SourceError as exc:
        return "unrecognised format" if "unrecognised format" in exc.detail else exc.detail
    return ""


def ingest_folder(ledger: Ledger, root: Path, report: Callable[[str], None] | None = None, *,
                  observed_at: date | str | None = None, force: bool = False,
                  allow_lists: Collection[str] = ()) -> list[IngestReport]:
    """Ingest every recognised list under ``root`` (``sanctions ingest DIR`` and
    ``serve --from DIR``); every file left out, and every file that fails (the release guard's
    refusals included), is reported with why. ``force`` and ``allow_lists``: see
    :func:`sanctions_ledger.store.append`."""
    scan = scan_list_files(root)
    out = []
    for path, why in scan.skipped:
        if report:
            report(f"skipped {path}: {why}")
    for path in scan.found:
        try:
            rep = ingest(ledger, path, observed_at=observed_at, force=force, allow_lists=allow_lists)
        except LedgerError as exc:
            if report:
                report(f"skipped {path}: {exc.detail}")
            continue
        out.append(rep)
        if report:
            report(rep.summary())
    return out


def ingest_path(ledger: Ledger, path: Path, *, kind: str | None = None,
                 observed_at: date | str | None = None, progress: Callable[[int], None] | None = None,
                 report: Callable[[str], None] | None = None, force: bool = False,
                 allow_lists: Collection[str] = ()) -> list[IngestReport]:
    """``sanctions ingest PATH``: a list file or a file set's folder is ingested as one snapshot
    (an error is raised as it is); any other folder is walked as ``serve --from`` walks it, and
    it is an error only when no list under it could be ingested."""
    if kind is not None or path.is_file() or not _unrecognised(path):
        rep = ingest(ledger, path, kind=kind, observed_at=observed_at, progress=progress,
                     force=force, allow_lists=allow_lists)
        if report:
            report(rep.summary())
        return [rep]
    reports = ingest_folder(ledger, path, report=report, observed_at=observed_at, force=force,
                            allow_lists=allow_lists)
    if not reports:
        raise InputError(f"{path}: no list file could be ingested from this folder "
                         "(see the skipped files above; `sanctions formats` lists the formats)")
    return reports


RESOLVE_HINT = ("records are not linked across lists yet: run `sanctions resolve` (or start the "
                "service with `sanctions serve --from DIR`, which links after ingesting)")


def linking_state(ledger: Ledger) -> dict[str, Any]:
    """Has ``sanctions resolve`` linked the records, and how many arrived since it last ran?"""
    last, waiting = linking_counts(ledger)
    note = (f"{waiting} record(s) ingested since the last linking run are parties of their own "
            "until `sanctions resolve` runs again" if waiting else "")
    return {"linked": last is not None, "last_run": last.isoformat() if last else None,
            "unlinked_records": waiting, "note": note if last is not None else RESOLVE_HINT}


def link_parties(ledger: Ledger, report: Callable[[str], None] | None = None) -> resolve.ResolveReport | None:
    """Link records across lists (``resolve.resolve``) when some are not linked yet; None when
    every record already belongs to a party (nothing to do) or the ledger is empty."""
    state = linking_state(ledger)
    if state["linked"] and not state["unlinked_records"]:
        return None
    if not ledger.has_snapshots():
        return None
    if report:
        report("linking records across lists (sanctions resolve)…")
    rep = resolve.resolve(ledger)
    if report:
        report(rep.summary())
    return rep


DEFAULT_SOURCES = ("ofac-sdn", "ofac-cons", "us-csl", "eu-fsf", "uk-fcdo", "un")
"""Sources fetched when none is named: one file set per list (the XML twins of the CSV sets
and the ~100 MB enhanced XML are fetched only on request)."""


@dataclass
class UpdateResult:
    """One official source fetched and ingested."""

    source: str
    files: list[FetchedFile]
    report: IngestReport

    def summary(self) -> str:
        got = ", ".join(f"{f.name} {f.size:,} B sha256 {f.sha256[:12]}…" for f in self.files)
        return f"{self.source}: fetched {got}\n  {self.report.summary()}"


def update(ledger: Ledger, sources: Collection[str] | None = None, *, mirror: str | None = None,
           settings: Settings | None = None, download_dir: Path | None = None,
           token: str | None = None, keep_going: bool = False, force: bool = False,
           report: Callable[[str], None] | None = None, checksums: str | None = None) -> list[UpdateResult]:
    """Download each official source (all its files or none) next to the store, then ingest it
    in one transaction: ``sanctions update``, ``serve --update`` and ``POST /admin/update``.

    By default the first source that fails stops the update with its error. With
    ``keep_going`` (the server) a failing source is reported and skipped, and only when every
    source fails is it an error. ``checksums`` (a URL or a file) holds the publisher's SHA-256
    values of the sources' files, e.g. OFAC's hash values page: every file must match it.
    """
    settings = settings or Settings()
    names = list(sources) if sources else list(DEFAULT_SOURCES)
    unknown = [n for n in names if n not in OFFICIAL_SOURCES]
    if unknown:
        raise InputError(f"unknown source(s) {', '.join(unknown)}; known: "
                         f"{', '.join(sorted(OFFICIAL_SOURCES))}")
    now = datetime.now(UTC)
    base = download_dir or settings.store_path.parent / "downloads"
    results: list[UpdateResult] = []
    failures: list[str] = []
    for name in names:
        dest = base / name / now.strftime("%Y-%m-%dT%H%M%S")
        try:
            files = fetch(name, dest, mirror=mirror, timeout=settings.download_timeout,
                          retries=settings.download_retries, max_bytes=settings.download_max_bytes,
                          token=token, checksums=checksums)
            target = dest if len(files) > 1 else files[0].path
            # An official download names its own list: the release guard still checks how much
            # of the list it would remove (``force`` overrides that, never the source).
            rep = ingest(ledger, target, kind=OFFICIAL_SOURCES[name].parser, observed_at=now.date(),
                         force=force)
        except LedgerError as exc:
            if not keep_going:
                raise
            failures.append(f"{name}: {exc.detail}")
            if report:
                report(f"skipped {name}: {exc.detail}")
            continue
        results.append(UpdateResult(name, files, rep))
    if failures and not results:
        raise LedgerError("no list could be updated: " + "; ".join(failures), 502)
    return results
