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

* the state of the open element lives in plain attributes of the builder (``_children``,
  ``_kw``, ``_ns``, ``_last``, ``_node``, ``_name``, ``_leaf``), not in a frame object: a leaf
  element (CmdID, LocURI, Format, Data...) pushes nothing at all, a node pushes one tuple;
* per start tag: one dict probe in the table, one order comparison, one list comparison when
  the tag has attributes; per end tag: one join (usually of one string), one ``strip`` identity
  check, one dict store; per node: one ``cls(**kw)`` call;
* text is collected by ``list.append`` bound directly as expat's CharacterDataHandler;
* positions and element paths are computed only when a deviation is reported or an error
  raised; everything unusual (root element, unknown names, prefixes, markup inside Data,
  skipped subtrees) goes through ``_mode`` to slower methods that the hot path never calls.
  The slow modes are small node objects (``_slow``: ``BeforeRoot``, ``AfterRoot``,
  ``SkipNode``, ``RawDataNode``) with the same ``start``/``end``/CDATA methods; a ``<MetInf>``
  wrapper is a transparent frame on the stack (``_slow.wrapper_node``); the reporting half
  (positions, paths, deviations, limits, the slow checks) is ``_builder_base.BuilderBase``.

The hot core is ``start`` and ``end`` on an element the table knows in its place: one dict
probe, an order comparison, a frame push or pop, a field store. Everything else is a method of
its own, called only when its case occurs.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any, Final

from . import model
from ._builder_base import BuilderBase, Frame
from ._slow import TRANSPARENT, AfterRoot, BeforeRoot, RawDataNode, SkipNode
from ._table import CLASS_SPECS, CODE, DATA, NODE, TEXT, ChildSpec, ClassSpec
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

_WS: Final = " \t\r\n"  # XML whitespace (not NBSP)

#: The streaming hook: called with (open frames, completed objects of one kind); True: "consumed".
Sink = Callable[[list[Frame], list[Any]], bool]
_frame = tuple.__new__  # Frame(...) in C: no Python-level __new__ call on the hot path


