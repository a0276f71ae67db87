"""Fetching the official list files: where they are, and a careful downloader.

Every file is streamed to a temporary file next to its destination, hashed (sha256) while
streaming, capped in size, and renamed into place only when every file of the source has
arrived, so a reader never sees a half-written file or a half-updated file set. Transient
failures (connection errors, timeouts, HTTP 429/5xx) are retried with exponential backoff;
other HTTP errors and size-cap overruns fail at once.

With ``mirror``, files are fetched from ``{mirror}/{source_name}/{file_name}`` instead of the
official host (an internal mirror, or a test server).

What arrives is checked, not only recorded:

* every URL, and every redirect, must be ``https``; a redirect may only go to the same host
  or to a host listed for the source (``OfficialSource.redirect_hosts``, or ``redirect_hosts=``);
  plain ``http`` is refused except to a loopback address (a mirror on this machine);
* a mirror publishes ``SHA256SUMS`` at its root (``<sha256>  <source>/<file>`` lines, as
  ``sha256sum`` writes them): each file must be listed there and match. A mirror without one
  is refused, except on a loopback address, where the manifest is checked when present;
* a source that publishes checksums of its own (``OfficialSource.checksums``), or the
  publisher's checksums given by the caller (``checksums=``: a URL or a saved copy, e.g. OFAC's
  "Hash Values for List Content Assurance" page), is checked against them: a manifest of the
  same form, or a page of hash values (:func:`sources.manifest.parse_hash_page`). Each file
  must be listed there and match, or the whole source is refused.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from sanctions_ledger.errors import DownloadError
from sanctions_ledger.sources.manifest import MANIFEST, MAX_MANIFEST_BYTES, parse_checksums
from sanctions_ledger.sources.manifest import parse_manifest as _parse_manifest

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
    redirect_hosts: tuple[str, ...] = ()
    """Hosts besides the file's own that a redirect may lead to (https only)."""
    checksums: str | None = None
    """URL of the checksums the source publishes for its files, if any (a ``SHA256SUMS``-style
    manifest or a page of hash values)."""


OFAC_HOSTS = ("sanctionslistservice.ofac.treas.gov", "sanctionslist.ofac.treas.gov", "ofac.treasury.gov")
"""OFAC's hosts: the export URLs answer with redirects among them."""


def _ofac(*names: str) -> tuple[OfficialFile, ...]:
    return tuple(OfficialFile(n, f"{OFAC_EXPORTS}/{n}") for n in names)


