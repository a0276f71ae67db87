"""Cross-list endpoints (/status, /divergence, /timeline, /timeline.svg, /events, /parties) on the
real lists, checked against the raw 2022 file and the library; unlinked ledgers; serve --from."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sanctions_ledger.cli import app as cli_app
from sanctions_ledger.jurisdictions import timeline
from sanctions_ledger.store import Ledger
from tests.test_api_support import linked_app
from tests.test_resolve_support import raw_belaruskali

pytest_plugins = ["tests.conftest_service"]

SVG = "{http://www.w3.org/2000/svg}"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(linked_app(tmp_path_factory), raise_server_exceptions=False) as c:
        yield c


def test_status_of_belaruskali_by_name(linked: TestClient) -> None:
    r = linked.get("/status", params={"q": "Belaruskali", "as_of": "2022-05-05"})
    assert r.status_code == 200, r.text
    body = r.json()
    rows = {row["jurisdiction"]: row for row in body["jurisdictions"]}
    assert list(rows) == ["us", "eu", "gb", "un"]
    raw = raw_belaruskali()
    assert rows["us"]["state"] == "listed" and set(rows["us"]["entity_ids"]) == raw["us"]
    assert rows["gb"]["state"] == "listed" and set(rows["gb"]["entity_ids"]) == raw["gb"]
    assert rows["eu"]["state"] == "not listed" and rows["eu"]["checked"] == ["eu_fsf@2022-05-05"]
    assert rows["un"]["state"] == "unknown" and "no snapshot on or before 2022-05-05" in rows["un"]["note"]
    assert "BELARUS-EO14038" in rows["us"]["programs"] and rows["gb"]["designated"] == ["2021-12-02"]
    assert rows["us"]["first_observed"] == "2022-05-05" and rows["gb"]["authorities"]
    assert "BELARUSKALI" in body["matched"].upper() and body["resolved"] is True
    assert {m["entity_id"] for m in body["members"]} == raw["us"] | raw["gb"]
    assert all(m["evidence"] for m in body["members"]) and body["linking"]["linked"] is True


def test_status_by_id_links_lukashenka_across_three_lists(linked: TestClient) -> None:
    body = linked.get("/status", params={"q": "us-sdn-9760", "as_of": "2022-05-05"}).json()
    states = {row["jurisdiction"]: row["state"] for row in body["jurisdictions"]}
    assert states == {"us": "listed", "eu": "listed", "gb": "listed", "un": "unknown"}
    assert {m["jurisdiction"] for m in body["members"]} == {"us", "eu", "gb"}
    only_uk = linked.get("/status", params={"q": "us-sdn-9760", "between": "uk"}).json()
    assert [row["jurisdiction"] for row in only_uk["jurisdictions"]] == ["gb"]


@pytest.mark.parametrize(("as_of", "expected", "note"), [
    ("2010-01-01", {"us": "unknown", "eu": "unknown", "gb": "unknown", "un": "unknown"},
     "no snapshot on or before 2010-01-01"),
    # After the last snapshots: the last observed states, flagged stale with their date and age.
    ("2026-11-29", {"us": "listed", "eu": "listed", "gb": "listed", "un": "not listed"},
     "eu_fsf: last snapshot 2022-05-05, 1669 days before 2026-11-29"),
])
def test_status_outside_the_ledger_is_unknown_not_an_error(linked: TestClient, as_of: str,
                                                           expected: dict[str, str], note: str) -> None:
    r = linked.get("/status", params={"q": "us-sdn-9760", "as_of": as_of})
    assert r.status_code == 200
    rows = r.json()["jurisdictions"]
    assert {row["jurisdiction"]: row["state"] for row in rows} == expected
    assert any(note in row["note"] for row in rows)


@pytest.mark.parametrize(("path", "params", "status", "words"), [
    ("/status", {"q": "Qwxzv Nonexistentovich Plopp"}, 404, "no listed party matches"),
    ("/status", {"q": "   "}, 400, "give a name or an id"),
    ("/status", {}, 422, "q: Field required"),
    ("/status", {"q": "us-sdn-9760", "as_of": "05/05/2022"}, 400, "not a date"),
    ("/status", {"q": "us-sdn-9760", "as_of": "1800-01-01"}, 400, "out of range"),
    ("/status", {"q": "us-sdn-9760", "between": "us,xx"}, 400, "unknown jurisdiction 'xx'"),
    ("/divergence", {"country": "Belarus"}, 422, "country"),
    ("/divergence", {"country": "b1"}, 400, "alpha-2"),
    ("/divergence", {"as_of": "2022-02-30"}, 400, "not a date"),
    ("/timeline", {"between": "ru"}, 400, "unknown jurisdiction"),
    ("/timeline.svg", {"country": "b1"}, 400, "alpha-2"),
    ("/events", {"since": "yesterday"}, 400, "since 'yesterday' is not a date"),
    ("/parties/sl-0000000000", {}, 404, "no party or record 'sl-0000000000'"),
    ("/parties/a%20b", {}, 404, "invalid entity id"),
])
def test_bad_input_is_a_clean_4xx(linked: TestClient, path: str, params: dict[str, str], status: int,
                                  words: str) -> None:
    r = linked.get(path, params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json" and words in r.json()["detail"]


def test_divergence_belarus_2022(linked: TestClient) -> None:
    r = linked.get("/divergence", params={"as_of": "2022-05-05", "country": "by", "between": "us,eu,uk",
                                         "limit": 5000})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["compared"] == ["us", "eu", "gb"] and body["total"] == len(body["parties"])
    assert sum(body["counts"].values()) == body["total"] and body["in_scope"] >= body["total"]
    by_member = {eid: p for p in body["parties"] for s in p["sides"].values() for eid in s["entity_ids"]}
    kali = by_member["us-sdn-32746"]
    assert kali["listed_by"] == ["gb", "us"] and kali["not_listed_by"] == ["eu"]
    assert kali["sides"]["gb"]["designated"] == "2021-12-02"
    assert kali["sides"]["eu"]["since"] == "not in the snapshot of 2022-05-05"
    assert set(kali["sides"]["gb"]["entity_ids"]) == raw_belaruskali()["gb"]
    assert "us-sdn-9760" not in by_member  # Lukashenka: on all three lists, no divergence
    page = linked.get("/divergence", params={"as_of": "2022-05-05", "country": "by", "between": ["us", "eu", "uk"],
                                            "limit": 3, "offset": 1}).json()
    assert page["total"] == body["total"] and page["parties"] == body["parties"][1:4]


def test_divergence_before_any_snapshot_says_so(linked: TestClient) -> None:
    body = linked.get("/divergence", params={"as_of": "2010-01-01"}).json()
    assert body["compared"] == [] and body["parties"] == []
    assert "fewer than two jurisdictions to compare" in body["notes"]


def test_timeline_json_is_the_library_series(linked: TestClient, tmp_path_factory: pytest.TempPathFactory) -> None:
    body = linked.get("/timeline", params={"country": "BY", "between": "us,eu,uk"}).json()
    ledger: Ledger = linked.app.state.service.ledger  # type: ignore[attr-defined]
    expected = timeline.series(ledger, country="by", between="us,eu,uk").to_dict()
    assert {k: v for k, v in body.items() if k != "linking"} == expected
    us = next(s for s in body["series"] if s["jurisdiction"] == "us")
    assert [d for d, _n in us["observed"]] == ["2019-01-15", "2021-07-07", "2022-05-05"]
    assert {"2020-08-09", "2021-08-09"} <= {e["date"] for e in body["events"]}


def test_timeline_svg(linked: TestClient) -> None:
    r = linked.get("/timeline.svg", params={"country": "by", "between": "us,eu,uk"})
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(r.text)
    assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
    labels = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "event-label"]
    assert any(t.startswith("2021-08-09") and "14038" in t for t in labels)
    legend = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "legend-observed"]
    assert "observed: 166 on 2022-05-05" in legend  # the US count of the JSON series


def test_events(linked: TestClient) -> None:
    events = linked.get("/events", params={"tag": "by"}).json()["events"]
    assert events and all("by" in e["tags"] for e in events)
    assert any(e["date"] == "2020-08-09" and "us-sdn-9760" in e["related"] for e in events)
    window = linked.get("/events", params={"since": "2021-01-01", "until": "2021-12-31"}).json()["events"]
    assert window and all(e["date"].startswith("2021") for e in window)


def test_party_cluster_with_evidence(linked: TestClient) -> None:
    r = linked.get("/parties/us-sdn-9760")
    assert r.status_code == 200, r.text
    body = r.json()
    members = {m["entity_id"]: m for m in body["members"]}
    assert {"us-sdn-9760", "eu-EU.5971.83", "uk-13918"} <= set(members)
    assert members["uk-13918"]["jurisdiction"] == "gb"
    assert all(lk["evidence"] == "name+dob" and lk["confidence"] >= 0.9 for lk in members["uk-13918"]["evidence"])
    again = linked.get(f"/parties/{body['party_id']}").json()
    assert again["party_id"] == body["party_id"] and again["requested"] == body["party_id"]


def test_negotiation_and_openapi(linked: TestClient) -> None:
    html = {"Accept": "text/html"}
    for path in ("/divergence", "/timeline", "/status"):
        assert linked.get(path, headers=html).headers["content-type"].startswith("text/html")
    assert linked.get("/timeline", params={"country": "by"}).headers["content-type"] == "application/json"
    spec = linked.get("/openapi.json").json()
    for path in ("/status", "/divergence", "/timeline", "/timeline.svg", "/events", "/parties/{party_id}"):
        assert path in spec["paths"], path
    q = next(p for p in spec["paths"]["/status"]["get"]["parameters"] if p["name"] == "q")
    assert q["required"] and "Belaruskali" in str(q)
    assert "image/svg+xml" in spec["paths"]["/timeline.svg"]["get"]["responses"]["200"]["content"]


def test_unlinked_ledger_still_answers_and_says_how_to_link(client: TestClient) -> None:
    """The service fixture's ledger was never linked (`sanctions resolve` not run)."""
    body = client.get("/status", params={"q": "us-sdn-9760", "as_of": "2021-07-07"}).json()
    assert body["resolved"] is False and "sanctions resolve" in body["linking"]["note"]
    assert {r["jurisdiction"]: r["state"] for r in body["jurisdictions"]}["us"] == "listed"
    div = client.get("/divergence", params={"as_of": "2021-07-07", "country": "by"}).json()
    assert any("sanctions resolve" in n for n in div["notes"])
    missing = client.get("/parties/sl-0123456789").json()["detail"]
    assert "sanctions resolve" in missing


def test_serve_from_dir_links_after_ingesting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    for name in ("eu_fsf_sample.xml", "uk_fcdo_sample.xml", "ofac_sdn_sample.xml"):
        shutil.copy(FIXTURES / name, lists / name)
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda application, **_kw: served.append(application))
    store = tmp_path / "ledger.duckdb"
    result = CliRunner().invoke(cli_app, ["serve", "--store", str(store), "--from", str(lists)])
    assert result.exit_code == 0, result.output
    assert "linking records across lists" in result.output and "parties" in result.output
    assert served
    with Ledger.open(store) as ledger:
        assert ledger.query("SELECT count(*) FROM party_members")[0][0] > 0
    again = CliRunner().invoke(cli_app, ["serve", "--store", str(store), "--from", str(lists)])
    assert again.exit_code == 0 and "linking records" not in again.output  # nothing new to link
