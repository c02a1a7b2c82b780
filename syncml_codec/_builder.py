"""Event sink that turns start/data/end events into model objects, driven by the element table.

Strategy: the builder implements the stdlib parser-target protocol (``start(name, attrs)``,
``data(text)``, ``end(name)``, ``close()``) plus ``cdata_start``/``cdata_end`` (CDATA sections in
Data) and ``opaque`` (WBXML). Names are *raw* qualified names as expat reports them without
namespace processing (``"CmdID"``, ``"ns2:Type"``), attributes a flat ``[name, value, ...]``
list; namespaces are resolved here from ``xmlns`` attributes. That keeps expat at its fastest,
makes the usual ``xmlns="syncml:metinf"`` cost one list comparison, and lets markup inside Data
be reproduced with its own prefixes and attribute order.

Invariants that keep it fast (measured: each Python handler call costs about 0.35 us before it
does anything, so the bodies must stay smaller than that):

* the state of the open element lives in closure cells (``children``, ``kw``, ``ns``, ``last``,
  ``node``, ``leaf``), not in a frame object: a leaf element (CmdID, LocURI, Format, Data...)
  pushes nothing at all, a node pushes one tuple;
* per start tag: one dict probe in the table, one order comparison, one list comparison when
  the tag has attributes; per end tag: one join (usually of one string), one ``strip`` identity
  check, one dict store; per node: one ``cls(**kw)`` call;
* text is collected by ``list.append`` bound directly as expat's CharacterDataHandler;
* positions and element paths are computed only when a deviation is reported or an error
  raised; everything unusual (root element, unknown names, prefixes, markup inside Data,
  skipped subtrees) goes through ``mode`` to slower functions that the hot path never calls;
  the two slow modes that last a whole subtree are small node objects (``_slow.SkipNode``,
  ``_slow.RawDataNode``), and a ``<MetInf>`` wrapper is a transparent node on the stack.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import Any, Final

from . import model
from ._builder_base import TRANSPARENT, BuilderBase, Frame
from ._slow import RawDataNode, SkipNode
from ._table import CLASS_SPECS, DATA, NODE, ChildSpec, ClassSpec
from .diagnostics import Diagnostic
from .errors import UnknownElement
from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "Builder",
    "Frame",
    "Sink",
    "body_spec",
    "document_spec",
    "fragment_spec",
    "no_cyclic_gc",
]

_EMPTY: Final[dict[str, ChildSpec]] = {}

# Modes (0 = the hot path).
_ROOT: Final = 1  # before the root element
_DONE: Final = 4  # after the root element

#: The streaming hook: called with (open frames, completed objects of one kind); True: "consumed".
Sink = Callable[[list[Frame], list[Any]], bool]
_frame = tuple.__new__  # Frame(...) in C: no Python-level __new__ call on the hot path


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large acyclic model is built and walked.

    The model is slotted dataclasses and tuples with no reference cycles, so the collector
    finds nothing, yet its repeated passes over a heap growing by 10^5-10^6 objects cost 20-35%
    of validating a 40 MB device-info package (measured by hand; see the validate report).
    Reference counting still frees everything; the previous state is restored on exit.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pseudo(children: dict[str, ChildSpec]) -> ChildSpec:
    root_cls = ClassSpec(object, "#document", None, children, [], (), ())
    spec = ChildSpec("#document", "root", NODE, False, None, 0, True, object)
    spec.spec = root_cls
    return spec


def document_spec() -> ChildSpec:
    """The root frame for a whole message: the only child is ``<SyncML>``."""
    sml = CLASS_SPECS[model.SyncML]
    return _pseudo(
        {"SyncML": ChildSpec("SyncML", "root", NODE, False, None, 0, True, model.SyncML, sml)}
    )


def body_spec() -> ChildSpec:
    """The root frame for a snippet file's commands, which are read inside a ``<SyncBody>``."""
    body = CLASS_SPECS[model.SyncBody]
    return _pseudo(
        {
            "SyncBody": ChildSpec(
                "SyncBody", "root", NODE, False, None, 0, True, model.SyncBody, body
            )
        }
    )


def fragment_spec() -> ChildSpec:
    """The root frame for a fragment: any element that maps to a model class."""
    children = {}
    for cls, cs in CLASS_SPECS.items():
        children[cs.name] = ChildSpec(cs.name, "root", NODE, False, cs.ns, 0, True, cls, cs)
    return _pseudo(children)


