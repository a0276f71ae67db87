"""`sanctions update` runs every book's monitoring when it wrote new lists (and not when the
lists it fetched were already held): the official layout served from a loopback mirror."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctions_ledger.cli import app

from .conftest import SDN_2021


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("mirror")
    (root / "ofac-sdn").mkdir()
    for name in ("sdn", "add", "alt", "sdn_comments"):
        shutil.copy(SDN_2021 / f"{name}.csv", root / "ofac-sdn" / f"{name.upper()}.CSV")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_update_monitors_the_books(tmp_path: Path, mirror: str) -> None:
    store = str(tmp_path / "l.duckdb")
    book = tmp_path / "book.csv"
    book.write_text("customer_id,name,schema\nm1,Minsk Special Purpose Police Unit,Organization\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["book", "import", str(book), "--book", "desk", "--store", store]).exit_code == 0
    first = runner.invoke(app, ["update", "--source", "ofac-sdn", "--mirror", mirror, "--store", store])
    assert first.exit_code == 0, first.output
    assert "book desk: full run desk-run1 — 1 customers screened, 1 alerts (new_hit 1" in first.output
    listed = runner.invoke(app, ["alerts", "list", "--book", "desk", "--store", store, "--format", "csv"])
    assert ",desk,new_hit,open,m1 Minsk Special Purpose Police Unit,us-sdn-30547," in listed.output
    again = runner.invoke(app, ["update", "--source", "ofac-sdn", "--mirror", mirror, "--store", store])
    assert again.exit_code == 0, again.output
    assert "nothing written" in again.output and "book desk" not in again.output
