"""Bulk screening backends. Each runs the same plan (:mod:`.plan`) and gives the same rows."""

from sanctions_ledger.screening.engines.plan import OUTPUT_COLUMNS, PlanParams, run_rows

__all__ = ["OUTPUT_COLUMNS", "PlanParams", "run_rows"]
