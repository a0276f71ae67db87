"""One typed settings object, built from the environment once and passed in explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

STORE_ENV = "SANCTIONS_LEDGER_STORE"
TOKEN_ENV = "SANCTIONS_LEDGER_ADMIN_TOKEN"
READ_ONLY_ENV = "SANCTIONS_LEDGER_READ_ONLY"
"""Set to ``1`` by ``sanctions serve --workers N`` (N > 1): each server process opens the store
read-only."""
THREADS_ENV = "SANCTIONS_LEDGER_DUCKDB_THREADS"
"""DuckDB threads per server process (unset: DuckDB's default, one per core)."""


def default_store_path() -> Path:
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env)
    return Path(user_data_dir("sanctions-ledger")) / "ledger.duckdb"


@dataclass(frozen=True)
class Settings:
    """Settings for the library, the CLI and the service."""

    store_path: Path = field(default_factory=default_store_path)
    admin_token: str | None = field(default_factory=lambda: os.environ.get(TOKEN_ENV) or None)
    download_timeout: float = 60.0
    download_retries: int = 3
    download_max_bytes: int = 512 * 1024 * 1024
    max_queries_per_match: int = 100
    max_name_length: int = 1000
    max_body_bytes: int = 2 * 1024 * 1024
    cors_origins: tuple[str, ...] = ()

    @property
    def index_cache_dir(self) -> Path:
        return self.store_path.parent / (self.store_path.name + ".index")
