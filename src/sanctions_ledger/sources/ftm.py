"""FollowTheMoney JSON lines (OpenSanctions exports): one entity per line with its datasets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import orjson
from followthemoney import model
from followthemoney.exc import InvalidData

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import MAX_ID_CHARS, ParseMeta, Record, date_from_path, register

_HEAD = re.compile(rb'^\s*\{\s*"(id|schema|caption|properties|datasets)"\s*:')
DEFAULT_DATASET = "ftm"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]*")
"""A list (dataset) name: what a file may call its lists (stored and shown as given)."""


def _text(data: dict[str, object], key: str, limit: int, what: str) -> str:
    """A required string field: present, a string, not blank, at most ``limit`` characters
    (an id of 100,000 characters, ``true`` or ``{"a": 1}`` is refused, not stored as text)."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} must be a non-empty string (the {what}), not {_shown(value)}")
    if len(value) > limit:
        raise ValueError(f"{key!r} is {len(value):,} characters long; the limit is {limit}")
    return value


def _shown(value: object) -> str:
    if value is None:
        return "missing"
    text = orjson.dumps(value).decode()
    return f"{type(value).__name__} {text[:40]}{'…' if len(text) > 40 else ''}"


def _datasets(data: dict[str, object]) -> list[str]:
    datasets = data.get("datasets") or [DEFAULT_DATASET]
    if not isinstance(datasets, list):
        raise ValueError(f"'datasets' must be a list of list names, not {_shown(datasets)}")
    for name in datasets:
        if not isinstance(name, str) or len(name) > 100 or not _NAME.fullmatch(name):
            raise ValueError(f"'datasets' holds {_shown(name)}: a list name is letters, digits and _.:- "
                             "(at most 100 characters)")
    return datasets


def _properties(props: object) -> None:
    """``properties`` maps property names to lists of strings (followthemoney would turn a
    number, a dict or a bare string into text and store it)."""
    if not isinstance(props, dict):
        raise ValueError(f"'properties' must be an object, not {_shown(props)}")
    for prop, values in props.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"property {str(prop)[:40]!r} must be a list of strings, not {_shown(values)}")


class FtmParser:
    kind = "ftm"
    version = "1"
    description = "FollowTheMoney JSON lines (OpenSanctions entity exports)"
    names_own_lists = True
    """Each line names its lists itself: the store lets it write into an official list only
    when the caller allows that list (``store.guard.check_claims``)."""

    def members(self, path: Path) -> list[Path]:
        return [path]

    def sniff(self, path: Path, head: bytes) -> bool:
        if path.is_dir():
            return False
        return bool(_HEAD.match(head)) and b'"schema"' in head

    def parse(self, path: Path, meta: ParseMeta) -> Iterator[Record]:
        meta.published_at = date_from_path(path)
        with open(path, "rb") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    data = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise SourceError(f"invalid JSON: {exc}", str(path), f"line {lineno}") from exc
                if not isinstance(data, dict):
                    raise SourceError(f"each line must be a JSON object, not {_shown(data)}", str(path),
                                      f"line {lineno}")
                try:
                    _text(data, "id", MAX_ID_CHARS, "entity id")
                    _text(data, "schema", 100, "FtM schema name")
                    datasets = _datasets(data)
                    _properties(data.get("properties", {}))
                    proxy = model.get_proxy(data, cleaned=False)
                except (InvalidData, TypeError, ValueError, KeyError, AttributeError) as exc:
                    raise SourceError(f"not a FtM entity: {exc}", str(path), f"line {lineno}") from exc
                for dataset in datasets:
                    yield Record(dataset, proxy)


PARSER = register(FtmParser())
