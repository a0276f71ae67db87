"""Issue #20: what a hostile request can do to the service, one regression test per finding
(items 1, 2, 4 and 7 of the issue; the list-file findings are tested with their parsers).

Real apps over real ledgers, real HTTP (TestClient, and a live uvicorn on 127.0.0.1 where
the finding is about connections), real sockets for the clients that misbehave."""

from __future__ import annotations

import dataclasses
import json
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from followthemoney import model

from sanctions_ledger.errors import InputError, UnavailableError
from sanctions_ledger.match import MatchIndex, Query
from sanctions_ledger.screening.service import failure_reason
from sanctions_ledger.server import GuardedHttpToolsProtocol, create_app
from sanctions_ledger.service import check_entity_id
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger, ingest
from tests.conftest_service import free_port

DATA = Path("/work/shared/data")
CSL_2019 = DATA / "us-csl" / "2019-12-03" / "csl.csv"
CSL_2025 = DATA / "us-csl" / "2025-06-25" / "consolidated.csv"
TOKEN = "hostile-test-token"
REPO = Path(__file__).resolve().parents[1]


def auth(header: str = f"Bearer {TOKEN}") -> dict[str, str]:
    return {"Authorization": header}


def person(*names: str) -> dict[str, Any]:
    return {"schema": "Person", "properties": {"name": list(names)}}


COMMON = ("muhammad ahmad group trading mohammad bank abdul islamic mohammed ibrahim international "
          "shipping foundation ahmed aqsa iran hassan development mohamed jose rahman organization "
          "abdullah haji industries general hasan investment exchange abdallah holding committee luis "
          "reza korea management antonio society petrochemical khan jihad carlos charitable said maria "
          "gonzalez shahid trade center national saleh mustafa omar iranian state services rodriguez "
          "industry hamid industrial lopez jesus inversiones army aziz salih security").split()
"""Words in many listed names (the OFAC list's most frequent): a name of them retrieves much."""


