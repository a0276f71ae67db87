"""Shared by the licence tests (no tests of its own): the linked ledger of the cross-list tests
(``tests.test_resolve_support``), copied, with the three partial OFAC file sets ingested and
the built-in Belarus licences and events imported: "all shared data plus the built-in files"
as far as the questions of issue 17 go (SDN 2019 and 2021, the 2022 EU/UK/US compilation, the
UN list, the partial OFAC files of 2024-01-08, 2025-01-06 and 2025-12-24)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

from sanctions_ledger.jurisdictions.events import import_events
from sanctions_ledger.jurisdictions.licences import import_licences
from sanctions_ledger.screening.screener import Screener
from sanctions_ledger.store import Ledger, ingest
from tests.test_resolve_support import DATA, linked_ledger

PARTIAL = DATA / "ofac-sdn-partial"
PARTIALS = tuple(PARTIAL / d for d in ("2024-01-08", "2025-01-06", "2025-12-24"))

_lock = threading.Lock()
_built: dict[Path, tuple[Ledger, Screener, dict[str, Any]]] = {}


def copy_store(ledger: Ledger, dest: Path) -> Path:
    """A copy of an open store's file (checkpointed first, so the copy is complete)."""
    ledger.query("CHECKPOINT")
    assert ledger.path is not None
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ledger.path, dest)
    return dest


def licensed_ledger(base: Path) -> tuple[Ledger, Screener, dict[str, Any]]:
    """(ledger, its screener, facts recorded while building it)."""
    with _lock:
        if base not in _built:
            linked = linked_ledger(base / "issue5")
            path = copy_store(linked, base / "issue17" / "ledger.duckdb")
            ledger = Ledger.open(path)
            facts: dict[str, Any] = {
                "sdn_intervals": ledger.query(
                    "SELECT count(*) FROM intervals WHERE dataset = 'us_ofac_sdn'")[0][0]}
            facts["partial_reports"] = [ingest(ledger, p) for p in PARTIALS]
            screener = Screener(ledger)
            facts["licences"] = import_licences(ledger, builtin="belarus", screener=screener)
            import_events(ledger, builtin="belarus")
            _built[base] = (ledger, screener, facts)
        return _built[base]
