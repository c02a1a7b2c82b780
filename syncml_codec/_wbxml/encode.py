"""Model -> WBXML: the generated table walk (``_writegen``) with WBXML tokens for tags.

A tag is its token byte (with the content bit). The writers build a Latin-1 ``str`` (one
character per byte: every token is below 0x80, text is its UTF-8 bytes), so the XML writers'
merged f-strings serve WBXML too and there is one ``encode`` at the end. Text is an inline
string (STR_I); ``CData`` and ``XmlData`` Data, and the Data of an Item whose Meta Format is b64
or bin, go as OPAQUE (WBXML has no CDATA, so after decoding they compare equal as text but come
back as plain ``str``). SyncML 1.2 documents get public id 0x1201, 1.1 0x0FD3.

Code pages (WAP-192-WBXML §5.8.4.1: the page is global state of the token stream): MetInf
elements are on page 1, everything else on page 0, and the writer switches page only before a
tag of the other page, as libwbxml does: SWITCH_PAGE 1 before the first MetInf child of a Meta,
none between MetInf siblings or before an END (END is a global token), and SWITCH_PAGE 0 before
the next SyncML tag after the Meta. Decoders built on the SyncML Reference Toolkit read one
SWITCH_PAGE before a tag or END, not two in a row.
"""

from __future__ import annotations

from typing import Any, Final

from syncml_codec import model
from syncml_codec._table import CLASS_SPECS, CODE, DATA, TEXT
from syncml_codec._writegen import Dialect, IllegalCharacter, check_chars, compile_writers
from syncml_codec.codes import NS_METINF, NS_SYNCML11, NS_SYNCML12
from syncml_codec.errors import EncodeError

from .tokens import (
    CHARSET_UTF8,
    CONTENT,
    END,
    LANGS,
    OPAQUE,
    PUBLIC_ID_SYNCML11,
    PUBLIC_ID_SYNCML12,
    STR_I,
    SWITCH_PAGE,
    encode_mb_u_int32,
)

__all__ = ["encode"]

_PAGE0, _TOKENS0 = LANGS[PUBLIC_ID_SYNCML12].by_ns[NS_SYNCML12]
_PAGE1, _TOKENS1 = LANGS[PUBLIC_ID_SYNCML12].by_ns[NS_METINF]
# The document is built as a Latin-1 ``str``, one character per byte: tokens are single
# characters below 0x80, text is its UTF-8 bytes seen as Latin-1; one encode at the end.
_SWITCH_TO_1: Final = chr(SWITCH_PAGE) + chr(_PAGE1)
_SWITCH_TO_0: Final = chr(SWITCH_PAGE) + chr(_PAGE0)
_END: Final = chr(END)
_STR_I: Final = chr(STR_I)
_OPAQUE_CHR: Final = chr(OPAQUE)
_NUL: Final = chr(0)
_BINARY_FORMATS: Final = frozenset(("b64", "bin"))


def _token(name: str, ns: str | None, content: bool) -> str:
    """The tag's token on its page (the writers switch pages: ``Dialect.paged``)."""
    tokens = _TOKENS1 if ns == NS_METINF else _TOKENS0
    return chr(tokens[name] | (CONTENT if content else 0))


def _latin1(v: str) -> str:
    """The checked text's UTF-8 bytes as Latin-1 characters (the body of an inline string)."""
    check_chars(v)  # NUL (the STR_I terminator) and every other character XML cannot carry
    return v.encode("utf-8").decode("latin-1")


def _opaque(v: str) -> str:
    check_chars(v)
    payload = v.encode("utf-8")
    return (bytes((OPAQUE,)) + encode_mb_u_int32(len(payload)) + payload).decode("latin-1")


def _data(v: str, parent: Any) -> str:
    """Data: OPAQUE for CDATA and markup (as libwbxml writes them) and for an Item whose Meta
    Format is b64 or bin (the binary convention); an inline string otherwise."""
    if v.__class__ is str and v.isascii() and v.isprintable():  # the common case
        if parent.__class__ is model.Item:
            meta = parent.meta
            if meta is not None and meta.format in _BINARY_FORMATS:
                # OPAQUE, its length, the bytes: ASCII's UTF-8 bytes as Latin-1 are ``v`` itself
                n = len(v)
                size = chr(n) if n < 0x80 else encode_mb_u_int32(n).decode("latin-1")
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
    open=lambda name, ns, switch: _token(name, ns, True),
    close=lambda name, ns, switch: _END,
    empty=lambda name, ns, switch: _token(name, ns, False),
    conv={
        TEXT: "({v} if {first}.isascii() and {v}.isprintable() else latin1({v}))",
        DATA: "data({first}, {obj})",
        CODE: "int({first})",
    },
    helpers={"latin1": _latin1, "data": _data, "S0": _SWITCH_TO_0, "S1": _SWITCH_TO_1},
    text_open=_STR_I,
    text_close=_NUL,
    paged=True,
)
_WRITERS: Final = compile_writers(_DIALECT)


def _header(public_id: int) -> bytes:
    """WBXML 1.2, the public id, UTF-8, an empty string table."""
    return bytes((0x02,)) + encode_mb_u_int32(public_id) + bytes((CHARSET_UTF8, 0))


_HEADERS: Final = {
    NS_SYNCML12: _header(PUBLIC_ID_SYNCML12),
    NS_SYNCML11: _header(PUBLIC_ID_SYNCML11),
}


def encode(obj: Any) -> bytes:
    """Encode a message or any model object as a WBXML document.

    Raises:
        EncodeError: not a model object, or a value the writer cannot write (``serialize``
            names the field).
    """
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
        writer(obj, out, _SWITCH_TO_1 if CLASS_SPECS[type(obj)].ns == NS_METINF else "")
    except IllegalCharacter as exc:
        raise EncodeError(
            f"character {exc.char!r} (U+{ord(exc.char):04X}) cannot be written in XML 1.0"
            " or a WBXML inline string"
        ) from None
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        raise EncodeError(f"cannot serialize {CLASS_SPECS[type(obj)].name}: {exc}") from None
    return _HEADERS[ns] + "".join(out).encode("latin-1")
