"""Exports on the real shared data: FtM entities that followthemoney loads and validates,
statements that followthemoney's statement reader reads back with our intervals, the flat
table, deltas, determinism, and bad input that leaves no file behind."""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pyarrow.parquet as pq
import pytest
from followthemoney import model
from followthemoney.statement import StatementEntity
from followthemoney.statement.serialize import read_csv_statements

from sanctions_ledger.errors import InputError
from sanctions_ledger.export import export, export_delta
from sanctions_ledger.store import Ledger

SDN = ["us_ofac_sdn"]


def _lines(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


@pytest.fixture(scope="module")
def sdn_2021(full_ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "sdn-2021.ftm.json"
    export(full_ledger, out, "ftm", "2021-07-07", SDN)
    return out


def test_ftm_lines_are_opensanctions_entities(sdn_2021: Path) -> None:
    lines = _lines(sdn_2021)
    assert len(lines) == 20685  # the 2021 SDN snapshot: 20,685 entities (parties + Sanctions)
    by_id = {d["id"]: d for d in lines}
    luka = by_id["us-sdn-9760"]
    # OpenSanctions' keys, in FtM's order (StatementEntity.to_dict, then zavod's target).
    assert list(luka) == ["id", "caption", "schema", "referents", "datasets", "first_seen",
                          "last_seen", "last_change", "properties", "target"]
    assert luka["schema"] == "Person" and luka["target"] is True
    assert luka["datasets"] == ["us_ofac_sdn"]
    assert luka["properties"]["birthDate"] == ["1954-08-30"]
    # Listed since the ledger's first SDN snapshot, seen in the one standing on the date.
    assert luka["first_seen"] == "2019-01-15T00:00:00"
    assert luka["last_seen"] == "2021-07-07T00:00:00"
    sanction = by_id["us-sdn-9760-sanction"]
    assert sanction["schema"] == "Sanction" and sanction["target"] is False
    assert sanction["properties"]["program"] == ["BELARUS"]
    assert sanction["properties"]["entity"] == ["us-sdn-9760"]
    # Designated in 2021: first seen in the 2021 snapshot.
    assert by_id["us-sdn-32275"]["first_seen"] == "2021-07-07T00:00:00"


def test_every_ftm_line_loads_and_validates(sdn_2021: Path) -> None:
    for data in _lines(sdn_2021):
        schema = model.get(data["schema"])
        assert schema is not None, data["id"]
        schema.validate(data)  # raises InvalidData naming the property
        assert model.get_proxy(data, cleaned=False).id == data["id"]  # FtM's reader cleans
        assert model.get_proxy(data).caption == data["caption"]
        for prop, values in data["properties"].items():
            assert values == sorted(set(values)), (data["id"], prop)


@pytest.fixture(scope="module")
def sdn_2021_statements(full_ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "sdn-2021.statements.csv"
    report = export(full_ledger, out, "statements", "2021-07-07", SDN)
    assert report.rows == 169554  # 148,869 property values + one `id` statement per entity
    return out


def test_statements_read_back_with_followthemoney(sdn_2021: Path, sdn_2021_statements: Path) -> None:
    with open(sdn_2021_statements, "rb") as fh:
        stmts = list(read_csv_statements(fh))
    assert len(stmts) == 169554
    # One `id` statement (FtM's entity checksum) per entity, plus every property value.
    assert sum(1 for s in stmts if s.prop == "id") == 20685
    birth = [s for s in stmts if s.entity_id == "us-sdn-9760" and s.prop == "birthDate"]
    assert [(s.value, s.first_seen, s.last_seen, s.dataset) for s in birth] == [
        ("1954-08-30", "2019-01-15T00:00:00", "2021-07-07T00:00:00", "us_ofac_sdn")]
    assert all(s.id for s in stmts)
    # The statements make the same entity as the FtM line.
    luka = StatementEntity.from_statements(
        _ds(), [s for s in stmts if s.entity_id == "us-sdn-9760"])
    line = next(d for d in _lines(sdn_2021) if d["id"] == "us-sdn-9760")
    assert {p: sorted(v) for p, v in luka.properties.items()} == line["properties"]
    assert luka.last_change == line["last_change"]
    # Our `id` statement carries FtM's own checksum of the entity.
    ours = next(s for s in stmts if s.entity_id == "us-sdn-9760" and s.prop == "id")
    assert ours.value == list(luka.statements)[-1].value


def _ds() -> Any:
    from followthemoney.dataset import Dataset

    return Dataset({"name": "us_ofac_sdn", "title": "OFAC SDN"})


def test_flat_parquet_and_csv(full_ledger: Ledger, tmp_path: Path) -> None:
    pq_report = export(full_ledger, tmp_path / "sdn.parquet", "parquet", "2019-01-15", SDN)
    table = pq.read_table(tmp_path / "sdn.parquet")
    assert table.num_rows == pq_report.rows == 134986  # the 2019 snapshot's statements
    assert table.column_names[:6] == ["entity_id", "dataset", "schema", "prop", "prop_type", "value"]
    rows = table.filter(table["entity_id"].to_numpy(zero_copy_only=False) == "us-sdn-9760").to_pylist()
    birth = next(r for r in rows if r["prop"] == "birthDate")
    assert str(birth["first_seen"]) == "2019-01-15" and birth["snapshot_id"] == "ofac_csv-11fdd46ca53b9ea8"
    export(full_ledger, tmp_path / "sdn.csv", "csv", "2019-01-15", SDN)
    assert len((tmp_path / "sdn.csv").read_text().splitlines()) == 134986 + 1


def test_same_ledger_same_bytes(full_ledger: Ledger, sdn_2021: Path, sdn_2021_statements: Path,
                                tmp_path: Path) -> None:
    export(full_ledger, tmp_path / "a.json", "ftm", "2021-07-07", SDN)
    assert (tmp_path / "a.json").read_bytes() == sdn_2021.read_bytes()
    export(full_ledger, tmp_path / "a.csv", "statements", "2021-07-07", SDN)
    assert (tmp_path / "a.csv").read_bytes() == sdn_2021_statements.read_bytes()
    for fmt in ("csv", "parquet"):
        export(full_ledger, tmp_path / "b", fmt, "2021-07-07", SDN)
        export(full_ledger, tmp_path / "c", fmt, "2021-07-07", SDN)
        assert (tmp_path / "b").read_bytes() == (tmp_path / "c").read_bytes(), fmt


@pytest.fixture(scope="module")
def delta(full_ledger: Ledger, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("delta") / "sdn.delta.json"
    report = export_delta(full_ledger, out, "2019-01-15", "2021-07-07", SDN)
    assert (report.added, report.modified, report.deleted) == (4676, 669, 549)
    again = out.with_name("again.json")
    export_delta(full_ledger, again, "2019-01-15", "2021-07-07", SDN)
    assert again.read_bytes() == out.read_bytes()  # same ledger, same bytes
    yield _lines(out)


def test_delta_ops(delta: list[dict[str, Any]]) -> None:
    ops = {d["entity"]["id"]: d for d in delta}
    assert [list(d) for d in delta[:1]] == [["op", "entity"]]
    assert ops["us-sdn-32275"]["op"] == "ADD"  # STATE SECURITY COMMITTEE ... OF BELARUS
    assert ops["us-sdn-32275"]["entity"]["properties"]["name"] == [
        "STATE SECURITY COMMITTEE OF THE REPUBLIC OF BELARUS"]
    gone = [d for d in delta if d["op"] == "DEL"]
    assert gone and all(d["entity"] == {"id": d["entity"]["id"]} for d in gone)
    assert [d["entity"]["id"] for d in delta] == sorted(ops)


def test_delta_turns_one_export_into_the_other(full_ledger: Ledger, delta: list[dict[str, Any]],
                                               sdn_2021: Path, tmp_path: Path) -> None:
    """2019's export with the delta applied as yente applies it is 2021's export (entities
    that did not change keep their earlier last_seen, as in yente)."""
    export(full_ledger, tmp_path / "2019.json", "ftm", "2019-01-15", SDN)
    state = {d["id"]: d for d in _lines(tmp_path / "2019.json")}
    for op in delta:
        if op["op"] == "DEL":
            del state[op["entity"]["id"]]
        else:
            state[op["entity"]["id"]] = op["entity"]
    target = {d["id"]: d for d in _lines(sdn_2021)}
    strip = lambda d: {k: v for k, v in d.items() if k != "last_seen"}  # noqa: E731
    assert {k: strip(v) for k, v in state.items()} == {k: strip(v) for k, v in target.items()}


def _no_file(folder: Path) -> None:
    assert [p.name for p in folder.iterdir()] == []


def test_bad_input_is_a_clear_error_and_leaves_nothing(full_ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    with pytest.raises(InputError, match=r"--as-of 2018-01-01: no snapshot of any list on or before "
                                         r"that date \(the first is 2019-01-15\)"):
        export(full_ledger, out, "ftm", "2018-01-01")
    with pytest.raises(InputError, match=r"unknown list\(s\): us_ofac_sdnn; known: .*us_ofac_sdn"):
        export(full_ledger, out, "ftm", None, ["us_ofac_sdnn"])
    with pytest.raises(InputError, match="--from 2021-07-07 is later than --to 2019-01-15"):
        export_delta(full_ledger, out, "2021-07-07", "2019-01-15")
    with pytest.raises(InputError, match="is not a date"):
        export(full_ledger, out, "ftm", "07/07/2021")
    with pytest.raises(InputError, match="does not exist"):
        export(full_ledger, tmp_path / "no" / "x.json", "ftm")
    with pytest.raises(InputError, match="is a directory"):
        export(full_ledger, tmp_path, "ftm")
    _no_file(tmp_path)


def test_a_failure_mid_write_leaves_no_file(full_ledger: Ledger, tmp_path: Path) -> None:
    """A real write error half way (the process's file size limit, as a full disk would be):
    the error names the file, and neither the export nor its temporary file remains."""
    folder = tmp_path / "out"
    folder.mkdir()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit: EFBIG, no signal
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, hard))
    try:
        with pytest.raises(InputError, match=r"cannot write .*big\.ftm\.json: File too large"):
            export(full_ledger, folder / "big.ftm.json", "ftm", "2021-07-07", SDN)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    _no_file(folder)


def test_cli(tmp_path: Path) -> None:
    """The command: a flat export of a small list, and its option errors (exit 2, one line)."""
    from typer.testing import CliRunner

    from sanctions_ledger.cli import app
    from sanctions_ledger.store import ingest

    from .conftest import CONS_2025

    store = tmp_path / "cons.duckdb"
    with Ledger.open(store) as small:
        ingest(small, CONS_2025)
    runner = CliRunner()
    base = ["export", "--store", str(store)]
    done = runner.invoke(app, [*base, "--format", "parquet", "--out", str(tmp_path / "cons.parquet")])
    assert done.exit_code == 0, done.output
    assert "parquet export as of latest — 9243 statements from 1 list (us_ofac_cons 2025-12-19)" in done.output
    assert pq.read_table(tmp_path / "cons.parquet").num_rows == 9243
    for args, message in [
        (["--format", "delta", "--out", "d.json"], "--format delta needs --from DATE"),
        (["--from", "2025-12-19", "--out", "d.json"], "--from/--to are for --format delta"),
        (["--format", "delta", "--from", "2025-12-19", "--as-of", "2025-12-19", "--out", "d.json"],
         "--format delta takes --from and --to, not --as-of"),
        (["--format", "xml", "--out", "d.json"], "unknown --format 'xml'"),
    ]:
        done = runner.invoke(app, [*base, *args])
        assert done.exit_code == 2 and f"error: {message}" in done.output, (args, done.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cons.duckdb", "cons.parquet"]


def test_publisher_caches_by_snapshot_ids(tmp_path: Path) -> None:
    """Published files are named by the snapshots they rest on: asking again reads the same
    file, an ingest adds a point (a new version, new files) and leaves the old files valid."""
    from sanctions_ledger.export.publish import Publisher
    from sanctions_ledger.store import ingest

    from .conftest import DATA

    store = tmp_path / "csl.duckdb"
    with Ledger.open(store) as small:
        ingest(small, DATA / "us-csl" / "2019-12-03" / "csl.csv")
        publisher = Publisher(small)
        assert publisher.folder == tmp_path / "csl.duckdb.exports"
        first = publisher.index("http://h")
        entities = publisher.folder / first["resources"][0]["url"].rsplit("/", 1)[1]
        stamp = entities.stat().st_mtime_ns
        assert publisher.index("http://h") == first and entities.stat().st_mtime_ns == stamp
        ingest(small, DATA / "us-csl" / "2025-06-25" / "consolidated.csv", force=True)
        second = publisher.index("http://h")
        assert second["version"] > first["version"]
        assert second["resources"][0]["url"] != first["resources"][0]["url"]
        versions = publisher.delta_index("http://h")["versions"]
        assert list(versions) == [first["version"], second["version"]]
        path, media = publisher.file(versions[second["version"]].rsplit("/", 1)[1])
        ops = [orjson.loads(line)["op"] for line in path.read_bytes().splitlines()]
        assert media == "application/json" and "DEL" in ops and "ADD" in ops
        assert entities.exists() and entities.stat().st_mtime_ns == stamp
