"""The tree engine: the fast path of ``parse()`` and ``iterparse()`` for ordinary messages.

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
  its object by one call of a walker function *generated from the table* (like the serializer's
  writers: one branch per field, tag strings as constants, nested classes inlined), and
  ``Builder.put`` hands the object to its command.

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

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final
from xml.etree.ElementTree import Element, TreeBuilder, XMLParser

from . import _wbxml as wbxml
from . import model
from ._builder import Builder, document_spec, no_cyclic_gc
from ._table import CLASS_SPECS, COMMAND_CLASSES, DATA, FLAG, NODE, TEXT, ChildSpec, ClassSpec
from .codes import NS_SYNCML11, NS_SYNCML12
from .errors import DecodeError
from .limits import Limits

__all__ = [
    "PIECE",
    "SMALL",
    "Bail",
    "TreeEngine",
    "available",
    "parse_fast",
    "parse_fast_input",
    "small",
]


class Bail(Exception):
    """This message needs the element-by-element path (see the module docstring)."""


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
_ENCODINGS: Final = (b"utf-8", b"utf8", b"us-ascii", b"iso-8859-1", b"latin-1")

#: Classes read at container level (element by element through the builder).
_CONTAINERS: Final = frozenset((model.SyncML, model.SyncBody, *COMMAND_CLASSES))
_CONTAINER, _LEAF, _WHOLE = 0, 1, 2


#: Input is fed in pieces of this size: what the C tree holds at once, and how often it is read.
PIECE: Final = 1 << 16
#: Shorter inputs are faster on the exact path: a new C parser and the walk from Python cost
#: 1.0-1.27x the exact path's time at 0.4-2.4 KB, 0.78-0.91x at 3.5-9.5 KB (XML and WBXML).
SMALL: Final = 3 * 1024


def small(source: Any) -> bool:
    """True for bytes shorter than ``SMALL``: callers skip the fast path for them."""
    return isinstance(source, (bytes, bytearray, memoryview)) and len(source) < SMALL


def available() -> bool:
    """True when ``xml.etree``'s C parser exposes the event queue the engine reads."""
    return hasattr(XMLParser, "_setevents")


def parse_fast(chunks: Iterable[bytes | str], limits: Limits, format: str = "auto") -> Any:
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
            return parse_fast_input(_Chunks(first, iterator, wbxml_input), limits)
    except (Bail, DecodeError):
        return None


class _Chunks:
    """What ``parse_fast_input`` reads (``_source.Input`` has the same shape)."""

    def __init__(self, first: bytes | str, rest: Iterator[bytes | str], wbxml: bool) -> None:
        self.first, self.rest, self.wbxml = first, rest, wbxml


def parse_fast_input(inp: Any, limits: Limits) -> Any:
    """The message read by the fast path from a normalised input (``first`` chunk, ``rest``,
    ``wbxml``); raises ``Bail`` or a ``DecodeError`` where it needs the exact path."""
    if not _AVAILABLE or not isinstance(inp.first, bytes):
        raise Bail("no C event queue, or a str")
    builder = Builder(document_spec(), strict=True, limits=limits)
    engine = TreeEngine(builder, limits)
    try:
        if inp.wbxml:
            rest = list(inp.rest)
            if not all(isinstance(c, bytes) for c in rest):
                raise Bail("str chunks")
            engine.decode_wbxml(inp.first + b"".join(rest) if rest else inp.first)
            return builder.close()
        engine.feed_piecewise(inp.first)
        for chunk in inp.rest:
            if not isinstance(chunk, bytes):
                raise Bail("str chunks")
            engine.feed_piecewise(chunk)
        engine.feed(b"", True)
        return builder.close()
    except RecursionError:  # nesting deeper than the walkers' recursion: the exact path is flat
        raise Bail("recursion") from None


# -- walkers generated from the table -------------------------------------------------------------


def _tag(ns: str | None, doc_ns: str, name: str) -> str:
    return f"{{{ns or doc_ns}}}{name}"


