"""UN Security Council consolidated XML, tested on the real 2026-02-27 file."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, Record, detect, get_parser

DATA = Path(__file__).parents[1].parent / "shared" / "data"
UN_FILE = DATA / "un" / "2026-02-27" / "consolidated.xml"

pytestmark = pytest.mark.skipif(not UN_FILE.exists(), reason="shared data not available")


@pytest.fixture(scope="module")
def parsed() -> tuple[ParseMeta, dict[str, Record]]:
    meta = ParseMeta()
    records = list(get_parser("un_sc").parse(UN_FILE, meta))
    return meta, {r.entity.id: r for r in records}


def test_detect_picks_un() -> None:
    assert detect(UN_FILE).kind == "un_sc"


def test_counts_and_published(parsed: tuple[ParseMeta, dict[str, Record]]) -> None:
    meta, records = parsed
    assert meta.published_at == date(2026, 2, 27)
    schemas = Counter(r.entity.schema.name for r in records.values())
    assert schemas == {"Person": 730, "Organization": 273, "Sanction": 1003}
    assert {r.dataset for r in records.values()} == {"un_sc_sanctions"}


def test_individual_facts(parsed: tuple[ParseMeta, dict[str, Record]]) -> None:
    _, records = parsed
    person = records["un-QDi.296"].entity
    assert person.get("name") == ["MATI UR-REHMAN ALI MUHAMMAD"]
    assert "مطیع الرحمن علی محمد" in person.get("alias")
    assert person.get("nationality") == ["pk"]
    sanction = records["un-QDi.296-sanction"].entity
    assert sanction.get("listingDate") == ["2011-08-22"]
    assert sanction.get("startDate") == ["2011-08-22"]
    assert sanction.get("entity") == ["un-QDi.296"]
    assert sanction.get("authorityId") == ["QDi.296"]
    assert sanction.get("program") == ["Al-Qaida"]

    saddam = records["un-IQi.001"].entity
    assert saddam.get("weakAlias") == ["Abu Ali"]  # QUALITY Low
    assert "صدام حسين التكريتي" in saddam.get("alias")
    assert saddam.get("birthDate") == ["1937-04-28"]


def test_all_update_dates_kept(parsed: tuple[ParseMeta, dict[str, Record]]) -> None:
    _, records = parsed
    sanction = records["un-CFi.001-sanction"].entity
    assert sanction.get("modifiedAt") == ["2020-07-28"]
    assert sorted(sanction.get("date")) == ["2014-11-04", "2018-02-16", "2019-03-01", "2020-07-28"]


def test_documents_and_dobs(parsed: tuple[ParseMeta, dict[str, Record]]) -> None:
    _, records = parsed
    # CDi.002 (Frank Kakolele Bwambale) carries a passport "OB 0243318".
    kakolele = records["un-CDi.002"].entity
    assert "BWAMBALE" in kakolele.get("name")[0]
    people = [r.entity for r in records.values() if r.entity.schema.name == "Person"]
    passports = {p for e in people for p in e.get("passportNumber")}
    assert "OB 0243318" in passports
    assert sum(1 for e in people if e.get("birthDate")) > 600


def test_entity_aliases(parsed: tuple[ParseMeta, dict[str, Record]]) -> None:
    _, records = parsed
    adf = records["un-CDe.001"].entity
    assert adf.schema.name == "Organization"
    assert adf.get("name") == ["ADF"]
    assert adf.get("alias")


def test_truncated_file_is_source_error(tmp_path: Path) -> None:
    cut = tmp_path / "consolidated.xml"
    cut.write_bytes(UN_FILE.read_bytes()[:200_000])
    with pytest.raises(SourceError) as info:
        list(get_parser("un_sc").parse(cut, ParseMeta()))
    assert "consolidated.xml" in str(info.value)
    assert "line" in str(info.value)


def test_wrong_root_rejected(tmp_path: Path) -> None:
    other = tmp_path / "x.xml"
    other.write_bytes(b"<?xml version='1.0'?><sdnList><ENTITY><FIRST_NAME>A</FIRST_NAME></ENTITY></sdnList>")
    with pytest.raises(SourceError, match="CONSOLIDATED_LIST"):
        list(get_parser("un_sc").parse(other, ParseMeta()))
