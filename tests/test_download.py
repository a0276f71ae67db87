"""The downloader against a real HTTP server on 127.0.0.1 serving a mirror laid out as
``{mirror}/{source_name}/{file_name}``, filled at test time from ../shared/data."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

import pytest

from sanctions_ledger.errors import DownloadError
from sanctions_ledger.sources import ParseMeta, detect
from sanctions_ledger.sources.download import OFFICIAL_SOURCES, fetch

DATA = Path(__file__).parents[1].parent / "shared" / "data"
UN_FILE = DATA / "un" / "2026-02-27" / "consolidated.xml"
SDN_DIR = DATA / "ofac-sdn" / "2021-07-07"

pytestmark = pytest.mark.skipif(not UN_FILE.exists(), reason="shared data not available")


class _Handler(SimpleHTTPRequestHandler):
    """Serves the mirror; a path listed in ``failures`` answers 503 that many times first."""

    failures: ClassVar[dict[str, int]] = {}
    hits: ClassVar[dict[str, int]] = {}

    def copyfile(self, source: Any, outputfile: Any) -> None:
        try:
            super().copyfile(source, outputfile)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up on purpose (size cap)

    def do_GET(self) -> None:
        path = urlparse(self.path).path
        type(self).hits[path] = type(self).hits.get(path, 0) + 1
        remaining = type(self).failures.get(path, 0)
        if remaining > 0:
            type(self).failures[path] = remaining - 1
            self.send_error(503, "try later")
            return
        if path.startswith("/endless/"):
            # No Content-Length: the cap must be enforced while streaming.
            self.send_response(200)
            self.end_headers()
            try:
                for _ in range(2000):
                    self.wfile.write(b"x" * 1024)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "mirror"
    (root / "un").mkdir(parents=True)
    shutil.copy(UN_FILE, root / "un" / "consolidated.xml")
    (root / "ofac-sdn").mkdir()
    for official, local in (("SDN.CSV", "sdn.csv"), ("ADD.CSV", "add.csv"), ("ALT.CSV", "alt.csv"),
                            ("SDN_COMMENTS.CSV", "sdn_comments.csv")):
        shutil.copy(SDN_DIR / local, root / "ofac-sdn" / official)

    def handler(*args: object, **kwargs: object) -> _Handler:
        return _Handler(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    _Handler.failures = {}
    _Handler.hits = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_fetch_un_from_mirror(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = mirror
    dest = tmp_path / "out"
    (fetched,) = fetch("un", dest, mirror=base, timeout=10, retries=0)
    assert fetched.name == "consolidated.xml"
    assert fetched.url == f"{base}/un/consolidated.xml"
    assert fetched.sha256 == hashlib.sha256(UN_FILE.read_bytes()).hexdigest()
    assert fetched.size == UN_FILE.stat().st_size
    assert fetched.path.read_bytes() == UN_FILE.read_bytes()
    assert _leftovers(dest) == ["consolidated.xml"]
    assert detect(fetched.path).kind == "un_sc"


def test_fetch_file_set_then_parse(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = mirror
    dest = tmp_path / "sdn"
    fetched = fetch("ofac-sdn", dest, mirror=base, timeout=10, retries=0)
    assert [f.name for f in fetched] == ["SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"]
    for item in fetched:
        expected = (SDN_DIR / item.name.lower()).read_bytes()
        assert item.sha256 == hashlib.sha256(expected).hexdigest()
    parser = detect(dest)
    assert parser.kind == "ofac_csv"
    ids = {r.entity.id for r in parser.parse(dest, ParseMeta()) if r.entity.schema.name not in ("Sanction", "UnknownLink")}
    assert len([i for i in ids if i and i.startswith("us-sdn-")]) == 8976  # the README's count


def test_size_cap_aborts_and_leaves_nothing(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = mirror
    dest = tmp_path / "capped"
    with pytest.raises(DownloadError, match="cap"):
        fetch("un", dest, mirror=base, timeout=10, retries=2, max_bytes=100_000, backoff=0)
    assert _leftovers(dest) == []
    assert _Handler.hits["/un/consolidated.xml"] == 1  # a cap overrun is not retried


def test_size_cap_without_content_length(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = mirror
    dest = tmp_path / "endless"
    with pytest.raises(DownloadError, match="size cap"):
        fetch("un", dest, mirror=f"{base}/endless", timeout=10, retries=0, max_bytes=300_000)
    assert _leftovers(dest) == []


def test_retries_with_backoff(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = mirror
    _Handler.failures["/un/consolidated.xml"] = 2
    (fetched,) = fetch("un", tmp_path / "a", mirror=base, timeout=10, retries=2, backoff=0.01)
    assert fetched.size == UN_FILE.stat().st_size
    assert _Handler.hits["/un/consolidated.xml"] == 3


def test_retries_exhausted(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, _root = mirror
    _Handler.failures["/un/consolidated.xml"] = 5
    dest = tmp_path / "b"
    with pytest.raises(DownloadError, match="2 attempts"):
        fetch("un", dest, mirror=base, timeout=10, retries=1, backoff=0)
    assert _leftovers(dest) == []


def test_missing_file_is_not_retried_and_set_is_all_or_nothing(mirror: tuple[str, Path], tmp_path: Path) -> None:
    base, root = mirror
    (root / "ofac-sdn" / "ALT.CSV").unlink()
    dest = tmp_path / "partial"
    with pytest.raises(DownloadError, match="404"):
        fetch("ofac-sdn", dest, mirror=base, timeout=10, retries=3, backoff=0)
    assert _Handler.hits["/ofac-sdn/ALT.CSV"] == 1
    assert _leftovers(dest) == []  # SDN.CSV and ADD.CSV arrived but were not installed


def test_connection_refused(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="attempts"):
        fetch("un", tmp_path, mirror="http://127.0.0.1:9", timeout=2, retries=1, backoff=0)


def test_unknown_source(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="unknown source"):
        fetch("nope", tmp_path)


def test_official_table() -> None:
    assert {"ofac-sdn", "ofac-cons", "ofac-sdn-xml", "ofac-cons-xml", "ofac-sdn-enhanced",
            "us-csl", "eu-fsf", "uk-fcdo", "un"} <= set(OFFICIAL_SOURCES)
    for source in OFFICIAL_SOURCES.values():
        assert source.doc
        for file in source.files:
            assert file.url.startswith("https://")
    assert OFFICIAL_SOURCES["eu-fsf"].needs_token
    assert OFFICIAL_SOURCES["un"].files[0].url == "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
    from sanctions_ledger.sources import parsers

    assert {s.parser for s in OFFICIAL_SOURCES.values()} <= set(parsers())
