"""WBXML decoder: a document's bytes -> the events pyexpat gives for the equivalent XML.

The events are those of stdlib pyexpat *without* namespace processing (``ParserCreate()``,
``ordered_attributes``): ``start(name, [attr, value, ...])``, ``data(text)``, ``end(name)``,
plus ``opaque(payload)`` for the WBXML OPAQUE token, which has no XML equivalent (the target
decides what ``Data`` becomes). Namespaces travel the XML way: an element whose code page
namespace differs from its parent's gets ``["xmlns", ns]``; the root always does. So ``<Meta>``
+ SWITCH_PAGE 1 + ``Format`` reads like ``<Meta><Format xmlns="syncml:metinf">`` and the nested
``Anchor/Last`` inherit.

Strategy:
    Invariants. The decoder is a single ``while`` loop over ``bytes`` indexing the page table
    (``tokens.Lang.tags``: a 256-entry tuple per code page, indexed by the token byte, that names
    plain tags only) with the callbacks bound to locals; inline strings are cut with
    ``bytes.find(0, pos)``, decoded, and checked for XML-illegal characters with
    ``str.isprintable()`` (a precompiled regex only when it says no). Rare tokens (OPAQUE, STR_T,
    ENTITY, LITERAL, errors) are handled in helpers outside the loop. Every length (string
    table, OPAQUE) is checked against the bytes that remain *before* anything is sliced, so a
    header that claims gigabytes fails in O(1). Text is counted as it is decoded: per text node
    against ``Limits.max_text`` (the count restarts at every tag), and every string-table
    reference against ``Limits.max_referenced_text`` (a reference is a few bytes that stand for
    a whole entry: without the budget a 4 MB message could decode to gigabytes). Each entry
    is decoded once and shared by its references. Every failure raises one private exception
    carrying the byte offset; ``decode`` converts it into ``MalformedXML``/``LimitExceeded``
    with ``Position(0, offset)``. The element path is *not* tracked in the hot loop: on error,
    the prefix ``data[:offset]`` is decoded again into a path-tracking target, which yields
    exactly the open elements at the point of failure (``_paths`` forms the path). While a
    callback runs, the loop's ``pos`` is the offset of the token that caused it; ``decode_into``
    reads it from the running loop's frame only when the builder reports something, so the
    loop pays nothing for positions. Callback exceptions propagate unchanged. No other
    exception type escapes for any input (fuzzed in tests).
    Complexity. Decoding is O(n) time; memory is O(depth + string table) plus what the target
    keeps. Error paths cost one extra O(offset) pass.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any, Final, NoReturn, Protocol

from syncml_codec._paths import PathWalker
from syncml_codec.errors import LimitExceeded, MalformedXML, Position
from syncml_codec.limits import DEFAULT_LIMITS, Limits

from .header import UNBOUNDED, Deviate, Fail, Strings, header, mb_u_int32, refuse
from .tokens import (
    ATTRS,
    END,
    ENTITY,
    GLOBAL_NAMES,
    OPAQUE,
    STR_I,
    STR_T,
    SWITCH_PAGE,
    Lang,
    bad_chars,
)

__all__ = [
    "TICK",
    "WbxmlTarget",
    "decode",
    "opaque_is_text",
    "running_offset",
]

#: ``decode``'s ``tick`` comes about this often (bytes of input), after an END token.
TICK: Final = 1 << 16

# XML Name (ASCII fast path plus any non-ASCII letter), for LITERAL tag names.
_NAME: Final = re.compile(r"[A-Za-z_\u00C0-\U000EFFFF][-.\w\u00B7-\U000EFFFF]*")

# Byte -> 0 for the C0 controls XML 1.0 does not allow (bad in UTF-8 and Latin-1 alike), else 1:
# ``bytes.translate`` then finds them about ten times faster than a regex character class.
_C0_MAP: Final = bytes(0 if b < 0x20 and b not in (0x09, 0x0A, 0x0D) else 1 for b in range(256))


class WbxmlTarget(Protocol):
    """What ``decode`` calls, in document order (pyexpat's handlers, plus ``opaque``).

    In ``qualified`` mode (``decode(..., qualified=True)``) the calls are those of
    ``xml.etree.ElementTree.TreeBuilder``: names are ``"{namespace}name"`` and ``attrs`` is
    always an empty dict (a LITERAL tag's name stays unqualified).
    """

    def start(self, name: str, attrs: Any) -> Any:
        """An element starts; ``attrs`` is ``[]`` or ``["xmlns", namespace]`` (shared lists:
        read them, do not change them)."""

    def data(self, text: str) -> None:
        """Character data (STR_I, STR_T, or ENTITY); adjacent calls are not merged."""

    def opaque(self, payload: bytes) -> None:
        """An OPAQUE token's raw bytes (binary ``Data`` or an embedded WBXML document)."""

    def end(self, name: str) -> Any:
        """The element ``name`` ends (also right after ``start`` for an empty element)."""


class _Doc:
    """What the rare-token helpers read: the document and the decoding options."""

    __slots__ = ("data", "lang", "max_text", "n", "strings", "target", "text_opaque")

    def __init__(
        self,
        data: bytes,
        lang: Lang,
        strings: Strings,
        target: WbxmlTarget,
        max_text: int,
        text_opaque: bool,
    ) -> None:
        self.data = data
        self.n = len(data)
        self.lang = lang
        self.strings = strings
        self.target = target
        self.max_text = max_text
        self.text_opaque = text_opaque  # OPAQUE payloads become text: check them as text


def _prepare(
    doc: _Doc, pos: int, qualified: bool
) -> tuple[bytes, int, int, tuple[str, ...], Any, Any, dict[str, Any]]:
    """Check what precedes the root; return what ``_run`` keeps in locals: the document, its
    length, max_text, the page namespaces, the tag tables, the attributes of an element in its
    parent's namespace and namespace -> the attributes that declare it (for plain or
    ``qualified`` calls)."""
    lang = doc.lang
    _root_first(doc, pos, len(lang.tags))
    if qualified:
        no_attrs: Any = {}  # TreeBuilder reads it and keeps nothing
        tables = lang.qtags, no_attrs, dict.fromkeys(lang.namespaces, no_attrs)
    else:  # one shared list per case: targets only read attributes
        tables = lang.tags, [], {ns: ["xmlns", ns] for ns in lang.namespaces}
    return doc.data, doc.n, doc.max_text, lang.namespaces, *tables


def _stacks() -> tuple[list[str], list[tuple[int, str]], Callable[[str], None], Callable[[], str]]:
    """The open elements' names, the namespace marks (the outer mark depth and namespace per
    namespace change), and the names' push and pop."""
    names: list[str] = []
    return names, [], names.append, names.pop


def _bind(
    target: WbxmlTarget, data: bytes, tick: Callable[[int], object] | None
) -> tuple[
    Callable[..., Any],
    Callable[[str], None],
    Callable[[str], Any],
    Callable[[int, int], int],
    Callable[[bytes], str],
    int,
]:
    """The target's start, data and end, ``data.find``, UTF-8 decoding, the first tick."""
    first_tick = TICK if tick is not None else len(data) + 1
    return target.start, target.data, target.end, data.find, bytes.decode, first_tick


def _bad_text(pos: int) -> NoReturn:
    raise Fail("inline string holds a character XML does not allow", pos)


def _run(
    doc: _Doc,
    pos: int,
    max_depth: int,
    qualified: bool = False,
    tick: Callable[[int], object] | None = None,
) -> int:
    """Decode the body from ``pos`` to the end of the root element; return the next position
    (see "The loop" in the module docstring)."""
    data, n, max_text, namespaces, tags, no_attrs, ns_attrs = _prepare(doc, pos, qualified)
    start, data_cb, end, find, utf8, next_tick = _bind(doc.target, data, tick)
    _names, marks, push, pop = _stacks()  # _names: read from the frame by _loop_failure
    tbl, cur_ns, page, top_ns, mark_depth, depth, run = tags[0], namespaces[0], 0, "", -1, 0, 0
    while True:
        tok = data[pos]  # IndexError at the end of the input: see decode()
        name = tbl[tok]
        if name is None:  # a global token
            nxt = pos + 1
            if tok == 0x03:  # STR_I
                e = find(0, nxt)
                if e < 0 or (run := run + e - nxt) > max_text:  # run: bytes, before decoding
                    _bad_str_i(e, run, max_text, pos)
                text = utf8(data[nxt:e])  # bytes.decode: UTF-8 by default (see decode())
                data_cb(text if text.isprintable() or not bad_chars(text) else _bad_text(pos))
                pos = e + 1
            elif tok == 0x01:  # END
                end(pop())
                pos, run, depth = nxt, 0, depth - 1
                if depth < mark_depth:
                    mark_depth, top_ns = marks.pop()
                if not depth:
                    break
                next_tick = _tick(tick, pos) if pos >= next_tick else next_tick
            elif tok == 0x00 and nxt < n and data[nxt] < len(tags):  # SWITCH_PAGE
                page = data[nxt]
                tbl, cur_ns, pos = tags[page], namespaces[page], nxt + 1
            else:
                pos, run = _rare_token(doc, pos, tok, run)
        else:
            nxt = pos + 1
            if not name:  # LITERAL, a tag with attributes, an unassigned tag
                name, nxt = _odd_tag(doc, pos, tok, page, cur_ns)
            if depth >= max_depth:
                raise Fail(
                    f"element nesting deeper than {max_depth=}", pos, name, "max_depth", max_depth
                )
            start(name, no_attrs if cur_ns is top_ns else ns_attrs[cur_ns])
            if tok & 0x40:
                push(name)
                depth += 1
                if cur_ns is not top_ns:
                    marks.append((mark_depth, top_ns))
                    mark_depth, top_ns = depth, cur_ns
                pos, run = nxt, 0
            else:
                end(name)
                pos, run = nxt, 0
                if not depth:
                    break
    return pos


_RUN_CODE: Final = _run.__code__


def running_offset() -> int:
    """The byte offset the innermost running decoder loop is at, or -1 outside one.

    Read from the loop's frame (its ``pos`` local) only when something is reported, so the hot
    loop keeps positions in a local and pays nothing for them.
    """
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code is _RUN_CODE:
            offset: int = frame.f_locals["pos"]
            return offset
        frame = frame.f_back
    return -1


def _tick(tick: Callable[[int], object] | None, pos: int) -> int:
    """Call ``tick`` at ``pos``; return the position of the next tick."""
    assert tick is not None
    tick(pos)
    return pos + TICK


def _root_first(doc: _Doc, pos: int, pages: int) -> None:
    """The body must start with the root element's tag (after SWITCH_PAGEs, if any)."""
    data, n = doc.data, doc.n
    while data[pos : pos + 1] == b"\0" and pos + 1 < n and data[pos + 1] < pages:
        pos += 2
    if pos >= n:
        raise Fail("no root element", pos)
    tok = data[pos]
    if tok == END:
        raise Fail("END token with no open element", pos)
    if tok == STR_I:
        raise Fail("text outside the root element", pos)
    if tok in (OPAQUE, STR_T, ENTITY):
        raise Fail("content outside the root element", pos)


def _bad_str_i(end: int, run: int, max_text: int, pos: int) -> NoReturn:
    """Say what is wrong with the inline string at ``pos``."""
    if end < 0:
        raise Fail("inline string (STR_I) is not NUL-terminated", pos)
    raise Fail(
        f"text of {run} bytes in one element exceeds max_text",
        pos,
        limit="max_text",
        value=max_text,
    )


def _odd_tag(doc: _Doc, pos: int, tok: int, page: int, cur_ns: str) -> tuple[str, int]:
    """A tag the fast table does not give: LITERAL (name in the string table), or an error.

    Returns (name, next position).
    """
    low = tok & 0x3F
    nxt = pos + 1
    if low == 4:  # LITERAL, LITERAL_C, LITERAL_A, LITERAL_AC
        index, nxt = mb_u_int32(doc.data, nxt, doc.n, "LITERAL index")
        name = doc.strings.ref(index, pos)
        if not _NAME.fullmatch(name):
            raise Fail(f"LITERAL tag name {name!r} is not an XML name", pos)
    else:
        tag = doc.lang.pages[page][low]
        if tag is None:
            raise Fail(f"unknown tag token 0x{low:02X} in the {cur_ns} code page", pos)
        name = tag
    if tok & ATTRS:
        raise Fail(f"<{name}> has attributes; SyncML WBXML uses none", pos, name)
    return name, nxt


def _rare_token(doc: _Doc, pos: int, tok: int, run: int) -> tuple[int, int]:
    """OPAQUE, STR_T, ENTITY, a bad SWITCH_PAGE (``_run`` takes the good ones) and the
    unsupported global tokens, inside the root. ``run``: text already in this text node.

    Returns (the next position, the text node's length after this token).
    """
    data, n = doc.data, doc.n
    if tok == SWITCH_PAGE:
        if pos + 1 >= n:
            raise Fail("truncated SWITCH_PAGE", pos)
        raise Fail(f"unknown code page {data[pos + 1]} in {doc.lang.name}", pos)
    if tok not in (OPAQUE, STR_T, ENTITY):
        raise Fail(f"unsupported WBXML global token {GLOBAL_NAMES.get(tok, hex(tok))}", pos)
    if tok == OPAQUE:
        length, p = mb_u_int32(data, pos + 1, n, "OPAQUE length")
        if length > n - p:
            raise Fail(f"OPAQUE length {length} runs past the end ({n - p} bytes left)", pos)
        _room(doc, run + length, pos)
        payload = data[p : p + length]
        if doc.text_opaque and not opaque_is_text(payload):
            raise Fail("OPAQUE data holds a character XML 1.0 cannot carry", pos)
        doc.target.opaque(payload)
        return p + length, run + length
    if tok == STR_T:
        index, p = mb_u_int32(data, pos + 1, n, "STR_T index")
        text = doc.strings.ref(index, pos)
        _room(doc, run + len(text), pos)
        doc.target.data(text)
        return p, run + len(text)
    cp, p = mb_u_int32(data, pos + 1, n, "ENTITY")
    if (
        cp > 0x10FFFF
        or 0xD800 <= cp <= 0xDFFF
        or cp in (0xFFFE, 0xFFFF)
        or (cp < 0x20 and cp not in (0x09, 0x0A, 0x0D))
    ):
        raise Fail(f"ENTITY U+{cp:04X} is not an XML character", pos)
    _room(doc, run + 1, pos)
    doc.target.data(chr(cp))
    return p, run + 1


def _room(doc: _Doc, size: int, pos: int) -> None:
    """Refuse a text node that would grow past ``max_text``."""
    if size > doc.max_text:
        raise Fail(
            f"text of {size} characters in one element exceeds max_text",
            pos,
            limit="max_text",
            value=doc.max_text,
        )


def opaque_is_text(payload: bytes) -> bool:
    """True when an OPAQUE payload read as text (UTF-8, else Latin-1 as the builder reads it)
    holds only characters XML 1.0 can carry."""
    if b"\0" in payload.translate(_C0_MAP):
        return False
    if b"\xef\xbf" not in payload:  # U+FFFE and U+FFFF in UTF-8 (surrogates are not UTF-8)
        return True
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return True  # Latin-1: every character from U+0080 up is allowed
    return bad_chars(text) is None


class _PathTracker:
    """Target that only tracks the open elements, with sibling counts, for error paths."""

    def __init__(self) -> None:
        self.walker = PathWalker()
        self.counts: list[dict[str, int]] = [{}]

    def start(self, name: str, attrs: object) -> None:
        counts = self.counts[-1]
        counts[name] = counts.get(name, 0) + 1
        self.walker.push(name, counts[name])
        self.counts.append({})

    def data(self, text: str) -> None:
        pass

    def opaque(self, payload: bytes) -> None:
        pass

    def end(self, name: str) -> None:
        self.walker.pop()
        self.counts.pop()

    def path(self, pending: str = "") -> str:
        """The path of the open elements, plus the element ``pending`` being opened."""
        if pending:
            return self.walker.path((pending, self.counts[-1].get(pending, 0) + 1))
        return self.walker.path() if len(self.counts) > 1 else ""


def _tolerate(code: str, message: str, offset: int, path: str) -> None:
    pass


def _replay(data: bytes, target: WbxmlTarget, max_depth: int) -> None:
    """Decode ``data`` (a prefix) into ``target`` as far as it goes, without limits on text."""
    try:
        lang, table, pos = header(data, len(data), _tolerate)
        doc = _Doc(data, lang, Strings(table, None), target, UNBOUNDED, False)
        _run(doc, pos, max_depth)
    except (Fail, UnicodeDecodeError, IndexError):
        pass


def _xpath_at(data: bytes, fail: Fail, max_depth: int) -> str:
    """Element path at the failure: decode the prefix again, tracking the open elements."""
    tracker = _PathTracker()
    _replay(data[: fail.offset], tracker, max_depth)
    return tracker.path(fail.pending)


class _Stop(Fail):
    """Internal: a probe has seen what it needs."""

    def __init__(self) -> None:
        super().__init__("", 0)


_VER_DTD: Final = ["SyncML", "SyncHdr", "VerDTD"]


class _VerDTD:
    """Target that reads SyncHdr/VerDTD and stops there (or where it can no longer come)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.text = ""
        self.offset = 0
        self.found = False

    def start(self, name: str, attrs: object) -> None:
        self.names.append(name)
        if self.names[:2] != _VER_DTD[: min(2, len(self.names))]:
            raise _Stop  # not a SyncML message, or past its SyncHdr
        if self.names == _VER_DTD:
            self.offset = running_offset()

    def data(self, text: str) -> None:
        self.text += text if self.names == _VER_DTD else ""

    def opaque(self, payload: bytes) -> None:
        self.data(payload.decode("latin-1"))

    def end(self, name: str) -> None:
        if self.names == _VER_DTD:
            self.found = True
        if len(self.names) <= 2 or self.found:
            raise _Stop
        self.names.pop()


def _check_ver_dtd(data: bytes, lang: Lang, max_depth: int, deviate: Deviate) -> None:
    """VerDTD against the version the public id names (RepPro §8 public ids; the validator's
    DM209 makes the same check against the XML namespace)."""
    if not lang.name.startswith("SyncML"):
        return
    probe = _VerDTD()
    _replay(data, probe, max_depth)
    found = probe.text.strip()
    if probe.found and found and found != lang.version:
        deviate(
            "P121",
            f"the WBXML public identifier says SyncML {lang.version} but VerDTD is {found!r}",
            probe.offset,
            "SyncML/SyncHdr/VerDTD",
        )


def decode(
    data: bytes | bytearray | memoryview,
    target: WbxmlTarget,
    limits: Limits | None = None,
    *,
    qualified: bool = False,
    tick: Callable[[int], object] | None = None,
    deviate: Deviate | None = None,
    max_depth: int | None = None,
    max_bytes: int | None = None,
    max_text: int | None = None,
) -> None:
    """Decode a WBXML SyncML (1.0/1.1/1.2) or DevInf 1.1/1.2 document into ``target`` events.

    Args:
        data: the whole document.
        target: receives ``start``/``data``/``opaque``/``end`` in document order.
        limits: ``max_depth`` (the root is depth 1), ``max_bytes`` (input), ``max_text`` (text
            of one element, in characters; inline strings count their bytes) and
            ``max_referenced_text`` (all string-table references together); ``Limits()``
            when None.
        qualified: make the calls an ``xml.etree`` ``TreeBuilder`` takes (see ``WbxmlTarget``).
            OPAQUE payloads are then checked as text (a TreeBuilder keeps them as text).
        tick: called with the input position after an END, once per ``TICK`` bytes or so.
        deviate: receives the deviations a tolerant reader accepts (P120: the public
            identifier is an unterminated string-table entry; P121: the public identifier
            names another SyncML version than VerDTD). Without it P120 is an error and, in
            ``qualified`` mode, so is P121 (that caller then takes a path that reports it).
        max_depth: overrides ``limits.max_depth`` (kept for callers that pass numbers).
        max_bytes: overrides ``limits.max_bytes``.
        max_text: overrides ``limits.max_text``.

    Raises:
        MalformedXML: the bytes are not a well-formed WBXML document of a supported type.
        LimitExceeded: a limit was passed (``limit`` names it).
        Any exception raised by ``target`` or ``deviate``, unchanged.
    """
    lim = limits or DEFAULT_LIMITS
    if not isinstance(data, bytes):
        data = bytes(data)
    depth_bound = lim.max_depth if max_depth is None else max_depth
    byte_bound = lim.max_bytes if max_bytes is None else max_bytes
    if byte_bound is not None and len(data) > byte_bound:
        raise LimitExceeded(
            f"input of {len(data)} bytes exceeds max_bytes={byte_bound}",
            Position(0, byte_bound),
            limit="max_bytes",
            value=byte_bound,
        )
    try:
        lang, table, pos = header(data, len(data), deviate or refuse)
        if deviate is not None or qualified:
            _check_ver_dtd(data, lang, depth_bound, deviate or refuse)
        strings = Strings(table, lim.max_referenced_text)
        text_bound = lim.max_text if max_text is None else max_text
        doc = _Doc(data, lang, strings, target, text_bound, qualified)
        end = _run(doc, pos, depth_bound, qualified, tick)
        if end != len(data):
            raise Fail(f"{len(data) - end} trailing bytes after the root element", end)
    except Fail as fail:
        _raise(data, fail, depth_bound)
    except (UnicodeDecodeError, IndexError) as exc:
        loop = _loop_locals(exc)
        if loop is None:
            raise  # from the target: unchanged
        _raise(data, _loop_failure(exc, loop), depth_bound)


def _loop_locals(exc: BaseException) -> dict[str, Any] | None:
    """The loop's locals when ``exc`` was raised by the loop itself, else None (a callback's
    exceptions propagate unchanged)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None or tb.tb_frame.f_code is not _RUN_CODE:
        return None
    return tb.tb_frame.f_locals


def _loop_failure(exc: BaseException, loop: dict[str, Any]) -> Fail:
    """The two exceptions the loop lets Python raise for it, instead of testing every token:
    reading past the end of the input, and an inline string that is not UTF-8."""
    pos: int = loop["pos"]
    if isinstance(exc, UnicodeDecodeError):
        return Fail(f"inline string is not UTF-8: {exc.reason}", pos)
    return Fail(f"unexpected end of input: <{loop['_names'][-1]}> is not closed", pos)


def _raise(data: bytes, fail: Fail, max_depth: int) -> NoReturn:
    """The public error for ``fail``, with the element path at its offset."""
    xpath = _xpath_at(data, fail, max_depth)
    if fail.limit:
        raise LimitExceeded(
            fail.message, Position(0, fail.offset), xpath, limit=fail.limit, value=fail.value
        ) from None
    raise MalformedXML(fail.message, Position(0, fail.offset), xpath) from None
