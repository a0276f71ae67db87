"""How old the data behind an answer is: the snapshot a list's state comes from, its age on
the asked date, and whether that age is past the list's staleness threshold.

A state read from a snapshot is only as current as that snapshot. When the asked date (or
today, for the latest state) lies past a list's last snapshot, the answer is the last state
we observed, carried forward: it is given with its date and age and flagged *stale* once the
age exceeds the list's threshold (``vocab.stale_after_days``; OFAC, EU and UK lists a week,
the UN a month, overridable in ``Settings.stale_after``). A date that a later snapshot
brackets is not stale: two observations enclose it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sanctions_ledger.vocab import stale_after_days

__all__ = ["Freshness", "freshness", "stale_notes"]


@dataclass(frozen=True)
class Freshness:
    """The snapshot one list's answer comes from, and how old it is on the asked date."""

    dataset: str
    snapshot: date
    """Observed date of the snapshot that stood on the asked date."""
    asked: date
    """The date asked about (today when the latest state was asked for)."""
    stale_after_days: int
    bracketed: bool = False
    """A later snapshot of the list exists, so the date lies between two observations."""

    @property
    def age_days(self) -> int:
        return (self.asked - self.snapshot).days

    @property
    def stale(self) -> bool:
        return not self.bracketed and self.age_days > self.stale_after_days

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "snapshot": self.snapshot.isoformat(),
                "age_days": self.age_days, "stale": self.stale,
                "stale_after_days": self.stale_after_days}

    def describe(self) -> str:
        """``us_ofac_sdn@2022-05-05 (1673 days old: STALE, over 7)``."""
        text = f"{self.dataset}@{self.snapshot} ({self.age_days} days old"
        if self.stale:
            return text + f": STALE, over {self.stale_after_days})"
        return text + ")"


def freshness(dataset: str, snapshot: date, asked: date | None, *, bracketed: bool = False,
              overrides: Mapping[str, int] | None = None, today: date | None = None) -> Freshness:
    """The freshness of ``dataset``'s ``snapshot`` on ``asked`` (None: today)."""
    day = asked or today or date.today()
    return Freshness(dataset, snapshot, max(day, snapshot), stale_after_days(dataset, overrides),
                     bracketed)


def stale_notes(items: list[Freshness]) -> list[str]:
    """One warning per stale snapshot date, naming its lists, the date, its age and the
    thresholds (a jurisdiction's eight lists from one export make one line, not eight)."""
    groups: dict[tuple[date, date], list[Freshness]] = {}
    for f in items:
        if f.stale:
            groups.setdefault((f.snapshot, f.asked), []).append(f)
    out = []
    for (snapshot, asked), group in sorted(groups.items()):
        low = min(f.stale_after_days for f in group)
        high = max(f.stale_after_days for f in group)
        limit = f"{low}" if low == high else f"{low}–{high}"
        names = ", ".join(sorted(f.dataset for f in group))
        out.append(f"{names}: last snapshot {snapshot}, {(asked - snapshot).days} days before "
                   f"{asked} (stale after {limit} days): the state shown is the last one observed")
    return out
