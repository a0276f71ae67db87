"""The HTTP service: a yente-compatible matching API plus the ledger's time queries."""

from sanctions_ledger.api.app import create_app

__all__ = ["create_app"]
