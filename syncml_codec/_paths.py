"""Element paths: the one form every diagnostic and error uses, whoever builds it.

The form is ``/SyncML/SyncBody/Replace[2]/Item[1]/Bogus``:

* steps are local element names (no namespace, no prefix), from the document's root;
* a step carries ``[n]`` (1-based, counting the same-named siblings before it) exactly when the
  element table says that child may repeat in its parent (commands, Item, MapItem...);
* the root, singletons and elements the table does not know carry no index.

The decision "indexed or not" is taken here from the table, so the builder, both validators
(the fast structural one and the XSD reference), the WBXML decoder and the serializer cannot
disagree on it. Callers walk down from the root with ``PathWalker`` or give the whole list of
(name, index) steps to ``format_path``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._table import CLASS_SPECS, ClassSpec

__all__ = ["PathWalker", "format_path", "root_spec"]

_ROOTS: dict[str, ClassSpec] = {cs.name: cs for cs in CLASS_SPECS.values()}


def root_spec(name: str) -> ClassSpec | None:
    """The ClassSpec of a root element (SyncML, or a fragment's root such as Replace)."""
    return _ROOTS.get(name)


class PathWalker:
    """Builds paths while walking down: ``push(name, index)`` per element, ``pop()`` on its end."""

    __slots__ = ("_specs", "_steps")

    def __init__(self) -> None:
        self._steps: list[str] = []
        self._specs: list[ClassSpec | None] = []

    def push(self, name: str, index: int = 1) -> None:
        """Enter element ``name``, the ``index``-th (1-based) same-named child of its parent."""
        if not self._specs:
            spec = root_spec(name)
            self._steps.append(name)
        else:
            parent = self._specs[-1]
            child = parent.children.get(name) if parent is not None else None
            spec = child.spec if child is not None else None
            repeated = child is not None and child.repeated
            self._steps.append(f"{name}[{index}]" if repeated else name)
        self._specs.append(spec)

    def pop(self) -> None:
        """Leave the innermost element."""
        self._steps.pop()
        self._specs.pop()

    def path(self, extra: tuple[str, int] | None = None) -> str:
        """The current path, optionally with one more (name, index) step that is not pushed."""
        if extra is None:
            return "/" + "/".join(self._steps)
        self.push(*extra)
        try:
            return "/" + "/".join(self._steps)
        finally:
            self.pop()


def format_path(steps: Iterable[tuple[str, int]]) -> str:
    """The path of a whole list of (local name, 1-based same-name index) steps from the root."""
    walker = PathWalker()
    for name, index in steps:
        walker.push(name, index)
    return walker.path()
