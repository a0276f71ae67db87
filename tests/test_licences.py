"""Issue 17: licences and legal acts on real data. Belaruskali is "listed — authorised by GL 13"
on 2025-12-20 and plainly "listed" on 2025-12-01; Belavia is US-delisted (4 Nov 2025) while
still EU-listed in the last EU snapshot we hold; bad licence files import nothing; the CLI, the
API, the web page and /match say the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sanctions_ledger.cli import app as cli_app
from sanctions_ledger.errors import InputError
from sanctions_ledger.jurisdictions.licences import (
    import_licences,
    in_force,
    list_licences,
    parse_licences,
)
from sanctions_ledger.jurisdictions.status import status
from sanctions_ledger.screening.screener import Screener
from sanctions_ledger.server import create_app
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger
from tests.test_licences_support import copy_store, licensed_ledger

GL13 = "OFAC Belarus GL 13"
BELAVIA = "Belavia Belarusian Airlines"
HEADER = ("identifier,jurisdiction,authority,title,kind,authorises,extent,issued,effective,expires,"
          "revoked,supersedes,scope_ids,scope_names,owned_50,programs,source_url,confirmed,notes\n")
GOOD = ("TEST GL 1,us,OFAC,Test licence,general licence,all,all transactions,2025-01-01,,,,,"
        "us-sdn-32746,,false,,https://ofac.treasury.gov/,false,\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Ledger, Screener, dict[str, Any]]:
    return licensed_ledger(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def ledger(built: tuple[Ledger, Screener, dict[str, Any]]) -> Ledger:
    return built[0]


@pytest.fixture(scope="module")
def screener(built: tuple[Ledger, Screener, dict[str, Any]]) -> Screener:
    return built[1]


def _row(doc: dict[str, Any], code: str) -> dict[str, Any]:
    return next(r for r in doc["jurisdictions"] if r["jurisdiction"] == code)


def test_builtin_import_resolves_scopes_and_is_idempotent(built: tuple[Ledger, Screener, dict[str, Any]]) -> None:
    ledger, screener, facts = built
    report = facts["licences"]
    assert report.read == 5 and len(report.added) == 5
    assert report.scope[GL13] == ["us-sdn-32746", "us-sdn-33372", "us-sdn-33374"]
    # Belavia's removal is scoped by its ent_num (only in the partial files) and by its name,
    # which resolves to the EU record of the same airline.
    assert {"us-sdn-44541", "eu-EU.6711.45"} <= set(report.scope["OFAC SDN removal 2025-11-04 (Belavia)"])
    again = import_licences(ledger, builtin="belarus", screener=screener)
    assert again.read == 5 and again.added == []


def test_serve_builtin_imports_events_and_licences_again_without_change(
        ledger: Ledger, capsys: pytest.CaptureFixture[str]) -> None:
    """`sanctions serve --builtin belarus` (what scripts/run.sh passes) runs both imports after
    loading; on a ledger that has them, each reports nothing added and the server starts."""
    from sanctions_ledger.cli.service import _import_builtin

    _import_builtin(ledger, "belarus")
    out = capsys.readouterr().out
    assert "built-in belarus events: builtin:belarus: 13 events read, 0 added" in out
    assert "built-in belarus licences: builtin:belarus: 5 records read, 0 added" in out
    _import_builtin(ledger, "nosuch")
    assert "warning: built-in nosuch events not imported" in capsys.readouterr().err


def test_chain_and_in_force(ledger: Ledger) -> None:
    acts = {a.identifier: a for a in list_licences(ledger)}
    gl5 = acts["OFAC Belarus GL 5"]
    assert gl5.kind == "wind-down licence" and gl5.extent == "wind-down only"
    assert str(gl5.expires) == "2022-04-01" and gl5.in_force(gl5.issued) and not gl5.in_force(gl5.expires)
    assert acts["OFAC SDN removal 2025-11-04 (Belavia)"].kind == "delisting"
    assert not acts["OFAC SDN removal 2025-11-04 (Belavia)"].is_authorisation
    from datetime import date

    assert [a.identifier for a in in_force(ledger, ["us-sdn-32746"], date(2025, 12, 20))] == [GL13]
    assert in_force(ledger, ["us-sdn-32746"], date(2025, 12, 1)) == []
    # GL 5 covered BPC (us-sdn-33374) in its wind-down window, never Belaruskali.
    assert [a.identifier for a in in_force(ledger, ["us-sdn-33374"], date(2022, 1, 10))] == ["OFAC Belarus GL 5"]
    assert in_force(ledger, ["us-sdn-32746"], date(2022, 1, 10)) == []


def test_belaruskali_authorised_on_2025_12_20(ledger: Ledger, screener: Screener) -> None:
    doc = status(ledger, "Belaruskali", "2025-12-20", screener=screener).to_dict()
    assert "us-sdn-32746" in [m["entity_id"] for m in doc["members"]]
    us = _row(doc, "us")
    assert us["state"] == "listed — authorised"
    assert us["partial"]["last_seen"] == "2025-12-24"  # the SDN listing is still present
    [gl13] = us["authorisations"]
    assert gl13["identifier"] == GL13 and gl13["start"] == "2025-12-15"
    assert gl13["expires"] is None and gl13["end"] is None
    assert gl13["extent"] == "all transactions" and gl13["owned_50"] is True
    assert gl13["source_url"].startswith("https://")
    assert "delisted" not in us["answer"] and "authorised by OFAC Belarus GL 13" in us["answer"]
    assert _row(doc, "gb")["state"] == "listed"  # stale 2022 UK list: last known state
    assert us["reported"] == []
    # The EU listed Belaruskali on 3 Jun 2022, after the last EU snapshot we hold (5 May 2022):
    # the state stays the snapshot's, and the answer says what was reported since.
    eu = _row(doc, "eu")
    assert eu["state"] == "not listed" and eu["stale"]
    [reported] = eu["reported"]
    assert reported["date"] == "2022-06-03" and reported["kind"] == "designation"
    assert "since that snapshot, a designation reported on 2022-06-03: EU Council lists Belaruskali" in eu["answer"]


def test_belaruskali_not_authorised_on_2025_12_01(ledger: Ledger, screener: Screener) -> None:
    us = _row(status(ledger, "Belaruskali", "2025-12-01", screener=screener).to_dict(), "us")
    assert us["state"] == "listed" and us["authorisations"] == []
    assert us["partial"]["last_seen"] == "2025-12-24"


def test_belavia_us_delisted_eu_listed_stale(ledger: Ledger, screener: Screener) -> None:
    doc = status(ledger, BELAVIA, "2025-12-20", screener=screener).to_dict()
    us, eu = _row(doc, "us"), _row(doc, "eu")
    assert us["state"] == "delisted"
    assert us["delisted_by"]["start"] == "2025-11-04" and us["delisted_by"]["kind"] == "delisting"
    assert us["reported"] == []  # the removal's own event is the act's, not reported again
    assert "Belavia" in us["delisted_by"]["event"]["title"]
    assert us["partial"]["seen"] == ["2024-01-08", "2025-01-06"]
    assert us["partial"]["no_longer_seen_since"] == "2025-12-24"
    assert eu["state"] == "listed" and eu["stale"] is True and eu["snapshot_date"] == "2022-05-05"
    assert "eu-EU.6711.45" in eu["entity_ids"]
    # Before the removal (and before GL 11), the partial files show it listed.
    early = _row(status(ledger, BELAVIA, "2025-06-01", screener=screener).to_dict(), "us")
    assert early["state"] == "listed" and early["authorisations"] == []


BAD = [
    ("TEST GL 1,us,OFAC,Test,general licence,,all transactions,2025-01-01,,,,,us-sdn-999999999,,false,,"
     "https://ofac.treasury.gov/,false,\n", "line 2, column 13 (scope_ids): no record 'us-sdn-999999999'"),
    ("TEST GL 1,us,OFAC,Test,general licence,,,2025-13-45,,,,,us-sdn-32746,,false,,"
     "https://ofac.treasury.gov/,false,\n", "line 2, column 8 (issued): '2025-13-45' is not a date"),
    ("TEST GL 1,us,OFAC,Test,general licence,,,2025-06-01,,2025-01-01,,,us-sdn-32746,,false,,"
     "https://ofac.treasury.gov/,false,\n", "line 2, column 10 (expires): 2025-01-01 is before the issue date"),
    (GOOD + GOOD.replace("Test licence", "Another title"),
     "line 3, column 1 (identifier): 'TEST GL 1' is on line 2 with different content"),
    ("TEST GL 1,us,OFAC,Test,general licence,,,2025-01-01,,,,,,Qzxv Wklmnop Trdfgh,false,,"
     "https://ofac.treasury.gov/,false,\n", "line 2, column 14 (scope_names): 'Qzxv Wklmnop Trdfgh' resolves to no listed party"),
    ("TEST GL 1,us,OFAC,Test,general licence,,,2025-01-01,,,,,,,false,,https://ofac.treasury.gov/,false,\n",
     "line 2, column 13 (scope_ids): the scope names no party"),
    (GL13 + ",us,OFAC,Another title,general licence,,,2025-12-15,,,,,us-sdn-32746,,true,,"
     "https://ofac.treasury.gov/,false,\n", "'OFAC Belarus GL 13' is already in the ledger with different content"),
]


@pytest.mark.parametrize(("body", "message"), BAD, ids=["unknown-id", "bad-date", "expiry-before-issue",
                                                        "duplicate", "name-resolves-to-nothing",
                                                        "empty-scope", "known-id-changed"])
def test_bad_files_import_nothing(ledger: Ledger, screener: Screener, tmp_path: Path, body: str,
                                  message: str) -> None:
    before = ledger.query("SELECT count(*) FROM legal_acts")[0][0]
    path = tmp_path / "licences.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_licences(ledger, path, screener=screener)
    assert message in err.value.detail and "nothing imported" in err.value.detail
    assert ledger.query("SELECT count(*) FROM legal_acts")[0][0] == before


def test_every_error_is_reported_and_jsonl_reads() -> None:
    bad = HEADER + GOOD.replace("2025-01-01", "yesterday").replace("https://ofac.treasury.gov/", "ftp://x")
    with pytest.raises(InputError) as err:
        parse_licences(bad, "f.csv")
    assert "column 8 (issued)" in err.value.detail and "column 17 (source_url)" in err.value.detail
    line = json.dumps({"identifier": "TEST GL 2", "jurisdiction": "uk", "authority": "OFSI",
                       "title": "t", "kind": "general license", "issued": "2025-02-01",
                       "scope_ids": ["uk-14154"], "source_url": "https://www.gov.uk/",
                       "confirmed": True, "owned_50": True})
    [(n, act)] = parse_licences("\n" + line + "\n", "f.jsonl", "jsonl")
    assert n == 2 and act.jurisdiction == "gb" and act.kind == "general licence" and act.owned_50
    with pytest.raises(InputError) as err:
        parse_licences(line.replace('"2025-02-01"', '"2025-02-30"') + "\n{", "f.jsonl", "jsonl")
    assert "line 1, field issued" in err.value.detail and "line 2, column 2: not JSON" in err.value.detail


@pytest.fixture(scope="module")
def store_copy(ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the store for the CLI (the fixture ledger keeps its file open)."""
    return copy_store(ledger, tmp_path_factory.mktemp("cli17") / "ledger.duckdb")


