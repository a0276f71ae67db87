"""The shape of the code (issue #16, "one house"): units in declared layers, every import going
down, no two units importing each other, and SQL only in store/.

A unit is each sub-package folder of ``src/sanctions_ledger`` (``store/``), each top-level module
(``service``) and ``benchmarks/``. The package's own ``__init__.py`` is the public facade that
re-exports every layer: its imports are not edges, and an import of one of its names counts as an
import of the unit that defines the name. Imports inside functions and under ``TYPE_CHECKING``
count: they are dependencies all the same.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "src" / "sanctions_ledger"
BENCHMARKS = REPO / "benchmarks"
FACADE = "sanctions_ledger (the package __init__)"
MAX_DEPTH = 8

LAYERS: dict[str, int] = {
    "errors": 1, "settings": 1, "vocab": 1,
    "sources/": 2, "match/": 2,
    "store/": 3,
    "history": 4, "queries": 4, "resolve/": 4, "screening/": 4,
    "loading": 5, "jurisdictions/": 5, "monitoring/": 5, "export/": 5,
    "service": 6,
    "api/": 7, "web/": 7, "cli/": 7,
    "server": 8, "benchmarks/": 8,
}
"""The declared map: a unit imports only units of a lower layer."""


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    where: str
    """``path:line`` of the import statement, relative to the repository."""
    module: str


def unit_of_file(path: Path) -> str:
    if path.is_relative_to(BENCHMARKS):
        return "benchmarks/"
    rel = path.relative_to(PACKAGE)
    return f"{rel.parts[0]}/" if len(rel.parts) > 1 else rel.stem


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


@cache
def facade_names() -> dict[str, str]:
    """Name exported by the package __init__ -> the module it is imported from."""
    names = {}
    for node in ast.walk(ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update({alias.asname or alias.name: node.module for alias in node.names})
    return names


def unit_of_module(module: str, name: str | None = None) -> str | None:
    """The unit of ``module`` (``name`` imported from it), None outside sanctions_ledger."""
    parts = module.split(".")
    if parts[0] != "sanctions_ledger":
        return None
    if len(parts) == 1:
        if name is None:
            return FACADE
        if (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").exists():
            return unit_of_module(f"sanctions_ledger.{name}")
        defined_in = facade_names().get(name)
        return unit_of_module(defined_in) if defined_in else FACADE
    return f"{parts[1]}/" if (PACKAGE / parts[1]).is_dir() else parts[1]


def source_files() -> Iterator[Path]:
    yield from sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")
    yield from sorted(BENCHMARKS.rglob("*.py"))


def imports_of(path: Path) -> Iterator[Import]:
    source = unit_of_file(path)
    where = path.relative_to(REPO)
    in_package = path.is_relative_to(PACKAGE)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        targets: list[tuple[str, str | None]]
        if isinstance(node, ast.Import):
            targets = [(alias.name, None) for alias in node.names]
        else:
            module = node.module or ""
            if node.level and in_package:
                base = module_name(path).split(".")
                # A module's own package is its name less one part; an __init__'s is its name.
                keep = len(base) - node.level + (1 if path.name == "__init__.py" else 0)
                module = ".".join(base[:keep] + ([module] if module else []))
            targets = [(module, alias.name) for alias in node.names]
        for module, name in targets:
            target = unit_of_module(module, name)
            if target is not None and target != source:
                yield Import(source, target, f"{where}:{node.lineno}", module + (f" ({name})" if name else ""))


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(imp for path in source_files() for imp in imports_of(path))


def edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {unit_of_file(p): set() for p in source_files()}
    for imp in all_imports():
        graph.setdefault(imp.source, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    return graph


def where(source: str, target: str) -> str:
    """Every import statement of ``target`` in ``source``, one per line."""
    return "\n".join(f"    {i.where}: {i.module}" for i in all_imports() if (i.source, i.target) == (source, target))


def test_the_graph_is_read() -> None:
    graph = edges()
    assert {"store/", "match/", "cli/", "benchmarks/", "errors"} <= set(graph)
    assert "store/" in graph["cli/"] and "errors" in graph["store/"]


def test_every_unit_is_placed_in_a_layer() -> None:
    unplaced = sorted(set(edges()) - set(LAYERS))
    assert not unplaced, (
        "units in no declared layer (place each in LAYERS in tests/test_architecture.py and in the "
        "layer map of the issue/docs, or fold it into a unit that has one): " + ", ".join(unplaced))


def test_every_import_goes_to_a_lower_layer() -> None:
    wrong = sorted({(LAYERS[i.source], i.source, LAYERS[i.target], i.target) for i in all_imports()
                    if i.source in LAYERS and i.target in LAYERS and LAYERS[i.target] >= LAYERS[i.source]})
    report = [f"  {s} (layer {ls}) imports {t} (layer {lt}):\n{where(s, t)}" for ls, s, lt, t in wrong]
    assert not report, "imports that do not go to a lower layer:\n" + "\n".join(report)


def test_no_two_units_import_each_other() -> None:
    graph = edges()
    pairs = sorted({tuple(sorted((u, v))) for u, targets in graph.items() for v in targets if u in graph[v]})
    report = [f"  {a} <-> {b}:\n{where(a, b)}\n{where(b, a)}" for a, b in pairs]
    assert not report, "units that import each other:\n" + "\n".join(report)


def test_api_and_web_never_import_each_other() -> None:
    found = [i for i in all_imports() if {i.source, i.target} == {"api/", "web/"}]
    assert not found, "api/ and web/ import each other:\n" + "\n".join(
        f"  {i.where}: {i.source} imports {i.module}" for i in found)


def layers_by_import(graph: dict[str, set[str]]) -> dict[str, tuple[int, list[str]]]:
    """Each unit's layer (one more than the highest layer it imports; 1 for none) and a longest
    chain of imports below it. Units in a cycle share the cycle's layer (its strongly connected
    component is one node), so a cycle cannot hide the depth."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    component: dict[str, int] = {}
    members: list[list[str]] = []

    def connect(u: str) -> None:  # Tarjan; the graph is a few dozen units, recursion is fine
        index[u] = low[u] = len(index)
        stack.append(u)
        for v in graph[u]:
            if v not in index:
                connect(v)
                low[u] = min(low[u], low[v])
            elif v in stack:
                low[u] = min(low[u], index[v])
        if low[u] == index[u]:
            group = []
            while True:
                w = stack.pop()
                component[w] = len(members)
                group.append(w)
                if w == u:
                    break
            members.append(sorted(group))

    for u in sorted(graph):
        if u not in index:
            connect(u)
    # Tarjan emits a component only after every component it reaches: one pass in order.
    depth: list[tuple[int, list[str]]] = []
    for c, group in enumerate(members):
        below = [depth[component[v]] for u in group for v in graph[u] if component[v] != c]
        best = max(below, default=(0, []))
        depth.append((best[0] + 1, ["+".join(group)] + best[1]))
    return {u: depth[component[u]] for u in graph}


