"""Issue #19 items 1 and 6: every state carries the date and age of its snapshot, is flagged
stale past the list's threshold, ``today`` and today's date give one answer, timelines end
at the last snapshot, and "since when" is the list's designation date or our bracket.

On the real snapshots: FtM 2022-05-05 (EU, UK, OFAC), OFAC CSV 2019 and 2021, UN 2026-02-27.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from sanctions_ledger.jurisdictions import divergence as dv
from sanctions_ledger.jurisdictions import status as st
from sanctions_ledger.jurisdictions import timeline as tl
from sanctions_ledger.settings import parse_stale_after
from sanctions_ledger.store import Ledger
from sanctions_ledger.vocab import stale_after_days
from tests.test_resolve_support import linked_ledger

BELARUSKALI_US = "us-sdn-32746"
LUKASHENKA_US = "us-sdn-9760"
FTM_DAY = date(2022, 5, 5)
UN_DAY = date(2026, 2, 27)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    return linked_ledger(tmp_path_factory.getbasetemp() / "issue5")


def _rows(result: st.Status) -> dict[str, st.JurisdictionStatus]:
    return {r.jurisdiction: r for r in result.rows}


def test_thresholds_per_list_and_overrides() -> None:
    assert stale_after_days("us_ofac_sdn") == 7
    assert stale_after_days("eu_fsf") == 7 and stale_after_days("gb_hmt") == 7
    assert stale_after_days("un_sc_sanctions") == 31
    assert stale_after_days("us_trade_csl") == 30
    overrides = dict(parse_stale_after("us_ofac_sdn=3, un=60,*=90"))
    assert stale_after_days("us_ofac_sdn", overrides) == 3
    assert stale_after_days("un_sc_sanctions", overrides) == 60
    assert stale_after_days("eu_fsf", overrides) == 90
    with pytest.raises(ValueError, match="SANCTIONS_LEDGER_STALE_AFTER: 'us_ofac_sdn' is not LIST=DAYS"):
        parse_stale_after("us_ofac_sdn")


def test_today_and_todays_date_give_the_same_answer(ledger: Ledger) -> None:
    today = date.today()
    by_word = st.status(ledger, BELARUSKALI_US, "today")
    by_date = st.status(ledger, BELARUSKALI_US, today.isoformat())
    assert [r.to_dict() for r in by_word.rows] == [r.to_dict() for r in by_date.rows]
    assert by_word.asked == by_date.asked == today
    rows = _rows(by_date)
    # Not a bare "unknown": the last state we observed, with its date and age, flagged stale.
    assert rows["us"].state == "listed" and rows["gb"].state == "listed"
    assert rows["eu"].state == "not listed"
    for code in ("us", "eu", "gb"):
        assert rows[code].snapshot_date == FTM_DAY
        assert rows[code].age_days == (today - FTM_DAY).days
        assert rows[code].stale
    assert f"us_ofac_sdn, us_ofac_ssi: last snapshot {FTM_DAY}" in rows["us"].note
    assert "stale after 7–30 days" in rows["us"].note and rows["us"].note.count("last snapshot") == 1
    assert rows["un"].state == "not listed" and rows["un"].snapshot_date == UN_DAY
    assert rows["un"].stale == ((today - UN_DAY).days > 31)
    assert re.fullmatch(rf"{FTM_DAY} \(\d+ days, STALE\)", rows["us"].snapshot_text())


def test_a_date_on_a_snapshot_or_bracketed_is_not_stale(ledger: Ledger) -> None:
    on_day = _rows(st.status(ledger, BELARUSKALI_US, FTM_DAY.isoformat()))
    assert on_day["us"].age_days == 0 and not on_day["us"].stale
    assert f"us_ofac_sdn@{FTM_DAY}" in on_day["us"].checked
    between = _rows(st.status(ledger, BELARUSKALI_US, "2021-09-01"))
    # 2021-07-07 and 2022-05-05 bracket the date: 56 days after the first, but not stale.
    fresh = next(f for f in between["us"].freshness if f.dataset == "us_ofac_sdn")
    assert (fresh.snapshot, fresh.age_days, fresh.stale) == (date(2021, 7, 7), 56, False)
    # A week after the snapshot: the threshold (7 days) is not yet past; eight days is.
    week = _rows(st.status(ledger, BELARUSKALI_US, (FTM_DAY + timedelta(days=7)).isoformat()))
    assert not week["us"].stale
    eight = _rows(st.status(ledger, BELARUSKALI_US, (FTM_DAY + timedelta(days=8)).isoformat()))
    assert eight["us"].stale and eight["us"].state == "listed"


def test_thresholds_are_a_setting(ledger: Ledger) -> None:
    day = (UN_DAY + timedelta(days=40)).isoformat()
    default = _rows(st.status(ledger, BELARUSKALI_US, day))
    assert default["un"].stale  # 40 days after the UN snapshot, past its 31
    relaxed = _rows(st.status(ledger, BELARUSKALI_US, day, stale_after={"un": 60}))
    assert not relaxed["un"].stale and relaxed["us"].stale


def test_since_is_the_bracket_where_the_list_gives_no_date(ledger: Ledger) -> None:
    rows = _rows(st.status(ledger, BELARUSKALI_US, FTM_DAY.isoformat()))
    # OFAC gives no designation date: Belaruskali appeared after 2021-07-07, by 2022-05-05.
    assert rows["us"].designated == []
    assert rows["us"].observed_after == date(2021, 7, 7)
    assert rows["us"].since == "2021-07-07 < … ≤ 2022-05-05 (observed)"
    # The UK gives its designation date.
    assert rows["gb"].since == "2021-12-02 (gb_hmt: designation date the list gives)"


def test_the_eu_date_added_is_labelled_honestly(ledger: Ledger) -> None:
    rows = _rows(st.status(ledger, LUKASHENKA_US, FTM_DAY.isoformat()))
    # The EU first listed Lukashenka on 2020-11-06; its file dates his entry 2021-02-26.
    assert rows["eu"].designated == ["2021-02-26"]
    assert rows["eu"].since.startswith("2021-02-26 (eu_fsf: date the EU entry was added")
    assert "not necessarily the first EU listing" in rows["eu"].since
    # In OFAC's list since our first snapshot we hold (2019-01-15), nothing before it.
    assert rows["us"].since == "≤ 2019-01-15 (in the first snapshot we hold)"


def test_divergence_carries_snapshot_ages_and_brackets(ledger: Ledger) -> None:
    today = date.today()
    latest = dv.divergence(ledger, "today", country="by", between="us,eu")
    explicit = dv.divergence(ledger, today.isoformat(), country="by", between="us,eu")
    assert [p.to_dict() for p in latest.parties] == [p.to_dict() for p in explicit.parties]
    fresh = {f.dataset: f for fs in explicit.freshness.values() for f in fs}
    assert fresh["eu_fsf"].snapshot == FTM_DAY and fresh["eu_fsf"].stale
    assert explicit.stale
    assert any("us_ofac_sdn" in n and f"last snapshot {FTM_DAY}" in n for n in explicit.notes)
    on_day = dv.divergence(ledger, FTM_DAY.isoformat(), country="by", between="us,eu")
    assert not on_day.stale
    kali = next(p for p in on_day.parties if BELARUSKALI_US in p.sides["us"].entity_ids)
    assert kali.sides["us"].bracket() == "2021-07-07 < … ≤ 2022-05-05"
    assert "observed 2021-07-07 < … ≤ 2022-05-05" in kali.sides["us"].describe()


def test_timeline_lines_stop_at_the_last_snapshot(ledger: Ledger) -> None:
    data = tl.series(ledger, "by", None, "us,eu,uk")
    last = {s.jurisdiction: s.last_snapshot for s in data.series}
    assert last == {"us": FTM_DAY, "eu": FTM_DAY, "gb": FTM_DAY}
    svg = tl.to_svg(data)
    dated = [s.jurisdiction for s in data.series if s.designated]
    assert dated == ["eu", "gb"]  # OFAC gives no designation dates
    for code in dated:
        line = re.search(rf'<polyline points="([^"]+)"[^>]*class="designated" '
                         rf'data-jurisdiction="{code}" data-end="([^"]+)"', svg)
        assert line is not None and line.group(2) == FTM_DAY.isoformat()
        end_x = float(line.group(1).split()[-1].split(",")[0])
        assert end_x < tl.W - tl.RIGHT - 50  # 2022-05 on a chart that runs to 2027
        stub = re.search(rf'<line x1="([\d.]+)"[^>]*class="after-last-snapshot" '
                         rf'data-jurisdiction="{code}"', svg)
        assert stub is not None and abs(float(stub.group(1)) - end_x) < 0.2
    assert f"last snapshot {FTM_DAY}" in svg
