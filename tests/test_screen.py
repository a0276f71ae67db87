"""Screening over the ledger: as-of views, audit record, the index cache (bulk files on both
engines: test_screen_engines.py)."""

from __future__ import annotations

import csv
import importlib
import json
from pathlib import Path

import pytest

from sanctions_ledger.errors import InputError, LedgerError
from sanctions_ledger.match import Query
from sanctions_ledger.screening.screener import Screener, source_id
from sanctions_ledger.store import Ledger

from .conftest import SHARED


@pytest.fixture(scope="module")
def screener(sdn_ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    return Screener(sdn_ledger, cache_dir=tmp_path_factory.mktemp("idx"))


CASES = [
    ("Lukashenko, Alexander G.", "Person", "us-sdn-9760"),
    ("Alexandre Loukachenko", "Person", "us-sdn-9760"),
    ("Аляксандр Лукашэнка", "Person", "us-sdn-9760"),
]


@pytest.mark.parametrize(("name", "schema", "expected"), CASES)
def test_screen_finds_lukashenka(screener: Screener, name: str, schema: str, expected: str) -> None:
    result = screener.screen(Query(name, schema), as_of="2021-07-07", limit=3)
    assert result.hits and result.hits[0].hit.entity_id == expected
    top = result.hits[0]
    assert top.source_id == "9760"
    assert top.sanctions and top.sanctions[0]["program"] == ["BELARUS"]
    assert result.snapshot_ids == [s for s in result.snapshot_ids if s.startswith("ofac_csv-")]


def test_as_of_changes_the_answer(screener: Screener) -> None:
    """A party designated between the snapshots is found in 2021 and not in 2019."""
    with open(SHARED / "data" / "ofac-sdn" / "2019-01-15" / "sdn.csv", encoding="utf-8", newline="") as fh:
        old = {row[0] for row in csv.reader(fh) if row}
    with open(SHARED / "data" / "ofac-sdn" / "2021-07-07" / "sdn.csv", encoding="utf-8", newline="") as fh:
        new_rows = [row for row in csv.reader(fh) if len(row) == 12 and row[0] not in old and row[2] == "individual"]
    ent_num, name = new_rows[0][0], new_rows[0][1]
    now = screener.screen(Query(name, "Person"), as_of="2021-07-07", threshold=0.8)
    before = screener.screen(Query(name, "Person"), as_of="2019-06-01", threshold=0.8)
    assert now.hits[0].hit.entity_id == f"us-sdn-{ent_num}"
    assert f"us-sdn-{ent_num}" not in {h.hit.entity_id for h in before.hits}


def test_same_snapshots_same_output(screener: Screener) -> None:
    a = screener.screen(Query("Lukashenko", "Any"), as_of="2021-07-07", limit=10).to_dict()
    b = screener.screen(Query("Lukashenko", "Any"), as_of="2021-07-07", limit=10).to_dict()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_no_snapshot_before_date(screener: Screener) -> None:
    with pytest.raises(LedgerError, match="no list snapshot"):
        screener.screen(Query("Lukashenko"), as_of="2001-01-01")


@pytest.mark.parametrize("bad", ["", "   ", "\x00\x00", "x" * 10_000])
def test_bad_names_are_clear_errors(screener: Screener, bad: str) -> None:
    with pytest.raises(InputError):
        screener.screen(Query(bad), as_of="2021-07-07")


def test_source_id() -> None:
    assert source_id("us-sdn-9760") == "9760"
    assert source_id("eu-EU.3726.32") == "EU.3726.32"
    assert source_id("un-QDi.001") == "QDi.001"


def test_screen_and_screen_many_functions(sdn_ledger: Ledger, screener: Screener) -> None:
    from sanctions_ledger import screen, screen_many

    one = screen(sdn_ledger, "Alexander Lukashenko", as_of="2021-07-07", limit=1)
    assert one.hits[0].hit.entity_id == "us-sdn-9760"
    many = list(screen_many(screener, ["Alexander Lukashenko", Query("Viktar Halavanau", "Person")],
                            as_of="2021-07-07", limit=1))
    assert [r.hits[0].hit.entity_id for r in many] == ["us-sdn-9760", "us-sdn-9761"]


def test_corrupt_index_cache_is_rebuilt(sdn_ledger: Ledger, tmp_path: Path) -> None:
    first = Screener(sdn_ledger, cache_dir=tmp_path)
    path, _snaps = first.index_file("2021-07-07")
    path.write_bytes(b"not an index")
    again = Screener(sdn_ledger, cache_dir=tmp_path)
    result = again.screen(Query("Alexander Lukashenko"), as_of="2021-07-07", limit=1)
    assert result.hits[0].hit.entity_id == "us-sdn-9760"
    assert path.read_bytes() != b"not an index"


def test_index_cache_is_keyed_on_the_matcher_source(
    sdn_ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index file holds names as the matcher analysed them: after any change to the
    matcher's source the cached file is not reused but a new one is built beside it."""
    screen_mod = importlib.import_module("sanctions_ledger.screening.indexes")
    first, _ = Screener(sdn_ledger, cache_dir=tmp_path).index_file("2021-07-07")
    assert len(screen_mod.matcher_fingerprint()) == 16
    monkeypatch.setattr(screen_mod, "matcher_fingerprint", lambda: "0" * 16)
    second, _ = Screener(sdn_ledger, cache_dir=tmp_path).index_file("2021-07-07")
    assert second != first and first.exists() and second.exists()
