"""Parties listed per jurisdiction over time, as data and as a plain SVG chart.

Two kinds of time, drawn differently (see history.py for the same distinction):

* **designated** (solid step line): cumulative count of parties by the designation date the
  list itself gives (Sanction listingDate/startDate), over every record we ever held;
  parties whose list gives no date are counted in the legend, not on the line;
* **observed** (dashed line with dots): how many parties our own snapshots contained on each
  snapshot date.

Each jurisdiction's lines stop at its last snapshot: what came after is unknown to us, so
the designated line goes on only as a faint dotted stub labelled with that snapshot's date,
never as a solid line flat to the chart's end.

Events (:mod:`sanctions_ledger.jurisdictions.events`) are vertical dotted lines with their titles.
Licences (:mod:`sanctions_ledger.jurisdictions.licences`) whose scope names a party on the chart
are drawn as spans (a band from the day they took effect to the day they ended, or to the
chart's edge with an open end) under the axis, in the jurisdiction's colour: an authorisation
is a period, not a change in the count of listed parties. Every number and label is a
``<text>`` node, so the chart can be checked by reading it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.jurisdictions.events import ContextEvent, list_events
from sanctions_ledger.jurisdictions.licences import LegalAct, list_licences
from sanctions_ledger.jurisdictions.status import (
    parse_jurisdictions,
    presences,
    sanction_facts,
    snapshot_cache,
)
from sanctions_ledger.resolve import members_of, party_map
from sanctions_ledger.store.ledger import Ledger
from sanctions_ledger.store.reads import with_country, with_program
from sanctions_ledger.vocab import JURISDICTIONS, PARTY_SCHEMAS, jurisdiction

COLOURS = {"us": "#1f4e9c", "eu": "#b8860b", "gb": "#c8102e", "un": "#2a9d8f"}


@dataclass
class Series:
    jurisdiction: str
    designated: list[tuple[date, int]] = field(default_factory=list)
    """(date, cumulative parties designated on or before it), one point per date."""
    undated: int = 0
    """Parties listed by this jurisdiction whose list gives no designation date."""
    observed: list[tuple[date, int]] = field(default_factory=list)
    """(snapshot date, parties in the snapshots standing on that date)."""
    skipped: list[date] = field(default_factory=list)
    """Snapshot dates left out because another list of the jurisdiction had no data then."""
    last_snapshot: date | None = None
    """The newest snapshot of the jurisdiction's lists: the lines end there."""

    def to_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction,
                "last_snapshot": self.last_snapshot.isoformat() if self.last_snapshot else None,
                "designated": [[d.isoformat(), n] for d, n in self.designated],
                "undated": self.undated,
                "observed": [[d.isoformat(), n] for d, n in self.observed],
                "skipped": [d.isoformat() for d in self.skipped]}


@dataclass
class Timeline:
    country: str | None
    program: str | None
    series: list[Series]
    events: list[ContextEvent]
    parties: int
    licences: list[LegalAct] = field(default_factory=list)
    """Authorisations whose scope names a party on the chart, drawn as spans."""

    def to_dict(self) -> dict[str, Any]:
        return {"country": self.country, "program": self.program, "parties": self.parties,
                "series": [s.to_dict() for s in self.series],
                "events": [e.to_dict() for e in self.events],
                "licences": [a.to_dict() for a in self.licences]}


def _scope(ledger: Ledger, datasets: list[str], country: str | None, program: str | None,
           sanctions: dict[str, list[str]]) -> set[str]:
    """Records (of ``datasets``, at any time) matching the country and program filters."""
    from sanctions_ledger.jurisdictions.divergence import PROGRAM_ALIASES

    found = with_country(ledger, datasets, PARTY_SCHEMAS, country.lower() if country else None)
    if program:
        progs = [p.upper() for p in PROGRAM_ALIASES.get(program.upper(), (program,))]
        matched = with_program(ledger, datasets, progs)
        owner = {sid: eid for eid, sids in sanctions.items() for sid in sids}
        by_program = {owner.get(e, e) for e in matched}
        found = found & by_program if country else by_program
    return found


