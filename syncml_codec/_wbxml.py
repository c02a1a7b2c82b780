"""WBXML reader and writer for SyncML 1.0/1.1/1.2 and DevInf 1.2, at the token level.

The decoder turns a WBXML document into the same event stream that stdlib pyexpat produces for
the equivalent XML *without* namespace processing (``ParserCreate()``, ``ordered_attributes``):
``start(name, [attr, value, ...])``, ``data(text)``, ``end(name)``, plus ``opaque(payload)`` for
the WBXML OPAQUE token, which has no XML equivalent (the caller decides what ``Data`` becomes).
Namespaces travel the XML way: an element whose code page namespace differs from its parent's
namespace gets ``["xmlns", ns]``; the root always does. So ``<Meta>`` + SWITCH_PAGE 1 + ``Format``
reads like ``<Meta><Format xmlns="syncml:metinf">`` and the nested ``Anchor/Last`` inherit.

The writer (``WbxmlWriter``) is the mirror image; ``xml_to_wbxml`` and ``wbxml_to_xml`` are small
converters built on both (for tests and the CLI ``convert`` command).

Token values come from SYNCML-DM.md §5 (RepPro §8, libwbxml ``wbxml_tables.c``).

Strategy:
    Invariants. The decoder is a single ``while`` loop over ``bytes`` indexing with the page table
    (a 256-entry tuple per code page, indexed by the token byte, that names plain tags only) and
    the callbacks bound to locals; inline strings are cut with ``bytes.find(0, pos)``, decoded, and
    checked for XML-illegal characters with ``str.isprintable()`` (falling back to a precompiled
    regex only when it says no). Rare tokens (SWITCH_PAGE, OPAQUE, STR_T, ENTITY, LITERAL, errors)
    are handled in helpers outside the loop. Every length (string table, OPAQUE) is checked
    against the bytes that remain *before* anything is sliced, so a header that claims gigabytes
    fails in O(1). Every failure inside the loop raises one private exception carrying the byte
    offset; ``decode`` converts it into ``MalformedXML``/``LimitExceeded`` with ``Position(0,
    offset)`` (0-based byte offset). The element path is *not* tracked in the hot loop: on error,
    the prefix ``data[:offset]`` is decoded again into a path-tracking target, which yields exactly
    the open elements at the point of failure. Callback exceptions propagate unchanged. No other
    exception type escapes for any input (fuzzed in tests).
    Complexity. Decoding is O(n) time; memory is O(depth) plus what the target keeps. Error paths
    cost one extra O(offset) pass. The writer is O(output) and patches the content bit (0x40) of a
    start tag in place when the first child or text arrives, so empty elements are one byte
    (``<Final/>`` is ``0x12``) with no END.
    Output choices. The writer emits inline strings (STR_I) only and an empty string table: valid
    WBXML, deterministic, and what libwbxml's ``xml2wbxml -n`` produces. SWITCH_PAGE is emitted only
    before a tag whose page differs from the current page (the page state is global in WBXML).
"""

from __future__ import annotations

import base64
import contextlib
import re
from collections.abc import Callable
from typing import Any, Final, NoReturn, Protocol
from xml.parsers import expat

from .errors import (
    DecodeError,
    EncodeError,
    ForbiddenConstruct,
    LimitExceeded,
    MalformedXML,
    Position,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_TEXT",
    "NS_DEVINF12",
    "NS_METINF",
    "NS_SYNCML10",
    "NS_SYNCML11",
    "NS_SYNCML12",
    "PUBLIC_ID_DEVINF11",
    "PUBLIC_ID_DEVINF12",
    "PUBLIC_ID_SYNCML10",
    "PUBLIC_ID_SYNCML11",
    "PUBLIC_ID_SYNCML12",
    "WbxmlTarget",
    "WbxmlWriter",
    "decode",
    "is_wbxml",
    "wbxml_to_xml",
    "xml_to_wbxml",
]


def is_wbxml(first: bytes | str) -> bool:
    """True when a document starts like WBXML 1.1-1.3 (XML cannot start with these bytes)."""
    return isinstance(first, (bytes, bytearray)) and len(first) > 0 and first[0] in (1, 2, 3)


DEFAULT_MAX_DEPTH: Final = 64
DEFAULT_MAX_BYTES: Final = 64 * 1024 * 1024
DEFAULT_MAX_TEXT: Final = 16 * 1024 * 1024
#: ``decode``'s ``tick`` comes about this often (bytes of input), after an END token.
TICK: Final = 1 << 16

NS_SYNCML12: Final = "SYNCML:SYNCML1.2"
NS_SYNCML11: Final = "SYNCML:SYNCML1.1"
NS_SYNCML10: Final = "SYNCML:SYNCML1.0"
NS_METINF: Final = "syncml:metinf"
NS_DEVINF12: Final = "syncml:devinf"

