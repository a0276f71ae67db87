"""Shared fixtures: paths to the real list snapshots in ../shared/data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctions_ledger.match import MatchIndex, Query
from sanctions_ledger.sources import ParseMeta, get_parser
from sanctions_ledger.store import Ledger, ingest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
SDN_2019 = DATA / "ofac-sdn" / "2019-01-15"
SDN_2021 = DATA / "ofac-sdn" / "2021-07-07"
CONS_2025 = DATA / "ofac-cons" / "2025-12-19"
FTM_2022 = DATA / "ftm" / "eu-uk-us-2022-05-05.ftm.json"

FTM_LISTS = ("us_ofac_sdn", "eu_fsf", "gb_hmt")
"""The official list names the 2022 FtM compilation gives its records: accepted explicitly
(the release guard refuses official names a file claims on its own word)."""
UN_2026 = DATA / "un" / "2026-02-27" / "consolidated.xml"

def listed(eid: str, schema: str, *names: str) -> tuple[str, EntityProxy]:
    """A small listed party for an index of a test's own: its first name, the rest aliases."""
    ent = model.make_entity(schema)
    ent.id = eid
    ent.add("name", names[0])
    ent.add("alias", list(names[1:]))
    return ("test", ent)


if not DATA.exists():  # pragma: no cover - the real data is part of the workplace
    raise RuntimeError(f"real list data not found at {DATA}")


@pytest.fixture(scope="session")
def sdn_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    """Both OFAC SDN snapshots, read-only use."""
    path = tmp_path_factory.mktemp("sdn") / "ledger.duckdb"
    ledger = Ledger.open(path)
    ingest(ledger, SDN_2019)
    ingest(ledger, SDN_2021)
    yield ledger
    ledger.close()


@pytest.fixture(scope="session")
def full_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    """Every shared snapshot the parsers read (OFAC SDN x2, OFAC cons, FtM 2022, UN 2026)."""
    path = tmp_path_factory.mktemp("full") / "ledger.duckdb"
    ledger = Ledger.open(path)
    for snap in (SDN_2019, SDN_2021, CONS_2025, FTM_2022, UN_2026):
        ingest(ledger, snap, allow_lists=FTM_LISTS)
    yield ledger
    ledger.close()


_EXIT_STATUS: list[int] = []


def party_hit(index: MatchIndex, name: str, party: str, schema: str) -> tuple[float, str]:
    """The score and explanation of ``party``'s hit for ``name`` searched as ``schema``
    among the first ten (0 and "" if it is not among them)."""
    for hit in index.search(Query(name, schema=schema), limit=10):
        if hit.entity_id == party:
            return hit.score, hit.explanation
    return 0.0, ""


@pytest.fixture(scope="session")
def sdn_index() -> MatchIndex:
    """The match index of OFAC SDN of 2021-07-07, as our own parser reads it (shared by the
    screening rounds' tests: built once)."""
    records = get_parser("ofac_csv").parse(SDN_2021, ParseMeta())
    return MatchIndex.build((r.dataset, r.entity) for r in records)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave with the session's status once pytest has reported it, without the
    interpreter's teardown. The suite keeps a Spark session (its py4j threads), Playwright's
    driver and DuckDB databases with background allocator threads until the process ends;
    tearing those down in whatever order finalisation picks once aborted a green run in CI
    (all 862 tests passed, then "terminate called ... FATAL: exception not rethrown", exit
    134). Every result is written by now: the status is the session's."""
    import os
    import sys

    if _EXIT_STATUS and os.environ.get("SANCTIONS_LEDGER_TEST_FINALISE") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