def series(ledger: Ledger, country: str | None = None, program: str | None = None,
           between: str | Sequence[str] | None = None) -> Timeline:
    """The data behind the chart: per jurisdiction, designated and observed party counts."""
    codes = parse_jurisdictions(between)
    snaps, sanctions = snapshot_cache(ledger)
    datasets = sorted(ds for c in codes for ds in snaps.datasets_of(c))
    if not datasets:
        raise NotFoundError("no sanctions list snapshots in the ledger for "
                            + ", ".join(codes))
    seeds = _scope(ledger, datasets, country, program, sanctions)
    clusters = members_of(ledger, set(party_map(ledger, seeds).values()))
    owner = {m: pid for pid, ms in clusters.items() for m in ms}
    members = sorted(owner)
    pres = [p for p in presences(ledger, members) if p.dataset in datasets]
    facts = sanction_facts(ledger, members, sanctions)
    first_date: dict[tuple[str, str], str] = {}
    for eid, ds, prop, value, _f, _l in facts:
        if prop in ("listingDate", "startDate") and ds in datasets and len(value) >= 4:
            key = (jurisdiction(ds), owner[eid])
            if key not in first_date or value < first_date[key]:
                first_date[key] = value
    out: list[Series] = []
    for code in codes:
        s = Series(code)
        listed = {owner[p.entity_id] for p in pres if jurisdiction(p.dataset) == code}
        dated = sorted(_as_date(first_date[(code, pid)]) for pid in listed if (code, pid) in first_date)
        s.undated = len(listed) - len(dated)
        counts: dict[date, int] = defaultdict(int)
        for d in dated:
            counts[d] += 1
        total = 0
        for d in sorted(counts):
            total += counts[d]
            s.designated.append((d, total))
        lists = snaps.datasets_of(code)
        days = sorted({d for ds in lists for d, _ in snaps.by_dataset[ds]})
        s.last_snapshot = days[-1] if days else None
        for day in days:
            # Only dates where every list already seen has a snapshot on or after the date:
            # carrying an old snapshot forward would be a guess (e.g. SDN 2022 in 2025).
            stale = [ds for ds in lists if snaps.by_dataset[ds][-1][0] < day]
            if stale:
                s.skipped.append(day)
                continue
            present = {owner[p.entity_id] for p in pres
                       if jurisdiction(p.dataset) == code and p.seen_on(_standing(snaps, p.dataset, day))}
            s.observed.append((day, len(present)))
        out.append(s)
    tags = [t for t in (country, program) if t]
    events = list_events(ledger, tags=[t.lower() for t in tags] or None)
    licences = [a for a in list_licences(ledger, entity_ids=members)
                if a.is_authorisation and a.jurisdiction in codes]
    return Timeline(country, program, out, events, len(clusters), licences)


def _standing(snaps: Any, dataset: str, day: date) -> date:
    prev, _ = snaps.around(dataset, day)
    return prev[0] if prev else date.min


def _as_date(value: str) -> date:
    text = value[:10]
    if len(text) == 4:
        text += "-01-01"
    elif len(text) == 7:
        text += "-01"
    return date.fromisoformat(text)


# --- SVG ---------------------------------------------------------------------------------

W, H = 960, 540
LEFT, RIGHT, TOP, BOTTOM = 70, 250, 60, 70


def _x(d: date, lo: date, hi: date) -> float:
    span = max((hi - lo).days, 1)
    return LEFT + (W - LEFT - RIGHT) * (d - lo).days / span


def _y(n: int, top: int) -> float:
    return H - BOTTOM - (H - TOP - BOTTOM) * n / max(top, 1)