def heavy_batch(chars: int, per_name: int = 90, seed: int = 5) -> dict[str, Any]:
    """Names of common listed words, about ``per_name`` characters each and ``chars`` in all,
    4 per query."""
    rnd = random.Random(seed)
    names = []
    for _ in range(chars // per_name):
        name = ""
        while len(name) < per_name - 12:
            name += rnd.choice(COMMON) + " "
        names.append(name.strip())
    return {f"q{i}": person(*names[i:i + 4]) for i in range(0, len(names), 4)}


def settings_for(ledger: Ledger, **changes: Any) -> Settings:
    assert ledger.path is not None
    return dataclasses.replace(Settings(store_path=ledger.path, admin_token=None), **changes)


@pytest.fixture(scope="module")
def client(sdn_ledger: Ledger) -> Iterator[TestClient]:
    """The app over both OFAC SDN releases (2019, 2021), default settings."""
    with TestClient(create_app(settings_for(sdn_ledger), sdn_ledger, warm=False),
                    raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def upload_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The process's temp folder, pointed at an empty folder of this test's own so that
    what the server leaves there can be seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def admin_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(store_path=tmp_path / "store" / "ledger.duckdb", admin_token=TOKEN)
    settings.store_path.parent.mkdir()
    ledger = Ledger.open(settings.store_path)
    with TestClient(create_app(settings, ledger, warm=False), raise_server_exceptions=False) as c:
        yield c
    ledger.close()


# -- item 1: the admin upload writes nowhere but its own temp folder -------------------------

@pytest.mark.parametrize("observed_at", ["/tmp/{tag}/zz", "../../tmp/{tag}", "{tag}/../../x"])
def test_upload_builds_no_path_from_observed_at(admin_client: TestClient, upload_tmp: Path,
                                                observed_at: str) -> None:
    """The issue's curl: ``observed_at=/tmp/x/zz`` left ``/tmp/x/zz/authorized_keys``."""
    tag = f"hx{secrets.token_hex(3)}"
    assert not Path("/tmp", tag).exists()
    r = admin_client.post("/admin/ingest", headers=auth(), data={"observed_at": observed_at.format(tag=tag)},
                          files={"files": ("authorized_keys", b"ssh-ed25519 AAAA attacker\n")})
    assert r.status_code == 422 and "observed_at" in r.json()["detail"], r.text
    assert not Path("/tmp", tag).exists()
    assert list(upload_tmp.iterdir()) == []  # 422 before any disk write


def test_upload_folder_is_removed_on_every_exit(admin_client: TestClient, upload_tmp: Path) -> None:
    junk = admin_client.post("/admin/ingest", headers=auth(), data={"observed_at": "2019-12-03"},
                             files={"files": ("csl.csv", b"not,a,list\n1,2,3\n")})
    assert junk.status_code == 422, junk.text
    assert list(upload_tmp.iterdir()) == []
    ok = admin_client.post("/admin/ingest", headers=auth(), data={"observed_at": "2019-12-03"},
                           files={"files": ("csl.csv", CSL_2019.read_bytes())})
    assert ok.status_code == 200 and ok.json()["kind"] == "us_csl", ok.text
    assert list(upload_tmp.iterdir()) == []


def test_upload_errors_do_not_show_the_temp_path(admin_client: TestClient, upload_tmp: Path) -> None:
    r = admin_client.post("/admin/ingest", headers=auth(), data={"observed_at": "2019-12-03"},
                          files={"files": ("csl.csv", b"\x00\x01garbage")})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "csl.csv" in detail
    assert str(upload_tmp) not in detail and "sanctions-upload-" not in detail


def test_multipart_is_not_parsed_before_authentication(admin_client: TestClient) -> None:
    broken = b"--x\r\nContent-Disposition: form-data; name=files; filename=a\r\n\r\nabc\r\n--x--\r\n"
    headers = {"Content-Type": "multipart/form-data"}  # no boundary: the parser's 400 "Missing boundary"
    assert admin_client.post("/admin/ingest", content=broken, headers=headers).status_code == 401
    assert admin_client.post("/admin/ingest", content=broken,
                             headers={**headers, **auth("Bearer wrong")}).status_code == 403


def test_one_token_parser_for_size_and_login(tmp_path: Path) -> None:
    """A token the login check accepts (any case of ``Bearer``, extra spaces) gets the admin
    size limit too: the upload is ingested, not refused as too large."""
    settings = Settings(store_path=tmp_path / "l.duckdb", admin_token=TOKEN, max_body_bytes=10_000)
    ledger = Ledger.open(settings.store_path)
    with TestClient(create_app(settings, ledger, warm=False)) as c:
        r = c.post("/admin/ingest", headers=auth(f"bearer   {TOKEN} "), data={"observed_at": "2019-12-03"},
                   files={"files": ("csl.csv", CSL_2019.read_bytes())})
    ledger.close()
    assert r.status_code == 200, r.text
    assert r.json()["datasets"]


# -- item 2: a long name costs the index and the query no more than a short one --------------

def _party(i: int, name: str) -> tuple[str, Any]:
    entity = model.make_entity("Person")
    entity.id = f"hostile-{i}"
    entity.add("name", name)
    return "test_list", entity


def _peak_mb(fn: Any) -> tuple[Any, float]:
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        out = fn()
        return out, (tracemalloc.get_traced_memory()[1] - base) / 1e6
    finally:
        tracemalloc.stop()


def test_a_long_token_is_indexed_without_expansion() -> None:
    token = "k" + "abcdefghij" * 500  # 5,001 letters: its deletions alone were 25 MB
    index, peak = _peak_mb(lambda: MatchIndex.build([_party(0, "Ivan Petrov"), _party(1, token)]))
    assert peak < 3, f"index build took {peak:.1f} MB"
    # still found by what the index keeps of it (the first 1,000 characters, exactly)
    hits = index.search(Query(token[:1000]), limit=3)
    assert [h.entity_id for h in hits] == ["hostile-1"]
    assert index.search(Query("Ivan Petrov"), limit=1)[0].entity_id == "hostile-0"


def test_a_huge_name_is_indexed_on_its_head() -> None:
    name = "Ahmad Karim " + "Rahman " * 30_000  # 210,012 characters
    index, peak = _peak_mb(lambda: MatchIndex.build([_party(0, name)]))
    assert peak < 3, f"index build took {peak:.1f} MB"
    hit = index.search(Query("Ahmad Karim Rahman"), limit=1)[0]
    assert hit.entity_id == "hostile-0" and len(hit.matched_name) == 1000


def test_a_long_query_token_is_not_expanded() -> None:
    index = MatchIndex.build([_party(0, "Ivan Petrov"), _party(1, "Olga Ivanova")])
    _, peak = _peak_mb(lambda: index.search(Query("q" + "abcdefghij" * 99 + "zzzzzzzzz"), limit=3))
    assert peak < 0.5, f"one query took {peak:.2f} MB"


def test_an_empty_failure_message_still_names_the_failure() -> None:
    assert failure_reason(MemoryError()) == "MemoryError"
    assert failure_reason(OSError(28, "No space left on device")) == "OSError: [Errno 28] No space left on device"


def _csl_ledger(folder: Path, *files: Path) -> tuple[Settings, Ledger]:
    settings = Settings(store_path=folder / "ledger.duckdb")
    ledger = Ledger.open(settings.store_path)
    for path in files:
        ingest(ledger, path)
    return settings, ledger


def _cap_memory(ledger: Ledger) -> None:
    """Cap the store's memory (DuckDB's own limit, as a container's would): reading every
    party to build an index then fails, as it did in the issue, with an out-of-memory error."""
    ledger.query("CHECKPOINT")
    ledger.query("SET memory_limit = '1MB'")


def _uncap_memory(ledger: Ledger) -> None:
    ledger.query("SET memory_limit = '2GB'")


def test_a_failed_index_build_is_reported_not_retried(tmp_path: Path) -> None:
    settings, ledger = _csl_ledger(tmp_path, CSL_2019)
    body = {"queries": {"q": person("Mohammad Javad Zarif")}}
    app = create_app(settings, ledger, warm=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.get("/sources").status_code == 200
        service = app.state.service
        assert not service.is_empty() and service.snapshots(None)  # known before memory runs short
        _cap_memory(ledger)
        first = c.post("/match/default", json=body)
        started = time.perf_counter()
        second = c.post("/match/default", json=body)
        elapsed = time.perf_counter() - started
        ready = c.get("/readyz")
        _uncap_memory(ledger)
    ledger.close()
    for r in (first, second):
        assert r.status_code == 503, r.text
        assert "could not be built: OutOfMemoryException: Out of Memory Error" in r.json()["detail"]
        assert r.headers["retry-after"] == "60"
    assert elapsed < 0.5  # remembered, not built again
    assert ready.status_code == 503 and ready.json()["status"] == "error", ready.text
    assert "OutOfMemoryException" in ready.json()["detail"]


def test_the_last_good_index_is_served_while_a_new_one_fails(tmp_path: Path) -> None:
    settings, ledger = _csl_ledger(tmp_path, CSL_2019)
    body = {"queries": {"q": person("Mohammad Javad Zarif")}}
    app = create_app(settings, ledger, warm=False)
    with TestClient(app, raise_server_exceptions=False) as c:
        before = c.post("/match/default", json=body)
        assert before.status_code == 200, before.text
        old_ids = before.json()["snapshot_ids"]
        ingest(ledger, CSL_2025)  # a new release of the list ...
        service = app.state.service
        new_ids = service.index_key(None)
        assert not service.is_empty()
        _cap_memory(ledger)  # ... whose index cannot be built
        with pytest.raises(UnavailableError):
            service.index(as_of=date(2025, 12, 31))  # no earlier index of that date to fall back on
        assert service.index(None) is not None  # the latest: the last good index stands in
        _uncap_memory(ledger)  # the hits' records are read from the store as usual
        after = c.post("/match/default", json=body)
        ready = c.get("/readyz")
    ledger.close()
    assert list(new_ids) != old_ids
    assert after.status_code == 200, after.text
    assert after.json()["snapshot_ids"] == old_ids  # the audit names the lists screened
    assert [h["id"] for h in after.json()["responses"]["q"]["results"]] == \
        [h["id"] for h in before.json()["responses"]["q"]["results"]]
    assert ready.status_code == 200 and ready.json()["status"] == "degraded", ready.text
    assert "OutOfMemoryException" in ready.json()["detail"] and old_ids[0] in ready.json()["detail"]


# -- item 4: a work budget, load shedding, a deadline, and stopping for a gone client ---------

def test_the_work_budget_refuses_a_heavy_request(client: TestClient) -> None:
    r = client.post("/match/default", json={"queries": heavy_batch(27_000)})
    assert r.status_code == 422, r.text
    assert "limit is 20000" in r.json()["detail"]


@pytest.fixture(scope="module")
def tight_app(sdn_ledger: Ledger) -> FastAPI:
    # A deadline no request that leaves the event loop meets: the first name checked stops it.
    return create_app(settings_for(sdn_ledger, request_timeout=0.001), sdn_ledger, warm=False)


def test_pending_work_is_bounded_with_retry_after(tight_app: FastAPI) -> None:
    service = tight_app.state.service
    body = {"queries": {"q": person("Alexander Lukashenko")}}
    with TestClient(tight_app, raise_server_exceptions=False) as c:
        assert c.post("/match/default", json=body).status_code == 200
        capacity = service.settings.max_pending_name_chars
        service.admission.take(capacity - 5)  # other requests' work in progress
        try:
            busy = c.post("/match/default", json=body)
            search = c.get("/search", params={"q": "Alexander Lukashenko"})
        finally:
            service.admission.give_back(capacity - 5)
        again = c.post("/match/default", json=body)
    for r in (busy, search):
        assert r.status_code == 503 and r.headers["retry-after"] == "1", r.text
        assert "busy" in r.json()["detail"]
    assert again.status_code == 200 and service.admission.pending == 0


def test_a_request_past_its_deadline_is_stopped(tight_app: FastAPI) -> None:
    with TestClient(tight_app, raise_server_exceptions=False) as c:
        c.post("/match/default", json={"queries": {"q": person("Alexander Lukashenko")}})  # index loaded
        r = c.post("/match/default", json={"queries": heavy_batch(2_000)})
    assert r.status_code == 503, r.text
    assert "longer than 0.001 s" in r.json()["detail"] and r.headers["retry-after"] == "1"


class Served:
    """An app served by uvicorn in a thread on 127.0.0.1, with the server's HTTP protocol."""

    def __init__(self, app: FastAPI, protocol: type = GuardedHttpToolsProtocol) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, http=protocol,
                                                    log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)


def _read_all(sock: socket.socket, timeout: float) -> bytes:
    sock.settimeout(timeout)
    out = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            return out
        if not chunk:
            return out
        out += chunk


def test_work_stops_when_the_client_goes(sdn_ledger: Ledger) -> None:
    # A batch of several seconds (past the default budget, so raised here): long enough to see
    # whether the work stops when the client goes.
    app = create_app(settings_for(sdn_ledger, max_match_name_chars=1_000_000), sdn_ledger, warm=False)
    service = app.state.service
    payload = json.dumps({"queries": heavy_batch(340_000, per_name=900)}).encode()
    with Served(app) as served:
        url = f"http://127.0.0.1:{served.port}/match/default"
        httpx.post(url, json={"queries": {"q": person("Alexander Lukashenko")}}, timeout=120)
        started = time.perf_counter()
        full = httpx.post(url, content=payload, headers={"Content-Type": "application/json"}, timeout=120)
        whole = time.perf_counter() - started
        assert full.status_code == 200, full.text
        sock = served.connect()
        sock.sendall(b"POST /match/default HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(payload), payload))
        deadline = time.monotonic() + 5
        while service.admission.pending == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert service.admission.pending > 0
        started = time.perf_counter()
        sock.close()
        while service.admission.pending and time.perf_counter() - started < whole:
            time.sleep(0.01)
        stopped = time.perf_counter() - started
    assert service.admission.pending == 0
    assert stopped < whole / 2, f"stopped after {stopped:.2f} s; the whole request takes {whole:.2f} s"


def test_load_is_shed_with_503_and_retry_after(sdn_ledger: Ledger) -> None:
    app = create_app(settings_for(sdn_ledger, max_in_flight=1), sdn_ledger, warm=False)
    with Served(app) as served:
        slow = served.connect()  # a request in flight: its body has not come yet
        slow.sendall(b"POST /match/default HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{")
        time.sleep(0.3)
        shed = httpx.get(f"http://127.0.0.1:{served.port}/search?q=Lukashenko", timeout=10)
        probe = httpx.get(f"http://127.0.0.1:{served.port}/healthz", timeout=10)
        slow.close()
    assert shed.status_code == 503 and shed.headers["retry-after"] == "1", shed.text
    assert "busy" in shed.json()["detail"]
    assert probe.status_code == 200  # probes are never shed


# -- item 7: small things a request could do --------------------------------------------------

def test_a_lone_surrogate_is_refused_not_a_500(client: TestClient) -> None:
    for body in ('{"queries": {"q": {"schema": "Person", "properties": {"name": ["Ab\\ud800cd"]}}}}',
                 '{"queries": {"q\\udc00": {"schema": "Person", "properties": {"name": ["Ivan"]}}}}'):
        r = client.post("/match/default", content=body.encode(), headers={"Content-Type": "application/json"})
        assert r.status_code == 422, r.text
        assert "surrogate" in r.json()["detail"]


def test_an_unknown_include_dataset_is_404(client: TestClient) -> None:
    body = {"queries": {"q": person("Alexander Lukashenko")}}
    r = client.post("/match/default", params={"include_dataset": "nosuch"}, json=body)
    assert r.status_code == 404 and "unknown list(s): nosuch" in r.json()["detail"], r.text
    s = client.get("/search", params={"q": "Lukashenko", "include_dataset": "nosuch"})
    assert s.status_code == 404, s.text
    ok = client.post("/match/default", params={"include_dataset": "us_ofac_sdn"}, json=body)
    assert ok.json()["responses"]["q"]["results"][0]["id"] == "us-sdn-9760"


def test_a_chunked_body_over_the_limit_is_413(sdn_ledger: Ledger) -> None:
    app = create_app(settings_for(sdn_ledger, max_body_bytes=4096), sdn_ledger, warm=False)

    def chunks() -> Iterator[bytes]:
        yield b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["'
        for _ in range(10):
            yield b"a" * 1000
        yield b'"]}}}}'

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/match/default", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["detail"] == "request body larger than 4096 bytes", r.text


def test_entity_ids_match_whole() -> None:
    assert check_entity_id("us-sdn-9760") == "us-sdn-9760"
    for bad in ("us-sdn-9760\n", "us-sdn-9760\r\n", "\nus-sdn-9760", "a/b"):
        with pytest.raises(InputError):
            check_entity_id(bad)


def test_security_headers(client: TestClient) -> None:
    page = client.get("/entity/us-sdn-9760")
    assert page.status_code == 200 and "LUKASHENK" in page.text.upper()
    api = client.get("/healthz")
    for r in (page, api):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "same-origin"
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    docs = client.get("/docs")  # Swagger UI is served from here, started by an inline script
    csp = docs.headers["content-security-policy"]
    assert docs.status_code == 200 and "script-src 'self' 'unsafe-inline'" in csp and "https:" not in csp


def test_a_slow_body_is_timed_out(sdn_ledger: Ledger) -> None:
    app = create_app(settings_for(sdn_ledger, body_timeout=0.5), sdn_ledger, warm=False)
    with Served(app) as served, served.connect() as sock:
        sock.sendall(b"POST /match/default HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"queries\"")
        started = time.perf_counter()
        answer = _read_all(sock, 5)
        elapsed = time.perf_counter() - started
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"not received within 0.5 s" in answer and elapsed < 3


class QuickHeads(GuardedHttpToolsProtocol):
    head_timeout = 0.5
    max_head_bytes = 8 * 1024


def test_half_sent_headers_are_timed_out(sdn_ledger: Ledger) -> None:
    app = create_app(settings_for(sdn_ledger), sdn_ledger, warm=False)
    with Served(app, QuickHeads) as served:
        with served.connect() as idle:  # connects and sends nothing
            started = time.perf_counter()
            assert _read_all(idle, 5).startswith(b"HTTP/1.1 408")
            assert time.perf_counter() - started < 3
        with served.connect() as trickle:  # a header line a byte at a time (slowloris)
            trickle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            started = time.perf_counter()
            closed = False
            for byte in b"X-Slow: " + b"a" * 60:
                try:
                    trickle.sendall(bytes([byte]))
                except OSError:
                    closed = True
                    break
                time.sleep(0.05)
            assert closed or _read_all(trickle, 2).startswith(b"HTTP/1.1 408")
            assert time.perf_counter() - started < 4
        with served.connect() as big:
            big.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n")
            assert _read_all(big, 5).startswith(b"HTTP/1.1 431")
        ok = httpx.get(f"http://127.0.0.1:{served.port}/healthz", timeout=10)
        assert ok.status_code == 200


def test_sanctions_serve_times_out_half_sent_requests(tmp_path: Path) -> None:
    """The CLI's server uses the guarded protocol: an idle connection is answered 408 and
    closed after the head timeout (10 s)."""
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "sanctions"), "serve", "--store",
                             str(tmp_path / "l.duckdb"), "--port", str(port), "--no-link"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "sanctions serve did not start"
            time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")
            started = time.perf_counter()
            answer = _read_all(sock, GuardedHttpToolsProtocol.head_timeout + 5)
            elapsed = time.perf_counter() - started
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert elapsed < GuardedHttpToolsProtocol.head_timeout + 3
    finally:
        proc.terminate()
        proc.wait(timeout=20)

