"""The package's layers, read from its source: no import cycle, no import upward, no module over 400 lines.

A layer may import its own modules and those of lower layers only. Readers (io) never import the solver, the
model never opens files, the checker never imports the model nor OR-Tools: docs/architecture.md draws the same
picture.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "scheduler"
MAX_LINES = 400

# Lowest first; a module's layer is that of the longest prefix that names it.
LAYERS: dict[str, int] = {
    "scheduler.errors": 0,
    "scheduler.weights": 0,
    "scheduler.domain": 1,
    "scheduler.io": 2,
    "scheduler.queueing": 2,
    "scheduler.erlang_a_chain": 2,
    "scheduler.agents_needed": 3,
    "scheduler.simulation_engine": 2,
    "scheduler.simulation": 3,
    "scheduler.forecast_holidays": 2,
    "scheduler.forecast_methods": 2,
    "scheduler.forecast_subdivision": 2,
    "scheduler.forecasting": 3,
    "scheduler.staffing": 4,
    "scheduler.workforce": 2,
    "scheduler.demand": 2,
    "scheduler.checker": 5,
    "scheduler.model": 6,
    "scheduler.report": 7,
    "scheduler.payroll": 7,
    "scheduler.curtois_roster": 7,
    "scheduler.open_shifts": 7,
    "scheduler.plots": 7,
    "scheduler.scenario_report": 8,
    "scheduler.plan": 8,
    "scheduler.call_forecast": 8,
    "scheduler.roster": 9,
    "scheduler.repair": 10,
    "scheduler.scenarios": 10,
    "scheduler.hiring": 11,
    "scheduler.chaining": 11,
    "scheduler.api": 11,
    "scheduler.pipeline": 12,
    "scheduler.planning": 12,
    "scheduler.edits": 13,
    "scheduler.sample": 13,
    "scheduler.calendars": 13,
    "scheduler.cli_output": 14,
    "scheduler.cli_options": 14,
    "scheduler.cli_scenarios": 15,
    "scheduler.cli_workbooks": 15,
    "scheduler.cli": 15,
    "scheduler.__main__": 16,
    "scheduler": 0,  # the package's __init__: its version only
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    # "scheduler" names the package's __init__ alone, not every module under it.
    prefix = max((p for p in LAYERS if module == p or (p != "scheduler" and module.startswith(p + "."))),
                 key=len, default=None)
    assert prefix is not None, f"{module}: add it to LAYERS in tests/test_architecture.py"
    return LAYERS[prefix]


def imports(path: Path, name: str) -> set[str]:
    """Every scheduler module `path` imports, at any depth (a function's lazy import counts too), but for
    names imported for type hints alone (under `if TYPE_CHECKING:`), which are never imported at run time."""
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hints = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
             and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
             for statement in block.body for node in ast.walk(statement)}
    for node in ast.walk(tree):
        if id(node) in hints:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against this module's package
                package = name.split(".")[: len(name.split(".")) - node.level + (path.name == "__init__.py")]
                base = ".".join([*package, base] if base else package)
            known = modules()
            for alias in node.names:  # a submodule by its name, else a name defined in `base`
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    known = modules()
    return {m for m in found if m in known and m != name}


def edges() -> dict[str, set[str]]:
    return {name: imports(path, name) for name, path in modules().items()}


def test_the_layers_are_read_from_the_source():
    # Guards the reading itself: an empty graph would make the tests below pass vacuously.
    graph = edges()
    assert "scheduler.model.solve" in graph and "scheduler.domain" in graph["scheduler.model.solve"]


def test_no_module_imports_a_higher_layer():
    upward = [f"{a} ({layer(a)}) imports {b} ({layer(b)})" for a, targets in edges().items() for b in targets
              if layer(b) > layer(a)]
    assert upward == []


def test_no_import_cycle():
    graph = edges()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target):] + [target]) if target in path else target)
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    # A package importing its own submodules (its __init__ re-exporting them) is not a cycle of the design.
    real = [c for c in cycles if not all(part.startswith(c.split(" -> ")[0]) for part in c.split(" -> "))]
    assert real == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_over_400_lines(name):
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


@pytest.mark.parametrize("package", ["scheduler.checker", "scheduler.io", "scheduler.domain",
                                     "scheduler.staffing"])
def test_readers_and_the_checker_run_without_or_tools(package):
    """Imported alone, in a fresh interpreter, these never load OR-Tools: the checker is independent of the
    solver and the readers validate inputs without it."""
    code = f"import sys, {package}; assert 'ortools' not in sys.modules, 'ortools imported'"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                         cwd=PACKAGE.parent)
    assert run.returncode == 0, run.stderr
