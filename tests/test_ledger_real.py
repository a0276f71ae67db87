"""The ledger on real OFAC data: facts computed independently from the raw CSV files."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from sanctions_ledger import history, queries
from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.store import Ledger, LedgerView

from .conftest import SDN_2019, SDN_2021


def raw_sdn(folder: Path) -> dict[str, list[str]]:
    """ent_num -> row, read with nothing but the csv module."""
    with open(folder / "sdn.csv", encoding="utf-8", newline="") as fh:
        return {row[0]: row for row in csv.reader(fh) if len(row) == 12}


RAW_2019 = raw_sdn(SDN_2019)
RAW_2021 = raw_sdn(SDN_2021)


def test_snapshot_counts_match_raw_files(sdn_ledger: Ledger) -> None:
    snaps = {s.observed_at: s for s in LedgerView(sdn_ledger, None, ["us_ofac_sdn"]).snapshots()}
    assert list(snaps) == [date(2021, 7, 7)]
    rows = sdn_ledger.query(
        "SELECT s.observed_at, d.party_count FROM snapshots s JOIN snapshot_datasets d ON d.snapshot_id = s.id "
        "WHERE d.dataset = 'us_ofac_sdn' ORDER BY 1")
    assert rows == [(date(2019, 1, 15), len(RAW_2019)), (date(2021, 7, 7), len(RAW_2021))]
    assert len(RAW_2019) == 7379 and len(RAW_2021) == 8976


def test_diff_matches_raw_set_difference(sdn_ledger: Ledger) -> None:
    result = history.diff(sdn_ledger, "2019-01-15", "2021-07-07", datasets=["us_ofac_sdn"])
    added = {e.entity_id for e in result.entries if e.change == "added"}
    removed = {e.entity_id for e in result.entries if e.change == "removed"}
    assert added == {f"us-sdn-{n}" for n in RAW_2021.keys() - RAW_2019.keys()}
    assert removed == {f"us-sdn-{n}" for n in RAW_2019.keys() - RAW_2021.keys()}
    amended = {e.entity_id for e in result.entries if e.change == "amended"}
    # an entry whose name changed between the files must be reported amended, with the field
    renamed = {n for n in RAW_2019.keys() & RAW_2021.keys() if RAW_2019[n][1] != RAW_2021[n][1]}
    assert renamed and {f"us-sdn-{n}" for n in renamed} <= amended
    some = min(renamed)
    entry = next(e for e in result.entries if e.entity_id == f"us-sdn-{some}")
    name_change = next(c for c in entry.changes if c.prop == "name")
    assert name_change.removed == [RAW_2019[some][1]] and name_change.added == [RAW_2021[some][1]]


def test_belarus_designations_between_snapshots(sdn_ledger: Ledger) -> None:
    result = history.diff(sdn_ledger, "2019-01-15", "2021-07-07", datasets=["us_ofac_sdn"], program="BELARUS")
    added = {e.entity_id for e in result.entries if e.change == "added"}
    expected = {f"us-sdn-{n}" for n, row in RAW_2021.items()
                if n not in RAW_2019 and "BELARUS" in row[3].split("] [")}
    assert len(expected) == 34
    assert added == expected


def test_lukashenka_on_both_dates(sdn_ledger: Ledger) -> None:
    for day in ("2019-01-15", "2021-07-07"):
        (listing,) = queries.show(sdn_ledger, "us-sdn-9760", day)
        assert listing.entity.get("name") == ["LUKASHENKA, Alyaksandr Hryhoryavich"]
        assert listing.entity.get("birthDate") == ["1954-08-30"]
        assert listing.sanctions[0].get("program") == ["BELARUS"]
    with pytest.raises(NotFoundError):
        queries.show(sdn_ledger, "us-sdn-9760", "2010-01-01")


def test_history_of_a_delisted_party(sdn_ledger: Ledger) -> None:
    gone = min(RAW_2019.keys() - RAW_2021.keys(), key=int)
    events = history.history(sdn_ledger, f"us-sdn-{gone}")
    kinds = [(e.kind, e.observed) for e in events]
    assert kinds == [("listed", date(2019, 1, 15)), ("delisted", date(2021, 7, 7))]
    assert events[1].previous_observed == date(2019, 1, 15)


def test_history_of_a_new_party_has_observed_window(sdn_ledger: Ledger) -> None:
    new = min(RAW_2021.keys() - RAW_2019.keys(), key=int)
    (event,) = history.history(sdn_ledger, f"us-sdn-{new}")
    assert event.kind == "listed"
    assert (event.previous_observed, event.observed) == (date(2019, 1, 15), date(2021, 7, 7))


def test_list_as_of_filters(sdn_ledger: Ledger) -> None:
    parties = queries.list_parties(sdn_ledger, "2019-06-01", datasets=["us_ofac_sdn"], program="BELARUS")
    expected = {n for n, row in RAW_2019.items() if "BELARUS" in row[3].split("] [")}
    assert {e.id for _d, e in parties} == {f"us-sdn-{n}" for n in expected}


def test_bad_dates_are_input_errors(sdn_ledger: Ledger) -> None:
    with pytest.raises(InputError, match="not a date"):
        history.diff(sdn_ledger, "2019-13-45", "2021-07-07")
    with pytest.raises(InputError, match="before"):
        history.diff(sdn_ledger, "2021-07-07", "2019-01-15")


PARTY_SCHEMAS = {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"}


def test_ingest_everything_counts_per_list(full_ledger: Ledger) -> None:
    """Every shared snapshot in one ledger; party counts per list recomputed from the raw files."""
    import json

    from lxml import etree

    from .conftest import CONS_2025, FTM_2022, UN_2026

    expected: dict[tuple[str, date], int] = {
        ("us_ofac_sdn", date(2019, 1, 15)): len(RAW_2019),
        ("us_ofac_sdn", date(2021, 7, 7)): len(RAW_2021),
    }
    with open(CONS_2025 / "cons_prim.csv", encoding="utf-8", newline="") as fh:
        expected[("us_ofac_cons", date(2025, 12, 19))] = sum(1 for r in csv.reader(fh) if len(r) == 12)
    ftm_counts: dict[str, int] = {}
    with open(FTM_2022, encoding="utf-8") as fh:
        for line in fh:
            data = json.loads(line)
            if data["schema"] in PARTY_SCHEMAS:
                for ds in data["datasets"]:
                    ftm_counts[ds] = ftm_counts.get(ds, 0) + 1
    for ds, n in ftm_counts.items():
        expected[(ds, date(2022, 5, 5))] = n
    tree = etree.parse(str(UN_2026))
    expected[("un_sc_sanctions", date(2026, 2, 27))] = len(tree.findall(".//INDIVIDUAL")) + len(tree.findall(".//ENTITY"))
    rows = full_ledger.query(
        "SELECT d.dataset, s.observed_at, d.party_count FROM snapshots s "
        "JOIN snapshot_datasets d ON d.snapshot_id = s.id")
    got = {(ds, obs): n for ds, obs, n in rows if n}
    assert got == expected
    assert expected[("un_sc_sanctions", date(2026, 2, 27))] == 1003
    assert ftm_counts["eu_fsf"] == 3372 and ftm_counts["gb_hmt"] == 3430


def test_three_jurisdictions_on_lukashenka_2022(full_ledger: Ledger) -> None:
    """On 2022-05-05 OFAC, the EU and the UK each list a record named Lukashenka born 1954-08-30."""
    parties = queries.list_parties(full_ledger, "2022-05-05", datasets=["us_ofac_sdn", "eu_fsf", "gb_hmt"],
                                   country="by")
    found = {d for d, e in parties
             if any("LUKASHENK" in n.upper() for n in e.get("name")) and "1954-08-30" in e.get("birthDate")}
    assert found == {"us_ofac_sdn", "eu_fsf", "gb_hmt"}