OFFICIAL_SOURCES: dict[str, OfficialSource] = {
    s.name: s
    for s in (
        OfficialSource(
            "ofac-sdn", "ofac_csv", _ofac("SDN.CSV", "ADD.CSV", "ALT.CSV", "SDN_COMMENTS.CSV"),
            "OFAC SDN list, legacy CSV set (four files joined on ent_num). OFAC's Sanctions List "
            "Service; the old www.treasury.gov/ofac/downloads/ paths redirect here.",
            redirect_hosts=OFAC_HOSTS,
        ),
        OfficialSource(
            "ofac-cons", "ofac_csv",
            _ofac("CONS_PRIM.CSV", "CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV"),
            "OFAC Consolidated (non-SDN) list, legacy CSV set.", redirect_hosts=OFAC_HOSTS,
        ),
        OfficialSource("ofac-sdn-xml", "ofac_xml", _ofac("SDN.XML"), "OFAC SDN list, classic sdnList XML.",
                       redirect_hosts=OFAC_HOSTS),
        OfficialSource(
            "ofac-cons-xml", "ofac_xml", _ofac("CONSOLIDATED.XML"),
            "OFAC Consolidated (non-SDN) list, classic sdnList XML.", redirect_hosts=OFAC_HOSTS,
        ),
        OfficialSource(
            "ofac-sdn-enhanced", "ofac_enhanced", _ofac("SDN_ENHANCED.XML"),
            "OFAC SDN list, enhanced XML (~100 MB; listing dates per program). The host answers "
            "with a redirect, which is followed (to OFAC's own hosts, https only).",
            redirect_hosts=OFAC_HOSTS,
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
_REDIRECT_STATUS = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5


def is_loopback(url: str) -> bool:
    """Whether ``url`` points at this machine (127.0.0.0/8, ::1 or localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> None:
    """Refuse anything but https, and plain http except to a loopback address."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "https" or (scheme == "http" and is_loopback(url)):
        return
    if scheme == "http":
        raise DownloadError("plain http is refused (the file could be altered on the way): use https, "
                            "or a mirror on a loopback address", url)
    raise DownloadError(f"URL scheme {scheme or '(none)'!r} is refused: https only", url)


@dataclass(frozen=True)
class _Policy:
    """Where the redirects of one file may lead."""

    hosts: frozenset[str]

    def follow(self, url: str, location: str | None) -> str:
        if not location:
            raise DownloadError("redirect without a Location", url)
        target = urljoin(url, location)
        check_url(target)
        host = (urlsplit(target).hostname or "").lower()
        if host != (urlsplit(url).hostname or "").lower() and host not in self.hosts:
            raise DownloadError(f"redirect to {host or target!r} refused: not this source's host "
                                f"(allowed: {', '.join(sorted(self.hosts)) or 'the same host only'})", url)
        return target


def _stream_once(client: httpx.Client, url: str, part: Path, max_bytes: int,
                 policy: _Policy) -> tuple[str, int]:
    """One attempt: stream ``url`` (following allowed redirects) into ``part``; (sha256, size).
    Raises httpx errors to retry."""
    digest = hashlib.sha256()
    size = 0
    for _hop in range(MAX_REDIRECTS + 1):
        with client.stream("GET", url) as response:
            if response.status_code in _REDIRECT_STATUS:
                url = policy.follow(url, response.headers.get("location"))
                continue
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
            break
    else:
        raise DownloadError(f"more than {MAX_REDIRECTS} redirects", url)
    if size == 0:
        raise DownloadError("empty response", url)
    return digest.hexdigest(), size


class _Retryable(Exception):
    pass


def _url(source: OfficialSource, file: OfficialFile, mirror: str | None, token: str | None) -> str:
    if mirror:
        return f"{mirror.rstrip('/')}/{source.name}/{file.name}"
    if "{token}" in file.url:
        chosen = token or source.default_token
        if not chosen:
            raise DownloadError(f"source {source.name!r} needs a token", file.url)
        return file.url.replace("{token}", chosen)
    return file.url


def _download(
    client: httpx.Client, url: str, part: Path, *, retries: int, backoff: float, max_bytes: int,
    policy: _Policy,
) -> tuple[str, int]:
    last = ""
    for attempt in range(retries + 1):
        try:
            return _stream_once(client, url, part, max_bytes, policy)
        except (_Retryable, httpx.TransportError) as exc:
            last = str(exc) or type(exc).__name__
        if attempt < retries:
            time.sleep(backoff * (2**attempt))
    raise DownloadError(f"failed after {retries + 1} attempts: {last}", url)


def parse_manifest(text: str, where: str) -> dict[str, str]:
    """``SHA256SUMS`` lines as path -> sha256 (see :func:`sources.manifest.parse_manifest`)."""
    return _parse_manifest(text, where, DownloadError)


def _fetch_text(client: httpx.Client, url: str, dest_dir: Path, *, retries: int, backoff: float,
                max_bytes: int, policy: _Policy) -> str:
    """A small text file (a checksum manifest or page) at ``url``, through a temporary file in
    ``dest_dir`` that is removed whatever happens; at most ``max_bytes``."""
    fd, tmp = tempfile.mkstemp(prefix=".checksums.", suffix=".part", dir=dest_dir)
    os.close(fd)
    part = Path(tmp)
    try:
        _download(client, url, part, retries=retries, backoff=backoff, max_bytes=max_bytes, policy=policy)
        return part.read_text(encoding="utf-8", errors="replace")
    finally:
        part.unlink(missing_ok=True)


def _manifest(client: httpx.Client, url: str, dest_dir: Path, *, required: bool, retries: int,
              backoff: float, max_bytes: int, policy: _Policy) -> dict[str, str] | None:
    """The manifest at ``url``; None when it is absent (HTTP 404) and not ``required``."""
    try:
        text = _fetch_text(client, url, dest_dir, retries=retries, backoff=backoff,
                           max_bytes=min(max_bytes, MAX_MANIFEST_BYTES), policy=policy)
    except DownloadError as exc:
        if not required and "HTTP 404" in exc.detail:
            return None
        if "HTTP 404" in exc.detail:
            raise DownloadError(f"the mirror publishes no {MANIFEST}: its files cannot be verified "
                                f"(a mirror must list '<sha256>  <source>/<file>' in {MANIFEST} at its root)",
                                url) from exc
        raise
    return parse_manifest(text, url)


def _published(client: httpx.Client, where: str, names: list[str], dest_dir: Path, *, retries: int,
               backoff: float, policy: _Policy) -> dict[str, str]:
    """The publisher's checksums of ``names`` from ``where``: a URL, or a saved copy on disk."""
    if "://" not in where:
        path = Path(where)
        try:
            if path.stat().st_size > MAX_MANIFEST_BYTES:
                raise DownloadError(f"over {MAX_MANIFEST_BYTES} bytes: not a page of checksums", where)
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise DownloadError(f"cannot read the checksums: {exc}", where) from exc
    else:
        check_url(where)
        text = _fetch_text(client, where, dest_dir, retries=retries, backoff=backoff,
                           max_bytes=MAX_MANIFEST_BYTES, policy=policy)
    sums = parse_checksums(text, names, where, DownloadError)
    if not sums:
        raise DownloadError(f"no SHA-256 value for any of {', '.join(names)} found there: "
                            "the downloads cannot be verified against it", where)
    return sums


def _verify(sums: dict[str, str] | None, key: str, digest: str, url: str, what: str) -> None:
    if sums is None:
        return
    expected = sums.get(key)
    if expected is None:
        raise DownloadError(f"{key} is not listed in the {what}: refused", url)
    if expected != digest:
        raise DownloadError(f"sha256 {digest} does not match the {what} ({expected}): refused", url)


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
    redirect_hosts: Collection[str] = (),
    checksums: str | None = None,
) -> list[FetchedFile]:
    """Download every file of ``source_name`` into ``dest_dir``; all of them or none, each
    verified as the module says (https, redirects, the mirror's and the publisher's checksums;
    ``checksums`` names the publisher's, a URL or a file, when the source has none wired)."""
    source = OFFICIAL_SOURCES.get(source_name)
    if source is None:
        raise DownloadError(f"unknown source {source_name!r}; known: {', '.join(sorted(OFFICIAL_SOURCES))}")
    if mirror:
        check_url(mirror)
    policy = _Policy(frozenset(h.lower() for h in (*source.redirect_hosts, *redirect_hosts)))
    dest_dir.mkdir(parents=True, exist_ok=True)
    parts: list[tuple[OfficialFile, Path, str, str, int]] = []
    try:
        with httpx.Client(
            timeout=httpx.Timeout(timeout), follow_redirects=False, headers={"User-Agent": USER_AGENT}
        ) as client:
            sums: dict[str, str] | None = None
            if mirror:
                manifest = f"{mirror.rstrip('/')}/{MANIFEST}"
                check_url(manifest)
                sums = _manifest(client, manifest, dest_dir, required=not is_loopback(mirror),
                                 retries=retries, backoff=backoff, max_bytes=max_bytes, policy=policy)
            publisher = checksums or source.checksums
            own = (_published(client, publisher, [f.name for f in source.files], dest_dir, retries=retries,
                              backoff=backoff, policy=policy) if publisher else None)
            for file in source.files:
                url = _url(source, file, mirror, token)
                check_url(url)
                fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".part", dir=dest_dir)
                os.close(fd)
                part = Path(tmp)
                parts.append((file, part, url, "", 0))
                digest, size = _download(client, url, part, retries=retries, backoff=backoff,
                                         max_bytes=max_bytes, policy=policy)
                _verify(sums, f"{source.name}/{file.name}", digest, url, f"mirror's {MANIFEST}")
                _verify(own, file.name, digest, url, f"publisher's checksums ({publisher})")
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
