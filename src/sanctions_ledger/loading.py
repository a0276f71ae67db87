"""Loading lists into the ledger for the service: every list file under a folder, or the
official downloads (``sources.download``, when this build has it)."""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sanctions_ledger import resolve
from sanctions_ledger.errors import LedgerError, SourceError
from sanctions_ledger.settings import Settings
from sanctions_ledger.sources import detect
from sanctions_ledger.store import IngestReport, Ledger, ingest
from sanctions_ledger.vocab import PARTY_SCHEMAS

log = logging.getLogger(__name__)

SKIP_NAMES = ("readme", "sha256sums", "license", "licence")


def find_list_files(root: Path) -> list[Path]:
    """Every file or file set under ``root`` whose format is recognised, in path order.

    A folder that is itself a snapshot (an OFAC CSV set) is taken whole; READMEs, checksum
    files, manifests and files of unknown format are skipped.
    """
    root = Path(root)
    if not root.exists():
        raise SourceError("no such file or directory", str(root))
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here != root and _recognised(here):
            found.append(here)
            dirnames.clear()
            continue
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().startswith(SKIP_NAMES) or name.startswith("."):
                continue
            path = here / name
            if _recognised(path):
                found.append(path)
    if root.is_file() and _recognised(root):
        found.append(root)
    return found


def _recognised(path: Path) -> bool:
    try:
        detect(path)
    except SourceError:
        return False
    return True


def ingest_folder(ledger: Ledger, root: Path,
                  report: Callable[[str], None] | None = None) -> list[IngestReport]:
    """Ingest every recognised list under ``root``; a file that fails is reported and skipped."""
    out = []
    for path in find_list_files(root):
        try:
            rep = ingest(ledger, path)
        except LedgerError as exc:
            if report:
                report(f"skipped {path}: {exc.detail}")
            continue
        out.append(rep)
        if report:
            report(rep.summary())
    return out


RESOLVE_HINT = ("records are not linked across lists yet: run `sanctions resolve` (or start the "
                "service with `sanctions serve --from DIR`, which links after ingesting)")


def linking_state(ledger: Ledger) -> dict[str, Any]:
    """Has ``sanctions resolve`` linked the records, and how many arrived since it last ran?"""
    rows = ledger.query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'resolve_runs'")
    if not (rows and rows[0][0]):
        return {"linked": False, "last_run": None, "unlinked_records": 0, "note": RESOLVE_HINT}
    last = ledger.query("SELECT max(run_at) FROM resolve_runs")[0][0]
    waiting = int(ledger.query(
        "SELECT count(DISTINCT entity_id) FROM statements WHERE prop = '$schema' "
        "AND list_contains(?, schema) AND entity_id NOT IN (SELECT entity_id FROM party_members)",
        [list(PARTY_SCHEMAS)])[0][0])
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
    if not ledger.query("SELECT 1 FROM snapshots LIMIT 1"):
        return None
    if report:
        report("linking records across lists (sanctions resolve)…")
    rep = resolve.resolve(ledger)
    if report:
        report(rep.summary())
    return rep


UPDATE_SOURCES = ("ofac-sdn", "ofac-cons", "us-csl", "eu-fsf", "uk-fcdo", "un")
"""Official sources fetched by ``--update`` / ``POST /admin/update`` (one format per list)."""


def update(ledger: Ledger, settings: Settings, mirror: str | None = None,
           report: Callable[[str], None] | None = None,
           sources: tuple[str, ...] = UPDATE_SOURCES) -> list[IngestReport]:
    """Download each official list (``sources.download.fetch``) next to the store and ingest it.

    A source that fails is reported and skipped; only when every source fails is it an error.
    """
    try:
        download = importlib.import_module("sanctions_ledger.sources.download")
    except ImportError as exc:
        raise LedgerError("downloading lists is not available in this build "
                          "(sanctions_ledger.sources.download is missing): load files with "
                          "`sanctions ingest PATH` or `sanctions serve --from DIR`", 501) from exc
    today = datetime.now(UTC).date().isoformat()
    root = settings.store_path.parent / "downloads"
    out: list[IngestReport] = []
    failures: list[str] = []
    for name in sources:
        source: Any = download.OFFICIAL_SOURCES[name]
        dest = root / name / today
        try:
            files = download.fetch(name, dest, mirror=mirror, timeout=settings.download_timeout,
                                   retries=settings.download_retries, max_bytes=settings.download_max_bytes)
            target = files[0].path if len(files) == 1 else dest
            rep = ingest(ledger, target, kind=source.parser, observed_at=today)
        except LedgerError as exc:
            failures.append(f"{name}: {exc.detail}")
            if report:
                report(f"skipped {name}: {exc.detail}")
            continue
        out.append(rep)
        if report:
            report(rep.summary())
    if failures and not out:
        raise LedgerError("no list could be updated: " + "; ".join(failures), 502)
    return out
