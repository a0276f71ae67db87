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
    app()


__all__ = ["app", "main"]