# §5 "Public ids".
PUBLIC_ID_SYNCML12: Final = 0x1201
PUBLIC_ID_DEVINF12: Final = 0x1203
PUBLIC_ID_DEVINF11: Final = 0x0FD4
PUBLIC_ID_SYNCML11: Final = 0x0FD3
PUBLIC_ID_SYNCML10: Final = 0x0FD1

# §5 "Global tokens" (wbxml_internals.h).
_SWITCH_PAGE: Final = 0x00
_END: Final = 0x01
_ENTITY: Final = 0x02
_STR_I: Final = 0x03
_STR_T: Final = 0x83
_OPAQUE: Final = 0xC3
_CONTENT: Final = 0x40
_ATTRS: Final = 0x80
_CHARSET_UTF8: Final = 106

_GLOBAL_NAMES: Final = {
    0x04: "LITERAL",
    0x40: "EXT_I_0",
    0x41: "EXT_I_1",
    0x42: "EXT_I_2",
    0x43: "PI",
    0x44: "LITERAL_C",
    0x80: "EXT_T_0",
    0x81: "EXT_T_1",
    0x82: "EXT_T_2",
    0x84: "LITERAL_A",
    0xC0: "EXT_0",
    0xC1: "EXT_1",
    0xC2: "EXT_2",
    0xC4: "LITERAL_AC",
}

# §5 "Code page 0, SyncML": tokens from 0x05 upwards; None = reserved (0x30).
# 0x35-0x3C are SyncML 1.2 additions; the 1.0/1.1 page ends at 0x34 (MoreData).
_SYNCML_TAGS: Final[tuple[str | None, ...]] = (
    "Add", "Alert", "Archive", "Atomic", "Chal", "Cmd", "CmdID", "CmdRef",  # 05-0C
    "Copy", "Cred", "Data", "Delete", "Exec", "Final", "Get", "Item",  # 0D-14
    "Lang", "LocName", "LocURI", "Map", "MapItem", "Meta", "MsgID", "MsgRef",  # 15-1C
    "NoResp", "NoResults", "Put", "Replace", "RespURI", "Results", "Search", "Sequence",  # 1D-24
    "SessionID", "SftDel", "Source", "SourceRef", "Status", "Sync", "SyncBody", "SyncHdr",  # 25-2C
    "SyncML", "Target", "TargetRef", None, "VerDTD", "VerProto", "NumberOfChanges",  # 2D-33
    "MoreData", "Field", "Filter", "Record", "FilterType", "SourceParent",  # 34-39
    "TargetParent", "Move", "Correlator",  # 3A-3C
)  # fmt: skip
_SYNCML11_LAST: Final = 0x34

# §5 "Code page 1, MetInf"; FieldLevel (0x16) is 1.2 only.
_METINF_TAGS: Final[tuple[str | None, ...]] = (
    "Anchor", "EMI", "Format", "FreeID", "FreeMem", "Last", "Mark", "MaxMsgSize",  # 05-0C
    "Mem", "MetInf", "Next", "NextNonce", "SharedMem", "Size", "Type", "Version",  # 0D-14
    "MaxObjSize", "FieldLevel",  # 15-16
)  # fmt: skip
_METINF11_LAST: Final = 0x15

# §5 "DevInf 1.2" (its own document, code page 0); 0x2F is unassigned. DevInf 1.1 (public id
# 0x0FD4, same namespace) ends at 0x2A SupportLargeObjs; libwbxml writes the 1.2-only elements
# of a DevInf 1.1 document as LITERAL tags (seen in the Sony Ericsson K800i package 1).
_DEVINF12_TAGS: Final[tuple[str | None, ...]] = (
    "CTCap", "CTType", "DataStore", "DataType", "DevID", "DevInf", "DevTyp",  # 05-0B
    "DisplayName", "DSMem", "Ext", "FwV", "HwV", "Man", "MaxGUIDSize", "MaxID",  # 0C-13
    "MaxMem", "Mod", "OEM", "ParamName", "PropName", "Rx", "Rx-Pref", "SharedMem",  # 14-1B
    "MaxSize", "SourceRef", "SwV", "SyncCap", "SyncType", "Tx", "Tx-Pref", "ValEnum",  # 1C-23
    "VerCT", "VerDTD", "XNam", "XVal", "UTC", "SupportNumberOfChanges",  # 24-29
    "SupportLargeObjs", "Property", "PropParam", "MaxOccur", "NoTruncate", None,  # 2A-2F
    "Filter-Rx", "FilterCap", "FilterKeyword", "FieldLevel", "SupportHierarchicalSync",  # 30-34
)  # fmt: skip


_DEVINF11_LAST: Final = 0x2A


def _page(tags: tuple[str | None, ...], last: int = 0x3F) -> tuple[str | None, ...]:
    """64-entry token -> name table (index = token & 0x3F), cut at ``last``."""
    table: list[str | None] = [None] * 64
    for i, name in enumerate(tags):
        if 5 + i <= last:
            table[5 + i] = name
    return tuple(table)