def _literal(value: Any) -> str | None:
    """The source text of a default that can be a constant in generated code, else None."""
    if value is None or value is True or value is False or value == () or type(value) is str:
        return repr(value)
    return None


def _walker_source(cs: ClassSpec, doc_ns: str) -> str:
    """Source of ``w_<Name>(el)``: the object of a whole child, or ``raise B``.

    Nested whole classes (Item's Source and Meta...) are inlined, so one call builds an Item.
    One bit per field in ``seen``: a child whose field bit, or the bit of any field that comes
    later in DTD order, is already set is a repeat or out of order (the builder's P106/P102).
    """
    out = [f"def w_{cs.name}(el0):"]
    _emit(cs, doc_ns, 0, "    ", "r", out)
    out.append("    return r")
    return "\n".join(out) + "\n"


def _emit(cs: ClassSpec, doc_ns: str, d: int, ind: str, result: str, out: list[str]) -> None:
    """Statements that build ``cs`` from element ``el{d}`` into variable ``result``.

    Order and repeats (the builder's P102/P106): ``o{d}`` holds the DTD rank of the last field
    seen; a field whose rank is below it is out of order. A field that may not repeat is seen
    already when its variable left its initial value (None, or False for a flag); with ranks
    that are all distinct, "rank not above the last" covers both in one comparison.
    """
    fields = []
    for group in cs.fields:
        assert len(group) == 1, f"{cs.name}: a choice group is read at container level"
        fields.append(group[0])
    el, c = f"el{d}", f"el{d + 1}"
    ranks = [f.order for f in fields]
    out += [
        f"{ind}t = {el}.text",
        f"{ind}if t is not None and (len(t) > MAXT or t.strip(WS)): raise B",
    ]
    defaults = _defaults(cs)
    for i, f in enumerate(fields):
        if f.kind == FLAG:
            assert defaults.get(i) is False, (cs.name, f.name)
        out.append(f"{ind}v{d}_{i} = {'False' if f.kind == FLAG else 'None'}")
    if len(set(ranks)) > 1:
        out.append(f"{ind}o{d} = -1")
    out += [
        f"{ind}for {c} in {el}:",
        f"{ind}    if {c}.keys(): raise B",
        f"{ind}    t = {c}.tail",
        f"{ind}    if t is not None and (len(t) > MAXT or t.strip(WS)): raise B",
        f"{ind}    k = {c}.tag",
    ]
    for i, f in enumerate(fields):
        out.append(f"{ind}    {'if' if i == 0 else 'elif'} k == {_tag(f.ns, doc_ns, f.name)!r}:")
        sub = ind + "        "
        _emit_order(f, f"v{d}_{i}", f"o{d}", ranks, sub, out)
        _emit_field(f, doc_ns, d, f"v{d}_{i}", sub, out)
    out.append(f"{ind}    else: raise B")
    _emit_object(cs, fields, defaults, d, ind, result, out)


def _emit_order(
    f: ChildSpec, var: str, last: str, ranks: list[int], sub: str, out: list[str]
) -> None:
    """The order and repeat check of one field (see ``_emit``)."""
    ordered = len(set(ranks)) > 1
    repeat = [] if f.repeated else [var if f.kind == FLAG else f"{var} is not None"]
    if not ordered:
        checks = repeat
    elif ranks.count(f.order) == 1 and repeat:
        checks = [f"{last} >= {f.order}"]
    else:
        checks = [f"{last} > {f.order}", *repeat]
    if checks:
        out.append(f"{sub}if {' or '.join(checks)}: raise B")
    if ordered:
        out.append(f"{sub}{last} = {f.order}")


