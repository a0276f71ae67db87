"""Monitoring customer books as the lists change: books (versioned imports), runs (full or
incremental, from the ledger's diffs), alerts, decisions and webhooks. See docs/monitoring.md."""

from sanctions_ledger.monitoring.alerts import alert_detail, decide, export, list_alerts
from sanctions_ledger.monitoring.books import ImportResult, import_book
from sanctions_ledger.monitoring.runs import (
           FLOOR,
           THRESHOLD,
           RunResult,
           monitor,
           monitor_all,
           plan_run,
)
from sanctions_ledger.monitoring.webhooks import add_webhook, deliver_alerts, redeliver

__all__ = ["FLOOR", "THRESHOLD", "ImportResult", "RunResult", "add_webhook", "alert_detail", "decide",
           "deliver_alerts", "export", "import_book", "list_alerts", "monitor", "monitor_all", "plan_run",
           "redeliver"]
