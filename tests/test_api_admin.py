"""Admin endpoints and the empty store, on their own small ledgers."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from sanctions_ledger.loading import DEFAULT_SOURCES
from sanctions_ledger.server import create_app
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger

from .conftest import DATA

CSL = DATA / "us-csl" / "2019-12-03" / "csl.csv"
SDN = DATA / "ofac-sdn" / "2021-07-07"
TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def admin_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(store_path=tmp_path / "ledger.duckdb", admin_token=TOKEN)
    ledger = Ledger.open(settings.store_path)
    with TestClient(create_app(settings, ledger, warm=False), raise_server_exceptions=False) as c:
        yield c
    ledger.close()


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_empty_store_answers_plainly(admin_client: TestClient) -> None:
    r = admin_client.post("/match/default", json={"queries": {"q": {"schema": "Person",
                                                                     "properties": {"name": ["x"]}}}})
    assert r.status_code == 404 and "sanctions ingest" in r.json()["detail"]
    assert admin_client.get("/readyz").json()["status"] == "ok"
    assert admin_client.get("/sources").json() == {"snapshots": []}
    page = admin_client.get("/")
    assert page.status_code == 200 and "sanctions ingest" in page.text and "serve --update" in page.text
    assert "sanctions ingest" in admin_client.get("/timeline", headers={"Accept": "text/html"}).text
    for path in ("/timeline", "/divergence", "/status?q=x"):
        r = admin_client.get(path)
        assert r.status_code == 404 and "sanctions ingest" in r.json()["detail"], (path, r.text)


def test_admin_auth(admin_client: TestClient) -> None:
    files = {"files": ("csl.csv", CSL.read_bytes(), "text/csv")}
    assert admin_client.post("/admin/ingest", files=files).status_code == 401
    assert admin_client.post("/admin/ingest", files=files, headers=auth("wrong")).status_code == 403
    assert admin_client.post("/admin/ingest", files=files,
                             headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401


def test_upload_ingests_and_is_served_next(admin_client: TestClient) -> None:
    files = {"files": ("csl.csv", CSL.read_bytes(), "text/csv")}
    r = admin_client.post("/admin/ingest", files=files, data={"observed_at": "2019-12-03"}, headers=auth())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["kind"] == "us_csl" and not body["skipped"] and body["observed_at"] == "2019-12-03"
    again = admin_client.post("/admin/ingest", files=files, data={"observed_at": "2019-12-03"}, headers=auth())
    assert again.json()["skipped"] is True
    datasets = {s["dataset"] for s in admin_client.get("/sources").json()["snapshots"]}
    assert datasets and datasets == set(body["datasets"])


def test_upload_of_a_file_set(admin_client: TestClient) -> None:
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(SDN.iterdir())
             if p.suffix == ".csv"]
    r = admin_client.post("/admin/ingest", files=files, data={"observed_at": "2021-07-07"}, headers=auth())
    assert r.status_code == 200, r.text
    assert r.json()["datasets"]["us_ofac_sdn"] == 8976
    hit = admin_client.post("/match/us_ofac_sdn", json={"queries": {"q": {
        "schema": "Person", "properties": {"name": ["Alexander Lukashenko"]}}}}).json()
    assert hit["responses"]["q"]["results"][0]["id"] == "us-sdn-9760"


@pytest.mark.parametrize(("name", "content", "status"), [
    ("notes.txt", b"hello, this is not a sanctions list\n", 422),
    ("../../etc/passwd", b"root:x:0:0\n", 422),
])
def test_upload_rejects_junk(admin_client: TestClient, name: str, content: bytes, status: int) -> None:
    r = admin_client.post("/admin/ingest", files={"files": (name, content)}, headers=auth())
    assert r.status_code == status, r.text
    assert "Traceback" not in r.text


def test_upload_over_the_cap_is_413(tmp_path: Path) -> None:
    settings = Settings(store_path=tmp_path / "l.duckdb", admin_token=TOKEN, max_body_bytes=1000,
                        download_max_bytes=2000)
    ledger = Ledger.open(settings.store_path)
    with TestClient(create_app(settings, ledger, warm=False)) as c:
        r = c.post("/admin/ingest", files={"files": ("csl.csv", CSL.read_bytes())}, headers=auth())
        assert r.status_code == 413
        # without the token the small cap applies, before any authentication or parsing
        small = c.post("/admin/ingest", files={"files": ("x.csv", b"x" * 1500)}, headers=auth("wrong"))
        assert small.status_code == 413
        ok_size = c.post("/admin/ingest", files={"files": ("x.csv", b"x" * 1500)}, headers=auth())
        assert ok_size.status_code == 422
    ledger.close()


def test_update_without_network_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every download fails (the network is cut at httpx's transport, whatever this machine can
    reach): one 502 naming each default source, and nothing ingested."""

    def offline(_transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("network off in this test", request=request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", offline)
    settings = dataclasses.replace(Settings(store_path=tmp_path / "l.duckdb", admin_token=TOKEN),
                                   download_timeout=0.5, download_retries=0)
    ledger = Ledger.open(settings.store_path)
    with TestClient(create_app(settings, ledger, warm=False), raise_server_exceptions=False) as c:
        r = c.post("/admin/update", headers=auth())
        snapshots = c.get("/sources").json()["snapshots"]
    ledger.close()
    assert r.status_code == 502, r.text
    detail = r.json()["detail"]
    assert detail.startswith("no list could be updated: ") and "network off in this test" in detail
    assert [part.split(":")[0] for part in detail.removeprefix("no list could be updated: ").split("; ")] \
        == list(DEFAULT_SOURCES)
    assert snapshots == []


def test_cors_when_configured(tmp_path: Path) -> None:
    settings = Settings(store_path=tmp_path / "l.duckdb", cors_origins=("https://app.example",))
    ledger = Ledger.open(settings.store_path)
    with TestClient(create_app(settings, ledger, warm=False)) as c:
        r = c.get("/healthz", headers={"Origin": "https://app.example"})
        assert r.headers["access-control-allow-origin"] == "https://app.example"
    ledger.close()
