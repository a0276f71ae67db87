"""Dated real-world events (elections, executive orders, invasions) that annotate timelines.

A CSV file has the header ``date,title,url,tags,related``; ``tags`` and ``related`` (entity
or party ids) are ``;``-separated. The whole file is validated before anything is written:
a malformed file is refused with its line and column, and imports nothing. Importing is
idempotent: an event's id is a hash of its date and title.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sanctions_ledger.errors import InputError
from sanctions_ledger.jurisdictions.textsource import read_text
from sanctions_ledger.store.events import add_events, event_rows, remove_events
from sanctions_ledger.store.ledger import Ledger

COLUMNS = ("date", "title", "url", "tags", "related")
BUILTIN = {"belarus": "belarus_events.csv"}
KINDS = ("designation", "delisting", "licence", "renewal", "political")
"""What an event is, as one of its tags: a licence is never a delisting."""
WITHDRAWN: dict[str, tuple[tuple[str, str], ...]] = {
    "belarus": (("2025-12-13", "Belarus releases 123 political prisoners incl. Ales Bialiatski and "
                 "Maria Kalesnikava; US lifts sanctions on Belarusian potash"),),
}
"""(date, title) of events an earlier built-in set shipped wrongly, removed when the set is
imported again: 13 Dec 2025 was tagged a delisting, but the potash relief was a licence (GL 13,
15 Dec 2025) and nobody left the SDN list."""
_TAG = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")
_RELATED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:#-]*$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


@dataclass(frozen=True)
class ContextEvent:
    date: date
    title: str
    url: str | None = None
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    id: str = field(default="")

    @staticmethod
    def make_id(day: dt.date, title: str) -> str:
        return hashlib.sha256(f"{day.isoformat()}\x1f{title}".encode()).hexdigest()[:16]

    @property
    def kind(self) -> str:
        """designation, delisting, licence, renewal or political (the first such tag), or ''."""
        return next((t for t in self.tags if t in KINDS), "")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.date.isoformat(), "title": self.title, "url": self.url,
                "tags": list(self.tags), "related": list(self.related), "kind": self.kind}


@dataclass
class ImportReport:
    source: str
    read: int
    added: int
    withdrawn: int = 0

    def summary(self) -> str:
        text = (f"{self.source}: {self.read} events read, {self.added} added, "
                f"{self.read - self.added} already present")
        return text + (f"; {self.withdrawn} withdrawn (shipped wrongly before)" if self.withdrawn else "")


def _err(line: int, col: int, detail: str) -> InputError:
    name = COLUMNS[col - 1] if 0 < col <= len(COLUMNS) else "?"
    return InputError(f"line {line}, column {col} ({name}): {detail}")


def _split(value: str, pattern: re.Pattern[str], line: int, col: int, what: str) -> tuple[str, ...]:
    out: list[str] = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        if not pattern.match(part):
            raise _err(line, col, f"{what} {part!r} is not valid")
        if part not in out:
            out.append(part)
    return tuple(out)


def parse_events(text: str) -> list[ContextEvent]:
    """Validate and parse a whole events CSV; raises :class:`InputError` at the first fault."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    events: list[ContextEvent] = []
    seen: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None:
            raise InputError("line 1: empty file; expected the header " + ",".join(COLUMNS))
        names = [h.strip().lower() for h in header]
        for idx, expected in enumerate(COLUMNS, start=1):
            if idx > len(names) or names[idx - 1] != expected:
                got = names[idx - 1] if idx <= len(names) else "nothing"
                raise _err(1, idx, f"header must be {','.join(COLUMNS)}; found {got!r}")
        if len(names) > len(COLUMNS):
            raise InputError(f"line 1, column {len(COLUMNS) + 1}: unexpected extra header "
                             f"{names[len(COLUMNS)]!r}")
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                col = min(len(row), len(COLUMNS)) + 1 if len(row) < len(COLUMNS) else len(COLUMNS) + 1
                raise InputError(f"line {line}, column {col}: expected {len(COLUMNS)} fields "
                                 f"({','.join(COLUMNS)}), found {len(row)}")
            events.append(_parse_row(row, line, seen))
    except csv.Error as exc:
        raise InputError(f"line {reader.line_num}: malformed CSV ({exc})") from exc
    return events


def _parse_row(row: list[str], line: int, seen: dict[str, int]) -> ContextEvent:
    raw_date, title, url, tags, related = (cell.strip() for cell in row)
    if not raw_date:
        raise _err(line, 1, "date is empty")
    try:
        day = date.fromisoformat(raw_date)
    except ValueError:
        raise _err(line, 1, f"{raw_date!r} is not a date (YYYY-MM-DD)") from None
    if len(raw_date) != 10:
        raise _err(line, 1, f"{raw_date!r} is not a date (YYYY-MM-DD)")
    if not title:
        raise _err(line, 2, "title is empty")
    if len(title) > 300:
        raise _err(line, 2, "title longer than 300 characters")
    if url and not _URL.match(url):
        raise _err(line, 3, f"{url!r} is not an http(s) URL")
    event = ContextEvent(day, title, url or None, _split(tags.lower(), _TAG, line, 4, "tag"),
                         _split(related, _RELATED, line, 5, "related id"),
                         ContextEvent.make_id(day, title))
    if event.id in seen:
        raise _err(line, 2, f"duplicate of the event on line {seen[event.id]}")
    seen[event.id] = line
    return event


def read_source(path: Path | str | None = None, builtin: str | None = None) -> tuple[str, str]:
    """(label, text) of a CSV file or of a built-in event set."""
    return read_text(path, builtin, builtins=BUILTIN, what="event set", give="a CSV file")


def import_events(ledger: Ledger, path: Path | str | None = None, *,
                  builtin: str | None = None) -> ImportReport:
    """Validate a whole file, then add its new events in one transaction."""
    label, text = read_source(path, builtin)
    try:
        events = parse_events(text)
    except InputError as exc:
        raise InputError(f"{label}: {exc.detail}; nothing imported") from exc
    if builtin is not None:
        for e in events:
            if not e.kind:
                raise InputError(f"{label}: the event of {e.date} has no kind tag "
                                 f"({', '.join(KINDS)})")
    new = add_events(ledger, [(e.id, e.date, e.title, e.url, list(e.tags), list(e.related))
                              for e in events])
    gone = remove_events(ledger, [ContextEvent.make_id(date.fromisoformat(d), t)
                                  for d, t in WITHDRAWN.get((builtin or "").lower(), ())])
    return ImportReport(label, len(events), len(new), len(gone))


def list_events(ledger: Ledger, *, tags: list[str] | None = None, since: date | None = None,
                until: date | None = None) -> list[ContextEvent]:
    """Events in date order; ``tags`` keeps those carrying any of them."""
    wanted = {t.lower() for t in tags or []}
    out = []
    for eid, day, title, url, etags, related in event_rows(ledger):
        event = ContextEvent(day, title, url, tuple(etags), tuple(related), eid)
        if wanted and not wanted & set(event.tags):
            continue
        if (since and day < since) or (until and day > until):
            continue
        out.append(event)
    return out
