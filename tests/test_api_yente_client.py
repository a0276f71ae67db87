"""The real yente-client package against a live server on loopback: proof of compatibility."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from yente_client import Client, Organization, Person
from yente_client.exceptions import BadRequestError, NotFoundError

if TYPE_CHECKING:
    from tests.conftest_service import LiveServer

pytest_plugins = ["tests.conftest_service"]


@pytest.fixture(scope="module")
def yente(live_server: LiveServer) -> Client:
    client = Client(base_url=live_server.url, app_name="sanctions-ledger-tests")
    deadline = time.monotonic() + 120
    while True:  # /readyz is 503 until the index of the latest lists is in memory
        try:
            client.readyz()
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    return client


def test_match_person(yente: Client) -> None:
    resp = yente.match(Person(name="Alexander Lukashenko", birthDate="1954-08-30"), datasets=["us_ofac_sdn"])
    assert resp.top is not None and resp.top.id == "us-sdn-9760"
    assert resp.top.match and resp.top.score >= 0.8
    assert resp.top.schema_ == "Person" and resp.top.datasets == ["us_ofac_sdn"]
    assert resp.top.first_seen is not None and resp.top.first_seen.year == 2019
    assert "name_tokens" in resp.top.explanations
    assert resp.top.contributing_explanations
    assert resp.total.value == len(resp.results) and resp.limit == 5
    assert resp.query["properties"]["name"] == ["Alexander Lukashenko"]


def test_match_filters_and_params(yente: Client) -> None:
    resp = yente.match(Person(name="Alexander Lukashenko"), datasets=["default"], threshold=0.99,
                       cutoff=0.5, limit=3, algorithm="best", exclude_datasets=["eu_fsf"], topics=["sanction"])
    assert 0 < len(resp.results) <= 3
    assert not resp.matches
    assert all("eu_fsf" not in r.datasets for r in resp.results)
    org = yente.match(Organization(name="Banco Nacional de Cuba"))
    assert org.top is not None and "BANCO NACIONAL DE CUBA" in org.top.caption.upper()


def test_match_iter(yente: Client) -> None:
    rows = [("a", Person(name="Vladimir Putin")), ("b", Person(name="Kim Jong Un"))]
    out = dict(yente.match_iter(rows, workers=2))
    assert set(out) == {"a", "b"}


def test_search_fetch_and_system(yente: Client) -> None:
    found = yente.search("Lukashenko", datasets=["us_ofac_sdn"], limit=5)
    assert found.results and all(r.datasets == ["us_ofac_sdn"] for r in found.results)
    ent = yente.fetch("us-sdn-9760")
    assert ent.caption.startswith("LUKASHENKA") and "us_ofac_sdn" in ent.datasets
    assert yente.healthz().status == "ok"
    algos = yente.algorithms()
    assert algos.best == "ledger-v1"
    datasets = yente.datasets()
    assert "us_ofac_sdn" in {d.name for d in datasets.datasets}


def test_errors_map_to_client_exceptions(yente: Client) -> None:
    with pytest.raises(NotFoundError):
        yente.fetch("nope-1")
    with pytest.raises(NotFoundError):
        yente.match(Person(name="x"), datasets=["xx_unknown"])
    with pytest.raises(BadRequestError):
        yente.match(Person(name="Lukashenko"), algorithm="logic-v9")
