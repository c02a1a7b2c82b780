"""The fast path's entry points: a small message read whole, a large one piece by piece.

Strategy: a message in one chunk of at most ``PIECE`` bytes (a server's request, 1-3 KB) is
read whole (``parse_whole``): one scan of the bytes for what the tree parser would pass over
silently (``_tree.scan_declaration``/``scan_markup``), the C parser of ``xml.etree`` building
the tree, and the generated document walker (``_walkgen``) building the model from it with no
``Builder`` call at all. A longer message goes piece by piece through the ``TreeEngine``.

The per-message fixed cost is what a server pays per request, so the C parser is reused:
``_Reader`` keeps one open inside a synthetic ``<r>`` wrapper element, feeds each message's
markup after its XML declaration, then an empty marker element ``<z/>``. The message is
whole exactly when the wrapper then holds two children, the message's root and that empty
marker: an element left open (inside the root or after it) holds the marker instead, a second
root is a third child, a stray ``</r>`` ends the wrapper's document and the marker is a parse
error. Outside the root, a document allows only whitespace and comments: inside the wrapper
anything else would be content, so the bytes around the root are checked first
(``_only_root``; a character reference such as ``&#32;`` would even look like whitespace in
the tree). Reusing the
parser also reuses its cache of tag names: 20% of the tree's cost at 2 KB (47.7 -> 38.2 us
for sample 04, measured by hand). A reader that saw any error or bail is dropped, so the
cache only ever holds the names of messages the walkers read through (the table's names);
the pool keeps at most ``_POOL_SIZE`` readers (one per thread that reads at once). Elements
inside a Data may have any names: a reader that met one beyond the first 512 such names the
process saw is dropped too (``_slow.NEW_NAMES``).

Invariants: ``Bail`` (or a ``DecodeError``) from here means "read it on the exact path"; the
readers' choice between here and the exact path lives in ``_source``.
"""

from __future__ import annotations

import atexit
import re
from collections import deque
from collections.abc import Collection, Iterable, Iterator
from itertools import chain
from typing import Any, Final, NamedTuple, TypeAlias
from xml.etree.ElementTree import Element, TreeBuilder, XMLParser

from . import _wbxml as wbxml
from ._builder import Builder, document_spec, no_cyclic_gc
from ._slow import NEW_NAMES
from ._tree import (
    PIECE,
    Bail,
    TreeEngine,
    WbxmlTree,
    available,
    decode_wbxml,
    scan_declaration,
    scan_markup,
)
from ._walkgen import CHECKED, LEAN, LEAN_MARKUP, PLAIN, PLAIN_MARKUP, Checks, walkers
from .codes import NS_SYNCML11, NS_SYNCML12
from .errors import DecodeError
from .limits import Limits

__all__ = ["Head", "parse_fast", "parse_fast_input", "parse_whole"]

_AVAILABLE: Final = available()
#: An XML declaration that a parser reading UTF-8 accepts and that changes nothing: version
#: 1.0, UTF-8 or no encoding, any standalone (XML 1.0 production 23, XMLDecl).
_PLAIN_DECLARATION: Final = re.compile(
    rb"""<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*("1\.0"|'1\.0')"""
    rb"""([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*("(?i:utf-8)"|'(?i:utf-8)'))?"""
    rb"""([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*("yes"|"no"|'yes'|'no'))?"""
    rb"""[ \t\r\n]*\?>"""
)
_ROOTS: Final = {f"{{{ns}}}SyncML": ns for ns in (NS_SYNCML12, NS_SYNCML11)}
_MARKER: Final = b"<z/>"
_BOM: Final = b"\xef\xbb\xbf"
_USUAL_DECLARATION: Final = b'<?xml version="1.0" encoding="UTF-8"?>'
_CHAR_REF: Final = re.compile(rb"&#")  # (a regex: 3x as fast as bytes.find for two bytes)
_WITH_MARKUP: Final = {LEAN: LEAN_MARKUP, PLAIN: PLAIN_MARKUP}
_POOL_SIZE: Final = 8
#: The namespace declarations of a message: the parser's ("start-ns", (prefix, uri)) events.
Declarations: TypeAlias = Collection[tuple[str, tuple[str, str]]]
_USES: Final = 1000
_WS_BYTES: Final = b" \t\r\n"
_LONGEST_NAMESPACE: Final = max(NS_SYNCML12, NS_SYNCML11, "syncml:metinf", key=len)


