"""Imports run one way (docs/ARCHITECTURE.md): doors (app.py, routes, cli)
→ services → ports ← adapters, with the pure domain at the bottom, and no
module of chalicelib imports itself back in a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "chalicelib"

# layer → the chalicelib layers it may import (besides itself and errors.py).
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "ports": {"domain"},
    "services": {"domain", "ports"},
    "adapters": {"domain", "ports"},
    "web": {"domain"},
}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _module_of(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every chalicelib module ``path`` imports, wherever the import stands."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("chalicelib")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("chalicelib"):
                found.add(node.module)
    return found


MODULES = {_module_of(p): p for p in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) in ALLOWED))
def test_each_layer_imports_only_the_layers_below_it(module: str) -> None:
    layer = _layer(module)
    allowed = ALLOWED[layer] | {layer, "errors"}
    wrong = sorted(i for i in _imports(MODULES[module]) if _layer(i) not in allowed)
    assert wrong == [], f"{module} ({layer}) imports {wrong}"


def test_no_import_cycles_at_module_level() -> None:
    """Cycles among imports that run when a module loads (imports inside
    functions, which bootstrap uses to stay lazy, are not loaded with it)."""
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        deps: set[str] = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.startswith("chalicelib"):
                    deps.add(node.module)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("chalicelib")}
        graph[name] = {d for d in deps if d in MODULES and d != name}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*trail[trail.index(dep) :], dep] if dep in trail else [node, dep])
            elif dep not in state:
                visit(dep, [*trail, dep])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == []
