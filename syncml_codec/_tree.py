"""The tree engine: the fast path of ``iterparse()``, and of ``parse()`` past 64 KiB.

(A whole message of at most 64 KiB is read by ``_fast.parse_whole`` with the same walkers and
no builder; this engine reads messages piece by piece, and every streaming reader.)

Strategy: per element, a pyexpat reader pays a Python handler call for the start tag and one for
the end tag (about 2.2k instructions each before the handler does anything); that alone held
``parse()`` to 0.15 of raw expat. Here the C parser of ``xml.etree`` (the same expat, through
pyexpat's C API) builds the elements in C with no Python call at all (its start events are on
only until the root element is known). After each 64 KiB piece Python looks at the tree, in
document order, in two places:

* *container level*: the children of ``SyncML``, ``SyncBody`` and of commands. Each finished
  one goes through the one ``Builder`` exactly as the element-by-element path would (``start``,
  ``data``, ``end``, the sink that streams Items), so order, counts, limits, required fields and
  the streaming events come from the same code and the same table;
* *whole children* (``SyncHdr``, ``Item``, ``Meta``, ``Source``...): a finished one is turned into
  its object by one call of a walker function *generated from the table* (``_walkgen``: one
  branch per field, tag strings as constants, nested classes inlined), and ``Builder.put`` hands
  the object to its command.

A child is finished when it has a next sibling (or at the end); the open last child of each
container is looked at again after the next piece.

WBXML takes the same walk: its decoder (``_wbxml.decode(qualified=True)``) calls the C
``TreeBuilder``'s own ``start``/``data``/``end`` with the names expat would give, and ticks the
walk every 64 KiB of input. What the tree cannot show bails there too: OPAQUE data that is not
UTF-8 (the exact path's P111), a LITERAL tag (its name arrives unqualified), any decoder error.

Invariants that keep it fast: per element inside a whole child, a few C attribute reads in the
walker (tag, text, tail, attributes, children); per whole child one walker call, which builds
its objects with ``object.__new__`` and slot stores; one ``put`` per run of same-named siblings
(the Items of a command), which the builder hands to the streaming sink as one list;
finished children are deleted from their parent, so memory holds the open container path and
one piece of input whatever the message size (``_guard`` bounds depth and an open element that
keeps growing).

Invariants that keep it exact: this path never reports a deviation or an error itself. Anything
it does not handle exactly as the element-by-element path would raises ``Bail`` (the builder runs
in strict mode, so its deviations raise too), and the caller starts over on that path, which then
records the diagnostics or raises the positioned error. What bails: a processing instruction,
CDATA, a DOCTYPE, a comment that does not end in the piece it starts in, a namespace prefix
(``xmlns:``), UTF-16, any attribute but the default ``xmlns``, an element or namespace the
table does not expect there, text where only elements belong, whitespace around a value,
markup inside a leaf, a repeated or missing field, a text longer than ``max_text``, malformed
XML, and every limit. Deviations are caught no later than the end of the whole child or
container-level element that holds them, no streaming event is completed inside such an
element, and the events of a piece are handed out only once the whole piece went through, so
the events handed out before a bail are always a prefix of what the exact path hands out:
``iterparse`` replays from the start and skips that many.
"""

from __future__ import annotations

import atexit
import re
import weakref
from collections import deque
from collections.abc import Callable
from typing import Any, Final
from xml.etree.ElementTree import Element, TreeBuilder, XMLParser

from . import _wbxml as wbxml
from ._builder import Builder
from ._walkgen import CONTAINER, LEAF, WHOLE, Bail, Entry, walkers
from .codes import NS_SYNCML11, NS_SYNCML12
from .limits import Limits

__all__ = [
    "PIECE",
    "SMALL",
    "Bail",
    "TreeEngine",
    "WbxmlTree",
    "available",
    "decode_wbxml",
    "scan_declaration",
    "scan_markup",
    "small",
]


_START: Final = "start"
_WS: Final = " \t\r\n"
_NO_ATTRS: Final[list[str]] = []
#: Byte patterns that send a message to the exact path (PIs, CDATA, DTDs, comments, prefixes).
_BANG_ONLY: Final = (b"<![CDATA[", b"<!DOCTYPE")
_PREFIX: Final = b"xmlns:"
_EXACT_ONLY: Final = (b"<?", *_BANG_ONLY, _PREFIX)
_COMMENT: Final = b"<!--"  # fine when it ends in the same piece (then it is no long token)
_OVERLAP: Final = max(map(len, (*_EXACT_ONLY, _COMMENT))) - 1
_XML_WS: Final = (b" ", b"\t", b"\r", b"\n")
_LONG_TAG: Final = 1 << 18  # an unfinished tag this long sends the message to the exact path
#: Declared encodings the C parser reads as the exact path does (UTF-8 or an ASCII superset).
_KNOWN_ENCODING: Final = re.compile(rb"utf-8|utf8|us-ascii|iso-8859-1|latin-1")