class no_cyclic_gc:
    """Pause the cyclic garbage collector while a large acyclic model is built and walked.

    The model is slotted dataclasses and tuples with no reference cycles, so the collector
    finds nothing, yet its repeated passes over a heap growing by 10^5-10^6 objects cost 20-35%
    of validating a 40 MB device-info package (measured by hand; see the validate report), and
    a small message's elements and objects trigger a young-generation pass every few messages.
    Reference counting still frees everything; the previous state is restored on exit. (A
    class, not a generator: entering and leaving cost a server's request well under 1 us.)
    """

    __slots__ = ("_enabled",)

    def __enter__(self) -> None:
        self._enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._enabled:
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
        self.locate = locate or _nowhere
        self._diagnostics = []
        self.suppressed = 0
        self.doc_ns = None
        self._streamed = {}  # (id of an open node's fields, child) -> [those fields, n streamed]
        self._sink = sink
        self._sink_classes = sink_classes
        self._max_depth = lim.max_depth
        self._max_text = lim.max_text
        self._max_items = lim.max_items if lim.max_items is not None else 1 << 62
        self._max_commands = lim.max_commands if lim.max_commands is not None else 1 << 62
        self._items = 0
        self._commands = 0
        self._prefixes: dict[str, str] = {}
        self._texts: list[str] = []
        #: expat's CharacterDataHandler: text is collected by ``list.append`` in C
        self.data: Callable[[str], None] = self._texts.append
        # The open node's state; ``_stack`` holds the ancestors' saved states.
        assert root.spec is not None
        self._stack: list[Frame] = []
        self._children: dict[str, ChildSpec] = root.spec.children
        self._kw: dict[str, Any] = {}
        self._root_kw = self._kw
        self._ns = ""
        self._last = -1
        self._node = root
        self._name = ""
        self._leaf: ChildSpec | None = None
        # 0 on the hot path, else the slow node that takes the events (see ``_slow``)
        self._mode: Any = BeforeRoot(self._enter_root, self.error)

    def _state(self) -> tuple[list[Frame], Frame, ChildSpec | None]:
        frame = _frame(
            Frame, (self._children, self._kw, self._ns, self._last, self._node, self._name)
        )
        return self._stack, frame, self._leaf

    # -- the hot core -----------------------------------------------------------------------------

    def start(self, name: str, attrs: list[str]) -> None:
        """A start tag (expat's StartElementHandler; ``attrs`` a flat name/value list)."""
        if self._mode or self._leaf is not None:
            self._special_start(name, attrs)
            return
        texts = self._texts
        if texts:
            if len(texts) == 1 and not texts[0].strip(_WS):
                texts.clear()
            else:
                self._gap()
        child = self._children.get(name)
        if child is None:
            self._slow_start(name, attrs)
            return
        ns = self._ns
        if attrs:
            el_ns = (
                child.ns if attrs == child.xmlns else self._attrs(child, attrs, ns, self._prefixes)
            )
        else:
            el_ns = ns
            if child.ns is not None and ns != child.ns:
                self._namespace(child, ns, child.name)
        order = child.order
        last = self._last
        if order <= last:
            if order < last:
                self._out_of_order(child)
            elif child.kind == NODE and not child.repeated and child.field in self._kw:
                self._duplicate(child)  # a second SyncHdr, SyncBody, Meta...: skipped
                return
        else:
            self._last = last = order
        if child.leaf:
            self._leaf = child
            return
        # push the open node's state and enter the child (inlined: this is per element)
        stack = self._stack
        stack.append(_frame(Frame, (self._children, self._kw, ns, last, self._node, self._name)))
        if len(stack) > self._max_depth:
            self._check_depth(0)
        self._children = child.spec.children  # type: ignore[union-attr]
        self._kw = {}
        self._ns = el_ns  # type: ignore[assignment]
        self._last = -1
        self._node = child
        self._name = name
        if child.counted:  # an Item or a command: count it against the limits
            self._count(child, 1)

    def end(self, name: str) -> None:
        """An end tag (expat's EndElementHandler)."""
        if self._mode and self._special_end(name):
            return
        child = self._leaf
        texts = self._texts
        if child is None:  # the end of a node: build its object
            if texts and (len(texts) > 1 or texts[0].strip(_WS)):
                self._gap()
            texts.clear()
            child = self._node
            cs: ClassSpec | None = child.spec
            stack = self._stack
            if cs is None:  # a transparent <MetInf> wrapper: nothing to build
                self._children, self._kw, self._ns, self._last, self._node, self._name = stack.pop()
                return
            if cs.fixups:
                self._fixups(cs, self._kw)
            value: Any = child.cls(**self._kw)  # type: ignore[misc]
            self._children, self._kw, self._ns, self._last, self._node, self._name = stack.pop()
            if not stack:
                self._mode = AfterRoot(self.error)
            if self._sink is not None and child.cls in self._sink_classes:
                self._deliver(child, [value])
            elif child.repeated or child.field in self._kw:
                self._keep(child, value)
            else:  # (inlined _keep: the usual case)
                self._kw[child.field] = value
            return
        kind = child.kind
        if kind == TEXT:
            value = "".join(texts)
            texts.clear()
            if len(value) > self._max_text:
                self._too_long(child)
            stripped = value.strip(_WS)
            if stripped is not value:
                value = self._trimmed(child, value, stripped)
        elif kind == DATA:  # (texts[0] may be a CData/XmlData: join would make it a str)
            value = texts[0] if len(texts) == 1 else "".join(texts)
            texts.clear()
            if len(value) > self._max_text:
                self._too_long(child)
        else:
            value = self._code_or_flag(child)
        self._leaf = None
        if child.repeated or child.field in self._kw:
            self._keep(child, value)
        else:  # (inlined _keep: the usual case)
            self._kw[child.field] = value

    # -- what ends a node or leaf, beside the hot core ------------------------------------------

    def _fixups(self, cs: ClassSpec, kw: dict[str, Any]) -> None:
        """Repeated fields become tuples; missing required ones are reported (or filled)."""
        for f in cs.repeated:
            lst = kw.get(f)
            if lst is not None:
                kw[f] = tuple(lst)
        for req in cs.required:
            if req.field not in kw:
                self._missing(req, kw)

    def _trimmed(self, child: ChildSpec, value: str, stripped: str) -> str:
        """A text value with whitespace around it (the open leaf is ``child``)."""
        self.deviate(
            "P103", f"whitespace around the value of {child.name} ({value[:60]!r}); it was trimmed"
        )
        return stripped

    def _code_or_flag(self, child: ChildSpec) -> Any:
        """The value of a CODE leaf (an open IntEnum, cached by text) or of a FLAG (True)."""
        texts = self._texts
        if child.kind == CODE:
            text = "".join(texts)
            texts.clear()
            value = child.cache.get(text)
            if value is None:
                value = self._code(child, text)
                if text.isdigit() and len(child.cache) < 512:
                    child.cache[text] = value
            return value
        if texts:  # FLAG: EMPTY content
            self._gap()
        return True

    def _gap(self) -> None:
        """Text where only elements belong (XML whitespace between elements is fine)."""
        texts = self._texts
        text = "".join(texts)
        texts.clear()
        if text.strip(_WS):
            self.deviate(
                "P107", f"text {text.strip()[:40]!r} is not allowed here (element-only content)"
            )

    def _keep(self, child: ChildSpec, value: Any) -> None:
        """Store a finished child's value in the open node's fields."""
        kw = self._kw
        f = child.field
        if child.repeated:
            lst = kw.get(f)
            if lst is None:
                kw[f] = [value]
            else:
                lst.append(value)
        elif f in kw:
            self._leaf = child  # (the path of the report ends at the repeated child)
            self.deviate("P106", f"{child.name} appears more than once; the first one is kept")
            self._leaf = None
        else:
            kw[f] = value

    def _deliver(self, child: ChildSpec, values: list[Any]) -> None:
        """Finished nodes of one kind in the open element: to the streaming sink, or into
        their field."""
        sink = self._sink
        if sink is not None and child.cls in self._sink_classes:
            stack = self._stack
            stack.append(
                _frame(
                    Frame, (self._children, self._kw, self._ns, self._last, self._node, self._name)
                )
            )
            consumed = sink(stack, values)
            stack.pop()
            if consumed:
                self._streamed_out(child, len(values))
                return
        if child.repeated:  # (a run of Items from ``put``: one list operation)
            kw = self._kw
            lst = kw.get(child.field)
            if lst is None:
                kw[child.field] = list(values)
            else:
                lst.extend(values)
            return
        for value in values:
            self._keep(child, value)

    def _streamed_out(self, child: ChildSpec, n: int) -> None:
        """Count the children the sink took, so paths still number their siblings as
        ``parse`` does (``Item[1000001]``); only entries of open nodes are kept."""
        kw, streamed = self._kw, self._streamed
        key = (id(kw), child)
        entry = streamed.get(key)
        if entry is not None and entry[0] is kw:
            entry[1] += n
            return
        if len(streamed) > 2 * len(self._stack) + 8:
            live = {id(frame.fields) for frame in self._stack}
            for old in [k for k in streamed if k[0] not in live]:
                del streamed[old]
        streamed[key] = [kw, n]

    # -- limits -----------------------------------------------------------------------------------

    def _check_depth(self, inner: int) -> None:
        """``inner`` more levels below the open node (inside a slow node) are allowed?"""
        max_depth = self._max_depth
        if len(self._stack) + inner > max_depth:
            self.limit_exceeded("max_depth", max_depth, f"elements nest deeper than {max_depth}")

    def _too_long(self, child: ChildSpec) -> None:
        self._leaf = child
        max_text = self._max_text
        self.limit_exceeded(
            "max_text", max_text, f"{child.name} holds more than {max_text} characters"
        )

    def _count(self, child: ChildSpec, n: int) -> None:
        """Count Items and commands against ``max_items`` and ``max_commands``."""
        if child.cls is model.Item:
            self._items += n
            if self._items > self._max_items:
                self.limit_exceeded(
                    "max_items", self._max_items, f"more than {self._max_items} Items"
                )
        else:
            self._commands += n
            if self._commands > self._max_commands:
                self.limit_exceeded(
                    "max_commands", self._max_commands, f"more than {self._max_commands} commands"
                )

    # -- the slow starts and ends -----------------------------------------------------------------

    def _push(self, child: ChildSpec, name: str, el_ns: str) -> None:
        """Enter a node from a slow path (root, prefixed name, MetInf wrapper)."""
        stack = self._stack
        stack.append(self._state()[1])
        if len(stack) > self._max_depth:
            self._check_depth(0)
        self._node, self._name, self._ns, self._last = child, name, el_ns, -1
        if child.kind == TRANSPARENT:
            return
        self._children = child.spec.children  # type: ignore[union-attr]
        self._kw = {}
        if child.counted:
            self._count(child, 1)

    def _enter_root(self, name: str, attrs: list[str]) -> None:
        """The root element's start tag (the ``BeforeRoot`` mode's)."""
        child, el_ns = self._root(name, attrs, self._node, self._children, self._prefixes)
        self._mode = 0
        self._push(child, name, el_ns)

    def _duplicate(self, child: ChildSpec) -> None:
        """One rule for a repeated singleton node, whoever reads: the first one is kept,
        the second is reported (P106) and skipped whole, so no streaming event and no
        Item comes out of it."""
        self.deviate(
            "P106", f"{child.name} appears more than once; the first one is kept", extra=child.name
        )
        self._mode = SkipNode(self._texts, self._check_depth)

    def _slow_start(self, name: str, attrs: list[str]) -> None:
        """A name the current table lacks: prefixed, a MetInf wrapper, or unknown."""
        ns = self._ns
        # Namespaces first, stray attributes only once the name is known: an unknown
        # element (xi:include href=...) is reported as UnknownElement, not as its attributes.
        el_ns = self._attrs(None, attrs, ns, self._prefixes, report=False) if attrs else ns
        found = self._unknown(name, el_ns, self._node, self._name, self._children, self._prefixes)
        if found is None:
            self._mode = SkipNode(self._texts, self._check_depth)
            return
        if attrs:
            self._attrs(None, attrs, ns, self._prefixes)
        child, el_ns = found
        if child.order < self._last:
            self._out_of_order(child)
        elif child.order >= 0:
            self._last = child.order
        if child.leaf and child.kind != TRANSPARENT:
            self._leaf = child
        else:
            self._push(child, name, el_ns)

    def _special_start(self, name: str, attrs: list[str]) -> None:
        """A start tag in a slow mode, or inside a leaf (markup in Data, else skipped)."""
        mode = self._mode
        if mode:
            mode.start(name, attrs)
            return
        leaf = self._leaf
        assert leaf is not None
        if leaf.kind != DATA:
            self.deviate(
                "P104",
                f"element <{name}> inside {leaf.name}, which holds only text; it was skipped",
                extra=name,
                exception=UnknownElement,
            )
            self._mode = SkipNode(self._texts, self._check_depth)
            return
        self._mode = mode = RawDataNode(self._texts, self._check_depth, self._check_attrs)
        mode.start(name, attrs)

    def _special_end(self, name: str) -> bool:
        """True when a slow node took the end tag; a RawDataNode gives the Data's own end
        back (its value is then the only text), a SkipNode takes it."""
        mode = self._mode
        if mode.end(name):
            return True
        self._mode = 0
        return mode.__class__ is SkipNode

    # -- the other parser-target methods ----------------------------------------------------------

    def cdata_start(self) -> None:
        """A CDATA section opens: inside Data it makes the value raw (``RawDataNode``)."""
        mode = self._mode
        if not mode:
            leaf = self._leaf
            if leaf is None or leaf.kind != DATA:
                return  # CDATA where only elements belong: its text is reported as a gap
            self._mode = mode = RawDataNode(self._texts, self._check_depth, self._check_attrs)
        mode.cdata_start()

    def cdata_end(self) -> None:
        """A CDATA section closes."""
        if self._mode:
            self._mode.cdata_end()

    def opaque(self, payload: bytes) -> None:
        """WBXML OPAQUE data: text when it is UTF-8, else Latin-1 characters (P111)."""
        if self._mode.__class__ is SkipNode:
            return
        try:
            self._texts.append(payload.decode("utf-8"))
        except UnicodeDecodeError:
            self._texts.append(payload.decode("latin-1"))
            self.deviate("P111", "binary OPAQUE data is not UTF-8; kept as Latin-1 characters")

    def pending_text(self) -> int:
        """Characters held for the open element (the drivers check ``max_text`` with it)."""
        n = sum(map(len, self._texts))
        if self._mode:
            n += self._mode.pending()
        return n

    def put(self, name: str, values: list[Any]) -> None:
        """Sibling child nodes of one name whose objects were built elsewhere (``_tree``'s
        walkers, from whole subtrees): order, limits, the sink and the field are handled as
        in start/end (a run of siblings is in order when its first one is)."""
        child = self._children.get(name)
        if child is None or child.leaf or self._mode or self._leaf is not None:
            raise self.error(f"{name} is not a child node here")
        if child.order < self._last:
            self._out_of_order(child)
        else:
            self._last = child.order
        if not child.repeated and (child.field in self._kw or len(values) > 1):
            self.deviate(
                "P106", f"{child.name} appears more than once; the first one is kept", extra=name
            )
        if len(self._stack) >= self._max_depth:
            self._check_depth(1)
        if child.counted:
            self._count(child, len(values))
        self._deliver(child, values)

    def close(self) -> Any:
        """The root object, once the root element has ended."""
        if self._mode.__class__ is not AfterRoot or self._leaf is not None or self._stack:
            raise self.error("the document ended before its root element was closed")
        return self._root_kw["root"]


def _nowhere() -> tuple[int, int]:
    return (0, 0)
