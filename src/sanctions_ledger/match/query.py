"""Checking and cleaning what a caller asks to screen."""

from __future__ import annotations

import re
import unicodedata

from sanctions_ledger.errors import InputError
from sanctions_ledger.match.types import PARTY_SCHEMATA, Query

__all__ = ["MAX_NAME_LENGTH", "validate_query"]

MAX_NAME_LENGTH = 1000
_SCHEMATA = PARTY_SCHEMATA | {"Any", "Thing", "LegalEntity"}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_DROP = {"Cc", "Cf", "Co", "Cs", "Cn"}


def _strip(text: str) -> str:
    if text.isprintable():
        # Nothing to drop, and the ASCII space is the only printable separator.
        return " ".join(text.split())
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in _DROP:
            if ch in "\t\n\r":
                out.append(" ")
            continue
        out.append(" " if cat in ("Zs", "Zl", "Zp") else ch)
    return " ".join("".join(out).split())


def validate_query(q: Query) -> Query:
    """Return ``q`` with control, NUL and invisible characters removed from its fields.

    Raises :class:`InputError` when the name is empty, longer than 1000 characters, or has
    no letter or digit; or when schema, birth date or country are malformed.
    """
    if not isinstance(q.name, str):
        raise InputError("name must be a string")
    if len(q.name) > MAX_NAME_LENGTH:
        raise InputError(f"name longer than {MAX_NAME_LENGTH} characters")
    name = _strip(q.name)
    if not name:
        raise InputError("name is empty")
    if not any(ch.isalnum() for ch in name):
        raise InputError("name has no letters or digits")
    schema = (q.schema or "Any").strip()
    if schema not in _SCHEMATA:
        raise InputError(f"unknown schema {schema!r}; use one of {', '.join(sorted(_SCHEMATA))}")
    birth_date = _strip(q.birth_date) if q.birth_date else None
    if birth_date and not _DATE.match(birth_date):
        raise InputError(f"birth date {birth_date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    country = _strip(q.country).lower() if q.country else None
    if country and not _COUNTRY.match(country):
        raise InputError(f"country {country!r} is not an ISO 3166-1 alpha-2 code")
    identifier = _strip(q.identifier) if q.identifier else None
    if identifier is not None and len(identifier) > 100:
        raise InputError("identifier longer than 100 characters")
    cleaned = (name, schema, birth_date or None, country or None, identifier or None)
    if cleaned == (q.name, q.schema, q.birth_date, q.country, q.identifier):
        return q  # the usual case: nothing to clean (dataclasses.replace costs microseconds)
    return Query(*cleaned)
