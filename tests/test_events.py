"""Events CSV import: all-or-nothing validation with line and column; the Belarus set."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctions_ledger.errors import InputError
from sanctions_ledger.jurisdictions.events import import_events, list_events, parse_events
from sanctions_ledger.store import Ledger

GOOD = """date,title,url,tags,related
2020-08-09,Election,https://example.org/a,by;election,us-sdn-9760
2021-08-09,EO 14038,,by;us,
"""

BAD = [
    # (text, expected fragment of the error)
    ("", "line 1: empty file"),
    ("day,title,url,tags,related\n", "line 1, column 1 (date)"),
    ("date,title,url,tags\n", "line 1, column 5 (related)"),
    (GOOD + "2022-13-01,Bad month,,,\n", "line 4, column 1 (date): '2022-13-01' is not a date"),
    (GOOD + "2022-02-24,,,,\n", "line 4, column 2 (title): title is empty"),
    (GOOD + "2022-02-24,War,ftp://x,,\n", "line 4, column 3 (url)"),
    (GOOD + "2022-02-24,War,,bad tag!,\n", "line 4, column 4 (tags): tag 'bad tag!'"),
    (GOOD + "2022-02-24,War,,,id with space\n", "line 4, column 5 (related)"),
    (GOOD + "2022-02-24,War\n", "line 4, column 3: expected 5 fields"),
    (GOOD + "2020-08-09,Election,,,\n", "line 4, column 2 (title): duplicate of the event on line 2"),
    (GOOD + '2022-02-24,"unclosed,,,\n', "malformed CSV"),
]


def test_good_file_parses() -> None:
    events = parse_events(GOOD)
    assert [e.title for e in events] == ["Election", "EO 14038"]
    assert events[0].tags == ("by", "election") and events[0].related == ("us-sdn-9760",)
    assert events[1].url is None


@pytest.mark.parametrize(("text", "fragment"), BAD)
def test_malformed_files_say_where(text: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_events(text)
    assert fragment in info.value.detail


def test_malformed_file_imports_nothing(tmp_path: Path) -> None:
    ledger = Ledger.memory()
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD + "2022-02-30,Not a day,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_events(ledger, bad)
    assert "line 4, column 1 (date)" in info.value.detail and "nothing imported" in info.value.detail
    assert list_events(ledger) == []
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert import_events(ledger, good).added == 2
    assert import_events(ledger, good).added == 0  # idempotent


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(GOOD.encode() + "2022-02-24,Mi\xf1sk,,,\n".encode("latin-1"))
    with pytest.raises(InputError, match="line 4: not UTF-8"):
        import_events(Ledger.memory(), path)


def test_builtin_belarus_events() -> None:
    ledger = Ledger.memory()
    report = import_events(ledger, builtin="belarus")
    assert report.added >= 4
    events = {e.date.isoformat(): e for e in list_events(ledger, tags=["by"])}
    for day in ("2020-08-09", "2021-08-09", "2022-02-24", "2025-12-13"):
        assert day in events, day
        assert events[day].url and events[day].url.startswith("https://")
        assert "date-confirmed" in events[day].tags
    assert "14038" in events["2021-08-09"].title
    # Issue 17: the prisoners' release (13 Dec 2025) was not a delisting; GL 13 (15 Dec) is a
    # licence, the three potash companies stayed on the SDN list.
    assert "Bialiatski" in events["2025-12-13"].title
    assert "political" in events["2025-12-13"].tags and "delisting" not in events["2025-12-13"].tags
    gl13 = [e for e in list_events(ledger, tags=["licence"]) if e.date.isoformat() == "2025-12-15"]
    assert len(gl13) == 1 and "GL 13" in gl13[0].title and "us-sdn-32746" in gl13[0].related
    assert "delisting" not in gl13[0].tags
    # The EU listed Belaruskali and BPC on 3 Jun 2022 (the Council's press release of that day).
    eu = [e for e in list_events(ledger, tags=["eu"]) if "designation" in e.tags]
    assert [(e.date.isoformat(), e.related) for e in eu] == [("2022-06-03", ("us-sdn-32746", "us-sdn-33374"))]
    assert "Belaruskali" in eu[0].title and "date-confirmed" in eu[0].tags
    removal = [e for e in list_events(ledger, tags=["delisting"])]
    assert [(e.date.isoformat(), e.related) for e in removal] == [("2025-11-04", ("us-sdn-44541",))]
    with pytest.raises(InputError, match="no built-in event set"):
        import_events(ledger, builtin="atlantis")


def test_builtin_import_withdraws_the_wrong_potash_delisting() -> None:
    """Issue 17: a store that imported the old built-in set (13 Dec 2025 tagged a delisting) is
    corrected by importing the set again; every built-in event has a kind."""
    from datetime import date

    from sanctions_ledger.jurisdictions.events import KINDS, WITHDRAWN, ContextEvent
    from sanctions_ledger.store.events import add_events

    ledger = Ledger.memory()
    (day, title), = WITHDRAWN["belarus"]
    old = ContextEvent.make_id(date.fromisoformat(day), title)
    add_events(ledger, [(old, date.fromisoformat(day), title, None, ["delisting", "potash"], [])])
    report = import_events(ledger, builtin="belarus")
    assert report.withdrawn == 1 and "1 withdrawn" in report.summary()
    events = list_events(ledger)
    assert old not in {e.id for e in events}
    assert all(e.kind in KINDS for e in events)
    assert {e.kind for e in events} == set(KINDS)
