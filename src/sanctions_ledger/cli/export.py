"""``sanctions export``: the lists as of a date, or the change between two dates, as files the
FollowTheMoney ecosystem reads (see docs/export.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sanctions_ledger.cli.common import AsOfOpt, SourceOpt, StoreOpt, app, fail, open_ledger
from sanctions_ledger.errors import InputError, LedgerError

FORMATS_HELP = ("ftm (FtM entities, one JSON object per line, as OpenSanctions' entities.ftm.json), "
                "statements (FtM statement CSV with first_seen/last_seen), csv or parquet (a flat "
                "table), delta (yente's entity operations; needs --from)")


@app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", metavar="PATH", help="File to write (atomically: "
                                      "nothing is left behind on an error)")],
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help=FORMATS_HELP)] = "ftm",
    as_of: AsOfOpt = None,
    start: Annotated[str | None, typer.Option("--from", metavar="DATE", help="delta: the date to start from")] = None,
    end: Annotated[str | None, typer.Option("--to", metavar="DATE", help="delta: the date to reach (default: latest)")] = None,
    source: SourceOpt = None,
    store: StoreOpt = None,
) -> None:
    """Write the lists as they stood on a date (--as-of), or the change between two dates
    (--from/--to, --format delta), for yente, nomenklatura, Aleph or a warehouse.

    The same ledger always gives the same bytes.
    """
    from sanctions_ledger.export import FORMATS, export, export_delta

    try:
        if fmt == "delta":
            if as_of is not None:
                raise InputError("--format delta takes --from and --to, not --as-of")
            if start is None:
                raise InputError("--format delta needs --from DATE (and --to DATE, default latest)")
        elif start is not None or end is not None:
            raise InputError("--from/--to are for --format delta; a full export takes --as-of")
        elif fmt not in FORMATS:
            raise InputError(f"unknown --format {fmt!r}; use one of {', '.join((*FORMATS, 'delta'))}")
        with open_ledger(store, read_only=True) as ledger:
            if fmt == "delta":
                assert start is not None
                typer.echo(export_delta(ledger, out, start, end, source).summary())
            else:
                report = export(ledger, out, fmt, as_of, source)
                typer.echo(report.summary())
                for note in report.notes:
                    typer.echo(f"note: {note}")
    except LedgerError as exc:
        fail(exc)
