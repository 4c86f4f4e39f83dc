"""The package is a house of layers: every import goes down, and no import circles.

The layers, bottom up, are those of docs/architecture.md.  Every module's imports are
read from its syntax tree, imports inside functions included; an import of conflictkg
from a higher layer, or a circle of imports, fails the test with the module and the
import named.  Modules of one layer may import each other, as long as they do not
circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "conflictkg"

#: Layers, bottom up: module name prefixes (below ``conflictkg.``).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors",),
    ("prefixes", "lazy", "namespaces", "resources", "atomic", "http", "threads"),
    ("rdf",),
    ("store",),
    ("sparql",),
    ("pipeline", "summary", "projection", "cards"),
    ("analysis", "exporters", "remote", "importing"),
    ("api",),
    ("cli", "__main__"),
)


def layer_of(module: str) -> int:
    """Return the layer of a module of conflictkg (``conflictkg`` itself: 0)."""
    if module == "conflictkg":
        return 0
    local = module.removeprefix("conflictkg.")
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if local == prefix or local.startswith(prefix + "."):
                return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and docs/architecture.md")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """Return ``(line, imported module)`` for every conflictkg import in `source`."""
    found = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # ``from conflictkg.x import y`` imports conflictkg.x.y when y is a module
                candidate = f"{base}.{alias.name}"
                found.append((node.lineno, candidate if _is_module(candidate) else base))
    return [(line, name) for line, name in found if name.split(".")[0] == "conflictkg"]


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def import_graph() -> dict[str, list[tuple[int, str]]]:
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        graph[name] = imports_of(
            path.read_text(encoding="utf-8"), name, is_package=path.name == "__init__.py"
        )
    return graph


def upward_imports(graph: dict[str, list[tuple[int, str]]]) -> list[str]:
    """Name every import of a module from a higher layer."""
    problems = []
    for module, imports in graph.items():
        for line, imported in imports:
            if layer_of(imported) > layer_of(module):
                problems.append(
                    f"{module} (layer {layer_of(module)}) line {line} imports {imported} "
                    f"(layer {layer_of(imported)}): an upward import"
                )
    return problems


def circles(graph: dict[str, list[tuple[int, str]]]) -> list[list[str]]:
    """Return the import circles (each as the modules around it, first one repeated)."""
    edges = {
        module: sorted({name for _, name in imports if name in graph and name != module})
        for module, imports in graph.items()
    }
    found, state = [], {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = "open"
        stack.append(module)
        for target in edges.get(module, ()):
            if state.get(target) == "open":
                found.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module)
    return found


def test_every_module_is_in_a_layer():
    for module in import_graph():
        layer_of(module)


def test_imports_only_go_down():
    problems = upward_imports(import_graph())
    assert not problems, "\n".join(problems)


def test_no_import_circles():
    found = circles(import_graph())
    assert not found, "\n".join(" -> ".join(circle) for circle in found)


def test_no_module_is_imported_by_name_at_run_time():
    """importlib.import_module hides imports from this test; only the exporter registry,
    the lazy names of packages (conflictkg.lazy) and the lazy commands of conflictkg.cli
    may use it (their targets are in their own packages, below them)."""
    allowed = {"conflictkg.exporters.registry", "conflictkg.lazy", "conflictkg.cli"}
    for path in sorted(PACKAGE.rglob("*.py")):
        if module_name(path) not in allowed:
            assert "import_module" not in path.read_text(encoding="utf-8"), module_name(path)


# --- the checks themselves can fail -------------------------------------------------


def test_an_upward_import_is_named():
    source = "def f():\n    from conflictkg.cli import app\n"
    graph = {"conflictkg.rdf.terms": imports_of(source, "conflictkg.rdf.terms")}
    (problem,) = upward_imports(graph)
    assert problem.startswith("conflictkg.rdf.terms (layer 2) line 2 imports conflictkg.cli")


def test_a_relative_import_is_resolved():
    source = "from .. import errors\nfrom ..sparql.run import run_query\n"
    found = imports_of(source, "conflictkg.rdf.terms")
    assert [name for _, name in found] == ["conflictkg.errors", "conflictkg.sparql.run"]
    assert upward_imports({"conflictkg.rdf.terms": found})


def test_a_circle_is_found():
    graph = {
        "conflictkg.cli.build": [(3, "conflictkg.cli.query")],
        "conflictkg.cli.query": [(9, "conflictkg.cli.build")],
    }
    build, query = "conflictkg.cli.build", "conflictkg.cli.query"
    assert circles(graph) == [[build, query, build]]


def test_a_module_outside_the_layers_fails():
    with pytest.raises(AssertionError, match="in no layer"):
        layer_of("conflictkg.warehouse")
