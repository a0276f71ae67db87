"""Webhooks: each alert POSTed as JSON to every configured URL (of its book, or of every book),
signed with HMAC-SHA256 and retried with exponential backoff. A delivery that still fails is
kept (``webhook_deliveries``, status ``failed``) and sent again by :func:`redeliver`.

The signature header is ``X-Sanctions-Signature: t=<unix time>,sha256=<hex>``, where the
hex is HMAC-SHA256 over ``<unix time>.`` followed by the request body, keyed with the
webhook's secret: a receiver recomputes it (and may refuse old timestamps against replays).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import orjson

from sanctions_ledger.errors import InputError
from sanctions_ledger.store import Ledger
from sanctions_ledger.store import alerts as store_alerts
from sanctions_ledger.store.alerts import AlertRow

__all__ = ["SIGNATURE_HEADER", "Delivery", "add_webhook", "deliver_alerts", "redeliver", "sign", "verify"]

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Sanctions-Signature"
ATTEMPTS = 4
BACKOFF_S = 0.5
"""The first retry waits this long, each next one twice as long."""
TIMEOUT_S = 5.0


@dataclass
class Delivery:
    alert_id: str
    url: str
    ok: bool
    attempts: int
    error: str | None


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},sha256={mac}"


def verify(secret: str, body: bytes, header: str) -> bool:
    """Whether ``header`` (the signature header's value) signs ``body`` under ``secret``."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    if "t" not in parts or "sha256" not in parts or not parts["t"].isdigit():
        return False
    return hmac.compare_digest(sign(secret, body, int(parts["t"])), f"t={parts['t']},sha256={parts['sha256']}")


def add_webhook(ledger: Ledger, url: str, secret: str, book: str | None = None) -> None:
    if not url.startswith(("http://", "https://")):
        raise InputError(f"webhook URL {url!r}: expected http:// or https://")
    if len(secret) < 16:
        raise InputError("webhook secret: at least 16 characters")
    store_alerts.add_webhook(ledger, url, secret, book)


def _post(url: str, secret: str, body: bytes) -> None:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "sanctions-ledger-webhook",
        SIGNATURE_HEADER: sign(secret, body, int(time.time()))})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 - configured URL
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not 2xx", response.headers, None)


def _send(url: str, secret: str, body: bytes, attempts: int, backoff: float,
          sleep: Callable[[float], None]) -> tuple[bool, int, str | None]:
    error = None
    for n in range(1, attempts + 1):
        try:
            _post(url, secret, body)
            return True, n, None
        except urllib.error.HTTPError as exc:
            error = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
        if n < attempts:
            sleep(backoff * 2 ** (n - 1))
    return False, attempts, error


def body_of(alert: AlertRow) -> bytes:
    return orjson.dumps({"event": "alert", "alert": alert.to_dict()}, option=orjson.OPT_SORT_KEYS)


def deliver_alerts(ledger: Ledger, alerts: Sequence[AlertRow], *, attempts: int = ATTEMPTS,
                   backoff: float = BACKOFF_S, sleep: Callable[[float], None] = time.sleep) -> list[Delivery]:
    """POST each alert to the webhooks of its book; every outcome is recorded."""
    hooks = store_alerts.webhooks(ledger)
    out = []
    for alert in alerts:
        body = body_of(alert)
        for url, secret, book in hooks:
            if book and book != alert.book:
                continue
            ok, n, error = _send(url, secret, body, attempts, backoff, sleep)
            if not ok:
                log.warning("webhook %s: alert %s not delivered after %d attempts: %s", url, alert.id, n, error)
            store_alerts.record_delivery(ledger, alert.id, url, "delivered" if ok else "failed", n, error)
            out.append(Delivery(alert.id, url, ok, n, error))
    return out


def redeliver(ledger: Ledger, *, attempts: int = ATTEMPTS, backoff: float = BACKOFF_S,
              sleep: Callable[[float], None] = time.sleep) -> list[Delivery]:
    """Send the failed deliveries again (to webhooks still configured)."""
    hooks = {url: secret for url, secret, _book in store_alerts.webhooks(ledger)}
    out = []
    for alert_id, url, before, _error in store_alerts.failed_deliveries(ledger):
        secret = hooks.get(url)
        if secret is None:
            continue
        ok, n, error = _send(url, secret, body_of(store_alerts.alert(ledger, alert_id)), attempts, backoff, sleep)
        store_alerts.record_delivery(ledger, alert_id, url, "delivered" if ok else "failed", before + n, error)
        out.append(Delivery(alert_id, url, ok, before + n, error))
    return out
