"""Issue 17 in real headless Chromium: the status page says "listed — authorised" by GL 13 for
Belaruskali on 2025-12-20 (an authorisation, with its source link), and "delisted" for Belavia
in the US while the EU row stays listed, stale."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sanctions_ledger.server import create_app
from sanctions_ledger.settings import Settings
from tests.conftest_service import LiveServer
from tests.test_licences_support import licensed_ledger
from tests.test_web_browser import ARGS, CHROMIUM, pytestmark  # noqa: F401  (skip without Chromium)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    ledger, _screener, _facts = licensed_ledger(tmp_path_factory.getbasetemp())
    assert ledger.path is not None
    app = create_app(Settings(store_path=ledger.path, admin_token=None), ledger, warm=False)
    with LiveServer(app) as live:
        yield live


def test_status_page_shows_the_licence_and_the_delisting(server: LiveServer) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page: Any = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(f"{server.url}/status?q=Belaruskali&as_of=2025-12-20")
            us = page.locator('tr[data-jurisdiction="us"]')
            assert us.get_attribute("data-state") == "listed — authorised"
            licence = us.locator('li[data-licence="OFAC Belarus GL 13"]')
            assert "since 2025-12-15" in licence.inner_text() and "no expiry" in licence.inner_text()
            assert licence.locator("a").get_attribute("href", timeout=5_000).startswith("https://")
            assert "2025-12-24" in us.locator("p.partial").inner_text()
            page.goto(f"{server.url}/status?q=Belavia+Belarusian+Airlines&as_of=2025-12-20")
            assert page.locator('tr[data-jurisdiction="us"]').get_attribute("data-state") == "delisted"
            assert "2025-11-04" in page.locator("p.delisted-by").inner_text()
            eu = page.locator('tr[data-jurisdiction="eu"]')
            assert eu.get_attribute("data-state") == "listed" and "stale" in eu.inner_text()
        finally:
            browser.close()
