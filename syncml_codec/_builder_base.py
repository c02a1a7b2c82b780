"""The builder's reporting half: positions, element paths, deviations and the slow checks.

``_builder.Builder`` keeps the hot core (``start``/``end`` over the open node's state) and
its named slow modes (``_slow``); everything it does only when something is unusual lives
here, as methods of ``BuilderBase``: the element path of the current position (one form, see
``_paths``), a positioned error, a deviation recorded by its ``P1xx`` code (or raised in
strict mode), a limit, and the checks of attributes, namespaces, unknown names, order and
missing elements.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any, Final, NamedTuple

from . import model
from ._paths import format_path
from ._slow import TRANSPARENT, wrapper_node
from ._table import NODE, TEXT, ChildSpec
from .codes import NS_METINF, NS_SYNCML11, NS_SYNCML12
from .diagnostics import Diagnostic
from .errors import DecodeError, LimitExceeded, MalformedXML, Position, UnknownElement
from .limits import Limits

__all__ = ["TRANSPARENT", "BuilderBase", "Frame"]


class Frame(NamedTuple):
    """The saved state of an open node: the builder's stack holds one per ancestor of the
    current element (the streaming sink reads ``fields`` and ``node``)."""

    children: dict[str, ChildSpec]  #: the node's children by element name (from the table)
    fields: dict[str, Any]  #: the node's field values so far (keyword arguments of its class)
    ns: str  #: its namespace
    last: int  #: DTD position of its last child (order check)
    node: ChildSpec  #: how it maps into its parent
    name: str  #: its element name as written


_SYNCML_VARIANTS: Final = frozenset(("syncml:syncml1.2", "syncml:syncml1.1", "syncml:syncml1.0"))

#: Elements read as empty when missing: the header and its addresses (a missing SyncBody, a
#: command's Item... stay errors: nothing would be left to read).
_ASSUMED_EMPTY: Final = frozenset((model.SyncHdr, model.Target, model.Source))


def _empty(spec: ChildSpec) -> Any:
    """The value of a required element read as empty: "" for text, an object whose required
    fields are all empty for an element; None when there is no such value (a code)."""
    if spec.kind == TEXT:
        return ""
    if spec.cls not in _ASSUMED_EMPTY or spec.spec is None:
        return None
    fields = {}
    for req in spec.spec.required:
        value = _empty(req)
        if value is None:
            return None
        fields[req.field] = value
    return spec.spec.cls(**fields)


def _local(name: str) -> str:
    """An element name without its prefix (paths use local names)."""
    return name.rpartition(":")[2]


class BuilderBase:
    """Positions, paths, deviations and slow checks for ``Builder`` (see the module docstring).

    The attributes are set by ``Builder.__init__``.
    """

    strict: bool
    limits: Limits
    locate: Callable[[], tuple[int, int]]
    optional: frozenset[str]
    doc_ns: str | None
    suppressed: int
    _diagnostics: list[Diagnostic]
    _streamed: dict[tuple[int, ChildSpec], list[Any]]

    def _state(self) -> tuple[list[Frame], Frame, ChildSpec | None]:
        """(the ancestors' frames, the open node's frame, the open leaf or None)."""
        raise NotImplementedError

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The deviations, at most ``max_diagnostics``: past it, the last entry is a P100 line
        that counts the ones not kept, so every deviation is still reported."""
        if not self.suppressed:
            return list(self._diagnostics)
        kept = self._diagnostics[: max(self.limits.max_diagnostics - 1, 0)]
        more = Diagnostic(
            "warning",
            "P100",
            f"{len(self._diagnostics) - len(kept) + self.suppressed} more deviation(s) were"
            f" counted but not kept (limit max_diagnostics={self.limits.max_diagnostics})",
        )
        return [*kept, more]

    # -- positions and paths ----------------------------------------------------------------------

    def open_element(self) -> str:
        """The name of the innermost open element ("" before the root)."""
        _, current, leaf = self._state()
        return leaf.name if leaf is not None else current.name

    def xpath(self, extra: str | None = None) -> str:
        """The element path of the current position, like ``/SyncML/SyncBody/Replace[2]/Item``
        (``extra``: one more element inside it, not entered). The form, and which steps carry
        ``[n]``, is ``_paths``'s; the builder only counts the siblings."""
        stack, current, leaf = self._state()
        frames = [*stack, current]
        steps = [
            (_local(frame.name), self._index(parent.fields, frame.node))
            for parent, frame in pairwise(frames)
        ]
        if leaf is not None:
            steps.append((leaf.name, self._index(current.fields, leaf)))
        if extra:
            name = _local(extra)
            child = current.children.get(name) if leaf is None else None
            steps.append((name, self._index(current.fields, child) if child is not None else 1))
        return format_path(steps)

    def _index(self, parent_kw: dict[str, Any], child: ChildSpec) -> int:
        """1-based position of ``child`` among its same-named siblings (streamed ones too)."""
        if not child.repeated:
            return 1
        siblings = parent_kw.get(child.field) or ()
        if child.kind == NODE:
            n = sum(1 for s in siblings if s.__class__ is child.cls)
        else:
            n = len(siblings)
        entry = self._streamed.get((id(parent_kw), child))
        if entry is not None and entry[0] is parent_kw:
            n += entry[1]
        return n + 1

    def position(self) -> Position:
        """The current position as a 1-based ``Position``."""
        line, col = self.locate()
        return Position(line, col)

    def error(
        self, message: str, *, cls: type[DecodeError] = DecodeError, extra: str | None = None
    ) -> DecodeError:
        """Build (not raise) a positioned error at the current element."""
        return cls(message, self.position(), self.xpath(extra))

    def deviate(
        self,
        code: str,
        message: str,
        *,
        extra: str | None = None,
        exception: type[DecodeError] = DecodeError,
    ) -> None:
        """Record a tolerated deviation, or raise it in strict mode."""
        if self.strict:
            raise self.error(message + " (strict mode)", cls=exception, extra=extra)
        if len(self._diagnostics) >= self.limits.max_diagnostics:
            self.suppressed += 1
            return
        line, col = self.locate()
        self._diagnostics.append(Diagnostic("warning", code, message, line, col, self.xpath(extra)))

    def limit_exceeded(self, limit: str, value: int, message: str) -> None:
        raise LimitExceeded(
            f"limit {limit}={value} exceeded: {message}",
            self.position(),
            self.xpath(),
            limit=limit,
            value=value,
        )

    def assumed(self, node: ChildSpec, name: str) -> Any:
        """The value a required child ``name`` of ``node`` is read as when it is missing (an
        empty SyncHdr, Target or Source; "" for text), or None when its absence is an error.
        The streaming reader hands out the header it will be before the message ends."""
        spec = node.spec.children.get(name) if node.spec is not None else None
        return _empty(spec) if spec is not None else None

    # -- slow paths -------------------------------------------------------------------------------

    def _check_attrs(self, attrs: list[str]) -> None:
        lim = self.limits
        if len(attrs) > 2 * lim.max_attributes:
            self.limit_exceeded(
                "max_attributes",
                lim.max_attributes,
                f"more than {lim.max_attributes} attributes on one element",
            )
        for i in range(1, len(attrs), 2):
            if len(attrs[i]) > lim.max_attribute_length:
                self.limit_exceeded(
                    "max_attribute_length",
                    lim.max_attribute_length,
                    f"attribute {attrs[i - 1]} is longer than "
                    f"{lim.max_attribute_length} characters",
                )

    def _attrs(
        self,
        child: ChildSpec | None,
        attrs: list[str],
        ns: str,
        prefixes: dict[str, str],
        *,
        report: bool = True,
    ) -> str:
        """Apply the namespace declarations in ``attrs``; return the element's namespace.

        ``report=False`` skips the P110 deviation for attributes SyncML does not have.
        """
        self._check_attrs(attrs)
        for i in range(0, len(attrs), 2):
            key = attrs[i]
            if key == "xmlns":
                ns = attrs[i + 1]
            elif key.startswith("xmlns:"):
                prefixes[key[6:]] = attrs[i + 1]
            elif ":" in key or not report:
                pass  # msft:originalerror and other extension attributes: not modelled
            else:
                where = child.name if child is not None else None  # (not entered yet)
                self.deviate(
                    "P110",
                    f"attribute {key}={attrs[i + 1][:60]!r} is not part of SyncML; it was ignored",
                    extra=where,
                )
        if child is not None:
            expected = child.ns or self.doc_ns
            if ns != expected:
                self._namespace(child, ns, child.name)
        return ns

    def _root(
        self,
        name: str,
        attrs: list[str],
        root: ChildSpec,
        children: dict[str, ChildSpec],
        prefixes: dict[str, str],
    ) -> tuple[ChildSpec, str]:
        """The root element: (how it maps, its namespace); an unexpected one raises."""
        el_ns = self._attrs(None, attrs, "", prefixes, report=False) if attrs else ""
        root_ns = el_ns
        child = children.get(name)
        if child is None and ":" in name:  # <ns0:SyncML xmlns:ns0="SYNCML:SYNCML1.2">
            prefix, _, local = name.partition(":")
            child = children.get(local)
            root_ns = prefixes.get(prefix, "")
            if child is not None:
                self.deviate(
                    "P108",
                    f"{name} uses a namespace prefix ({prefix}={root_ns!r}); SyncML"
                    f" writes {local} with a default namespace",
                    extra=name,
                )
        if child is None:
            self._unknown(name, "", root, "", children, prefixes)  # raises
            raise AssertionError("unreachable: an unknown root element raises")
        if attrs:
            self._attrs(None, attrs, "", prefixes)  # report stray attributes
        self._root_namespace(child, root_ns, name)
        return child, el_ns

    def _root_namespace(self, child: ChildSpec, ns: str, name: str) -> None:
        """The root element decides the document's namespace (spec 1.1)."""
        if ns in (NS_SYNCML12, NS_SYNCML11) or (child.ns == NS_METINF and ns == NS_METINF):
            self.doc_ns = ns if child.ns != NS_METINF else NS_SYNCML12
            return
        self.doc_ns = ns
        if not ns:
            msg = f'<{name}> declares no namespace; expected xmlns="{NS_SYNCML12}"'
        elif ns.strip().lower() in _SYNCML_VARIANTS:
            msg = f"namespace {ns!r} is misspelled; expected {NS_SYNCML12!r}"
        else:
            msg = f"<{name}> is in namespace {ns!r}; expected {NS_SYNCML12!r}"
        self.deviate("P101", msg, extra=name)

    def _namespace(self, child: ChildSpec, ns: str, name: str) -> None:
        """A namespace variant: lenient readers map ``SYNCML:SYNCML1.1``, no namespace,
        ``syncml:metinfo`` and trailing spaces, with a warning (spec 1.1)."""
        if child.ns == NS_METINF:
            what = "no namespace" if not ns else f"namespace {ns!r}"
            self.deviate(
                "P101",
                f'MetInf element {child.name} has {what}; expected xmlns="{NS_METINF}"',
                extra=name,
            )
        else:
            self.deviate(
                "P101", f"{child.name} is in namespace {ns!r}; expected {self.doc_ns!r}", extra=name
            )

    def _unknown(
        self,
        name: str,
        ns: str,
        node: ChildSpec,
        node_name: str,
        children: dict[str, ChildSpec],
        prefixes: dict[str, str],
    ) -> tuple[ChildSpec, str] | None:
        if ":" in name:
            prefix, local = name.split(":", 1)
            if prefix not in prefixes and prefix != "xml":
                self.deviate(
                    "P113",
                    f"namespace prefix {prefix!r} of <{name}> is not declared"
                    " (not namespace-well-formed)",
                    extra=name,
                    exception=MalformedXML,
                )
            child = children.get(local)
            if child is not None:
                uri = prefixes.get(prefix, "")
                self.deviate(
                    "P108",
                    f"{name} uses a namespace prefix ({prefix}={uri!r});"
                    f" SyncML writes {local} with a default namespace",
                    extra=name,
                )
                expected = child.ns or self.doc_ns
                if uri != expected:
                    self._namespace(child, uri, name)
                return child, ns
            name = local
        if name == "MetInf" and node.cls is model.Meta:
            self.deviate(
                "P108",
                "MetInf elements are wrapped in <MetInf>; SyncML puts them"
                " directly in <Meta> (spec 1.4)",
                extra=name,
            )
            return wrapper_node(ns), ns
        if node.cls is object:
            expected = ", ".join(sorted(children)) if len(children) < 5 else "a SyncML element"
            raise self.error(
                f"unexpected root element <{name}>; expected {expected}",
                cls=UnknownElement,
                extra=name,
            )
        what = f"unknown element <{name}> in {node_name}"
        if name in ("Put", "Map", "Sync", "Search", "Move"):
            what += " (a SyncML DS command, not part of OMA DM)"
        else:
            meant = {known.lower(): known for known in children}.get(name.lower())
            if meant is not None:  # <GET>, <item>: element names are case-sensitive
                what += f" (did you mean <{meant}>?)"
        self.deviate("P104", what + "; it was skipped", extra=name, exception=UnknownElement)
        return None

    def _out_of_order(self, child: ChildSpec) -> None:
        node = self._state()[1].node
        assert node.spec is not None
        order = [g[0].name if len(g) == 1 else "(commands)" for g in node.spec.fields]
        self.deviate(
            "P102",
            f"{child.name} is out of DTD order in {node.name}; expected ({', '.join(order)})",
            extra=child.name,
        )

    def _missing(self, req: ChildSpec, kw: dict[str, Any]) -> None:
        """A required child is absent. Tolerant mode reads it as empty (P105), a whole
        missing element too when it has only text and element children: header-less
        ``<SyncML><SyncBody>...`` messages (the shape Windows' local MDM API takes) and
        devices' ``<SyncHdr/>`` answers get an empty header. Strict mode raises."""
        if req.name in self.optional:  # CmdID in a snippet file: the server assigns it
            kw[req.field] = ""
            return
        empty = _empty(req)
        if empty is None:
            raise self.error(f"required element {req.name} is missing", extra=req.name)
        what = "it was read as empty" if req.kind == TEXT else "an empty one was assumed"
        self.deviate("P105", f"required element {req.name} is missing; {what}")
        kw[req.field] = empty

    def _code(self, child: ChildSpec, text: str) -> Any:
        stripped = text.strip(" \t\r\n")
        if stripped != text:
            self.deviate("P103", f"whitespace around the code in {child.name} ({text!r})")
        if not stripped.isdigit() or not stripped.isascii() or len(stripped) > 9:
            raise self.error(f"{child.name} must be a numeric code, got {text[:40]!r}")
        assert child.convert is not None
        return child.convert(int(stripped))