def test_depth_is_at_most_eight() -> None:
    layers = layers_by_import(edges())
    deepest = max(layers.values())
    too_deep = sorted((d, u) for u, (d, _chain) in layers.items() if d > MAX_DEPTH)
    report = [f"  {u}: layer {d}, by {' -> '.join(layers[u][1])}" for d, u in too_deep]
    assert deepest[0] <= MAX_DEPTH, f"import depth {deepest[0]} > {MAX_DEPTH}:\n" + "\n".join(report)


def test_depth_counts_chains_and_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": set(), "x": {"y"}, "y": {"x", "a"}}
    layers = layers_by_import(graph)
    assert layers["c"] == (1, ["c"]) and layers["a"] == (3, ["a", "b", "c"])
    assert layers["x"][0] == layers["y"][0] == 4


SQL = re.compile("|".join((
    r"\bSELECT\b[\s\S]*?\bFROM\b",
    r"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b",
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:UNIQUE\s+)?(?:TABLE|VIEW|INDEX|SEQUENCE|MACRO)\b",
    r"\bDELETE\s+FROM\b",
    r"\bUPDATE\s+\w+\s+SET\b",
    r"\b(?:DROP|ALTER)\s+(?:TABLE|VIEW|INDEX|SEQUENCE)\b",
)))
"""SQL as this code writes it (keywords in capitals, as in store/): lower-case prose such as
"select the names from" is not SQL."""
SQL_CALLS = {"execute", "executemany", "sql"}


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def sql_in(path: Path) -> list[str]:
    """Each SQL string and SQL call in ``path``, in line order."""
    return [message for _line, message in sorted(_sql_in(path))]


def _sql_in(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = docstrings(tree)
    rel = path.relative_to(REPO)
    for node in ast.walk(tree):
        text = None
        if isinstance(node, ast.JoinedStr):  # an f-string: its literal parts, {} for the values
            text = "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)
            skip.update(id(v) for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_CALLS:
            yield node.lineno, f"  {rel}:{node.lineno}: a .{node.func.attr}() call"
        if text and SQL.search(text):
            assert isinstance(node, ast.expr)
            snippet = " ".join(text.split())
            yield node.lineno, f"  {rel}:{node.lineno}: SQL in a string: {snippet[:70]}{'…' if len(snippet) > 70 else ''}"


def test_the_sql_finder_finds_sql() -> None:
    assert SQL.search("SELECT a FROM t") and SQL.search("INSERT INTO t VALUES (?)")
    assert SQL.search("UPDATE links SET x = 1") and SQL.search("CREATE TABLE IF NOT EXISTS t (a INT)")
    assert not SQL.search("select the names from the index") and not SQL.search("DELETED FROM")


def test_no_sql_outside_store() -> None:
    store = PACKAGE / "store"
    found = [line for path in sorted(PACKAGE.rglob("*.py")) if not path.is_relative_to(store)
             for line in sql_in(path)]
    assert not found, "SQL outside src/sanctions_ledger/store/ (move it behind a named store function):\n" + \
        "\n".join(found)
