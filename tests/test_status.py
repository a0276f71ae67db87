"""Status per jurisdiction on a date, checked against the raw 2022 file."""

from __future__ import annotations

import time
from datetime import date

import pytest

from sanctions_ledger.errors import InputError, NotFoundError
from sanctions_ledger.jurisdictions import status as st
from sanctions_ledger.store import Ledger
from tests.test_resolve_support import linked_ledger, raw_belaruskali


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    return linked_ledger(tmp_path_factory.getbasetemp() / "issue5")


def test_belaruskali_2022_us_and_uk_not_eu(ledger: Ledger) -> None:
    raw = raw_belaruskali()
    assert set(raw) == {"us", "gb"}, raw  # the raw file itself: OFAC and UK, no EU record
    ofac_id = sorted(raw["us"])[0]
    result = st.status(ledger, ofac_id, "2022-05-05")
    rows = {r.jurisdiction: r for r in result.rows}
    assert rows["us"].state == "listed" and set(rows["us"].entity_ids) == raw["us"]
    assert rows["gb"].state == "listed" and set(rows["gb"].entity_ids) == raw["gb"]
    assert rows["eu"].state == "not listed" and rows["eu"].checked == ["eu_fsf@2022-05-05"]
    assert rows["un"].state == "unknown" and "no snapshot on or before 2022-05-05" in rows["un"].note
    assert "BELARUS-EO14038" in rows["us"].programs
    assert rows["gb"].designated, "the UK list gives a designation date"
    assert rows["us"].first_observed and rows["us"].first_observed.isoformat() == "2022-05-05"


def test_status_by_name_finds_the_same_party(ledger: Ledger) -> None:
    by_id = st.status(ledger, "us-sdn-9760", "2022-05-05")
    by_name = st.status(ledger, "Alexander Lukashenko", "2022-05-05")
    assert by_name.party.party_id == by_id.party.party_id
    assert by_name.matched
    states = {r.jurisdiction: r.state for r in by_name.rows}
    assert states == {"us": "listed", "eu": "listed", "gb": "listed", "un": "unknown"}


def test_lukashenka_first_observed_in_2019_by_ofac(ledger: Ledger) -> None:
    rows = {r.jurisdiction: r for r in st.status(ledger, "us-sdn-9760").rows}
    assert rows["us"].first_observed is not None
    assert rows["us"].first_observed.isoformat() == "2019-01-15"
    assert rows["un"].state == "not listed"  # latest UN list (2026) checked, no record


def test_dates_outside_the_ledger_are_unknown(ledger: Ledger) -> None:
    early = st.status(ledger, "us-sdn-9760", "2010-01-01")
    assert {r.state for r in early.rows} == {"unknown"}
    assert all("no snapshot on or before 2010-01-01" in r.note for r in early.rows)
    # After a list's last snapshot: its last observed state, dated, aged and flagged stale.
    late = {r.jurisdiction: r for r in st.status(ledger, "us-sdn-9760", "2026-11-29").rows}
    assert late["eu"].state == "listed" and late["eu"].stale
    assert late["eu"].age_days == (date(2026, 11, 29) - date(2022, 5, 5)).days
    assert "eu_fsf: last snapshot 2022-05-05" in late["eu"].note


def test_between_snapshots_a_change_is_uncertain(ledger: Ledger) -> None:
    # Belaruskali entered the SDN list between our 2021-07-07 and 2022-05-05 snapshots.
    rows = {r.jurisdiction: r for r in st.status(ledger, "us-sdn-32746", "2021-09-01").rows}
    assert rows["us"].state == "uncertain"
    assert "added between snapshots 2021-07-07 and 2022-05-05" in rows["us"].note


def test_unknown_inputs(ledger: Ledger) -> None:
    with pytest.raises(NotFoundError, match="no listed party matches"):
        st.status(ledger, "Qwxzv Nonexistentovich Plopp", "2022-05-05")
    with pytest.raises(InputError):
        st.status(ledger, "   ")
    with pytest.raises(InputError):
        st.status(ledger, "us-sdn-9760", "05/05/2022")
    with pytest.raises(InputError):
        st.parse_jurisdictions("us,xx")
    assert st.parse_jurisdictions("us,uk") == ["us", "gb"]


def test_status_by_id_is_fast(ledger: Ledger) -> None:
    st.status(ledger, "us-sdn-9760", "2022-05-05")  # warm the per-generation cache
    started = time.perf_counter()
    for _ in range(5):
        st.status(ledger, "us-sdn-9760", "2022-05-05")
    assert (time.perf_counter() - started) / 5 < 0.25