#: Input is fed in pieces of this size: what the C tree holds at once, and how often it is read.
PIECE: Final = 1 << 16
#: Streaming readers leave shorter bytes to the exact path: a new C parser and the walk from
#: Python cost 1.0-1.27x its time at 0.4-2.4 KB, 0.78-0.91x at 3.5-9.5 KB (XML and WBXML).
#: (One-shot readers read them whole: ``_fast.parse_whole``.)
SMALL: Final = 3 * 1024


def small(source: Any) -> bool:
    """True for bytes shorter than ``SMALL``: callers skip the fast path for them."""
    return isinstance(source, (bytes, bytearray, memoryview)) and len(source) < SMALL


def available() -> bool:
    """True when ``xml.etree``'s C parser exposes the event queue the engine reads."""
    return hasattr(XMLParser, "_setevents")


def decode_wbxml(document: bytes, target: Any, limits: Limits) -> None:
    """Decode a WBXML document into a tree target, with qualified names (as expat gives)."""
    wbxml.decode(
        document,
        target,
        limits,
        max_depth=limits.max_depth + 1,
        max_bytes=limits.max_bytes if limits.max_bytes is not None else 1 << 62,
        max_text=limits.max_text,
        qualified=True,
        tick=target.tick,
    )


# -- what the tree parser would pass over silently ----------------------------------------------


def scan_declaration(data: bytes) -> int:
    """Where the first piece's markup starts: after a UTF-8 BOM and an XML declaration that
    names UTF-8 (or an ASCII superset); ``Bail`` for UTF-16 or another encoding."""
    head = data[:4]
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Bail("UTF-16")
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    if data.startswith(b"<?xml", start) and data[start + 5 : start + 6] in _XML_WS:
        end = data.find(b"?>", start, start + 512)
        if end < 0:
            raise Bail("XML declaration")
        decl = data[start:end].lower()
        if b"encoding" in decl and _KNOWN_ENCODING.search(decl) is None:
            raise Bail("encoding")
        start = end + 2
    return start


def scan_markup(data: bytes, start: int, *, prefixes: bool = True) -> None:
    """``Bail`` on a PI, CDATA, a DOCTYPE, a comment that does not end here, or a prefix
    (unless the caller learns prefixes otherwise: ``prefixes=False``)."""
    # A one-byte search is a memchr (1 us per 64 KiB piece, a multi-byte one up to 40 us):
    # look for the markup only in pieces that hold its "?" or "!" at all.
    if data.find(b"?", start) >= 0 and data.find(b"<?", start) >= 0:
        raise Bail("a processing instruction")
    if data.find(b"!", start) >= 0:
        for pattern in _BANG_ONLY:
            if data.find(pattern, start) >= 0:
                raise Bail(pattern.decode())
        at = data.find(_COMMENT, start)
        while at >= 0:
            end = data.find(b"-->", at + 4)
            if end < 0:
                raise Bail("a comment longer than a piece")
            at = data.find(_COMMENT, end + 3)
    if prefixes and data.find(_PREFIX, start) >= 0:
        raise Bail("a namespace prefix")


# -- the engine ---------------------------------------------------------------------------------


