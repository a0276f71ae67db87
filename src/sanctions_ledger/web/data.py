"""What the pages show, computed from the library: names by script, a party's dated marks,
and parties listed per jurisdiction over time."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date
from typing import Any

from sanctions_ledger.history import Event
from sanctions_ledger.queries import Listing, jurisdiction
from sanctions_ledger.store import Ledger, LedgerView, parse_date
from sanctions_ledger.web.svg import Mark

NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
ID_PROPS = ("idNumber", "passportNumber", "registrationNumber", "taxNumber", "innCode", "ogrnCode",
            "imoNumber", "leiCode", "swiftBic", "vatCode", "mmsi", "callSign", "authorityId")


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


def party_marks(events: list[Event]) -> list[Mark]:
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


def snapshot_counts(ledger: Ledger, program: str | None, country: str | None) -> dict[str, list[tuple[date, int]]]:
    """Jurisdiction -> (snapshot date, parties listed then), over every snapshot date held."""
    rows = ledger.query("SELECT DISTINCT observed_at FROM snapshots WHERE full_snapshot ORDER BY 1")
    out: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for (when,) in rows:
        counts: dict[str, int] = defaultdict(int)
        for dataset, _eid in LedgerView(ledger, when, None).party_ids(program=program, country=country):
            counts[jurisdiction(dataset)] += 1
        for jur, n in counts.items():
            out[jur].append((when, n))
    return dict(sorted(out.items()))


def designation_counts(ledger: Ledger, program: str | None,
                       country: str | None) -> dict[str, list[tuple[date, int]]]:
    """Jurisdiction -> (month end, parties designated by then), from the lists' own listing dates;
    one point per month in which designations happened."""
    params: dict[str, Any] = {}
    conds = ["TRUE"]
    if program:
        params["program"] = program.upper()
        conds.append("""EXISTS (SELECT 1 FROM statements q WHERE q.prop = 'program'
            AND q.dataset = s.dataset AND q.entity_id IN (s.sanction, s.party)
            AND (upper(q.value) = $program OR upper(q.value) LIKE $program || '-%'))""")
    if country:
        params["country"] = country.lower()
        conds.append("""EXISTS (SELECT 1 FROM statements q WHERE q.dataset = s.dataset
            AND q.entity_id = s.party AND q.prop_type = 'country' AND q.value = $country)""")
    sql = f"""
        WITH s AS (SELECT DISTINCT dataset, entity_id AS sanction, value AS party FROM statements
                   WHERE schema = 'Sanction' AND prop = 'entity'),
             d AS (SELECT dataset, entity_id AS sanction, min(value) AS listed FROM statements
                   WHERE schema = 'Sanction' AND prop IN ('listingDate', 'startDate') GROUP BY 1, 2)
        SELECT s.dataset, s.party, min(d.listed) FROM s JOIN d USING (dataset, sanction)
        WHERE {" AND ".join(conds)} GROUP BY 1, 2"""
    cur = ledger.cursor()
    first: dict[str, dict[str, date]] = defaultdict(dict)
    for dataset, party, listed in cur.execute(sql, params).fetchall():
        when = _date(listed) if listed else None
        jur = jurisdiction(dataset)
        if when is not None and (party not in first[jur] or when < first[jur][party]):
            first[jur][party] = when
    out: dict[str, list[tuple[date, int]]] = {}
    for jur, parties in sorted(first.items()):
        per_month: dict[date, int] = defaultdict(int)
        for when in parties.values():
            per_month[_month_end(when)] += 1
        total = 0
        points = []
        for month in sorted(per_month):
            total += per_month[month]
            points.append((month, total))
        out[jur] = points
    return out


def _month_end(when: date) -> date:
    nxt = date(when.year + (when.month == 12), when.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)
