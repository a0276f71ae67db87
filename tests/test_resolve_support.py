"""Shared by the cross-list tests: one linked ledger per test process, and raw-file readers.

A module-level cache (not a conftest fixture) so every test module of issue 5 reuses the
same ledger: building it costs ~25 s (ingest of four snapshots and a full linking run).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from sanctions_ledger import resolve
from sanctions_ledger.store import Ledger, ingest

from .conftest import FTM_LISTS

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FTM_2022 = DATA / "ftm" / "eu-uk-us-2022-05-05.ftm.json"
SNAPSHOTS = (FTM_2022, DATA / "ofac-sdn" / "2021-07-07", DATA / "ofac-sdn" / "2019-01-15",
             DATA / "un" / "2026-02-27" / "consolidated.xml")

_lock = threading.Lock()
_ledgers: dict[Path, Ledger] = {}


def linked_ledger(base: Path) -> Ledger:
    """The four snapshots ingested and linked once, under ``base``."""
    with _lock:
        if base not in _ledgers:
            base.mkdir(parents=True, exist_ok=True)
            ledger = Ledger.open(base / "linked.duckdb")
            for snap in SNAPSHOTS:
                ingest(ledger, snap, allow_lists=FTM_LISTS)
            resolve.resolve(ledger)
            _ledgers[base] = ledger
        return _ledgers[base]


@cache
def raw_entities() -> tuple[dict[str, Any], ...]:
    """Every line of the 2022 FtM file, parsed (independently of our parsers)."""
    with open(FTM_2022, encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh)


def raw_where(pred: Callable[[dict[str, Any]], bool]) -> Iterator[dict[str, Any]]:
    return (e for e in raw_entities() if pred(e))


def names_of(entity: dict[str, Any]) -> list[str]:
    props = entity.get("properties", {})
    return [*props.get("name", []), *props.get("alias", [])]


def raw_belaruskali() -> dict[str, set[str]]:
    """jurisdiction -> ids of sanctions-list party records named BELARUSKALI in the raw 2022 file."""
    from sanctions_ledger.vocab import jurisdiction

    out: dict[str, set[str]] = {}
    for e in raw_where(lambda e: e["schema"] in ("Organization", "Company", "LegalEntity")
                       and any("BELARUSKALI" in n.upper().replace('"', "") for n in names_of(e))):
        for ds in e["datasets"]:
            if "sanction" in e["properties"].get("topics", []):
                out.setdefault(jurisdiction(ds), set()).add(e["id"])
    return out


def test_support_reads_raw_file() -> None:
    assert any(e["id"] == "us-sdn-9760" for e in raw_entities())
