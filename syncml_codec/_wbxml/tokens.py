"""WBXML token values for SyncML 1.0/1.1/1.2 (with MetInf) and DevInf 1.1/1.2.

Sources: WAP-192-WBXML (WBXML 1.2/1.3: header, global tokens, mb_u_int32), OMA-TS-SyncML_RepPro
§8 "WBXML" and the SyncML MetInf DTD 1.2 (code pages 0 and 1), as transcribed in libwbxml's
``wbxml_tables.c``. Both the decoder and the encoder read these tables and nothing else.
"""

from __future__ import annotations

import re
from typing import Final

from syncml_codec.errors import EncodeError

__all__ = [
    "ATTRS",
    "CHARSET_UTF8",
    "CONTENT",
    "END",
    "ENTITY",
    "FPIS",
    "GLOBAL_NAMES",
    "LANGS",
    "NS_DEVINF12",
    "NS_METINF",
    "NS_SYNCML10",
    "NS_SYNCML11",
    "NS_SYNCML12",
    "NS_TO_PUBLIC_ID",
    "OPAQUE",
    "PUBLIC_ID_DEVINF11",
    "PUBLIC_ID_DEVINF12",
    "PUBLIC_ID_SYNCML10",
    "PUBLIC_ID_SYNCML11",
    "PUBLIC_ID_SYNCML12",
    "STR_I",
    "STR_T",
    "SWITCH_PAGE",
    "Lang",
    "bad_chars",
    "encode_mb_u_int32",
    "is_wbxml",
]

NS_SYNCML12: Final = "SYNCML:SYNCML1.2"
NS_SYNCML11: Final = "SYNCML:SYNCML1.1"
NS_SYNCML10: Final = "SYNCML:SYNCML1.0"
NS_METINF: Final = "syncml:metinf"
NS_DEVINF12: Final = "syncml:devinf"

# Public identifiers (WBXML public-id registry; RepPro §8).
PUBLIC_ID_SYNCML12: Final = 0x1201
PUBLIC_ID_DEVINF12: Final = 0x1203
PUBLIC_ID_DEVINF11: Final = 0x0FD4
PUBLIC_ID_SYNCML11: Final = 0x0FD3
PUBLIC_ID_SYNCML10: Final = 0x0FD1

# Global tokens (WAP-192-WBXML §7.1) and the tag bits (§5.8.2).
SWITCH_PAGE: Final = 0x00
END: Final = 0x01
ENTITY: Final = 0x02
STR_I: Final = 0x03
STR_T: Final = 0x83
OPAQUE: Final = 0xC3
CONTENT: Final = 0x40
ATTRS: Final = 0x80
CHARSET_UTF8: Final = 106  # IANA MIBenum of UTF-8

