"""Parsers for the official list formats. Importing this package registers every parser.

``read_snapshot(path) -> Snapshot`` is what the store appends (``store.append``).
"""

from __future__ import annotations

import importlib
import pkgutil

from sanctions_ledger.sources.base import (
    ParseMeta,
    Parser,
    Record,
    detect,
    get_parser,
    parsers,
)
from sanctions_ledger.sources.snapshot import Snapshot, read_snapshot

_HELPERS = {"base", "ofac_remarks", "download", "snapshot", "xmlsafe"}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name not in _HELPERS and not _info.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["ParseMeta", "Parser", "Record", "Snapshot", "detect", "get_parser", "parsers", "read_snapshot"]