class _Reader:
    """A C ``XMLParser`` kept open inside a ``<r>`` wrapper (see the module docstring)."""

    __slots__ = ("_declared", "_parser", "_wrapper", "uses")

    def __init__(self) -> None:
        queue: deque[tuple[str, Any]] = deque()
        self._parser = XMLParser()  # noqa: S314 - DTDs, entities and PIs bail in scan_markup
        self._parser._setevents(queue, ("start",))  # type: ignore[attr-defined]
        self._parser.feed(b"<r>")
        self._wrapper: Element = queue[0][1]
        queue.clear()
        # from now on, one event per namespace declaration: ("start-ns", (prefix, uri))
        self._parser._setevents(queue, ("start-ns",))  # type: ignore[attr-defined]
        self._declared = queue
        self.uses = 0

    def tree(self, markup: bytes | memoryview) -> tuple[Element, Declarations]:
        """The root element of one message's ``markup`` and the namespaces it declares (one
        entry per declaration); ``Bail`` (drop this reader) where that is not one whole
        element. The declarations are the parser's ("start-ns", (prefix, namespace)) events,
        valid until this reader reads again."""
        parser, wrapper = self._parser, self._wrapper
        self._declared.clear()
        try:
            parser.feed(markup)
            parser.feed(_MARKER)
        except Exception as exc:  # ParseError, or a codec error
            raise Bail(str(exc)) from None
        if len(wrapper) != 2:
            raise Bail("not one whole root element")
        root, marker = wrapper
        if marker.tag != "z" or len(marker) or marker.text is not None:
            raise Bail("an element left open after the root")  # (it holds the marker)
        del wrapper[:]
        return root, self._declared


_POOL: list[_Reader] = []
# The pooled C parsers are freed before the interpreter's last collection at exit (see
# ``_tree.TreeEngine.release``).
atexit.register(_POOL.clear)


def _take() -> _Reader:
    """A free reader from the pool, or a new one."""
    try:
        return _POOL.pop()
    except IndexError:
        return _Reader()


def _give_back(reader: _Reader) -> None:
    """A reader whose message the walkers read through; it retires after ``_USES`` messages."""
    reader.uses += 1
    if reader.uses < _USES and len(_POOL) < _POOL_SIZE:
        _POOL.append(reader)


def _fresh_tree(data: bytes) -> tuple[Element, Declarations]:
    """The tree of a whole message in a declared encoding, by a parser of its own, and the
    namespaces it declares."""
    declared: deque[tuple[str, Any]] = deque()
    parser = XMLParser()  # noqa: S314 - DTDs, entities and PIs bail in scan_markup
    parser._setevents(declared, ("start-ns",))  # type: ignore[attr-defined]
    try:
        parser.feed(data)
        root: Element = parser.close()
    except Exception as exc:  # ParseError, or a codec error
        raise Bail(str(exc)) from None
    return root, declared


def parse_whole(
    data: bytes, limits: Limits, *, wbxml_input: bool = False, head: list[Head] | None = None
) -> Any:
    """A whole message of at most ``PIECE`` bytes, read in one go (module docstring);
    ``Bail`` where the exact path must read it. ``head`` receives the message's ``Head``
    (``validate`` needs it, and would otherwise scan the input again).

    What the builder would count is bounded first: a message of ``n`` bytes holds at most
    ``n // 6`` commands or Items (``<Get/>``, ``<Item/>``), so a count limit below that hands
    the message to the exact path, which counts (and reports) exactly.
    """
    n = len(data)
    if n > _whole_up_to(limits, wbxml_input):
        raise Bail("a limit this message might reach, or not a small message")
    if wbxml_input:
        target = TreeBuilder()
        decode_wbxml(data, WbxmlTree(target, _no_walk), limits)
        return _walk(target.close(), CHECKED, (), limits, head)
    if data.startswith(_USUAL_DECLARATION):
        start = len(_USUAL_DECLARATION)
    else:
        plain = _PLAIN_DECLARATION.match(data, 3 if data.startswith(_BOM) else 0)
        start = plain.end() if plain is not None else scan_declaration(data)
        if plain is None and start > 3:  # a reused parser never sees the declaration: only
            scan_markup(data, start, prefixes=False)  # a plain one may be left out
            root, declared = _fresh_tree(data)
            return _walk(root, CHECKED if n > limits.max_text else LEAN, declared, limits, head)
    scan_markup(data, start, prefixes=False)  # (prefixes: from the declarations, in _walk)
    if not _only_root(data, start):
        raise Bail("a character reference or other text outside the root element")
    reader = _take()
    NEW_NAMES.flag = False
    root, declared = reader.tree(memoryview(data)[start:] if start else data)
    kind = LEAN if n <= limits.max_text else CHECKED  # (LEAN: no text can be too long)
    if kind is LEAN and _plain_message(data, start, len(declared)):
        kind = PLAIN
    message = _walk(root, kind, declared, limits, head)
    if not NEW_NAMES.flag:  # (a reader that met a bail, or too many names, is dropped)
        _give_back(reader)
    return message


