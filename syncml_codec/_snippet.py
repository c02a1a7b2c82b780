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

from ._table import COMMAND_CLASSES
from .codes import NS_SYNCML12
from .diagnostics import Diagnostic
from .errors import DecodeError, Position

__all__ = ["Mapper", "bare_commands", "looks_like_commands", "wrap"]

_WRAP = f'<SyncBody xmlns="{NS_SYNCML12}">'
_UNWRAP = "</SyncBody>"
_DECL = re.compile(r"\A\ufeff?<\?xml[^>]*\?>")
_DECL_B = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>")
_COMMANDS = frozenset(cls.XML_NAME for cls in COMMAND_CLASSES)  # type: ignore[attr-defined]
#: The first start tag after the prolog (declaration, comments, whitespace): name, attributes.
_FIRST_TAG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:<\?.*?\?>|<!--.*?-->|\s)*<([A-Za-z_][\w.:-]*)([^>]*)", re.S
)


def looks_like_commands(data: bytes | str) -> bool:
    """True when the document's first element is a SyncML command (a snippet file), so that
    ``validate`` and the CLI can recognise the kind by itself."""
    head = data[:4096].encode("utf-8", "replace") if isinstance(data, str) else bytes(data[:4096])
    found = _FIRST_TAG.match(head)
    return found is not None and found.group(1).decode().rpartition(":")[2] in _COMMANDS


def bare_commands(data: bytes | str) -> bool:
    """True when the first element is a command that declares no namespace: the documented
    layout of a profile snippet file (the server's message supplies the namespace). A single
    command that declares SYNCML:SYNCML1.2 is a fragment of a message instead."""
    head = data[:4096].encode("utf-8", "replace") if isinstance(data, str) else bytes(data[:4096])
    found = _FIRST_TAG.match(head)
    return (
        found is not None
        and found.group(1).decode().rpartition(":")[2] in _COMMANDS
        and b"xmlns" not in found.group(2)
    )


class Mapper:
    """Maps positions, paths and messages in the wrapped text back to the snippet's own."""

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

    @staticmethod
    def message(text: str) -> str:
        """The message without the wrapper's end tag in it."""
        return text.replace(
            "expected </SyncBody>", "an element is still open at the end of the input"
        )

    def diagnostic(self, d: Diagnostic) -> Diagnostic:
        """``d`` with the snippet's own position, path and wording."""
        line, column = self.position(d.line, d.column) if d.line else (0, 0)
        return dataclasses.replace(
            d, line=line, column=column, xpath=self.path(d.xpath), message=self.message(d.message)
        )

    def error(self, exc: DecodeError) -> DecodeError:
        """``exc`` (raised on the wrapped text) with the snippet's own position and path."""
        if exc.position is not None:
            exc.position = Position(*self.position(exc.position.line, exc.position.column))
        exc.xpath = self.path(exc.xpath)
        exc.message = self.message(exc.message)
        exc.args = (exc._render(),)
        return exc


def wrap(text: str | bytes) -> tuple[str | bytes, Mapper]:
    """The text with the commands inside a ``<SyncBody>`` of ours, after the declaration."""
    if isinstance(text, str):
        decl = _DECL.match(text)
        at = decl.end() if decl else 0
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return text[:at] + _WRAP + text[at:] + _UNWRAP, Mapper(line, column)
    decl_b = _DECL_B.match(text)
    at = decl_b.end() if decl_b else 0
    line = text.count(b"\n", 0, at) + 1
    column = at - (text.rfind(b"\n", 0, at) + 1) + 1
    wrapped = text[:at] + _WRAP.encode() + text[at:] + _UNWRAP.encode()
    return wrapped, Mapper(line, column)
