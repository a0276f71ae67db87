"""Values derived from the whole store, kept by the ledger until its next committed write."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

T = TypeVar("T")


class GenerationCache:
    """Named values, each valid for the ledger generation it was built under.

    A value costs a scan of a large table (the snapshot sequences, which records a Sanction
    points at), so a long-lived process (API, benchmark) pays it once per ingest instead of
    once per request. The generation is read *before* building: a write committed while a
    value is being built leaves it stamped with the older generation, so the next reader
    rebuilds it. Two readers may build the same value at once; both results are correct.
    """

    def __init__(self, generation: Callable[[], int]) -> None:
        self._generation = generation
        self._values: dict[str, tuple[int, Any]] = {}
        self._lock = threading.Lock()

    def get(self, name: str, build: Callable[[], T]) -> T:
        generation = self._generation()
        with self._lock:
            hit = self._values.get(name)
        if hit is not None and hit[0] == generation:
            return cast(T, hit[1])
        value = build()
        with self._lock:
            self._values[name] = (generation, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
