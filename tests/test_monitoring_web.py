"""Monitoring over HTTP: the API (/books, /books/{name}/customers, /alerts, /alerts/{id},
POST /alerts/{id}/decision with the admin or the book's token) and the web pages (alerts
queue, alert page with the decision form, book page) in real headless Chromium."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sanctions_ledger.monitoring import import_book, monitor
from sanctions_ledger.monitoring.runs import service_over
from sanctions_ledger.server import create_app
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger, ingest
from sanctions_ledger.store.books import set_book_token

from .conftest import SDN_2019, SDN_2021
from .conftest_service import LiveServer

ADMIN = "admin-token-for-monitoring-tests"
BOOK_TOKEN = "book-token-for-the-desk"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BOOK = """customer_id,name,schema,birth_date,country,identifier,desk
k1,Yuriy Karaev,Person,1966-06-21,,,retail
k2,Minsk Special Purpose Police Unit,Organization,,by,,corporate
k3,Al Baraka Exchange LLC,Organization,,,,corporate
k4,Olivia Thornbury,Person,1980-02-03,gb,,retail
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    folder = tmp_path_factory.mktemp("monitoring-web")
    ledger = Ledger.open(folder / "ledger.duckdb")
    ingest(ledger, SDN_2019)
    (folder / "desk.csv").write_text(BOOK, encoding="utf-8")
    import_book(ledger, folder / "desk.csv", "desk")
    service = service_over(ledger)
    monitor(ledger, service, "desk")
    ingest(ledger, SDN_2021)
    monitor(ledger, service, "desk")
    set_book_token(ledger, "desk", hashlib.sha256(BOOK_TOKEN.encode()).hexdigest())
    yield ledger
    ledger.close()


@pytest.fixture(scope="module")
def client(store: Ledger) -> Iterator[TestClient]:
    assert store.path is not None
    app = create_app(Settings(store_path=store.path, admin_token=ADMIN), store, warm=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def alert_of(client: TestClient, customer: str, kind: str) -> dict[str, Any]:
    found = client.get("/alerts", params={"book": "desk", "kind": kind, "customer_id": customer}).json()
    assert found["count"] == 1, found
    alert: dict[str, Any] = found["alerts"][0]
    return alert


def test_books_and_customers(client: TestClient) -> None:
    books = client.get("/books").json()["books"]
    assert [(b["name"], b["version"], b["customers"]) for b in books] == [("desk", 1, 4)]
    page = client.get("/books/desk/customers", params={"q": "minsk"}).json()
    assert page["total"] == 1 and page["customers"][0]["customer_id"] == "k2"
    assert page["customers"][0]["extra"] == '{"desk": "corporate"}'
    assert client.get("/books/nope/customers").status_code == 404
    runs = client.get("/books/desk").json()["runs"]
    assert [r["mode"] for r in runs] == ["incremental", "full"]


def test_alerts_filters_and_detail(client: TestClient) -> None:
    assert client.get("/alerts", params={"kind": "bogus"}).status_code == 400
    cleared = alert_of(client, "k3", "hit_cleared")
    assert cleared["entity_id"] == "us-sdn-6953" and cleared["reason"] == "party delisted: no longer on us_ofac_sdn"
    new = alert_of(client, "k2", "new_hit")
    assert new["entity_id"] == "us-sdn-30547" and new["trigger"]["change"] == "added"
    detail = client.get(f"/alerts/{new['id']}").json()
    assert detail["customer"]["name"] == "Minsk Special Purpose Police Unit"
    assert detail["party"]["properties"]["name"] == ["MINSK SPECIAL PURPOSE POLICE UNIT"]
    assert detail["party"]["snapshot_id"] == "ofac_csv-6a04a6f7341690c9"
    assert client.get("/alerts", params={"state": "open", "book": "desk"}).json()["count"] >= 3
    assert client.get("/alerts/al-nope").status_code == 404


def test_decision_needs_a_token(client: TestClient) -> None:
    new = alert_of(client, "k1", "new_hit")
    url = f"/alerts/{new['id']}/decision"
    body = {"decision": "escalated", "author": "desk-analyst", "note": "same DOB"}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers={"Authorization": "Bearer wrong"}).status_code == 403
    made = client.post(url, json=body, headers={"Authorization": f"Bearer {BOOK_TOKEN}"})
    assert made.status_code == 201, made.text
    assert made.json()["alert"]["state"] == "escalated"
    bad = client.post(url, json={**body, "decision": "maybe"}, headers={"Authorization": f"Bearer {ADMIN}"})
    assert bad.status_code == 400
    final = client.post(url, json={**body, "decision": "true_match"}, headers={"Authorization": f"Bearer {ADMIN}"})
    assert final.status_code == 201
    history = client.get(f"/alerts/{new['id']}").json()["decisions"]
    assert [(d["decision"], d["author"]) for d in history] == [("escalated", "desk-analyst"),
                                                               ("true_match", "desk-analyst")]


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium not installed — browser test skipped")
def test_alerts_in_chromium(store: Ledger, client: TestClient) -> None:
    from playwright.sync_api import sync_playwright

    assert store.path is not None
    app = create_app(Settings(store_path=store.path, admin_token=ADMIN), store, warm=False)
    with LiveServer(app) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(base_url=server.url)
        page.set_default_timeout(60_000)
        page.goto("/alerts")
        page.get_by_label("Kind").select_option("hit_cleared")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url("**/alerts?*kind=hit_cleared*")
        rows = page.locator("table tbody tr")
        assert rows.count() == 1 and "AL BARAKA EXCHANGE LLC" in rows.first.inner_text()
        page.goto("/alerts?kind=new_hit&book=desk")
        page.get_by_role("link", name="MINSK SPECIAL PURPOSE POLICE UNIT").wait_for()
        page.locator("table tbody tr", has_text="k2").get_by_role("link").first.click()
        page.wait_for_selector("#trigger")
        assert "us_ofac_sdn" in page.locator("#trigger").inner_text()
        assert "added" in page.locator("#trigger").inner_text()
        assert page.get_by_role("heading", name="Customer").is_visible()
        assert page.get_by_role("heading", name="Listed party").is_visible()
        page.get_by_label("Decision", exact=True).select_option("false_positive")
        page.get_by_label("Author").fill("web-analyst")
        page.get_by_label("Note").fill("a different unit")
        page.get_by_label("Token (admin or book)").fill("wrong")
        page.get_by_role("button", name="Record decision").click()
        page.get_by_role("alert").wait_for()
        assert "invalid token" in page.get_by_role("alert").inner_text()
        page.get_by_label("Token (admin or book)").fill(BOOK_TOKEN)
        page.get_by_role("button", name="Record decision").click()
        page.wait_for_url("**decided=false_positive")
        assert page.locator("#state").inner_text() == "false_positive"
        assert "web-analyst" in page.locator("#decisions").inner_text()
        page.get_by_role("link", name="desk").first.click()
        page.wait_for_selector("#customers")
        assert page.locator("#customers").inner_text() == "4"
        assert page.get_by_role("heading", name="Monitoring runs").is_visible()
        browser.close()
