"""POST /match/{dataset}: yente's shape, facts from the real lists, limits and errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytest_plugins = ["tests.conftest_service"]


def person(name: str, **props: list[str]) -> dict[str, Any]:
    return {"schema": "Person", "properties": {"name": [name], **props}}


def match(client: TestClient, queries: dict[str, Any], dataset: str = "default", **params: Any) -> Any:
    return client.post(f"/match/{dataset}", params=params, json={"queries": queries})


def test_yente_response_shape(client: TestClient) -> None:
    r = match(client, {"q1": person("Alexander Lukashenko")}, as_of="2021-07-07")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) >= {"responses", "matcher", "limit"}
    assert body["limit"] == 5 and body["as_of"] == "2021-07-07"
    assert body["snapshot_ids"] and all(s.startswith("ofac_csv-") for s in body["snapshot_ids"])
    assert "name_tokens" in body["matcher"] and "coefficient" in body["matcher"]["name_tokens"]
    resp = body["responses"]["q1"]
    assert resp["status"] == 200
    assert resp["total"] == {"value": len(resp["results"]), "relation": "eq"}
    assert resp["query"]["schema"] == "Person"
    assert resp["query"]["properties"]["name"] == ["Alexander Lukashenko"]
    top = resp["results"][0]
    for key in ("id", "caption", "schema", "properties", "datasets", "referents", "target", "first_seen",
                "last_seen", "last_change", "score", "features", "match", "explanations"):
        assert key in top
    assert top["id"] == "us-sdn-9760"
    assert top["datasets"] == ["us_ofac_sdn"]
    assert top["match"] is True and 0.8 <= top["score"] <= 1.0
    assert top["features"]["name_tokens"] == top["explanations"]["name_tokens"]["score"]
    assert "lukashenko" in top["explanations"]["name_tokens"]["detail"]
    assert top["first_seen"].startswith("2019-01-15")
    sanction = top["properties"]["sanctions"][0]
    assert sanction["schema"] == "Sanction" and sanction["properties"]["program"] == ["BELARUS"]
    scores = [h["score"] for h in resp["results"]]
    assert scores == sorted(scores, reverse=True)


def test_lukashenko_ranks_first_in_the_ofac_list(client: TestClient) -> None:
    r = match(client, {"q": person("Alexander Lukashenko", birthDate=["1954-08-30"])}, "us_ofac_sdn")
    top = r.json()["responses"]["q"]["results"][0]
    assert top["id"] == "us-sdn-9760"
    assert "birth_date" in top["features"]


def test_as_of_before_any_snapshot_is_404(client: TestClient) -> None:
    r = match(client, {"q": person("Alexander Lukashenko")}, as_of="2001-01-01")
    assert r.status_code == 404
    assert "no list snapshot" in r.json()["detail"]


def test_batch_keys_are_echoed(client: TestClient) -> None:
    queries = {"a": person("Vladimir Putin"),
               "b": {"schema": "Organization", "properties": {"name": "Banco Nacional de Cuba"}}}
    body = match(client, queries).json()
    assert set(body["responses"]) == {"a", "b"}
    assert body["responses"]["b"]["query"]["properties"]["name"] == ["Banco Nacional de Cuba"]


def test_threshold_flags_and_cutoff_drops(client: TestClient) -> None:
    q = {"q": person("Alexander Lukashenko")}
    strict = match(client, q, threshold=0.99, limit=10).json()["responses"]["q"]["results"]
    assert strict and not any(h["match"] for h in strict)
    cut = match(client, q, cutoff=0.9, threshold=0.9, limit=10).json()["responses"]["q"]["results"]
    assert all(h["score"] >= 0.9 for h in cut)
    assert len(cut) < len(match(client, q, limit=10).json()["responses"]["q"]["results"])


def test_dataset_filters(client: TestClient) -> None:
    q = {"q": person("Alexander Lukashenko")}
    only = match(client, q, "eu_fsf", limit=10).json()["responses"]["q"]["results"]
    assert only and {d for h in only for d in h["datasets"]} == {"eu_fsf"}
    excl = match(client, q, exclude_dataset=["eu_fsf"], limit=10).json()["responses"]["q"]["results"]
    assert "eu_fsf" not in {d for h in excl for d in h["datasets"]}
    incl = match(client, q, include_dataset=["gb_hmt"], limit=10).json()["responses"]["q"]["results"]
    assert {d for h in incl for d in h["datasets"]} == {"gb_hmt"}


def test_topics_filter(client: TestClient) -> None:
    q = {"q": person("Alexander Lukashenko")}
    assert match(client, q, topics=["sanction"]).json()["responses"]["q"]["results"]
    assert match(client, q, topics=["debarment"]).json()["responses"]["q"]["results"] == []


@pytest.mark.parametrize(("params", "body", "status", "words"), [
    ({}, {"queries": {}}, 400, "no queries"),
    ({}, {"queries": {"q": {"schema": "Person", "properties": {"birthDate": ["1954"]}}}}, 400, "no name"),
    ({}, {"queries": {"q": person("Lukashenko", birthDate=["30.08.1954"])}}, 400, "birth date"),
    ({}, {"queries": {"q": person("x" * 1001)}}, 422, "longer than"),
    ({}, {"queries": {"q": person("Lukashenko")}, "extra": 1}, 200, ""),
    ({"as_of": "2021-13-01"}, {"queries": {"q": person("Lukashenko")}}, 400, "not a date"),
    ({"algorithm": "logic-v9"}, {"queries": {"q": person("Lukashenko")}}, 400, "unknown algorithm"),
    ({"algorithm": "best"}, {"queries": {"q": person("Lukashenko")}}, 200, ""),
    ({"limit": 0}, {"queries": {"q": person("Lukashenko")}}, 422, "limit"),
    ({"changed_since": "yesterday"}, {"queries": {"q": person("Lukashenko")}}, 400, "changed_since"),
    ({}, {"queries": {"q": {"schema": "Person"}}}, 422, "properties"),
    ({}, {"queries": {"q": {"schema": "Document", "properties": {"name": ["x"]}}}}, 400, "schema"),
    ({}, {"queries": {f"q{i}": person("Lukashenko") for i in range(101)}}, 422, "too many queries"),
])
def test_bad_requests(client: TestClient, params: dict[str, Any], body: Any, status: int, words: str) -> None:
    r = client.post("/match/default", params=params, json=body)
    assert r.status_code == status, r.text
    if status != 200:
        detail = r.json()["detail"]
        assert isinstance(detail, str) and words in detail
        assert "Traceback" not in detail


def test_unknown_dataset_is_404(client: TestClient) -> None:
    r = match(client, {"q": person("Lukashenko")}, "xx_nowhere")
    assert r.status_code == 404 and "unknown dataset" in r.json()["detail"]


def test_body_cap_is_413(client: TestClient) -> None:
    big = {"queries": {"q": person("Lukashenko", notes=["x" * (3 * 1024 * 1024)])}}
    r = client.post("/match/default", json=big)
    assert r.status_code == 413
    assert "larger than" in r.json()["detail"]


def test_malformed_json_is_422(client: TestClient) -> None:
    r = client.post("/match/default", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and isinstance(r.json()["detail"], str)
