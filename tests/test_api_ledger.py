"""Entity, history, lists, diff, sources, search and system endpoints on the real lists."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytest_plugins = ["tests.conftest_service"]


def test_entity_as_of(client: TestClient) -> None:
    r = client.get("/entities/us-sdn-9760", params={"as_of": "2021-07-07"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["properties"]["name"] == ["LUKASHENKA, Alyaksandr Hryhoryavich"]
    assert body["schema"] == "Person" and body["datasets"] == ["us_ofac_sdn"]
    assert body["as_of"] == "2021-07-07"
    assert body["listings"][0]["observed_at"] == "2021-07-07"
    assert body["properties"]["sanctions"][0]["properties"]["program"] == ["BELARUS"]
    assert body["first_seen"].startswith("2019-01-15")


def test_entity_before_its_listing_is_404_with_dates(client: TestClient) -> None:
    r = client.get("/entities/us-sdn-32615", params={"as_of": "2019-06-01"})
    assert r.status_code == 404
    assert "not on any list as of 2019-06-01" in r.json()["detail"]


@pytest.mark.parametrize("path", [
    "/entities/nope-123", "/entities/..%2F..%2Fetc%2Fpasswd", "/entities/%00", "/entities/a%20b",
    "/entities/%2E%2E", "/entities/" + "x" * 300, "/entities/us-sdn-9760%2F..%2Fhistory",
])
def test_path_tricks_are_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert 400 <= r.status_code < 500, (path, r.status_code)
    assert r.headers["content-type"].startswith("application/json")
    assert isinstance(r.json()["detail"], str)


def test_history(client: TestClient) -> None:
    events = client.get("/entities/us-sdn-9760/history").json()["events"]
    kinds = [(e["kind"], e["dataset"], e["observed"]) for e in events]
    assert ("listed", "us_ofac_sdn", "2019-01-15") in kinds
    amended = [e for e in events if e["kind"] == "amended"]
    assert amended and amended[0]["changes"]


def test_diff_belarus(client: TestClient) -> None:
    r = client.get("/diff", params={"from": "2019-01-15", "to": "2021-07-07", "source": "us_ofac_sdn",
                                    "program": "BELARUS"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["counts"]["us_ofac_sdn"]["added"] == 34
    added = [e for e in body["entries"] if e["change"] == "added"]
    assert len(added) == 34 and all(e["dataset"] == "us_ofac_sdn" for e in added)


@pytest.mark.parametrize(("params", "status"), [
    ({"from": "2021-07-07", "to": "2019-01-15"}, 400),
    ({"from": "July"}, 400),
    ({}, 422),
    ({"from": "2019-01-15", "source": "xx_nope"}, 404),
    ({"from": "2019-01-15", "country": "Belarus"}, 422),
])
def test_diff_errors(client: TestClient, params: dict[str, str], status: int) -> None:
    r = client.get("/diff", params=params)
    assert r.status_code == status, r.text
    assert isinstance(r.json()["detail"], str)


def test_lists_as_of_with_filters(client: TestClient) -> None:
    r = client.get("/lists", params={"as_of": "2021-07-07", "source": "us_ofac_sdn", "program": "BELARUS",
                                     "limit": 10})
    body = r.json()
    assert body["total"] == 59 and len(body["results"]) == 10
    assert all(p["dataset"] == "us_ofac_sdn" for p in body["results"])
    earlier = client.get("/lists", params={"as_of": "2019-01-15", "source": "us_ofac_sdn",
                                           "program": "BELARUS"}).json()
    assert earlier["total"] == 59 - 34 + sum(0 for _ in ())  # no Belarus delistings in between
    country = client.get("/lists", params={"as_of": "2022-05-05", "country": "by", "limit": 1}).json()
    assert country["total"] > 100


def test_sources(client: TestClient) -> None:
    snaps = client.get("/sources").json()["snapshots"]
    sdn = [s for s in snaps if s["dataset"] == "us_ofac_sdn"]
    assert [s["observed_at"] for s in sdn] == ["2019-01-15", "2021-07-07", "2022-05-05"]
    assert {"eu_fsf", "gb_hmt"} <= {s["dataset"] for s in snaps}


def test_search(client: TestClient) -> None:
    body = client.get("/search", params={"q": "Lukashenko", "as_of": "2021-07-07"}).json()
    assert body["results"] and all(r["caption"] for r in body["results"])
    assert any(r["id"] == "us-sdn-9760" for r in body["results"])
    one = client.get("/search/eu_fsf", params={"q": "Lukashenko", "limit": 3}).json()
    assert one["results"] and {d for r in one["results"] for d in r["datasets"]} == {"eu_fsf"}
    assert client.get("/search").status_code == 422
    assert client.get("/search/xx_nope", params={"q": "x"}).status_code == 404


def test_system(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    algos = client.get("/algorithms").json()
    assert algos["default"] == algos["best"] == "ledger-v1"
    assert "identifier" in algos["algorithms"][0]["features"]
    catalog = client.get("/catalog").json()
    assert "us_ofac_sdn" in catalog["current"]
    assert client.get("/readyz").status_code in (200, 503)


def test_openapi_has_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/match/{dataset}", "/entities/{entity_id}", "/diff", "/lists", "/search", "/healthz"):
        assert path in spec["paths"], path
    body = spec["paths"]["/match/{dataset}"]["post"]["requestBody"]["content"]["application/json"]
    assert "examples" in body


def test_cors_is_off_by_default(client: TestClient) -> None:
    r = client.options("/match/default", headers={"Origin": "https://evil.example",
                                                  "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers
    r = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_admin_disabled_without_token(client: TestClient) -> None:
    r = client.post("/admin/update")
    assert r.status_code == 404 and "disabled" in r.json()["detail"]
    r = client.post("/admin/ingest", files={"files": ("sdn.csv", b"x")},
                    headers={"Authorization": "Bearer anything"})
    assert r.status_code == 404
