"""Importing a customer book (CSV, JSON lines or Parquet) as a new version of the book.

Policy for bad rows (no id, duplicate id, empty name, malformed date, unknown schema): each
is reported with its line (CSV: the file's line, header = line 1; JSON lines: the line;
Parquet: the row), and skipped; the other rows are imported. A skipped row whose customer the
book already holds leaves that customer as it was (it is not taken as removed). With
``strict`` any bad row refuses the whole file, and a file with no good row is refused: then
nothing is written. The import is one transaction, and importing the same content again is no
new version.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sanctions_ledger.errors import InputError
from sanctions_ledger.screening.engines.io import input_kind, numbered_jsonl_rows, read_queries
from sanctions_ledger.store import Ledger
from sanctions_ledger.store import books as store_books
from sanctions_ledger.store.books import BookImport, CustomerRow, make_row
from sanctions_ledger.vocab import SCREENABLE_SCHEMAS

__all__ = ["BadRow", "ImportResult", "import_book", "read_book"]

BOOK_COLUMNS = ("customer_id", "name", "schema", "birth_date", "country", "identifier")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_REPORTED = 1000
"""Bad rows listed in a report (all are counted)."""


@dataclass(frozen=True)
class BadRow:
    line: int
    customer_id: str
    reason: str

    def describe(self, path: str) -> str:
        who = f" ({self.customer_id})" if self.customer_id else ""
        return f"{path}: line {self.line}{who}: {self.reason}"


@dataclass
class ImportResult:
    report: BookImport
    path: str
    bad: list[BadRow] = field(default_factory=list)
    bad_count: int = 0

    def summary(self) -> str:
        r = self.report
        head = (f"book {r.book}: {r.rows} rows read, {r.rejected} rejected; "
                + ("no change (same content as version " + str(r.version) + ")" if r.unchanged else
                   f"version {r.version}: +{r.added} added, ~{r.changed} changed, -{r.removed} removed"))
        lines = [head] + [b.describe(self.path) for b in self.bad]
        if self.bad_count > len(self.bad):
            lines.append(f"... and {self.bad_count - len(self.bad)} more rejected rows")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {**self.report.to_dict(), "path": self.path,
                "bad_rows": [{"line": b.line, "customer_id": b.customer_id, "reason": b.reason}
                             for b in self.bad]}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _valid_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    parts = [int(p) for p in text.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _numbered(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    kind = input_kind(path)
    if kind == "jsonl":
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        yield from numbered_jsonl_rows(path)
        return
    offset = 1 if kind == "csv" else 0  # CSV: the header is line 1
    for n, row in enumerate(read_queries(path), start=1):
        yield n + offset, row


def read_book(path: Path) -> tuple[list[CustomerRow], list[BadRow], set[str], int]:
    """The good rows of a book file, the bad ones (line, id, reason), the ids of rejected rows,
    and the number of rows read."""
    good: list[CustomerRow] = []
    bad: list[BadRow] = []
    seen: dict[str, int] = {}
    rejected_ids: set[str] = set()
    read = 0
    for line, row in _numbered(path):
        read += 1
        if read == 1 and "customer_id" not in row:
            raise InputError(f"{path}: no 'customer_id' column (columns: {', '.join(row) or 'none'}); "
                             f"expected {','.join(BOOK_COLUMNS)} (and any others, which are kept)")
        cid = _text(row.get("customer_id")) or ""
        name = _text(row.get("name"))
        schema = _text(row.get("schema")) or "Any"
        birth = _text(row.get("birth_date"))
        reason = ""
        if not cid:
            reason = "no customer_id"
        elif cid in seen:
            reason = f"duplicate customer_id (first on line {seen[cid]})"
        elif not name:
            reason = "empty name"
        elif birth and not _valid_date(birth):
            reason = f"malformed birth_date {birth!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
        elif schema != "Any" and schema not in SCREENABLE_SCHEMAS:
            reason = f"unknown schema {schema!r} (expected Any or one of {', '.join(sorted(SCREENABLE_SCHEMAS))})"
        if reason:
            bad.append(BadRow(line, cid, reason))
            if cid:
                rejected_ids.add(cid)
            continue
        seen[cid] = line
        assert name is not None
        extra = {k: row[k] for k in sorted(row) if k not in BOOK_COLUMNS}
        country = _text(row.get("country"))
        good.append(make_row(cid, name, schema, birth, country.lower() if country else None,
                             _text(row.get("identifier")),
                             json.dumps(extra, sort_keys=True, default=str, ensure_ascii=False)))
    # An id both accepted and rejected (a duplicate) keeps its accepted row.
    rejected_ids -= set(seen)
    return good, bad, rejected_ids, read


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_book(ledger: Ledger, path: Path | str, book: str, *, strict: bool = False) -> ImportResult:
    """Import ``path`` as the new content of ``book`` (see the module's policy for bad rows)."""
    path = Path(path)
    if not _NAME.match(book):
        raise InputError(f"book name {book!r}: use lower-case letters, digits, '_', '.', '-' "
                         "(at most 64, starting with a letter or digit)")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    good, bad, rejected_ids, read = read_book(path)
    shown = bad[:MAX_REPORTED]
    if bad and strict:
        raise InputError(f"{len(bad)} bad row(s), nothing imported (--strict):\n"
                         + "\n".join(b.describe(str(path)) for b in shown))
    if not good:
        detail = "\n".join(b.describe(str(path)) for b in shown[:20])
        raise InputError(f"{path}: no customer row could be read ({read} rows); nothing imported"
                         + (f"\n{detail}" if detail else ""))
    report = store_books.import_rows(ledger, book, good, path=str(path), sha256=_sha256(path), read=read,
                                     rejected=len(bad), keep=rejected_ids)
    return ImportResult(report, str(path), shown, len(bad))