def test_cli_status_json(store_copy: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli_app, ["status", "Belaruskali", "--as-of", "2025-12-20", "--json",
                                  "--store", str(store_copy)])
    assert out.exit_code == 0, out.output
    us = _row(json.loads(out.output), "us")
    assert us["state"] == "listed — authorised" and us["authorisations"][0]["identifier"] == GL13
    assert us["partial"]["last_seen"] == "2025-12-24"
    out = runner.invoke(cli_app, ["status", "Belaruskali", "--as-of", "2025-12-01", "--json",
                                  "--store", str(store_copy)])
    assert _row(json.loads(out.output), "us")["authorisations"] == []
    text = runner.invoke(cli_app, ["status", BELAVIA, "--as-of", "2025-12-20", "--store", str(store_copy)])
    assert "us answer: delisted on 2025-11-04" in text.output
    listing = runner.invoke(cli_app, ["licences", "list", "--party", "us-sdn-32746", "--as-of",
                                      "2025-12-20", "--store", str(store_copy)])
    assert listing.exit_code == 0 and GL13 in listing.output and "GL 5" not in listing.output
    bad = runner.invoke(cli_app, ["licences", "import", str(store_copy.parent / "missing.csv"),
                                  "--store", str(store_copy)])
    assert bad.exit_code != 0 and "cannot read" in bad.output


