"""Downloads are verified, not only hashed (issue #20, item 6): a mirror's SHA256SUMS, https,
and redirects only to the same or listed hosts. A real HTTP server on 127.0.0.1 serves a
mirror filled from ../shared/data; each test fails on the downloader before the fix (it
followed any redirect, compared its hash with nothing and fetched plain http anywhere)."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlparse

import pytest

from sanctions_ledger.errors import DownloadError
from sanctions_ledger.sources.download import check_url, fetch, parse_manifest

from .conftest import UN_2026


class _Handler(SimpleHTTPRequestHandler):
    redirects: ClassVar[dict[str, str]] = {}

    def do_GET(self) -> None:
        target = type(self).redirects.get(urlparse(self.path).path)
        if target is not None:
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "mirror"
    (root / "un").mkdir(parents=True)
    shutil.copy(UN_2026, root / "un" / "consolidated.xml")
    (root / "other").mkdir()
    shutil.copy(UN_2026, root / "other" / "consolidated.xml")
    digest = hashlib.sha256(UN_2026.read_bytes()).hexdigest()
    (root / "SHA256SUMS").write_text(f"{digest}  un/consolidated.xml\n", encoding="ascii")
    _Handler.redirects = {}

    def handler(*args: object, **kwargs: object) -> _Handler:
        return _Handler(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def test_a_file_matching_the_mirror_manifest_is_fetched(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = mirror
    (fetched,) = fetch("un", tmp_path / "d", mirror=base, timeout=10, retries=0)
    assert fetched.sha256 == hashlib.sha256(UN_2026.read_bytes()).hexdigest()


def test_a_file_not_matching_the_mirror_manifest_is_refused(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, root = mirror
    (root / "SHA256SUMS").write_text("0" * 64 + "  un/consolidated.xml\n", encoding="ascii")
    dest = tmp_path / "d"
    with pytest.raises(DownloadError, match=r"does not match the mirror's SHA256SUMS \(0{64}\): refused"):
        fetch("un", dest, mirror=base, timeout=10, retries=0)
    assert list(dest.iterdir()) == []


def test_a_file_missing_from_the_mirror_manifest_is_refused(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, root = mirror
    (root / "SHA256SUMS").write_text("# nothing listed\n", encoding="ascii")
    with pytest.raises(DownloadError, match="un/consolidated.xml is not listed in the mirror's SHA256SUMS"):
        fetch("un", tmp_path / "d", mirror=base, timeout=10, retries=0)


def test_a_redirect_within_the_host_is_followed(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = mirror
    _Handler.redirects = {"/un/consolidated.xml": "/other/consolidated.xml"}
    (fetched,) = fetch("un", tmp_path / "d", mirror=base, timeout=10, retries=0)
    assert fetched.size == UN_2026.stat().st_size


@pytest.mark.parametrize(("location", "message"), [
    ("http://localhost:{port}/other/consolidated.xml", "redirect to 'localhost' refused: not this source's host"),
    ("http://203.0.113.9/consolidated.xml", "plain http is refused"),
    ("file:///etc/passwd", "URL scheme 'file' is refused"),
])
def test_a_redirect_elsewhere_is_refused(mirror: tuple[str, Path], tmp_path: Path, location: str,
                                         message: str) -> None:
    base, _root = mirror
    _Handler.redirects = {"/un/consolidated.xml": location.format(port=urlparse(base).port)}
    dest = tmp_path / "d"
    with pytest.raises(DownloadError, match=message):
        fetch("un", dest, mirror=base, timeout=10, retries=0)
    assert list(dest.iterdir()) == []


def test_a_listed_redirect_host_is_followed(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = mirror
    _Handler.redirects = {"/un/consolidated.xml": f"http://localhost:{urlparse(base).port}/other/consolidated.xml"}
    (fetched,) = fetch("un", tmp_path / "d", mirror=base, timeout=10, retries=0, redirect_hosts=["localhost"])
    assert fetched.size == UN_2026.stat().st_size


@pytest.mark.parametrize("url", ["http://mirror.example.org", "ftp://127.0.0.1/lists"])
def test_a_plain_http_mirror_elsewhere_is_refused_before_connecting(url: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="refused"):
        fetch("un", tmp_path / "d", mirror=url, timeout=1, retries=0)


def test_urls_and_manifest_lines() -> None:
    check_url("https://scsanctions.un.org/resources/xml/en/consolidated.xml")
    check_url("http://127.0.0.1:8000/x")
    check_url("http://[::1]:8000/x")
    with pytest.raises(DownloadError, match="plain http is refused"):
        check_url("http://scsanctions.un.org/x")
    digest = "ab" * 32
    assert parse_manifest(f"{digest}  un/consolidated.xml\n{digest} *./ofac-sdn/SDN.CSV\n", "m") == {
        "un/consolidated.xml": digest, "ofac-sdn/SDN.CSV": digest}
    with pytest.raises(DownloadError, match="line 1 is not"):
        parse_manifest("not a checksum line\n", "m")
