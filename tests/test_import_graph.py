"""The import graph of `lamadesk`: no circles, no arrow from core up, nothing from dev code.

Reads the sources with `ast` (module-level and function-level imports, absolute and
relative; imports under ``if TYPE_CHECKING:`` are not run and are left out), so it sees
lazy imports that an import-time check would miss.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lamadesk"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module `module` imports at run time, as dotted names."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from package import module` imports the module too.
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """lamadesk module -> the lamadesk modules it imports (and `tools`/`benchmarks` ones)."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _imports(tree, module, path.name == "__init__.py")
        graph[module] = {
            name
            for name in names
            if (name in paths and name != module) or name.split(".")[0] in {"tools", "benchmarks"}
        }
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, as the list of modules around it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_graph_sees_relative_lazy_and_package_imports():
    tree = ast.parse(
        "from . import sibling\n"
        "from .other import thing\n"
        "def f():\n    from lamadesk.core import masks\n"
        "if TYPE_CHECKING:\n    from lamadesk.ui import shell\n"
    )
    found = _imports(tree, "lamadesk.core.models.registry", is_package=False)
    assert {"lamadesk.core.models.sibling", "lamadesk.core.models.other"} <= found
    assert "lamadesk.core.masks" in found
    assert "lamadesk.ui.shell" not in found


def test_find_cycle_names_the_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_lamadesk_modules_import_each_other_without_circles():
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_core_never_imports_the_cli_or_the_ui():
    upward = [
        f"{source} -> {target}"
        for source, targets in import_graph().items()
        if source.startswith("lamadesk.core")
        for target in targets
        if target.startswith(("lamadesk.ui", "lamadesk.cli", "lamadesk.app"))
    ]
    assert upward == []


def test_the_product_imports_nothing_from_tools_or_benchmarks():
    dev = [
        f"{source} -> {target}"
        for source, targets in import_graph().items()
        for target in targets
        if target.split(".")[0] in {"tools", "benchmarks"}
    ]
    assert dev == []


def test_model_folders_do_not_import_the_registry_that_lists_them():
    inward = [
        f"{source} -> {target}"
        for source, targets in import_graph().items()
        if source.startswith("lamadesk.core.models.") and source != "lamadesk.core.models.registry"
        for target in targets
        if target == "lamadesk.core.models.registry"
    ]
    assert inward == []
