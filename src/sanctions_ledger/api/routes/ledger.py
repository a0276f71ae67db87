"""The ledger over time: lists as of a date, diffs between dates, the snapshots held."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from followthemoney.types import registry
from starlette.concurrency import run_in_threadpool

from sanctions_ledger import history as hist
from sanctions_ledger import queries
from sanctions_ledger.api.deps import JSONBytes, get_service
from sanctions_ledger.api.schemas import DiffResponse, ErrorResponse, ListsResponse, SourcesResponse
from sanctions_ledger.errors import InputError
from sanctions_ledger.screening.service import ScreeningService, parse_as_of
from sanctions_ledger.store import LedgerView

router = APIRouter(tags=["Ledger"])
BAD: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse, "description": "Invalid parameter"}}
SourceQ = Annotated[list[str], Query(description="List (dataset) name, repeatable", examples=[["us_ofac_sdn"]])]
ProgramQ = Annotated[str | None, Query(max_length=100, description="Program, e.g. BELARUS", examples=["BELARUS"])]
CountryQ = Annotated[str | None, Query(max_length=2, description="ISO 3166-1 alpha-2 code", examples=["by"])]


def _check_filters(service: ScreeningService, source: list[str], country: str | None) -> None:
    unknown = sorted(set(source) - service.datasets())
    if unknown:
        raise InputError(f"unknown list(s): {', '.join(unknown)}", 404)
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise InputError(f"country {country!r} is not an ISO 3166-1 alpha-2 code")


def list_page(service: ScreeningService, as_of: str | None, source: list[str], program: str | None,
              country: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Parties on the lists as of a date, one page (ids first, then only the page's entities)."""
    _check_filters(service, source, country)
    when = parse_as_of(as_of)
    view = LedgerView(service.ledger, when, source or None)
    ids = view.party_ids(program=program, country=country.lower() if country else None)
    page = ids[offset:offset + limit]
    wanted = set(page)
    found = {(d, e.id): e for d, e in view.entities({e for _d, e in page}) if (d, e.id) in wanted}
    results = []
    for key in page:
        ent = found.get(key)
        if ent is None:
            continue
        results.append({"dataset": key[0], "id": key[1], "schema": ent.schema.name, "caption": ent.caption,
                        "program": ent.get("program"), "country": ent.get_type_values(registry.country)})
    return {"as_of": when.isoformat() if when else None, "total": len(ids), "limit": limit,
            "offset": offset, "results": results}


@router.get("/lists", response_model=ListsResponse, responses=BAD,
            summary="Parties on the lists as of a date")
async def lists(
    service: Annotated[ScreeningService, Depends(get_service)],
    as_of: Annotated[str | None, Query(max_length=20, examples=["2021-07-07"])] = None,
    source: SourceQ = [],  # noqa: B006
    program: ProgramQ = None,
    country: CountryQ = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> JSONBytes:
    """Who was listed on ``as_of``, filtered by list, program (prefix match: BELARUS matches
    BELARUS-EO14038) and country; paged with ``limit``/``offset``."""
    return JSONBytes(await run_in_threadpool(list_page, service, as_of, source, program, country,
                                             limit, offset))


def diff_dict(service: ScreeningService, from_: str, to: str | None, source: list[str], program: str | None,
              country: str | None) -> dict[str, Any]:
    _check_filters(service, source, country)
    start = parse_as_of(from_)
    if start is None:
        raise InputError("from must be a date (YYYY-MM-DD)")
    end = parse_as_of(to)
    result = hist.diff(service.ledger, start, end, datasets=source or None, program=program,
                       country=country.lower() if country else None)
    return result.to_dict()


@router.get("/diff", response_model=DiffResponse, responses=BAD,
            summary="Parties added, removed and amended between two dates")
async def diff(
    service: Annotated[ScreeningService, Depends(get_service)],
    from_: Annotated[str, Query(alias="from", max_length=20, examples=["2019-01-15"])],
    to: Annotated[str | None, Query(max_length=20, examples=["2021-07-07"])] = None,
    source: SourceQ = [],  # noqa: B006
    program: ProgramQ = None,
    country: CountryQ = None,
) -> JSONBytes:
    """Per list, the parties added, removed and amended (with field-level old → new values) between
    the snapshots standing on ``from`` and on ``to`` (latest by default)."""
    return JSONBytes(await run_in_threadpool(diff_dict, service, from_, to, source, program, country))


def sources_list(service: ScreeningService) -> list[dict[str, Any]]:
    rows = queries.sources(service.ledger)
    keep = ("dataset", "snapshot_id", "kind", "parties", "entities", "statements", "sha256",
            "parser_version", "full_snapshot")
    out = []
    for row in rows:
        doc = {k: row[k] for k in keep}
        doc["observed_at"] = row["observed_at"].isoformat()
        doc["published_at"] = row["published_at"].isoformat() if row["published_at"] else None
        out.append(doc)
    return out


@router.get("/sources", response_model=SourcesResponse, summary="Every snapshot of every list")
async def sources(service: Annotated[ScreeningService, Depends(get_service)]) -> JSONBytes:
    """The list snapshots the ledger holds, oldest first per list, with counts and hashes."""
    return JSONBytes({"snapshots": await run_in_threadpool(sources_list, service)})
