"""Every command and sub-command of ``sanctions`` answers ``--help``.

The commands are enumerated from the app itself (the click group typer builds), so a new
command or sub-command is covered without touching this file.
"""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sanctions_ledger.cli import app

ROOT = typer.main.get_command(app)


def command_paths(command: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """``path`` and the paths of every command below it, depth first. A group is anything with
    ``commands`` (typer builds its groups on its own copy of click, not click's classes)."""
    paths = [path]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        paths += command_paths(sub, (*path, name))
    return paths


PATHS = command_paths(ROOT)


def test_the_walk_sees_the_commands() -> None:
    """A sanity check of the enumeration itself: the top level and a group's sub-commands."""
    assert ("screen",) in PATHS and ("events", "import") in PATHS and ("events",) in PATHS
    assert len(PATHS) > 20


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "sanctions" for p in PATHS])
def test_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Usage:" in result.output
    usage = result.output[result.output.index("Usage:"):].split("\n", 1)[0]
    if path:  # the help of this command, not its group's
        assert f" {' '.join(path)} " in f"{usage} ", usage
