"""The WBXML document header (WAP-192-WBXML §5.4-§5.7) and its string table.

``header`` reads the version, public identifier, charset and string table; ``Strings`` hands out
string-table entries, each decoded once and every reference counted against
``Limits.max_referenced_text``. Failures raise ``Fail`` with the byte offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, NoReturn

from .tokens import CHARSET_UTF8, FPIS, LANGS, Lang

__all__ = ["UNBOUNDED", "Deviate", "Fail", "Strings", "header", "mb_u_int32", "refuse"]

#: ``deviate(code, message, offset, path)``: a tolerated deviation from WBXML at a byte offset;
#: ``path`` is the element path below the root it concerns ("" for the document).
Deviate = Callable[[str, str, int, str], None]

UNBOUNDED: Final = 1 << 62

# UTF-8 of characters XML 1.0 does not allow (a NUL ends a string before it could be seen).
_BAD_UTF8: Final = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]").search


class Fail(Exception):
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


def mb_u_int32(data: bytes, pos: int, n: int, what: str) -> tuple[int, int]:
    """Read a WBXML mb_u_int32 at ``pos``; return (value, next position)."""
    start = pos
    value = 0
    for _ in range(5):
        if pos >= n:
            raise Fail(f"truncated multi-byte integer ({what})", start)
        b = data[pos]
        pos += 1
        value = (value << 7) | (b & 0x7F)
        if not b & 0x80:
            if value > 0xFFFFFFFF:
                raise Fail(f"multi-byte integer overflows 32 bits ({what})", start)
            return value, pos
    raise Fail(f"multi-byte integer longer than 5 bytes ({what})", start)


def _cstring(table: bytes, index: int, offset: int) -> str:
    """The NUL-terminated UTF-8 string at ``index`` of the string table."""
    if index >= len(table):
        raise Fail(
            f"string table index {index} out of range (table has {len(table)} bytes)", offset
        )
    end = table.find(b"\0", index)
    if end < 0:
        raise Fail(f"string table entry at index {index} is not NUL-terminated", offset)
    if _BAD_UTF8(table, index, end):
        raise Fail("string table entry holds a character XML does not allow", offset)
    try:
        return table[index:end].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Fail(f"string table entry is not UTF-8: {exc.reason}", offset) from None


class Strings:
    """The string table: each entry decoded once, every reference counted against the budget
    (``Limits.max_referenced_text``, characters in all the references of one document)."""

    __slots__ = ("cache", "left", "limit", "table")

    def __init__(self, table: bytes, limit: int | None) -> None:
        self.table = table
        self.cache: dict[int, str] = {}
        self.limit = UNBOUNDED if limit is None else limit
        self.left = self.limit

    def ref(self, index: int, offset: int) -> str:
        """The entry at ``index``, referenced by the token at ``offset``."""
        text = self.cache.get(index)
        if text is None:
            text = self.cache[index] = _cstring(self.table, index, offset)
        self.left -= len(text)
        if self.left < 0:
            raise Fail(
                f"string-table references decode to more than {self.limit} characters",
                offset,
                limit="max_referenced_text",
                value=self.limit,
            )
        return text


def refuse(code: str, message: str, offset: int, path: str) -> NoReturn:
    """The ``deviate`` of callers that cannot report: the deviation is an error."""
    raise Fail(message, offset)


def header(data: bytes, n: int, deviate: Deviate) -> tuple[Lang, bytes, int]:
    """Parse the document header; return (language, string table, body offset)."""
    if n == 0:
        raise Fail("empty input: no WBXML header", 0)
    version = data[0]
    if version not in (0x01, 0x02, 0x03):
        raise Fail(
            f"unsupported WBXML version byte 0x{version:02X} (expected 0x01, 0x02 or 0x03)", 0
        )
    public_id, pos = mb_u_int32(data, 1, n, "public id")
    fpi_index = -1
    if public_id == 0:
        fpi_index, pos = mb_u_int32(data, pos, n, "public id string index")
    charset_at = pos
    charset, pos = mb_u_int32(data, pos, n, "charset")
    if charset != CHARSET_UTF8:
        raise Fail(f"unsupported charset MIBenum {charset} (only 106, UTF-8)", charset_at)
    length_at = pos
    length, pos = mb_u_int32(data, pos, n, "string table length")
    if length > n - pos:
        raise Fail(
            f"string table length {length} runs past the end ({n - pos} bytes left)", length_at
        )
    table = data[pos : pos + length]
    if public_id == 0:
        public_id = _fpi(table, fpi_index, deviate)
    lang = LANGS.get(public_id)
    if lang is None:
        raise Fail(
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
        raise Fail(f"unsupported document type {fpi!r}", 1)
    return found
