"""One vocabulary: the schemata the store keeps as parties are the ones screened, and a
PublicBody (a ministry, a state committee) is found by screening, not only stored."""

from __future__ import annotations

import json
from pathlib import Path

from sanctions_ledger import vocab
from sanctions_ledger.match import Query
from sanctions_ledger.match.types import PARTY_SCHEMATA
from sanctions_ledger.screening import Screener
from sanctions_ledger.store import Ledger, ingest, schema


def test_stored_party_schemata_are_the_screened_ones() -> None:
    assert set(schema.PARTY_SCHEMAS) == set(PARTY_SCHEMATA) == set(vocab.SCREENABLE_SCHEMAS)
    assert "PublicBody" in PARTY_SCHEMATA
    assert vocab.schema_family("PublicBody") == "org"


def test_a_public_body_is_screened(tmp_path: Path) -> None:
    body = {"id": "tl-mvd-by", "schema": "PublicBody", "datasets": ["test_list"],
            "properties": {"name": ["Ministry of Internal Affairs of the Republic of Belarus"],
                           "country": ["by"]}}
    path = tmp_path / "bodies.ftm.json"
    path.write_text(json.dumps(body) + "\n", encoding="utf-8")
    ledger = Ledger.memory()
    report = ingest(ledger, path, observed_at="2026-01-05")
    assert report.datasets == {"test_list": 1}
    result = Screener(ledger).screen(Query("Ministry of Internal Affairs Belarus", "Organization"))
    assert [h.hit.entity_id for h in result.hits][:1] == ["tl-mvd-by"]
    assert result.hits[0].hit.schema == "PublicBody"
