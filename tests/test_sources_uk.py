"""UK lists: FCDO UK Sanctions List (XML and CSV) and the retired OFSI ConList CSV.

No real UK file is available to the project; the fixtures are hand-written from the
published column lists / schema, and the XML and CSV fixtures describe the same designations
so that both readers must agree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, Record, detect, get_parser
from sanctions_ledger.sources._uk_common import multi, uk_date

FIXTURES = Path(__file__).parent / "fixtures"
FCDO_XML = FIXTURES / "uk_fcdo_sample.xml"
FCDO_CSV = FIXTURES / "uk_fcdo_sample.csv"
OFSI_CSV = FIXTURES / "uk_ofsi_conlist_sample.csv"


def _parse(kind: str, path: Path) -> tuple[ParseMeta, dict[str, Record]]:
    meta = ParseMeta()
    return meta, {r.entity.id: r for r in get_parser(kind).parse(path, meta)}


@pytest.mark.parametrize("path", [FCDO_XML, FCDO_CSV], ids=["xml", "csv"])
def test_fcdo(path: Path) -> None:
    assert detect(path).kind == "uk_fcdo"
    meta, records = _parse("uk_fcdo", path)
    assert meta.published_at == date(2026, 11, 27)
    assert sorted(records) == ["uk-RUS0001", "uk-RUS0001-sanction", "uk-RUS1850", "uk-RUS1850-sanction"]
    assert {r.dataset for r in records.values()} == {"gb_fcdo_sanctions"}
    luka = records["uk-RUS0001"].entity
    assert luka.schema.name == "Person"
    assert luka.get("name") == ["Aliaksandr Ryhoravich LUKASHENKA"]
    assert set(luka.get("alias")) == {"Alexander Grigoryevich LUKASHENKO", "Аляксандр Рыгоравіч Лукашэнка"}
    assert luka.get("weakAlias") == ["BATKA"]
    assert luka.get("birthDate") == ["1954-08-30"]
    assert luka.get("nationality") == ["by"]
    assert luka.get("passportNumber") == ["SP0000001"]
    assert luka.get("gender") == ["male"]
    assert luka.get("address") == ["Karl Marx St. 38, Minsk, Belarus"]
    sanction = records["uk-RUS0001-sanction"].entity
    assert sanction.get("listingDate") == ["2022-03-01"]
    assert sanction.get("startDate") == ["2022-03-01"]
    assert sanction.get("modifiedAt") == ["2025-03-14"]
    assert sanction.get("program") == ["Russia"]
    assert sanction.get("recordId") == ["14200"]  # OFSI group id kept for cross-reference
    ship = records["uk-RUS1850"].entity
    assert ship.schema.name == "Vessel"
    assert ship.get("imoNumber") == ["IMO9179842"]
    assert ship.get("flag") == ["ru"]


def test_xml_and_csv_agree() -> None:
    _, from_xml = _parse("uk_fcdo", FCDO_XML)
    _, from_csv = _parse("uk_fcdo", FCDO_CSV)
    for key in from_xml:
        assert from_xml[key].entity.to_dict() == from_csv[key].entity.to_dict(), key


def test_ofsi_conlist() -> None:
    assert detect(OFSI_CSV).kind == "uk_ofsi"
    meta, records = _parse("uk_ofsi", OFSI_CSV)
    assert meta.published_at == date(2025, 12, 15)
    assert sorted(records) == ["uk-14200", "uk-14200-sanction", "uk-14900", "uk-14900-sanction"]
    assert {r.dataset for r in records.values()} == {"gb_hmt"}
    luka = records["uk-14200"].entity
    assert luka.get("name") == ["Aliaksandr Ryhoravich LUKASHENKA"]
    assert "Alexander Grigoryevich LUKASHENKO" in luka.get("alias")  # primary name variation
    assert "Аляксандр Рыгоравіч Лукашэнка" in luka.get("alias")
    assert luka.get("weakAlias") == ["BATKA"]
    assert sorted(luka.get("position")) == ["Commander-in-Chief", "President of the Republic of Belarus"]
    assert luka.get("title") == ["President"]
    sanction = records["uk-14200-sanction"].entity
    assert sanction.get("listingDate") == ["2021-06-24"]
    assert sanction.get("modifiedAt") == ["2022-03-02"]
    plant = records["uk-14900"].entity
    assert plant.schema.name == "Organization"
    assert plant.get("country") == ["ru"]


def test_uk_helpers() -> None:
    assert uk_date("30/08/1954") == "1954-08-30"
    assert uk_date("00/00/1954") == "1954"
    assert uk_date("00/08/1954") == "1954-08"
    assert uk_date("2022-03-01T00:00:00") == "2022-03-01"
    assert multi("(1) A (2) B") == ["A", "B"]
    assert multi("plain") == ["plain"]


def test_designation_without_id(tmp_path: Path) -> None:
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_bytes(FCDO_XML.read_bytes().replace(b"<UniqueID>RUS1850</UniqueID>", b""))
    with pytest.raises(SourceError, match="UniqueID") as info:
        _parse("uk_fcdo", path)
    assert "line" in str(info.value)


def test_conlist_short_row(tmp_path: Path) -> None:
    path = tmp_path / "ConList.csv"
    lines = OFSI_CSV.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, 'X,"unterminated']) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match="ConList.csv"):
        _parse("uk_ofsi", path)


def test_ofsi_conlist_xml_gives_the_csv_entities() -> None:
    """ConList.xml and ConList.csv of one day describe the same parties (only the URL differs)."""
    from sanctions_ledger.sources import ParseMeta, detect

    xml_path = FIXTURES / "uk_ofsi_conlist_sample.xml"
    csv_path = FIXTURES / "uk_ofsi_conlist_sample.csv"
    xml_parser, csv_parser = detect(xml_path), detect(csv_path)
    assert (xml_parser.kind, csv_parser.kind) == ("uk_ofsi_xml", "uk_ofsi")

    def entities(parser, path):  # type: ignore[no-untyped-def]
        out = {}
        for rec in parser.parse(path, ParseMeta()):
            data = rec.entity.to_dict()
            data["properties"].pop("sourceUrl", None)
            out[(rec.dataset, rec.entity.id)] = data
        return out

    from_xml = entities(xml_parser, xml_path)
    assert from_xml == entities(csv_parser, csv_path)
    luka = from_xml[("gb_hmt", "uk-14200")]
    assert luka["properties"]["name"] == ["Aliaksandr Ryhoravich LUKASHENKA"]
    assert "Аляксандр Рыгоравіч Лукашэнка" in luka["properties"]["alias"]
    assert luka["properties"]["birthDate"] == ["1954-08-30"]
