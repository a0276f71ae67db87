"""Ingest while serving: readers answer from the last committed snapshot, never half of one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sanctions_ledger.server import create_app
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger, ingest, writer

from .conftest import SDN_2019, SDN_2021


@pytest.fixture
def paused_ingest(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Make the next ingest stop inside its transaction until released."""
    inside, release = threading.Event(), threading.Event()
    original = writer.rebuild_intervals

    def slow(cur, dataset):  # type: ignore[no-untyped-def]
        original(cur, dataset)
        inside.set()
        assert release.wait(60)

    monkeypatch.setattr(writer, "rebuild_intervals", slow)
    yield inside, release
    release.set()


def test_readers_see_the_previous_snapshot_until_commit(
        tmp_path: Path, paused_ingest: tuple[threading.Event, threading.Event]) -> None:
    inside, release = paused_ingest
    settings = Settings(store_path=tmp_path / "l.duckdb")
    ledger = Ledger.open(settings.store_path)
    # the first snapshot goes in before the pause is armed for the second
    release.set()
    ingest(ledger, SDN_2019)
    inside.clear()
    release.clear()
    with TestClient(create_app(settings, ledger, warm=False)) as client:
        before = client.get("/sources").json()["snapshots"]
        assert len(before) == 1
        background = threading.Thread(target=ingest, args=(ledger, SDN_2021))
        background.start()
        assert inside.wait(60), "ingest did not reach its transaction"
        # mid-transaction: statements, observations and intervals are written but not committed
        during = client.get("/sources").json()["snapshots"]
        assert [s["snapshot_id"] for s in during] == [s["snapshot_id"] for s in before]
        assert client.get("/entities/us-sdn-9760", params={"as_of": "2021-07-07"}).json()["listings"][0][
            "snapshot_id"] == before[0]["snapshot_id"]
        release.set()
        background.join(60)
        after = client.get("/sources").json()["snapshots"]
        assert len(after) == 2
        newest = client.get("/entities/us-sdn-9760", params={"as_of": "2021-07-07"}).json()
        assert newest["listings"][0]["snapshot_id"] != before[0]["snapshot_id"]
