"""What a hostile file or a bad list release can do to the ledger (issue #20, items 3 and 7).

Each test fails on the code before the release guard and the stricter parsers: a one-line FtM
file replaced the SDN list, a cut OFAC CSV or a one-record UN file was appended as a release,
and odd FtM values were stored as text or raised a traceback.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources import read_snapshot
from sanctions_ledger.store import Ledger, ingest
from sanctions_ledger.store.guard import GuardLimits, ReleaseRefused, ingest_log

from .conftest import FTM_2022, SDN_2019, SDN_2021, UN_2026

FIXTURES = Path(__file__).parent / "fixtures"
FTM_OFFICIAL = ["us_ofac_sdn", "eu_fsf", "gb_hmt"]
"""The official lists the shared FtM file names: it may write into them only when allowed."""


@pytest.fixture(scope="module")
def sdn_2021(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    """The 2021 SDN list only; tests here may add refusals (and lists of other names)."""
    ledger = Ledger.open(tmp_path_factory.mktemp("guard") / "l.duckdb")
    ingest(ledger, SDN_2021)
    yield ledger
    ledger.close()


def _snapshots(ledger: Ledger) -> int:
    return int(ledger.query("SELECT count(*) FROM snapshots")[0][0])


def _ftm(path: Path, *lines: dict[str, object] | bytes) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else orjson.dumps(x)) + b"\n" for x in lines))
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ofac_copy(tmp_path: Path, *, lf: bool, keep_rows: float = 1.0, drop: str = "") -> Path:
    """The 2021 SDN set copied, optionally normalised to LF lines without the Ctrl-Z mark
    (as older mirrors keep it), with only the first ``keep_rows`` of sdn.csv's rows, and
    without the member file ``drop``."""
    out = tmp_path / "sdn"
    shutil.copytree(SDN_2021, out)
    (out / "SHA256SUMS").unlink()
    if drop:
        (out / drop).unlink()
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        if not (out / name).exists():
            continue
        data = (out / name).read_bytes()
        if name == "sdn.csv" and keep_rows < 1:
            rows = data.split(b"\r\n")
            data = b"\r\n".join(rows[: int(len(rows) * keep_rows)]) + b"\r\n"
        if lf:
            data = data.replace(b"\r\n", b"\n").rstrip(b"\x1a")
        (out / name).write_bytes(data)
    return out


# -- item 3: official list names in an FtM file -----------------------------------------------


def test_an_ftm_line_naming_an_official_list_is_refused_and_logged(sdn_2021: Ledger, tmp_path: Path) -> None:
    one = _ftm(tmp_path / "one.ftm.json", {"id": "us-sdn-9760", "schema": "Person",
                                           "properties": {"name": ["LUKASHENKA, Alexander"]},
                                           "datasets": ["us_ofac_sdn"]})
    before = _snapshots(sdn_2021)
    with pytest.raises(ReleaseRefused, match="names official list.* us_ofac_sdn") as err:
        ingest(sdn_2021, one, observed_at="2021-07-08")
    assert err.value.status == 409
    # Allowed explicitly, it is still a release that would delist all but one party.
    with pytest.raises(ReleaseRefused, match=r"us_ofac_sdn would show 8,975 of 8,976 parties as delisted"):
        ingest(sdn_2021, one, observed_at="2021-07-08", allow_lists=["us_ofac_sdn"])
    assert _snapshots(sdn_2021) == before
    refused = [r for r in ingest_log(sdn_2021) if r["sha256"] == _sha(one)]
    assert [r["outcome"] for r in refused] == ["refused", "refused"]
    assert refused[0]["datasets"] == ["us_ofac_sdn"]


def test_other_list_names_in_an_ftm_file_pass(sdn_2021: Ledger, tmp_path: Path) -> None:
    mine = _ftm(tmp_path / "mine.ftm.json", {"id": "w-1", "schema": "Person",
                                             "properties": {"name": ["Jane Roe"]}, "datasets": ["my_watchlist"]})
    rep = ingest(sdn_2021, mine)
    assert rep.datasets == {"my_watchlist": 1}
    assert ingest_log(sdn_2021, 1)[0]["outcome"] == "ingested"


# -- item 3: the shrink guard and completeness checks ---------------------------------------------


def test_an_ofac_csv_cut_at_a_row_boundary_is_refused(tmp_path: Path) -> None:
    cut = _ofac_copy(tmp_path, lf=False, keep_rows=0.55)
    with pytest.raises(SourceError, match=r"truncated: .* without the end-of-file mark"):
        list(read_snapshot(cut).records())


def test_a_cut_release_is_refused_unless_forced(sdn_2021: Ledger, tmp_path: Path) -> None:
    """LF files carry no end-of-file mark: the shrink guard catches the cut."""
    cut = _ofac_copy(tmp_path, lf=True, keep_rows=0.55)
    before = _snapshots(sdn_2021)
    with pytest.raises(ReleaseRefused, match=r"list us_ofac_sdn would show 4,0\d\d of 8,976 parties") as err:
        ingest(sdn_2021, cut, observed_at="2021-07-08")
    assert "force=True" in err.value.detail
    assert _snapshots(sdn_2021) == before
    assert ingest_log(sdn_2021, 1)[0]["sha256"] == read_snapshot(cut).sha256
    # A larger allowance (a parameter) lets it through; so does force, logged as forced.
    loose = GuardLimits(share=0.5)
    assert not ingest(sdn_2021, cut, observed_at="2021-07-08", limits=loose).skipped
    assert ingest_log(sdn_2021, 1)[0]["outcome"] == "ingested"


def test_a_file_set_missing_a_member_is_refused(sdn_2021: Ledger, tmp_path: Path) -> None:
    partial = _ofac_copy(tmp_path, lf=False, drop="alt.csv")
    with pytest.raises(ReleaseRefused, match="lacks alt.csv, which the previous ofac_csv snapshot"):
        ingest(sdn_2021, partial, observed_at="2021-07-09")


def test_a_un_file_with_one_record_is_refused_then_forced(tmp_path: Path) -> None:
    text = UN_2026.read_text(encoding="utf-8")
    first = text.index("</INDIVIDUAL>") + len("</INDIVIDUAL>")
    one = tmp_path / "un" / "2026-03-01" / "consolidated.xml"
    one.parent.mkdir(parents=True)
    head = text[:first].replace('dateGenerated="2026-02-27', 'dateGenerated="2026-03-01')
    one.write_text(head + "</INDIVIDUALS><ENTITIES></ENTITIES></CONSOLIDATED_LIST>\n", encoding="utf-8")
    with Ledger.open(tmp_path / "l.duckdb") as ledger:
        ingest(ledger, UN_2026)
        with pytest.raises(ReleaseRefused, match=r"un_sc_sanctions would show 1,00\d of 1,00\d parties"):
            ingest(ledger, one)
        rep = ingest(ledger, one, force=True)
        assert rep.datasets == {"un_sc_sanctions": 1}
        log = ingest_log(ledger)
        assert [r["outcome"] for r in log[:2]] == ["forced", "refused"]
        assert log[0]["sha256"] == log[1]["sha256"] == _sha(one)


def test_an_ofac_xml_short_of_its_record_count_is_refused(tmp_path: Path) -> None:
    data = (FIXTURES / "ofac_sdn_sample.xml").read_text(encoding="utf-8")
    assert "<Record_Count>4</Record_Count>" in data
    assert len(list(read_snapshot(FIXTURES / "ofac_sdn_sample.xml").records())) == 8
    short = tmp_path / "sdn.xml"
    short.write_text(data.replace("<Record_Count>4</Record_Count>", "<Record_Count>5</Record_Count>"),
                     encoding="utf-8")
    with pytest.raises(SourceError, match="Record_Count 5 but the file holds 4 sdnEntry"):
        list(read_snapshot(short).records())


def test_the_shared_data_ingests_with_history_in_any_order(tmp_path: Path) -> None:
    """2019, then the 2022 FtM file (a release 3.3 years later: 673 of 7,379 SDN parties go,
    within 5% a year), then 2021 (history between them: nothing it removes is new)."""
    with Ledger.open(tmp_path / "l.duckdb") as ledger:
        ingest(ledger, SDN_2019)
        rep = ingest(ledger, FTM_2022, allow_lists=FTM_OFFICIAL)
        assert rep.datasets["us_ofac_sdn"] == 10_025
        assert not ingest(ledger, SDN_2021).skipped
        assert [r["outcome"] for r in ingest_log(ledger)] == ["ingested"] * 3


# -- item 7: FtM values of the wrong type or size -------------------------------------------------

GOOD = {"id": "x-1", "schema": "Person", "properties": {"name": ["Jane Roe"]}, "datasets": ["mine"]}


@pytest.mark.parametrize(("change", "message"), [
    ({"schema": ["Person"]}, "'schema' must be a non-empty string .*not list"),
    ({"schema": {"a": 1}}, "'schema' must be a non-empty string .*not dict"),
    ({"schema": 5}, "'schema' must be a non-empty string .*not int 5"),
    ({"id": {"a": 1}}, "'id' must be a non-empty string .*not dict"),
    ({"id": True}, "'id' must be a non-empty string .*not bool true"),
    ({"id": "x" * 100_000}, "'id' is 100,000 characters long; the limit is 200"),
    ({"properties": ["a"]}, "'properties' must be an object"),
    ({"properties": {"name": [{"a": 1}]}}, "property 'name' must be a list of strings"),
    ({"datasets": [1]}, "'datasets' holds int 1"),
])
def test_ftm_fields_of_the_wrong_type_are_refused_with_their_line(tmp_path: Path, change: dict[str, object],
                                                                   message: str) -> None:
    path = _ftm(tmp_path / "bad.ftm.json", GOOD, {**GOOD, **change})
    with pytest.raises(SourceError, match=r"bad.ftm.json \(line 2\): not a FtM entity: " + message):
        list(read_snapshot(path).records())


def test_an_absurd_name_is_refused_at_ingest(tmp_path: Path) -> None:
    path = _ftm(tmp_path / "long.ftm.json", {**GOOD, "properties": {"name": ["A" * 10_000]}})
    with Ledger.open(tmp_path / "l.duckdb") as ledger:
        with pytest.raises(SourceError, match=r"entity x-1 \(mine\): its name value is 10,000 characters long, "
                                              r"over the 2,000-character limit"):
            ingest(ledger, path)
        assert _snapshots(ledger) == 0


def test_a_csv_field_over_the_limit_is_refused_with_its_line(tmp_path: Path) -> None:
    import followthemoney  # noqa: F401  (it raises csv.field_size_limit to 30 MB on import)

    out = _ofac_copy(tmp_path, lf=False)
    data = (out / "sdn.csv").read_bytes()
    rows = data.split(b"\r\n")
    rows[2] = re.sub(rb'^(\d+),"[^"]*"', lambda m: m.group(1) + b',"' + b"B" * 200_000 + b'"', rows[2])
    (out / "sdn.csv").write_bytes(b"\r\n".join(rows))
    with pytest.raises(SourceError, match=r"sdn.csv \(line 3\): malformed CSV: field larger than field limit"):
        list(read_snapshot(out).records())


def test_the_cli_reports_a_bad_ftm_line_without_a_traceback(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sanctions_ledger.cli import app

    path = _ftm(tmp_path / "bad.ftm.json", GOOD, {**GOOD, "schema": ["Person"]})
    result = CliRunner().invoke(app, ["ingest", str(path), "--store", str(tmp_path / "l.duckdb")])
    assert result.exit_code != 0
    assert "bad.ftm.json (line 2): not a FtM entity: 'schema' must be a non-empty string" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, TypeError)


# -- the ingest log's migration ----------------------------------------------------------------


def test_a_version_2_store_gets_the_ingest_log(tmp_path: Path) -> None:
    import duckdb

    from sanctions_ledger.store.schema import SCHEMA_VERSION

    path = tmp_path / "l.duckdb"
    Ledger.open(path).close()
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE ingest_log")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    with Ledger.open(path) as ledger:
        assert SCHEMA_VERSION >= 3  # migrated step by step to the current version
        assert ledger.query("SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
        ingest(ledger, UN_2026)
        assert [r["outcome"] for r in ingest_log(ledger)] == ["ingested"]
