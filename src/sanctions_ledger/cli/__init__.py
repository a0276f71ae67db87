"""The ``sanctions`` command. Each submodule registers its commands on the shared app;
every command is a short wrapper over the library."""

from __future__ import annotations

import importlib
import pkgutil

from sanctions_ledger.cli.common import app

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name != "common":
        importlib.import_module(f"{__name__}.{_info.name}")


def main() -> None:
    from sanctions_ledger.settings import SettingsError

    try:
        app()
    except SettingsError as exc:  # a bad environment variable: say which, no traceback
        import typer

        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None


__all__ = ["app", "main"]