def _only_root(data: bytes, start: int) -> bool:
    """Only XML whitespace and comments before the root element (from ``start``, after the XML
    declaration) and after it, as outside a document's root. Inside the wrapper of a reused
    parser, text there is content (a character reference, ``&#32;``, even looks like
    whitespace in the tree), so the bytes are what is checked."""
    i = start
    while True:
        j = data.find(b"<", i)
        if j < 0 or data[i:j].strip(_WS_BYTES):
            return False
        if not data.startswith(b"<!--", j):
            break
        i = data.find(b"-->", j + 4) + 3
        if i < 3:
            return False
    after = data.rfind(b">") + 1  # the end of the root's end tag, or of a comment after it
    if not after or data[after:].strip(_WS_BYTES):
        return False
    while data.endswith(b"-->", 0, after):
        comment = data.rfind(b"<!--", 0, after)
        after = data.rfind(b">", 0, comment) + 1
        if comment < 0 or not after or data[after:comment].strip(_WS_BYTES):
            return False
    return True


def _plain_message(data: bytes, start: int, declarations: int) -> bool:
    """ASCII with no character reference (so no text holds a non-ASCII space) and no attribute
    but the ``declarations`` (each attribute has one ``=`` outside its value: as many ``=`` as
    declarations leaves none for another attribute). 0.3-1.5 us for 2 KB; it saves a check on
    every element."""
    return (
        data.isascii()
        and (b"&" not in data or _CHAR_REF.search(data) is None)
        and data.count(b"=", start) == declarations
    )


class Head(NamedTuple):
    """What the start of a message read whole says (``_validate.positions.Prolog`` has the
    same facts from a scan): the root's namespace and the local names of SyncHdr's children."""

    ns: str
    hdr_children: frozenset[str]


def _whole_up_to(limits: Limits, wbxml_input: bool) -> int:
    """The longest message ``parse_whole`` reads under ``limits``: at most ``PIECE`` bytes, and
    none that a limit the walkers do not count could stop (the exact path counts and reports):
    ``max_bytes``; ``max_items``, ``max_commands`` (a command or an Item takes at least 6
    bytes of XML, ``<Get/>``, ``<Item/>``, and 1 of WBXML); the attribute limits, which the
    exact path applies to namespace declarations too (WBXML's root gets one). Cached for the
    last ``Limits`` asked about."""
    last = _UP_TO[-1] if _UP_TO else None
    if last is not None and last[0] is limits and last[1] is wbxml_input:
        return last[2]
    up_to = PIECE if _AVAILABLE else -1
    if limits.max_bytes is not None:
        up_to = min(up_to, limits.max_bytes)
    per = 1 if wbxml_input else 6
    for cap in (limits.max_items, limits.max_commands):
        if cap is not None:
            up_to = min(up_to, (cap + 1) * per - 1)
    if limits.max_attributes < 1 or limits.max_attribute_length < len(_LONGEST_NAMESPACE):
        up_to = -1
    _UP_TO[:] = [(limits, wbxml_input, up_to)]
    return up_to


_UP_TO: list[tuple[Limits, bool, int]] = []


