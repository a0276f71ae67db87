"""Server-rendered pages (no browser): content, accessibility basics, errors as pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

pytest_plugins = ["tests.conftest_service"]

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def test_search_page_shows_scores_and_explanations(client: TestClient) -> None:
    r = client.get("/", params={"q": "Alexander Lukashenko", "as_of": "2021-07-07"})
    assert r.status_code == 200
    html = r.text
    assert 'data-entity="us-sdn-9760"' in html
    assert "name_tokens" in html and "lukashenko=lukashenko" in html
    assert re.search(r'class="score high"[^>]*>0\.9\d<', html)
    assert '<label for="q">' in html and "<main" in html and 'aria-label="Main"' in html


def test_entity_page(client: TestClient) -> None:
    html = client.get("/entity/us-sdn-9760").text
    assert "LUKASHENKA" in html
    assert 'id="party-timeline"' in html and 'data-kind="listed"' in html and 'data-kind="amended"' in html
    assert "<title id=\"party-timeline-t\">" in html
    assert "Cyrillic script" in client.get("/entity/eu-EU.5971.83").text or "Latin script" in html


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/entity/nope-1", 404, "no entity"),
    ("/entity/us-sdn-32615?as_of=2019-06-01", 200, "not on any list as of 2019-06-01"),
    ("/diff?from=2021-07-07&to=2019-01-15", 400, "before"),
    ("/lists?as_of=2021-02-30", 400, "not a date"),
    ("/timeline?country=Belarus", 400, "alpha-2"),
    ("/?q=%00%01", 400, "name"),
])
def test_errors_render_as_pages(client: TestClient, path: str, status: int, words: str) -> None:
    r = client.get(path, headers=HTML)
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert words in r.text and "Traceback" not in r.text


def test_diff_page(client: TestClient) -> None:
    html = client.get("/diff", params={"from": "2019-01-15", "to": "2021-07-07", "source": "us_ofac_sdn",
                                       "program": "BELARUS"}, headers=HTML).text
    assert re.search(r'data-dataset="us_ofac_sdn">.*?<td class="added">34</td>', html, re.S)


def test_lists_page(client: TestClient) -> None:
    html = client.get("/lists", params={"as_of": "2021-07-07", "program": "BELARUS"}, headers=HTML).text
    assert "<strong>59</strong> parties on 2021-07-07" in html


def test_timeline_page(client: TestClient) -> None:
    html = client.get("/timeline").text
    assert 'data-series="us" data-date="2021-07-07" data-value="8976"' in html
    assert 'data-series="eu"' in html and 'id="designation-chart"' in html
    by = client.get("/timeline", params={"country": "by"}).text
    assert 'id="snapshot-chart"' in by


def test_same_path_json_for_api_clients(client: TestClient) -> None:
    r = client.get("/lists", params={"as_of": "2021-07-07", "program": "BELARUS"})
    assert r.headers["content-type"] == "application/json" and r.json()["total"] == 59
    r = client.get("/diff", params={"from": "2019-01-15"}, headers={"Accept": "application/json"})
    assert r.headers["content-type"] == "application/json"
