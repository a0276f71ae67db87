"""What the pages show, computed from the library: names by script and a party's dated marks
(parties listed per jurisdiction over time come from ``sanctions_ledger.jurisdictions.timeline``)."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date

from sanctions_ledger.history import ChangeEvent
from sanctions_ledger.queries import Listing
from sanctions_ledger.store import parse_date
from sanctions_ledger.vocab import DISPLAY_IDENTIFIER_PROPS, NAME_PROPS
from sanctions_ledger.web.svg import Mark

ID_PROPS = DISPLAY_IDENTIFIER_PROPS


def script_of(text: str) -> str:
    """The Unicode script of the first letter (``LATIN``, ``CYRILLIC``, ``ARABIC``, ``CJK``...)."""
    for ch in text:
        if ch.isalpha():
            try:
                return unicodedata.name(ch).split()[0].title()
            except ValueError:
                return "Other"
    return "Other"


def names_by_script(listings: list[Listing]) -> dict[str, list[tuple[str, str, str]]]:
    """Script -> (name, kind, list) for every name of the party in every list."""
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for lst in listings:
        for prop in NAME_PROPS:
            for value in lst.entity.get(prop, quiet=True):
                if (value, lst.dataset) in seen:
                    continue
                seen.add((value, lst.dataset))
                out[script_of(value)].append((value, prop, lst.dataset))
    return dict(sorted(out.items(), key=lambda kv: (kv[0] != "Latin", kv[0])))


def identifiers(listings: list[Listing]) -> list[tuple[str, str, str]]:
    rows = []
    for lst in listings:
        for prop in ID_PROPS:
            for value in lst.entity.get(prop, quiet=True):
                rows.append((prop, value, lst.dataset))
        for sanc in lst.sanctions:
            for value in sanc.get("authorityId", quiet=True):
                rows.append(("authorityId", value, lst.dataset))
    return sorted(set(rows))


def party_marks(events: list[ChangeEvent]) -> list[Mark]:
    """Observed events, plus the designation dates the lists state themselves."""
    marks: list[Mark] = []
    designated: set[tuple[str, date]] = set()
    for ev in events:
        if ev.observed is not None:
            label = "; ".join(c.describe() for c in ev.changes[:3]) or ev.note or ev.kind
            marks.append(Mark(ev.dataset, ev.observed, ev.kind, label))
        for prop in ("listingDate", "startDate"):
            for value in ev.source_dates.get(prop, []):
                when = _date(value)
                if when and (ev.dataset, when) not in designated:
                    designated.add((ev.dataset, when))
                    marks.append(Mark(ev.dataset, when, "designated", f"{prop} {value} (stated by the list)"))
    return sorted(marks, key=lambda m: (m.when, m.lane))


def _date(value: str) -> date | None:
    try:
        return parse_date(value[:10])
    except Exception:  # noqa: BLE001 - partial or odd source dates are simply not plotted
        return None


_DATE_LIKE = ("birthDate", "deathDate", "incorporationDate", "dissolutionDate", "startDate",
              "endDate", "listingDate", "date")


def shown_values(prop: str, values: list[str]) -> list[str]:
    """A property's values as a page shows them: one date once. Lists write a year both as
    ``1964`` and as ``1964-01-01`` (the year padded to a date), and a year next to a full
    date of that year (``1943`` and ``1943-08-17``) repeats it; each such pair shows as one
    value (the year for a padded year, else the fuller date)."""
    if prop not in _DATE_LIKE:
        return list(values)
    unique = list(dict.fromkeys(values))
    years = {v for v in unique if len(v) == 4}
    out = []
    for v in unique:
        if len(v) == 10 and v.endswith("-01-01") and v[:4] in years:
            continue  # the year written as a date: "1964" says it without false precision
        if len(v) < 10 and any(o != v and o.startswith(v) and not o.endswith("-01-01")
                               for o in unique):
            continue  # a year (or month) that a fuller date of the same year already gives
        out.append(v)
    return sorted(out)
