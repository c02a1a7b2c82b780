"""One-shot parsing: ``parse`` (a whole message), ``parse_fragment`` (any element), ``parse_tree``.

All of them feed the same table-driven ``Builder``; ``parse`` and ``parse_fragment`` through the
hardened pyexpat driver, ``parse_tree`` by walking an ElementTree that someone else parsed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any, Literal, TypeAlias
from xml.etree.ElementTree import Element

from ._builder import Builder, document_spec, fragment_spec, no_cyclic_gc
from ._expat import ExpatDriver
from ._tree import PIECE, parse_fast, small
from ._wbxml import is_wbxml
from .diagnostics import Diagnostic
from .errors import DecodeError, MalformedXML
from .limits import DEFAULT_LIMITS, Limits
from .model import SyncML

__all__ = [
    "Format",
    "ParseResult",
    "Source",
    "is_wbxml",
    "parse",
    "parse_exact",
    "parse_fragment",
    "parse_tree",
    "parse_with_diagnostics",
    "read_source",
    "replayable",
]

#: What the parsers read: the XML itself as ``bytes``/``str`` (a ``str`` is never taken for a
#: path), a binary file object, an ``os.PathLike`` path, or an iterable of byte chunks.
Source: TypeAlias = (
    "bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes] | Iterable[bytes]"
)
Format = Literal["auto", "xml", "wbxml"]

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class ParseResult:
    """A parsed message and the deviations the tolerant parser accepted."""

    message: SyncML
    diagnostics: list[Diagnostic]


def read_source(source: Any, chunk_size: int = _CHUNK) -> tuple[Iterable[bytes | str], str | None]:
    """Return (chunks, name) for any accepted source; a path is opened, never a str."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return [bytes(source)], None
    if isinstance(source, str):
        return [source], None
    if isinstance(source, os.PathLike):
        path = os.fspath(source)

        def chunks() -> Iterable[bytes]:
            with open(path, "rb") as fh:
                while chunk := fh.read(chunk_size):
                    yield chunk

        return chunks(), str(path)
    if hasattr(source, "read"):

        def read_chunks() -> Iterable[bytes]:
            while chunk := source.read(chunk_size):
                if isinstance(chunk, str):
                    raise TypeError("the file object must be opened in binary mode ('rb')")
                yield chunk

        return read_chunks(), getattr(source, "name", None)
    if isinstance(source, Iterable):
        return source, None
    raise TypeError(
        f"cannot parse a {type(source).__name__}: pass bytes, str (the XML itself), a binary"
        " file object, an os.PathLike path or an iterable of byte chunks"
    )


def replayable(source: Any) -> Callable[[], Any] | None:
    """A function that gives ``source`` again from its start, when it can be read twice
    (bytes, a path, a seekable binary file); None for str, chunk iterables and pipes."""
    if isinstance(source, (bytes, bytearray, memoryview, os.PathLike)):
        return lambda: source
    seekable = getattr(source, "seekable", None)
    if callable(seekable) and hasattr(source, "read"):
        try:
            if seekable():
                start = source.tell()

                def rewind() -> Any:
                    source.seek(start)
                    return source

                return rewind
        except (OSError, ValueError):
            return None
    return None


def _run(source: Any, builder: Builder, limits: Limits, fmt: Format) -> Any:
    with no_cyclic_gc():
        return _run_gc_paused(source, builder, limits, fmt)


def _run_gc_paused(source: Any, builder: Builder, limits: Limits, fmt: Format) -> Any:
    chunks, name = read_source(source)
    try:
        iterator = iter(chunks)
        first: bytes | str = b""
        for first in iterator:
            if first:
                break
        if fmt == "wbxml" or (fmt == "auto" and is_wbxml(first)):
            from ._wbxml import decode_into

            data = bytes(first) + b"".join(iterator)  # type: ignore[arg-type]
            decode_into(data, builder, limits)
            return builder.close()
        driver = ExpatDriver(builder, limits)
        if isinstance(first, str):
            driver.feed(first, True)
            return builder.close()
        driver.feed(first)
        for chunk in iterator:
            if not isinstance(chunk, (bytes, bytearray)):
                raise TypeError(f"chunks must be bytes, got {type(chunk).__name__}")
            driver.feed(bytes(chunk))
        driver.feed(b"", True)
        return builder.close()
    except DecodeError as exc:
        if name:
            exc.with_source(name)
        raise
    except UnicodeError as exc:  # pragma: no cover - defensive: expat reports encodings itself
        raise MalformedXML(f"cannot decode the input: {exc}") from None


