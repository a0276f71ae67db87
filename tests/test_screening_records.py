"""The API's party records: built from the real SDN files, cached on disk, re-keyed by ingests."""

from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

import orjson

from sanctions_ledger.screening import diskcache, records
from sanctions_ledger.store import Ledger, LedgerView, ingest

from .conftest import SDN_2019, SDN_2021


def _snaps(ledger: Ledger) -> list:
    return LedgerView(ledger, None, None).snapshots()


def _by_id(recs: list[records.EntityRecord]) -> dict[str, records.EntityRecord]:
    return {r.id: r for r in recs}


def test_records_cache_is_written_read_and_rekeyed_by_an_older_ingest(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with Ledger.open(tmp_path / "l.duckdb") as ledger:
        ingest(ledger, SDN_2021)
        snaps = _snaps(ledger)
        recs = records.load_all(ledger, snaps, None, cache)
        path = records.cache_file(ledger, cache, snaps)
        assert path.exists()
        luka = _by_id(recs)["us-sdn-9760"]
        assert luka.caption.upper().startswith("LUKASHENKA")
        assert luka.first_seen == date(2021, 7, 7)
        props = orjson.loads(luka.payload)
        assert "BELARUS" in {p for s in props["sanctions"] for p in s["properties"].get("program", [])}
        assert "sanction" in luka.topics
        # The cached file is what a second process reads: a record list written (and signed)
        # there comes back; the same list as a plain pickle is rebuilt instead (issue #20).
        planted = recs[:3]
        with open(path, "wb") as fh:
            pickle.dump((records.FORMAT, planted), fh)
        assert len(records.load_all(ledger, snaps, None, cache)) == len(recs)
        diskcache.write_signed(path, lambda fh: pickle.dump((records.FORMAT, planted), fh))
        assert records.load_all(ledger, snaps, None, cache) == planted
        # An older snapshot ingested later moves first-seen dates back: a new key, new records.
        ingest(ledger, SDN_2019)
        snaps_after = _snaps(ledger)
        assert {s.id for s in snaps_after} == {s.id for s in snaps}  # the latest lists are the same
        assert records.cache_file(ledger, cache, snaps_after) != path
        again = _by_id(records.load_all(ledger, snaps_after, None, cache))
        assert again["us-sdn-9760"].first_seen == date(2019, 1, 15)
        assert len(again) == len(recs)


def test_a_corrupt_records_cache_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with Ledger.open(tmp_path / "l.duckdb") as ledger:
        ingest(ledger, SDN_2021)
        snaps = _snaps(ledger)
        path = records.cache_file(ledger, cache, snaps)
        cache.mkdir()
        path.write_bytes(b"not a pickle")
        recs = records.load_all(ledger, snaps, None, cache)
        assert "us-sdn-9760" in _by_id(recs)
        fmt, stored = pickle.loads(diskcache.read_signed(path))
        assert fmt == records.FORMAT and len(stored) == len(recs)
