"""The packages stand in data-flow order and import only downwards (docs/architecture.md).

Read from the source with ``ast`` (nothing is imported): every first-party import, at module level
or inside a function, must go to the same layer or a lower one; module-level imports form no
circle; and a function-local first-party import is allowed only where docs/architecture.md says
why (DAG-parse-time weight, per-process benchmark memory), never to dodge a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Each top-level package and its layer: a package may import its own layer and those below.
LAYERS: dict[str, int] = {
    "core": 0,
    "ingestion": 1,
    "sample_data": 1,
    "quality": 2,
    "warehouse": 3,
    "dashboards": 4,
    "cctns": 5,
    "dags": 6,
    "bench": 6,
}

#: Files whose function-local first-party imports are deliberate (see docs/architecture.md).
LAZY_ALLOWED = {
    "cctns/orchestration.py": "the DAG files import it at parse time: task bodies import their layers",
    "dags/": "the DAG processor re-imports DAG files every few seconds (dags/ruff.toml)",
    "bench/": "each benchmark stage runs in its own process to measure its own peak memory",
}


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in LAYERS:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def _imports(path: Path) -> list[tuple[str, bool, int]]:
    """(module, is function-local, line) for every first-party import of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, local: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            names: list[str] = []
            if isinstance(child, ast.Import):
                names = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [child.module] + [f"{child.module}.{a.name}" for a in child.names]
            for name in names:
                if name.split(".")[0] in LAYERS:
                    found.append((name, local, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The first-party module an imported name refers to (a module, or a name inside one)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def test_no_import_runs_upward() -> None:
    upward = []
    for mod, path in MODULES.items():
        here = LAYERS[mod.split(".")[0]]
        for name, _local, line in _imports(path):
            there = LAYERS[name.split(".")[0]]
            if there > here:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not upward, "imports against the data flow:\n" + "\n".join(upward)


def test_core_imports_nothing_of_ours() -> None:
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for mod, path in MODULES.items()
        if mod.split(".")[0] == "core"
        for name, _local, line in _imports(path)
        if name.split(".")[0] != "core"
    ]
    assert not bad, "\n".join(bad)


def test_no_circles() -> None:
    graph: dict[str, set[str]] = {mod: set() for mod in MODULES}
    for mod, path in MODULES.items():
        for name, local, _line in _imports(path):
            target = _resolve(name)
            if target and target != mod and not local and not mod.startswith(target + "."):
                graph[mod].add(target)
    # Tarjan-free check: depth-first search for a back edge, reporting the circle found.
    state: dict[str, int] = {}
    stack: list[str] = []
    circles: list[str] = []

    def dfs(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                dfs(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            dfs(node)
    assert not circles, "import circles:\n" + "\n".join(circles)


@pytest.mark.parametrize("pkg", sorted(LAYERS))
def test_function_local_imports_only_where_documented(pkg: str) -> None:
    bad = []
    for mod, path in MODULES.items():
        rel = str(path.relative_to(ROOT))
        if mod.split(".")[0] != pkg or any(rel.startswith(k) for k in LAZY_ALLOWED):
            continue
        bad += [
            f"{rel}:{line} imports {name} inside a function" for name, local, line in _imports(path) if local
        ]
    assert not bad, "\n".join(sorted(set(bad)))