def _emit_field(f: ChildSpec, doc_ns: str, d: int, var: str, sub: str, out: list[str]) -> None:
    """Statements that read child ``el{d + 1}`` into field variable ``var`` (a repeated
    field's value goes through ``x`` onto its list)."""
    c = f"el{d + 1}"
    target = "x" if f.repeated else var
    if f.kind == NODE:
        assert f.spec is not None
        _emit(f.spec, doc_ns, d + 1, sub, target, out)
    elif f.kind in (TEXT, DATA):
        check = "len(x) > MAXT" + (" or x.strip(WS) is not x" if f.kind == TEXT else "")
        out += [
            f"{sub}if len({c}): raise B",
            f"{sub}x = {c}.text",
            f"{sub}if x is None: x = ''",
            f"{sub}elif {check}: raise B",
        ]
        if not f.repeated:
            out.append(f"{sub}{var} = x")
    elif f.kind == FLAG:
        out += [
            f"{sub}if len({c}): raise B",
            f"{sub}x = {c}.text",
            f"{sub}if x is not None and (len(x) > MAXT or x.strip(WS)): raise B",
            f"{sub}{target} = True",
        ]
    else:  # CODE lives only in Status/Alert, which are containers
        raise AssertionError(f"{f.name}: kind {f.kind} in a whole child")
    if f.repeated:
        out += [f"{sub}if {var} is None: {var} = [x]", f"{sub}else: {var}.append(x)"]


def _emit_object(
    cs: ClassSpec,
    fields: list[ChildSpec],
    defaults: dict[int, Any],
    d: int,
    ind: str,
    result: str,
    out: list[str],
) -> None:
    """The required-field checks, the defaults, and the object built from the variables."""
    for i, f in enumerate(fields):
        if f.required:
            assert f.kind != FLAG, (cs.name, f.name)
            assert not f.repeated, (cs.name, f.name)
            out.append(f"{ind}if v{d}_{i} is None: raise B")
    args = []
    for i, f in enumerate(fields):
        var = f"v{d}_{i}"
        default = _literal(defaults.get(i)) or f"D_{cs.name}_{i}"
        if f.repeated:
            out.append(f"{ind}{var} = {default} if {var} is None else tuple({var})")
        elif f.kind != FLAG and default != "None":
            out.append(f"{ind}if {var} is None: {var} = {default}")
        args.append(f"{f.field}={var}")
    # object.__new__ and one slot store per field: calling the class costs 3-4x as much on
    # CPython 3.11 (type.__call__ hands __init__ its keywords as a dict). _compile checks that
    # __init__ would do nothing more than these stores.
    out.append(f"{ind}{result} = r{d} = N(C_{cs.name})")
    out += [f"{ind}r{d}.{a}" for a in args]


def _defaults(cs: ClassSpec) -> dict[int, Any]:
    """Field position -> its default (fields with no default are absent)."""
    out: dict[int, Any] = {}
    by_name = {f.name: f for f in dataclasses.fields(cs.cls)}
    for i, group in enumerate(cs.fields):
        f = by_name[group[0].field]
        # a factory's value would be shared by every object a walker builds
        assert f.default_factory is dataclasses.MISSING, (cs.name, f.name)
        if f.default is not dataclasses.MISSING:
            out[i] = f.default
    return out


_Entry = tuple[str, int, Callable[[Element], Any] | None]


def _compile(doc_ns: str, max_text: int) -> dict[str, _Entry]:
    """Tag -> (local name, kind, walker) for every element met at container level."""
    namespace: dict[str, Any] = {"N": object.__new__, "B": Bail, "WS": _WS, "MAXT": max_text}
    wholes = [cs for cls, cs in CLASS_SPECS.items() if cls not in _CONTAINERS]
    for cs in wholes:
        fields = dataclasses.fields(cs.cls)
        assert not hasattr(cs.cls, "__post_init__"), cs.name
        assert all(f.init for f in fields), cs.name
        assert len(fields) == len(cs.fields), f"{cs.name}: a field no element sets"
        namespace[f"C_{cs.name}"] = cs.cls
        for i, value in _defaults(cs).items():
            namespace[f"D_{cs.name}_{i}"] = value
        exec(_walker_source(cs, doc_ns), namespace)  # noqa: S102 - generated from our own table
    table: dict[str, _Entry] = {}
    seen: dict[str, _Entry] = {}
    for cls in _CONTAINERS:
        for child in CLASS_SPECS[cls].children.values():
            if child.leaf:
                entry: _Entry = (child.name, _LEAF, None)
            elif child.cls in _CONTAINERS:
                entry = (child.name, _CONTAINER, None)
            else:
                assert child.spec is not None
                entry = (child.name, _WHOLE, namespace[f"w_{child.spec.name}"])
            tag = _tag(child.ns, doc_ns, child.name)
            if seen.setdefault(tag, entry) != entry:  # one name, two meanings: never here
                table.pop(tag, None)
                continue
            table[tag] = entry
    table[_tag(None, doc_ns, "SyncML")] = ("SyncML", _CONTAINER, None)  # the root (only there)
    return table


