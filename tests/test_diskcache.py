"""The store's disk caches: atomic writes and least-recently-used pruning, on real files."""

from __future__ import annotations

import os
import pickle
from datetime import date
from pathlib import Path

from sanctions_ledger.screening import diskcache
from sanctions_ledger.screening.screener import Screener
from sanctions_ledger.store import Ledger, LedgerView, ingest

from .conftest import SDN_2019, SDN_2021

SDN_2019_DATE = date(2019, 1, 15)


def _age(path: Path, seconds_ago: float) -> None:
    t = path.stat().st_mtime - seconds_ago
    os.utime(path, (t, t))


def test_write_atomic_prunes_the_least_recently_used_of_its_kind(tmp_path: Path) -> None:
    for i in range(5):
        diskcache.write_atomic(tmp_path / f"k{i}.idx", lambda fh, i=i: fh.write(bytes([i])), keep=10)
        _age(tmp_path / f"k{i}.idx", 100 - i * 10)  # k0 oldest, k4 newest
    (tmp_path / "other.records").write_bytes(b"x")  # another kind is not counted
    diskcache.touch(tmp_path / "k0.idx")  # just used: the oldest by write, the newest by use
    diskcache.write_atomic(tmp_path / "k5.idx", lambda fh: fh.write(b"5"), keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k0.idx", "k4.idx", "k5.idx", "other.records"]
    assert (tmp_path / "k5.idx").read_bytes() == b"5"
    assert not list(tmp_path.glob("*.tmp"))


def test_a_failed_write_leaves_neither_the_file_nor_a_temp_file(tmp_path: Path) -> None:
    def boom(fh: object) -> None:
        raise RuntimeError("disk full")

    try:
        diskcache.write_atomic(tmp_path / "a.idx", boom)
    except RuntimeError:
        pass
    assert list(tmp_path.iterdir()) == []


def test_screener_keeps_one_index_file_per_snapshot_set_and_prunes_old_ones(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with Ledger.open(tmp_path / "l.duckdb") as ledger:
        ingest(ledger, SDN_2019)
        first, snaps_2019 = Screener(ledger, cache).index_file(None)
        ingest(ledger, SDN_2021)
        second, snaps_2021 = Screener(ledger, cache).index_file(None)
        assert first != second and snaps_2019 != snaps_2021
        assert sorted(cache.glob("*.idx")) == sorted({first, second})
        version, state = pickle.loads(diskcache.read_signed(second))
        assert state["parties"] and any(p.entity_id == "us-sdn-9760" for p in state["parties"])
        # Loading the 2019 index marks it used: with room for one file, the 2021 one goes.
        _age(first, 60)
        _age(second, 30)
        Screener(ledger, cache).index_for(LedgerView(ledger, SDN_2019_DATE, None))
        assert diskcache.prune(cache, ".idx", keep=1) == [second]
        assert list(cache.glob("*.idx")) == [first]
