"""Sanctions Ledger: every official sanctions list, every version, screened and queryable by date."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
