"""Fixtures of the service tests: one ledger built once from real shared data, the app over it
(TestClient) and a live uvicorn server on loopback.

Loaded with ``pytest_plugins = ["tests.conftest_service"]`` from the test modules so the session
fixtures exist once; the store itself is built once per process whatever the import path.
"""

from __future__ import annotations

import dataclasses
import functools
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sanctions_ledger.server import create_app
from sanctions_ledger.settings import Settings
from sanctions_ledger.store import Ledger, ingest

from .conftest import DATA, FTM_LISTS

SOURCES = [DATA / "ofac-sdn" / "2019-01-15", DATA / "ofac-sdn" / "2021-07-07",
           DATA / "ftm" / "eu-uk-us-2022-05-05.ftm.json"]


def data_available() -> bool:
    return all(p.exists() for p in SOURCES)


@functools.cache
def built_store() -> Path:
    """Ingest the real OFAC 2019 and 2021 files and the 2022 FtM compilation, once (~6 s)."""
    folder = Path(tempfile.mkdtemp(prefix="sanctions-service-tests-"))
    path = folder / "ledger.duckdb"
    with Ledger.open(path) as ledger:
        for source in SOURCES:
            ingest(ledger, source, allow_lists=FTM_LISTS)
    return path


@functools.cache
def shared_ledger() -> Ledger:
    return Ledger.open(built_store())


def service_settings(**changes: object) -> Settings:
    base = Settings(store_path=built_store(), admin_token=None)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def ledger() -> Ledger:
    if not data_available():
        pytest.skip(f"shared data not found under {DATA}")
    return shared_ledger()


@pytest.fixture(scope="session")
def app(ledger: Ledger) -> FastAPI:
    return create_app(service_settings(), ledger, warm=False)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    """uvicorn serving an app in a background thread on 127.0.0.1."""

    def __init__(self, application: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(application, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(ledger: Ledger) -> Iterator[LiveServer]:
    application = create_app(service_settings(), ledger, warm=True)
    with LiveServer(application) as server:
        yield server
