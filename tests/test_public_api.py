"""The public surface: __all__ is exhaustive and every CLI command is documented."""

from __future__ import annotations

import types

import sanctions_ledger
from sanctions_ledger.cli import app

from .conftest import REPO


def test_all_is_exhaustive() -> None:
    public = {name for name, value in vars(sanctions_ledger).items()
              if not name.startswith("_") and not isinstance(value, types.ModuleType)
              and name not in ("annotations",)}
    assert public <= set(sanctions_ledger.__all__) | {"__version__"}
    for name in sanctions_ledger.__all__:
        assert hasattr(sanctions_ledger, name), name


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
