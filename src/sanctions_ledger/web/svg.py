"""Server-side SVG charts: no JavaScript, readable by screen readers (title, desc, data tables
next to each chart), and easy to test (every data point is an element with its value)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup

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
