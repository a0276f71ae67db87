"""The published exports: an OpenSanctions-style dataset index that a yente deployment can
load (``/exports/catalog.json`` in its manifest), and the files it links (docs/export.md)."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse

from sanctions_ledger.api.deps import JSONBytes, service_of
from sanctions_ledger.api.schemas import ErrorResponse
from sanctions_ledger.export.publish import Publisher

router = APIRouter(prefix="/exports", tags=["Exports"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorResponse, "description": "Nothing published (empty ledger) or no such file"}}
_LOCK = threading.Lock()


def _publisher(request: Request) -> Publisher:
    """One publisher per app (its ledger and cache folder), made on first use."""
    state = request.app.state
    with _LOCK:
        publisher: Publisher | None = getattr(state, "exports", None)
        if publisher is None:
            publisher = state.exports = Publisher(service_of(request).ledger)
    return publisher


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/index.json", responses=ERRORS, summary="Dataset index (OpenSanctions' index.json)")
async def index(request: Request) -> JSONBytes:
    """The collection ``sanctions_ledger`` as of the latest snapshots: version, last change, the
    lists, and resources (FtM entities, FtM statements) with URL, SHA1 checksum and media type;
    ``delta_url`` names the delta index. The first call after an ingest builds the files."""
    publisher = _publisher(request)
    return JSONBytes(await run_in_threadpool(publisher.index, _base(request)))


@router.get("/catalog.json", responses=ERRORS, summary="Catalog for a yente manifest")
async def catalog(request: Request) -> JSONBytes:
    """``{"datasets": [...]}``: the collection and one entry per list, for a yente manifest's
    ``catalogs:`` (with ``scope: sanctions_ledger`` and ``resource_name: entities.ftm.json``)."""
    publisher = _publisher(request)
    return JSONBytes(await run_in_threadpool(publisher.catalog, _base(request)))


@router.get("/delta.json", responses=ERRORS, summary="Delta index (yente's delta_url)")
async def delta_index(request: Request) -> JSONBytes:
    """``{"versions": {version: url}}``: the delta file into each version from the one before."""
    publisher = _publisher(request)
    return JSONBytes(await run_in_threadpool(publisher.delta_index, _base(request)))


@router.get("/files/{name}", responses=ERRORS, summary="A published file", include_in_schema=False)
async def published_file(request: Request,
                         name: Annotated[str, Path(max_length=120)]) -> FileResponse:
    """A file the indexes link; its name holds the digest of the snapshots it rests on, so it
    never changes and may be cached forever."""
    publisher = _publisher(request)
    path, media_type = await run_in_threadpool(publisher.file, name)
    return FileResponse(path, media_type=media_type, filename=name,
                        headers={"cache-control": "public, max-age=31536000, immutable"})
