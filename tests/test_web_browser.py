"""The web UI in real headless Chromium (Playwright driving Debian's /usr/bin/chromium)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

pytest_plugins = ["tests.conftest_service"]

if TYPE_CHECKING:
    from tests.conftest_service import LiveServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "_artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Chromium not installed (apt-get install -y chromium) — browser tests skipped"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search_then_party_page(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Name").fill("Alexander Lukashenko")
    page.get_by_label("As of").fill("2021-07-07")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("ol.results li.result")
    first = page.locator("ol.results li.result").first
    assert first.get_attribute("data-entity") == "us-sdn-9760"
    assert float(first.locator(".score").inner_text()) >= 0.8
    assert "lukashenko" in first.locator(".explanation").inner_text().lower()
    shot(page, "search")
    first.locator("a.result-name").click()
    page.wait_for_selector("#party-timeline")
    assert page.locator("h1").inner_text().startswith("LUKASHENKA")
    marks = page.locator("#party-timeline .mark")
    assert marks.count() >= 2
    kinds = {marks.nth(i).get_attribute("data-kind") for i in range(marks.count())}
    assert {"listed", "amended"} <= kinds
    box = page.locator("#party-timeline").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 50
    assert page.get_by_role("heading", name="Listings").is_visible()
    shot(page, "entity")


def test_diff_page(page: Any) -> None:
    page.goto("/diff")
    page.get_by_label("From").fill("2019-01-15")
    page.get_by_label("To").fill("2021-07-07")
    page.get_by_label("List").select_option("us_ofac_sdn")
    page.get_by_label("Program").fill("BELARUS")
    page.get_by_role("button", name="Compare").click()
    row = page.locator('tr[data-dataset="us_ofac_sdn"]')
    row.wait_for()
    assert row.locator("td.added").inner_text() == "34"
    assert page.locator("table.entries tbody tr.change-added").count() == 34
    shot(page, "diff")


def test_timeline_chart_has_data(page: Any) -> None:
    page.goto("/timeline?country=by")
    points = page.locator("#snapshot-chart circle.point")
    assert points.count() >= 3
    values = [int(points.nth(i).get_attribute("data-value") or 0) for i in range(points.count())]
    assert max(values) > 100
    shot(page, "timeline")


def test_phone_width_has_no_horizontal_scroll(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    pg = context.new_page()
    pg.goto("/entity/us-sdn-9760")
    overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    images = pg.locator("svg[role=img]")
    assert images.count() >= 1 and images.first.locator(":scope > title").count() == 1
    pg.screenshot(path=str(ARTIFACTS / "entity-phone.png"), full_page=False)
    context.close()