def _reverse(table: tuple[str | None, ...]) -> dict[str, int]:
    return {name: tok for tok, name in enumerate(table) if name is not None}


class _Lang:
    """One WBXML language: per code page its namespace and both token tables."""

    __slots__ = ("by_ns", "name", "namespaces", "pages", "public_id", "qtags", "tags")

    def __init__(
        self, name: str, public_id: int, pages: tuple[tuple[str, tuple[str | None, ...]], ...]
    ) -> None:
        self.name = name
        self.public_id = public_id
        self.namespaces: tuple[str, ...] = tuple(ns for ns, _ in pages)
        self.pages: tuple[tuple[str | None, ...], ...] = tuple(t for _, t in pages)
        # Decoder fast path: full token byte -> name for plain tags only (no attribute bit,
        # not a global token); None sends the decoder to its slower branches.
        self.tags: tuple[tuple[str | None, ...], ...] = tuple(
            tuple(None if tok & _ATTRS else t[tok & 0x3F] for tok in range(256)) for t in self.pages
        )
        # The same with "{namespace}name", as xml.etree names elements (``qualified`` mode).
        self.qtags: tuple[tuple[str | None, ...], ...] = tuple(
            tuple(None if name is None else f"{{{ns}}}{name}" for name in t)
            for ns, t in zip(self.namespaces, self.tags, strict=True)
        )
        # ns -> (page number, name -> token)
        self.by_ns: dict[str, tuple[int, dict[str, int]]] = {
            ns: (i, _reverse(t)) for i, (ns, t) in enumerate(pages)
        }


_LANGS: Final[dict[int, _Lang]] = {
    PUBLIC_ID_SYNCML12: _Lang(
        "SyncML 1.2",
        PUBLIC_ID_SYNCML12,
        ((NS_SYNCML12, _page(_SYNCML_TAGS)), (NS_METINF, _page(_METINF_TAGS))),
    ),
    PUBLIC_ID_SYNCML11: _Lang(
        "SyncML 1.1",
        PUBLIC_ID_SYNCML11,
        (
            (NS_SYNCML11, _page(_SYNCML_TAGS, _SYNCML11_LAST)),
            (NS_METINF, _page(_METINF_TAGS, _METINF11_LAST)),
        ),
    ),
    PUBLIC_ID_SYNCML10: _Lang(
        "SyncML 1.0",
        PUBLIC_ID_SYNCML10,
        (
            (NS_SYNCML10, _page(_SYNCML_TAGS, _SYNCML11_LAST)),
            (NS_METINF, _page(_METINF_TAGS, _METINF11_LAST)),
        ),
    ),
    PUBLIC_ID_DEVINF12: _Lang(
        "DevInf 1.2", PUBLIC_ID_DEVINF12, ((NS_DEVINF12, _page(_DEVINF12_TAGS)),)
    ),
    PUBLIC_ID_DEVINF11: _Lang(
        "DevInf 1.1",
        PUBLIC_ID_DEVINF11,
        ((NS_DEVINF12, _page(_DEVINF12_TAGS, _DEVINF11_LAST)),),
    ),
}

# Formal public identifiers accepted in the string-table form (compared upper-cased): the WBXML
# registry spelling and the DTD header spellings (§1.1).
_FPIS: Final[dict[str, int]] = {
    "-//SYNCML//DTD SYNCML 1.2//EN": PUBLIC_ID_SYNCML12,
    "-//OMA//DTD SYNCML 1.2//EN": PUBLIC_ID_SYNCML12,
    "-//SYNCML//DTD SYNCML 1.1//EN": PUBLIC_ID_SYNCML11,
    "-//OMA//DTD SYNCML 1.1//EN": PUBLIC_ID_SYNCML11,
    "-//SYNCML//DTD SYNCML 1.0//EN": PUBLIC_ID_SYNCML10,
    "-//SYNCML//DTD DEVINF 1.2//EN": PUBLIC_ID_DEVINF12,
    "-//SYNCML//DTD DEVINF 1.1//EN": PUBLIC_ID_DEVINF11,
}

# Root namespace -> public id, for the writer and xml_to_wbxml.
_NS_TO_PUBLIC_ID: Final[dict[str, int]] = {
    NS_SYNCML12: PUBLIC_ID_SYNCML12,
    NS_SYNCML11: PUBLIC_ID_SYNCML11,
    NS_SYNCML10: PUBLIC_ID_SYNCML10,
    NS_DEVINF12: PUBLIC_ID_DEVINF12,  # the writer always nests DevInf as 1.2
}

# XML Name (ASCII fast path plus any non-ASCII letter), for LITERAL tag names.
_NAME: Final = re.compile(r"[A-Za-z_\u00C0-\U000EFFFF][-.\w\u00B7-\U000EFFFF]*")

