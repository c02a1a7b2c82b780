"""The WBXML wing's shape (issue 12): no import cycle in the package, small modules and
functions, and the test-only tools outside the wheel."""

from __future__ import annotations

import ast
from pathlib import Path

import syncml_codec
import syncml_codec._wbxml as wing

PACKAGE = Path(syncml_codec.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The package modules ``path`` imports (anywhere in it, function bodies included)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        found.update(t for t in targets if t.startswith("syncml_codec"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {m: {t for t in _imports(p) if t in modules and t != m} for m, p in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle (a list of modules), or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            # a package's __init__ importing its own submodules is not a cycle through them
            if m.startswith(t + ".") and t in graph:
                continue
            if state.get(t) == 1:
                return [*stack[stack.index(t) :], t]
            if t not in state and (found := visit(t)):
                return found
        stack.pop()
        state[m] = 2
        return []

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return []


def test_no_import_cycle_in_the_package() -> None:
    assert _cycle(_graph()) == []


def test_serialize_and_wbxml_share_the_generator_without_a_cycle() -> None:
    graph = _graph()
    assert "syncml_codec._writegen" in graph["syncml_codec._wbxml.encode"]
    assert "syncml_codec._writegen" in graph["syncml_codec.serialize"]
    assert not any(t.startswith("syncml_codec.serialize") for t in graph["syncml_codec._writegen"])
    wing_modules = [m for m in graph if m.startswith("syncml_codec._wbxml")]
    assert not any("syncml_codec.serialize" in graph[m] for m in wing_modules)


def test_wbxml_modules_and_functions_are_small() -> None:
    for path in [*(PACKAGE / "_wbxml").glob("*.py"), PACKAGE / "_writegen.py"]:
        source = path.read_text(encoding="utf-8")
        assert source.count("\n") < 700, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                assert node.end_lineno is not None
                assert node.end_lineno - node.lineno < 120, f"{path.name}: {node.name}"


def test_test_only_tools_are_not_in_the_package() -> None:
    for name in ("WbxmlWriter", "xml_to_wbxml", "wbxml_to_xml"):
        assert not hasattr(wing, name)
    assert not any("xml_to_wbxml" in p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
