"""Licence files and the record they describe: :class:`LegalAct` (an authorisation or a dated
legal act such as a delisting), and the checks of a CSV or JSON-lines file, every fault with
its line and column. Pure: no store (importing, listing and "in force" are in
:mod:`sanctions_ledger.jurisdictions.licences`)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sanctions_ledger.errors import InputError
from sanctions_ledger.jurisdictions.textsource import read_text
from sanctions_ledger.vocab import JURISDICTIONS

__all__ = ["ACT_KINDS", "AUTHORISATION_KINDS", "BUILTIN", "COLUMNS", "EXTENTS", "FileErrors", "FileRow", "LegalAct",
           "parse_licences", "read_licence_file"]


COLUMNS = ("identifier", "jurisdiction", "authority", "title", "kind", "authorises", "extent",
           "issued", "effective", "expires", "revoked", "supersedes", "scope_ids", "scope_names",
           "owned_50", "programs", "source_url", "confirmed", "notes")
REQUIRED = ("identifier", "jurisdiction", "authority", "title", "kind", "source_url", "confirmed")
AUTHORISATION_KINDS = ("general licence", "wind-down licence", "specific licence", "derogation",
                       "exemption")
ACT_KINDS = ("delisting",)
"""Legal acts that change a listing itself (not authorisations)."""
EXTENTS = ("all transactions", "wind-down only", "specified transactions")
BUILTIN = {"belarus": "belarus_licences.csv"}
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_JURISDICTION = {"us": "us", "eu": "eu", "gb": "gb", "uk": "gb", "un": "un"}
_TRUE, _FALSE = ("true", "yes", "1", "y"), ("false", "no", "0", "n", "")


def _kind(value: str) -> str:
    return value.strip().lower().replace("_", " ").replace("license", "licence").replace(
        "wind down", "wind-down")


@dataclass(frozen=True)
class LegalAct:
    """One authorisation or legal act, with the records its scope resolved to."""

    identifier: str
    jurisdiction: str
    authority: str
    title: str
    kind: str
    source_url: str
    confirmed: bool
    authorises: str = ""
    extent: str = ""
    issued: date | None = None
    effective: date | None = None
    expires: date | None = None
    revoked: date | None = None
    supersedes: str = ""
    scope_ids: tuple[str, ...] = ()
    scope_names: tuple[str, ...] = ()
    owned_50: bool = False
    programs: tuple[str, ...] = ()
    notes: str = ""
    scope: tuple[str, ...] = ()
    """Record ids the scope resolved to on import (ids given, and records matched by name)."""
    superseded_by: str = ""
    superseded_on: date | None = None

    @property
    def is_authorisation(self) -> bool:
        return self.kind in AUTHORISATION_KINDS

    @property
    def start(self) -> date | None:
        """The first day it applies: effective date, else issue date."""
        return self.effective or self.issued

    @property
    def end(self) -> date | None:
        """The first day it no longer applies: expiry, revocation or its successor's start."""
        ends = [d for d in (self.expires, self.revoked, self.superseded_on) if d is not None]
        return min(ends) if ends else None

    def in_force(self, day: date) -> bool:
        start, end = self.start, self.end
        return (start is None or start <= day) and (end is None or day < end)

    def ended_how(self) -> str:
        end = self.end
        if end is None:
            return ""
        if end == self.revoked:
            return f"revoked {end}"
        if end == self.superseded_on:
            return f"superseded by {self.superseded_by} on {end}"
        return f"expired {end}"

    def digest(self) -> str:
        payload = json.dumps(self.content(), sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def content(self) -> dict[str, Any]:
        return {"identifier": self.identifier, "jurisdiction": self.jurisdiction,
                "authority": self.authority, "title": self.title, "kind": self.kind,
                "authorises": self.authorises, "extent": self.extent,
                "issued": _iso(self.issued), "effective": _iso(self.effective),
                "expires": _iso(self.expires), "revoked": _iso(self.revoked),
                "supersedes": self.supersedes, "scope_ids": list(self.scope_ids),
                "scope_names": list(self.scope_names), "owned_50": self.owned_50,
                "programs": list(self.programs), "source_url": self.source_url,
                "confirmed": self.confirmed, "notes": self.notes}

    def describe(self) -> str:
        """``OFAC Belarus GL 13 (general licence) since 2025-12-15, no expiry, all transactions,
        entities owned 50% or more included``."""
        parts = [f"{self.identifier} ({self.kind})"]
        if self.start:
            parts[0] += f" since {self.start}"
        if self.is_authorisation:
            parts.append(self.ended_how() or (f"until {self.expires}" if self.expires else "no expiry"))
            if self.extent:
                parts.append(self.extent)
            if self.owned_50:
                parts.append("entities owned 50% or more included")
        if not self.confirmed:
            parts.append("not confirmed from a primary source")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        doc = self.content()
        doc.update({"start": _iso(self.start), "end": _iso(self.end), "ended": self.ended_how(),
                    "superseded_by": self.superseded_by or None,
                    "authorisation": self.is_authorisation, "scope": list(self.scope),
                    "describe": self.describe()})
        return doc


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class FileRow:
    line: int
    values: dict[str, Any]
    columns: dict[str, int] = field(default_factory=dict)
    """field -> column number (CSV); empty for JSON lines."""


class FileErrors:
    def __init__(self, label: str) -> None:
        self.label = label
        self.items: list[str] = []

    def add(self, row: FileRow, name: str, detail: str) -> None:
        col = row.columns.get(name)
        where = f"line {row.line}, column {col} ({name})" if col else f"line {row.line}, field {name}"
        self.items.append(f"{where}: {detail}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:50]
            more = f"; and {len(self.items) - 50} more" if len(self.items) > 50 else ""
            raise InputError(f"{self.label}: {len(self.items)} error(s), nothing imported: "
                             + "; ".join(shown) + more)


def _rows_csv(text: str, errors: FileErrors) -> list[FileRow]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[FileRow] = []
    try:
        header = next(reader, None)
        if header is None:
            raise InputError(f"{errors.label}: line 1: empty file; expected the header "
                             + ",".join(COLUMNS))
        names = [h.strip().lower() for h in header]
        unknown = [(i, n) for i, n in enumerate(names, start=1) if n not in COLUMNS]
        missing = [c for c in REQUIRED if c not in names]
        if unknown or missing:
            parts = [f"line 1, column {i}: unknown column {n!r}" for i, n in unknown]
            parts += [f"line 1: missing column {c!r}" for c in missing]
            raise InputError(f"{errors.label}: " + "; ".join(parts) + f"; columns are {','.join(COLUMNS)}"
                             "; nothing imported")
        columns = {n: i for i, n in enumerate(names, start=1)}
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            row = FileRow(reader.line_num, {}, columns)
            if len(cells) != len(names):
                errors.items.append(f"line {reader.line_num}: expected {len(names)} fields, "
                                    f"found {len(cells)}")
                continue
            row.values = {n: c.strip() for n, c in zip(names, cells, strict=True)}
            rows.append(row)
    except csv.Error as exc:
        raise InputError(f"{errors.label}: line {reader.line_num}: malformed CSV ({exc}); "
                         "nothing imported") from exc
    return rows


def _rows_jsonl(text: str, errors: FileErrors) -> list[FileRow]:
    rows: list[FileRow] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.items.append(f"line {n}, column {exc.colno}: not JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            errors.items.append(f"line {n}: expected a JSON object")
            continue
        row = FileRow(n, {})
        for key, value in obj.items():
            if key not in COLUMNS:
                errors.add(row, str(key), f"unknown field; fields are {','.join(COLUMNS)}")
            row.values[str(key)] = value
        rows.append(row)
    return rows


def _text(row: FileRow, name: str, errors: FileErrors, limit: int = 2000) -> str:
    value = row.values.get(name)
    if value is None:
        return ""
    if isinstance(value, (list, dict)) or isinstance(value, bool):
        errors.add(row, name, "expected text")
        return ""
    out = str(value).strip()
    if len(out) > limit:
        errors.add(row, name, f"longer than {limit} characters")
    return out


def _list(row: FileRow, name: str, errors: FileErrors) -> tuple[str, ...]:
    value = row.values.get(name)
    if value is None or value == "":
        return ()
    items = value if isinstance(value, list) else str(value).split(";")
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            errors.add(row, name, f"{item!r} is not text")
            continue
        item = item.strip()
        if item and item not in out:
            out.append(item)
    return tuple(out)


def _date(row: FileRow, name: str, errors: FileErrors) -> date | None:
    raw = _text(row, name, errors)
    if not raw:
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        errors.add(row, name, f"{raw!r} is not a date (YYYY-MM-DD)")
        return None


def _bool(row: FileRow, name: str, errors: FileErrors) -> bool:
    value = row.values.get(name)
    if isinstance(value, bool):
        return value
    raw = "" if value is None else str(value).strip().lower()
    if raw in _TRUE:
        return True
    if raw not in _FALSE:
        errors.add(row, name, f"{value!r} is not true or false")
    return False


def _parse_row(row: FileRow, errors: FileErrors) -> LegalAct | None:
    before = len(errors.items)
    for name in REQUIRED:
        if name != "confirmed" and not _text(row, name, errors):
            errors.add(row, name, "is empty")
    if "confirmed" not in row.values:
        errors.add(row, "confirmed", "is missing (true or false)")
    juris = _JURISDICTION.get(_text(row, "jurisdiction", errors).lower(), "")
    if not juris and _text(row, "jurisdiction", errors):
        errors.add(row, "jurisdiction", f"unknown jurisdiction; use one of {', '.join(JURISDICTIONS)}")
    kind = _kind(_text(row, "kind", errors))
    if kind and kind not in AUTHORISATION_KINDS + ACT_KINDS:
        errors.add(row, "kind", f"{kind!r} is not one of {', '.join(AUTHORISATION_KINDS + ACT_KINDS)}")
    extent = _text(row, "extent", errors).lower().replace("wind down", "wind-down")
    if extent and extent not in EXTENTS:
        errors.add(row, "extent", f"{extent!r} is not one of {', '.join(EXTENTS)}")
    if extent and kind in ACT_KINDS:
        errors.add(row, "extent", f"a {kind} authorises nothing; leave extent empty")
    url = _text(row, "source_url", errors)
    if url and not _URL.match(url):
        errors.add(row, "source_url", f"{url!r} is not an http(s) URL")
    issued, effective = _date(row, "issued", errors), _date(row, "effective", errors)
    expires, revoked = _date(row, "expires", errors), _date(row, "revoked", errors)
    start = effective or issued
    if start is None and not any("issued" in e or "effective" in e for e in errors.items[before:]):
        errors.add(row, "issued", "give an issue or effective date")
    if expires and issued and expires < issued:
        errors.add(row, "expires", f"{expires} is before the issue date {issued}")
    if expires and effective and expires < effective:
        errors.add(row, "expires", f"{expires} is before the effective date {effective}")
    if revoked and start and revoked < start:
        errors.add(row, "revoked", f"{revoked} is before the act took effect ({start})")
    if kind in ACT_KINDS and (expires or revoked):
        errors.add(row, "expires" if expires else "revoked",
                   f"a {kind} does not expire; a later designation is another record")
    scope_ids, scope_names = _list(row, "scope_ids", errors), _list(row, "scope_names", errors)
    if not scope_ids and not scope_names:
        errors.add(row, "scope_ids", "the scope names no party: give record ids (scope_ids) "
                   "or names (scope_names)")
    act = LegalAct(
        identifier=_text(row, "identifier", errors, 200), jurisdiction=juris,
        authority=_text(row, "authority", errors, 300), title=_text(row, "title", errors, 500),
        kind=kind, source_url=url, confirmed=_bool(row, "confirmed", errors),
        authorises=_text(row, "authorises", errors), extent=extent, issued=issued,
        effective=effective, expires=expires, revoked=revoked,
        supersedes=_text(row, "supersedes", errors, 200), scope_ids=scope_ids,
        scope_names=scope_names, owned_50=_bool(row, "owned_50", errors),
        programs=_list(row, "programs", errors), notes=_text(row, "notes", errors))
    return act if len(errors.items) == before else None


def parse_licences(text: str, label: str = "licences", fmt: str = "csv") -> list[tuple[int, LegalAct]]:
    """Check a whole CSV or JSON-lines text; (line, act) of every record, or
    :class:`InputError` listing every fault by line and column."""
    errors = FileErrors(label)
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = _rows_jsonl(text, errors) if fmt == "jsonl" else _rows_csv(text, errors)
    out: list[tuple[int, LegalAct]] = []
    seen: dict[str, tuple[int, str]] = {}
    for row in rows:
        act = _parse_row(row, errors)
        if act is None:
            continue
        if act.identifier in seen:
            line, digest = seen[act.identifier]
            if digest != act.digest():
                errors.add(row, "identifier", f"{act.identifier!r} is on line {line} with "
                           "different content")
            continue
        seen[act.identifier] = (row.line, act.digest())
        out.append((row.line, act))
    if not rows and not errors.items:
        errors.items.append("line 1: no records")
    errors.raise_if_any()
    return out


def read_licence_file(path: Path | str | None, builtin: str | None) -> tuple[str, str, str]:
    """(label, text, format) of a file or a built-in set."""
    label, text = read_text(path, builtin, builtins=BUILTIN, what="licence set",
                            give="a CSV or JSON-lines file", after="; nothing imported")
    if path is None or builtin is not None:
        return label, text, "csv"
    path = Path(path)
    fmt = "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"
    return str(path), text, fmt
