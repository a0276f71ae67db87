"""Pickle caches run code (issue #20, item 5): a planted index or records file must not.

Each test fails on the code before the caches were signed: a crafted pickle in the cache
folder was unpickled (here it would create a marker file instead of calling ``os.system``).
"""

from __future__ import annotations

import os
import pickle
import stat
import time
from pathlib import Path

import pytest

from sanctions_ledger.match import MatchIndex
from sanctions_ledger.match.signed import KEY_FILE, UntrustedCache, folder_key
from sanctions_ledger.screening import Screener, diskcache, records
from sanctions_ledger.store import Ledger, LedgerView, ingest

from .conftest import UN_2026


class _Payload:
    """Unpickling this creates ``marker``: what any code run by a planted cache could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch.__get__(Path(self.marker)), ())  # type: ignore[return-value]


def _plant(path: Path, marker: Path) -> None:
    path.write_bytes(pickle.dumps(_Payload(marker)))


@pytest.fixture(scope="module")
def un_ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    ledger = Ledger.open(tmp_path_factory.mktemp("un") / "l.duckdb")
    ingest(ledger, UN_2026)
    return ledger


def test_the_payload_runs_when_unpickled(tmp_path: Path) -> None:
    """The planted file is a real exploit: a plain ``pickle.load`` runs it."""
    _plant(tmp_path / "x.idx", tmp_path / "ran")
    pickle.loads((tmp_path / "x.idx").read_bytes())
    assert (tmp_path / "ran").exists()


def test_a_planted_index_file_is_rebuilt_not_run(un_ledger: Ledger, tmp_path: Path) -> None:
    cache, marker = tmp_path / "cache", tmp_path / "ran"
    path, _snaps = Screener(un_ledger, cache).index_file(None)
    _plant(path, marker)
    index, _ids = Screener(un_ledger, cache).index_for(LedgerView(un_ledger, None, None))
    assert not marker.exists()
    assert any(p.entity_id.startswith("un-") for p in index.parties)
    assert path.read_bytes().startswith(b"SLSIGN1\n")  # rebuilt and signed again
    planted = path.with_name("planted.idx")
    _plant(planted, marker)
    with pytest.raises(UntrustedCache, match="not signed"):
        MatchIndex.load(planted)  # what the bulk engines' workers call
    assert not marker.exists()


def test_a_mis_signed_index_is_refused(un_ledger: Ledger, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path, _snaps = Screener(un_ledger, cache).index_file(None)
    data = bytearray(path.read_bytes())
    data[-5] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(UntrustedCache, match="wrong signature"):
        MatchIndex.load(path)


def test_a_planted_records_file_is_rebuilt_not_run(un_ledger: Ledger, tmp_path: Path) -> None:
    cache, marker = tmp_path / "cache", tmp_path / "ran"
    snaps = LedgerView(un_ledger, None, None).snapshots()
    first = records.load_all(un_ledger, snaps, None, cache)
    path = records.cache_file(un_ledger, cache, snaps)
    _plant(path, marker)
    again = records.load_all(un_ledger, snaps, None, cache)
    assert not marker.exists()
    assert {r.id for r in again} == {r.id for r in first} and len(first) == 1003
    fmt, stored = pickle.loads(diskcache.read_signed(path))
    assert fmt == records.FORMAT and len(stored) == 1003


def test_the_cache_folder_is_private(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    key = folder_key(cache)
    assert len(key) == 32 and folder_key(cache) == key
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert stat.S_IMODE((cache / KEY_FILE).stat().st_mode) == 0o600
    os.chmod(cache, 0o777)  # one of ours left open is closed again
    folder_key(cache)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    os.chmod(cache / KEY_FILE, 0o644)  # a readable key is no secret
    with pytest.raises(UntrustedCache, match="not a private file"):
        folder_key(cache)


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_cache_folder_of_another_user_is_not_used(un_ledger: Ledger, tmp_path: Path) -> None:
    cache, marker = tmp_path / "theirs", tmp_path / "ran"
    cache.mkdir(mode=0o777)
    os.chown(cache, 65534, 65534)
    with pytest.raises(UntrustedCache, match="belongs to user id 65534"):
        folder_key(cache)
    screener = Screener(un_ledger, cache)
    assert screener.indexes.cache_dir is None
    screener.index_for(LedgerView(un_ledger, None, None))  # built in memory, nothing read there
    assert list(cache.iterdir()) == [] and not marker.exists()


def test_loading_a_signed_index_stays_fast(un_ledger: Ledger, tmp_path: Path) -> None:
    """The signature costs a hash of the file: well under the unpickling itself."""
    path, _snaps = Screener(un_ledger, tmp_path / "cache").index_file(None)
    started = time.perf_counter()
    MatchIndex.load(path)
    signed_s = time.perf_counter() - started
    payload = path.read_bytes()[40:]
    started = time.perf_counter()
    pickle.loads(payload)
    plain_s = time.perf_counter() - started
    assert signed_s < plain_s * 2 + 0.05
