"""The budget's modules import each other one way: no cycle, the shared values at the bottom."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import budget

PACKAGE = Path(budget.__file__).parent


def _budget_imports(path: Path, modules: set[str]) -> set[str]:
    """The budget modules a module imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:  # from .x import y
                names.add(node.module.split(".")[0])
            else:  # from . import x, y
                names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "budget":  # from budget import x
                names.update(alias.name for alias in node.names)
            elif node.module.startswith("budget."):
                names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names if a.name.startswith("budget."))
    return (names & modules) - {path.stem}


def _graph() -> dict[str, set[str]]:
    files = [p for p in PACKAGE.glob("*.py") if p.stem != "__init__"]
    modules = {p.stem for p in files}
    return {p.stem: _budget_imports(p, modules) for p in files}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """A cycle of the graph as the modules along it, or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> list[str]:
        state[name] = 1
        path.append(name)
        for other in sorted(graph.get(name, ())):
            if state.get(other) == 1:
                return [*path[path.index(other) :], other]
            if other not in state and (found := visit(other)):
                return found
        path.pop()
        state[name] = 2
        return []

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return []


def test_it_reads_the_imports_of_a_module():
    graph = _graph()
    assert {"types", "models"} <= graph["selectors"]
    assert {"consistency", "selectors", "types"} <= graph["api"]


def test_it_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_budget_module_imports_one_that_imports_it_back():
    assert _cycle(_graph()) == []


def test_the_shared_values_import_nothing_of_budget():
    assert _graph()["types"] == set()


@pytest.mark.parametrize("module", ["budget.types", "budget.consistency"])
def test_the_pure_modules_import_first_in_a_fresh_interpreter(module):
    # No Django set up: the checks and the values they read need neither models nor settings.
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=False,
        cwd=PACKAGE.parent,
    )
    assert done.returncode == 0, done.stderr
