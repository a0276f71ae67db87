"""`sanctions serve --workers 2`: several processes over one read-only store, on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from sanctions_ledger.store import Ledger, ingest

from .conftest import SDN_2021


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_workers_answer_match_and_refuse_admin(tmp_path: Path) -> None:
    store = tmp_path / "l.duckdb"
    with Ledger.open(store) as ledger:
        ingest(ledger, SDN_2021)
    port = _free_port()
    env = dict(os.environ, SANCTIONS_LEDGER_ADMIN_TOKEN="secret")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from sanctions_ledger.cli import main; main()", "serve", "--store", str(store),
         "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        ready = 0
        deadline = time.monotonic() + 120
        while ready < 20 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            try:
                ok = httpx.get(f"{base}/readyz", timeout=2).status_code == 200
            except httpx.HTTPError:
                ok = False
            ready = ready + 1 if ok else 0
            time.sleep(0.05 if ok else 0.3)
        assert ready >= 20, "workers did not become ready"
        body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Alexander Lukashenko"]}}}}
        for _ in range(6):
            with httpx.Client() as client:  # fresh connections spread over the workers
                resp = client.post(f"{base}/match/default", json=body, timeout=10)
                assert resp.status_code == 200
                assert resp.json()["responses"]["q"]["results"][0]["id"] == "us-sdn-9760"
        admin = httpx.post(f"{base}/admin/update", headers={"Authorization": "Bearer secret"}, timeout=10)
        assert admin.status_code in (403, 404)
        assert len(_children(proc.pid)) >= 2  # the supervisor's worker processes
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [int(x) for x in out.stdout.split()]


def test_serving_code_does_not_load_pyarrow() -> None:
    """pyarrow (about 25 MB per process) is only for writing tables: the app a worker runs,
    and the matcher, load without it."""
    code = (
        "import sys\n"
        "import sanctions_ledger.server, sanctions_ledger.match, sanctions_ledger.screening.screener\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pyarrow'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
