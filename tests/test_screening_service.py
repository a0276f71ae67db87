"""One road into the matcher: the library's Screener, the API's service and the bulk files all
screen through one ScreeningService and one index cache keyed by snapshot ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sanctions_ledger.match import Query
from sanctions_ledger.screening.screener import Screener, screen_file
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger, LedgerView, parse_date

SRC = Path(__file__).resolve().parents[1] / "src" / "sanctions_ledger"
DATE = parse_date("2021-07-07")


@pytest.fixture(scope="module")
def service(sdn_ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> ScreeningService:
    screener = Screener(sdn_ledger, cache_dir=tmp_path_factory.mktemp("idx"))
    return ScreeningService(Settings(), sdn_ledger, screener)


def test_one_index_cache_for_the_service_and_its_screener(service: ScreeningService) -> None:
    index = service.index(DATE)
    assert service.cached_index(DATE) is index
    assert service.screener.index_for(LedgerView(service.ledger, DATE, None))[0] is index
    assert service.screener.service is service  # the screener screens through the service
    # A second service over the same screener shares the index (keyed by snapshot ids only).
    other = ScreeningService(Settings(), service.ledger, service.screener)
    assert other.index(DATE) is index
    path, snaps = service.index_file(DATE)
    assert path.exists() and snaps == service.snapshot_ids(DATE)


def test_search_and_screen_give_the_index_hits(service: ScreeningService) -> None:
    query = Query("Alexander Lukashenko", "Person")
    direct = service.index(DATE).search(query, limit=5, threshold=0.5)
    assert service.search(query, as_of=DATE, datasets=None, limit=5, threshold=0.5) == direct
    result = service.screen(query, as_of=DATE, limit=5, threshold=0.5)
    assert [h.hit for h in result.hits] == direct
    assert result.snapshot_ids == service.snapshot_ids(DATE)
    assert service.search(query, as_of=DATE, datasets=[], limit=5) == []


def test_search_any_keeps_each_party_once_at_its_best_score(service: ScreeningService) -> None:
    names = [Query("Alexander Lukashenko", "Person"), Query("Lukashenka Aliaksandr", "Person")]
    merged = service.search_any(names, as_of=DATE, datasets=None, limit=10, threshold=0.3)
    best: dict[tuple[str, str], float] = {}
    for name in names:
        for hit in service.search(name, as_of=DATE, datasets=None, limit=10, threshold=0.3):
            best[(hit.dataset, hit.entity_id)] = max(hit.score, best.get((hit.dataset, hit.entity_id), 0.0))
    expected = sorted(best.items(), key=lambda kv: (-kv[1], kv[0][1]))[:10]
    assert [((h.dataset, h.entity_id), h.score) for h in merged] == expected
    assert merged[0].entity_id == "us-sdn-9760"


def test_bulk_file_screens_through_the_service(service: ScreeningService, tmp_path: Path) -> None:
    queries = tmp_path / "q.csv"
    queries.write_text("query_id,name\n1,Alexander Lukashenko\n")
    report = screen_file(service, queries, tmp_path / "out.csv", as_of=DATE, limit=1, workers=1)
    assert report.snapshot_ids == service.snapshot_ids(DATE)
    assert "us-sdn-9760" in (tmp_path / "out.csv").read_text()


def test_screening_holds_no_sql() -> None:
    sql = re.compile(r"SELECT|execute|\.query\(")
    found = [f"{p.name}:{n}" for p in sorted((SRC / "screening").rglob("*.py"))
             for n, line in enumerate(p.read_text().splitlines(), 1) if sql.search(line)]
    assert found == []


def test_freshness_is_kept_until_the_next_ingest(tmp_path: Path) -> None:
    """The freshness every /match carries is computed once per ledger generation and day, and
    an ingest of a newer snapshot shows in the next answer."""
    from datetime import date

    from sanctions_ledger.service import freshness_dict
    from sanctions_ledger.store import ingest

    from .conftest import SDN_2019, SDN_2021

    ledger = Ledger.open(tmp_path / "l.duckdb")
    ingest(ledger, SDN_2019)
    service = ScreeningService(Settings(store_path=tmp_path / "l.duckdb"), ledger,
                               Screener(ledger, cache_dir=None))
    day = date(2026, 12, 3)
    first = freshness_dict(service, None, None, today=day)
    assert [(f["dataset"], f["snapshot"]) for f in first["lists"]] == [("us_ofac_sdn", "2019-01-15")]
    assert freshness_dict(service, None, None, today=day) is first  # kept, not recomputed
    ingest(ledger, SDN_2021)
    after = freshness_dict(service, None, None, today=day)
    assert [(f["dataset"], f["snapshot"]) for f in after["lists"]] == [("us_ofac_sdn", "2021-07-07")]
    assert after["lists"][0]["age_days"] == (day - date(2021, 7, 7)).days
    ledger.close()
