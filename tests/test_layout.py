"""The code's shape: kpi never imports streamlit, and no module of kpi imports itself back."""

from __future__ import annotations

import ast
from pathlib import Path

from kpi import config

KPI = config.PROJECT_DIR / "kpi"


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(config.PROJECT_DIR).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imports(path: Path) -> set[str]:
    """The modules a file imports (a name imported from a package counts as its module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                is_module = (config.PROJECT_DIR / (full.replace(".", "/") + ".py")).exists()
                found.add(full if is_module else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


GRAPH = {module_name(p): imports(p) for p in KPI.rglob("*.py")}


def test_kpi_never_imports_streamlit():
    for module, imported in GRAPH.items():
        assert not any(name.split(".")[0] == "streamlit" for name in imported), module


def test_no_import_cycles():
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        for name in GRAPH.get(module, ()):
            if name in path:
                raise AssertionError(" -> ".join([*path, name]))
            if name in GRAPH and name not in done:
                visit(name, [*path, name])
        done.add(module)

    for module in GRAPH:
        visit(module, [module])
