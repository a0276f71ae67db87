"""Bulk screening (``screen_file``) on both engines: one set of test bodies, run once with the
local engine (worker processes) and once with Spark in local mode, which must give the same
answers (the plan is written once, in ``screening.engines.plan``; each engine only runs it)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sanctions_ledger.errors import InputError
from sanctions_ledger.screening.screener import Screener, screen_file
from sanctions_ledger.store import Ledger

from .conftest import SHARED

BENCH = SHARED / "bench" / "ofac-2021-alias-holdout"
AS_OF = "2021-07-07"
COLUMNS = ["query_id", "name", "schema", "birth_date", "country"]
QUERIES = 40


@pytest.fixture(scope="module")
def screener(sdn_ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    return Screener(sdn_ledger, cache_dir=tmp_path_factory.mktemp("idx"))


@pytest.fixture(scope="module", params=["local", "spark"])
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test body runs on both engines. pyspark is a test dependency (no skip without it);
    its local session is started once and shared by the Spark runs."""
    yield str(request.param)


def query_rows(n: int = QUERIES) -> list[dict[str, str]]:
    """The first ``n`` DEV queries (held-out aliases of OFAC SDN parties of 2021-07-07)."""
    with open(BENCH / "queries.csv", encoding="utf-8", newline="") as fh:
        return [{k: row[k] for k in COLUMNS} for row, _ in zip(csv.DictReader(fh), range(n), strict=False)]


def write_queries(folder: Path, kind: str, rows: list[dict[str, str]]) -> Path:
    path = folder / f"queries.{kind}"
    if kind == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    elif kind == "jsonl":
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    else:
        pq.write_table(pa.Table.from_pylist(rows), path)
    return path


@pytest.fixture(scope="module")
def reference(screener: Screener, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The hits of the local engine in one process: what every run must write, byte for byte."""
    folder = tmp_path_factory.mktemp("reference")
    out = folder / "hits.csv"
    screen_file(screener, write_queries(folder, "csv", query_rows()), out, as_of=AS_OF, engine="local",
                workers=1)
    return out.read_text(encoding="utf-8")


def test_screen_file_finds_the_held_out_aliases(
    screener: Screener, engine: str, reference: str, tmp_path: Path
) -> None:
    out = tmp_path / "hits.csv"
    report = screen_file(screener, write_queries(tmp_path, "csv", query_rows()), out, as_of=AS_OF,
                         engine=engine, workers=2)
    assert (report.queries, report.engine) == (QUERIES, engine)
    assert report.snapshot_ids == ["ofac_csv-6a04a6f7341690c9"]
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert report.rows == len(rows)
    assert rows[0].keys() >= {"query_id", "rank", "entity_id", "score", "explanation"}
    with open(BENCH / "queries.csv", newline="", encoding="utf-8") as fh:
        expected = {r["query_id"]: r["expected_id"] for r in csv.DictReader(fh)}
    firsts = {r["query_id"]: r["entity_id"] for r in rows if r["rank"] == "1"}
    # The 2021 snapshot still holds the held-out aliases, so most first hits are right.
    right = sum(firsts.get(q) == f"us-sdn-{e}" for q, e in expected.items() if q in firsts)
    assert right >= 30
    # Two local workers, or Spark's partitions, write what one process writes.
    assert out.read_text(encoding="utf-8") == reference


@pytest.mark.parametrize("kind", ["jsonl", "parquet"])
def test_every_input_format_gives_the_same_hits(
    screener: Screener, engine: str, reference: str, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "hits.csv"
    screen_file(screener, write_queries(tmp_path, kind, query_rows()), out, as_of=AS_OF, engine=engine,
                workers=1)
    assert out.read_text(encoding="utf-8") == reference


def test_screen_file_rejects_bad_header(screener: Screener, engine: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,fullname\n1,John\n")
    with pytest.raises(InputError, match="name"):
        screen_file(screener, bad, tmp_path / "o.csv", as_of=AS_OF, engine=engine)
    assert not (tmp_path / "o.csv").exists()


def test_a_spark_worker_loads_an_index_file_once_and_anew_when_it_is_rewritten(
        tmp_path: Path) -> None:
    from sanctions_ledger.match import MatchIndex, Query
    from sanctions_ledger.screening.engines.plan import worker_index

    from .conftest import listed

    path = tmp_path / "lists.idx"
    MatchIndex.build([listed("p-1", "Person", "ALPHA ONE")]).save(path)
    first = worker_index(str(path))
    assert worker_index(str(path)) is first  # a later task of the worker: not loaded again
    MatchIndex.build([listed("p-2", "Person", "BETA TWO"), listed("p-3", "Person", "GAMMA")]).save(path)
    second = worker_index(str(path))
    assert second is not first
    assert [h.entity_id for h in second.search(Query("BETA TWO"), limit=1)] == ["p-2"]
