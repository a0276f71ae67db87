"""trade.gov Consolidated Screening List, on the two real excerpts (2019 and 2025 columns)."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, Record, detect, get_parser
from sanctions_ledger.sources.us_csl import parse_id_item

DATA = Path(__file__).parents[1].parent / "shared" / "data"
CSL_2019 = DATA / "us-csl" / "2019-12-03" / "csl.csv"
CSL_2025 = DATA / "us-csl" / "2025-06-25" / "consolidated.csv"

pytestmark = pytest.mark.skipif(not CSL_2019.exists(), reason="shared data not available")


def _parse(path: Path) -> tuple[ParseMeta, dict[str, Record]]:
    meta = ParseMeta()
    return meta, {r.entity.id: r for r in get_parser("us_csl").parse(path, meta)}


def _sha(source: str, name: str) -> str:
    return "us-csl-" + hashlib.sha1(f"{source}\n{name}".encode()).hexdigest()


def test_2019_excerpt() -> None:
    assert detect(CSL_2019).kind == "us_csl"
    meta, records = _parse(CSL_2019)
    assert meta.published_at == date(2019, 12, 3)
    assert {r.dataset for r in records.values()} == {"us_trade_csl"}
    parties = [r.entity for r in records.values() if r.entity.schema.name != "Sanction"]
    # 115 rows; the DPL repeats names once per address, merged into 110 parties.
    assert len(parties) == 110
    sdn = "Specially Designated Nationals (SDN) - Treasury Department"
    akbari = records[_sha(sdn, "AKBARI, Mohammadreza Ali")].entity
    assert akbari.schema.name == "Person"
    assert akbari.get("passportNumber") == ["21795618"]
    assert akbari.get("birthDate") == ["1967-10-31"]
    assert "ALI-AKBARI, Mohammadreza" in akbari.get("alias")

    holdings = records[_sha(sdn, "200G PSA HOLDINGS LLC")].entity
    assert holdings.get("taxNumber") == ["80-0890696"]  # "US, 80-0890696, Tax ID No."
    assert holdings.get("country") == ["us"]

    vessel = records[_sha(sdn, "7-28")].entity
    assert vessel.schema.name == "Vessel"
    assert vessel.get("imoNumber") == ["IMO8898831"]
    assert vessel.get("flag") == ["kp"]

    dpl = "Denied Persons List (DPL) - Bureau of Industry and Security"
    airline = records[_sha(dpl, "AL NASER WINGS AIRLINES")].entity
    assert airline.get("topics") == ["export.control"]
    assert "P.O. BOX 28360, DUBAI, AE" in airline.get("address")
    assert len(airline.get("address")) >= 3

    person = records[_sha(dpl, "ADRIAN MANUEL HERNANDEZ")]
    sanction = records[f"{person.entity.id}-sanction"].entity
    assert sanction.get("authority") == [dpl]
    assert sanction.get("listingDate") == ["2017-10-16"]
    assert sanction.get("endDate") == ["2020-10-13"]


def test_2025_excerpt_with_own_ids() -> None:
    meta, records = _parse(CSL_2025)
    assert meta.published_at == date(2025, 6, 25)
    parties = [r.entity for r in records.values() if r.entity.schema.name != "Sanction"]
    assert len(parties) == 13
    rim = records["us-csl-52291"].entity
    assert rim.get("name") == ["RIM, Ryong Nam"]
    assert rim.get("passportNumber") == ["836238033"]  # "Passport, 836238033, KP"
    assert rim.get("nationality") == ["kp"]
    assert rim.get("birthDate") == ["1978-12-05"]
    assert rim.get("gender") == ["male"]
    plc = records["us-csl-9673"].entity
    assert sorted(plc.get("alias")) == ["Mohammad Mutlaq ABU JHESHEH", "Mohammed ABU JEHEISHA"]
    assert plc.get("birthPlace") == ["Izna, Hebron"]
    sanction = records["us-csl-9673-sanction"].entity
    assert sanction.get("program") == ["NS-PLC"]
    assert sanction.get("authorityId") == ["9673"]
    isn = records["us-csl-233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b-sanction"].entity
    assert isn.get("listingDate") == ["2023-07-19"]


def test_json_form_matches_csv(tmp_path: Path) -> None:
    with open(CSL_2025, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    results = []
    for row in rows:
        item: dict[str, object] = dict(row)
        item["alt_names"] = [a for a in row["alt_names"].split("; ") if a]
        item["ids"] = [
            dict(zip(("type", "number", "country"), i.split(", "), strict=False))
            for i in row["ids"].split("; ") if i
        ]
        results.append(item)
    path = tmp_path / "consolidated-2025-06-25.json"
    path.write_text(json.dumps({"total": len(results), "results": results}), encoding="utf-8")
    assert detect(path).kind == "us_csl"
    _, from_json = _parse(path)
    _, from_csv = _parse(CSL_2025)
    assert sorted(from_json) == sorted(from_csv)
    assert from_json["us-csl-52291"].entity.get("passportNumber") == ["836238033"]
    assert sorted(from_json["us-csl-9673"].entity.get("alias")) == sorted(
        from_csv["us-csl-9673"].entity.get("alias")
    )


def test_id_items_both_orders() -> None:
    assert parse_id_item("US, 80-0890696, Tax ID No.") == ("taxNumber", "80-0890696", "US")
    assert parse_id_item("Passport, 836238033, KP") == ("passportNumber", "836238033", "KP")
    assert parse_id_item("IMO 8898831, Vessel Registration Identification") == ("imoNumber", "IMO 8898831", None)
    assert parse_id_item("Registration ID, C122790") == ("registrationNumber", "C122790", None)
    assert parse_id_item("Subject to Secondary Sanctions, Additional Sanctions Information -") is None


def test_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "csl.csv"
    header = CSL_2019.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(header + "\nonly,three,columns\n", encoding="utf-8")
    with pytest.raises(SourceError, match="line 2"):
        _parse(path)
    path.write_bytes(header.encode() + b"\nSDN,,,,\xff\xfe bad,,,,,,,,,,,,,,,,,,,,,,,\n")
    with pytest.raises(SourceError, match="encoding"):
        _parse(path)
