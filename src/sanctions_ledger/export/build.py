"""``sanctions export``: the lists as they stood on a date, in FtM entities, FtM statements or a
flat table, and the change between two dates in yente's delta format.

Every export is checked before any work (known lists, a date on or after the first snapshot,
a writable output), streamed from the store in one fixed order, and written atomically.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from io import TextIOWrapper
from pathlib import Path
from typing import BinaryIO

import orjson
from followthemoney.statement.serialize import CSV, get_statement_writer

from sanctions_ledger.errors import InputError
from sanctions_ledger.export.entities import Dropped, by_entity, ftm_dict, ftm_line, statements_of
from sanctions_ledger.export.files import atomic_output, check_writable
from sanctions_ledger.store.exports import (
    changed_entities,
    copy_flat,
    entity_statements,
    removal_dates,
    standing_statements,
)
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.records import dataset_names
from sanctions_ledger.store.snapshots import SnapshotInfo, list_snapshots
from sanctions_ledger.store.view import parse_date

__all__ = ["FORMATS", "DeltaReport", "ExportReport", "export", "export_delta", "standing",
           "write_delta", "write_export"]

FORMATS = ("ftm", "statements", "csv", "parquet")
"""What ``export --as-of`` writes; ``delta`` is ``export --from --to``."""

MEDIA_TYPES = {"ftm": "application/json+ftm", "statements": "text/csv", "csv": "text/csv",
               "parquet": "application/vnd.apache.parquet", "delta": "application/json"}


@dataclass
class ExportReport:
    path: str
    format: str
    as_of: date | None
    snapshots: list[SnapshotInfo]
    entities: int = 0
    rows: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lists = ", ".join(f"{s.dataset} {s.observed_at}" for s in self.snapshots)
        what = f"{self.entities} entities" if self.format == "ftm" else f"{self.rows} statements"
        n = len(self.snapshots)
        return (f"{self.path}: {self.format} export as of {self.as_of or 'latest'} — {what} "
                f"from {n} list{'' if n == 1 else 's'} ({lists})")


@dataclass
class DeltaReport:
    path: str
    start: date
    end: date | None
    added: int = 0
    modified: int = 0
    deleted: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.path}: delta {self.start} → {self.end or 'latest'}: "
                f"+{self.added} ~{self.modified} -{self.deleted} entities")


def _check_lists(ledger: Ledger, datasets: Collection[str] | None) -> list[str]:
    known = dataset_names(ledger)
    if not known:
        raise InputError("the ledger holds no snapshots: ingest something first (sanctions ingest PATH)")
    wanted = sorted(set(datasets or ()))
    unknown = [d for d in wanted if d not in known]
    if unknown:
        raise InputError(f"unknown list(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return wanted


def standing(ledger: Ledger, day: date | str | None, datasets: Collection[str] | None = None,
             option: str = "--as-of") -> list[SnapshotInfo]:
    """The snapshot of each (chosen) list standing on ``day`` (latest when None); an error
    when no list had a snapshot by then."""
    wanted = _check_lists(ledger, datasets)
    when = parse_date(day, option.lstrip("-"))
    snaps = list_snapshots(ledger).standing(when, wanted)
    if not snaps:
        firsts = [seq[0].observed_at for ds, seq in list_snapshots(ledger).by_dataset.items()
                  if not wanted or ds in wanted]
        first = min(firsts).isoformat() if firsts else "none"
        which = ", ".join(wanted) if wanted else "any list"
        raise InputError(f"{option} {when}: no snapshot of {which} on or before that date "
                         f"(the first is {first})")
    return snaps


def write_export(ledger: Ledger, snaps: list[SnapshotInfo], fmt: str, fh: BinaryIO,
                 dropped: Dropped | None = None) -> tuple[int, int]:
    """Write the standing statements of ``snaps`` to ``fh`` in ``ftm`` or ``statements``
    format; returns (entities, statements). FtM entities leave out the values FtM refuses,
    and list them in ``dropped``."""
    removals = removal_dates(ledger, snaps)
    entities = rows = 0
    if fmt == "ftm":
        for ent in by_entity(standing_statements(ledger, snaps)):
            fh.write(ftm_line(ent, removals, dropped))
            entities += 1
            rows += len(ent.rows)
        return entities, rows
    writer = get_statement_writer(fh, CSV)
    for ent in by_entity(standing_statements(ledger, snaps)):
        entities += 1
        for stmt in statements_of(ent, removals):
            writer.write(stmt)
            rows += 1
    writer.close()
    # The writer wrapped fh in a TextIOWrapper: flush it without closing the file under it.
    if isinstance(getattr(writer, "fh", None), TextIOWrapper):
        writer.fh.detach()  # type: ignore[attr-defined]
    return entities, rows


def export(ledger: Ledger, out: Path | str, fmt: str, as_of: date | str | None = None,
           datasets: Collection[str] | None = None) -> ExportReport:
    """The lists as they stood on ``as_of`` (latest when None) written to ``out``."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)} "
                         "(delta: export --from DATE --to DATE)")
    out = Path(out)
    check_writable(out)
    snaps = standing(ledger, as_of, datasets)
    report = ExportReport(str(out), fmt, parse_date(as_of), snaps)
    wanted = set(datasets or ())
    missing = sorted(wanted - {s.dataset for s in snaps})
    if missing:
        report.notes.append(f"no snapshot on or before {report.as_of}: {', '.join(missing)}")
    with atomic_output(out) as tmp:
        if fmt in ("csv", "parquet"):
            report.rows = copy_flat(ledger, snaps, tmp, fmt)
        else:
            dropped: Dropped = []
            with open(tmp, "wb") as fh:
                report.entities, report.rows = write_export(ledger, snaps, fmt, fh, dropped)
            if dropped:
                eid, prop, value = dropped[0]
                report.notes.append(f"left out {len(dropped)} value(s) that FtM refuses for their "
                                    f"property, e.g. {eid} {prop} {value!r} (the statements and "
                                    "flat exports keep them)")
    return report