def parse(
    source: Any,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    diagnostics: list[Diagnostic] | None = None,
    format: Format = "auto",
) -> SyncML:
    """Parse a whole SyncML message.

    An ordinary message that can be read twice (bytes, a path, a seekable file) is read by the
    fast path (``_tree``); anything it does not handle exactly (a deviation, CDATA, an error...)
    is read again on the element-by-element path, which records or raises it with its position.
    Bytes shorter than 3 KiB go to that path at once: it is the faster one for them.

    Args:
        source: the XML (or WBXML) as bytes or str, a binary file object, an ``os.PathLike``
            path, or an iterable of byte chunks. A ``str`` is always the document, never a path.
        strict: raise ``DecodeError`` on the first deviation (namespace variants, DTD order,
            whitespace around values, unknown elements...) instead of tolerating it.
        limits: resource limits (``Limits()`` defaults when None).
        diagnostics: a list that receives every tolerated deviation.
        format: "auto" sniffs WBXML by its first byte; "xml" or "wbxml" force one.

    Raises:
        DecodeError: malformed input, forbidden constructs, limits, or (strict) deviations.
    """
    lim = limits or DEFAULT_LIMITS
    again = None if small(source) else replayable(source)
    if again is not None:  # ordinary messages take the fast path (see _tree)
        fast: SyncML | None = parse_fast(read_source(again(), PIECE)[0], lim, format)
        if fast is not None:
            return fast
        source = again()
    return parse_exact(source, strict=strict, limits=lim, diagnostics=diagnostics, format=format)


def parse_exact(
    source: Any,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    diagnostics: list[Diagnostic] | None = None,
    format: Format = "auto",
) -> SyncML:
    """``parse`` on the element-by-element path only (the reference the fast path is held to:
    it records every deviation with its position)."""
    lim = limits or DEFAULT_LIMITS
    builder = Builder(document_spec(), strict=strict, limits=lim)
    result: SyncML = _run(source, builder, lim, format)
    if diagnostics is not None:
        diagnostics.extend(builder.diagnostics)
    return result


def parse_with_diagnostics(
    source: Any, *, limits: Limits | None = None, format: Format = "auto"
) -> ParseResult:
    """Parse tolerantly and return the message with the deviations that were accepted."""
    diags: list[Diagnostic] = []
    message = parse(source, limits=limits, diagnostics=diags, format=format)
    return ParseResult(message, diags)


def parse_fragment(
    source: Any,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    diagnostics: list[Diagnostic] | None = None,
    format: Format = "auto",
) -> Any:
    """Parse any SyncML element (SyncBody, a command, Item, Meta...) into its model object.

    Most published samples are fragments such as a lone ``<Alert>``; a fragment with no
    namespace declaration is read as SyncML 1.2 with a P101 diagnostic (an error when strict).
    """
    lim = limits or DEFAULT_LIMITS
    builder = Builder(fragment_spec(), strict=strict, limits=lim)
    result = _run(source, builder, lim, format)
    if diagnostics is not None:
        diagnostics.extend(builder.diagnostics)
    return result


def parse_tree(
    element: Element,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    diagnostics: list[Diagnostic] | None = None,
) -> Any:
    """Build the model object from an already parsed ElementTree element.

    The element's tags are ``{namespace}local``; they are turned back into the raw events the
    builder reads (``xmlns`` declared where the namespace changes). Positions are unknown.
    """
    lim = limits or DEFAULT_LIMITS
    builder = Builder(
        fragment_spec() if element.tag.rpartition("}")[2] != "SyncML" else document_spec(),
        strict=strict,
        limits=lim,
    )
    _walk(element, builder, "")
    result = builder.close()
    if diagnostics is not None:
        diagnostics.extend(builder.diagnostics)
    return result


def _walk(elem: Element, builder: Builder, parent_ns: str) -> None:
    tag: object = elem.tag
    if not isinstance(tag, str):  # comments and processing instructions
        if elem.tail:
            builder.data(elem.tail)
        return
    ns, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    attrs: list[str] = []
    if ns != parent_ns:
        attrs += ["xmlns", ns]
    for key, value in elem.attrib.items():
        if key.startswith("{"):
            kns, _, klocal = key[1:].rpartition("}")
            attrs += [f"xmlns:a{len(attrs)}", kns, f"a{len(attrs)}:{klocal}", value]
        else:
            attrs += [key, value]
    builder.start(local, attrs)
    if elem.text:
        builder.data(elem.text)
    for child in elem:
        _walk(child, builder, ns)
    builder.end(local)
    if elem.tail:
        builder.data(elem.tail)
