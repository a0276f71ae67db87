"""The README's examples run, and print what the README shows.

Every ``$ sanctions ...`` line of a ```console block runs, in README order, on one fresh store
(the examples build on each other: ingest, then diff, resolve, then status...), from a folder
beside a ``shared`` link so that the README's ``../shared/data`` paths and the paths the commands
print are the README's own. The output shown under a command must match the command's output
line by line, with whitespace runs collapsed (column widths follow the data): ``...`` on a line
of its own stands for any number of lines, ``…`` inside a line for any text, a rule of dashes
for a rule with as many columns, and a time in seconds for any time. Commands that need the
internet or hold the terminal (``update``, ``serve``) are parsed with their options and answer
``--help``, but do not run. The ```python block of the Library section runs as well.

About 60-90 s: the ingest of four list files, two index builds and one cross-list linking.
"""

from __future__ import annotations

import gc
import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sanctions_ledger.cli import app
from sanctions_ledger.sources.download import OFFICIAL_SOURCES

from .conftest import REPO, SHARED

README = REPO / "README.md"
NOT_RUN = {"update": "downloads from the internet", "serve": "serves until stopped"}
QUERIES_CSV = "query_id,name,schema\nq1,Alexander Lukashenko,Person\nq2,Belaruskali,Organization\n"
"""The ``queries.csv`` the screen-file example reads (the README leaves it to the reader)."""
BOOK_CSV = """customer_id,name,schema,birth_date,country,identifier,segment
c1,Alexander Lukashenko,Person,1954-08-30,by,,pep
c2,Aero Engine Corporation of China,Organization,,cn,,corporate
c3,Olivia Thornbury,Person,1981-04-12,gb,,retail
c4,Minsk Special Purpose Police Unit,Organization,,by,,corporate
c5,Jonas Petrauskas,Person,1970-13-01,lt,,retail
"""
"""The ``book.csv`` of the monitoring example (the README shows it; the reader writes it)."""


@dataclass(frozen=True)
class Example:
    line: int
    command: str
    args: tuple[str, ...]
    expected: tuple[str, ...]
    """The lines the README shows under the command (empty: it shows none)."""

    @property
    def id(self) -> str:
        return f"L{self.line}: {self.command[:60]}"


def console_blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number of the first line, lines) of each ```console block."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "```console":
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
            yield i + 2, lines[i + 1:end]


def examples(text: str) -> list[Example]:
    found: list[Example] = []
    for first, block in console_blocks(text):
        pending: list[tuple[int, list[str], list[str]]] = []
        i = 0
        while i < len(block):
            line, number = block[i], first + i
            i += 1
            if not line.startswith("$ "):
                if pending:
                    pending[-1][2].append(line)
                continue
            command = line[2:]
            while command.endswith("\\") and i < len(block):
                command = command[:-1] + " " + block[i].strip()
                i += 1
            for args in _split_and(command):
                pending.append((number, args, []))
        found += [Example(number, shlex.join(args), tuple(args[1:]), tuple(output))
                  for number, args, output in pending if args[0] == "sanctions"]
    return found


def _split_and(command: str) -> list[list[str]]:
    """``a && b`` as two commands; a ``# comment`` dropped."""
    parts: list[list[str]] = [[]]
    for word in shlex.split(command, comments=True):
        if word == "&&":
            parts.append([])
        else:
            parts[-1].append(word)
    return [p for p in parts if p]


EXAMPLES = examples(README.read_text(encoding="utf-8"))
GAP = None


def pattern(line: str) -> re.Pattern[str] | None:
    """The regular expression an output line must match in full (None: ``...``, any lines)."""
    words = line.split()
    if words == ["..."]:
        return GAP
    if words and all(set(w) == {"-"} for w in words):
        return re.compile(r"-+" + r" -+" * (len(words) - 1))
    text = " ".join(words)
    parts = re.split(r"(…|\d+\.\d+ s$)", text)
    regex = "".join(".*" if p == "…" else r"\d+\.\d+ s" if p.endswith(" s") and p[0].isdigit()
                    else re.escape(p) for p in parts)
    return re.compile(regex)


