"""Round trip on the real shared data: export the ledger as of three dates, ingest the three
files into a fresh ledger (through the FtM reader, ``sources/ftm.py``), and ask both ledgers
the same questions: ``list``, ``show`` and ``diff`` give the same answers.

Snapshot ids are hashes of the bytes ingested, so they differ by construction and are left
out of the comparison; everything else (parties, every property value, sanctions, observed
dates, diff entries field by field) must be equal, with one exception that is FtM's and not
the export's: the FtM reader cleans every value it reads (``model.get_proxy(...,
cleaned=False)``), and FtM's cleaning collapses runs of spaces, which the OFAC CSV parser
keeps as the list wrote them (27 parties of 2019's SDN list have a value with two spaces in a
row); and the FtM export leaves out the few values FtM's validation refuses (an identifier
longer than 64 characters, one in 2019's SDN list), which the statement export keeps. The
comparison passes both sides through FtM's cleaning and validation, and a test pins that these
are the only differences.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from followthemoney import model

from sanctions_ledger import history, queries
from sanctions_ledger.export import export
from sanctions_ledger.store import Ledger, ingest

# (date, lists) of each export: the two OFAC SDN snapshots alone, then every list standing
# on the FtM compilation's date (all observed that day, so observed dates must match too).
POINTS = (("2019-01-15", ("us_ofac_sdn",)), ("2021-07-07", ("us_ofac_sdn",)), ("2022-05-05", ()))


@pytest.fixture(scope="module")
def copy(full_ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    folder = tmp_path_factory.mktemp("roundtrip")
    new = Ledger.open(folder / "copy.duckdb")
    for day, lists in POINTS:
        # The date in the file name is the snapshot's date, as for any FtM file.
        out = folder / f"ledger-{day}.ftm.json"
        report = export(full_ledger, out, "ftm", day, lists)
        every = sorted({s.dataset for s in report.snapshots})
        ingest(new, out, allow_lists=every)
    yield new
    new.close()


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """An entity's dict as FtM's reader would clean it (values sorted), without the values
    FtM's validation refuses (the FtM export leaves those out; see test_export)."""
    proxy = model.get_proxy(data, cleaned=False)
    props = {}
    for name, values in sorted(proxy.properties.items()):
        prop = proxy.schema.properties[name]
        kept = sorted(v for v in values if prop.validate([v]) is None)
        if kept:
            props[name] = kept
    return {"id": proxy.id, "schema": proxy.schema.name, "properties": props}


def _listing(rows: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    return sorted(((d, _clean(e.to_dict())) for d, e in rows), key=lambda r: (r[0], r[1]["id"]))


def test_only_fts_cleaning_differs(full_ledger: Ledger, copy: Ledger) -> None:
    """Raw values: equal for every party but those whose values FtM's cleaning changes or its
    validation refuses."""
    before = {e.id: e.to_dict() for _d, e in queries.list_parties(full_ledger, "2019-01-15")}
    after = {e.id: e.to_dict() for _d, e in queries.list_parties(copy, "2019-01-15")}
    assert before.keys() == after.keys()
    differ = sorted(k for k in before if before[k] != after[k])
    # 27 with doubled spaces ("... (HK)  CO. LIMITED"), and us-sdn-11313, whose passportNumber
    # of 77 characters FtM refuses (an identifier is at most 64).
    assert len(differ) == 28 and {"us-sdn-11297", "us-sdn-11313"} <= set(differ)
    assert all(_clean(before[k]) == _clean(after[k]) for k in differ)


@pytest.mark.parametrize("day", ["2019-01-15", "2021-07-07", "2022-05-05"])
def test_list_is_the_same(full_ledger: Ledger, copy: Ledger, day: str) -> None:
    before = _listing(queries.list_parties(full_ledger, day))
    after = _listing(queries.list_parties(copy, day))
    assert len(before) > 7000  # 7,379 SDN parties in 2019; 17,000+ parties in 2022
    assert after == before


def test_filtered_list_is_the_same(full_ledger: Ledger, copy: Ledger) -> None:
    kwargs: dict[str, Any] = {"country": "by", "datasets": ["eu_fsf"]}
    before = _listing(queries.list_parties(full_ledger, "2022-05-05", **kwargs))
    after = _listing(queries.list_parties(copy, "2022-05-05", **kwargs))
    assert before and after == before


def _shown(ledger: Ledger, entity_id: str, day: str) -> list[dict[str, Any]]:
    out = []
    for listing in queries.show(ledger, entity_id, day):
        data = listing.to_dict()
        data.pop("snapshot_id")
        data["entity"] = _clean(data["entity"])
        data["sanctions"] = [_clean(s) for s in data["sanctions"]]
        out.append(data)
    return out


@pytest.mark.parametrize(("entity_id", "day"), [
    ("us-sdn-9760", "2019-01-15"), ("us-sdn-9760", "2021-07-07"), ("us-sdn-9760", "2022-05-05"),
    ("eu-EU.5971.83", "2022-05-05"), ("uk-14154", "2022-05-05")])
def test_show_is_the_same(full_ledger: Ledger, copy: Ledger, entity_id: str, day: str) -> None:
    before = _shown(full_ledger, entity_id, day)
    assert before and before[0]["entity"]["id"] == entity_id
    assert _shown(copy, entity_id, day) == before


def _spaces(value: str) -> str:
    """FtM's cleaning of a name or address, as far as the diff's text goes: runs of spaces."""
    return " ".join(value.split())


def _diffed(ledger: Ledger, start: str, end: str, lists: tuple[str, ...]) -> dict[str, Any]:
    data = history.diff(ledger, start, end, datasets=lists).to_dict()
    data.pop("snapshots")
    for entry in data["entries"]:
        entry["caption"] = _spaces(entry["caption"])
        for change in entry["changes"]:
            change["old"] = sorted(_spaces(v) for v in change["old"])
            change["new"] = sorted(_spaces(v) for v in change["new"])
    return data


def test_diff_is_the_same(full_ledger: Ledger, copy: Ledger) -> None:
    before = _diffed(full_ledger, "2019-01-15", "2021-07-07", ("us_ofac_sdn",))
    assert before["counts"]["us_ofac_sdn"]["added"] > 1000
    # The Belarus designation of 2021 (README example) is among them.
    assert any(e["entity_id"] == "us-sdn-32275" and e["change"] == "added" for e in before["entries"])
    assert _diffed(copy, "2019-01-15", "2021-07-07", ("us_ofac_sdn",)) == before
