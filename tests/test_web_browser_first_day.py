"""Issue #19 item 7, web parts, in real headless Chromium over a live uvicorn on the linked
ledger: search shows a party once with its lists as badges, dates never wrap mid-date in the
divergence table, the status table fits a 400 px screen, stale data is flagged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest_service import LiveServer
from tests.test_api_support import linked_app
from tests.test_web_browser import ARGS, CHROMIUM, shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Chromium not installed (apt-get install -y chromium) — browser tests skipped"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with LiveServer(linked_app(tmp_path_factory)) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _page(browser: Any, server: LiveServer, width: int, height: int = 900) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=server.url)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def test_search_shows_each_party_once_with_list_badges(browser: Any, server: LiveServer) -> None:
    page = _page(browser, server, 1280)
    page.goto("/?q=Alexander+Lukashenko&as_of=2022-05-05")
    page.wait_for_selector("ol.results li.result")
    results = page.locator("ol.results li.result")
    parties = [results.nth(i).get_attribute("data-party") for i in range(results.count())]
    assert len(parties) == len(set(parties)), parties
    first = results.first
    assert first.get_attribute("data-entity") in ("us-sdn-9760", "eu-EU.5971.83", "uk-13918")
    badges = first.locator(".badge")
    assert [badges.nth(i).inner_text() for i in range(badges.count())] == ["eu_fsf", "gb_hmt", "us_ofac_sdn"]
    # The three records of the one party are listed inside its result, not as three results.
    assert first.locator("p.records a").count() == 3
    shot(page, "first-day-search")
    page.context.close()


def test_divergence_dates_do_not_wrap(browser: Any, server: LiveServer) -> None:
    page = _page(browser, server, 700)
    page.goto("/divergence?as_of=2022-05-05&country=by&between=us&between=eu&between=gb")
    page.wait_for_selector("table.divergent")
    dates = page.locator("table.divergent .date")
    assert dates.count() > 20
    # A date that wrapped would be drawn as two line boxes.
    lines = page.evaluate("""() => [...document.querySelectorAll('table.divergent .date')]
        .map(e => [e.textContent, e.getClientRects().length])""")
    wrapped = [text for text, n in lines if n != 1]
    assert not wrapped, wrapped[:5]
    assert any("2021-07-07 < … ≤ 2022-05-05" in text for text, _n in lines)
    shot(page, "first-day-divergence")
    page.context.close()


def test_status_table_fits_400px_and_flags_stale_data(browser: Any, server: LiveServer) -> None:
    page = _page(browser, server, 400, 800)
    page.goto("/status?q=Belaruskali")
    page.wait_for_selector("table.status")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways: {width}px"
    overflow = page.evaluate("""() => [...document.querySelectorAll('table.status td, table.status th')]
        .filter(c => c.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(c => c.textContent.trim().slice(0, 40))""")
    assert not overflow, overflow
    us = page.locator('tr[data-jurisdiction="us"]')
    assert us.locator(".state-stale").is_visible()
    assert "2022-05-05" in us.locator("td.snapshot").inner_text()
    assert "Snapshot:" in page.evaluate(
        """() => getComputedStyle(document.querySelector('tr[data-jurisdiction="us"] td.snapshot'),
                                  '::before').content""")
    shot(page, "first-day-status-400")
    page.context.close()
