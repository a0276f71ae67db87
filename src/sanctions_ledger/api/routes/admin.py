"""Admin: upload a list file to ingest, or fetch the official lists. Bearer-token protected;
disabled (404) when no token is configured."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from sanctions_ledger.api.deps import JSONBytes, get_service, require_admin
from sanctions_ledger.api.schemas import ErrorResponse, IngestResponse
from sanctions_ledger.errors import InputError, LedgerError
from sanctions_ledger.screening.service import ScreeningService
from sanctions_ledger.service import ingest_file, update_lists
from sanctions_ledger.store import parse_date

router = APIRouter(prefix="/admin", tags=["Admin"], dependencies=[Depends(require_admin)])
AUTH: dict[int | str, dict[str, Any]] = {401: {"model": ErrorResponse, "description": "Missing bearer token"},
        403: {"model": ErrorResponse, "description": "Wrong token"},
        404: {"model": ErrorResponse, "description": "Admin endpoints disabled (no token configured)"},
        413: {"model": ErrorResponse, "description": "Upload too large"},
        422: {"model": ErrorResponse, "description": "Unreadable or unrecognised list file"}}
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
CHUNK = 1 << 20


def _save(files: list[UploadFile], folder: Path) -> Path:
    """Write the uploads under sanitised names; the file itself, or the folder for a set."""
    paths = []
    for n, upload in enumerate(files):
        name = SAFE_NAME.sub("_", Path(upload.filename or f"file{n}").name).lstrip(".") or f"file{n}"
        path = folder / name
        with open(path, "wb") as out:
            shutil.copyfileobj(upload.file, out, CHUNK)
        paths.append(path)
    return paths[0] if len(paths) == 1 else folder


@router.post("/ingest", response_model=IngestResponse, responses=AUTH,
             summary="Upload and ingest one list file (or the files of one set)")
async def admin_ingest(
    service: Annotated[ScreeningService, Depends(get_service)],
    files: Annotated[list[UploadFile], File(description="The official file(s); an OFAC CSV set is its 4 files")],
    source: Annotated[str | None, Form(max_length=40, description="Force the format")] = None,
    observed_at: Annotated[str | None, Form(max_length=20, description="YYYY-MM-DD")] = None,
) -> JSONBytes:
    """Saves the upload to a temporary folder (file names sanitised), ingests it in one transaction
    and returns the ingest report. Running requests keep their snapshot; the next see the new one."""
    if not files or len(files) > 8:
        raise InputError("upload 1 to 8 files", 422)
    # Every field is checked before anything touches the disk, and no path is built from a
    # request field: the folder's name is fixed, the files' names are sanitised.
    try:
        parse_date(observed_at, "observed_at")
    except InputError as exc:
        raise InputError(exc.detail, 422) from None  # a form field, like the others: 422
    with tempfile.TemporaryDirectory(prefix="sanctions-upload-") as tmp:
        folder = Path(tmp) / "upload"
        folder.mkdir()
        target = await run_in_threadpool(_save, files, folder)
        try:
            report = await run_in_threadpool(partial(ingest_file, service, target, kind=source,
                                                     observed_at=observed_at))
        except LedgerError as exc:
            raise _without_folder(exc, folder) from None
    return JSONBytes(report)


def _without_folder(exc: LedgerError, folder: Path) -> LedgerError:
    """The error as the client should see it: files named as uploaded, not by the server's
    temporary path (which says where the server writes, to anyone who asks)."""
    detail = exc.detail.replace(f"{folder}{os.sep}", "").replace(str(folder), "the upload")
    if detail == exc.detail:
        return exc
    return LedgerError(detail, exc.status)


@router.post("/update", responses=AUTH, summary="Download the official lists and ingest them")
async def admin_update(service: Annotated[ScreeningService, Depends(get_service)]) -> JSONBytes:
    """Fetches every configured official list (``sources.download``) and ingests what changed."""
    return JSONBytes(await run_in_threadpool(update_lists, service))
