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
STALE_ENV = "SANCTIONS_LEDGER_STALE_AFTER"
"""Staleness thresholds in days, overriding the per-list defaults of ``vocab.STALE_AFTER_DAYS``:
``us_ofac_sdn=3,un=45,*=60`` (a list name, a jurisdiction, or ``*`` for every list)."""


class SettingsError(ValueError):
    """A setting from the environment that cannot be read; the message names the variable."""


def default_store_path() -> Path:
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env)
    return Path(user_data_dir("sanctions-ledger")) / "ledger.duckdb"


def parse_stale_after(text: str | None) -> tuple[tuple[str, int], ...]:
    """``"us_ofac_sdn=3,un=45"`` -> ``(("us_ofac_sdn", 3), ("un", 45))``; a malformed part is
    an error naming the variable, not a silently ignored threshold."""
    out: list[tuple[str, int]] = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, days = part.partition("=")
        if not sep or not key.strip() or not days.strip().isdigit():
            raise SettingsError(f"{STALE_ENV}: {part.strip()!r} is not LIST=DAYS (e.g. us_ofac_sdn=7)")
        out.append((key.strip(), int(days)))
    return tuple(out)


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
    max_match_name_chars: int = 20_000
    """The work budget of one ``/match`` request: the characters of all the names it screens
    (a name's cost grows with its length; 100 queries of a few names each use a tenth)."""
    max_in_flight: int = 256
    """Requests the app works on at once; beyond, it answers 503 with ``Retry-After`` at once
    instead of queueing every client behind the others."""
    max_pending_name_chars: int = 100_000
    """Name characters being screened at once, over all requests (``/match``, ``/search``);
    beyond, a request gets 503 with ``Retry-After`` (a request alone always runs)."""
    request_timeout: float = 30.0
    """Seconds a ``/match`` request may screen before it is stopped (503)."""
    body_timeout: float = 30.0
    """Seconds a client has to send a request body (admin uploads: ``upload_timeout``)."""
    upload_timeout: float = 600.0
    stale_after: tuple[tuple[str, int], ...] = field(
        default_factory=lambda: parse_stale_after(os.environ.get(STALE_ENV)))
    """Per-list staleness overrides (days); the defaults are ``vocab.STALE_AFTER_DAYS``."""

    @property
    def stale_after_days(self) -> dict[str, int]:
        return dict(self.stale_after)

    @property
    def index_cache_dir(self) -> Path:
        return self.store_path.parent / (self.store_path.name + ".index")
