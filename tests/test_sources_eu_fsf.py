"""EU Financial Sanctions Files XML 1.1, on a hand-written fixture (no real EU file available)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, Record, detect, get_parser

FIXTURE = Path(__file__).parent / "fixtures" / "eu_fsf_sample.xml"


def _parse(path: Path) -> tuple[ParseMeta, dict[str, Record]]:
    meta = ParseMeta()
    return meta, {r.entity.id: r for r in get_parser("eu_fsf").parse(path, meta)}


def test_eu_fsf() -> None:
    assert detect(FIXTURE).kind == "eu_fsf"
    meta, records = _parse(FIXTURE)
    assert meta.published_at == date(2026, 11, 27)
    assert sorted(records) == ["eu-EU.1234.56", "eu-EU.1234.56-sanction", "eu-EU.3726.32", "eu-EU.3726.32-sanction"]
    assert {r.dataset for r in records.values()} == {"eu_fsf"}

    luka = records["eu-EU.3726.32"].entity
    assert luka.schema.name == "Person"
    assert luka.get("name") == ["Aliaksandr Ryhoravich LUKASHENKA"]
    assert set(luka.get("alias")) == {
        "Александр Григорьевич Лукашенко", "Аляксандр Рыгоравіч Лукашэнка", "Alexander Grigoryevich LUKASHENKO",
    }
    assert luka.get("weakAlias") == ["Batka"]
    assert luka.get("position") == ["President of the Republic of Belarus"]
    assert luka.get("gender") == ["male"]
    assert luka.get("citizenship") == ["by"]
    assert luka.get("birthDate") == ["1954-08-30"]
    assert luka.get("birthPlace") == ["Kopys, Vitebsk Oblast, BELARUS"]
    assert luka.get("passportNumber") == ["SP0000001"]
    assert luka.get("address") == ["Karl Marx St. 38, Minsk, 220016, BELARUS"]
    assert luka.get("program") == ["BLR"]

    sanction = records["eu-EU.3726.32-sanction"].entity
    assert sanction.get("listingDate") == ["2020-10-02"]  # designationDate wins over regulations
    assert sanction.get("startDate") == ["2020-10-02"]
    assert sanction.get("modifiedAt") == ["2021-06-24"]
    assert sanction.get("authorityId") == ["EU.3726.32"]
    assert sanction.get("country") == ["eu"]
    assert "2021/1030 (OJ L224)" in sanction.get("provisions")

    org = records["eu-EU.1234.56"].entity
    assert org.schema.name == "Organization"
    assert org.get("weakAlias") == ["ERF"]
    assert org.get("registrationNumber") == ["7700000000"]
    assert org.get("country") == ["af"]
    org_sanction = records["eu-EU.1234.56-sanction"].entity
    assert org_sanction.get("listingDate") == ["2002-05-29"]  # no designationDate: first regulation
    assert org_sanction.get("unscId") == ["QDe.004"]


def test_logical_id_fallback(tmp_path: Path) -> None:
    path = tmp_path / "eu.xml"
    path.write_bytes(FIXTURE.read_bytes().replace(b'euReferenceNumber="EU.1234.56" ', b""))
    _, records = _parse(path)
    assert "eu-20000" in records


def test_nameless_entity(tmp_path: Path) -> None:
    path = tmp_path / "eu.xml"
    data = FIXTURE.read_bytes()
    data = data.replace(b'<nameAlias wholeName="Example Relief Foundation" strong="true" regulationLanguage="en" logicalId="21"/>', b"")
    data = data.replace(b'<nameAlias wholeName="ERF" strong="false" regulationLanguage="en" logicalId="22"/>', b"")
    path.write_bytes(data)
    with pytest.raises(SourceError, match="EU.1234.56 has no name") as info:
        _parse(path)
    assert "line" in str(info.value)
