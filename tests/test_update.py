"""`update` end to end: official file layout served from a loopback mirror, then ingested."""

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
from sanctions_ledger.errors import DownloadError, InputError
from sanctions_ledger.loading import update
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger

from .conftest import SDN_2021, UN_2026


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("mirror")
    (root / "ofac-sdn").mkdir()
    for name in ("sdn", "add", "alt", "sdn_comments"):
        shutil.copy(SDN_2021 / f"{name}.csv", root / "ofac-sdn" / f"{name.upper()}.CSV")
    (root / "un").mkdir()
    shutil.copy(UN_2026, root / "un" / "consolidated.xml")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_update_from_mirror(tmp_path: Path, mirror: str) -> None:
    settings = Settings(store_path=tmp_path / "l.duckdb")
    ledger = Ledger.open(settings.store_path)
    results = update(ledger, ["ofac-sdn", "un"], mirror=mirror, settings=settings)
    assert [r.source for r in results] == ["ofac-sdn", "un"]
    sdn, un = results
    assert sdn.report.datasets == {"us_ofac_sdn": 8976}
    assert {f.name for f in sdn.files} == {"SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"}
    assert un.report.datasets == {"un_sc_sanctions": 730 + 273}
    # same bytes again: fetched, recognised, nothing written
    again = update(ledger, ["un"], mirror=mirror, settings=settings)
    assert again[0].report.skipped


def test_update_missing_file_writes_nothing(tmp_path: Path, mirror: str) -> None:
    settings = Settings(store_path=tmp_path / "l.duckdb", download_retries=1)
    ledger = Ledger.open(settings.store_path)
    with pytest.raises(DownloadError):
        update(ledger, ["ofac-cons"], mirror=mirror, settings=settings)
    assert ledger.query("SELECT count(*) FROM snapshots")[0][0] == 0


def test_update_unknown_source(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown source"):
        update(Ledger.memory(), ["nope"], settings=Settings(store_path=tmp_path / "l.duckdb"))


def test_update_cli(tmp_path: Path, mirror: str) -> None:
    result = CliRunner().invoke(app, ["update", "--source", "un", "--mirror", mirror,
                                      "--store", str(tmp_path / "l.duckdb")])
    assert result.exit_code == 0, result.output
    assert "un_sc_sanctions 1003" in result.output
