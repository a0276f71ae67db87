"""Reading query files (CSV, JSON lines, Parquet) and writing hit files.

CSV input comes from spreadsheets as often as from programs: Excel writes UTF-8 with a BOM,
Windows-1252 / Latin-1 ("CSV") or UTF-16 with a BOM and tabs ("Unicode text"), and European
locales separate with semicolons. The encoding and the delimiter are detected; a file that is
not text (a workbook, an archive) is a clear error naming the file, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from sanctions_ledger.errors import InputError
from sanctions_ledger.screening.engines.plan import OUTPUT_COLUMNS, check_columns

OUTPUT_KINDS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
                ".parquet": "parquet", ".pq": "parquet"}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SNIFF = 1 << 20
_BINARY = "not a text CSV file (a spreadsheet workbook or other binary file?): save it as CSV"


def input_kind(path: Path) -> str:
    """``parquet``, ``jsonl`` or ``csv`` (any other extension: CSV, its content is checked)."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    return "csv"


def output_kind(path: Path) -> str:
    """The format of an output file by its extension; an unknown one (``.xlsx``) is an error
    before anything is screened, rather than CSV written under a name that says otherwise."""
    kind = OUTPUT_KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: unknown output extension {path.suffix or '(none)'!r}; "
                         f"use one of {', '.join(sorted(OUTPUT_KINDS))}")
    return kind


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is written: its text encoding and its delimiter."""

    encoding: str
    delimiter: str

    @property
    def plain(self) -> bool:
        """UTF-8 without a BOM, comma separated: what any CSV reader (Spark's) reads as is."""
        return self.encoding == "utf-8" and self.delimiter == ","


def csv_dialect(path: Path) -> CsvDialect:
    """Detect the encoding (a BOM; else UTF-8 if the whole file decodes; else the best guess of
    charset-normalizer) and the delimiter (comma, semicolon or tab, from the header line)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF)
            encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
            if encoding is None:
                if b"\x00" in head:
                    raise InputError(f"{path}: {_BINARY}")
                encoding = "utf-8" if _is_utf8(head, fh) else _guess(path, head)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    text = head.decode(encoding, errors="replace")
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header.count)
    return CsvDialect(encoding, delimiter if header.count(delimiter) else ",")


def _is_utf8(head: bytes, rest: io.BufferedReader) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head)
        while chunk := rest.read(_SNIFF):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _guess(path: Path, head: bytes) -> str:
    """The encoding of a non-UTF-8 text file. Short files fit several single-byte code pages
    equally well (a few accented names), so Windows-1252, what Excel's "CSV" is on Western
    Windows, is taken whenever charset-normalizer finds it plausible; else its best guess."""
    from charset_normalizer import from_bytes

    found = from_bytes(head)
    if found.best() is None:
        raise InputError(f"{path}: {_BINARY}")
    names = [m.encoding for m in found]
    if "cp1252" in names or "latin_1" in names or "ascii" in names:
        return "cp1252"
    best = found.best()  # narrowed here, not with a type: ignore: the compiled build checks this
    if best is None:    # module without charset-normalizer installed, where the ignore is unused
        raise InputError(f"{path}: {_BINARY}")
    return str(best.encoding)


def parquet_columns(path: Path) -> list[str]:
    """The column names of a Parquet file; a file that is not Parquet is a clear error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return list(pq.read_schema(path).names)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a Parquet file ({exc})") from exc


def read_queries(path: Path) -> Iterator[dict[str, Any]]:
    """Query rows with at least ``name``. The file, its format, encoding and columns are
    checked here, before the first row is asked for; errors name the file (and line)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file of queries")
    kind = input_kind(path)
    if kind == "parquet":
        check_columns(str(path), parquet_columns(path))
        return _parquet_rows(path)
    if kind == "jsonl":
        return _jsonl_rows(path)
    dialect = csv_dialect(path)
    with _open_csv(path, dialect) as fh:
        try:
            header = next(csv.reader(fh, delimiter=dialect.delimiter), [])
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: line 1: {exc} (read as {dialect.encoding})") from exc
    check_columns(str(path), [c.strip().lstrip("\ufeff") for c in header])
    return _csv_rows(path, dialect)


def _parquet_rows(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    for batch in pq.read_table(path).to_batches(10_000):
        yield from batch.to_pylist()


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    return (row for _lineno, row in numbered_jsonl_rows(path))


def numbered_jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) of a JSON lines file; blank lines skipped, any other line that
    is not a JSON object raises :class:`InputError` naming the file and line."""
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputError(f"{path}: line {lineno}: invalid JSON ({exc})") from exc
            if not isinstance(row, dict):
                raise InputError(f"{path}: line {lineno}: expected a JSON object")
            yield lineno, row


def _open_csv(path: Path, dialect: CsvDialect) -> io.TextIOWrapper:
    encoding = "utf-8-sig" if dialect.encoding == "utf-8" else dialect.encoding
    return open(path, encoding=encoding, errors="strict", newline="")


def _csv_rows(path: Path, dialect: CsvDialect) -> Iterator[dict[str, Any]]:
    with _open_csv(path, dialect) as fh:
        reader = csv.DictReader(fh, delimiter=dialect.delimiter)
        try:
            reader.fieldnames = [c.strip().lstrip("\ufeff") for c in reader.fieldnames or []]
            yield from reader
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: line {reader.line_num}: {exc} (read as {dialect.encoding})") from exc


def write_hits(path: Path, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write hit rows atomically (temp file, then rename); returns the row count."""
    tmp = path.with_name(path.name + ".partial")
    kind = output_kind(path)
    try:
        count = _write(tmp, kind, rows)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    return count


def _write(tmp: Path, kind: str, rows: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    if kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        data = list(rows)
        count = len(data)
        pq.write_table(pa.Table.from_pylist(data) if data else pa.table({c: [] for c in OUTPUT_COLUMNS}), tmp)
    elif kind == "jsonl":
        with open(tmp, "wb") as fh:
            for row in rows:
                fh.write(orjson.dumps(row) + b"\n")
                count += 1
    else:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(OUTPUT_COLUMNS), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
    return count
