"""Name screening: build an index over listed parties, search it, explain every hit.

>>> index = MatchIndex.build((dataset, entity) for ...)      # doctest: +SKIP
>>> index.search(Query("Alexandre Loukachenko", schema="Person"))[0].caption  # doctest: +SKIP
'LUKASHENKA, Alyaksandr'

See docs/matching.md for the pipeline, the features and the benchmark.
"""

from __future__ import annotations

from sanctions_ledger.match.index import MatchIndex
from sanctions_ledger.match.query import validate_query
from sanctions_ledger.match.score import DEFAULT_THRESHOLD, FEATURES, compare
from sanctions_ledger.match.types import Feature, Hit, Query

__all__ = [
    "DEFAULT_THRESHOLD",
    "FEATURES",
    "Feature",
    "Hit",
    "MatchIndex",
    "Query",
    "compare",
    "validate_query",
]
