"""BIS Denied Persons List (``dpl.txt``) on the two real snapshots of 2019 and 2022."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, Record, detect, get_parser
from sanctions_ledger.sources.us_bis_dpl import party_id, us_date
from sanctions_ledger.store import Ledger, LedgerView, ingest

from .conftest import DATA

DPL_2019 = DATA / "us-bis-dpl" / "2019-06-29" / "dpl.txt"
DPL_2022 = DATA / "us-bis-dpl" / "2022-09-07" / "dpl.txt"


def _parse(path: Path) -> tuple[ParseMeta, dict[str, Record]]:
    meta = ParseMeta()
    return meta, {r.entity.id: r for r in get_parser("us_bis_dpl").parse(path, meta)}


def _parties(records: dict[str, Record]) -> list[Record]:
    return [r for r in records.values() if r.entity.schema.name != "Sanction"]


def test_both_snapshots_are_detected_and_grouped_by_name() -> None:
    for path, rows_names in ((DPL_2019, 415), (DPL_2022, 459)):
        assert detect(path).kind == "us_bis_dpl"
        meta, records = _parse(path)
        assert meta.published_at == date.fromisoformat(path.parent.name)
        # 546 / 581 rows, one per address: grouped into one party per distinct name.
        assert len(_parties(records)) == rows_names
        assert {r.dataset for r in records.values()} == {"us_bis_dpl"}


def test_a_party_with_four_addresses() -> None:
    _meta, records = _parse(DPL_2022)
    pid = party_id("AIR FREIGHT LTD")
    entity = records[pid].entity
    assert entity.schema.name == "LegalEntity"
    assert entity.get("name") == ["AIR FREIGHT LTD"]
    assert "P.O. BOX 911399, AMMAN, 11191, JO" in entity.get("address")
    assert len(entity.get("address")) == 4
    assert sorted(entity.get("country")) == ["ae", "iq", "jo"]
    assert entity.get("topics") == ["export.control"]
    sanction = records[f"{pid}-sanction"].entity
    assert sanction.get("entity") == [pid]
    assert sanction.get("listingDate") == ["2022-05-13"]  # Effective_Date 05/13/2022
    assert sanction.get("endDate") == ["2022-11-09"]
    assert sanction.get("authority") == ["Bureau of Industry and Security"]


def test_leading_space_in_a_name_is_dropped() -> None:
    # The 2019 file writes " ADRIAN MANUEL HERNANDEZ" (a quoted leading space).
    _meta, records = _parse(DPL_2019)
    entity = records[party_id("ADRIAN MANUEL HERNANDEZ")].entity
    assert entity.get("name") == ["ADRIAN MANUEL HERNANDEZ"]
    assert entity.get("address") == ["3037 S. 69TH DRIVE, PHONEIX, AZ 85043"]


def test_us_dates() -> None:
    assert us_date("10/16/2017") == "2017-10-16"
    assert us_date("02/30/2017") is None
    assert us_date("") is None


def test_expired_denial_is_gone_in_the_later_snapshot(tmp_path: Path) -> None:
    """Ingested as two snapshots of one list: a 2019 denial that expired is not standing in 2022."""
    with Ledger.open(tmp_path / "l.duckdb") as ledger:
        ingest(ledger, DPL_2019)
        ingest(ledger, DPL_2022)
        gone = party_id("AARON ROBERT HENDERSON")  # Expiration_Date 09/18/2019
        early = LedgerView(ledger, date(2020, 1, 1), ["us_bis_dpl"])
        late = LedgerView(ledger, None, ["us_bis_dpl"])
        assert gone in {e.id for _d, e in early.entities({gone})}
        assert gone not in {e.id for _d, e in late.entities({gone})}


def test_bad_rows_name_the_file_and_line(tmp_path: Path) -> None:
    header = DPL_2022.read_text(encoding="utf-8").splitlines()[0]
    short = tmp_path / "dpl.txt"
    short.write_text(f'{header}\n"ACME"\t"1 MAIN ST"\n', encoding="utf-8")
    assert detect(short).kind == "us_bis_dpl"
    with pytest.raises(SourceError, match="line 2") as err:
        _parse(short)
    assert str(short) in str(err.value)
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(f"{header}\n".encode("utf-16"))
    with pytest.raises(SourceError):
        _parse(utf16)
