"""Server-rendered pages (no browser): content, accessibility basics, errors as pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.test_api_support import linked_app

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
    assert "<h3>Latin script</h3>" in html and "Cyrillic script" not in html  # OFAC writes no Cyrillic
    eu = client.get("/entity/eu-EU.5971.83").text
    assert "<h3>Latin script</h3>" in eu and "<h3>Cyrillic script</h3>" in eu
    assert "Аляксандр Рыгоравіч ЛУКАШЭНКА" in eu


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/entity/nope-1", 404, "no entity"),
    ("/entity/us-sdn-32615?as_of=2019-06-01", 200, "not on any list as of 2019-06-01"),
    ("/diff?from=2021-07-07&to=2019-01-15", 400, "before"),
    ("/lists?as_of=2021-02-30", 400, "not a date"),
    ("/timeline?country=Belarus", 400, "alpha-2"),
    ("/divergence?between=us&between=xx", 400, "unknown jurisdiction"),
    ("/status?q=Qwxzv+Nonexistentovich+Plopp", 404, "no listed party matches"),
    ("/entity/sl-0000000000", 404, "no party or record"),
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


def test_timeline_page_unlinked_ledger(client: TestClient) -> None:
    html = client.get("/timeline", headers=HTML).text
    assert 'id="timeline-chart"' in html and 'role="img"' in html and "<title id=\"timeline-chart-t\">" in html
    assert 'data-jurisdiction="us"' in html and "2021-07-07: 8976" in html  # parties in the 2021 SDN file
    assert 'data-linking="none"' in html and "sanctions resolve" in html
    assert "sanctions events import --builtin belarus" in html


def test_entity_page_unlinked_ledger_says_how_to_link(client: TestClient) -> None:
    html = client.get("/entity/us-sdn-9760", headers=HTML).text
    assert 'class="status-block"' in html and 'data-linking="none"' in html and "sanctions resolve" in html
    assert re.search(r'data-jurisdiction="us" data-state="listed"', html)


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(linked_app(tmp_path_factory), raise_server_exceptions=False) as c:
        yield c


def test_entity_page_status_block(linked: TestClient) -> None:
    html = linked.get("/entity/us-sdn-9760", params={"as_of": "2022-05-05"}, headers=HTML).text
    block = html[html.index('class="status-block"'):html.index("</section>", html.index('class="status-block"'))]
    for code in ("us", "eu", "gb"):
        assert f'data-jurisdiction="{code}" data-state="listed"' in block
    assert 'data-jurisdiction="un" data-state="unknown"' in block
    assert '<th scope="col">Jurisdiction</th>' in block and "<caption>" in block
    assert '<a href="/entity/eu-EU.5971.83">' in block and '<a href="/entity/uk-13918">' in block
    assert "linked by name+dob" in block and 'data-linking="none"' not in block
    assert 'href="/divergence"' in html and 'href="/status"' in html  # navigation


def test_party_id_redirects_to_a_member(linked: TestClient) -> None:
    pid = linked.get("/parties/us-sdn-9760").json()["party_id"]
    r = linked.get(f"/entity/{pid}", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/entity/")


def test_status_page_by_name(linked: TestClient) -> None:
    html = linked.get("/status", params={"q": "Belaruskali", "as_of": "2022-05-05"}, headers=HTML).text
    assert '<label for="q">' in html and '<label for="as_of">' in html
    assert 'data-jurisdiction="us" data-state="listed"' in html
    assert 'data-jurisdiction="gb" data-state="listed"' in html
    assert 'data-jurisdiction="eu" data-state="not-listed"' not in html  # the attribute keeps the space
    assert 'data-jurisdiction="eu" data-state="not listed"' in html and "2021-12-02" in html


def test_divergence_page(linked: TestClient) -> None:
    form = linked.get("/divergence", headers=HTML).text
    assert "<legend>Jurisdictions</legend>" in form and '<label for="as_of">' in form
    assert form.count('type="checkbox" name="between"') == 4 and form.count("checked") == 4
    html = linked.get("/divergence", params={"as_of": "2022-05-05", "country": "by",
                                             "between": ["us", "eu", "gb"]}, headers=HTML).text
    row = re.search(r'<tr data-party="[^"]+" data-listed-by="gb,us">\s*<th scope="row"><a href="/entity/'
                    r'[^"]+">OPEN JOINT STOCK COMPANY &#34;BELARUSKALI&#34;</a>.*?</tr>', html, re.S)
    assert row, "Belaruskali's party row"
    assert "designated 2021-12-02" in row.group(0) and "not in the snapshot of 2022-05-05" in row.group(0)
    assert '<th scope="col">EU</th>' in html and 'data-combo="gb+us"' in html
    assert "un: no sanctions list snapshot on or before 2022-05-05" not in html  # UN not asked for


def test_timeline_page_with_events(linked: TestClient) -> None:
    html = linked.get("/timeline", params={"country": "by", "between": ["us", "eu", "gb"]}, headers=HTML).text
    assert 'class="event-label"' in html and "2021-08-09" in html
    assert 'data-jurisdiction="un"' not in html and "<legend>Jurisdictions</legend>" in html
    assert '<time datetime="2020-08-09">' in html and 'href="/timeline.svg?' in html


def test_same_path_json_for_api_clients(client: TestClient) -> None:
    r = client.get("/lists", params={"as_of": "2021-07-07", "program": "BELARUS"})
    assert r.headers["content-type"] == "application/json" and r.json()["total"] == 59
    r = client.get("/diff", params={"from": "2019-01-15"}, headers={"Accept": "application/json"})
    assert r.headers["content-type"] == "application/json"
