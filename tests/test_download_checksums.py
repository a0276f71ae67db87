"""Downloads checked against the publisher's own hash values (issue #20, item 6): OFAC lists
SHA-256, SHA-384 and SHA-512 values of its list files on a web page ("Hash Values for List
Content Assurance"). A real HTTP server on 127.0.0.1 serves OFAC's file set (the real 2021
files) and such a page; `update --checksums` fetches, verifies and ingests, or refuses all."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sanctions_ledger.cli import app
from sanctions_ledger.errors import DownloadError
from sanctions_ledger.sources.download import fetch
from sanctions_ledger.sources.manifest import parse_checksums, parse_hash_page

from .conftest import SDN_2021

NAMES = ("SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _page(values: dict[str, bytes]) -> str:
    """A page in the shape of OFAC's: one table row per file, SHA-256, SHA-384 and SHA-512."""
    rows = "".join(
        f"<tr>\n  <td><a href=\"/x/{name}\">{name}</a></td>\n  <td>{hashlib.sha256(data).hexdigest().upper()}</td>\n"
        f"  <td>{hashlib.sha384(data).hexdigest()}</td>\n  <td>{hashlib.sha512(data).hexdigest()}</td>\n</tr>\n"
        for name, data in values.items())
    return ("<html><body><h1>Hash Values for List Content Assurance</h1><table>\n"
            "<tr><th>File</th><th>SHA-256</th><th>SHA-384</th><th>SHA-512</th></tr>\n" + rows + "</table></body></html>")


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[tuple[str, Path, dict[str, bytes]]]:
    root = tmp_path / "site"
    (root / "ofac-sdn").mkdir(parents=True)
    files = {}
    for name in NAMES:
        shutil.copy(SDN_2021 / name.lower(), root / "ofac-sdn" / name)
        files[name] = (root / "ofac-sdn" / name).read_bytes()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root, files
    finally:
        server.shutdown()
        server.server_close()


def test_files_matching_the_publishers_page_are_fetched(site: tuple[str, Path, dict[str, bytes]],
                                                        tmp_path: Path) -> None:
    base, root, files = site
    # The consolidated list's files share endings with the SDN set's: CONS_ADD.CSV is not ADD.CSV.
    other = {"CONS_ADD.CSV": b"another file", "CONS_ALT.CSV": b"and another"}
    (root / "hashes.html").write_text(_page({**other, **files}), encoding="utf-8")
    fetched = fetch("ofac-sdn", tmp_path / "d", mirror=base, timeout=10, retries=0,
                    checksums=f"{base}/hashes.html")
    assert [f.name for f in fetched] == list(NAMES)
    assert fetched[0].sha256 == hashlib.sha256((SDN_2021 / "sdn.csv").read_bytes()).hexdigest()


def test_a_file_not_matching_the_page_refuses_the_whole_set(site: tuple[str, Path, dict[str, bytes]],
                                                           tmp_path: Path) -> None:
    base, root, files = site
    (root / "hashes.html").write_text(_page({**files, "ADD.CSV": files["ALT.CSV"]}), encoding="utf-8")
    dest = tmp_path / "d"
    with pytest.raises(DownloadError, match=r"does not match the publisher's checksums") as err:
        fetch("ofac-sdn", dest, mirror=base, timeout=10, retries=0, checksums=f"{base}/hashes.html")
    assert "ADD.CSV" in str(err.value)
    assert list(dest.iterdir()) == []  # SDN.CSV had arrived and matched: removed all the same


def test_a_file_missing_from_the_page_is_refused(site: tuple[str, Path, dict[str, bytes]], tmp_path: Path) -> None:
    base, root, files = site
    saved = tmp_path / "ofac-hashes.html"  # a saved copy of the page works as well as its URL
    saved.write_text(_page({n: d for n, d in files.items() if n != "ALT.CSV"}), encoding="utf-8")
    with pytest.raises(DownloadError, match=r"ALT.CSV is not listed in the publisher's checksums"):
        fetch("ofac-sdn", tmp_path / "d", mirror=base, timeout=10, retries=0, checksums=str(saved))
    saved.write_text("<html><p>no values here</p></html>", encoding="utf-8")
    with pytest.raises(DownloadError, match=r"no SHA-256 value for any of SDN.CSV, ADD.CSV"):
        fetch("ofac-sdn", tmp_path / "d", mirror=base, timeout=10, retries=0, checksums=str(saved))


def test_update_cli_verifies_against_the_page_then_ingests(site: tuple[str, Path, dict[str, bytes]],
                                                          tmp_path: Path) -> None:
    base, root, files = site
    (root / "hashes.html").write_text(_page(files), encoding="utf-8")
    result = CliRunner().invoke(app, ["update", "--source", "ofac-sdn", "--mirror", base, "--checksums",
                                      f"{base}/hashes.html", "--store", str(tmp_path / "l.duckdb")])
    assert result.exit_code == 0, result.output
    assert "us_ofac_sdn 8976" in result.output
    (root / "hashes.html").write_text(_page({**files, "SDN.CSV": b"not the list"}), encoding="utf-8")
    refused = CliRunner().invoke(app, ["update", "--source", "ofac-sdn", "--mirror", base, "--checksums",
                                       f"{base}/hashes.html", "--store", str(tmp_path / "m.duckdb")])
    assert refused.exit_code != 0 and "does not match the publisher's checksums" in refused.output


def test_page_and_manifest_parsing() -> None:
    a, b = "ab" * 32, "cd" * 32
    # Two values for one file in two rows: refused; a row naming two files: ambiguous, skipped.
    with pytest.raises(DownloadError, match="two SHA-256 values"):
        parse_hash_page(f"SDN.CSV {a}\nSDN.CSV {b}\n", NAMES, "p", DownloadError)
    assert parse_hash_page(f"SDN.CSV and ADD.CSV {a}\nALT.CSV: {b}\n", NAMES, "p") == {"ALT.CSV": b}
    # A SHA-384 value holds 96 hex digits: never read as a SHA-256 one.
    assert parse_hash_page(f"SDN.CSV {'ef' * 48}\n", NAMES, "p") == {}
    # SHA256SUMS lines are read as such, keyed by file name.
    assert parse_checksums(f"{a}  ofac-sdn/SDN.CSV\n{b} *sdn_comments.csv\n", NAMES, "m") == {
        "SDN.CSV": a, "SDN_COMMENTS.CSV": b}
