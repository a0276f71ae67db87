"""The CLI on a store it builds itself: ``ingest DIR`` walks folders as ``serve --from`` does and
lists what it skipped; ``screen`` and ``screen-file`` refuse unknown lists as the API does;
``screen-file`` accounts for every row; a store held by another process gets a hint."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctions_ledger.cli import app

from .conftest import DATA, SDN_2021

CSL = DATA / "us-csl"
DPL_2022 = DATA / "us-bis-dpl" / "2022-09-07"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("cli") / "ledger.duckdb"
    code, out = run("ingest", str(SDN_2021), str(DPL_2022), "--store", str(path))
    assert code == 0, out
    yield path


def test_ingest_walks_a_folder_and_lists_what_it_skipped(store: Path) -> None:
    code, out = run("ingest", str(CSL), "--store", str(store))
    assert code == 0, out
    # Both CSL snapshots under us-csl/<date>/, and each folder's checksum file skipped with why.
    assert out.count("us_csl snapshot") == 2
    assert f"skipped {CSL / '2019-12-03' / 'SHA256SUMS'}: not a list (README, checksums or licence)" in out
    assert f"skipped {CSL / '2025-06-25' / 'SHA256SUMS'}" in out
    code, out = run("sources", "--store", str(store), "--format", "json")
    assert code == 0
    for dataset in ("us_trade_csl", "us_bis_dpl", "us_ofac_sdn"):
        assert f'"dataset": "{dataset}"' in out


def test_ingest_of_a_folder_without_lists_is_an_error(store: Path, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("notes\n")
    (tmp_path / "notes.txt").write_text("not a list\n")
    code, out = run("ingest", str(tmp_path), "--store", str(store))
    assert code == 2
    assert f"skipped {tmp_path / 'notes.txt'}: unrecognised format" in out
    assert "no list file could be ingested" in out


def test_screen_refuses_an_unknown_list(store: Path) -> None:
    code, out = run("screen", "Lukashenko", "--source", "eu", "--store", str(store))
    assert code == 2
    assert "unknown list(s): eu" in out
    code, out = run("screen", "Lukashenko, Alexander G.", "--source", "us_ofac_sdn", "--store", str(store))
    assert code == 0, out
    assert "us-sdn-9760" in out


def test_screen_file_counts_every_row(store: Path, tmp_path: Path) -> None:
    queries = tmp_path / "customers.csv"
    with open(queries, "w", encoding="utf-16", newline="") as fh:  # Excel's "Unicode text"
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(["query_id", "name"])
        writer.writerows([("1", "Lukashenko, Alexander G."), ("2", "Jürgen Müller-Lüdenscheidt"), ("3", "")])
    out_file = tmp_path / "hits.csv"
    code, out = run("screen-file", str(queries), "--out", str(out_file), "--workers", "1",
                    "--store", str(store))
    assert code == 0, out
    assert "read 3 rows: 2 screened (1 with hits, 1 without), 1 failed" in out
    code, out = run("screen-file", str(queries), "--out", str(tmp_path / "hits.xlsx"), "--store", str(store))
    assert code == 2 and "unknown output extension '.xlsx'" in out
    code, out = run("screen-file", str(queries), "--out", str(out_file), "--source", "eu",
                    "--store", str(store))
    assert code == 2 and "unknown list(s): eu" in out


HOLD = """
import sys, time
from sanctions_ledger.store import Ledger
ledger = Ledger.open(sys.argv[1])
print("holding", flush=True)
time.sleep(60)
"""


def test_a_store_held_by_another_process_gets_a_hint(store: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(store)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
        code, out = run("sources", "--store", str(store))
        assert code == 2
        assert "the server holds the store: stop it or use the API" in out
        assert f"process {proc.pid}" in out
        assert "Traceback" not in out
    finally:
        proc.kill()
        proc.wait()
