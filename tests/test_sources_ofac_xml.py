"""OFAC SDN.XML / CONSOLIDATED.XML on a hand-written fixture (no real XML is in shared data)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, Record, detect, get_parser

FIXTURE = Path(__file__).parent / "fixtures" / "ofac_sdn_sample.xml"


def _parse(path: Path) -> tuple[ParseMeta, dict[str, Record]]:
    meta = ParseMeta()
    records = list(get_parser("ofac_xml").parse(path, meta))
    return meta, {r.entity.id: r for r in records}


def test_sdn_xml(tmp_path: Path) -> None:
    path = tmp_path / "SDN.XML"
    shutil.copy(FIXTURE, path)
    assert detect(path).kind == "ofac_xml"
    meta, records = _parse(path)
    assert meta.published_at == date(2026, 11, 26)
    assert len(records) == 8
    assert {r.dataset for r in records.values()} == {"us_ofac_sdn"}

    airline = records["us-sdn-36"].entity
    assert airline.schema.name == "Organization"
    assert airline.get("alias") == ["AERO-CARIBBEAN"]
    assert airline.get("weakAlias") == ["AEROCARIBE"]
    assert airline.get("country") == ["cu"]

    luka = records["us-sdn-7810"].entity
    assert luka.schema.name == "Person"
    assert luka.get("name") == ["LUKASHENKA, Aliaksandr Ryhoravich"]
    assert luka.get("alias") == ["LUKASHENKO, Alexander Grigoryevich"]
    assert luka.get("previousName") == ["LUKASCHENKO, Aleksandr"]
    assert luka.get("birthDate") == ["1954-08-30"]
    assert luka.get("nationality") == ["by"]
    assert luka.get("passportNumber") == ["SP0000001"]
    assert luka.get("gender") == ["male"]
    assert luka.get("position") == ["President of the Republic of Belarus"]
    assert "Karl Marx St. 38, Minsk, Belarus" in luka.get("address")
    sanction = records["us-sdn-7810-sanction"].entity
    assert sorted(sanction.get("program")) == ["BELARUS", "BELARUS-EO14038"]
    assert sanction.get("authorityId") == ["7810"]

    vessel = records["us-sdn-15036"].entity
    assert vessel.schema.name == "Vessel"
    assert vessel.get("imoNumber") == ["IMO8898831"]
    assert vessel.get("flag") == ["kp"]
    assert vessel.get("callSign") == ["HOEJ"]

    trading = records["us-sdn-25000"].entity
    assert trading.get("weakAlias") == ["EXTRA"]
    assert trading.get("registrationNumber") == ["123456"]


def test_consolidated_xml_dataset(tmp_path: Path) -> None:
    path = tmp_path / "CONSOLIDATED.XML"
    shutil.copy(FIXTURE, path)
    _, records = _parse(path)
    assert "us-cons-36" in records
    assert {r.dataset for r in records.values()} == {"us_ofac_cons"}


def test_old_namespace_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    data = FIXTURE.read_bytes().replace(
        b"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML",
        b"http://tempuri.org/sdnList.xsd",
    )
    path.write_bytes(data)
    _, records = _parse(path)
    assert len(records) == 8


def test_entry_without_uid(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes(FIXTURE.read_bytes().replace(b"<uid>36</uid>", b""))
    with pytest.raises(SourceError, match="uid") as info:
        _parse(path)
    assert "line" in str(info.value)
