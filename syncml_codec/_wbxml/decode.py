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
from typing import TYPE_CHECKING, Any, Final, NoReturn, Protocol

from syncml_codec._paths import PathWalker
from syncml_codec.errors import LimitExceeded, MalformedXML, Position
from syncml_codec.limits import DEFAULT_LIMITS, Limits

from .tokens import (
    ATTRS,
    CHARSET_UTF8,
    ENTITY,
    FPIS,
    GLOBAL_NAMES,
    LANGS,
    OPAQUE,
    STR_T,
    SWITCH_PAGE,
    Lang,
    bad_chars,
)

if TYPE_CHECKING:
    from syncml_codec._builder import Builder

__all__ = ["TICK", "Deviate", "WbxmlTarget", "decode", "decode_into"]

#: ``decode``'s ``tick`` comes about this often (bytes of input), after an END token.
TICK: Final = 1 << 16

#: ``deviate(code, message, offset, path)``: a tolerated deviation from WBXML at a byte offset;
#: ``path`` is the element path below the root it concerns ("" for the document).
Deviate = Callable[[str, str, int, str], None]

_UNBOUNDED: Final = 1 << 62

# XML Name (ASCII fast path plus any non-ASCII letter), for LITERAL tag names.
_NAME: Final = re.compile(r"[A-Za-z_\u00C0-\U000EFFFF][-.\w\u00B7-\U000EFFFF]*")

# UTF-8 of characters XML 1.0 does not allow (a NUL ends a string before it could be seen).
_BAD_UTF8: Final = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]").search
# C0 controls XML 1.0 does not allow: bad in UTF-8 and in Latin-1 alike.
_BAD_C0: Final = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]").search


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


class _Fail(Exception):
    """Internal: a decode failure at a byte offset (converted by ``decode``)."""

    def __init__(
        self, message: str, offset: int, pending: str = "", limit: str = "", value: int = 0
    ) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.pending = pending  # name of the start tag being read, if any
        self.limit = limit
        self.value = value


def _mb_u_int32(data: bytes, pos: int, n: int, what: str) -> tuple[int, int]:
    """Read a WBXML mb_u_int32 at ``pos``; return (value, next position)."""
    start = pos
    value = 0
    for _ in range(5):
        if pos >= n:
            raise _Fail(f"truncated multi-byte integer ({what})", start)
        b = data[pos]
        pos += 1
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            if value > 0xFFFFFFFF:
                raise _Fail(f"multi-byte integer overflows 32 bits ({what})", start)
            return value, pos
    raise _Fail(f"multi-byte integer longer than 5 bytes ({what})", start)


