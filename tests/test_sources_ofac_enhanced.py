"""OFAC SDN_ENHANCED.XML on a hand-written fixture (no real file is in shared data)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, Record, detect, get_parser

FIXTURE = Path(__file__).parent / "fixtures" / "ofac_sdn_enhanced_sample.xml"


def _parse(path: Path) -> tuple[ParseMeta, dict[str, Record]]:
    meta = ParseMeta()
    return meta, {r.entity.id: r for r in get_parser("ofac_enhanced").parse(path, meta)}


def test_enhanced(tmp_path: Path) -> None:
    path = tmp_path / "SDN_ENHANCED.XML"
    shutil.copy(FIXTURE, path)
    assert detect(path).kind == "ofac_enhanced"
    meta, records = _parse(path)
    assert meta.published_at == date(2026, 11, 26)
    assert {r.dataset for r in records.values()} == {"us_ofac_sdn"}

    luka = records["us-sdn-7810"].entity
    assert luka.schema.name == "Person"
    assert luka.get("name") == ["LUKASHENKA, Aliaksandr Ryhoravich"]
    assert set(luka.get("alias")) == {"LUKASHENKO, Alexander Grigoryevich", "Аляксандр Рыгоравіч Лукашэнка"}
    assert luka.get("weakAlias") == ["BATKA"]
    assert luka.get("birthDate") == ["1954-08-30"]
    assert luka.get("nationality") == ["by"]
    assert luka.get("birthCountry") == ["by"]
    assert luka.get("gender") == ["male"]
    assert luka.get("passportNumber") == ["SP0000001"]
    assert luka.get("address") == ["Karl Marx St. 38, Minsk, Belarus"]
    assert "Secondary sanctions risk:: Section 1(b)" in luka.get("notes")

    # One Sanction per program, each with its own listing date when the file gives one.
    belarus = records["us-sdn-7810-sanction-belarus"].entity
    assert belarus.get("listingDate") == ["2006-06-16"]
    assert belarus.get("startDate") == ["2006-06-16"]
    eo = records["us-sdn-7810-sanction-belarus-eo14038"].entity
    assert eo.get("listingDate") == ["2021-08-09"]
    assert eo.get("program") == ["BELARUS-EO14038"]
    assert eo.get("authorityId") == ["7810"]
    assert eo.get("entity") == ["us-sdn-7810"]

    vessel = records["us-sdn-15036"].entity
    assert vessel.schema.name == "Vessel"
    assert vessel.get("imoNumber") == ["IMO8898831"]
    assert vessel.get("flag") == ["kp"]
    assert records["us-sdn-15036-sanction-dprk3"].entity.get("listingDate") == ["2018-02-23"]


def test_cons_enhanced(tmp_path: Path) -> None:
    path = tmp_path / "CONS_ENHANCED.XML"
    shutil.copy(FIXTURE, path)
    _, records = _parse(path)
    assert "us-cons-7810" in records
    assert {r.dataset for r in records.values()} == {"us_ofac_cons"}


def test_missing_primary_name(tmp_path: Path) -> None:
    path = tmp_path / "SDN_ENHANCED.XML"
    path.write_bytes(FIXTURE.read_bytes().replace(b"<isPrimary>true</isPrimary>\n          <isLowQuality>false</isLowQuality>\n          <translations>\n            <translation id=\"51\">", b"<isPrimary>false</isPrimary><translations><translation id=\"51\">"))
    with pytest.raises(SourceError, match="15036"):
        _parse(path)
