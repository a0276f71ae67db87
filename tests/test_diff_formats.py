"""Issue #19 item 5: a diff across source formats (OFAC's CSV of 2021-07-07, then the FtM
export of 2022-05-05) reports the format change as one line and counts list content only.

Before: 59 Belarus "amendments" from the format alone (authority wording, sourceUrl,
"Minsk, Belarus" -> "Minsk, BY", birthCountry, fka -> alias)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctions_ledger import history as hist
from sanctions_ledger.store import Ledger, ingest
from tests.conftest import FTM_2022, FTM_LISTS, SDN_2019, SDN_2021


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    led = Ledger.open(tmp_path_factory.mktemp("formats") / "ledger.duckdb")
    for snap in (SDN_2019, SDN_2021, FTM_2022):
        ingest(led, snap, allow_lists=FTM_LISTS)
    yield led
    led.close()


@pytest.fixture(scope="module")
def belarus(ledger: Ledger) -> hist.Diff:
    return hist.diff(ledger, "2021-07-07", "2022-05-05", datasets=["us_ofac_sdn"], program="BELARUS")


def _csv_rows(name: str, ent_num: str) -> list[list[str]]:
    with open(Path(SDN_2021) / name, encoding="latin-1", newline="") as fh:
        return [row for row in csv.reader(fh) if row and row[0].strip() == ent_num]


def test_the_format_change_is_one_line_of_its_own(belarus: hist.Diff) -> None:
    assert [(f["dataset"], f["from"], f["to"]) for f in belarus.format_changes] == [
        ("us_ofac_sdn", "ofac_csv", "ftm")]
    notes = [n for n in belarus.notes if "source format changed" in n]
    assert notes == [notes[0]] and notes[0].startswith(
        "us_ofac_sdn: source format changed from ofac_csv (2021-07-07) to ftm (2022-05-05)")
    assert belarus.to_dict()["format_changes"][0]["to_snapshot"].startswith("ftm-")


def test_format_and_provenance_are_not_amendments(belarus: hist.Diff) -> None:
    amended = [e for e in belarus.entries if e.change == "amended"]
    props = {c.prop for e in amended for c in e.changes}
    assert not props & {"authority", "sourceUrl", "birthCountry", "previousName"}
    assert len(amended) <= 10, [(e.entity_id, [c.describe() for c in e.changes]) for e in amended]
    ids = {e.entity_id for e in amended}
    # The CSV writes "Minsk", "Belarus" (add.csv), the FtM export "Minsk, BY": one address.
    assert _csv_rows("add.csv", "10138")[0][3:5] == ["Minsk", "Belarus"]
    assert "us-sdn-10138" not in ids
    # NAFTAN's "fka" names are previousName in the CSV and alias in FtM: not new aliases.
    assert ["12860", "fka", "NAFTAN PRODUCTION ASSOCIATION"] in [
        [r[0], r[2].strip(), r[3].strip()] for r in _csv_rows("alt.csv", "12860")]
    assert "us-sdn-12860" not in ids


def test_real_changes_remain(belarus: hist.Diff) -> None:
    counts = belarus.counts()["us_ofac_sdn"]
    # The Belarus designations of August and December 2021 (EO 14038) are real additions.
    assert counts["added"] == 104 and counts["removed"] == 0
    added = {e.entity_id for e in belarus.entries if e.change == "added"}
    assert "us-sdn-32746" in added  # Belaruskali
    assert not _csv_rows("sdn.csv", "32746")  # not in the 2021 CSV: it was designated after
    luka = next(e for e in belarus.entries if e.entity_id == "us-sdn-9760")
    name = next(c for c in luka.changes if c.prop == "name")
    # A new primary name; the old one is still one of his names (an alias in 2022), so the
    # move from name to alias is not a removal.
    assert name.added == ["LUKASHENKA, Alyaksandr Ryhorovich"] and name.removed == []


def test_a_diff_within_one_format_reports_no_format_change(ledger: Ledger) -> None:
    same = hist.diff(ledger, "2019-01-15", "2021-07-07", datasets=["us_ofac_sdn"], program="BELARUS")
    assert same.format_changes == []
    assert not any("source format changed" in n for n in same.notes)
    assert same.counts()["us_ofac_sdn"]["added"] > 0
