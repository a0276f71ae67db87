"""The parser contract, the registry of formats and format detection.

A parser is a pure function of the bytes of one official file (or one file set, such as
OFAC's four legacy CSVs): it yields :class:`Record` objects, each a FollowTheMoney entity
tagged with the dataset (the list) it belongs to. Listed parties are Person, Organization,
Company, LegalEntity, Vessel or Airplane entities; each listing is a ``Sanction`` entity
whose ``entity`` property points at the party.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from followthemoney import model
from followthemoney.proxy import EntityProxy

from sanctions_ledger.errors import SourceError

SNIFF_BYTES = 64 * 1024

MAX_FIELD_CHARS = 100_000
"""The longest field a CSV parser reads. followthemoney raises ``csv.field_size_limit`` to
30 MB when it is imported; no official list has a field near this (the longest remarks are a
few thousand characters), and a 10-million-character name would take the matcher down."""
MAX_ID_CHARS = 200
"""The longest entity id (followthemoney's own limit for entity references)."""


def limit_csv_fields() -> None:
    """Set this package's CSV field limit (process-wide: ``csv`` keeps one) before a parser
    reads: a longer field is a ``csv.Error`` ("field larger than field limit (100000)"), which
    each parser reports with its file and line."""
    csv.field_size_limit(MAX_FIELD_CHARS)


@dataclass(frozen=True)
class Record:
    """One entity of one dataset, as a parser produced it."""

    dataset: str
    entity: EntityProxy


@dataclass
class ParseMeta:
    """Facts about the file that a parser learns while reading it."""

    published_at: date | None = None
    notes: list[str] = field(default_factory=list)


class Parser(Protocol):
    """A source format. Implementations are modules-level singletons in ``sources/``."""

    kind: str
    """Short stable name of the format, used by ``--source`` (e.g. ``ofac_csv``)."""
    version: str
    """Bumped whenever output for the same bytes changes; recorded per snapshot."""
    description: str

    def members(self, path: Path) -> list[Path]:
        """All files that make up the snapshot starting at ``path`` (for hashing)."""
        ...

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when ``head`` (the first bytes of ``path``) looks like this format."""
        ...

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        """Stream the records of ``path``; fill ``meta`` as facts are found.

        Raise :class:`SourceError` naming the file and position on bad input.
        """
        ...


_REGISTRY: dict[str, Parser] = {}


def register(parser: Parser) -> Parser:
    if parser.kind in _REGISTRY:
        raise ValueError(f"parser {parser.kind!r} registered twice")
    _REGISTRY[parser.kind] = parser
    return parser


def parsers() -> dict[str, Parser]:
    from sanctions_ledger import sources  # noqa: F401  (imports register every parser)

    return dict(_REGISTRY)


OFFICIAL_DATASETS = frozenset({
    "us_ofac_sdn", "us_ofac_cons", "us_ofac_delta", "eu_fsf", "gb_hmt", "gb_fcdo_sanctions",
    "un_sc_sanctions", "us_trade_csl", "us_bis_dpl",
})
"""The lists that the official formats' parsers write. A parser may add its own with a
``datasets`` attribute; see :func:`official_datasets`."""


def official_datasets() -> frozenset[str]:
    """Every list an official format writes: a file whose records name their own list (FtM)
    may not write into these unless the caller allows it (``store.guard.check_claims``)."""
    declared = {name for parser in parsers().values() if not getattr(parser, "names_own_lists", False)
                for name in getattr(parser, "datasets", ())}
    return OFFICIAL_DATASETS | declared


def get_parser(kind: str) -> Parser:
    all_parsers = parsers()
    if kind not in all_parsers:
        known = ", ".join(sorted(all_parsers))
        raise SourceError(f"unknown source kind {kind!r}; known: {known}")
    return all_parsers[kind]


def read_head(path: Path) -> bytes:
    if path.is_dir():
        return b""
    try:
        with open(path, "rb") as fh:
            return fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror}", str(path)) from exc


def detect(path: Path) -> Parser:
    """Pick the parser for ``path`` from its content (and, for file sets, its siblings)."""
    if not path.exists():
        raise SourceError("no such file or directory", str(path))
    head = read_head(path)
    for parser in parsers().values():
        if parser.sniff(path, head):
            return parser
    raise SourceError(
        "unrecognised format: not one of " + ", ".join(sorted(parsers())) + " (use --source)",
        str(path),
    )


_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


def date_from_path(path: Path) -> date | None:
    """A date written in the file's name or its folder's name (``2021-07-07``, ``20220505``)."""
    for part in (path.name, path.parent.name):
        for match in _DATE_IN_NAME.finditer(part):
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
    return None


def full_date(iso: str | None) -> date | None:
    """A complete ISO day (``2026-02-27``) as a date; partial or invalid dates give None."""
    if iso and len(iso) == 10:
        try:
            return date.fromisoformat(iso)
        except ValueError:
            return None
    return None


def make_entity(schema: str, entity_id: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    return proxy


def make_sanction(
    entity: EntityProxy,
    *,
    authority: str,
    country: str,
    program: list[str] | None = None,
    source_url: str | None = None,
    listing_date: str | None = None,
    authority_id: str | None = None,
    suffix: str = "sanction",
) -> EntityProxy:
    """The ``Sanction`` entity that records one listing of ``entity``."""
    sanction = make_entity("Sanction", f"{entity.id}-{suffix}")
    # Values below are produced by our parsers already clean; skipping FtM's cleaning of
    # constant URLs and names saves a third of the time of a large ingest.
    sanction.add("entity", entity.id, cleaned=True)
    sanction.add("authority", authority, cleaned=True)
    sanction.add("country", country, cleaned=True)
    for prog in program or []:
        sanction.add("program", prog, cleaned=True)
    if source_url:
        sanction.add("sourceUrl", source_url, cleaned=True)
    if listing_date:
        sanction.add("listingDate", listing_date)
    if authority_id:
        sanction.add("authorityId", authority_id)
    return sanction

