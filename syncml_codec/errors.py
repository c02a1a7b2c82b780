"""One error tree for everything the codec raises.

``SyncMLError`` is the root and is also a ``ValueError``. ``DecodeError`` means the peer sent
bytes we cannot accept (h11's "remote" side); ``EncodeError`` means the caller built something we
cannot write (the "local" side). Every ``DecodeError`` carries a 1-based position and the element
path, and its ``str()`` reads::

    line 12, column 7: CmdID must not be empty - at /SyncML/SyncBody/Replace[2]/CmdID
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DecodeError",
    "EncodeError",
    "ForbiddenConstruct",
    "LimitExceeded",
    "MalformedXML",
    "Position",
    "SchemaInvalid",
    "SyncMLError",
    "UnknownElement",
]


@dataclass(frozen=True, slots=True)
class Position:
    """A place in the input: 1-based line and column (byte offset for WBXML: line 0)."""

    line: int
    column: int

    def __str__(self) -> str:
        if self.line == 0:
            return f"byte {self.column}"
        return f"line {self.line}, column {self.column}"


class SyncMLError(ValueError):
    """Root of every error this package raises on purpose."""


class DecodeError(SyncMLError):
    """The input is not a SyncML message we can read.

    Attributes:
        message: what is wrong and what was expected, without the position.
        position: where (1-based line and column), or None when unknown.
        xpath: the element path, like ``/SyncML/SyncBody/Status[1]/Data``.
        source: a file name or "<bytes>", when known.
    """

    def __init__(
        self,
        message: str,
        position: Position | None = None,
        xpath: str = "",
        source: str | None = None,
    ) -> None:
        self.message = message
        self.position = position
        self.xpath = xpath
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        head = f"{self.source}: " if self.source else ""
        where = f"{self.position}: " if self.position else ""
        tail = f" - at {self.xpath}" if self.xpath else ""
        return f"{head}{where}{self.message}{tail}"

    @property
    def line(self) -> int | None:
        """1-based line of the problem (0 for a WBXML byte offset), or None."""
        return self.position.line if self.position else None

    @property
    def column(self) -> int | None:
        """1-based column of the problem (the byte offset for WBXML), or None."""
        return self.position.column if self.position else None

    def with_source(self, source: str) -> DecodeError:
        """Return self, naming the input file; used by the file-reading entry points."""
        self.source = source
        super().__init__(self._render())  # BaseException.__init__ sets args (what str() shows)
        return self


class MalformedXML(DecodeError):
    """Not well-formed XML (or not well-formed WBXML): what expat or the WBXML reader rejected."""


class ForbiddenConstruct(DecodeError):
    """A DTD, an entity declaration, an external reference or a processing instruction we refuse.

    Mirrors defusedxml's DTDForbidden, EntitiesForbidden and ExternalReferenceForbidden.
    """


class LimitExceeded(DecodeError):
    """The input went past one of the configured ``Limits``.

    Attributes:
        limit: the name of the ``Limits`` field, e.g. ``"max_depth"``.
        value: the configured limit that was exceeded.
    """

    def __init__(
        self,
        message: str,
        position: Position | None = None,
        xpath: str = "",
        source: str | None = None,
        *,
        limit: str = "",
        value: int = 0,
    ) -> None:
        self.limit = limit
        self.value = value
        super().__init__(message, position, xpath, source)


class UnknownElement(DecodeError):
    """An element the SyncML DM 1.2 model does not know, or not where it stands (strict mode)."""


class SchemaInvalid(DecodeError):
    """Validation found errors; ``diagnostics`` holds all of them."""

    def __init__(self, message: str, diagnostics: list[object]) -> None:
        self.diagnostics = diagnostics
        super().__init__(message)


class EncodeError(SyncMLError):
    """The caller built a model we cannot serialize (wrong type, illegal XML character...)."""
