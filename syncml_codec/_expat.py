"""The hardened pyexpat driver: the one place an XML parser is created.

Strategy: one ``pyexpat`` parser per message, *without* namespace processing (the builder
resolves ``xmlns`` itself, which is cheaper and keeps prefixes for markup inside Data), with
``buffer_text`` so adjacent text arrives in one call, and ``ordered_attributes`` so attributes
are a flat list. The builder's bound methods are installed directly as handlers, so expat
calls into the table-driven builder with no wrapper frame in between.

Defusing (defusedxml's policy, applied on the hot path): DTDs with an internal subset, entity
declarations, unparsed entities, external entity references and skipped (undeclared external)
entities raise ``ForbiddenConstruct`` before any expansion or fetch; parameter-entity parsing is
off, so an external DTD is never even requested. A bare ``<!DOCTYPE SyncML PUBLIC ... '...dtd'>``
with no internal subset (real captures carry one) is skipped with a diagnostic in tolerant mode
and rejected in strict mode; "anything more" (an internal subset, any entity reference other
than the five predefined ones and character references) is rejected in both modes.

Processing instructions (``<?xml-stylesheet ...?>``, ``<?foo?>``; the XML declaration is not
one) are never acted on: tolerant mode drops them with a P112 diagnostic, strict mode raises
``ForbiddenConstruct``. XInclude is never processed: ``xi:include`` is an unknown element like
any other (skipped with P104 in tolerant mode, ``UnknownElement`` in strict mode; inside Data it
is kept as inert markup text). ``xsi:schemaLocation`` is an ignored attribute; nothing is fetched.

Encodings: expat reads UTF-8 (a UTF-8 BOM is fine), UTF-16 with a BOM, and the declared
ISO-8859-1 / US-ASCII; a declaration that contradicts the bytes is ``MalformedXML``. A ``str``
source is already decoded, so its encoding declaration is ignored.

Memory (chunked input, ``max_bytes`` lifted): the open element's text is checked against
``max_text`` at least every ``max(64 KiB, max_text / 4)`` bytes fed (never per element), and an
unfinished token that expat buffers (a start tag, comment, PI) is capped at about
``max_text + max_attributes * max_attribute_length``; both raise ``LimitExceeded("max_text")``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from ._builder import Builder
from .errors import DecodeError, ForbiddenConstruct, LimitExceeded, MalformedXML, Position
from .limits import Limits

__all__ = ["ExpatDriver", "StopScan", "scan_elements"]

_UNKNOWN_ENCODING = expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING]
_SLICE = 1 << 20  # the most expat is given in one call (see ExpatDriver.feed)


class ExpatDriver:
    """Feeds bytes (or str) to pyexpat, which calls the builder's handlers."""

    def __init__(self, builder: Builder, limits: Limits) -> None:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.ordered_attributes = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = builder.start
        parser.EndElementHandler = builder.end
        parser.CharacterDataHandler = builder.data
        parser.StartCdataSectionHandler = builder.cdata_start
        parser.EndCdataSectionHandler = builder.cdata_end
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity_decl
        parser.UnparsedEntityDeclHandler = self._unparsed_entity
        parser.ExternalEntityRefHandler = self._external_ref
        parser.SkippedEntityHandler = self._skipped_entity
        parser.NotationDeclHandler = self._notation
        parser.ProcessingInstructionHandler = self._pi
        self.parser = parser
        self.builder = builder
        self.limits = limits
        self.nbytes = 0  # bytes received
        self._parsed = 0  # bytes given to expat (the rest is held back: see ``feed``)
        self._declared: str | None = None  # the encoding the XML declaration names
        self._held: list[Any] = []
        self._held_bytes = 0
        self._release_at = 0
        self._text_check_at = 0
        self._text_step = max(1 << 16, limits.max_text // 4)
        self._token_cap = (
            limits.max_text + limits.max_attributes * (limits.max_attribute_length + 64) + (1 << 16)
        )
        builder.locate = self._locate

    def _locate(self) -> tuple[int, int]:
        p = self.parser
        return p.CurrentLineNumber, p.CurrentColumnNumber + 1

    def _forbid(self, what: str) -> ForbiddenConstruct:
        return self.builder.error(
            f"{what} is forbidden: SyncML messages have no DTD, entities"
            " or external references (defusedxml policy)",
            cls=ForbiddenConstruct,
        )  # type: ignore[return-value]

    def _doctype(self, name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
        if internal:
            raise self._forbid(f"a DOCTYPE with an internal subset (<!DOCTYPE {name} [...]>)")
        if self.builder.strict:
            raise self._forbid(f"a DOCTYPE declaration (<!DOCTYPE {name} ...>) (strict mode)")
        self.builder.deviate(
            "P109",
            f"DOCTYPE {name} {pubid or ''} {sysid or ''} was skipped;"
            " the external DTD is never fetched",
        )

    def _entity_decl(self, name: str, *_: Any) -> None:
        raise self._forbid(f"an entity declaration (<!ENTITY {name} ...>)")

    def _unparsed_entity(self, name: str, *_: Any) -> None:
        raise self._forbid(f"an unparsed entity declaration ({name})")

    def _notation(self, name: str, *_: Any) -> None:
        raise self._forbid(f"a notation declaration ({name})")

    def _pi(self, target: str, data: str) -> None:
        if self.builder.strict:
            raise self._forbid(f"a processing instruction (<?{target} ...?>)")
        self.builder.deviate(
            "P112", f"processing instruction <?{target} {data[:40]}?> was ignored; SyncML has none"
        )

    def _external_ref(
        self, context: str | None, base: str | None, sysid: str | None, pubid: str | None
    ) -> int:
        raise self._forbid(f"an external entity reference ({sysid or pubid})")

    def _skipped_entity(self, name: str, is_param: int) -> None:
        raise self._forbid(f"a reference to the undeclared entity &{name};")

    def feed(self, data: bytes | str, final: bool = False) -> None:
        """Parse one chunk (``final`` for the last); errors become ``DecodeError``s.

        A large chunk is given to expat in ``_SLICE`` pieces, so the memory bounds below are
        checked whatever the chunk size (``parse(bytes)`` and ``iter_items`` reach the same
        verdict). While one token stays unfinished (a huge start tag), input is held back
        until it has doubled: expat 2.5 re-scans an unfinished token from its start on every
        call, which made a 20 MB element name quadratic (expat 2.6 defers the same way).
        """
        self.nbytes += len(data)
        limits = self.limits
        if limits.max_bytes is not None and self.nbytes > limits.max_bytes:
            raise LimitExceeded(
                f"limit max_bytes={limits.max_bytes} exceeded: the message is larger",
                self.builder.position(),
                self.builder.xpath(),
                limit="max_bytes",
                value=limits.max_bytes,
            )
        if self._held:
            self._held.append(data)
            self._held_bytes += len(data)
            if self._held_bytes < self._release_at and not final:
                return
            data = data[:0].join(self._held)
            self._held, self._held_bytes = [], 0
        if len(data) <= _SLICE:
            self._parse(data, final)
            return
        for start in range(0, len(data), _SLICE):
            self._parse(data[start : start + _SLICE], final and start + _SLICE >= len(data))

    def _parse(self, data: bytes | str, final: bool) -> None:
        if not self._parsed and isinstance(data, bytes):
            found = _DECLARED.search(data[:512])
            self._declared = found.group(1).decode("latin-1") if found else None
        self._parsed += len(data)
        limits = self.limits
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            raise self._malformed(exc, data) from None
        except DecodeError:
            raise
        except (LookupError, ValueError, Warning) as exc:
            # pyexpat hands an encoding it does not know to a Python codec, whose errors
            # ("unknown encoding: VTF-8", "multi-byte encodings are not supported") escape
            # Parse unwrapped; expat has then stopped with XML_ERROR_UNKNOWN_ENCODING.
            if self.parser.ErrorCode != _UNKNOWN_ENCODING:
                raise
            raise MalformedXML(
                f"not well-formed XML: {exc}{_encoding_hint(self._declared)}",
                self.builder.position(),
                self.builder.xpath(),
            ) from None
        except RecursionError:  # pragma: no cover - depth limits stop this first
            raise self.builder.error("nesting too deep") from None
        # Memory bounds for chunked input, checked per chunk (never per element). Text of the
        # open element is summed only every ``_text_step`` bytes: summing on every chunk made
        # many small chunks quadratic (100 kB of Data in 7-byte chunks took 10 s).
        if final or self._parsed >= self._text_check_at:
            self._text_check_at = self._parsed + self._text_step
            if self.builder.pending_text() > limits.max_text:
                self.builder.limit_exceeded(
                    "max_text", limits.max_text, f"text longer than {limits.max_text} characters"
                )
        # expat keeps an unfinished token (a start tag, comment, PI) in its own buffer until it
        # ends; CurrentByteIndex stays at the token's start, so this is that buffer's size.
        unfinished = self._parsed - self.parser.CurrentByteIndex
        if unfinished > self._token_cap:
            self.builder.limit_exceeded(
                "max_text",
                limits.max_text,
                f"one unfinished tag, comment or processing instruction is longer than"
                f" {self._token_cap} bytes",
            )
        if unfinished > _SLICE and not final:
            self._held, self._release_at = [data[:0]], unfinished

    def _bad_byte(self, data: bytes | str) -> str:
        """Say what the byte at expat's error position is, when it explains an invalid token."""
        if isinstance(data, str):
            if self._parsed != len(data):  # a str fed in slices: byte offsets unknown
                return ""
            data = data.encode("utf-8")
            i = self.parser.ErrorByteIndex
        else:
            i = self.parser.ErrorByteIndex - (self._parsed - len(data))
        if not 0 <= i < len(data):
            return ""
        c = data[i]
        amp = data.rfind(b"&", max(0, i - 64), i + 1)
        in_tag = amp >= 0 and data.rfind(b"<", 0, amp) > data.rfind(b">", 0, amp)
        if amp >= 0 and not in_tag and _NAME.fullmatch(data[amp + 1 : i]):
            return _AMPERSAND  # "&" that starts no reference: MAXDT=15&DR=1 in an alert option
        if self.parser.ErrorByteIndex == 0 and c in (1, 2, 3):
            return (
                f"; this looks like WBXML (it starts with the version byte 0x{c:02X}), not XML:"
                " read it with parse(), iter_items() or StreamParser.decode_wbxml()"
            )
        if c < 0x20 and c not in (9, 10, 13):
            return (
                f"; expected an XML character, got the control character U+{c:04X}"
                " (below U+0020 XML allows only tab, LF and CR)"
            )
        if c >= 0x80:
            for n in (2, 3, 4):
                try:
                    ch = data[i : i + n].decode("utf-8")
                except UnicodeDecodeError:
                    continue
                if ch in "\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e":
                    return f"; expected a straight ' or \" quote, got the typographic quote {ch}"
                return ""  # a valid character in a place where markup was expected
            return (
                f"; expected UTF-8 (or the declared encoding), got the byte 0x{c:02X} that does"
                " not start a valid character there"
            )
        return ""

    def _malformed(self, exc: expat.ExpatError, data: bytes | str = b"") -> MalformedXML:
        b = self.builder
        reason = expat.ErrorString(exc.code) if exc.code else str(exc)
        hint = ""
        open_name = b.open_element()
        bad_byte = (
            self._bad_byte(data)
            if exc.code == expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]
            else ""
        )
        foreign = self._declared is not None and self._declared.lower() not in _NATIVE
        if exc.code == _UNDEFINED_ENTITY:
            hint = _AMPERSAND + " (only &amp; &lt; &gt; &quot; &apos; and &#...; are defined)"
        elif exc.code in _ENCODING_ERRORS or (foreign and exc.code == _INVALID_TOKEN):
            # a declared encoding expat does not read itself goes to a Python codec, which
            # pyexpat supports for single-byte encodings only: "UTF8" fails at the first é
            hint = _encoding_hint(self._declared)
        elif bad_byte:
            hint = bad_byte
        elif exc.code == expat.errors.codes[expat.errors.XML_ERROR_TAG_MISMATCH] and open_name:
            hint = f"; expected </{open_name}>"
        elif exc.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]:
            hint = "; expected a root element (the input is empty or has only a prolog)"
        elif exc.code == expat.errors.codes[expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]:
            hint = "; expected nothing after the root element's end tag"
        elif (
            exc.code == expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN]
            or exc.code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]
        ):
            hint = "; the message is truncated"
        elif open_name and exc.code == expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]:
            hint = (
                "; expected well-formed markup (attribute values in straight ' or \" quotes,"
                " not typographic quotes or &#39;; no '--' inside comments)"
            )
        elif exc.code == expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]:
            hint = (
                "; expected well-formed markup (attribute values in straight ' or \" quotes,"
                " not typographic quotes or &#39;)"
            )
        if open_name and exc.code in (
            expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
            expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
        ):
            hint = f"; the message ends inside <{open_name}> (truncated?)"
        if not hint and not data:  # raised by the final, empty chunk: the input just ended
            hint = "; the input ends before the document is complete (truncated?)"
        column = (exc.offset or 0) + 1
        return MalformedXML(
            f"not well-formed XML: {reason}{hint}", Position(exc.lineno or 0, column), b.xpath()
        )