GLOBAL_NAMES: Final = {
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

# RepPro §8, code page 0 (SyncML): tokens from 0x05 upwards; None = reserved (0x30).
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

# MetInf DTD 1.2, code page 1 (MetInf); FieldLevel (0x16) is 1.2 only.
_METINF_TAGS: Final[tuple[str | None, ...]] = (
    "Anchor", "EMI", "Format", "FreeID", "FreeMem", "Last", "Mark", "MaxMsgSize",  # 05-0C
    "Mem", "MetInf", "Next", "NextNonce", "SharedMem", "Size", "Type", "Version",  # 0D-14
    "MaxObjSize", "FieldLevel",  # 15-16
)  # fmt: skip
_METINF11_LAST: Final = 0x15

# DevInf 1.2 (its own document, code page 0); 0x2F is unassigned. DevInf 1.1 (public id
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


def _tag_name(page: tuple[str | None, ...], tok: int) -> str | None:
    """The decoder's table entry for token byte ``tok`` on ``page`` (see ``Lang.tags``)."""
    if tok & 0x3F < 4 and tok & 0x3F != 0x04:
        return None  # SWITCH_PAGE, END, ENTITY, STR_I and their 0x40/0x80/0xC0 kin
    if tok & ATTRS:
        return ""
    return page[tok & 0x3F] or ""


class Lang:
    """One WBXML language: per code page its namespace and both token tables.

    Attributes:
        name: for messages, e.g. "SyncML 1.2".
        version: the DTD version the public id names ("1.2"), compared with VerDTD.
        namespaces: per code page, the namespace its elements are in.
        pages: per code page, token & 0x3F -> element name (None: unassigned).
        tags: per code page, the full token byte -> the element name of a plain tag (no
            attribute bit, assigned on the page); "" for the other tags (LITERAL, attributes,
            unassigned), which the decoder resolves or refuses; None for a global token.
        qtags: ``tags`` with ``"{namespace}name"``, as ``xml.etree`` names elements.
        by_ns: namespace -> (page number, name -> token), for the encoder.
    """

    __slots__ = ("by_ns", "name", "namespaces", "pages", "qtags", "tags", "version")

    def __init__(self, name: str, pages: tuple[tuple[str, tuple[str | None, ...]], ...]) -> None:
        self.name = name
        self.version = name.rpartition(" ")[2]
        self.namespaces: tuple[str, ...] = tuple(ns for ns, _ in pages)
        self.pages: tuple[tuple[str | None, ...], ...] = tuple(t for _, t in pages)
        self.tags: tuple[tuple[str | None, ...], ...] = tuple(
            tuple(_tag_name(t, tok) for tok in range(256)) for t in self.pages
        )
        self.qtags: tuple[tuple[str | None, ...], ...] = tuple(
            tuple(f"{{{ns}}}{name}" if name else name for name in t)
            for ns, t in zip(self.namespaces, self.tags, strict=True)
        )
        self.by_ns: dict[str, tuple[int, dict[str, int]]] = {
            ns: (i, {name: tok for tok, name in enumerate(t) if name is not None})
            for i, (ns, t) in enumerate(pages)
        }


LANGS: Final[dict[int, Lang]] = {
    PUBLIC_ID_SYNCML12: Lang(
        "SyncML 1.2", ((NS_SYNCML12, _page(_SYNCML_TAGS)), (NS_METINF, _page(_METINF_TAGS)))
    ),
    PUBLIC_ID_SYNCML11: Lang(
        "SyncML 1.1",
        (
            (NS_SYNCML11, _page(_SYNCML_TAGS, _SYNCML11_LAST)),
            (NS_METINF, _page(_METINF_TAGS, _METINF11_LAST)),
        ),
    ),
    PUBLIC_ID_SYNCML10: Lang(
        "SyncML 1.0",
        (
            (NS_SYNCML10, _page(_SYNCML_TAGS, _SYNCML11_LAST)),
            (NS_METINF, _page(_METINF_TAGS, _METINF11_LAST)),
        ),
    ),
    PUBLIC_ID_DEVINF12: Lang("DevInf 1.2", ((NS_DEVINF12, _page(_DEVINF12_TAGS)),)),
    PUBLIC_ID_DEVINF11: Lang("DevInf 1.1", ((NS_DEVINF12, _page(_DEVINF12_TAGS, _DEVINF11_LAST)),)),
}

#: Formal public identifiers accepted in the string-table form (compared upper-cased): the
#: WBXML registry spelling and the DTD header spellings (RepPro §8; the 2004 draft said OMA).
FPIS: Final[dict[str, int]] = {
    "-//SYNCML//DTD SYNCML 1.2//EN": PUBLIC_ID_SYNCML12,
    "-//OMA//DTD SYNCML 1.2//EN": PUBLIC_ID_SYNCML12,
    "-//SYNCML//DTD SYNCML 1.1//EN": PUBLIC_ID_SYNCML11,
    "-//OMA//DTD SYNCML 1.1//EN": PUBLIC_ID_SYNCML11,
    "-//SYNCML//DTD SYNCML 1.0//EN": PUBLIC_ID_SYNCML10,
    "-//SYNCML//DTD DEVINF 1.2//EN": PUBLIC_ID_DEVINF12,
    "-//SYNCML//DTD DEVINF 1.1//EN": PUBLIC_ID_DEVINF11,
}

#: Root namespace -> public id (a DevInf is always written as 1.2).
NS_TO_PUBLIC_ID: Final[dict[str, int]] = {
    NS_SYNCML12: PUBLIC_ID_SYNCML12,
    NS_SYNCML11: PUBLIC_ID_SYNCML11,
    NS_SYNCML10: PUBLIC_ID_SYNCML10,
    NS_DEVINF12: PUBLIC_ID_DEVINF12,
}

#: Characters XML 1.0 does not allow (its ``Char`` production): a search over a ``str``.
bad_chars: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]").search


def is_wbxml(first: bytes | str) -> bool:
    """True when a document starts like WBXML 1.1-1.3 (XML cannot start with these bytes)."""
    return isinstance(first, (bytes, bytearray)) and len(first) > 0 and first[0] in (1, 2, 3)


def encode_mb_u_int32(value: int) -> bytes:
    """``value`` as a WBXML mb_u_int32 (7 bits per byte, most significant first)."""
    if not 0 <= value <= 0xFFFFFFFF:
        raise EncodeError(f"{value} does not fit a WBXML mb_u_int32")
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))
