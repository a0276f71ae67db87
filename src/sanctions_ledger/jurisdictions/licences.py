"""Authorisations (licences) and the dated legal acts around a listing.

A listing says a party is sanctioned; a licence says what may be done with it anyway. "Listed,
but authorised by OFAC Belarus GL 13 since 15 Dec 2025" is a different answer from "delisted",
and this module keeps the two apart: an authorisation (general, wind-down or specific licence,
derogation, exemption) never ends a listing. A *delisting* act is a separate kind of record,
for removals the lists we hold cannot show (Belavia left the SDN list on 4 Nov 2025, after the
last full SDN snapshot in the ledger).

Each record has a jurisdiction, an authority, an identifier ("OFAC Belarus GL 13", the key),
a title, a kind, what it authorises (free text plus an extent: all transactions, wind-down only
or specified transactions), the dates issued / effective / expires / revoked, the identifier it
supersedes or amends (a chain: GL 13 -> GL 13A), a scope (record ids, names the screening
service resolves to records, a flag for entities owned 50% or more, programs), the source URL,
and whether a primary source confirmed it.

Files are CSV (header :data:`COLUMNS`; lists ``;``-separated) or JSON lines (objects with the
same keys; lists as arrays or ``;``-separated strings). The whole file is checked first and
every error is reported with its line and column; any error refuses the whole file. Importing
is idempotent; a known identifier with different content is an error.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from sanctions_ledger.errors import InputError
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.licences import (
    act_digests,
    act_rows,
    acts_for_entities,
    add_acts,
    existing_entities,
)
from sanctions_ledger.vocab import JURISDICTIONS

__all__ = ["AUTHORISATION_KINDS", "COLUMNS", "EXTENTS", "LegalAct", "LicenceImport", "acts_of",
           "authorisations_for", "licensed_records",
           "import_licences", "in_force", "list_licences", "parse_licences"]

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
MAX_BYTES = 5 * 1024 * 1024
NAME_THRESHOLD = 0.85
"""A scope name must match a listed record at least this well to count as resolved."""
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
class _Row:
    line: int
    values: dict[str, Any]
    columns: dict[str, int] = field(default_factory=dict)
    """field -> column number (CSV); empty for JSON lines."""


class _Errors:
    def __init__(self, label: str) -> None:
        self.label = label
        self.items: list[str] = []

    def add(self, row: _Row, name: str, detail: str) -> None:
        col = row.columns.get(name)
        where = f"line {row.line}, column {col} ({name})" if col else f"line {row.line}, field {name}"
        self.items.append(f"{where}: {detail}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:50]
            more = f"; and {len(self.items) - 50} more" if len(self.items) > 50 else ""
            raise InputError(f"{self.label}: {len(self.items)} error(s), nothing imported: "
                             + "; ".join(shown) + more)


def _rows_csv(text: str, errors: _Errors) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[_Row] = []
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
            row = _Row(reader.line_num, {}, columns)
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


def _rows_jsonl(text: str, errors: _Errors) -> list[_Row]:
    rows: list[_Row] = []
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
        row = _Row(n, {})
        for key, value in obj.items():
            if key not in COLUMNS:
                errors.add(row, str(key), f"unknown field; fields are {','.join(COLUMNS)}")
            row.values[str(key)] = value
        rows.append(row)
    return rows


def _text(row: _Row, name: str, errors: _Errors, limit: int = 2000) -> str:
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


def _list(row: _Row, name: str, errors: _Errors) -> tuple[str, ...]:
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


def _date(row: _Row, name: str, errors: _Errors) -> date | None:
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


def _bool(row: _Row, name: str, errors: _Errors) -> bool:
    value = row.values.get(name)
    if isinstance(value, bool):
        return value
    raw = "" if value is None else str(value).strip().lower()
    if raw in _TRUE:
        return True
    if raw not in _FALSE:
        errors.add(row, name, f"{value!r} is not true or false")
    return False


def _parse_row(row: _Row, errors: _Errors) -> LegalAct | None:
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
    errors = _Errors(label)
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


def _read(path: Path | str | None, builtin: str | None) -> tuple[str, str, str]:
    """(label, text, format) of a file or a built-in set."""
    if builtin is not None:
        name = BUILTIN.get(builtin.lower())
        if name is None:
            raise InputError(f"no built-in licence set {builtin!r}; have {', '.join(sorted(BUILTIN))}")
        res = resources.files("sanctions_ledger") / "data" / name
        return f"builtin:{builtin}", res.read_text(encoding="utf-8"), "csv"
    if path is None:
        raise InputError("give a CSV or JSON-lines file, or --builtin NAME")
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES} bytes; nothing imported")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}: line {line}: not UTF-8 text; nothing imported") from exc
    fmt = "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"
    return str(path), text, fmt


@dataclass
class LicenceImport:
    source: str
    read: int
    added: list[str]
    scope: dict[str, list[str]]
    """identifier -> the record ids its scope resolved to."""

    def summary(self) -> str:
        return (f"{self.source}: {self.read} records read, {len(self.added)} added, "
                f"{self.read - len(self.added)} already present")


def _resolve_names(ledger: Ledger, names: Iterable[str], on: date | None,
                   screener: Any) -> dict[str, list[str]]:
    """name -> the records of the best-matching listed party (empty when none matches)."""
    from sanctions_ledger.errors import NotFoundError
    from sanctions_ledger.match import Query
    from sanctions_ledger.resolve import party_of
    from sanctions_ledger.screening.screener import Screener

    screener = screener or Screener(ledger)
    out: dict[str, list[str]] = {}
    for name in names:
        found: list[str] = []
        for when in (None, on):
            try:
                result = screener.screen(Query(name=name), as_of=when, limit=5, with_sanctions=False)
            except NotFoundError:
                continue
            hits = [h.hit for h in result.hits if h.hit.score >= NAME_THRESHOLD]
            if hits:
                best = hits[0]
                found = sorted({best.entity_id, *party_of(ledger, best.entity_id).entity_ids})
                break
        out[name] = found
    return out


def import_licences(ledger: Ledger, path: Path | str | None = None, *, builtin: str | None = None,
                    screener: Any = None) -> LicenceImport:
    """Check a whole file (fields, dates, the chain, scope ids against the ledger, scope names
    against the listed parties), then add its new records in one transaction."""
    label, text, fmt = _read(path, builtin)
    parsed = parse_licences(text, label, fmt)
    errors = _Errors(label)
    held = act_digests(ledger)
    idents = {a.identifier for _l, a in parsed} | set(held)
    all_ids = {i for _l, a in parsed for i in a.scope_ids}
    known = existing_entities(ledger, all_ids)
    scope: dict[str, list[tuple[str, str]]] = {}
    for line, act in parsed:
        row = _Row(line, {}, _columns(fmt))
        if act.identifier in held and held[act.identifier] != act.digest():
            errors.add(row, "identifier", f"{act.identifier!r} is already in the ledger with "
                       "different content (give the amendment its own identifier and "
                       "'supersedes')")
        if act.supersedes and act.supersedes not in idents:
            errors.add(row, "supersedes", f"{act.supersedes!r} is neither in this file nor in the ledger")
        if act.supersedes == act.identifier:
            errors.add(row, "supersedes", "a record cannot supersede itself")
        for eid in act.scope_ids:
            if eid not in known:
                errors.add(row, "scope_ids", f"no record {eid!r} in any snapshot of the ledger")
        scope[act.identifier] = [(eid, "id") for eid in act.scope_ids if eid in known]
    errors.raise_if_any()
    pending = [(line, act) for line, act in parsed if act.identifier not in held]
    for line, act in pending:
        if not act.scope_names:
            continue
        resolved = _resolve_names(ledger, act.scope_names, act.start, screener)
        row = _Row(line, {}, _columns(fmt))
        for name, ids in resolved.items():
            if not ids:
                errors.add(row, "scope_names", f"{name!r} resolves to no listed party "
                           f"(no record matches it at {NAME_THRESHOLD} or better)")
            scope[act.identifier].extend((eid, f"name:{name}") for eid in ids)
    errors.raise_if_any()
    rows = []
    scope_rows: list[tuple[str, str, str]] = []
    for _line, act in pending:
        doc = act.content()
        doc.update({"digest": act.digest(), "source": label,
                    "issued": act.issued, "effective": act.effective, "expires": act.expires,
                    "revoked": act.revoked, "supersedes": act.supersedes or None})
        rows.append(doc)
        seen: set[str] = set()
        for eid, via in scope[act.identifier]:
            if eid not in seen:
                seen.add(eid)
                scope_rows.append((act.identifier, eid, via))
    added = add_acts(ledger, rows, scope_rows)
    return LicenceImport(label, len(parsed), added,
                         {i: sorted({e for e, _v in scope.get(i, [])}) for i in added})


def _columns(fmt: str) -> dict[str, int]:
    return {n: i for i, n in enumerate(COLUMNS, start=1)} if fmt == "csv" else {}


def _acts(rows: list[dict[str, Any]]) -> list[LegalAct]:
    acts = [LegalAct(
        identifier=r["identifier"], jurisdiction=r["jurisdiction"], authority=r["authority"],
        title=r["title"], kind=r["kind"], source_url=r["source_url"], confirmed=r["confirmed"],
        authorises=r["authorises"] or "", extent=r["extent"] or "", issued=r["issued"],
        effective=r["effective"], expires=r["expires"], revoked=r["revoked"],
        supersedes=r["supersedes"] or "", scope_ids=tuple(r["scope_ids"] or ()),
        scope_names=tuple(r["scope_names"] or ()), owned_50=bool(r["owned_50"]),
        programs=tuple(r["programs"] or ()), notes=r["notes"] or "",
        scope=tuple(r["scope"] or ())) for r in rows]
    return _chain(acts)


def _chain(acts: list[LegalAct]) -> list[LegalAct]:
    """Each act superseded by a later one learns by which, and from when."""
    from dataclasses import replace

    successor = {a.supersedes: a for a in acts if a.supersedes}
    return [replace(a, superseded_by=successor[a.identifier].identifier,
                    superseded_on=successor[a.identifier].start)
            if a.identifier in successor else a for a in acts]


def list_licences(ledger: Ledger, *, entity_ids: Collection[str] | None = None,
                  as_of: date | None = None, jurisdiction: str | None = None) -> list[LegalAct]:
    """Every record (or those whose scope names one of ``entity_ids``), in date order;
    ``as_of`` keeps the authorisations in force and the acts in effect on that day."""
    if entity_ids is None:
        acts = _acts(act_rows(ledger))
    else:
        # The chain needs every act, not only those that name the records.
        chained = {a.identifier: a for a in _acts(act_rows(ledger))}
        acts = [chained[r["identifier"]] for r in acts_for_entities(ledger, entity_ids)]
    if jurisdiction:
        acts = [a for a in acts if a.jurisdiction == jurisdiction]
    if as_of is not None:
        acts = [a for a in acts if (a.in_force(as_of) if a.is_authorisation
                                    else a.start is None or a.start <= as_of)]
    return acts


def acts_of(ledger: Ledger, entity_ids: Collection[str]) -> list[LegalAct]:
    """Every act whose scope names one of the records (a party's records), in date order."""
    return list_licences(ledger, entity_ids=entity_ids)


def in_force(ledger: Ledger, entity_ids: Collection[str], on: date,
             jurisdiction: str | None = None) -> list[LegalAct]:
    """The authorisations in force on ``on`` whose scope names one of ``entity_ids`` (a
    party's records, or a screening hit's): what a compliance check asks before paying."""
    return [a for a in list_licences(ledger, entity_ids=entity_ids, as_of=on,
                                     jurisdiction=jurisdiction) if a.is_authorisation]


def authorisations_for(ledger: Ledger, entity_ids: Collection[str],
                       on: date | None) -> dict[str, list[dict[str, Any]]]:
    """entity id -> the authorisations in force on ``on`` (None: today) whose scope names the
    record or another record of its party: what screening hits carry. Ids with none are left
    out; the acts are read once per ledger generation, so a ledger without licences costs a
    dictionary lookup."""
    from sanctions_ledger.resolve import party_map

    acts = ledger.cache.get("jurisdictions.licences", lambda: [
        a for a in _acts(act_rows(ledger)) if a.is_authorisation])
    if not acts or not entity_ids:
        return {}
    day = on or date.today()
    live = [a for a in acts if a.in_force(day)]
    if not live:
        return {}
    pmap = party_map(ledger, set(entity_ids) | {e for a in live for e in a.scope})
    out: dict[str, list[dict[str, Any]]] = {}
    for eid in entity_ids:
        pid = pmap.get(eid, eid)
        found = [a.to_dict() for a in live
                 if eid in a.scope or any(pmap.get(s, s) == pid for s in a.scope)]
        if found:
            out[eid] = found
    return out


def licensed_records(ledger: Ledger, on: date | None) -> dict[str, str]:
    """Every record of every party that an authorisation in force on ``on`` (None: today)
    names -> the licences' identifiers (``; ``-separated): the ``authorisations`` column of a
    screened file, computed once for the whole file."""
    from sanctions_ledger.resolve import members_of, party_map

    day = on or date.today()
    live = [a for a in list_licences(ledger, as_of=day) if a.is_authorisation]
    out: dict[str, list[str]] = {}
    for act in live:
        parties = set(party_map(ledger, act.scope).values())
        for eid in {*act.scope, *(m for ms in members_of(ledger, parties).values() for m in ms)}:
            out.setdefault(eid, []).append(act.identifier)
    return {eid: "; ".join(idents) for eid, idents in out.items()}