def _walk(
    root: Element,
    kind: Checks,
    declared: Declarations,
    limits: Limits,
    head: list[Head] | None,
) -> Any:
    """The message of a whole tree, by the document walker of its namespace and ``kind``
    (``_walkgen``), which reads a Data holding elements too when an XML message declares its
    own namespace once (then the tree shows that markup as the parser's events do). A
    declared prefix bails here (``scan_markup`` looks for none on this path)."""
    doc_ns = _ROOTS.get(root.tag)
    if doc_ns is None:
        raise Bail(f"root {root.tag}")
    if root.keys():
        raise Bail("attributes")
    # (A namespace a walker accepts is at most 16 characters, which ``_whole_up_to`` made sure
    # max_attribute_length allows; any other declared namespace puts an element in it, and
    # the walkers, TreeMarkup too, bail on that element.)
    once = 0
    for _, (prefix, uri) in declared:
        if prefix:
            raise Bail("a namespace prefix")
        once += uri == doc_ns
    if once == 1 and kind is not CHECKED:
        kind = _WITH_MARKUP[kind]
    message = walkers(doc_ns, limits).document(kind)(root, 1)
    if head is not None:  # (the walker read SyncHdr: the root's first child)
        names = frozenset(child.tag.rpartition("}")[2] for child in root[0])
        head.append(Head(doc_ns, names))
    return message


def _no_walk(final: bool, nbytes: int) -> None:
    """The tick of a whole WBXML message: nothing to walk until it is all decoded."""


def parse_fast(
    chunks: Iterable[bytes | str], limits: Limits, format: str = "auto", *, whole: bool = True
) -> Any:
    """The message in ``chunks`` (bytes, XML or WBXML as ``format`` says or the first byte
    tells), or None when it needs the exact path: a deviation, an error, a ``str``, or no C
    event queue here. (Tests and the fuzz oracle call it; readers go through ``_source``.)"""
    iterator = iter(chunks)
    first: bytes | str = b""
    for first in iterator:
        if first:
            break
    wbxml_input = format == "wbxml" or (format == "auto" and wbxml.is_wbxml(first))
    try:
        with no_cyclic_gc():
            return parse_fast_input(_Chunks(first, iterator, wbxml_input), limits, whole=whole)
    except (Bail, DecodeError):
        return None


class _Chunks:
    """What ``parse_fast_input`` reads (``_source.Input`` has the same shape)."""

    def __init__(self, first: bytes | str, rest: Iterator[bytes | str], wbxml: bool) -> None:
        self.first, self.rest, self.wbxml = first, rest, wbxml


def parse_fast_input(inp: Any, limits: Limits, *, whole: bool = True) -> Any:
    """The message read by the fast path from a normalised input (``first`` chunk, ``rest``,
    ``wbxml``); raises ``Bail`` or a ``DecodeError`` where it needs the exact path.

    A message of at most ``PIECE`` bytes is read whole (``parse_whole``), however many chunks
    it came in; a longer one piece by piece through the ``TreeEngine`` (at most ``PIECE``
    bytes are read ahead to tell the two apart, so memory stays flat for a long body).
    ``whole=False`` always takes the engine (tests hold both to the exact path).
    """
    if not _AVAILABLE or not isinstance(inp.first, bytes):
        raise Bail("no C event queue, or a str")
    if inp.wbxml:  # (WBXML is decoded whole on every path)
        document = inp.first + b"".join(_bytes_only(inp.rest))
        if whole and len(document) <= PIECE:
            return parse_whole(document, limits, wbxml_input=True)
        builder = Builder(document_spec(), strict=True, limits=limits)
        TreeEngine(builder, limits).decode_wbxml(document)
        return builder.close()
    ahead, rest = _read_ahead(inp.first, _bytes_only(inp.rest))
    if rest is None and whole:
        return parse_whole(b"".join(ahead) if len(ahead) > 1 else ahead[0], limits)
    builder = Builder(document_spec(), strict=True, limits=limits)
    engine = TreeEngine(builder, limits)
    try:
        for chunk in chain(ahead, rest or ()):
            engine.feed_piecewise(chunk)
        engine.feed(b"", True)
        return builder.close()
    except RecursionError:  # nesting deeper than the walkers' recursion: the exact path is flat
        raise Bail("recursion") from None


def _bytes_only(chunks: Iterable[bytes | str]) -> Iterator[bytes]:
    for chunk in chunks:
        if not isinstance(chunk, bytes):
            raise Bail("str chunks")
        yield chunk


def _read_ahead(first: bytes, rest: Iterator[bytes]) -> tuple[list[bytes], Iterator[bytes] | None]:
    """The chunks up to just past ``PIECE`` bytes, and the unread rest (None: there is none)."""
    ahead, size = [first], len(first)
    while size <= PIECE:
        chunk = next(rest, None)
        if chunk is None:
            return ahead, None
        ahead.append(chunk)
        size += len(chunk)
    return ahead, rest
