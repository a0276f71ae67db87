"""The public surface: each ``__all__`` is exact and exhaustive, and every CLI command is
documented (like httpx's tests/test_exported_members.py and sqlite-utils' tests/test_docs.py)."""

from __future__ import annotations

import importlib
import types

import pytest

import sanctions_ledger
from sanctions_ledger.cli import app

from .conftest import REPO

PACKAGE = REPO / "src" / "sanctions_ledger"

EXPECTED_ALL = [
    "ChangeEvent",
    "Diff",
    "DownloadError",
    "Hit",
    "IngestReport",
    "InputError",
    "Ledger",
    "LedgerError",
    "LedgerView",
    "MatchError",
    "MatchIndex",
    "NotFoundError",
    "Query",
    "ScreenResult",
    "Screener",
    "Settings",
    "SourceError",
    "StoreError",
    "__version__",
    "compare",
    "diff",
    "ingest",
    "list_parties",
    "screen",
    "screen_file",
    "screen_many",
    "show",
]
"""The library's public names. Changing this list is changing the public API: say so in the
commit, and in the README's Library section when an example uses the name."""


def public_names(module: types.ModuleType) -> set[str]:
    """What ``module`` offers by name: neither private, nor a submodule, nor the
    ``from __future__ import annotations`` flag."""
    return {name for name, value in vars(module).items()
            if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"}


def test_all_is_exactly_the_public_api() -> None:
    assert sanctions_ledger.__all__ == EXPECTED_ALL


def test_all_is_exhaustive_and_resolves() -> None:
    missing = public_names(sanctions_ledger) - set(sanctions_ledger.__all__)
    assert not missing, f"public in sanctions_ledger/__init__.py but not in __all__: {sorted(missing)}"
    unresolved = [name for name in sanctions_ledger.__all__ if not hasattr(sanctions_ledger, name)]
    assert not unresolved, f"in __all__ but not defined: {unresolved}"


def _subpackages() -> list[str]:
    """Every package below sanctions_ledger (a folder with an __init__.py), found on disk so
    that a new one is checked too."""
    return sorted(".".join(("sanctions_ledger", *init.parent.relative_to(PACKAGE).parts))
                  for init in PACKAGE.rglob("__init__.py") if init.parent != PACKAGE)


SUBPACKAGES = _subpackages()


def test_subpackages_are_found() -> None:
    assert {"sanctions_ledger.match", "sanctions_ledger.store", "sanctions_ledger.sources"} <= set(SUBPACKAGES)


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_subpackage_all_is_exhaustive_and_resolves(name: str) -> None:
    module = importlib.import_module(name)
    declared = getattr(module, "__all__", None)
    if declared is None:
        assert not public_names(module), f"{name} offers {sorted(public_names(module))} without an __all__"
        return
    assert len(declared) == len(set(declared)), f"{name}.__all__ repeats a name"
    missing = public_names(module) - set(declared)
    assert not missing, f"public in {name}/__init__.py but not in its __all__: {sorted(missing)}"
    unresolved = [n for n in declared if not hasattr(module, n)]
    assert not unresolved, f"in {name}.__all__ but not defined: {unresolved}"


def test_every_command_is_documented() -> None:
    docs = (REPO / "README.md").read_text() + "".join(p.read_text() for p in (REPO / "docs").glob("*.md"))
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    names += [g.name for g in app.registered_groups if g.name]
    missing = [n for n in names if f"sanctions {n}" not in docs]
    assert not missing, f"commands missing from README/docs: {missing}"


def test_submodules_are_not_shadowed() -> None:
    import sanctions_ledger.history
    import sanctions_ledger.sources

    assert isinstance(sanctions_ledger.history, types.ModuleType)
    assert isinstance(sanctions_ledger.sources, types.ModuleType)
