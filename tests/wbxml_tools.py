"""Test-only WBXML tools: a second, element-by-element WBXML writer and XML <-> WBXML converters.

They live here, outside the wheel, because only tests use them: to write WBXML token by token
(``WbxmlWriter``), to turn corpus XML into WBXML without the model (``xml_to_wbxml``, so
elements the model does not know, DevInf and whitespace survive), and to render decoded WBXML
as XML for comparison with libwbxml (``wbxml_to_xml``). They read the package's token tables
(``syncml_codec._wbxml.tokens``) and decoder, nothing else.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Final, NoReturn
from xml.parsers import expat

from syncml_codec._wbxml import decode
from syncml_codec._wbxml.tokens import (
    CHARSET_UTF8,
    CONTENT,
    END,
    LANGS,
    NS_METINF,
    NS_TO_PUBLIC_ID,
    OPAQUE,
    PUBLIC_ID_SYNCML12,
    STR_I,
    SWITCH_PAGE,
    bad_chars,
    encode_mb_u_int32,
)
from syncml_codec.errors import DecodeError, EncodeError, ForbiddenConstruct, MalformedXML, Position
from syncml_codec.limits import Limits

__all__ = ["WbxmlWriter", "wbxml_to_xml", "xml_to_wbxml"]


class WbxmlWriter:
    """Write one WBXML document, element by element.

    ``start(name, ns)`` picks the code page from ``ns`` (``SYNCML:SYNCML1.2`` -> page 0,
    ``syncml:metinf`` -> page 1 for a SyncML 1.2 document). Strings are written inline (STR_I);
    the string table is empty. Output is deterministic.
    """

    def __init__(self, version: int = 0x02, public_id: int = PUBLIC_ID_SYNCML12) -> None:
        if version not in (0x01, 0x02, 0x03):
            raise EncodeError(f"unsupported WBXML version 0x{version:02X}")
        lang = LANGS.get(public_id)
        if lang is None:
            raise EncodeError(f"unsupported public id 0x{public_id:04X}")
        self._lang = lang
        self._out = bytearray((version,))
        self._out += encode_mb_u_int32(public_id)
        self._out += bytes((CHARSET_UTF8, 0))  # charset UTF-8, empty string table
        self._page = 0
        self._open: list[tuple[int, str]] = []  # (offset of the tag byte, name)
        self._done = False

    def _content(self) -> None:
        if not self._open:
            raise EncodeError("content outside the root element")
        self._out[self._open[-1][0]] |= CONTENT

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
            out[self._open[-1][0]] |= CONTENT
        if page != self._page:
            out += bytes((SWITCH_PAGE, page))
            self._page = page
        self._open.append((len(out), name))
        out.append(token)

    def text(self, s: str) -> None:
        """Character data, written as one inline string (nothing for ``""``)."""
        if not s:
            return
        if "\0" in s:
            raise EncodeError("text contains NUL, which WBXML inline strings cannot carry")
        if bad_chars(s):
            raise EncodeError("text holds a character XML does not allow")
        self._content()
        out = self._out
        out.append(STR_I)
        out += s.encode("utf-8")
        out.append(0)

    def opaque(self, b: bytes) -> None:
        """Raw bytes as an OPAQUE token (binary data or an embedded WBXML document)."""
        self._content()
        out = self._out
        out.append(OPAQUE)
        out += encode_mb_u_int32(len(b))
        out += b

    def end(self) -> None:
        """Close the innermost open element."""
        if not self._open:
            raise EncodeError("end() with no open element")
        at, _ = self._open.pop()
        if self._out[at] & CONTENT:
            self._out.append(END)
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
                pid = NS_TO_PUBLIC_ID.get(ns)
                if pid is None:
                    raise EncodeError(
                        f"cannot pick a WBXML language for root namespace {ns!r}; pass public_id"
                    )
            self.writers.append(WbxmlWriter(self.version, pid))
        writer = self.writers[-1]
        if not ns:
            ns = writer._lang.namespaces[0]
        self.elems.append((local, ns))
        if ns not in writer._lang.by_ns and ns in NS_TO_PUBLIC_ID:
            writer = WbxmlWriter(self.version, NS_TO_PUBLIC_ID[ns])
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

    def __init__(self, limits: Limits | None, nested: int = 0) -> None:
        self.nested = nested  # how many OPAQUE documents deep this target renders
        self.parts: list[str] = []
        self.pending = False  # a start tag is open and not yet closed with ">" or "/>"
        self.names: list[str] = []
        self.limits = limits

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
            inner = _XmlWriterTarget(self.limits, self.nested + 1)
            try:
                decode(payload, inner, self.limits)
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
        if bad_chars(text):
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
    limits: Limits | None = None,
) -> str:
    """Convert a WBXML SyncML/DevInf document to compact XML text (with an XML declaration).

    OPAQUE payloads become: the XML of an embedded WBXML document when they hold one (the
    DevInf in ``Put``/``Results``, as libwbxml renders it); else their UTF-8 text when it is valid
    XML text; else base64 text (``Format b64``).
    """
    out = _XmlWriterTarget(limits)
    decode(wbxml_bytes, out, limits)
    return '<?xml version="1.0" encoding="UTF-8"?>' + "".join(out.parts)