def mismatch(expected: tuple[str, ...], output: str) -> str | None:
    """None when ``output`` has the README's shape, else where it first departs from it."""
    want = [pattern(line) for line in expected if line.strip()]
    have = [" ".join(line.split()) for line in output.splitlines() if line.strip()]

    @cache
    def fits(w: int, h: int) -> bool:
        if w == len(want):
            return h == len(have)
        if want[w] is GAP:
            return any(fits(w + 1, k) for k in range(h, len(have) + 1))
        return h < len(have) and bool(want[w].fullmatch(have[h])) and fits(w + 1, h + 1)  # type: ignore[union-attr]

    if fits(0, 0):
        return None
    # Report the first README line that no output line at or after the last match fits.
    h = 0
    for w, regex in enumerate(want):
        if regex is GAP:
            continue
        hit = next((k for k in range(h, len(have)) if regex.fullmatch(have[k])), None)
        if hit is None:
            return f"README line {expected[w]!r} matches no output line from {h} on"
        h = hit + 1
    return "the lines are there but not as the README orders them (or the output has lines the README does not show)"


@dataclass
class Run:
    exit_code: int
    output: str
    exception: BaseException | None


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Run]]:
    """Every runnable example, in README order, on one store; keyed by README line."""
    root = tmp_path_factory.mktemp("readme")
    (root / "shared").symlink_to(SHARED)
    cwd = root / "work"
    cwd.mkdir()
    (cwd / "queries.csv").write_text(QUERIES_CSV, encoding="utf-8")
    (cwd / "book.csv").write_text(BOOK_CSV, encoding="utf-8")
    runner = CliRunner()
    env = {"SANCTIONS_LEDGER_STORE": str(root / "ledger.duckdb"), "SANCTIONS_LEDGER_ADMIN_TOKEN": ""}
    results: dict[int, Run] = {}
    old = Path.cwd()
    os.chdir(cwd)
    try:
        for example in EXAMPLES:
            if example.args[0] in NOT_RUN:
                continue
            result = runner.invoke(app, list(example.args), env=env)
            results[example.line] = Run(result.exit_code, result.output, result.exception)
            # Each command is a process of its own in the README. In this one process, a command
            # that leaves its read-only ledger for the collector (screen, screen-file) would stop
            # the next one opening it for writing (DuckDB: one configuration per file).
            gc.collect()
        yield results
    finally:
        os.chdir(old)


def test_the_readme_has_examples() -> None:
    commands = {e.args[0] for e in EXAMPLES}
    assert {"ingest", "diff", "show", "history", "screen", "resolve", "status", "update", "serve"} <= commands
    assert sum(bool(e.expected) for e in EXAMPLES) >= 8


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.args[0] not in NOT_RUN],
                         ids=lambda e: e.id)
def test_example(runs: dict[int, Run], example: Example) -> None:
    run = runs[example.line]
    assert run.exit_code == 0, f"$ {example.command}\n{run.output}\n{run.exception!r}"
    if not example.expected:
        return  # the README shows no output: running is the check
    problem = mismatch(example.expected, run.output)
    assert problem is None, f"$ {example.command}\n{problem}\n--- the command printed:\n{run.output}"


def command_of(name: str) -> Any:
    return typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.args[0] in NOT_RUN], ids=lambda e: e.id)
def test_example_that_cannot_run_offline_parses(example: Example) -> None:
    """Not run (see NOT_RUN): the options parse as the command declares them, the sources named
    exist, and the command answers --help with the same options."""
    name, *args = example.args
    ctx = command_of(name).make_context(name, list(args))  # raises on an unknown option or bad value
    unknown = [s for s in ctx.params.get("source") or () if s not in OFFICIAL_SOURCES]
    assert not unknown, f"$ {example.command}: no source {unknown}; known: {sorted(OFFICIAL_SOURCES)}"
    result = CliRunner().invoke(app, [*example.args, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output, result.output


def test_shape_matching() -> None:
    assert mismatch(("a  b", "---  --", "...", "x … z", "done; 1.5 s"),
                    "a b\n------ ---\nm\nn\nx yy z\ndone; 20.25 s\n") is None
    assert mismatch(("a  b",), "a b\nextra\n") is not None
    assert mismatch(("---  --",), "--- --- ---\n") is not None
    assert mismatch(("id 7",), "id 8\n") is not None


def test_library_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Library\s+```python\n(.*?)```", text, re.S)
    assert block, "the README's Library section has a python block"
    (tmp_path / "shared").symlink_to(SHARED)
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), "README.md (Library)", "exec"), namespace)  # noqa: S102
    namespace["ledger"].close()
