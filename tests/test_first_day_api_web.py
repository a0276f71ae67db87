"""Issue #19 items 1, 6 and the web parts of 7 through the API and the HTML pages (TestClient):
snapshot dates, ages and stale flags in /status, /divergence, /timeline and /search; "since"
the same in the API and the web; search grouped by party; a date shown once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from sanctions_ledger.web.data import shown_values
from tests.test_api_support import linked_app

pytest_plugins = ["tests.conftest_service"]

HTML = {"accept": "text/html"}
FTM_DAY = "2022-05-05"


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(linked_app(tmp_path_factory), raise_server_exceptions=False) as c:
        yield c


def _rows(body: dict[str, object]) -> dict[str, dict[str, object]]:
    return {r["jurisdiction"]: r for r in body["jurisdictions"]}  # type: ignore[attr-defined,index]


def test_status_api_today_is_todays_date_and_stale(linked: TestClient) -> None:
    today = date.today().isoformat()
    word = linked.get("/status", params={"q": "us-sdn-32746", "as_of": "today"}).json()
    explicit = linked.get("/status", params={"q": "us-sdn-32746", "as_of": today}).json()
    assert word["jurisdictions"] == explicit["jurisdictions"]
    assert word["asked"] == explicit["asked"] == today and explicit["stale"] is True
    us = _rows(explicit)["us"]
    assert us["state"] == "listed" and us["snapshot_date"] == FTM_DAY and us["stale"] is True
    assert us["age_days"] == (date.today() - date(2022, 5, 5)).days
    sdn = next(f for f in us["freshness"] if f["dataset"] == "us_ofac_sdn")  # type: ignore[attr-defined]
    assert sdn == {"dataset": "us_ofac_sdn", "snapshot": FTM_DAY, "age_days": us["age_days"],
                   "stale": True, "stale_after_days": 7}


def test_since_is_the_same_in_the_api_and_the_web(linked: TestClient) -> None:
    body = linked.get("/status", params={"q": "Belaruskali", "as_of": FTM_DAY}).json()
    rows = _rows(body)
    assert rows["us"]["since"] == "2021-07-07 < … ≤ 2022-05-05 (observed)"
    assert rows["us"]["observed_after"] == "2021-07-07" and rows["us"]["stale"] is False
    assert rows["gb"]["since"] == "2021-12-02 (gb_hmt: designation date the list gives)"
    html = linked.get("/status", params={"q": "Belaruskali", "as_of": FTM_DAY}, headers=HTML).text
    us_row = re.search(r'<tr data-jurisdiction="us".*?</tr>', html, re.S)
    assert us_row is not None
    assert '<span class="date">2021-07-07 &lt; … ≤ 2022-05-05</span>' in us_row.group(0)
    assert "us_ofac_sdn, 0 days old" in us_row.group(0)
    luka = linked.get("/status", params={"q": "us-sdn-9760", "as_of": FTM_DAY}).json()
    assert "not necessarily the first EU listing" in _rows(luka)["eu"]["since"]
    page = linked.get("/entity/eu-EU.5971.83", params={"as_of": FTM_DAY}, headers=HTML).text
    assert "EU entry dated</span> <span class=\"date\">2021-02-26</span>" in page
    assert "not necessarily the first EU listing" in page


def test_latest_status_page_flags_stale_rows(linked: TestClient) -> None:
    html = linked.get("/status", params={"q": "us-sdn-32746"}, headers=HTML).text
    us_row = re.search(r'<tr data-jurisdiction="us".*?</tr>', html, re.S)
    assert us_row is not None and 'class="state state-stale"' in us_row.group(0)
    days = (date.today() - date(2022, 5, 5)).days
    assert f"us_ofac_sdn, {days} days old, stale" in us_row.group(0)


def test_divergence_and_timeline_api_carry_dates(linked: TestClient) -> None:
    body = linked.get("/divergence", params={"country": "by", "between": "us,eu"}).json()
    assert body["stale"] is True
    eu = body["freshness"]["eu"]
    assert [(f["dataset"], f["snapshot"], f["stale"]) for f in eu] == [("eu_fsf", FTM_DAY, True)]
    on_day = linked.get("/divergence", params={"country": "by", "between": "us,eu,uk", "as_of": FTM_DAY}).json()
    assert on_day["stale"] is False
    kali = next(p for p in on_day["parties"] if "us-sdn-32746" in p["sides"]["us"]["entity_ids"])
    assert kali["sides"]["us"]["since"] == "2021-07-07 < … ≤ 2022-05-05"
    assert kali["sides"]["gb"]["designated_list"] == "gb_hmt"
    series = linked.get("/timeline", params={"country": "by", "between": "us,eu"}).json()["series"]
    assert {s["jurisdiction"]: s["last_snapshot"] for s in series} == {"us": FTM_DAY, "eu": FTM_DAY}


def test_search_api_gives_the_snapshot_dates(client: TestClient) -> None:
    body = client.get("/search/default", params={"q": "Belaruskali"}).json()
    assert "us-sdn-32746" in [r["id"] for r in body["results"]]
    fresh = body["freshness"]
    assert fresh["asked"] == date.today().isoformat() and fresh["stale"] is True
    sdn = next(f for f in fresh["lists"] if f["dataset"] == "us_ofac_sdn")
    assert sdn["snapshot"] == FTM_DAY and sdn["stale"] is True
    assert any("us_ofac_sdn" in n and f"last snapshot {FTM_DAY}" in n for n in fresh["notes"])
    old = client.get("/search/default", params={"q": "Lukashenka", "as_of": "2021-07-07"}).json()
    sdn_2021 = next(f for f in old["freshness"]["lists"] if f["dataset"] == "us_ofac_sdn")
    assert sdn_2021 == {"dataset": "us_ofac_sdn", "snapshot": "2021-07-07", "age_days": 0,
                        "stale": False, "stale_after_days": 7}


def test_web_search_lists_a_party_once_with_its_lists(linked: TestClient) -> None:
    html = linked.get("/", params={"q": "Alexander Lukashenko", "as_of": FTM_DAY}, headers=HTML).text
    items = re.findall(r'<li class="result" data-party="([^"]+)" data-entity="([^"]+)">(.*?)</li>\s*(?=<li class="result"|</ol>)',
                       html, re.S)
    parties = [p for p, _e, _body in items]
    assert len(parties) == len(set(parties)), parties
    luka = next(body for _p, e, body in items if e in ("us-sdn-9760", "eu-EU.5971.83", "uk-13918"))
    badges = re.findall(r'<span class="tag badge" data-dataset="([^"]+)">', luka)
    assert badges == ["eu_fsf", "gb_hmt", "us_ofac_sdn"]
    assert 'class="freshness stale"' in html or 'data-stale="false"' in html


def test_a_year_and_its_padded_date_show_once(linked: TestClient) -> None:
    assert shown_values("birthDate", ["1964", "1964-01-01"]) == ["1964"]
    assert shown_values("birthDate", ["1943", "1943-08-17", "1944"]) == ["1943-08-17", "1944"]
    assert shown_values("birthDate", ["1954-08-30", "1954-08-31"]) == ["1954-08-30", "1954-08-31"]
    assert shown_values("alias", ["A", "A"]) == ["A", "A"]  # only dates are folded
    # The UN list gives un-CDi.024 the birth year 1964 both as "1964" and as "1964-01-01".
    html = linked.get("/entity/un-CDi.024", headers=HTML).text
    assert re.search(r"<dt>birthDate</dt><dd>1964</dd>", html), re.findall(r"<dt>birthDate</dt><dd>[^<]*", html)
