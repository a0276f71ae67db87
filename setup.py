"""Build hook: compiles the name matcher's hot modules to C with mypyc, and its array
loops (``_kernels.pyx``) with Cython.

The mypyc modules are ordinary typed Python (mypy-clean), and run unchanged, only slower,
when they are not compiled; the Cython loops have numpy versions in ``kernels.py``. Set
``SANCTIONS_LEDGER_PURE=1`` to skip compiling; a machine without a C compiler or Python
headers falls back to the pure modules with a warning.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

COMPILED = ("tokens", "abbreviations", "align", "names", "keys", "national", "score", "normalise", "reach",
            "retrieve", "prescore", "rank")
"""Modules of ``sanctions_ledger.match`` compiled with mypyc (see docs/matching.md)."""
SOURCES = [f"src/sanctions_ledger/match/{name}.py" for name in COMPILED]
KERNELS = "src/sanctions_ledger/match/_kernels.pyx"


def _warn(message: str) -> None:
    print(f"sanctions-ledger: {message}; that part of the matcher runs as pure Python",
          file=sys.stderr)


def _ext_modules() -> list[Any]:
    if os.environ.get("SANCTIONS_LEDGER_PURE"):
        return []
    modules: list[Any] = []
    try:
        from mypyc.build import mypycify

        modules += mypycify(SOURCES, opt_level="3", debug_level="0")
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - mypyc exits on a type error
        _warn(f"mypyc could not compile the matcher ({exc})")
    try:
        from Cython.Build import cythonize

        kernels = Extension("sanctions_ledger.match._kernels", [KERNELS])
        modules += cythonize([kernels], quiet=True)
    except Exception as exc:  # noqa: BLE001
        _warn(f"Cython could not compile the array loops ({exc})")
    return modules


class OptionalBuildExt(build_ext):
    """Builds the compiled modules, or leaves the pure ones in place if that fails."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001
            for ext in self.extensions:
                Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)
            _warn(f"the C compiler failed ({exc})")


setup(ext_modules=_ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
