"""WBXML <-> model: the token codec (``_wbxml``) joined to the element table.

Decoding: ``_wbxml.decode`` emits the same raw events as pyexpat without namespace processing,
so the one table-driven ``Builder`` builds the model, diagnostics and streaming included. (That
is the exact path; ordinary documents take ``_tree``'s fast path, where the same decoder builds
a C element tree for the generated walkers.)
OPAQUE payloads become Data text (UTF-8; other bytes are kept as Latin-1 characters with a
P111 diagnostic). Positions in WBXML errors are byte offsets (``Position(0, offset)``).

Encoding: the serializer's table walk (``serialize.compile_writers``) with WBXML constants in
place of XML tags: a tag is its token byte (with the content bit), an element whose namespace
differs from its parent's switches code page before it and back after it, exactly where XML
would declare ``xmlns``. The writers build a Latin-1 ``str`` (one character per byte: every
token is below 0x80, text is its UTF-8 bytes), so the XML writers' merged f-strings serve
WBXML too and there is one ``encode`` at the end. Text is an inline string (STR_I); ``CData``
and ``XmlData`` Data, and the Data of an Item whose Meta Format is b64 or bin, go as OPAQUE
(WBXML has no CDATA, so after decoding they compare equal as text but come back as plain
``str``). SyncML 1.2 documents get public id 0x1201, 1.1 0x0FD3.
"""

from __future__ import annotations

from typing import Any, Final

from . import _wbxml, model
from ._builder import Builder
from ._table import CLASS_SPECS, CODE, DATA, TEXT
from .codes import NS_METINF, NS_SYNCML11, NS_SYNCML12
from .errors import EncodeError
from .limits import Limits
from .serialize import Dialect, IllegalCharacter, check_chars, compile_writers, find_bad

__all__ = ["decode_into", "encode"]

_PAGE0, _TOKENS0 = _wbxml._LANGS[_wbxml.PUBLIC_ID_SYNCML12].by_ns[NS_SYNCML12]
_PAGE1, _TOKENS1 = _wbxml._LANGS[_wbxml.PUBLIC_ID_SYNCML12].by_ns[NS_METINF]
# The document is built as a Latin-1 ``str``, one character per byte: tokens are single
# characters below 0x80, text is its UTF-8 bytes seen as Latin-1; one encode at the end.
_SWITCH_TO_1: Final = chr(_wbxml._SWITCH_PAGE) + chr(_PAGE1)
_SWITCH_BACK: Final = chr(_wbxml._SWITCH_PAGE) + chr(_PAGE0)
_END: Final = chr(_wbxml._END)
_STR_I: Final = chr(0x03)
_OPAQUE_CHR: Final = chr(_wbxml._OPAQUE)
_NUL: Final = chr(0)
_BINARY_FORMATS: Final = frozenset(("b64", "bin"))


def decode_into(data: bytes, builder: Builder, limits: Limits) -> None:
    """Decode a WBXML document into ``builder`` (which raises its own DecodeErrors)."""
    _wbxml.decode(
        data,
        builder,
        max_depth=limits.max_depth + 1,
        max_bytes=limits.max_bytes if limits.max_bytes is not None else 1 << 62,
        max_text=limits.max_text,
    )


def _token(name: str, ns: str | None, switch: bool, content: bool) -> str:
    tokens = _TOKENS1 if ns == NS_METINF else _TOKENS0
    token = chr(tokens[name] | (_wbxml._CONTENT if content else 0))
    return _SWITCH_TO_1 + token if switch else token


def _latin1(v: str) -> str:
    """The checked text's UTF-8 bytes as Latin-1 characters (the body of an inline string)."""
    check_chars(v)  # NUL (the STR_I terminator) and every other character XML cannot carry
    return v.encode("utf-8").decode("latin-1")


def _opaque(v: str) -> str:
    check_chars(v)
    payload = v.encode("utf-8")
    head = bytes((_wbxml._OPAQUE,)) + _wbxml._encode_mb_u_int32(len(payload))
    return (head + payload).decode("latin-1")


def _data(v: str, parent: Any) -> str:
    """Data: OPAQUE for CDATA and markup (as libwbxml writes them) and for an Item whose Meta
    Format is b64 or bin (the binary convention); an inline string otherwise."""
    if v.__class__ is str and v.isascii() and v.isprintable():  # the common case
        if parent.__class__ is model.Item:
            meta = parent.meta
            if meta is not None and meta.format in _BINARY_FORMATS:
                # OPAQUE, its length, the bytes: ASCII's UTF-8 bytes as Latin-1 are ``v`` itself
                n = len(v)
                size = chr(n) if n < 0x80 else _wbxml._encode_mb_u_int32(n).decode("latin-1")
                return _OPAQUE_CHR + size + v
        return f"\x03{v}\x00"  # STR_I, the text, NUL: one copy of a long Data
    meta = getattr(parent, "meta", None)
    if not isinstance(v, str):
        raise TypeError(f"Data must be str, CData or XmlData, not {type(v).__name__}")
    if v.__class__ is not str or (
        meta is not None and meta.format in _BINARY_FORMATS and parent.__class__ is model.Item
    ):
        return _opaque(v)
    return _STR_I + _latin1(v) + _NUL


_DIALECT: Final = Dialect(
    open=lambda name, ns, switch: _token(name, ns, switch, True),
    close=lambda name, ns, switch: _END + (_SWITCH_BACK if switch else ""),
    empty=lambda name, ns, switch: (
        _token(name, ns, switch, False) + (_SWITCH_BACK if switch else "")
    ),
    conv={
        TEXT: "({v} if {first}.isascii() and {v}.isprintable() else latin1({v}))",
        DATA: "data({first}, {obj})",
        CODE: "int({first})",
    },
    helpers={"latin1": _latin1, "data": _data},
    text_open=_STR_I,
    text_close=_NUL,
)
_WRITERS: Final = compile_writers(_DIALECT)
_HEADERS: Final = {
    NS_SYNCML12: bytes((0x02,))
    + _wbxml._encode_mb_u_int32(_wbxml.PUBLIC_ID_SYNCML12)
    + b"\x6a\x00",
    NS_SYNCML11: bytes((0x02,))
    + _wbxml._encode_mb_u_int32(_wbxml.PUBLIC_ID_SYNCML11)
    + b"\x6a\x00",
}


def encode(obj: Any) -> bytes:
    """Encode a message or any model object as a WBXML document."""
    writer = _WRITERS.get(type(obj))
    if writer is None:
        raise EncodeError(
            f"cannot serialize a {type(obj).__name__}: expected a syncml_codec model object"
        )
    ns = NS_SYNCML12
    if isinstance(obj, model.SyncML) and "1.1" in (
        obj.sync_hdr.ver_dtd,
        obj.sync_hdr.ver_proto[-3:],
    ):
        ns = NS_SYNCML11
    out: list[str] = []
    try:
        writer(obj, out)
    except IllegalCharacter as exc:
        raise EncodeError(
            f"character {exc.char!r} (U+{ord(exc.char):04X}) cannot be written in XML 1.0"
            " or a WBXML inline string"
        ) from None
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        path = find_bad(obj, "/" + CLASS_SPECS[type(obj)].name)
        raise EncodeError(
            f"cannot serialize {path}" if path else f"cannot serialize: {exc}"
        ) from None
    return _HEADERS[ns] + "".join(out).encode("latin-1")
