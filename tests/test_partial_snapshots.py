"""Issue 17: OFAC file sets without ``sdn.csv`` (../shared/data/ofac-sdn-partial/<date>/) are
partial snapshots: evidence that their ent_nums were listed on that date, never that anyone
else was absent. They never produce "delisted" and leave the full SDN snapshots' intervals and
diffs alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sanctions_ledger import history
from sanctions_ledger.jurisdictions.status import status
from sanctions_ledger.loading import scan_list_files
from sanctions_ledger.screening.screener import Screener
from sanctions_ledger.sources import read_snapshot
from sanctions_ledger.store import Ledger, ingest
from sanctions_ledger.store.licences import partial_sightings
from tests.conftest import SDN_2021
from tests.test_licences_support import PARTIAL, PARTIALS, licensed_ledger


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, Screener, dict[str, Any]]:
    return licensed_ledger(tmp_path_factory.getbasetemp())


def test_partial_folders_are_found_and_read_as_partial() -> None:
    scan = scan_list_files(PARTIAL)
    assert scan.found == list(PARTIALS) and scan.skipped == []
    snap = read_snapshot(PARTIALS[2])
    assert snap.kind == "ofac_partial" and snap.full is False
    assert sorted(p.name for p in snap.members) == ["add.csv", "alt.csv", "sdn_comments.csv"]
    # A folder with sdn.csv is still the full OFAC CSV set.
    assert read_snapshot(SDN_2021).kind == "ofac_csv"


def test_ingest_reports_and_the_two_facts(built: tuple[Ledger, Screener, dict[str, Any]]) -> None:
    ledger, _screener, facts = built
    reports = facts["partial_reports"]
    assert [str(r.observed_at) for r in reports] == ["2024-01-08", "2025-01-06", "2025-12-24"]
    assert all(set(r.datasets) == {"us_ofac_sdn_partial"} for r in reports)
    seen = {(e, str(d)) for e, _ds, d in partial_sightings(ledger, ["us-sdn-44541", "us-sdn-32746"])}
    # Belavia (44541): present on 2025-01-06, not on 2025-12-24 (it left the list on 4 Nov 2025).
    assert ("us-sdn-44541", "2025-01-06") in seen and ("us-sdn-44541", "2025-12-24") not in seen
    # Belaruskali (32746): present on 2025-12-24 (still listed; GL 13 authorises, it does not delist).
    assert ("us-sdn-32746", "2025-12-24") in seen
    aliases = ledger.query("SELECT value FROM statements WHERE dataset = 'us_ofac_sdn_partial' "
                           "AND entity_id = 'us-sdn-32746' AND prop = 'alias' ORDER BY value")
    assert ("OJSC BELARUSKALI",) in aliases


def test_partial_snapshots_leave_full_intervals_alone(built: tuple[Ledger, Screener, dict[str, Any]]) -> None:
    ledger, _screener, facts = built
    assert ledger.query("SELECT count(*) FROM intervals WHERE dataset = 'us_ofac_sdn'")[0][0] == facts["sdn_intervals"]
    assert ledger.query("SELECT count(*) FROM intervals WHERE dataset = 'us_ofac_sdn_partial'")[0][0] == 0
    events = history.history(ledger, "us-sdn-32746")
    assert not [e for e in events if e.kind == "delisted"]


def test_absence_from_partial_files_is_never_delisted(tmp_path: Path) -> None:
    """Without the removal act, Belavia's absence from the 2025-12-24 files is "no longer seen
    in partial files", an uncertain state, not a delisting."""
    with Ledger.open(tmp_path / "p.duckdb") as ledger:
        ingest(ledger, SDN_2021)
        for path in PARTIALS:
            ingest(ledger, path)
        late = status(ledger, "us-sdn-44541", "2025-12-24", jurisdictions=["us"]).rows[0]
        assert late.state == "uncertain" and late.state != "delisted"
        assert late.partial is not None and late.partial["no_longer_seen_since"] == "2025-12-24"
        assert "no longer seen in partial files since 2025-12-24" in late.note
        assert "not a delisting" in late.note
        mid = status(ledger, "us-sdn-44541", "2024-06-01", jurisdictions=["us"]).rows[0]
        assert mid.state == "listed" and mid.partial is not None
        assert mid.partial["seen"] == ["2024-01-08", "2025-01-06"]
