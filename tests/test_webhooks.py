"""Webhook signatures: what a receiver checks (the deliveries themselves are tested against a
real receiver on 127.0.0.1 in test_monitoring_real.py)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from sanctions_ledger.errors import InputError
from sanctions_ledger.monitoring.webhooks import add_webhook, sign, verify
from sanctions_ledger.store import Ledger

SECRET = "a-secret-of-sixteen+"


def test_signature_is_hmac_sha256_of_time_and_body() -> None:
    body = b'{"event":"alert"}'
    header = sign(SECRET, body, 1_765_000_000)
    expected = hmac.new(SECRET.encode(), b"1765000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1765000000,sha256={expected}"
    assert verify(SECRET, body, header)
    assert not verify("another-secret-of-16", body, header)
    assert not verify(SECRET, body + b" ", header)
    assert not verify(SECRET, body, header.replace("t=1765000000", "t=1765000001"))
    assert not verify(SECRET, body, "sha256=" + expected)


def test_webhook_configuration_is_checked() -> None:
    ledger = Ledger.memory()
    with pytest.raises(InputError, match="http"):
        add_webhook(ledger, "ftp://example.org/hook", SECRET)
    with pytest.raises(InputError, match="16 characters"):
        add_webhook(ledger, "http://127.0.0.1:9/hook", "short")
    add_webhook(ledger, "http://127.0.0.1:9/hook", SECRET, "bank")
    from sanctions_ledger.store.alerts import webhooks

    assert webhooks(ledger) == [("http://127.0.0.1:9/hook", SECRET, "bank")]
