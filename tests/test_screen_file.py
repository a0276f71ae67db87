"""Bulk screening accounts for every input row, on both engines, whatever the spreadsheet that
wrote the file: one status row per query (hit / no_hit / error) then its hits; Latin-1 and
UTF-16 CSV read as UTF-8 CSV is; binary input and unknown output extensions are clear errors."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sanctions_ledger.errors import InputError
from sanctions_ledger.screening.bulk import SPARK_HINT
from sanctions_ledger.screening.engines.io import csv_dialect
from sanctions_ledger.screening.screener import Screener, screen_file
from sanctions_ledger.store import Ledger

AS_OF = "2021-07-07"
# Two parties of the OFAC SDN list of 2021 (Lukashenka is us-sdn-9760), two names that are on
# no list (one with Latin-1 letters, to see the encoding read right) and a row without a name.
QUERIES = [
    ("c1", "Lukashenko, Alexander G.", "Person"),
    ("c2", "Jürgen Müller-Lüdenscheidt", "Person"),
    ("c3", "", "Person"),
    ("c4", "Aleksandr Lukashenka", "Person"),
    ("c5", "Hämäläinen Pöllö Ölåf", "Person"),
]
# (file encoding, delimiter) as spreadsheets write them: UTF-8, Excel's "CSV" on Windows
# (Windows-1252, here with the semicolons of a European locale) and Excel's "Unicode text".
DIALECTS = [("utf-8", ","), ("cp1252", ";"), ("utf-16", "\t")]


@pytest.fixture(scope="module")
def screener(sdn_ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    return Screener(sdn_ledger, cache_dir=tmp_path_factory.mktemp("idx"))


@pytest.fixture(scope="module", params=["local", "spark"])
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    yield str(request.param)


def write_queries(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(["query_id", "name", "schema"])
        writer.writerows(QUERIES)
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def reference(screener: Screener, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("reference")
    out = folder / "hits.csv"
    screen_file(screener, write_queries(folder / "q.csv"), out, as_of=AS_OF, engine="local", workers=1)
    return out.read_text(encoding="utf-8")


def test_every_row_has_a_status_row(screener: Screener, engine: str, reference: str, tmp_path: Path) -> None:
    out = tmp_path / "hits.csv"
    report = screen_file(screener, write_queries(tmp_path / "q.csv"), out, as_of=AS_OF, engine=engine,
                         workers=2)
    rows = read_rows(out)
    status = {r["query_id"]: r for r in rows if r["rank"] == "0"}
    assert list(status) == ["c1", "c2", "c3", "c4", "c5"]
    assert {q: r["status"] for q, r in status.items()} == {
        "c1": "hit", "c2": "no_hit", "c3": "error", "c4": "hit", "c5": "no_hit"}
    assert status["c3"]["error"]  # the reason, e.g. an empty name
    assert status["c2"]["query_name"] == "Jürgen Müller-Lüdenscheidt"
    firsts = {r["query_id"]: r["entity_id"] for r in rows if r["rank"] == "1"}
    assert firsts == {"c1": "us-sdn-9760", "c4": "us-sdn-9760"}
    # Each query's status row comes first, then its hits.
    order = [r["query_id"] for r in rows]
    assert order == sorted(order)
    assert (report.read, report.screened, report.hit, report.failed) == (5, 4, 2, 1)
    assert report.rows == len(rows) and report.hit_rows == len(rows) - 5
    assert "read 5 rows: 4 screened (2 with hits, 2 without), 1 failed" in report.summary()
    assert out.read_text(encoding="utf-8") == reference


@pytest.mark.parametrize(("encoding", "delimiter"), DIALECTS[1:])
def test_spreadsheet_encodings_read_like_utf8(screener: Screener, engine: str, reference: str,
                                              tmp_path: Path, encoding: str, delimiter: str) -> None:
    src = write_queries(tmp_path / "q.csv", encoding, delimiter)
    dialect = csv_dialect(src)
    assert dialect.delimiter == delimiter and not dialect.plain
    out = tmp_path / "hits.csv"
    screen_file(screener, src, out, as_of=AS_OF, engine=engine, workers=1)
    assert out.read_text(encoding="utf-8") == reference


def test_dialect_of_plain_utf8(tmp_path: Path) -> None:
    assert csv_dialect(write_queries(tmp_path / "q.csv")).plain


def test_binary_input_is_a_clear_error(screener: Screener, engine: str, tmp_path: Path) -> None:
    # A zip archive (what an .xlsx workbook is) saved under a .csv name.
    import zipfile

    book = tmp_path / "customers.csv"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>" * 50)
    out = tmp_path / "hits.csv"
    with pytest.raises(InputError, match="not a text CSV file") as err:
        screen_file(screener, book, out, as_of=AS_OF, engine=engine)
    assert str(book) in err.value.detail
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_unknown_output_extension_is_refused(screener: Screener, engine: str, tmp_path: Path) -> None:
    out = tmp_path / "hits.xlsx"
    with pytest.raises(InputError, match=r"unknown output extension '\.xlsx'"):
        screen_file(screener, write_queries(tmp_path / "q.csv"), out, as_of=AS_OF, engine=engine)
    assert not out.exists()


def test_spark_without_pyspark_says_how_to_install(screener: Screener, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if it were not installed
    with pytest.raises(InputError) as err:
        screen_file(screener, write_queries(tmp_path / "q.csv"), tmp_path / "o.csv", as_of=AS_OF,
                    engine="spark")
    assert err.value.detail == SPARK_HINT
    assert "sanctions-ledger[spark]" in SPARK_HINT and "Java" in SPARK_HINT
    assert not (tmp_path / "o.csv").exists()