class TreeEngine:
    """Feeds bytes to the C ``XMLParser`` and finished subtrees to a strict ``Builder``.

    ``feed`` raises ``Bail`` (or the builder's ``DecodeError``); either means "use the exact
    path". The builder must be strict, so that its deviations raise instead of being recorded.
    """

    def __init__(self, builder: Builder, limits: Limits) -> None:
        assert builder.strict
        self.builder = builder
        self.limits = limits
        # DTDs, entities and PIs never reach it: _scan bails before a piece holding one is fed.
        self._target = TreeBuilder()
        self._parser = XMLParser(target=self._target)  # noqa: S314
        # Start events only until the root element is known (the tree has no other way to
        # hand it out before the end); then none at all: the C parser builds, we look later.
        self._queue: deque[tuple[str, Element]] = deque()
        self._parser._setevents(self._queue, (_START,))  # type: ignore[attr-defined]
        self._root: Element | None = None
        self._table: dict[str, Entry] = {}
        self._started: list[Element] = []  # containers the builder is inside, root first
        self._watch: Element | None = None  # the open child at the bottom, and...
        self._waited = 0  # ...how many bytes it has grown by
        self._bound = 2 * limits.max_text + (1 << 20)
        self._tail = b""
        self._open_tag = -1  # input offset of a "<" whose tag has not ended yet
        self._first = True
        self.nbytes = 0
        _ENGINES.add(self)

    def feed(self, data: bytes, final: bool = False) -> None:
        """Parse one piece; ``final`` for the last (which may be empty)."""
        self.nbytes += len(data)
        max_bytes = self.limits.max_bytes
        if max_bytes is not None and self.nbytes > max_bytes:
            raise Bail("max_bytes")
        if data:
            self._scan(data)
        try:
            if data:
                self._parser.feed(data)
            if final:
                self._parser.close()
        except Exception as exc:  # ParseError, or a codec error for a strange encoding
            raise Bail(str(exc)) from None
        self._walk(final, len(data))
        if final:
            self.release()

    def release(self) -> None:
        """Free the C parser now: CPython 3.12 can crash freeing one that its last garbage
        collection at interpreter exit finds (a streaming parser the program still holds);
        ``_release_all`` runs this for every engine alive then (``atexit``)."""
        self._parser = self._target = None  # type: ignore[assignment]
        self._queue.clear()

    def feed_piecewise(self, data: bytes) -> None:
        """Feed a chunk of any size in ``PIECE``-sized pieces."""
        for start in range(0, len(data), PIECE):
            self.feed(data[start : start + PIECE])

    def decode_wbxml(self, document: bytes) -> None:
        """Decode a whole WBXML document: its decoder calls the C ``TreeBuilder`` directly
        (qualified names, as expat gives them) and the same walk runs every ``TICK`` bytes."""
        if self.nbytes:
            raise Bail("WBXML after XML")
        self.nbytes = len(document)
        decode_wbxml(document, WbxmlTree(self._target, self._walk), self.limits)
        self._walk(True, 0)

    def _walk(self, final: bool, nbytes: int) -> None:
        """Hand what the tree completed to the builder, once ``nbytes`` more were read."""
        if self._root is None:
            if not self._queue:
                if final:
                    raise Bail("no root element")
                return
            self._root_start(self._queue[0][1])
            self._parser._setevents(self._queue, ())  # type: ignore[attr-defined]
            self._queue.clear()
        assert self._root is not None
        self._advance(self._root, 0, final)
        if not final:
            self._guard(nbytes)

    def _scan(self, data: bytes) -> None:
        """Bail on what the tree parser would pass over silently (module docstring)."""
        start = 0
        if self._first:
            self._first = False
            start = scan_declaration(data)
        scan_markup(data, start)
        # A tag that stays open across pieces is re-scanned by expat on every feed (quadratic
        # in its length): no ordinary message has one this long, so hand it over at once.
        lt, gt = data.rfind(b"<"), data.rfind(b">")
        if lt > gt:
            self._open_tag = self.nbytes - len(data) + lt
        elif gt >= 0:
            self._open_tag = -1
        if self._open_tag >= 0 and self.nbytes - self._open_tag > _LONG_TAG:
            raise Bail("a tag longer than _LONG_TAG")
        if self._tail:
            window = self._tail + data[:_OVERLAP]
            for pattern in (*_EXACT_ONLY, _COMMENT):
                if pattern in window:
                    raise Bail(pattern.decode())
        self._tail = (self._tail + data)[-_OVERLAP:] if len(data) < _OVERLAP else data[-_OVERLAP:]

    def _root_start(self, el: Element) -> None:
        for doc_ns in (NS_SYNCML12, NS_SYNCML11):
            if el.tag == f"{{{doc_ns}}}SyncML":
                break
        else:
            raise Bail(f"root {el.tag}")
        if el.keys():
            raise Bail("attributes")
        lim = self.limits  # (namespace declarations are attributes to the exact path)
        if lim.max_attributes < 1 or lim.max_attribute_length < len("SYNCML:SYNCML1.2"):
            raise Bail("attribute limits a namespace declaration might pass")
        self._table = walkers(doc_ns, lim).table
        self.builder.start("SyncML", ["xmlns", doc_ns])
        self._root = el
        self._started.append(el)

    def _gap(self, text: str | None) -> None:
        """Text between container-level elements: XML whitespace only, within max_text."""
        if text is not None and (len(text) > self.limits.max_text or text.strip(_WS)):
            raise Bail("text in element-only content")

    def _advance(self, el: Element, level: int, complete: bool) -> None:
        """Hand the finished children of container ``el`` to the builder, then free them; go
        down into its open last child; leave ``el`` itself when ``complete``."""
        n = len(el)
        done = n if complete else n - 1
        if done > 0:
            self._gap(el.text)
            el.text = None  # checked: the next round must not check it again
            table = self._table
            put = self.builder.put
            max_text = self.limits.max_text
            # Whole children go to the builder in runs of one name (the Items of a command):
            # one put per run; the next of a run is known by its tag, the same str object.
            run: list[Any] = []
            run_tag: str | None = None
            run_name = ""
            walk: Any = None
            for child in el[:done]:
                tag = child.tag
                if child.keys():
                    raise Bail(f"attributes on {tag}")
                if tag is run_tag:
                    run.append(walk(child))
                else:
                    if run:
                        put(run_name, run)
                        run = []
                    entry = table.get(tag)
                    if entry is None:
                        raise Bail(f"element {tag}")
                    if entry[1] == WHOLE:
                        run_tag, run_name, walk = tag, entry[0], entry[2]
                        run.append(walk(child))
                    else:
                        run_tag = None
                        self._finished(child, entry, level)
                tail = child.tail
                if tail is not None and (len(tail) > max_text or tail.strip(_WS)):
                    raise Bail("text in element-only content")
            if run:
                put(run_name, run)
            del el[:done]
        if complete:
            if not n:
                self._gap(el.text)
            self.builder.end(self._table[el.tag][0])
            self._started.pop()
            return
        if n:
            last = el[-1]
            entry = self._table.get(last.tag)
            if entry is not None and entry[1] == CONTAINER:
                self._enter(last, entry, level + 1)
                self._advance(last, level + 1, False)

    def _enter(self, el: Element, entry: Entry, level: int) -> None:
        """The builder enters container ``el`` (once: the first time it is seen, open or not)."""
        started = self._started
        if len(started) > level and started[level] is el:
            return
        if el.keys():
            raise Bail("attributes")
        self.builder.start(entry[0], _NO_ATTRS)
        started.append(el)

    def _finished(self, el: Element, entry: Entry, level: int) -> None:
        """A finished leaf or container at container level."""
        local, kind, _ = entry
        builder = self.builder
        if kind == LEAF:
            builder.start(local, _NO_ATTRS)
            if len(el):
                raise Bail("markup in a leaf")
            text = el.text
            if text is not None:
                builder.data(text)
            builder.end(local)
        else:
            self._enter(el, entry, level + 1)
            self._advance(el, level + 1, True)

    def _guard(self, nbytes: int) -> None:
        """Bound what the C tree holds between pieces: nesting depth, and the growth of the
        open child at the bottom (a huge text, or children that never close)."""
        assert self._root is not None
        el, depth = self._root, 0
        while len(el):
            el = el[-1]
            depth += 1
        if depth >= self.limits.max_depth:
            raise Bail("depth")
        bottom = self._started[-1]
        watch = bottom[-1] if len(bottom) else bottom
        if watch is self._watch:
            self._waited += nbytes
            if self._waited > self._bound:
                raise Bail("an open element keeps growing")
        else:
            self._watch, self._waited = watch, nbytes


_ENGINES: weakref.WeakSet[TreeEngine] = weakref.WeakSet()


@atexit.register
def _release_all() -> None:
    """Free the C parsers of the engines still alive at exit, before the interpreter's last
    garbage collection (see ``TreeEngine.release``)."""
    for engine in list(_ENGINES):
        engine.release()


class WbxmlTree:
    """The WBXML decoder's target on the fast path: the C ``TreeBuilder``'s own methods, and
    OPAQUE payloads as text when they are UTF-8 (else the exact path records its P111)."""

    def __init__(self, builder: TreeBuilder, walk: Callable[[bool, int], None]) -> None:
        self.start = builder.start
        self.data = builder.data
        self.end = builder.end
        self._walk = walk
        self._last = 0

    def opaque(self, payload: bytes) -> None:
        try:
            self.data(payload.decode("utf-8"))
        except UnicodeDecodeError:
            raise Bail("OPAQUE data that is not UTF-8") from None

    def tick(self, position: int) -> None:
        """The decoder's tick: walk the tree, counting the bytes read since the last one."""
        self._walk(False, position - self._last)
        self._last = position


_AVAILABLE: Final = available()
