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


def shot(page: Any, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


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


@pytest.fixture(scope="module")
def linked_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A second server, over the linked ledger with the Belarus events (tests.test_api_support)."""
    from tests.conftest_service import LiveServer
    from tests.test_api_support import linked_app

    with LiveServer(linked_app(tmp_path_factory)) as server:
        yield server


@pytest.fixture
def linked_page(browser: Any, linked_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=linked_server.url)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def test_party_page_status_block_links_eu_and_uk_records(linked_page: Any) -> None:
    page = linked_page
    page.goto("/entity/us-sdn-9760?as_of=2022-05-05")
    block = page.get_by_role("region", name="Status by jurisdiction on 2022-05-05")
    table = block.get_by_role("table")
    for code in ("us", "eu", "gb"):
        row = table.locator(f'tr[data-jurisdiction="{code}"]')
        assert row.locator(".state").inner_text() == "listed", code
    assert table.locator('tr[data-jurisdiction="un"] .state').inner_text() == "unknown"
    linked = block.get_by_role("list")
    eu = linked.locator('li[data-jurisdiction="eu"]')
    uk = linked.locator('li[data-jurisdiction="gb"]')
    assert eu.locator("code").inner_text() == "eu-EU.5971.83" and "LUKASHENKA" in eu.inner_text()
    assert uk.locator("code").inner_text() == "uk-13918" and "name+dob" in uk.inner_text()
    shot(page, "entity-status")
    uk.get_by_role("link").click()
    page.wait_for_url("**/entity/uk-13918")
    assert page.locator("h1").inner_text().upper().startswith("LUKASHENKA")
    back = page.locator('.linked li[data-entity="us-sdn-9760"]')
    assert back.count() == 1  # the UK record's page links back to the OFAC record


def test_divergence_page_form(linked_page: Any) -> None:
    page = linked_page
    page.goto("/divergence")
    page.get_by_label("As of").fill("2022-05-05")
    page.get_by_label("Country").fill("by")
    page.get_by_role("checkbox", name="UN United Nations").uncheck()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("table.divergent")
    row = page.locator("table.divergent tbody tr", has_text="BELARUSKALI").first
    assert row.get_attribute("data-listed-by") == "gb,us"
    assert "designated 2021-12-02" in row.locator('td[data-jurisdiction="gb"]').inner_text()
    assert "not listed" in row.locator('td[data-jurisdiction="eu"]').inner_text()
    headers = page.locator("table.divergent thead th").all_inner_texts()
    assert headers == ["Party", "US", "EU", "GB"]
    total = sum(int(t) for t in page.locator("table.div-counts tbody td").all_inner_texts())
    assert total == page.locator("table.divergent tbody tr").count()
    shot(page, "divergence", full_page=False)  # the whole table is ~40 000 px tall
    row.screenshot(path=str(ARTIFACTS / "divergence-belaruskali.png"))


def test_timeline_chart_text(linked_page: Any) -> None:
    page = linked_page
    page.goto("/timeline?country=by&between=us&between=eu&between=gb")
    chart = page.locator("svg#timeline-chart")
    assert chart.get_attribute("role") == "img"
    assert "country BY" in chart.locator("title").first.text_content()
    legend = chart.locator("text.legend-observed").all_text_contents()
    assert "observed: 166 on 2022-05-05" in legend and len(legend) == 3
    events = chart.locator("text.event-label").all_text_contents()
    assert any(t.startswith("2021-08-09") and "14038" in t for t in events)
    counts = sorted(int(t) for t in chart.locator("text.observed-count").all_text_contents())
    data = page.request.get("/timeline?country=by&between=us,eu,gb").json()
    assert counts == sorted(n for s in data["series"] for _d, n in s["observed"])
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 300
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


def test_phone_width_divergence_and_timeline(browser: Any, linked_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=linked_server.url)
    pg = context.new_page()
    for path, name in (("/divergence?as_of=2022-05-05&country=by", "divergence-phone"),
                       ("/timeline?country=by", "timeline-phone")):
        pg.goto(path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, path
        pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
    context.close()


def test_api_docs_work_offline(page: Any) -> None:
    """/docs draws Swagger UI from assets this server ships (the browser here reaches no CDN,
    so a page that loaded Swagger UI from one stays blank)."""
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Sanctions Ledger" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/match/{dataset}").count() >= 1
    html = page.content()
    assert "cdn.jsdelivr.net" not in html and "/static-offline-docs/swagger-ui-bundle.js" in html
