"""Timeline data and SVG: content checked through the chart's text nodes and lines."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sanctions_ledger.errors import InputError
from sanctions_ledger.jurisdictions import timeline
from sanctions_ledger.jurisdictions.events import import_events
from sanctions_ledger.store import Ledger
from tests.test_resolve_support import linked_ledger

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    ledger = linked_ledger(tmp_path_factory.getbasetemp() / "issue5")
    import_events(ledger, builtin="belarus")
    return ledger


def _texts(svg: str, cls: str | None = None) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}text") if cls is None or t.get("class") == cls]


def test_series_for_belarus(ledger: Ledger) -> None:
    data = timeline.series(ledger, country="by", between="us,eu,uk")
    by = {s.jurisdiction: s for s in data.series}
    # OFAC: observed in all three snapshots, growing; the 2022 file gives OFAC no dates.
    us_obs = dict(by["us"].observed)
    assert [d.isoformat() for d in us_obs] == ["2019-01-15", "2021-07-07", "2022-05-05"]
    counts = list(us_obs.values())
    assert counts == sorted(counts) and counts[0] > 0
    assert by["us"].designated == [] and by["us"].undated == counts[-1]
    # EU and UK: designation dates from the lists, cumulative, ending at the observed count.
    for code in ("eu", "gb"):
        s = by[code]
        assert s.designated and s.designated[-1][1] + s.undated == s.observed[-1][1]
        assert all(a[1] < b[1] for a, b in zip(s.designated, s.designated[1:], strict=False))
    assert {e.date.isoformat() for e in data.events} >= {"2020-08-09", "2021-08-09"}


def test_svg_content(ledger: Ledger) -> None:
    data = timeline.series(ledger, country="by", between="us,eu,uk")
    svg = timeline.to_svg(data)
    assert svg == timeline.render_svg(ledger, country="by", between="us,eu,uk")
    texts = _texts(svg)
    assert any("country BY" in t for t in _texts(svg, "title"))
    by = {s.jurisdiction: s for s in data.series}
    legend = _texts(svg, "legend-observed")
    for code in ("us", "eu", "gb"):
        n, day = by[code].observed[-1][1], by[code].observed[-1][0]
        assert f"observed: {n} on {day}" in legend
    assert f"designated (source): {by['eu'].designated[-1][1]}" in _texts(svg, "legend-designated")
    labels = _texts(svg, "event-label")
    assert any(t.startswith("2021-08-09") and "14038" in t for t in labels)
    assert any(t.startswith("2022-02-24") for t in labels)
    # Observed counts are printed at their points; source and observed lines look different.
    assert str(by["us"].observed[0][1]) in _texts(svg, "observed-count")
    root = ET.fromstring(svg)
    lines = {(p.get("class"), p.get("data-jurisdiction")): p for p in root.iter(f"{SVG}polyline")}
    assert lines[("observed", "us")].get("stroke-dasharray")
    assert lines[("designated", "eu")].get("stroke-dasharray") is None
    assert any(re.fullmatch(r"20\d\d", t) for t in texts)


def test_write_svg_html_and_png_error(ledger: Ledger, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "by.svg"
    timeline.write(ledger, out, country="by")
    assert "<svg" in out.read_text()
    html = tmp_path / "by.html"
    timeline.write(ledger, html, country="by")
    assert "<svg" in html.read_text() and "Observed in snapshots" in html.read_text()
    monkeypatch.setattr(timeline, "png_converter", lambda: None)
    with pytest.raises(InputError, match="PNG needs"):
        timeline.write(ledger, tmp_path / "by.png", country="by")
    with pytest.raises(InputError, match="choose a .svg"):
        timeline.write(ledger, tmp_path / "by.pdf", country="by")


def test_program_filter_and_render_time(ledger: Ledger) -> None:
    import time

    started = time.perf_counter()
    svg = timeline.render_svg(ledger, program="BELARUS", between="us,eu,uk")
    assert time.perf_counter() - started < 2.0
    assert "program BELARUS" in " ".join(_texts(svg, "title"))
