"""One-shot parsing: ``parse`` (a whole message), ``parse_fragment`` (any element), ``parse_tree``.

All of them feed the same table-driven ``Builder``; ``parse`` and ``parse_fragment`` through the
hardened pyexpat driver, ``parse_tree`` by walking an ElementTree that someone else parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from ._builder import Builder, document_spec, fragment_spec
from ._source import Format, SourceLike, read, replayable
from ._wbxml import is_wbxml
from .diagnostics import Diagnostic
from .limits import DEFAULT_LIMITS, Limits
from .model import Command, SyncML

__all__ = [
    "CommandsResult",
    "Format",
    "ParseResult",
    "Source",
    "SourceLike",
    "is_wbxml",
    "parse",
    "parse_commands",
    "parse_commands_with_diagnostics",
    "parse_exact",
    "parse_fragment",
    "parse_tree",
    "parse_with_diagnostics",
    "replayable",
]

#: The former name of ``SourceLike`` (kept for callers of this module).
Source = SourceLike


@dataclass(frozen=True, slots=True)
class ParseResult:
    """A parsed message and the deviations the tolerant parser accepted."""

    message: SyncML
    diagnostics: list[Diagnostic]


def parse(
    source: SourceLike,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    diagnostics: list[Diagnostic] | None = None,
    format: Format = "auto",
) -> SyncML:
    """Parse a whole SyncML message.

    An ordinary message that can be read twice (bytes, a path, a seekable file) is read by the
    fast path; anything it does not handle exactly (a deviation, CDATA, an error...) is read
    again on the element-by-element path, which records or raises it with its position. A
    message of at most 64 KiB is read whole, by a reused C parser and walkers generated from
    the element table; an iterable of chunks is kept in a spill while the fast path reads it.

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
        TypeError: ``source`` is not one of the accepted types.
    """
    message, found = read(source, strict=strict, limits=limits, format=format)
    if diagnostics is not None:
        diagnostics.extend(found)
    result: SyncML = message
    return result


def parse_exact(
    source: SourceLike,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    diagnostics: list[Diagnostic] | None = None,
    format: Format = "auto",
) -> SyncML:
    """``parse`` on the element-by-element path only (the reference the fast path is held to:
    it records every deviation with its position)."""
    message, found = read(source, strict=strict, limits=limits, format=format, fast=False)
    if diagnostics is not None:
        diagnostics.extend(found)
    result: SyncML = message
    return result


def parse_with_diagnostics(
    source: SourceLike, *, limits: Limits | None = None, format: Format = "auto"
) -> ParseResult:
    """Parse tolerantly and return the message with the deviations that were accepted."""
    message, found = read(source, limits=limits, format=format)
    return ParseResult(message, found)


def parse_fragment(
    source: SourceLike,
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
    result, found = read(source, root="fragment", strict=strict, limits=limits, format=format)
    if diagnostics is not None:
        diagnostics.extend(found)
    return result


@dataclass(frozen=True, slots=True)
class CommandsResult:
    """The commands of a profile snippet file and the deviations the tolerant parser accepted."""

    commands: tuple[Command, ...]
    diagnostics: list[Diagnostic]


def parse_commands(
    source: SourceLike,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    diagnostics: list[Diagnostic] | None = None,
    format: Format = "auto",
) -> tuple[Command, ...]:
    """Parse a profile snippet file: one or more top-level commands with no ``<SyncML>`` root.

    MDM servers keep Windows configuration profiles this way
    (``<Replace><Item>...</Item></Replace><Replace>...</Replace>``). CmdID is optional (the
    server assigns it: a missing one reads as ``""`` with no diagnostic); every other rule
    applies as in ``parse``. Each command keeps its own line numbers, and element paths start
    at the snippet's top level (``/Replace[2]/Item[1]/Data``). A whole message is accepted
    too: its body's commands are returned.

    Raises:
        DecodeError: malformed input, forbidden constructs, limits, or (strict) deviations.
        TypeError: ``source`` is not one of the accepted types.
    """
    from ._source import read_commands

    commands, found = read_commands(source, strict=strict, limits=limits, format=format)
    if diagnostics is not None:
        diagnostics.extend(found)
    return commands


def parse_commands_with_diagnostics(
    source: SourceLike, *, limits: Limits | None = None, format: Format = "auto"
) -> CommandsResult:
    """``parse_commands`` tolerantly, returning the commands with the accepted deviations."""
    from ._source import read_commands

    return CommandsResult(*read_commands(source, limits=limits, format=format))


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
