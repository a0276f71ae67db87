"""Server-side SVG charts: no JavaScript, readable by screen readers (title, desc, data tables
next to each chart), and easy to test (every data point is an element with its value)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

PALETTE = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7f8c", "#57606a")
EVENT_STYLE = {"listed": ("#1a7f37", "circle"), "relisted": ("#1a7f37", "circle"),
               "amended": ("#9a6700", "diamond"), "delisted": ("#d1242f", "cross"),
               "official": ("#1f6feb", "square"), "designated": ("#57606a", "ring")}


@dataclass(frozen=True)
class Mark:
    """One event on a party's timeline."""

    lane: str
    when: date
    kind: str
    label: str


def _x(when: date, start: date, end: date, left: float, width: float) -> float:
    span = max((end - start).days, 1)
    return left + width * (when - start).days / span


def _ticks(start: date, end: date) -> list[date]:
    years = list(range(start.year, end.year + 2))
    step = max(1, len(years) // 8)
    return [date(y, 1, 1) for y in years[::step] if start <= date(y, 1, 1) <= end]


def _bounds(dates: Sequence[date]) -> tuple[date, date]:
    start, end = min(dates), max(dates)
    if start == end:
        start, end = date(start.year, 1, 1), date(start.year, 12, 31)
    pad = max((end - start).days // 20, 15)
    return date.fromordinal(start.toordinal() - pad), date.fromordinal(end.toordinal() + pad)


def _frame(width: int, height: int, title: str, desc: str, body: list[str], chart_id: str) -> Markup:
    return Markup(
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{escape(chart_id)}-t">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>")


def _symbol(kind: str, x: float, y: float, label: str) -> str:
    color, shape = EVENT_STYLE.get(kind, ("#57606a", "circle"))
    tip = f"<title>{escape(label)}</title>"
    attrs = f'class="mark mark-{escape(kind)}" data-kind="{escape(kind)}"'
    if shape == "diamond":
        pts = f"{x},{y - 7} {x + 7},{y} {x},{y + 7} {x - 7},{y}"
        return f'<polygon {attrs} points="{pts}" fill="{color}">{tip}</polygon>'
    if shape == "cross":
        return (f'<g {attrs} stroke="{color}" stroke-width="3">{tip}<line x1="{x - 6}" y1="{y - 6}" '
                f'x2="{x + 6}" y2="{y + 6}"/><line x1="{x - 6}" y1="{y + 6}" x2="{x + 6}" y2="{y - 6}"/></g>')
    if shape == "square":
        return f'<rect {attrs} x="{x - 6}" y="{y - 6}" width="12" height="12" fill="{color}">{tip}</rect>'
    if shape == "ring":
        return (f'<circle {attrs} cx="{x:.1f}" cy="{y}" r="6" fill="white" stroke="{color}" '
                f'stroke-width="2">{tip}</circle>')
    return f'<circle {attrs} cx="{x:.1f}" cy="{y}" r="7" fill="{color}">{tip}</circle>'


def event_timeline(marks: Sequence[Mark], title: str, chart_id: str = "timeline") -> Markup:
    """Lanes (one per list) of dated events: listed, amended, delisted, official, designated."""
    if not marks:
        return Markup("")
    lanes = list(dict.fromkeys(m.lane for m in marks))
    start, end = _bounds([m.when for m in marks])
    left, right, top, lane_h = 130, 20, 30, 44
    width = 760
    height = top + lane_h * len(lanes) + 30
    plot_w = width - left - right
    body: list[str] = []
    for tick in _ticks(start, end):
        x = _x(tick, start, end, left, plot_w)
        body.append(f'<line x1="{x:.1f}" y1="{top - 10}" x2="{x:.1f}" y2="{height - 25}" class="grid"/>'
                    f'<text x="{x:.1f}" y="{height - 8}" class="tick" text-anchor="middle">{tick.year}</text>')
    for i, lane in enumerate(lanes):
        y = top + lane_h * i + lane_h / 2
        body.append(f'<line x1="{left}" y1="{y}" x2="{width - right}" y2="{y}" class="lane"/>'
                    f'<text x="{left - 8}" y="{y + 4}" class="lane-label" text-anchor="end">{escape(lane)}</text>')
        for m in (m for m in marks if m.lane == lane):
            body.append(_symbol(m.kind, _x(m.when, start, end, left, plot_w), y,
                                f"{m.when.isoformat()} {m.kind}: {m.label}"))
    desc = f"{len(marks)} events on {len(lanes)} list(s) from {min(m.when for m in marks)} to {max(m.when for m in marks)}"
    return _frame(width, height, title, desc, body, chart_id)


def line_chart(series: Mapping[str, Sequence[tuple[date, int]]], title: str, y_label: str,
               chart_id: str, step: bool = False) -> Markup:
    """One line per series over time, every point a circle carrying its value."""
    points = [p for values in series.values() for p in values]
    if not points:
        return Markup("")
    start, end = _bounds([p[0] for p in points])
    top_value = max(max(v for _d, v in points), 1)
    left, right, top, bottom = 60, 20, 20, 60
    width, height = 760, 320
    plot_w, plot_h = width - left - right, height - top - bottom
    body: list[str] = []

    def y_of(v: int) -> float:
        return top + plot_h - plot_h * v / top_value

    for frac in (0, 0.25, 0.5, 0.75, 1.0):
        v = round(top_value * frac)
        y = y_of(v)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>'
                    f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{v}</text>')
    for tick in _ticks(start, end):
        x = _x(tick, start, end, left, plot_w)
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 18}" class="tick" text-anchor="middle">{tick.year}</text>')
    body.append(f'<text x="14" y="{top + plot_h / 2}" class="axis-label" '
                f'transform="rotate(-90 14 {top + plot_h / 2})" text-anchor="middle">{escape(y_label)}</text>')
    for n, (name, values) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        pts = sorted(values)
        coords: list[str] = []
        for i, (d, v) in enumerate(pts):
            x, y = _x(d, start, end, left, plot_w), y_of(v)
            if step and i:
                coords.append(f"{x:.1f},{y_of(pts[i - 1][1]):.1f}")
            coords.append(f"{x:.1f},{y:.1f}")
        body.append(f'<polyline class="series" data-series="{escape(name)}" fill="none" stroke="{color}" '
                    f'stroke-width="2.5" points="{" ".join(coords)}"/>')
        for d, v in pts:
            body.append(f'<circle class="point" data-series="{escape(name)}" data-date="{d.isoformat()}" '
                        f'data-value="{v}" cx="{_x(d, start, end, left, plot_w):.1f}" cy="{y_of(v):.1f}" '
                        f'r="4" fill="{color}"><title>{escape(name)} {d.isoformat()}: {v}</title></circle>')
        lx = left + (n % 4) * 170
        ly = height - 22 + (n // 4) * 16
        body.append(f'<rect x="{lx}" y="{ly - 9}" width="12" height="12" fill="{color}"/>'
                    f'<text x="{lx + 16}" y="{ly + 1}" class="legend">{escape(name)}</text>')
    desc = "; ".join(f"{name}: {len(v)} points, latest {max(v)[1]}" for name, v in series.items() if v)
    return _frame(width, height, title, desc, body, chart_id)
