"""Order-free, idempotent and atomic ingest: each test fails if its property breaks."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.store import Ledger, ingest

from .conftest import SDN_2019, SDN_2021

DUMP = {
    "statements": "SELECT id, dataset, entity_id, prop, value FROM statements ORDER BY id",
    "observations": "SELECT snapshot_id, dataset, statement_id FROM observations ORDER BY ALL",
    "intervals": "SELECT statement_id, dataset, first_seen, last_seen, first_missing, first_snapshot, "
                 "last_snapshot, missing_snapshot FROM intervals ORDER BY ALL",
    "snapshots": "SELECT id, kind, sha256, observed_at, published_at, entity_count, statement_count "
                 "FROM snapshots ORDER BY id",
}


def dump(ledger: Ledger) -> dict[str, list[tuple[object, ...]]]:
    return {name: ledger.query(sql) for name, sql in DUMP.items()}


def test_order_free(tmp_path: Path) -> None:
    forward = Ledger.open(tmp_path / "a.duckdb")
    ingest(forward, SDN_2019)
    ingest(forward, SDN_2021)
    backward = Ledger.open(tmp_path / "b.duckdb")
    ingest(backward, SDN_2021)
    ingest(backward, SDN_2019)
    a, b = dump(forward), dump(backward)
    assert a["intervals"] and a["intervals"] == b["intervals"]
    assert a == b
    # a party delisted between the snapshots has a closed interval in both orders
    closed = forward.query("SELECT count(*) FROM intervals WHERE first_missing IS NOT NULL")
    assert closed[0][0] > 0


def test_idempotent(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path / "l.duckdb")
    first = ingest(ledger, SDN_2019)
    before = dump(ledger)
    again = ingest(ledger, SDN_2019)
    assert not first.skipped and again.skipped
    assert again.snapshot_id == first.snapshot_id
    assert "already ingested" in again.summary()
    assert dump(ledger) == before


def test_relisting_gives_two_intervals(tmp_path: Path) -> None:
    """A party present, then absent, then present again has two intervals."""
    ledger = Ledger.open(tmp_path / "l.duckdb")
    ingest(ledger, SDN_2019, observed_at="2019-01-15")
    ingest(ledger, SDN_2021, observed_at="2021-07-07")
    copy = tmp_path / "again"
    shutil.copytree(SDN_2019, copy)
    (copy / "SHA256SUMS").unlink()  # the copy is altered on purpose: its manifest would refuse it
    with open(copy / "sdn.csv", "ab") as fh:  # different bytes, same 2019 content otherwise
        fh.write(b"\r\n")
    # 2019's content again removes 1,858 parties of 2021: past the release guard, so forced.
    ingest(ledger, copy, observed_at="2022-01-01", force=True)
    gone = ledger.query("""
        SELECT st.entity_id, count(*) FROM statements st JOIN intervals i ON i.statement_id = st.id
        WHERE st.prop = '$schema' GROUP BY 1 HAVING count(*) = 2 LIMIT 1""")
    assert gone, "a party delisted in 2021 and back in 2022 must have two intervals"


def test_malformed_file_rejected_and_nothing_written(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path / "l.duckdb")
    ingest(ledger, SDN_2019)
    before = dump(ledger)
    bad = tmp_path / "bad"
    shutil.copytree(SDN_2021, bad)
    (bad / "SHA256SUMS").unlink()  # the parser, not the manifest, must find the damage here
    data = (bad / "sdn.csv").read_bytes()
    (bad / "sdn.csv").write_bytes(data[: len(data) // 2] + b'\n123,"unterminated')
    with pytest.raises(SourceError) as err:
        ingest(ledger, bad)
    assert "sdn.csv" in str(err.value) and "line" in str(err.value)
    assert dump(ledger) == before


KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    from sanctions_ledger.store import Ledger, ingest, writer
    original = writer.rebuild_intervals
    def slow(cur, dataset):
        original(cur, dataset)
        print("IN_TRANSACTION", flush=True)
        time.sleep(60)
    writer.rebuild_intervals = slow
    ingest(Ledger.open(sys.argv[1]), sys.argv[2])
""")


def test_sigkill_mid_ingest_leaves_store_unchanged(tmp_path: Path) -> None:
    store = tmp_path / "l.duckdb"
    ledger = Ledger.open(store)
    ingest(ledger, SDN_2019)
    before = dump(ledger)
    ledger.close()
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(store), str(SDN_2021)],
                            stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "IN_TRANSACTION"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    reopened = Ledger.open(store)
    assert dump(reopened) == before
    report = ingest(reopened, SDN_2021)
    assert not report.skipped
    assert reopened.query("SELECT count(*) FROM snapshots")[0][0] == 2