_TABLES: dict[tuple[str, int], dict[str, _Entry]] = {}


def _table_for(doc_ns: str, max_text: int) -> dict[str, _Entry]:
    key = (doc_ns, max_text)
    table = _TABLES.get(key)
    if table is None:
        if len(_TABLES) > 16:
            _TABLES.clear()
        table = _TABLES[key] = _compile(doc_ns, max_text)
    return table


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
        self._table: dict[str, _Entry] = {}
        self._started: list[Element] = []  # containers the builder is inside, root first
        self._watch: Element | None = None  # the open child at the bottom, and...
        self._waited = 0  # ...how many bytes it has grown by
        self._bound = 2 * limits.max_text + (1 << 20)
        self._tail = b""
        self._open_tag = -1  # input offset of a "<" whose tag has not ended yet
        self._first = True
        self.nbytes = 0

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
        target = _WbxmlTree(self._target, self._walk)
        wbxml.decode(
            document,
            target,
            max_depth=self.limits.max_depth + 1,
            max_bytes=self.limits.max_bytes if self.limits.max_bytes is not None else 1 << 62,
            max_text=self.limits.max_text,
            qualified=True,
            tick=target.tick,
        )
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
        if self._first:  # UTF-8 (or an ASCII superset), maybe with a declaration
            self._first = False
            if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
                raise Bail("UTF-16")
            start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
            if data.startswith(b"<?xml", start) and data[start + 5 : start + 6] in _XML_WS:
                end = data.find(b"?>", start, start + 512)
                if end < 0:
                    raise Bail("XML declaration")
                decl = data[start:end].lower()
                if b"encoding" in decl and not any(e in decl for e in _ENCODINGS):
                    raise Bail("encoding")
                start = end + 2
        # A multi-byte search costs about 40 us per piece, a one-byte one 1 us: look for the
        # markup only in pieces that hold its "?" or "!" at all.
        if b"?" in data and data.find(b"<?", start) >= 0:
            raise Bail("a processing instruction")
        if b"!" in data:
            for pattern in _BANG_ONLY:
                if data.find(pattern, start) >= 0:
                    raise Bail(pattern.decode())
            at = data.find(_COMMENT, start)
            while at >= 0:
                end = data.find(b"-->", at + 4)
                if end < 0:
                    raise Bail("a comment longer than a piece")
                at = data.find(_COMMENT, end + 3)
        if data.find(_PREFIX, start) >= 0:
            raise Bail("a namespace prefix")
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
            if el.tag == _tag(None, doc_ns, "SyncML"):
                break
        else:
            raise Bail(f"root {el.tag}")
        if el.keys():
            raise Bail("attributes")
        self._table = _table_for(doc_ns, self.limits.max_text)
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
                    if entry[1] == _WHOLE:
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
            if entry is not None and entry[1] == _CONTAINER:
                self._enter(last, entry, level + 1)
                self._advance(last, level + 1, False)

    def _enter(self, el: Element, entry: _Entry, level: int) -> None:
        """The builder enters container ``el`` (once: the first time it is seen, open or not)."""
        started = self._started
        if len(started) > level and started[level] is el:
            return
        if el.keys():
            raise Bail("attributes")
        self.builder.start(entry[0], _NO_ATTRS)
        started.append(el)

    def _finished(self, el: Element, entry: _Entry, level: int) -> None:
        """A finished leaf or container at container level."""
        local, kind, _ = entry
        builder = self.builder
        if kind == _LEAF:
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


class _WbxmlTree:
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
