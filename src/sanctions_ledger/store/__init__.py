"""The ledger store: DuckDB schema, atomic writer (``append(ledger, snapshot)``), as-of views,
and every other read and write of the ledger as named functions: the only place with SQL."""

from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.view import LedgerView, SnapshotInfo, parse_date
from sanctions_ledger.store.writer import IngestReport, append, ingest

__all__ = ["IngestReport", "Ledger", "LedgerView", "SnapshotInfo", "append", "ingest", "parse_date"]