@pytest.fixture(scope="module")
def client(ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Any:
    settings = Settings(store_path=ledger.path or tmp_path_factory.mktemp("x") / "l.duckdb", admin_token=None)
    with TestClient(create_app(settings, ledger, warm=False), raise_server_exceptions=False) as c:
        yield c


def test_api_status_and_page(client: TestClient) -> None:
    doc = client.get("/status", params={"q": "Belaruskali", "as_of": "2025-12-20"}).json()
    us = _row(doc, "us")
    assert us["state"] == "listed — authorised" and us["authorisations"][0]["identifier"] == GL13
    assert us["partial"]["last_seen"] == "2025-12-24"
    early = client.get("/status", params={"q": "Belaruskali", "as_of": "2025-12-01"}).json()
    assert _row(early, "us")["authorisations"] == []
    belavia = client.get("/status", params={"q": BELAVIA, "as_of": "2025-12-20"}).json()
    assert _row(belavia, "us")["state"] == "delisted" and _row(belavia, "eu")["stale"] is True
    page = client.get("/status", params={"q": "Belaruskali", "as_of": "2025-12-20"},
                      headers={"accept": "text/html"}).text
    assert 'data-state="listed — authorised"' in page and 'data-licence="OFAC Belarus GL 13"' in page
    assert "delisted" not in page.split('data-jurisdiction="us"')[1].split("</tr>")[0]
    eu_row = page.split('data-jurisdiction="eu"')[1].split("</tr>")[0]
    assert 'data-reported="2022-06-03"' in eu_row and "a designation reported on" in eu_row
    assert _row(doc, "eu")["reported"][0]["date"] == "2022-06-03"
    page = client.get("/status", params={"q": BELAVIA, "as_of": "2025-12-20"},
                      headers={"accept": "text/html"}).text
    assert 'data-act="OFAC SDN removal 2025-11-04 (Belavia)"' in page and "2025-11-04" in page
    lic = client.get("/licences", params={"party": "us-sdn-32746", "as_of": "2025-12-20"}).json()
    assert [a["identifier"] for a in lic["licences"]] == [GL13]


def test_match_results_carry_authorisations(client: TestClient) -> None:
    def match(as_of: str) -> list[dict[str, Any]]:
        body = {"queries": {"q": {"schema": "Organization", "properties": {"name": ["Belaruskali OAO"]}}}}
        res = client.post("/match/default", params={"as_of": as_of}, json=body)
        assert res.status_code == 200, res.text
        return res.json()["responses"]["q"]["results"]

    late = {r["id"]: r["authorisations"] for r in match("2025-12-20")}
    assert [a["identifier"] for a in late["us-sdn-32746"]] == [GL13]
    early = {r["id"]: r["authorisations"] for r in match("2025-12-01")}
    assert early["us-sdn-32746"] == []


def test_divergence_separates_listed_from_authorised(ledger: Ledger) -> None:
    from sanctions_ledger.jurisdictions.divergence import divergence

    result = divergence(ledger, "2025-12-20", country="by", between="us,uk")
    parties = {p.party_id: p for p in result.parties}
    belaruskali = next(p for p in parties.values() if "us-sdn-32746" in p.sides["us"].entity_ids)
    assert belaruskali.sides["us"].state == "listed — authorised"
    assert belaruskali.sides["us"].authorised == [GL13] and belaruskali.sides["gb"].state == "listed"
    assert "gb+us(authorised)" in result.counts()
    before = divergence(ledger, "2025-12-01", country="by", between="us,uk")
    assert not any(s.authorised for p in before.parties for s in p.sides.values())


def test_timeline_draws_licences_as_spans(ledger: Ledger) -> None:
    from sanctions_ledger.jurisdictions.timeline import series, to_svg

    data = series(ledger, "by")
    assert {"OFAC Belarus GL 5", GL13} <= {a.identifier for a in data.licences}
    svg = to_svg(data)
    assert 'class="licence-span" data-licence="OFAC Belarus GL 13" data-start="2025-12-15" data-end=""' in svg
    assert 'data-licence="OFAC Belarus GL 5" data-start="2021-12-02" data-end="2022-04-01"' in svg
    assert "OFAC Belarus GL 13: 2025-12-15 – no end date (authorised, still listed)" in svg


def test_cli_screen_lists_the_authorisation(store_copy: Path) -> None:
    out = CliRunner().invoke(cli_app, ["screen", "Belaruskali OAO", "--as-of", "2025-12-20",
                                       "--store", str(store_copy)])
    assert out.exit_code == 0, out.output
    assert "authorised: us-sdn-32746 still listed, authorised by OFAC Belarus GL 13" in out.output


def test_screen_file_has_an_authorisations_column(store_copy: Path, tmp_path: Path) -> None:
    import csv

    queries = tmp_path / "q.csv"
    queries.write_text("query_id,name,schema\nk,Belaruskali OAO,Organization\n", encoding="utf-8")
    rows: dict[str, list[dict[str, str]]] = {}
    for day in ("2025-12-20", "2025-12-01"):
        out = tmp_path / f"hits-{day}.csv"
        res = CliRunner().invoke(cli_app, ["screen-file", str(queries), "--out", str(out), "--as-of", day,
                                           "--workers", "1", "--store", str(store_copy)])
        assert res.exit_code == 0, res.output
        with open(out, encoding="utf-8") as fh:
            rows[day] = list(csv.DictReader(fh))
    late = {r["entity_id"]: r["authorisations"] for r in rows["2025-12-20"] if r["entity_id"]}
    assert late["us-sdn-32746"] == GL13
    assert all(r["authorisations"] == "" for r in rows["2025-12-01"])
    assert list(rows["2025-12-01"][0])[-1] == "authorisations"


def test_divergence_and_timeline_pages(client: TestClient) -> None:
    html = {"accept": "text/html"}
    page = client.get("/divergence", params={"as_of": "2025-12-20", "country": "by", "between": "us,uk"},
                      headers=html).text
    assert 'data-authorised="OFAC Belarus GL 13"' in page and "— authorised by OFAC Belarus GL 13" in page
    page = client.get("/timeline", params={"country": "by"}, headers=html).text
    assert '<li data-licence="OFAC Belarus GL 13">' in page and 'class="licence-span"' in page
    doc = client.get("/divergence", params={"as_of": "2025-12-20", "country": "by", "between": "us,uk"}).json()
    assert doc["counts"].get("gb+us(authorised)") == 1


def test_cli_imports_json_lines_with_a_supersession_chain(store_copy: Path, tmp_path: Path) -> None:
    """A licence and its amendment (2 → 2A) from JSON lines: idempotent, the first ends when the
    second starts, and the party's UK row reads "listed — authorised" only while one is in force."""
    base = {"jurisdiction": "uk", "authority": "OFSI", "kind": "general licence",
            "extent": "wind-down only", "scope_ids": ["uk-14154"], "source_url": "https://www.gov.uk/",
            "confirmed": False}
    path = tmp_path / "gl.jsonl"
    path.write_text("\n".join(json.dumps(base | extra) for extra in (
        {"identifier": "TEST UK GL 2", "title": "Test", "issued": "2025-03-01", "expires": "2025-12-31"},
        {"identifier": "TEST UK GL 2A", "title": "Test, amended", "issued": "2025-06-01",
         "expires": "2025-09-30", "supersedes": "TEST UK GL 2"})) + "\n", encoding="utf-8")
    runner = CliRunner()
    args = ["licences", "import", str(path), "--store", str(store_copy)]
    first, again = runner.invoke(cli_app, args), runner.invoke(cli_app, args)
    assert "2 records read, 2 added" in first.output and "2 records read, 0 added" in again.output
    out = runner.invoke(cli_app, ["licences", "list", "--party", "uk-14154", "--format", "json",
                                  "--store", str(store_copy)])
    acts = {a["identifier"]: a for a in json.loads(out.output)}
    assert acts["TEST UK GL 2"]["end"] == "2025-06-01" and acts["TEST UK GL 2"]["superseded_by"] == "TEST UK GL 2A"
    assert acts["TEST UK GL 2A"]["end"] == "2025-09-30"

    def gb(day: str) -> dict[str, Any]:
        res = runner.invoke(cli_app, ["status", "uk-14154", "--as-of", day, "--json", "--store", str(store_copy)])
        return _row(json.loads(res.output), "gb")

    assert [a["identifier"] for a in gb("2025-04-01")["authorisations"]] == ["TEST UK GL 2"]
    assert [a["identifier"] for a in gb("2025-07-01")["authorisations"]] == ["TEST UK GL 2A"]
    assert gb("2025-10-01")["authorisations"] == [] and gb("2025-10-01")["state"] == "listed"
    assert gb("2025-07-01")["state"] == "listed — authorised"
