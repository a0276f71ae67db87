"""The ledger store: DuckDB schema, atomic writer, as-of views."""

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.view import LedgerView, SnapshotInfo, parse_date
from sanctions_ledger.store.writer import IngestReport, ingest

__all__ = ["IngestReport", "Ledger", "LedgerView", "SnapshotInfo", "ingest", "parse_date"]