class Builder(BuilderBase):
    """Builds model objects from parser events (see the module docstring).

    Args:
        root: ``document_spec()`` or ``fragment_spec()``.
        strict: raise on the first deviation instead of recording a diagnostic.
        limits: resource limits.
        locate: returns the current 1-based (line, column); the driver provides it.
        sink: the streaming hook: called with (open frames, objects) when objects of one of
            ``sink_classes`` are complete (a list: one object, or a run of siblings of one
            kind from ``put``); when it returns True they are not kept (so Items can be
            handed out as they come and memory stays flat).
        sink_classes: the classes ``sink`` wants to see.
        optional: required elements (by name) that this kind of input may leave out; they
            are read as empty with no diagnostic (CmdID in snippet files).
    """

    def __init__(
        self,
        root: ChildSpec,
        *,
        strict: bool = False,
        limits: Limits | None = None,
        locate: Callable[[], tuple[int, int]] | None = None,
        sink: Sink | None = None,
        sink_classes: frozenset[type] = frozenset(),
        optional: frozenset[str] = frozenset(),
    ) -> None:
        lim = limits or DEFAULT_LIMITS
        self.optional = optional
        self.strict = strict
        self.limits = lim
        self.locate: Callable[[], tuple[int, int]] = locate or (lambda: (0, 0))
        self._diagnostics: list[Diagnostic] = []
        self.suppressed = 0
        self.doc_ns: str | None = None
        texts: list[str] = []
        self.texts = texts
        self.data = texts.append
        assert root.spec is not None
        # Closure state of the open node; ``stack`` holds the ancestors' saved states.
        stack: list[Frame] = []
        self.stack = stack
        children: dict[str, ChildSpec] = root.spec.children
        kw: dict[str, Any] = {}
        root_kw = kw
        ns = ""
        last = -1
        node: ChildSpec = root
        name_: str = ""
        leaf: ChildSpec | None = None
        mode: Any = _ROOT  # 0 on the hot path, _ROOT, _DONE, or a slow node (SkipNode...)
        max_depth = lim.max_depth
        max_text = lim.max_text
        max_items = lim.max_items if lim.max_items is not None else 1 << 62
        max_commands = lim.max_commands if lim.max_commands is not None else 1 << 62
        item_cls = model.Item
        counts = [0, 0]  # Items, commands
        prefixes: dict[str, str] = {}
        deviate = self.deviate
        # (id of an open node's fields, child) -> [those fields, children the sink took]
        streamed: dict[tuple[int, ChildSpec], list[Any]] = {}
        self._streamed = streamed

        def state() -> tuple[list[Frame], Frame, ChildSpec | None]:
            return stack, _frame(Frame, (children, kw, ns, last, node, name_)), leaf

        self._state = state

        def gap() -> None:
            text = "".join(texts)
            texts.clear()
            if text.strip(" \t\r\n"):  # XML whitespace between elements is fine
                deviate(
                    "P107", f"text {text.strip()[:40]!r} is not allowed here (element-only content)"
                )

        def push(child: ChildSpec, name: str, el_ns: str) -> None:
            """Enter a node from a slow path (root, prefixed name, MetInf wrapper)."""
            nonlocal children, kw, ns, last, node, name_
            stack.append(_frame(Frame, (children, kw, ns, last, node, name_)))
            if len(stack) > max_depth:
                self.limit_exceeded(
                    "max_depth", max_depth, f"elements nest deeper than {max_depth}"
                )
            if child.kind == TRANSPARENT:
                node, name_, ns, last = child, name, el_ns, -1
                return
            children = child.spec.children  # type: ignore[union-attr]
            kw = {}
            ns, last, node, name_ = el_ns, -1, child, name
            if child.counted:
                count(child)

        # -- the hot path ---------------------------------------------------------------------

        def start(name: str, attrs: list[str]) -> None:
            nonlocal last, leaf, children, kw, ns, node, name_
            if mode or leaf is not None:
                special_start(name, attrs)
                return
            if texts:
                if len(texts) == 1 and not texts[0].strip(" \t\r\n"):
                    texts.clear()
                else:
                    gap()
            child = children.get(name)
            if child is None:
                slow_start(name, attrs)
                return
            if attrs:
                el_ns = (
                    child.ns if attrs == child.xmlns else self._attrs(child, attrs, ns, prefixes)
                )
            else:
                el_ns = ns
                if child.ns is not None and ns != child.ns:
                    self._namespace(child, ns, child.name)
            order = child.order
            if order <= last:
                if order < last:
                    self._out_of_order(child)
                elif child.kind == NODE and not child.repeated and child.field in kw:
                    duplicate(child)  # a second SyncHdr, SyncBody, Meta...: skipped
                    return
            else:
                last = order
            if child.leaf:
                leaf = child
                return
            # push the open node's state and enter the child (inlined: this is per element)
            stack.append(_frame(Frame, (children, kw, ns, last, node, name_)))
            if len(stack) > max_depth:
                self.limit_exceeded(
                    "max_depth", max_depth, f"elements nest deeper than {max_depth}"
                )
            children = child.spec.children  # type: ignore[union-attr]
            kw = {}
            ns, last, node, name_ = el_ns, -1, child, name  # type: ignore[assignment]
            if child.counted:  # an Item or a command: count it against the limits
                count(child)

        def end(name: str) -> None:
            nonlocal leaf, children, kw, ns, last, node, name_
            if mode and special_end(name):
                return
            child = leaf
            if child is not None:
                leaf = None
                kind = child.kind
                if kind == 0:  # TEXT
                    if texts:
                        value: Any = "".join(texts)
                        texts.clear()
                        if len(value) > max_text:
                            too_long(child)
                        stripped = value.strip(" \t\r\n")  # XML whitespace only, not NBSP
                        if stripped is not value:
                            leaf = child
                            deviate(
                                "P103",
                                f"whitespace around the value of {child.name}"
                                f" ({value[:60]!r}); it was trimmed",
                            )
                            leaf = None
                            value = stripped
                    else:
                        value = ""
                elif kind == 3:  # DATA
                    if texts:  # (texts[0] may be a CData/XmlData: join would make it a str)
                        value = texts[0] if len(texts) == 1 else "".join(texts)
                        texts.clear()
                        if len(value) > max_text:
                            too_long(child)
                    else:
                        value = ""
                elif kind == 4:  # CODE
                    text = "".join(texts)
                    texts.clear()
                    value = child.cache.get(text)
                    if value is None:
                        leaf = child
                        value = self._code(child, text)
                        leaf = None
                        if text.isdigit() and len(child.cache) < 512:
                            child.cache[text] = value
                else:  # FLAG
                    if texts:
                        leaf = child
                        gap()
                        leaf = None
                    value = True
            else:
                if texts:
                    if len(texts) == 1 and not texts[0].strip(" \t\r\n"):
                        texts.clear()
                    else:
                        gap()
                child = node
                cs: ClassSpec | None = child.spec
                if cs is None:  # a transparent <MetInf> wrapper: nothing to build
                    children, kw, ns, last, node, name_ = stack.pop()
                    return
                if cs.fixups:
                    for f in cs.repeated:
                        lst = kw.get(f)
                        if lst is not None:
                            kw[f] = tuple(lst)
                    for req in cs.required:
                        if req.field not in kw:
                            self._missing(req, kw)
                value = child.cls(**kw)  # type: ignore[misc]
                children, kw, ns, last, node, name_ = stack.pop()
                if not stack:
                    finish_root()
                deliver(child, [value])
                return
            keep(child, value)

        # -- everything else ------------------------------------------------------------------

        def deliver(child: ChildSpec, values: list[Any]) -> None:
            """Finished nodes of one kind in the open element: to the streaming sink, or into
            their field."""
            if sink is not None and child.cls in sink_classes:
                stack.append(_frame(Frame, (children, kw, ns, last, node, name_)))
                consumed = sink(stack, values)
                stack.pop()
                if consumed:
                    streamed_out(child, len(values))
                    return
            for value in values:
                keep(child, value)

        def streamed_out(child: ChildSpec, n: int) -> None:
            """Count the children the sink took, so paths still number their siblings as
            ``parse`` does (``Item[1000001]``); only entries of open nodes are kept."""
            key = (id(kw), child)
            entry = streamed.get(key)
            if entry is not None and entry[0] is kw:
                entry[1] += n
                return
            if len(streamed) > 2 * len(stack) + 8:
                live = {id(frame.fields) for frame in stack}
                for old in [k for k in streamed if k[0] not in live]:
                    del streamed[old]
            streamed[key] = [kw, n]

        def keep(child: ChildSpec, value: Any) -> None:
            """Store a finished child's value in the open node's fields."""
            nonlocal leaf
            f = child.field
            if child.repeated:
                lst = kw.get(f)
                if lst is None:
                    kw[f] = [value]
                else:
                    lst.append(value)
            elif f in kw:
                leaf = child
                deviate("P106", f"{child.name} appears more than once; the first one is kept")
                leaf = None
            else:
                kw[f] = value

        def duplicate(child: ChildSpec) -> None:
            """One rule for a repeated singleton node, whoever reads: the first one is kept,
            the second is reported (P106) and skipped whole, so no streaming event and no
            Item comes out of it."""
            nonlocal mode
            deviate(
                "P106",
                f"{child.name} appears more than once; the first one is kept",
                extra=child.name,
            )
            mode = SkipNode(texts, check_depth)

        def check_depth(inner: int) -> None:
            """``inner`` more levels below the open node (inside a slow node) are allowed?"""
            if len(stack) + inner > max_depth:
                self.limit_exceeded(
                    "max_depth", max_depth, f"elements nest deeper than {max_depth}"
                )

        def too_long(child: ChildSpec) -> None:
            nonlocal leaf
            leaf = child
            self.limit_exceeded(
                "max_text", max_text, f"{child.name} holds more than {max_text} characters"
            )

        def count(child: ChildSpec, n: int = 1) -> None:
            if child.cls is item_cls:
                counts[0] += n
                if counts[0] > max_items:
                    self.limit_exceeded("max_items", max_items, f"more than {max_items} Items")
            else:
                counts[1] += n
                if counts[1] > max_commands:
                    self.limit_exceeded(
                        "max_commands", max_commands, f"more than {max_commands} commands"
                    )

        def finish_root() -> None:
            nonlocal mode
            mode = _DONE

        def slow_start(name: str, attrs: list[str]) -> None:
            """A name the current table lacks: prefixed, a MetInf wrapper, or unknown."""
            nonlocal mode, last, leaf
            # Namespaces first, stray attributes only once the name is known: an unknown
            # element (xi:include href=...) is reported as UnknownElement, not as its attributes.
            el_ns = self._attrs(None, attrs, ns, prefixes, report=False) if attrs else ns
            found = self._unknown(name, el_ns, node, name_, children, prefixes)
            if found is None:
                mode = SkipNode(texts, check_depth)
                return
            if attrs:
                self._attrs(None, attrs, ns, prefixes)
            child, el_ns = found
            if child.order < last:
                self._out_of_order(child)
            elif child.order >= 0:
                last = child.order
            if child.leaf and child.kind != TRANSPARENT:
                leaf = child
            else:
                push(child, name, el_ns)

        def special_start(name: str, attrs: list[str]) -> None:
            nonlocal mode
            if mode == _DONE:
                raise self.error(
                    f"a second root element <{name}>; expected nothing after the root element"
                )
            if mode == _ROOT:
                child, el_ns = self._root(name, attrs, node, children, prefixes)
                mode = 0
                push(child, name, el_ns)
                return
            if mode:  # inside a slow node
                mode.start(name, attrs)
                return
            assert leaf is not None  # an element inside a leaf
            if leaf.kind != DATA:
                self.deviate(
                    "P104",
                    f"element <{name}> inside {leaf.name}, which holds only text; it was skipped",
                    extra=name,
                    exception=UnknownElement,
                )
                mode = SkipNode(texts, check_depth)
                return
            mode = RawDataNode(texts, check_depth, self._check_attrs)
            mode.start(name, attrs)

        def special_end(name: str) -> bool:
            """True when a slow node took the end tag; a RawDataNode gives the Data's own end
            back (its value is then the only text), a SkipNode takes it."""
            nonlocal mode
            if mode in (_DONE, _ROOT):
                return False
            if mode.end(name):
                return True
            skipped = mode.__class__ is SkipNode
            mode = 0
            return skipped

        def cdata_start() -> None:
            nonlocal mode
            if mode == 0 and leaf is not None and leaf.kind == DATA:
                mode = RawDataNode(texts, check_depth, self._check_attrs)
            elif mode.__class__ is not RawDataNode:
                return
            mode.cdata_start()

        def cdata_end() -> None:
            if mode.__class__ is RawDataNode:
                mode.cdata_end()

        def opaque(payload: bytes) -> None:
            if mode.__class__ is SkipNode:
                return
            try:
                texts.append(payload.decode("utf-8"))
            except UnicodeDecodeError:
                texts.append(payload.decode("latin-1"))
                deviate("P111", "binary OPAQUE data is not UTF-8; kept as Latin-1 characters")

        def pending_text() -> int:
            n = sum(map(len, texts))
            if mode.__class__ is RawDataNode:
                n += mode.pending()
            return n

        def put(name: str, values: list[Any]) -> None:
            """Sibling child nodes of one name whose objects were built elsewhere (``_tree``'s
            walkers, from whole subtrees): order, limits, the sink and the field are handled as
            in start/end (a run of siblings is in order when its first one is)."""
            nonlocal last
            child = children.get(name)
            if child is None or child.leaf or mode or leaf is not None:
                raise self.error(f"{name} is not a child node here")
            if child.order < last:
                self._out_of_order(child)
            else:
                last = child.order
            if not child.repeated and (child.field in kw or len(values) > 1):
                deviate(
                    "P106",
                    f"{child.name} appears more than once; the first one is kept",
                    extra=name,
                )
            if len(stack) >= max_depth:
                self.limit_exceeded(
                    "max_depth", max_depth, f"elements nest deeper than {max_depth}"
                )
            if child.counted:
                count(child, len(values))
            deliver(child, values)

        def close() -> Any:
            if mode != _DONE or leaf is not None or stack:
                raise self.error("the document ended before its root element was closed")
            return root_kw["root"]

        self.start = start
        self.end = end
        self.cdata_start = cdata_start
        self.cdata_end = cdata_end
        self.opaque = opaque
        self.pending_text = pending_text
        self.close = close
        self.put = put
