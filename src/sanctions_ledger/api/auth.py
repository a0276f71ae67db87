"""The admin token check: one parser of the ``Authorization`` header for every place that
asks (the request gate in :mod:`middleware`, which runs before a body is read, and the
routes' ``require_admin`` dependency), so the two can never disagree on what a token is."""

from __future__ import annotations

import hmac

from sanctions_ledger.errors import LedgerError

__all__ = ["admin_refusal", "bearer_token"]


def bearer_token(header: str | bytes | None) -> str | None:
    """The token of ``Bearer <token>`` (scheme in any case, spaces around the token
    ignored), or None when the header is missing, of another scheme or empty."""
    if header is None:
        return None
    if isinstance(header, bytes):
        header = header.decode("latin-1")
    scheme, _, given = header.strip().partition(" ")
    given = given.strip()
    if scheme.lower() != "bearer" or not given:
        return None
    return given


def admin_refusal(configured: str | None, header: str | bytes | None) -> LedgerError | None:
    """Why a request with this ``Authorization`` header may not use the admin endpoints, or
    None when it may. The comparison takes the same time whatever the token given."""
    if not configured:
        return LedgerError("admin endpoints are disabled: set SANCTIONS_LEDGER_ADMIN_TOKEN to enable "
                           "them", 404)
    given = bearer_token(header)
    if given is None:
        return LedgerError("admin endpoints need 'Authorization: Bearer <token>'", 401)
    # Header values are latin-1 text over the raw bytes: back to bytes, against the token's UTF-8.
    if not hmac.compare_digest(given.encode("latin-1", "replace"), configured.encode()):
        return LedgerError("invalid admin token", 403)
    return None
