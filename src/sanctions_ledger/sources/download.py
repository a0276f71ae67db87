"""Fetching the official list files: where they are, and a careful downloader.

Every file is streamed to a temporary file next to its destination, hashed (sha256) while
streaming, capped in size, and renamed into place only when every file of the source has
arrived, so a reader never sees a half-written file or a half-updated file set. Transient
failures (connection errors, timeouts, HTTP 429/5xx) are retried with exponential backoff;
other HTTP errors and size-cap overruns fail at once.

With ``mirror``, files are fetched from ``{mirror}/{source_name}/{file_name}`` instead of the
official host (an internal mirror, or a test server).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from sanctions_ledger.errors import DownloadError

OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"
EU_PUBLIC_TOKEN = "dG9rZW4tMjAxNw"
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
USER_AGENT = "sanctions-ledger/0.1 (+https://github.com/)"


@dataclass(frozen=True)
class OfficialFile:
    name: str
    """File name written to ``dest_dir`` (and the name under a mirror)."""
    url: str
    """Official URL; ``{token}`` is replaced by the source's token."""


@dataclass(frozen=True)
class OfficialSource:
    name: str
    parser: str
    """The parser ``kind`` that reads the files."""
    files: tuple[OfficialFile, ...]
    doc: str
    needs_token: bool = False
    default_token: str | None = None


def _ofac(*names: str) -> tuple[OfficialFile, ...]:
    return tuple(OfficialFile(n, f"{OFAC_EXPORTS}/{n}") for n in names)


OFFICIAL_SOURCES: dict[str, OfficialSource] = {
    s.name: s
    for s in (
        OfficialSource(
            "ofac-sdn", "ofac_csv", _ofac("SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"),
            "OFAC SDN list, legacy CSV set (four files joined on ent_num). OFAC's Sanctions List "
            "Service; the old www.treasury.gov/ofac/downloads/ paths redirect here.",
        ),
        OfficialSource(
            "ofac-cons", "ofac_csv",
            _ofac("CONS_PRIM.CSV", "CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV"),
            "OFAC Consolidated (non-SDN) list, legacy CSV set.",
        ),
        OfficialSource("ofac-sdn-xml", "ofac_xml", _ofac("SDN.XML"), "OFAC SDN list, classic sdnList XML."),
        OfficialSource(
            "ofac-cons-xml", "ofac_xml", _ofac("CONSOLIDATED.XML"),
            "OFAC Consolidated (non-SDN) list, classic sdnList XML.",
        ),
        OfficialSource(
            "ofac-sdn-enhanced", "ofac_enhanced", _ofac("SDN_ENHANCED.XML"),
            "OFAC SDN list, enhanced XML (~100 MB; listing dates per program). The host answers "
            "with a redirect, which is followed.",
        ),
        OfficialSource(
            "us-csl", "us_csl",
            (OfficialFile(
                "consolidated.csv",
                "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
            ),),
            "trade.gov Consolidated Screening List (eleven US export/sanctions lists), CSV. "
            "No key is needed for this download (the CSL search API needs one).",
        ),
        OfficialSource(
            "eu-fsf", "eu_fsf",
            (OfficialFile(
                "xmlFullSanctionsList_1_1.xml",
                "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token={token}",
            ),),
            "EU Financial Sanctions Files, XML 1.1. The URL needs a token: the public one printed "
            "on the FSF page is the default; the Commission can change it, so pass token=... "
            "(a personal token from an FSF account also works).",
            needs_token=True, default_token=EU_PUBLIC_TOKEN,
        ),
        OfficialSource(
            "uk-fcdo", "uk_fcdo",
            (OfficialFile("UK-Sanctions-List.xml", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"),),
            "UK Sanctions List (FCDO), XML; the only official UK list since 28 January 2026.",
        ),
        OfficialSource(
            "un", "un_sc",
            (OfficialFile("consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml"),),
            "UN Security Council Consolidated List, XML.",
        ),
    )
}


@dataclass(frozen=True)
class FetchedFile:
    name: str
    path: Path
    url: str
    sha256: str
    size: int


_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


def _url(source: OfficialSource, file: OfficialFile, mirror: str | None, token: str | None) -> str:
    if mirror:
        return f"{mirror.rstrip('/')}/{source.name}/{file.name}"
    if "{token}" in file.url:
        chosen = token or source.default_token
        if not chosen:
            raise DownloadError(f"source {source.name!r} needs a token", file.url)
        return file.url.replace("{token}", chosen)
    return file.url


def _stream_once(client: httpx.Client, url: str, part: Path, max_bytes: int) -> tuple[str, int]:
    """One attempt: stream ``url`` into ``part``; (sha256, size). Raises httpx errors to retry."""
    digest = hashlib.sha256()
    size = 0
    with client.stream("GET", url) as response:
        if response.status_code in _RETRY_STATUS:
            raise _Retryable(f"HTTP {response.status_code}")
        if response.status_code != 200:
            raise DownloadError(f"HTTP {response.status_code} {response.reason_phrase}", url)
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise DownloadError(f"file is {declared} bytes, over the {max_bytes}-byte cap", url)
        with open(part, "wb") as fh:
            for chunk in response.iter_bytes(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise DownloadError(f"more than {max_bytes} bytes: aborted (size cap)", url)
                digest.update(chunk)
                fh.write(chunk)
    if size == 0:
        raise DownloadError("empty response", url)
    return digest.hexdigest(), size


class _Retryable(Exception):
    pass


def _download(
    client: httpx.Client, url: str, part: Path, *, retries: int, backoff: float, max_bytes: int
) -> tuple[str, int]:
    last = ""
    for attempt in range(retries + 1):
        try:
            return _stream_once(client, url, part, max_bytes)
        except (_Retryable, httpx.TransportError) as exc:
            last = str(exc) or type(exc).__name__
        if attempt < retries:
            time.sleep(backoff * (2**attempt))
    raise DownloadError(f"failed after {retries + 1} attempts: {last}", url)


def fetch(
    source_name: str,
    dest_dir: Path,
    *,
    mirror: str | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    max_bytes: int = DEFAULT_MAX_BYTES,
    backoff: float = 1.0,
    token: str | None = None,
) -> list[FetchedFile]:
    """Download every file of ``source_name`` into ``dest_dir``; all of them or none."""
    source = OFFICIAL_SOURCES.get(source_name)
    if source is None:
        raise DownloadError(f"unknown source {source_name!r}; known: {', '.join(sorted(OFFICIAL_SOURCES))}")
    dest_dir.mkdir(parents=True, exist_ok=True)
    parts: list[tuple[OfficialFile, Path, str, str, int]] = []
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=True, headers={"User-Agent": USER_AGENT}
        ) as client:
            for file in source.files:
                url = _url(source, file, mirror, token)
                fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".part", dir=dest_dir)
                os.close(fd)
                part = Path(tmp)
                parts.append((file, part, url, "", 0))
                digest, size = _download(client, url, part, retries=retries, backoff=backoff, max_bytes=max_bytes)
                parts[-1] = (file, part, url, digest, size)
    except BaseException:
        for _file, part, *_rest in parts:
            part.unlink(missing_ok=True)
        raise
    fetched = []
    for file, part, url, digest, size in parts:
        final = dest_dir / file.name
        os.replace(part, final)
        fetched.append(FetchedFile(file.name, final, url, digest, size))
    return fetched
