"""Customer books: CSV / JSON lines / Parquet imports, versions (added, changed, removed),
idempotence, atomicity, the bad-row policy (reported by line, skipped, the customer's previous
version kept; --strict refuses the file), and the CLI's book and alerts commands."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from sanctions_ledger.cli import app
from sanctions_ledger.errors import InputError
from sanctions_ledger.monitoring import import_book
from sanctions_ledger.store import Ledger
from sanctions_ledger.store import books as store_books

HEADER = "customer_id,name,schema,birth_date,country,identifier,segment\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger.open(tmp_path / "l.duckdb")


def test_versions_and_idempotence(ledger: Ledger, tmp_path: Path) -> None:
    first = write(tmp_path / "b.csv", HEADER + "c1,Anna Petrova,Person,1970-05-01,ru,,retail\n"
                  "c2,Acme Trading LLC,Company,,ae,REG-991,corporate\n")
    r1 = import_book(ledger, first, "bank").report
    assert (r1.version, r1.added, r1.changed, r1.removed) == (1, 2, 0, 0)
    again = import_book(ledger, first, "bank").report
    assert again.unchanged and again.version == 1
    second = write(tmp_path / "b2.csv", HEADER + "c1,Anna Petrova,Person,1970-05-02,ru,,retail\n"
                   "c3,Boris Ivanov,Person,,,,retail\n")
    r2 = import_book(ledger, second, "bank").report
    assert (r2.version, r2.added, r2.changed, r2.removed) == (2, 1, 1, 1)
    rows = store_books.customer_rows(ledger, "bank", "c1")
    assert [(r.birth_date, r.version) for r in rows] == [("1970-05-01", 1), ("1970-05-02", 2)]
    assert store_books.changes_since(ledger, "bank", 1) == {"c1": "changed", "c2": "removed", "c3": "added"}
    current = store_books.current_customers(ledger, "bank")
    assert [c.customer_id for c in current] == ["c1", "c3"]
    info = store_books.book_info(ledger, "bank")
    assert (info.version, info.customers, len(info.imports)) == (2, 2, 2)


def test_jsonl_and_parquet_keep_extra_columns(ledger: Ledger, tmp_path: Path) -> None:
    jl = tmp_path / "b.jsonl"
    jl.write_text(json.dumps({"customer_id": "j1", "name": "Olga Smirnova", "schema": "Person",
                              "limit_eur": 5000, "tags": ["a", "b"]}) + "\n\n"
                  + json.dumps({"customer_id": "j2", "name": "Kestrel Shipping", "birth_date": "1999-02-30"}) + "\n",
                  encoding="utf-8")
    res = import_book(ledger, jl, "jl")
    assert res.report.added == 1 and [(b.line, b.customer_id) for b in res.bad] == [(3, "j2")]
    assert "malformed birth_date '1999-02-30'" in res.bad[0].reason
    row = store_books.current_customers(ledger, "jl")[0]
    assert json.loads(row.extra) == {"limit_eur": 5000, "tags": ["a", "b"]}
    pq.write_table(pa.table({"customer_id": ["p1", "p2"], "name": ["Ivan Drago", "Northwind AB"],
                             "country": ["RU", None], "risk": [3, 1]}), tmp_path / "b.parquet")
    res = import_book(ledger, tmp_path / "b.parquet", "pq")
    assert res.report.added == 2
    got = {c.customer_id: (c.country, c.schema, json.loads(c.extra)) for c in store_books.current_customers(ledger, "pq")}
    assert got == {"p1": ("ru", "Any", {"risk": 3}), "p2": (None, "Any", {"risk": 1})}


def test_bad_rows_policy(ledger: Ledger, tmp_path: Path) -> None:
    import_book(ledger, write(tmp_path / "v1.csv", HEADER + "c1,Anna Petrova,Person,,,,x\nc2,Boris Ivanov,Person,,,,x\n"), "bank")
    bad = write(tmp_path / "v2.csv", HEADER
                + "c1,Anna Petrova,Person,,,,y\n"        # line 2: fine (extra column changed)
                + ",No Id,Person,,,,x\n"                  # line 3
                + "c2,,Person,,,,x\n"                     # line 4: empty name, c2 kept as it was
                + "c3,Carl Berg,Person,19-01-01,,,x\n"    # line 5
                + "c1,Anna Again,Person,,,,x\n"           # line 6: duplicate
                + "c4,Dana Lee,Animal,,,,x\n")            # line 7
    res = import_book(ledger, bad, "bank")
    assert [(b.line, b.customer_id) for b in res.bad] == [(3, ""), (4, "c2"), (5, "c3"), (6, "c1"), (7, "c4")]
    assert [b.reason.split(" (")[0].split(" '")[0] for b in res.bad] == [
        "no customer_id", "empty name", "malformed birth_date", "duplicate customer_id", "unknown schema"]
    assert "line 6 (c1): duplicate customer_id (first on line 2)" in res.summary()
    # The rest was imported; c2's bad row did not remove it.
    assert (res.report.changed, res.report.removed, res.report.rejected) == (1, 0, 5)
    assert [c.customer_id for c in store_books.current_customers(ledger, "bank")] == ["c1", "c2"]
    with pytest.raises(InputError, match="5 bad row"):
        import_book(ledger, bad, "bank", strict=True)
    with pytest.raises(InputError, match="no customer row could be read"):
        import_book(ledger, write(tmp_path / "none.csv", HEADER + ",x,Person,,,,\n"), "bank")
    with pytest.raises(InputError, match="no 'customer_id' column"):
        import_book(ledger, write(tmp_path / "cols.csv", "id,name\n1,Anna\n"), "bank")
    with pytest.raises(InputError, match="book name"):
        import_book(ledger, bad, "Bad Name")
    assert store_books.book_info(ledger, "bank").version == 2  # nothing of the refused files


def test_import_is_atomic(ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import_book(ledger, write(tmp_path / "v1.csv", HEADER + "c1,Anna Petrova,Person,,,,x\n"), "bank")
    v2 = write(tmp_path / "v2.csv", HEADER + "c2,Boris Ivanov,Person,,,,x\n")

    def boom(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store_books, "_insert", boom)  # fails after the old rows were closed
    with pytest.raises(OSError):
        import_book(ledger, v2, "bank")
    monkeypatch.undo()
    assert [c.customer_id for c in store_books.current_customers(ledger, "bank")] == ["c1"]
    assert store_books.book_info(ledger, "bank").version == 1


def test_cli_book_and_alerts_commands(tmp_path: Path) -> None:
    store = str(tmp_path / "l.duckdb")
    book = write(tmp_path / "b.csv", HEADER + "c1,Anna Petrova,Person,,,,x\n,Nobody,Person,,,,x\n")
    runner = CliRunner()
    out = runner.invoke(app, ["book", "import", str(book), "--book", "bank", "--store", store])
    assert out.exit_code == 0, out.output
    assert "version 1: +1 added" in out.output and "b.csv: line 3: no customer_id" in out.output
    listed = runner.invoke(app, ["book", "list", "--store", store, "--format", "json"])
    assert json.loads(listed.output)[0]["customers"] == 1
    shown = runner.invoke(app, ["book", "show", "bank", "--store", store])
    assert "Anna Petrova" in shown.output
    assert runner.invoke(app, ["book", "show", "nope", "--store", store]).exit_code == 2
    # No list yet: monitoring says what to do.
    mon = runner.invoke(app, ["monitor", "--store", store])
    assert mon.exit_code == 2 and "load lists first" in mon.output
    both = runner.invoke(app, ["monitor", "--full", "--quick", "--store", store])
    assert both.exit_code == 2 and "--full and --quick exclude each other" in both.output
    exported = runner.invoke(app, ["alerts", "export", "--store", store, "--format", "csv"])
    assert exported.output.startswith("id,book,kind,state,")
    bad = runner.invoke(app, ["alerts", "list", "--store", store, "--kind", "nope"])
    assert bad.exit_code == 2 and "unknown alert kind" in bad.output
