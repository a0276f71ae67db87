"""Error hierarchy. Every error carries a human detail and the HTTP status the API maps it to."""

from __future__ import annotations


class LedgerError(Exception):
    """Base class for all errors raised by the library."""

    status: int = 500

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status


class SourceError(LedgerError):
    """A source file could not be read: malformed, truncated, hostile or of the wrong format."""

    status = 422

    def __init__(self, detail: str, path: str | None = None, position: str | None = None) -> None:
        where = ""
        if path:
            where = f"{path}"
            if position:
                where += f" ({position})"
            where += ": "
        super().__init__(f"{where}{detail}")
        self.path = path
        self.position = position


class DownloadError(SourceError):
    """Fetching an official file failed (network, size cap, checksum)."""

    status = 502


class StoreError(LedgerError):
    """The ledger store refused an operation."""

    status = 500


class NotFoundError(LedgerError):
    """An entity, snapshot or dataset is not in the ledger."""

    status = 404


class InputError(LedgerError):
    """A user-supplied argument is invalid (bad date, empty name, unknown schema...)."""

    status = 400


class MatchError(LedgerError):
    """Screening could not run on the given input."""

    status = 422


class UnavailableError(LedgerError):
    """The service cannot take this work now (busy, timed out, index failed); try again later.

    ``retry_after`` (seconds) becomes the HTTP ``Retry-After`` header."""

    status = 503

    def __init__(self, detail: str, retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