def _text(x: float, y: float, text: str, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def to_svg(data: Timeline, title: str | None = None, svg_id: str = "timeline") -> str:
    """A self-contained SVG chart of ``data`` (no scripts, no external resources); ``svg_id``
    names the element and its ``<title>``/``<desc>`` for screen readers when it is inlined."""
    points = [d for s in data.series for d, _ in (*s.designated, *s.observed)]
    if not points:
        raise NotFoundError("nothing to draw: no listed party matches the filters")
    lo = min(points)
    hi = max(max(points), *[e.date for e in data.events if e.date >= lo] or [lo])
    lo = date(lo.year, 1, 1)
    hi = date(hi.year + 1, 1, 1)
    top = max([n for s in data.series for _, n in (*s.designated, *s.observed)] + [1])
    top = _nice(top)
    heading = title or "Parties listed per jurisdiction" + _filters(data)
    sid = escape(svg_id)
    spans = _licence_spans(data.licences, lo, hi)
    height = H + (len(spans) // 2) * 16 + (6 if spans else 0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{height}" '
           f'viewBox="0 0 {W} {height}" font-family="sans-serif" font-size="12" id="{sid}" role="img" '
           f'aria-labelledby="{sid}-t {sid}-d">',
           f'<title id="{sid}-t">{escape(heading)}</title>',
           f'<desc id="{sid}-d">{escape(_describe(data))}</desc>',
           f'<rect width="{W}" height="{height}" fill="white"/>',
           _text(LEFT, 28, heading, font_size="16", font_weight="bold", **{"class": "title"})]
    for i in range(5):  # horizontal grid and y labels
        n = top * i // 4
        y = _y(n, top)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{W - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(_text(LEFT - 8, y + 4, str(n), text_anchor="end", **{"class": "ytick"}))
    step = max(1, (hi.year - lo.year) // 10)
    for year in range(lo.year, hi.year + 1, step):
        x = _x(date(year, 1, 1), lo, hi)
        out.append(f'<line x1="{x:.1f}" y1="{H - BOTTOM}" x2="{x:.1f}" y2="{H - BOTTOM + 5}" stroke="#333"/>')
        out.append(_text(x, H - BOTTOM + 20, str(year), text_anchor="middle", **{"class": "xtick"}))
    out.append(f'<line x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}" stroke="#333"/>')
    out.append(_text(LEFT, H - 20, "solid: designation dates given by the lists (source); "
                     "dashed: parties in our snapshots (observed)", fill="#555"))
    for ev in data.events:
        if lo <= ev.date <= hi:
            x = _x(ev.date, lo, hi)
            out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{H - BOTTOM}" '
                       'stroke="#888" stroke-dasharray="1,3" class="event"/>')
            label = f"{ev.date.isoformat()} {ev.title[:60]}"
            out.append(_text(x + 3, TOP + 4, label, font_size="10", fill="#555",
                             transform=f"rotate(90 {x + 3:.1f} {TOP + 4})", **{"class": "event-label"}))
    out.extend(spans)
    legend_y = TOP + 10
    for s in data.series:
        colour = COLOURS.get(s.jurisdiction, "#000")
        if s.designated:
            end = max(s.last_snapshot or s.designated[-1][0], s.designated[-1][0])
            pts = [(lo, 0), *s.designated, (end, s.designated[-1][1])]
            path = " ".join(f"{_x(a, lo, hi):.1f},{_y(b, top):.1f}" for a, b in _steps(pts))
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
                       f'class="designated" data-jurisdiction="{s.jurisdiction}" '
                       f'data-end="{end.isoformat()}"/>')
            if end < hi:  # after the last snapshot: unknown, so a faint stub, not the line
                x0, x1, y = _x(end, lo, hi), _x(hi, lo, hi), _y(s.designated[-1][1], top)
                out.append(f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" '
                           f'stroke="{colour}" stroke-opacity="0.4" stroke-dasharray="1,4" '
                           f'class="after-last-snapshot" data-jurisdiction="{s.jurisdiction}"/>')
                out.append(_text(x0 + 3, y + 14, f"last snapshot {end}", font_size="10",
                                 fill=colour, **{"class": "last-snapshot"}))
        if s.observed:
            path = " ".join(f"{_x(a, lo, hi):.1f},{_y(b, top):.1f}" for a, b in s.observed)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
                       f'stroke-dasharray="6,4" class="observed" data-jurisdiction="{s.jurisdiction}"/>')
            for a, b in s.observed:
                x, y = _x(a, lo, hi), _y(b, top)
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
                out.append(_text(x + 5, y - 6, str(b), fill=colour, **{"class": "observed-count"}))
        name = JURISDICTIONS.get(s.jurisdiction, s.jurisdiction)
        lx = W - RIGHT + 20
        out.append(_text(lx, legend_y, f"{s.jurisdiction.upper()} {name}", fill=colour,
                         font_weight="bold", **{"class": "legend"}))
        total = s.designated[-1][1] if s.designated else 0
        out.append(_text(lx, legend_y + 16, f"designated (source): {total}", fill=colour,
                         **{"class": "legend-designated"}))
        latest = f"{s.observed[-1][1]} on {s.observed[-1][0]}" if s.observed else "no snapshot"
        out.append(_text(lx, legend_y + 32, f"observed: {latest}", fill=colour,
                         **{"class": "legend-observed"}))
        if s.undated:
            out.append(_text(lx, legend_y + 48, f"no source date: {s.undated}", fill="#555",
                             **{"class": "legend-undated"}))
        legend_y += 72
    out.append("</svg>")
    return "\n".join(out)


def _licence_spans(licences: list[LegalAct], lo: date, hi: date) -> list[str]:
    """One band per authorisation, under the axis: from its first day to its end (or to the
    chart's edge, open-ended), labelled with its identifier and dates."""
    out = []
    y = H + 2  # below the chart's caption line, one row per licence
    for act in licences:
        start, end = act.start, act.end
        if start is None or start > hi or (end is not None and end < lo):
            continue
        x0, x1 = _x(max(start, lo), lo, hi), _x(min(end or hi, hi), lo, hi)
        # The label starts at the band, or earlier when the band is near the right edge.
        lx = min(x0, W - 420)
        colour = COLOURS.get(act.jurisdiction, "#000")
        until = str(end) if end else "no end date"
        out.append(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 2):.1f}" height="8" '
                   f'fill="{colour}" fill-opacity="0.35" class="licence-span" '
                   f'data-licence="{escape(act.identifier)}" data-start="{start}" data-end="{end or ""}"/>')
        out.append(_text(lx, y + 8, f"{act.identifier}: {start} – {until} (authorised, still listed)",
                         font_size="9", fill=colour, **{"class": "licence-label"}))
        y += 16
    return out


