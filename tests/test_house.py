"""House rules that no linter checks (issue 12, "Done when"): module and function length, and
the package's import graph (no cycle, no import from a lower layer up to a higher one).

Read from the source with ``ast``; nothing is imported. Each test lists every offender, so one
failing run says what to split or move. (ruff checks the rest: mccabe ``C901`` with a
max-complexity of 25 and ``PLR0915``, configured in pyproject.toml.)
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "syncml_codec"
MAX_MODULE_LINES = 700
MAX_FUNCTION_LINES = 120

#: The layers, bottom first, by the first name under ``syncml_codec`` (a sub-package is one
#: unit). A module may import its own layer and the ones below, never one above.
LAYERS: tuple[frozenset[str], ...] = (
    # the model, its codes, errors, limits, the table, paths, diagnostics
    frozenset(
        (
            "model",
            "codes",
            "errors",
            "limits",
            "_table",
            "_paths",
            "diagnostics",
            "_version",
            "_resources",
        )
    ),
    # readers and writers
    frozenset(
        (
            "_builder",
            "_builder_base",
            "_slow",
            "_expat",
            "_tree",
            "_walkgen",
            "_fast",
            "_source",
            "_snippet",
            "parse",
            "stream",
            "serialize",
            "_writegen",
            "_wbxml",
            "_modelcheck",  # (the model wing's: what the writers may write)
        )
    ),
    # validation, reports and what is built on messages
    frozenset(
        (
            "validate",
            "_validate",
            "_xsd",
            "report",
            "helpers",
            "auth",
            "packing",
            "csp",
            "session",
            "_rule_docs",  # (the rules docs branch's)
            "_rule_pages",
        )
    ),
    # the command line and the package's public face
    frozenset(("cli", "__main__", "__init__")),
)


def _modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module in the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["syncml_codec", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()  # a package: its name
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _unit(module: str) -> str:
    """The layer unit of a module: its first name under the package (``__init__`` for the
    package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _layer(module: str) -> int | None:
    unit = _unit(module)
    for i, names in enumerate(LAYERS):
        if unit in names:
            return i
    return None


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _imports(module: str) -> Iterator[tuple[int, str]]:
    """(line, imported package module) for every import in ``module``, at any depth (a lazy
    import inside a function is a dependency too)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if _is_package(module) else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _known(alias.name)
                if target is not None:
                    yield node.lineno, target
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            if origin not in MODULES:
                origin_known = _known(origin)
                if origin_known is None:
                    continue
                origin = origin_known
            for alias in node.names:
                sub = f"{origin}.{alias.name}"  # ``from . import model``: the module
                yield node.lineno, sub if sub in MODULES else origin


def _known(name: str) -> str | None:
    """The package module ``name`` (or its nearest enclosing package module), else None."""
    while name.startswith("syncml_codec"):
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _graph() -> dict[str, dict[str, int]]:
    """Module -> {imported module: first line}; a module importing its own package's
    ``__init__`` counts (that is how a sub-package cycle starts)."""
    graph: dict[str, dict[str, int]] = {}
    for module in MODULES:
        edges = graph.setdefault(module, {})
        for line, target in _imports(module):
            if target != module:
                edges.setdefault(target, line)
    return graph


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _rel(module: str) -> str:
    return str(MODULES[module].relative_to(PACKAGE.parent))


# -- the checks -----------------------------------------------------------------------------------


def test_no_module_is_over_700_lines() -> None:
    long = {
        _rel(m): n
        for m, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them): {long}"


def test_no_function_is_over_120_lines() -> None:
    long = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno is not None
                n = node.end_lineno - node.lineno + 1
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{_rel(module)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_every_module_has_a_layer() -> None:
    missing = sorted({_unit(m) for m in MODULES if _layer(m) is None})
    assert not missing, f"add these to LAYERS in tests/test_house.py: {missing}"


def test_no_import_goes_up_a_layer() -> None:
    upward = []
    for module, edges in _graph().items():
        here = _layer(module)
        for target, line in edges.items():
            there = _layer(target)
            if here is not None and there is not None and there > here:
                upward.append(f"{_rel(module)}:{line} imports {target} (layer {here} -> {there})")
    assert not upward, "imports from a lower layer up to a higher one:\n" + "\n".join(upward)


def test_the_import_graph_has_no_cycle() -> None:
    cycles = _cycles(_graph())
    assert not cycles, f"import cycles (modules that import each other): {cycles}"


# -- the checks check -----------------------------------------------------------------------------


def test_the_graph_reader_sees_relative_absolute_and_lazy_imports() -> None:
    """The reader finds what the checks rely on, in modules known to have each form."""
    graph = _graph()
    assert "syncml_codec.model" in graph["syncml_codec._builder"]  # from . import model
    assert "syncml_codec._table" in graph["syncml_codec._builder"]  # from ._table import ...
    assert "syncml_codec._wbxml" in graph["syncml_codec.stream"]  # a lazy import in a method
    assert "syncml_codec.cli" in graph["syncml_codec.__main__"]
    assert _layer("syncml_codec.session.client") == _layer("syncml_codec.validate") == 2


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b": 1}, "b": {"a": 1}, "c": {"a": 1}}, [["a", "b"]]),
        ({"a": {"b": 1}, "b": {"c": 1}, "c": {}}, []),
        ({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {}}, [["a", "b", "c"]]),
    ],
)
def test_cycle_finder(graph: dict[str, dict[str, int]], expected: list[list[str]]) -> None:
    assert _cycles(graph) == expected
