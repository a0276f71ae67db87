"""FollowTheMoney JSON lines (OpenSanctions exports): one entity per line with its datasets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import orjson
from followthemoney import model
from followthemoney.exc import InvalidData

from sanctions_ledger.errors import SourceError
from sanctions_ledger.sources.base import ParseMeta, Record, date_from_path, register

_HEAD = re.compile(rb'^\s*\{\s*"(id|schema|caption|properties|datasets)"\s*:')
DEFAULT_DATASET = "ftm"


class FtmParser:
    kind = "ftm"
    version = "1"
    description = "FollowTheMoney JSON lines (OpenSanctions entity exports)"

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
                if not isinstance(data, dict) or not data.get("id") or not data.get("schema"):
                    raise SourceError("each line must be an object with id and schema", str(path), f"line {lineno}")
                try:
                    proxy = model.get_proxy(data, cleaned=False)
                except (InvalidData, TypeError, ValueError, KeyError) as exc:
                    raise SourceError(f"not a FtM entity: {exc}", str(path), f"line {lineno}") from exc
                datasets = data.get("datasets") or [DEFAULT_DATASET]
                if not isinstance(datasets, list):
                    raise SourceError("datasets must be a list", str(path), f"line {lineno}")
                for dataset in datasets:
                    yield Record(str(dataset), proxy)


PARSER = register(FtmParser())