# Characters XML 1.0 does not allow (NUL cannot occur: it terminates inline strings).
_BAD_BYTES: Final = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_BAD_CHARS: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Element names that can repeat under their parent get a 1-based ``[n]`` in error paths, e.g.
# ``/SyncML/SyncBody/Status[1]/Data`` (mirrors the path style of ``errors.DecodeError``).
_INDEXED: Final = frozenset(
    {
        "Add", "Alert", "Atomic", "Copy", "Delete", "Exec", "Get", "Map", "MapItem", "Move",
        "Put", "Replace", "Results", "Search", "Sequence", "Status", "Sync", "Item",
        "TargetRef", "SourceRef", "EMI", "Field", "Record",
        "CTCap", "DataStore", "Ext", "Property", "PropParam", "Rx", "Tx", "ValEnum", "XVal",
        "SyncType", "CTType", "FilterCap", "FilterKeyword",
    }
)  # fmt: skip


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
    if _BAD_BYTES.search(table, index, end):
        raise _Fail("string table entry holds a character XML does not allow", offset)
    try:
        return table[index:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Fail(f"string table entry is not UTF-8: {exc.reason}", offset) from None


def _header(data: bytes, n: int) -> tuple[_Lang, bytes, int]:
    """Parse the document header; return (language, string table, body offset)."""
    if n == 0:
        raise _Fail("empty input: no WBXML header", 0)
    version = data[0]
    if version not in (0x01, 0x02, 0x03):
        raise _Fail(
            f"unsupported WBXML version byte 0x{version:02X} (expected 0x01, 0x02 or 0x03)", 0
        )
    pid_at = 1
    public_id, pos = _mb_u_int32(data, 1, n, "public id")
    fpi_index = -1
    if public_id == 0:
        fpi_index, pos = _mb_u_int32(data, pos, n, "public id string index")
    charset_at = pos
    charset, pos = _mb_u_int32(data, pos, n, "charset")
    if charset != _CHARSET_UTF8:
        raise _Fail(f"unsupported charset MIBenum {charset} (only 106, UTF-8)", charset_at)
    length_at = pos
    length, pos = _mb_u_int32(data, pos, n, "string table length")
    if length > n - pos:
        raise _Fail(
            f"string table length {length} runs past the end ({n - pos} bytes left)", length_at
        )
    table = data[pos : pos + length]
    pos += length
    if public_id == 0:
        fpi = _cstring(table, fpi_index, pid_at)
        found = _FPIS.get(fpi.strip().upper())
        if found is None:
            raise _Fail(f"unsupported document type {fpi!r}", pid_at)
        public_id = found
    lang = _LANGS.get(public_id)
    if lang is None:
        raise _Fail(
            f"unsupported public id 0x{public_id:04X} (expected SyncML 1.2 0x1201, 1.1 0x0FD3,"
            " 1.0 0x0FD1, DevInf 1.2 0x1203 or DevInf 1.1 0x0FD4)",
            pid_at,
        )
    return lang, table, pos


def _run(
    data: bytes,
    target: WbxmlTarget,
    max_depth: int,
    max_text: int,
    qualified: bool = False,
    tick: Callable[[int], object] | None = None,
) -> None:
    """The decoder proper; raises ``_Fail`` on bad input.

    ``qualified``: TreeBuilder calls (see ``WbxmlTarget``). ``tick(position)``: called after
    an END once about every ``TICK`` bytes of input (a consumer of the tree frees what is done).

    Hot path first: one lookup in the page's 256-entry token table gives the name of a plain tag
    (no attributes, not LITERAL); otherwise STR_I, END, a valid SWITCH_PAGE (two per MetInf
    element in Windows-style messages), then the rare tokens in helpers.
    Namespace changes are rare, so instead of a namespace per open element only the elements
    that change it are recorded (``marks``: the previous mark depth and namespace to restore).
    Constants are written as literals in the loop (0x01 END, 0x03 STR_I, 0x40 content bit).
    """
    n = len(data)
    lang, strtab, pos = _header(data, n)
    if qualified:
        tags = lang.qtags
        no_attrs: Any = {}  # TreeBuilder reads it and keeps nothing
        ns_attrs: dict[str, Any] = dict.fromkeys(lang.namespaces, no_attrs)
    else:
        tags = lang.tags
        no_attrs = []  # one shared empty list: targets only read attributes
        ns_attrs = {ns: ["xmlns", ns] for ns in lang.namespaces}
    next_tick = TICK if tick is not None else n + 1
    namespaces = lang.namespaces
    tbl = tags[0]
    cur_ns = namespaces[0]
    page = 0
    top_ns = ""  # namespace of the innermost open element ("" before the root)
    names: list[str] = []
    marks: list[tuple[int, str]] = []  # (outer mark depth, outer namespace) per namespace change
    mark_depth = -1
    depth = 0
    start = target.start
    data_cb = target.data
    end = target.end
    bad_chars = _BAD_CHARS.search
    push = names.append
    pop = names.pop
    find = data.find
    utf8 = bytes.decode

    while True:
        if pos >= n:
            if names:
                raise _Fail(f"unexpected end of input: <{names[-1]}> is not closed", pos)
            raise _Fail("no root element", pos)
        tok = data[pos]
        name = tbl[tok]
        if name is None:
            if tok == 0x03:  # STR_I
                if not depth:
                    raise _Fail("text outside the root element", pos)
                p = pos + 1
                e = find(0, p)
                if e < 0:
                    raise _Fail("inline string (STR_I) is not NUL-terminated", pos)
                if e - p > max_text:
                    raise _Fail(
                        f"text of {e - p} bytes exceeds max_text",
                        pos,
                        limit="max_text",
                        value=max_text,
                    )
                try:
                    text = utf8(data[p:e])  # bytes.decode: UTF-8 by default
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
                tbl = tags[page]
                cur_ns = namespaces[page]
                pos += 2
                continue
            if tok & 0x3F < 4:
                pos = _rare_token(data, pos, n, tok, depth, lang, strtab, target, max_text)
                continue
            name, nxt = _odd_tag(data, pos, n, tok, strtab, lang.pages[page], cur_ns)
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
        pos = nxt
        if cur_ns is top_ns:
            start(name, no_attrs)
            if tok & 0x40:
                push(name)
                depth += 1
            else:
                end(name)
            continue
        start(name, ns_attrs[cur_ns])
        if tok & 0x40:
            push(name)
            depth += 1
            marks.append((mark_depth, top_ns))
            mark_depth = depth
            top_ns = cur_ns
            continue
        end(name)
        if not depth:
            break
    if pos != n:
        raise _Fail(f"{n - pos} trailing bytes after the root element", pos)


def _odd_tag(
    data: bytes,
    pos: int,
    n: int,
    tok: int,
    strtab: bytes,
    table: tuple[str | None, ...],
    cur_ns: str,
) -> tuple[str, int]:
    """A tag the fast table does not give: LITERAL (name in the string table), or an error.

    Returns (name, next position).
    """
    low = tok & 0x3F
    nxt = pos + 1
    if low == 4:  # LITERAL, LITERAL_C, LITERAL_A, LITERAL_AC
        index, nxt = _mb_u_int32(data, nxt, n, "LITERAL index")
        name = _cstring(strtab, index, pos)
        if not _NAME.fullmatch(name):
            raise _Fail(f"LITERAL tag name {name!r} is not an XML name", pos)
    else:
        tag = table[low]
        if tag is None:
            raise _Fail(f"unknown tag token 0x{low:02X} in the {cur_ns} code page", pos)
        name = tag
    if tok & _ATTRS:
        raise _Fail(f"<{name}> has attributes; SyncML WBXML uses none", pos, name)
    return name, nxt


def _rare_token(
    data: bytes,
    pos: int,
    n: int,
    tok: int,
    depth: int,
    lang: _Lang,
    strtab: bytes,
    target: WbxmlTarget,
    max_text: int,
) -> int:
    """OPAQUE, STR_T, ENTITY, a bad SWITCH_PAGE (``_run`` takes the good ones) and the
    unsupported global tokens. Returns the next position.
    """
    if tok == _SWITCH_PAGE:
        if pos + 1 >= n:
            raise _Fail("truncated SWITCH_PAGE", pos)
        raise _Fail(f"unknown code page {data[pos + 1]} in {lang.name}", pos)
    if tok in (_OPAQUE, _STR_T, _ENTITY) and not depth:
        raise _Fail("content outside the root element", pos)
    if tok == _OPAQUE:
        length, p = _mb_u_int32(data, pos + 1, n, "OPAQUE length")
        if length > n - p:
            raise _Fail(f"OPAQUE length {length} runs past the end ({n - p} bytes left)", pos)
        if length > max_text:
            raise _Fail(
                f"OPAQUE of {length} bytes exceeds max_text",
                pos,
                limit="max_text",
                value=max_text,
            )
        target.opaque(data[p : p + length])
        return p + length
    if tok == _STR_T:
        index, p = _mb_u_int32(data, pos + 1, n, "STR_T index")
        text = _cstring(strtab, index, pos)
        if len(text) > max_text:
            raise _Fail(
                f"text of {len(text)} characters exceeds max_text",
                pos,
                limit="max_text",
                value=max_text,
            )
        target.data(text)
        return p
    if tok == _ENTITY:
        cp, p = _mb_u_int32(data, pos + 1, n, "ENTITY")
        if (
            cp > 0x10FFFF
            or 0xD800 <= cp <= 0xDFFF
            or cp in (0xFFFE, 0xFFFF)
            or (cp < 0x20 and cp not in (0x09, 0x0A, 0x0D))
        ):
            raise _Fail(f"ENTITY U+{cp:04X} is not an XML character", pos)
        target.data(chr(cp))
        return p
    raise _Fail(f"unsupported WBXML global token {_GLOBAL_NAMES.get(tok, hex(tok))}", pos)


class _PathTracker:
    """Target that only tracks the open elements, with sibling counts, for error paths."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.counts: list[dict[str, int]] = [{}]

    def start(self, name: str, attrs: list[str]) -> None:
        counts = self.counts[-1]
        counts[name] = counts.get(name, 0) + 1
        self.names.append(name)
        self.counts.append({})

    def data(self, text: str) -> None:
        pass

    def opaque(self, payload: bytes) -> None:
        pass

    def end(self, name: str) -> None:
        self.names.pop()
        self.counts.pop()

    def path(self, pending: str = "") -> str:
        parts = []
        for i, name in enumerate(self.names):
            step = f"/{name}"
            if name in _INDEXED:
                step += f"[{self.counts[i][name]}]"
            parts.append(step)
        if pending:
            count = self.counts[-1].get(pending, 0) + 1
            parts.append(f"/{pending}[{count}]" if pending in _INDEXED else f"/{pending}")
        return "".join(parts)


def _xpath_at(data: bytes, offset: int, pending: str, max_depth: int, max_text: int) -> str:
    """Element path at ``offset``: decode the prefix again, tracking the open elements."""
    tracker = _PathTracker()
    with contextlib.suppress(_Fail):
        _run(data[:offset], tracker, max_depth, max_text)
    return tracker.path(pending)


def decode(
    data: bytes | bytearray | memoryview,
    target: WbxmlTarget,
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_text: int = DEFAULT_MAX_TEXT,
    qualified: bool = False,
    tick: Callable[[int], object] | None = None,
) -> None:
    """Decode a WBXML SyncML (1.0/1.1/1.2) or DevInf 1.2 document into ``target`` events.

    Args:
        data: the whole document.
        target: receives ``start``/``data``/``opaque``/``end`` in document order.
        max_depth: deepest allowed element nesting (the root is depth 1).
        max_bytes: largest accepted input.
        max_text: largest single inline string, string-table string or OPAQUE payload, in bytes.
        qualified: make the calls an ``xml.etree`` ``TreeBuilder`` takes (see ``WbxmlTarget``).
        tick: called with the input position after an END, once per ``TICK`` bytes or so.

    Raises:
        MalformedXML: the bytes are not a well-formed WBXML document of a supported type.
        LimitExceeded: a limit was passed (``limit`` names it).
        Any exception raised by ``target``, unchanged.
    """
    if not isinstance(data, bytes):
        data = bytes(data)
    if len(data) > max_bytes:
        raise LimitExceeded(
            f"input of {len(data)} bytes exceeds max_bytes={max_bytes}",
            Position(0, max_bytes),
            limit="max_bytes",
            value=max_bytes,
        )
    try:
        _run(data, target, max_depth, max_text, qualified, tick)
    except _Fail as fail:
        xpath = _xpath_at(data, fail.offset, fail.pending, max_depth, max_text)
        if fail.limit:
            raise LimitExceeded(
                fail.message,
                Position(0, fail.offset),
                xpath,
                limit=fail.limit,
                value=fail.value,
            ) from None
        raise MalformedXML(fail.message, Position(0, fail.offset), xpath) from None


# --------------------------------------------------------------------------------------------
# Writer


def _encode_mb_u_int32(value: int) -> bytes:
    if not 0 <= value <= 0xFFFFFFFF:
        raise EncodeError(f"{value} does not fit a WBXML mb_u_int32")
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


class WbxmlWriter:
    """Write one WBXML document, element by element.

    ``start(name, ns)`` picks the code page from ``ns`` (``SYNCML:SYNCML1.2`` -> page 0,
    ``syncml:metinf`` -> page 1 for a SyncML 1.2 document). Strings are written inline (STR_I);
    the string table is empty. Output is deterministic.
    """

    def __init__(self, version: int = 0x02, public_id: int = PUBLIC_ID_SYNCML12) -> None:
        if version not in (0x01, 0x02, 0x03):
            raise EncodeError(f"unsupported WBXML version 0x{version:02X}")
        lang = _LANGS.get(public_id)
        if lang is None:
            raise EncodeError(f"unsupported public id 0x{public_id:04X}")
        self._lang = lang
        self._out = bytearray((version,))
        self._out += _encode_mb_u_int32(public_id)
        self._out += bytes((_CHARSET_UTF8, 0))  # charset UTF-8, empty string table
        self._page = 0
        self._open: list[tuple[int, str]] = []  # (offset of the tag byte, name)
        self._done = False

    def _content(self) -> None:
        if not self._open:
            raise EncodeError("content outside the root element")
        self._out[self._open[-1][0]] |= _CONTENT

    def start(self, name: str, ns: str) -> None:
        """Open element ``name`` in namespace ``ns``."""
        if self._done:
            raise EncodeError(f"<{name}> after the root element was closed")
        entry = self._lang.by_ns.get(ns)
        if entry is None:
            raise EncodeError(f"namespace {ns!r} has no code page in {self._lang.name}")
        page, tokens = entry
        token = tokens.get(name)
        if token is None:
            raise EncodeError(f"<{name}> has no token in the {ns} code page")
        out = self._out
        if self._open:
            out[self._open[-1][0]] |= _CONTENT
        if page != self._page:
            out += bytes((_SWITCH_PAGE, page))
            self._page = page
        self._open.append((len(out), name))
        out.append(token)

    def text(self, s: str) -> None:
        """Character data, written as one inline string (nothing for ``""``)."""
        if not s:
            return
        if "\0" in s:
            raise EncodeError("text contains NUL, which WBXML inline strings cannot carry")
        if _BAD_CHARS.search(s):
            raise EncodeError("text holds a character XML does not allow")
        self._content()
        out = self._out
        out.append(_STR_I)
        out += s.encode("utf-8")
        out.append(0)

    def opaque(self, b: bytes) -> None:
        """Raw bytes as an OPAQUE token (binary data or an embedded WBXML document)."""
        self._content()
        out = self._out
        out.append(_OPAQUE)
        out += _encode_mb_u_int32(len(b))
        out += b

    def end(self) -> None:
        """Close the innermost open element."""
        if not self._open:
            raise EncodeError("end() with no open element")
        at, _ = self._open.pop()
        if self._out[at] & _CONTENT:
            self._out.append(_END)
        if not self._open:
            self._done = True

    def getvalue(self) -> bytes:
        """The finished document."""
        if self._open:
            raise EncodeError(f"<{self._open[-1][1]}> is not closed")
        if not self._done:
            raise EncodeError("no root element was written")
        return bytes(self._out)


# --------------------------------------------------------------------------------------------
# Converters


def _refuse(what: str) -> Callable[..., NoReturn]:
    def handler(*_args: object) -> NoReturn:
        raise ForbiddenConstruct(f"{what} is not allowed")

    return handler


class _XmlToWbxml:
    """pyexpat handlers (no namespace processing) feeding a ``WbxmlWriter``.

    Namespaces are resolved by hand (default and prefixed declarations). Elements in the DevInf
    namespace inside a SyncML document are written as a nested DevInf 1.2 WBXML document in
    OPAQUE, as libwbxml does. Whitespace-only text is dropped when the element has element
    children (element-only content); text is otherwise kept as is.
    """

    def __init__(self, version: int, public_id: int | None) -> None:
        self.version = version
        self.public_id = public_id
        self.writers: list[WbxmlWriter] = []
        self.nested_depth: list[int] = []  # depth at which each nested writer's root opened
        self.scopes: list[dict[str, str]] = [{}]
        self.text: list[str] = []
        self.had_child: list[bool] = []
        self.elems: list[tuple[str, str]] = []  # (local name, namespace) of the open elements
        self.result = b""

    def _resolve(self, name: str, attrs: list[str]) -> tuple[str, str]:
        scope = dict(self.scopes[-1])
        for i in range(0, len(attrs), 2):
            key, value = attrs[i], attrs[i + 1]
            if key == "xmlns":
                scope[""] = value.strip()
            elif key.startswith("xmlns:"):
                scope[key[6:]] = value.strip()
            else:
                raise EncodeError(f"<{name}> has attribute {key!r}; SyncML WBXML has none")
        self.scopes.append(scope)
        prefix, _, local = name.rpartition(":")
        if prefix and prefix not in scope:
            raise EncodeError(f"undeclared namespace prefix {prefix!r} on <{name}>")
        return local, scope.get(prefix, "")

    def _flush(self, closing: bool) -> None:
        if not self.text:
            return
        s = "".join(self.text)
        self.text.clear()
        if not s.strip() and (not closing or (self.had_child and self.had_child[-1])):
            return
        if self.elems[-1] == _METINF_TYPE and s.strip().lower() == _DEVINF_XML_TYPE:
            s = _DEVINF_WBXML_TYPE  # the DevInf is nested as WBXML (libwbxml does the same)
        self.writers[-1].text(s)

    def start(self, name: str, attrs: list[str]) -> None:
        self._flush(False)
        local, ns = self._resolve(name, attrs)
        if self.had_child:
            self.had_child[-1] = True
        self.had_child.append(False)
        if not self.writers:
            pid = self.public_id
            if pid is None:
                pid = _NS_TO_PUBLIC_ID.get(ns)
                if pid is None:
                    raise EncodeError(
                        f"cannot pick a WBXML language for root namespace {ns!r}; pass public_id"
                    )
            self.writers.append(WbxmlWriter(self.version, pid))
        writer = self.writers[-1]
        if not ns:
            ns = writer._lang.namespaces[0]
        self.elems.append((local, ns))
        if ns not in writer._lang.by_ns and ns in _NS_TO_PUBLIC_ID:
            writer = WbxmlWriter(self.version, _NS_TO_PUBLIC_ID[ns])
            self.writers.append(writer)
            self.nested_depth.append(len(self.had_child))
        writer.start(local, ns)

    def chars(self, s: str) -> None:
        self.text.append(s)

    def end(self, name: str) -> None:
        self._flush(True)
        self.scopes.pop()
        self.elems.pop()
        self.writers[-1].end()
        if self.nested_depth and self.nested_depth[-1] == len(self.had_child):
            self.nested_depth.pop()
            inner = self.writers.pop().getvalue()
            self.writers[-1].opaque(inner)
        self.had_child.pop()
        if not self.had_child:
            self.result = self.writers[0].getvalue()


def xml_to_wbxml(xml_bytes: bytes, *, version: int = 0x02, public_id: int | None = None) -> bytes:
    """Convert a SyncML (or DevInf) XML document to WBXML.

    The language is chosen from the root namespace unless ``public_id`` is given (then elements
    without a namespace go to code page 0). DOCTYPE, entity declarations and processing
    instructions are refused (``ForbiddenConstruct``); malformed XML raises ``MalformedXML``;
    attributes other than namespace declarations and unknown elements raise ``EncodeError``.
    """
    conv = _XmlToWbxml(version, public_id)
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.buffer_text = True
    parser.StartElementHandler = conv.start
    parser.EndElementHandler = conv.end
    parser.CharacterDataHandler = conv.chars
    parser.StartDoctypeDeclHandler = _refuse("a DOCTYPE")
    parser.EntityDeclHandler = _refuse("an entity declaration")
    parser.UnparsedEntityDeclHandler = _refuse("an entity declaration")
    parser.ExternalEntityRefHandler = _refuse("an external entity reference")
    parser.ProcessingInstructionHandler = _refuse("a processing instruction")
    try:
        parser.Parse(xml_bytes, True)
    except expat.ExpatError as exc:
        raise MalformedXML(
            expat.ErrorString(exc.code), Position(exc.lineno, exc.offset + 1)
        ) from None
    return conv.result


_METINF_TYPE: Final = ("Type", NS_METINF)
_DEVINF_XML_TYPE: Final = "application/vnd.syncml-devinf+xml"
_DEVINF_WBXML_TYPE: Final = "application/vnd.syncml-devinf+wbxml"

_XML_ESCAPES: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", '"': "&quot;"}
)


class _XmlWriterTarget:
    """Decode target that renders compact XML text."""

    def __init__(self, max_depth: int, max_text: int, nested: int = 0) -> None:
        self.nested = nested  # how many OPAQUE documents deep this target renders
        self.parts: list[str] = []
        self.pending = False  # a start tag is open and not yet closed with ">" or "/>"
        self.names: list[str] = []
        self.max_depth = max_depth
        self.max_text = max_text

    def start(self, name: str, attrs: list[str]) -> None:
        parts = self.parts
        if self.pending:
            parts.append(">")
        parts.append(f"<{name}")
        for i in range(0, len(attrs), 2):
            parts.append(f' {attrs[i]}="{attrs[i + 1].translate(_XML_ESCAPES)}"')
        self.pending = True
        self.names.append(name)

    def data(self, text: str) -> None:
        if self.pending:
            self.parts.append(">")
            self.pending = False
        if self.names[-1] == "Type" and text.strip().lower() == _DEVINF_WBXML_TYPE:
            text = _DEVINF_XML_TYPE  # the nested DevInf is rendered as XML (as libwbxml does)
        self.parts.append(text.translate(_XML_ESCAPES))

    def opaque(self, payload: bytes) -> None:
        if not self.nested and payload[:1] in (b"\x01", b"\x02", b"\x03"):
            # One level only (DevInf in SyncML): no recursion on hostile nesting.
            inner = _XmlWriterTarget(self.max_depth, self.max_text, self.nested + 1)
            try:
                decode(payload, inner, max_depth=self.max_depth, max_text=self.max_text)
            except DecodeError:
                pass
            else:
                if self.pending:
                    self.parts.append(">")
                    self.pending = False
                self.parts.extend(inner.parts)
                return
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            text = base64.b64encode(payload).decode("ascii")
        if _BAD_CHARS.search(text):
            text = base64.b64encode(payload).decode("ascii")
        self.data(text)

    def end(self, name: str) -> None:
        self.names.pop()
        if self.pending:
            self.parts.append("/>")
            self.pending = False
        else:
            self.parts.append(f"</{name}>")


def wbxml_to_xml(
    wbxml_bytes: bytes,
    *,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_text: int = DEFAULT_MAX_TEXT,
) -> str:
    """Convert a WBXML SyncML/DevInf document to compact XML text (with an XML declaration).

    OPAQUE payloads become: the XML of an embedded WBXML document when they hold one (the
    DevInf in ``Put``/``Results``, as libwbxml renders it); else their UTF-8 text when it is valid
    XML text; else base64 text (``Format b64``).
    """
    out = _XmlWriterTarget(max_depth, max_text)
    decode(wbxml_bytes, out, max_depth=max_depth, max_bytes=max_bytes, max_text=max_text)
    return '<?xml version="1.0" encoding="UTF-8"?>' + "".join(out.parts)
