"""Profile snippet files: top-level commands with no ``<SyncML>`` root (issue: real-world input).

MDM servers keep Windows configuration profiles as files of one or more top-level commands,
with no root element and no CmdIDs (the server assigns them):
``<Replace><Item>...</Item></Replace><Replace>...</Replace>``. XML allows one root element
only, so the reader puts the commands inside a ``<SyncBody>`` of its own (inserted after the
XML declaration, if any) and reads that with the one table-driven ``Builder``; positions and
element paths are then mapped back, so each command is reported with its own line and column
and the path ``/Replace[2]/Item[1]/Data`` (from the snippet's own top level).

CmdID is optional in this kind of input (a server assigns it); every other rule applies.
"""

from __future__ import annotations

import dataclasses
import re

from ._builder import Builder, body_spec
from ._source import Format, SourceLike, feed_exact, open_input, read
from ._table import COMMAND_CLASSES
from .codes import NS_SYNCML12
from .diagnostics import Diagnostic
from .errors import DecodeError, Position
from .limits import DEFAULT_LIMITS, Limits
from .model import Command, SyncBody

__all__ = ["looks_like_commands", "read_commands"]

_WRAP = f'<SyncBody xmlns="{NS_SYNCML12}">'
_UNWRAP = "</SyncBody>"
_DECL = re.compile(r"\A\ufeff?<\?xml[^>]*\?>")
_DECL_B = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>")
_COMMANDS = frozenset(cls.XML_NAME for cls in COMMAND_CLASSES)  # type: ignore[attr-defined]
#: The first start tag after the prolog (declaration, comments, whitespace).
_FIRST_TAG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:<\?.*?\?>|<!--.*?-->|\s)*<([A-Za-z_][\w.:-]*)", re.S
)


def looks_like_commands(data: bytes | str) -> bool:
    """True when the document's first element is a SyncML command (a snippet file), so that
    ``validate`` and the CLI can recognise the kind by itself."""
    head = data[:4096].encode("utf-8", "replace") if isinstance(data, str) else bytes(data[:4096])
    found = _FIRST_TAG.match(head)
    return found is not None and found.group(1).decode().rpartition(":")[2] in _COMMANDS


class _Mapper:
    """Maps positions and paths in the wrapped text back to the snippet's own."""

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column, self.width = line, column, len(_WRAP)

    def position(self, line: int, column: int) -> tuple[int, int]:
        if line == self.line and column > self.column:
            column = max(column - self.width, self.column)
        return line, column

    @staticmethod
    def path(xpath: str | None) -> str:
        if xpath and xpath.startswith("/SyncBody"):
            return xpath[len("/SyncBody") :] or "/"
        return xpath or ""

    def diagnostic(self, d: Diagnostic) -> Diagnostic:
        line, column = self.position(d.line, d.column)
        return dataclasses.replace(d, line=line, column=column, xpath=self.path(d.xpath))

    def error(self, exc: DecodeError) -> DecodeError:
        if exc.position is not None:
            exc.position = Position(*self.position(exc.position.line, exc.position.column))
        exc.xpath = self.path(exc.xpath)
        exc.message = exc.message.replace(
            "expected </SyncBody>", "an element is still open at the end of the input"
        )
        exc.args = (exc._render(),)
        return exc


def _wrap(text: str | bytes) -> tuple[str | bytes, _Mapper]:
    """The text with the commands inside a ``<SyncBody>`` of ours, after the declaration."""
    if isinstance(text, str):
        decl = _DECL.match(text)
        at = decl.end() if decl else 0
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return text[:at] + _WRAP + text[at:] + _UNWRAP, _Mapper(line, column)
    decl_b = _DECL_B.match(text)
    at = decl_b.end() if decl_b else 0
    line = text.count(b"\n", 0, at) + 1
    column = at - (text.rfind(b"\n", 0, at) + 1) + 1
    wrapped = text[:at] + _WRAP.encode() + text[at:] + _UNWRAP.encode()
    return wrapped, _Mapper(line, column)


def read_commands(
    source: SourceLike,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    format: Format = "auto",
) -> tuple[tuple[Command, ...], list[Diagnostic]]:
    """The commands of a snippet file and the parser's diagnostics (see the module docstring).

    A whole ``<SyncML>`` message (or WBXML) is read as one too: its body's commands are
    returned, read as ``parse`` reads them.
    """
    lim = limits or DEFAULT_LIMITS
    inp = open_input(source, format)
    raw: str | bytes = (
        inp.first + "".join(map(str, inp.rest)) if isinstance(inp.first, str) else inp.whole()
    )
    if inp.wbxml or not looks_like_commands(raw):
        message, found = read(
            raw, strict=strict, limits=lim, format="wbxml" if inp.wbxml else "xml"
        )
        commands: tuple[Command, ...] = message.sync_body.commands
        return commands, found
    wrapped, mapper = _wrap(raw)
    builder = Builder(body_spec(), strict=strict, limits=lim, optional=frozenset(("CmdID",)))
    try:
        feed_exact(open_input(wrapped, "xml"), builder, lim)
        body: SyncBody = builder.close()
    except DecodeError as exc:
        if inp.name:
            exc.with_source(inp.name)
        raise mapper.error(exc) from None
    return body.commands, [mapper.diagnostic(d) for d in builder.diagnostics]