def _describe(data: Timeline) -> str:
    parts = []
    for s in data.series:
        latest = f"{s.observed[-1][1]} in the snapshot of {s.observed[-1][0]}" if s.observed else "no snapshot"
        total = s.designated[-1][1] if s.designated else 0
        parts.append(f"{s.jurisdiction.upper()}: {total} designated by source dates, {latest}")
    return ("Solid lines: parties by the designation dates the lists give; dashed lines: parties in "
            f"our snapshots. {'; '.join(parts)}. {len(data.events)} events marked.")


def _filters(data: Timeline) -> str:
    parts = [f"country {data.country.upper()}" if data.country else "",
             f"program {data.program}" if data.program else ""]
    text = ", ".join(p for p in parts if p)
    return f" ({text})" if text else ""


def _nice(n: int) -> int:
    for step in (4, 8, 20, 40, 100, 200, 400, 1000, 2000, 4000, 10000, 20000, 40000):
        if n <= step:
            return step
    return n


def _steps(points: list[tuple[date, int]]) -> list[tuple[date, int]]:
    out: list[tuple[date, int]] = []
    for d, n in points:
        if out:
            out.append((d, out[-1][1]))
        out.append((d, n))
    return out


def render_svg(ledger: Ledger, country: str | None = None, program: str | None = None,
               between: str | Sequence[str] | None = None) -> str:
    """The timeline chart as an SVG string (for the web UI and ``sanctions timeline``)."""
    return to_svg(series(ledger, country, program, between))


def to_html(data: Timeline) -> str:
    rows = "".join(
        f"<tr><td>{escape(s.jurisdiction)}</td><td>{escape(d.isoformat())}</td><td>{n}</td></tr>"
        for s in data.series for d, n in s.observed)
    events = "".join(
        f'<li>{e.date.isoformat()} <a href="{escape(e.url or "#")}">{escape(e.title)}</a></li>'
        for e in data.events)
    title = "Parties listed per jurisdiction" + _filters(data)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"</head><body><h1>{escape(title)}</h1>{to_svg(data)}"
            f"<h2>Observed in snapshots</h2><table><tr><th>jurisdiction</th><th>snapshot</th>"
            f"<th>parties</th></tr>{rows}</table><h2>Events</h2><ul>{events}</ul></body></html>")


def png_converter() -> list[str] | None:
    """A command that turns SVG on stdin into PNG on stdout, if one is installed."""
    if shutil.which("rsvg-convert"):
        return ["rsvg-convert", "-f", "png"]
    for tool in ("magick", "convert"):
        path = shutil.which(tool)
        if path:
            try:
                version = subprocess.run([path, "-version"], capture_output=True, text=True,
                                         timeout=10).stdout
            except (OSError, subprocess.SubprocessError):
                continue
            if "Version: ImageMagick" in version:
                return [path, "svg:-", "png:-"]
    return None


def write(ledger: Ledger, out: Path, country: str | None = None, program: str | None = None,
          between: str | Sequence[str] | None = None) -> Timeline:
    """Write the chart to ``out`` (.svg, .html or .png); returns its data."""
    suffix = out.suffix.lower()
    if suffix not in (".svg", ".html", ".htm", ".png"):
        raise InputError(f"{out}: choose a .svg, .html or .png file")
    converter = png_converter() if suffix == ".png" else None
    if suffix == ".png" and converter is None:
        raise InputError("PNG needs rsvg-convert or ImageMagick, and neither is installed; "
                         "write .svg or .html instead")
    data = series(ledger, country, program, between)
    if suffix == ".svg":
        out.write_text(to_svg(data), encoding="utf-8")
    elif suffix in (".html", ".htm"):
        out.write_text(to_html(data), encoding="utf-8")
    else:
        assert converter is not None
        proc = subprocess.run(converter, input=to_svg(data).encode(), capture_output=True,
                              timeout=120, check=False)
        if proc.returncode != 0 or not proc.stdout.startswith(b"\x89PNG"):
            raise InputError(f"PNG conversion failed: {proc.stderr.decode(errors='replace')[:200]}")
        out.write_bytes(proc.stdout)
    return data