def _cstring(table: bytes, index: int, offset: int) -> str:
    """The NUL-terminated UTF-8 string at ``index`` of the string table."""
    if index >= len(table):
        raise _Fail(
            f"string table index {index} out of range (table has {len(table)} bytes)", offset
        )
    end = table.find(b"\0", index)
    if end < 0:
        raise _Fail(f"string table entry at index {index} is not NUL-terminated", offset)
    if _BAD_UTF8(table, index, end):
        raise _Fail("string table entry holds a character XML does not allow", offset)
    try:
        return table[index:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Fail(f"string table entry is not UTF-8: {exc.reason}", offset) from None


class _Strings:
    """The string table: each entry decoded once, every reference counted against the budget
    (``Limits.max_referenced_text``, characters in all the references of one document)."""

    __slots__ = ("cache", "left", "limit", "table")

    def __init__(self, table: bytes, limit: int | None) -> None:
        self.table = table
        self.cache: dict[int, str] = {}
        self.limit = _UNBOUNDED if limit is None else limit
        self.left = self.limit

    def ref(self, index: int, offset: int) -> str:
        """The entry at ``index``, referenced by the token at ``offset``."""
        text = self.cache.get(index)
        if text is None:
            text = self.cache[index] = _cstring(self.table, index, offset)
        self.left -= len(text)
        if self.left < 0:
            raise _Fail(
                f"string-table references decode to more than {self.limit} characters",
                offset,
                limit="max_referenced_text",
                value=self.limit,
            )
        return text


def _refuse(code: str, message: str, offset: int, path: str) -> NoReturn:
    """The ``deviate`` of callers that cannot report: the deviation is an error."""
    raise _Fail(message, offset)


def _header(data: bytes, n: int, deviate: Deviate) -> tuple[Lang, bytes, int]:
    """Parse the document header; return (language, string table, body offset)."""
    if n == 0:
        raise _Fail("empty input: no WBXML header", 0)
    version = data[0]
    if version not in (0x01, 0x02, 0x03):
        raise _Fail(
            f"unsupported WBXML version byte 0x{version:02X} (expected 0x01, 0x02 or 0x03)", 0
        )
    public_id, pos = _mb_u_int32(data, 1, n, "public id")
    fpi_index = -1
    if public_id == 0:
        fpi_index, pos = _mb_u_int32(data, pos, n, "public id string index")
    charset_at = pos
    charset, pos = _mb_u_int32(data, pos, n, "charset")
    if charset != CHARSET_UTF8:
        raise _Fail(f"unsupported charset MIBenum {charset} (only 106, UTF-8)", charset_at)
    length_at = pos
    length, pos = _mb_u_int32(data, pos, n, "string table length")
    if length > n - pos:
        raise _Fail(
            f"string table length {length} runs past the end ({n - pos} bytes left)", length_at
        )
    table = data[pos : pos + length]
    if public_id == 0:
        public_id = _fpi(table, fpi_index, deviate)
    lang = LANGS.get(public_id)
    if lang is None:
        raise _Fail(
            f"unsupported public id 0x{public_id:04X} (expected SyncML 1.2 0x1201, 1.1 0x0FD3,"
            " 1.0 0x0FD1, DevInf 1.2 0x1203 or DevInf 1.1 0x0FD4)",
            1,
        )
    return lang, table, pos + length


def _fpi(table: bytes, index: int, deviate: Deviate) -> int:
    """The public id a string-table formal public identifier names.

    Device test vectors write it as the table's last entry with no NUL after it (the header
    ``02 00 00 6A 1D`` + the 29 bytes ``-//SYNCML//DTD SyncML 1.2//EN``); libwbxml reads that,
    and so do we, through ``deviate`` (P120).
    """
    if 0 <= index < len(table) and table.find(b"\0", index) < 0:
        deviate(
            "P120",
            "the WBXML public identifier in the string table is not NUL-terminated",
            1,
            "",
        )
        table += b"\0"
    fpi = _cstring(table, index, 1)
    found = FPIS.get(fpi.strip().upper())
    if found is None:
        raise _Fail(f"unsupported document type {fpi!r}", 1)
    return found


class _Doc:
    """What the rare-token helpers read: the document and the decoding options."""

    __slots__ = ("data", "lang", "max_text", "n", "strings", "target", "text_opaque")

    def __init__(
        self,
        data: bytes,
        lang: Lang,
        strings: _Strings,
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


def _tag_tables(lang: Lang, qualified: bool) -> tuple[Any, Any, dict[str, Any]]:
    """(tag tables, attributes of an element in its parent's namespace, namespace -> the
    attributes that declare it) for plain or ``qualified`` (TreeBuilder) calls."""
    if qualified:
        no_attrs: Any = {}  # TreeBuilder reads it and keeps nothing
        return lang.qtags, no_attrs, dict.fromkeys(lang.namespaces, no_attrs)
    # one shared list per case: targets only read attributes
    return lang.tags, [], {ns: ["xmlns", ns] for ns in lang.namespaces}


def _run(
    doc: _Doc,
    pos: int,
    max_depth: int,
    qualified: bool = False,
    tick: Callable[[int], object] | None = None,
) -> None:
    """The decoder proper, from the first body byte at ``pos``; raises ``_Fail`` on bad input.

    Hot path first: one lookup in the page's 256-entry token table gives the name of a plain tag
    (no attributes, not LITERAL); otherwise STR_I, END, a valid SWITCH_PAGE (two per MetInf
    element in Windows-style messages), then the rare tokens in helpers.
    Namespace changes are rare, so instead of a namespace per open element only the elements
    that change it are recorded (``marks``: the previous mark depth and namespace to restore).
    Constants are written as literals in the loop (0x01 END, 0x03 STR_I, 0x40 content bit).
    ``run`` counts the text of the current text node (reset at every tag) for ``max_text``.
    """
    data, n, max_text = doc.data, doc.n, doc.max_text
    tags, no_attrs, ns_attrs = _tag_tables(doc.lang, qualified)
    namespaces = doc.lang.namespaces
    next_tick = TICK if tick is not None else n + 1
    tbl, cur_ns, page, top_ns = tags[0], namespaces[0], 0, ""  # top_ns: innermost open element's
    names: list[str] = []
    marks: list[tuple[int, str]] = []  # (outer mark depth, outer namespace) per namespace change
    mark_depth, depth, run = -1, 0, 0
    start, data_cb, end = doc.target.start, doc.target.data, doc.target.end
    push, pop, find, utf8 = names.append, names.pop, data.find, bytes.decode

    while True:
        if pos >= n:
            _unexpected_end(names, pos)
        tok = data[pos]
        name = tbl[tok]
        if name is None:
            if tok == 0x03:  # STR_I
                e = find(0, pos + 1)
                run += e - pos - 1
                if not depth or e < 0 or run > max_text:
                    _bad_str_i(depth, e, run, max_text, pos)
                try:
                    text = utf8(data[pos + 1 : e])  # bytes.decode: UTF-8 by default
                except UnicodeDecodeError as exc:
                    raise _Fail(f"inline string is not UTF-8: {exc.reason}", pos) from None
                if not text.isprintable() and bad_chars(text):
                    raise _Fail("inline string holds a character XML does not allow", pos)
                data_cb(text)
                pos = e + 1
                continue
            if tok == 0x01:  # END
                if not depth:
                    raise _Fail("END token with no open element", pos)
                end(pop())
                pos += 1
                run = 0
                if depth == mark_depth:
                    mark_depth, top_ns = marks.pop()
                depth -= 1
                if not depth:
                    break
                if pos >= next_tick:
                    next_tick = pos + TICK
                    tick(pos)  # type: ignore[misc]
                continue
            if tok == 0x00 and pos + 1 < n and data[pos + 1] < len(tags):  # SWITCH_PAGE
                page = data[pos + 1]
                tbl, cur_ns = tags[page], namespaces[page]
                pos += 2
                continue
            if tok & 0x3F < 4:
                pos, chars = _rare_token(doc, pos, tok, depth, run)
                run += chars
                continue
            name, nxt = _odd_tag(doc, pos, tok, page, cur_ns)
        else:
            nxt = pos + 1
        if depth >= max_depth:
            raise _Fail(
                f"element nesting deeper than max_depth={max_depth}",
                pos,
                name,
                "max_depth",
                max_depth,
            )
        run = 0
        if cur_ns is top_ns:
            start(name, no_attrs)
            if tok & 0x40:
                push(name)
                depth += 1
            else:
                end(name)
            pos = nxt
            continue
        start(name, ns_attrs[cur_ns])
        if tok & 0x40:
            push(name)
            depth += 1
            marks.append((mark_depth, top_ns))
            mark_depth, top_ns = depth, cur_ns
        else:
            end(name)
        pos = nxt
        if not depth:
            break
    if pos != n:
        raise _Fail(f"{n - pos} trailing bytes after the root element", pos)


_RUN_CODE: Final = _run.__code__


def _unexpected_end(names: list[str], pos: int) -> NoReturn:
    if names:
        raise _Fail(f"unexpected end of input: <{names[-1]}> is not closed", pos)
    raise _Fail("no root element", pos)


def _bad_str_i(depth: int, end: int, run: int, max_text: int, pos: int) -> NoReturn:
    """Say what is wrong with the inline string at ``pos``."""
    if not depth:
        raise _Fail("text outside the root element", pos)
    if end < 0:
        raise _Fail("inline string (STR_I) is not NUL-terminated", pos)
    raise _Fail(
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
        index, nxt = _mb_u_int32(doc.data, nxt, doc.n, "LITERAL index")
        name = doc.strings.ref(index, pos)
        if not _NAME.fullmatch(name):
            raise _Fail(f"LITERAL tag name {name!r} is not an XML name", pos)
    else:
        tag = doc.lang.pages[page][low]
        if tag is None:
            raise _Fail(f"unknown tag token 0x{low:02X} in the {cur_ns} code page", pos)
        name = tag
    if tok & ATTRS:
        raise _Fail(f"<{name}> has attributes; SyncML WBXML uses none", pos, name)
    return name, nxt


def _rare_token(doc: _Doc, pos: int, tok: int, depth: int, run: int) -> tuple[int, int]:
    """OPAQUE, STR_T, ENTITY, a bad SWITCH_PAGE (``_run`` takes the good ones) and the
    unsupported global tokens. ``run``: text already in this text node.

    Returns (the next position, characters of text delivered).
    """
    data, n = doc.data, doc.n
    if tok == SWITCH_PAGE:
        if pos + 1 >= n:
            raise _Fail("truncated SWITCH_PAGE", pos)
        raise _Fail(f"unknown code page {data[pos + 1]} in {doc.lang.name}", pos)
    if tok not in (OPAQUE, STR_T, ENTITY):
        raise _Fail(f"unsupported WBXML global token {GLOBAL_NAMES.get(tok, hex(tok))}", pos)
    if not depth:
        raise _Fail("content outside the root element", pos)
    if tok == OPAQUE:
        length, p = _mb_u_int32(data, pos + 1, n, "OPAQUE length")
        if length > n - p:
            raise _Fail(f"OPAQUE length {length} runs past the end ({n - p} bytes left)", pos)
        _room(doc, run + length, pos)
        payload = data[p : p + length]
        if doc.text_opaque and not opaque_is_text(payload):
            raise _Fail("OPAQUE data holds a character XML 1.0 cannot carry", pos)
        doc.target.opaque(payload)
        return p + length, length
    if tok == STR_T:
        index, p = _mb_u_int32(data, pos + 1, n, "STR_T index")
        text = doc.strings.ref(index, pos)
        _room(doc, run + len(text), pos)
        doc.target.data(text)
        return p, len(text)
    cp, p = _mb_u_int32(data, pos + 1, n, "ENTITY")
    if (
        cp > 0x10FFFF
        or 0xD800 <= cp <= 0xDFFF
        or cp in (0xFFFE, 0xFFFF)
        or (cp < 0x20 and cp not in (0x09, 0x0A, 0x0D))
    ):
        raise _Fail(f"ENTITY U+{cp:04X} is not an XML character", pos)
    _room(doc, run + 1, pos)
    doc.target.data(chr(cp))
    return p, 1


def _room(doc: _Doc, size: int, pos: int) -> None:
    """Refuse a text node that would grow past ``max_text``."""
    if size > doc.max_text:
        raise _Fail(
            f"text of {size} characters in one element exceeds max_text",
            pos,
            limit="max_text",
            value=doc.max_text,
        )


def opaque_is_text(payload: bytes) -> bool:
    """True when an OPAQUE payload read as text (UTF-8, else Latin-1 as the builder reads it)
    holds only characters XML 1.0 can carry."""
    if _BAD_C0(payload):
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
        lang, table, pos = _header(data, len(data), _tolerate)
        doc = _Doc(data, lang, _Strings(table, None), target, _UNBOUNDED, False)
        _run(doc, pos, max_depth)
    except _Fail:
        pass


def _xpath_at(data: bytes, fail: _Fail, max_depth: int) -> str:
    """Element path at the failure: decode the prefix again, tracking the open elements."""
    tracker = _PathTracker()
    _replay(data[: fail.offset], tracker, max_depth)
    return tracker.path(fail.pending)


class _Stop(_Fail):
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
            self.offset = _running_offset()

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
        lang, table, pos = _header(data, len(data), deviate or _refuse)
        if deviate is not None or qualified:
            _check_ver_dtd(data, lang, depth_bound, deviate or _refuse)
        strings = _Strings(table, lim.max_referenced_text)
        text_bound = lim.max_text if max_text is None else max_text
        _run(
            _Doc(data, lang, strings, target, text_bound, qualified),
            pos,
            depth_bound,
            qualified,
            tick,
        )
    except _Fail as fail:
        xpath = _xpath_at(data, fail, depth_bound)
        if fail.limit:
            raise LimitExceeded(
                fail.message, Position(0, fail.offset), xpath, limit=fail.limit, value=fail.value
            ) from None
        raise MalformedXML(fail.message, Position(0, fail.offset), xpath) from None


# --------------------------------------------------------------------------------------------
# The exact path: the decoder joined to the table-driven Builder


def _running_offset() -> int:
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


class _Locator:
    """``Builder.locate`` for WBXML: (0, byte offset), the WBXML form of a ``Position``."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at = 0  # for reports made outside the loop (the header)

    def __call__(self) -> tuple[int, int]:
        offset = _running_offset()
        return 0, self.at if offset < 0 else offset


class _ModelTarget:
    """The builder's own callables, with OPAQUE payloads that become text checked as text
    (a payload the builder skips, such as a DS DevInf in an unknown element, may be binary)."""

    __slots__ = ("_builder", "data", "end", "start")

    def __init__(self, builder: Builder) -> None:
        self._builder = builder
        self.start = builder.start
        self.data = builder.data
        self.end = builder.end

    def opaque(self, payload: bytes) -> None:
        builder = self._builder
        if opaque_is_text(payload):
            builder.opaque(payload)
            return
        before = builder.pending_text()
        builder.opaque(payload)
        if builder.pending_text() != before:
            raise _Fail("OPAQUE data holds a character XML 1.0 cannot carry", _running_offset())


#: Deviations that strict mode does not turn into errors: the XML form of the same mismatch
#: (namespace against VerDTD) is a validator warning (DM209), not a parse error.
_ADVISORY: Final = frozenset({"P121"})


def decode_into(data: bytes, builder: Builder, limits: Limits) -> None:
    """Decode a WBXML document into ``builder`` (the exact path), which raises its own
    DecodeErrors and records deviations; positions are byte offsets (``Position(0, n)``).

    The decoder's own depth bound is one level beyond the builder's, so the builder, which
    knows the element table, reports a deep message as it does for XML.
    """
    locator = _Locator()

    def deviate(code: str, message: str, offset: int, path: str) -> None:
        if code in _ADVISORY and builder.strict:
            return
        locator.at = offset
        builder._deviate(code, message, extra=path or None)

    builder.locate = locator
    decode(data, _ModelTarget(builder), limits, deviate=deviate, max_depth=limits.max_depth + 1)