def delta_ops(ledger: Ledger, before: list[SnapshotInfo], after: list[SnapshotInfo]) -> Iterator[bytes]:
    """yente's entity operations from ``before`` to ``after``, one JSON line each, by entity
    id: ``ADD`` and ``MOD`` carry the whole entity as it stands after, ``DEL`` its id only."""
    added, modified, deleted = changed_entities(ledger, before, after)
    ops = {eid: "ADD" for eid in added} | {eid: "MOD" for eid in modified}
    removals = removal_dates(ledger, after)
    current = by_entity(entity_statements(ledger, after, list(ops)))
    nxt = next(current, None)
    for eid in sorted(ops.keys() | set(deleted)):
        op = ops.get(eid, "DEL")
        if op == "DEL":
            line = {"op": "DEL", "entity": {"id": eid}}
        else:
            if nxt is None or nxt.entity_id != eid:
                raise RuntimeError(f"delta: no statements for {eid} after the change")
            line = {"op": op, "entity": ftm_dict(nxt, removals)}
            nxt = next(current, None)
        yield orjson.dumps(line, option=orjson.OPT_APPEND_NEWLINE)


def write_delta(ledger: Ledger, before: list[SnapshotInfo], after: list[SnapshotInfo],
                fh: BinaryIO) -> dict[str, int]:
    counts = {"ADD": 0, "MOD": 0, "DEL": 0}
    for line in delta_ops(ledger, before, after):
        fh.write(line)
        counts[orjson.loads(line)["op"]] += 1
    return counts


def export_delta(ledger: Ledger, out: Path | str, start: date | str, end: date | str | None = None,
                 datasets: Collection[str] | None = None) -> DeltaReport:
    """The change of the lists from ``start`` to ``end`` (latest when None) as yente's delta
    operations, written to ``out``."""
    first = parse_date(start, "from")
    last = parse_date(end, "to")
    if first is None:
        raise InputError("a delta needs a --from date (YYYY-MM-DD)")
    if last is not None and last < first:
        raise InputError(f"--from {first} is later than --to {last}")
    out = Path(out)
    check_writable(out)
    before = standing(ledger, first, datasets, "--from")
    after = standing(ledger, last, datasets, "--to")
    report = DeltaReport(str(out), first, last)
    with atomic_output(out) as tmp, open(tmp, "wb") as fh:
        counts = write_delta(ledger, before, after, fh)
    report.added, report.modified, report.deleted = counts["ADD"], counts["MOD"], counts["DEL"]
    return report