_ENCODING_ERRORS = frozenset(
    expat.errors.codes[e]
    for e in (expat.errors.XML_ERROR_UNKNOWN_ENCODING, expat.errors.XML_ERROR_INCORRECT_ENCODING)
)
_INVALID_TOKEN = expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]
_UNDEFINED_ENTITY = expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]
_AMPERSAND = "; a literal '&' must be written &amp;"
_NAME = re.compile(rb"[#\w.:-]*")  # what may follow "&" before expat finds it is no reference
_NATIVE = frozenset(("utf-8", "utf-16", "iso-8859-1", "us-ascii"))  # expat reads these itself
_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']{0,40})["']""")


def _encoding_hint(declared: str | None) -> str:
    """The hint for an encoding error: what the declaration says, and what expat reads."""
    said = repr(declared) if declared is not None else "an encoding"
    return (
        f"; unsupported or mismatched encoding: the XML declaration names {said}, which this"
        " parser does not support or the bytes are not in; expected UTF-8, UTF-16, ISO-8859-1"
        ' or US-ASCII, spelled as the XML specification does ("UTF-8", not "UTF8")'
    )


class StopScan(Exception):
    """Raised by a ``scan_elements`` callback to end the scan early (not an error)."""


def scan_elements(
    data: bytes | str,
    start: Callable[[str, dict[str, str], int, int], None],
    end: Callable[[str], None] | None = None,
    *,
    namespaces: bool = False,
    refuse_dtd: bool = False,
) -> None:
    """A read-only second pass for element positions: the one place such a pass is set up
    (the validator's prolog and path locator, the XSD error mapper's start positions).

    ``start(name, attributes, line, column)`` is called per start tag with a 1-based position,
    ``end(name)`` per end tag; names are as written, or ``uri}local`` with ``namespaces``
    (which also makes an unbound prefix an error). Nothing is ever fetched: parameter entities
    are off and external entities have no handler. A DOCTYPE is passed over, or with
    ``refuse_dtd`` a DOCTYPE, entity declaration or external reference raises
    ``ForbiddenConstruct`` at its position. Input that is not well-formed raises
    ``expat.ExpatError``; a callback's ``StopScan`` ends the scan quietly.
    """
    parser = expat.ParserCreate(namespace_separator="}" if namespaces else None)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_start(name: str, attrs: dict[str, str]) -> None:
        start(name, attrs, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)

    def refuse(what: str) -> ForbiddenConstruct:
        where = Position(parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        return ForbiddenConstruct(what, where, "")

    def doctype(name: str, *_: object) -> None:
        if refuse_dtd:
            raise refuse(f"DOCTYPE {name!r} is forbidden: SyncML messages carry no DTD")

    def entity(name: str, *_: object) -> None:
        raise refuse(f"entity declaration {name!r} is forbidden")

    def external(*_: object) -> int:
        raise refuse("external entity references are forbidden")

    parser.StartElementHandler = on_start
    if end is not None:
        parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = doctype
    if refuse_dtd:
        parser.EntityDeclHandler = entity
        parser.UnparsedEntityDeclHandler = entity
        parser.ExternalEntityRefHandler = external
    try:
        parser.Parse(data, True)
    except StopScan:
        pass
    except (LookupError, ValueError) as exc:  # a codec pyexpat handed the declared encoding to
        if isinstance(exc, (DecodeError, expat.ExpatError)):
            raise
        error = expat.ExpatError(f"unsupported encoding: {exc}")
        error.code = parser.ErrorCode or _UNKNOWN_ENCODING
        error.lineno, error.offset = parser.ErrorLineNumber, parser.ErrorColumnNumber
        raise error from None
