"""OFAC delta publications on hand-written fixtures (no official delta file is available)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import ParseMeta, Record, detect, get_parser

FIXTURE = Path(__file__).parent / "fixtures" / "ofac_delta_sample.xml"
ENHANCED = Path(__file__).parent / "fixtures" / "ofac_sdn_enhanced_sample.xml"


def _parse(path: Path) -> tuple[ParseMeta, dict[str, Record]]:
    meta = ParseMeta()
    return meta, {r.entity.id: r for r in get_parser("ofac_delta").parse(path, meta)}


def test_delta_changes() -> None:
    parser = detect(FIXTURE)
    assert parser.kind == "ofac_delta"
    assert getattr(parser, "full_snapshot", True) is False
    meta, records = _parse(FIXTURE)
    assert meta.published_at == date(2026, 11, 26)
    assert {r.dataset for r in records.values()} == {"us_ofac_delta"}
    assert sorted(records) == [
        "us-sdn-36-delta-2026-11-26-removed",
        "us-sdn-56700",
        "us-sdn-56700-delta-2026-11-26-added",
        "us-sdn-7810",
        "us-sdn-7810-delta-2026-11-25-modified",
    ]
    added = records["us-sdn-56700-delta-2026-11-26-added"].entity
    assert added.get("status") == ["added"]
    assert added.get("startDate") == ["2026-11-26"]
    assert added.get("entity") == ["us-sdn-56700"]
    assert added.get("program") == ["RUSSIA-EO14024"]
    assert records["us-sdn-56700"].entity.get("country") == ["ru"]
    removed = records["us-sdn-36-delta-2026-11-26-removed"].entity
    assert removed.get("status") == ["removed"]
    assert removed.get("endDate") == ["2026-11-26"]
    assert removed.get("entity") == ["us-sdn-36"]
    modified = records["us-sdn-7810-delta-2026-11-25-modified"].entity
    assert modified.get("date") == ["2026-11-25"]
    assert records["us-sdn-7810"].entity.get("name") == ["LUKASHENKA, Aliaksandr Ryhoravich"]


def test_container_style_with_enhanced_bodies(tmp_path: Path) -> None:
    body = ENHANCED.read_text(encoding="utf-8")
    entities = body[body.index("<entity id=\"7810\">"): body.index("</entities>")]
    path = tmp_path / "delta.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<deltaFile><publicationDate>11/27/2026</publicationDate>'
        f"<modifiedEntries>{entities}</modifiedEntries></deltaFile>",
        encoding="utf-8",
    )
    meta, records = _parse(path)
    assert meta.published_at == date(2026, 11, 27)
    assert records["us-sdn-7810-delta-2026-11-27-modified"].entity.get("status") == ["modified"]
    assert records["us-sdn-15036"].entity.get("imoNumber") == ["IMO8898831"]


def test_enhanced_layout_named_delta_is_claimed(tmp_path: Path) -> None:
    path = tmp_path / "SDN_ENHANCED_DELTA.XML"
    shutil.copy(ENHANCED, path)
    assert detect(path).kind == "ofac_delta"


def test_change_without_action(tmp_path: Path) -> None:
    path = tmp_path / "delta.xml"
    path.write_bytes(b'<sdnChanges publicationDate="2026-11-26">\n<entry uid="5"/></sdnChanges>')
    with pytest.raises(SourceError, match="action") as info:
        _parse(path)
    assert "line 2" in str(info.value)


def test_change_without_date(tmp_path: Path) -> None:
    path = tmp_path / "changes.xml"
    path.write_bytes(b'<sdnChanges><entry action="removed" uid="5"/></sdnChanges>')
    with pytest.raises(SourceError, match="no date"):
        _parse(path)
