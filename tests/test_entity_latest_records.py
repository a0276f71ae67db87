"""A party's latest listings from the records the service holds in memory (the /entities fast
path) are exactly what the ledger's one-query lookup gives, on real data of five lists."""

from __future__ import annotations

from datetime import date

import orjson
import pytest

from sanctions_ledger import queries
from sanctions_ledger.errors import NotFoundError
from sanctions_ledger.screening import service as screening_service
from sanctions_ledger.screening.screener import Screener
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.service import _latest_listings, entity_view
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger


@pytest.fixture(scope="module")
def service(full_ledger: Ledger) -> ScreeningService:
    svc = ScreeningService(Settings(store_path=full_ledger.path), full_ledger, Screener(full_ledger, None))
    assert svc.preload_records(None) > 20_000
    return svc


def _dump(listings: list[queries.Listing]) -> bytes:
    return orjson.dumps([(lst.to_dict(), lst.entity.caption) for lst in listings])


def test_memory_listings_equal_the_ledger_lookup(service: ScreeningService, full_ledger: Ledger) -> None:
    gen = service._current()
    ids = sorted({eid for (_snap, _ds, eid) in gen.records})
    datasets = {ds for (_snap, ds, _eid) in gen.records}
    assert {"us_ofac_sdn", "eu_fsf", "gb_hmt", "un_sc_sanctions"} <= datasets, datasets
    sample = ids[::50] + ["us-sdn-9760", "us-sdn-32746"]
    with_sanctions = 0
    for eid in sample:
        fast = _latest_listings(service, eid)
        assert fast is not None, eid
        slow = queries.show(full_ledger, eid, None)
        assert _dump(fast) == _dump(slow), eid
        with_sanctions += any(lst.sanctions for lst in fast)
    assert with_sanctions > len(sample) // 2
    # Lukashenko (OFAC SDN 9760) is on OFAC's list in 2021 and in the 2022 compilation.
    lists = [lst.dataset for lst in _latest_listings(service, "us-sdn-9760") or []]
    assert "us_ofac_sdn" in lists


def test_no_party_or_a_past_date_reads_the_ledger(service: ScreeningService) -> None:
    assert service.latest_records_of("no-such-entity") is None
    with pytest.raises(NotFoundError):
        entity_view(service, "no-such-entity", None)
    past = entity_view(service, "us-sdn-9760", "2019-06-01")
    assert past["as_of"] == "2019-06-01" and past["datasets"] == ["us_ofac_sdn"]
    latest = entity_view(service, "us-sdn-9760", None)
    # OFAC amended the record's name between the two dates (the ledger's own history).
    assert past["caption"] == "LUKASHENKA, Alyaksandr Hryhoryavich"
    assert latest["as_of"] is None and latest["caption"] == "LUKASHENKA, Alyaksandr Ryhorovich"


def test_evicted_records_fall_back_to_the_ledger(full_ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    svc = ScreeningService(Settings(store_path=full_ledger.path), full_ledger, Screener(full_ledger, None))
    svc.preload_records(None)
    assert svc.latest_records_of("us-sdn-9760") is not None
    # Reading a past date's parties pushes the oldest records out of a small cache: memory can no
    # longer say which lists hold a party, and the lookup goes back to the ledger.
    monkeypatch.setattr(screening_service, "MAX_CACHED_RECORDS", 1000)
    svc.load_records(date(2019, 6, 1), [("us_ofac_sdn", "us-sdn-9760")])
    assert svc.latest_records_of("us-sdn-9760") is None
    assert entity_view(svc, "us-sdn-9760", None)["datasets"]
