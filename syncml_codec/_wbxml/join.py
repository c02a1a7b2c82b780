"""The exact path: the WBXML decoder joined to the table-driven ``Builder``.

The builder gets the decoder's events directly (its own bound callables), byte offsets as
positions (``Position(0, offset)``, read from the running loop only when it reports), the
tolerated WBXML deviations as diagnostics (P120, P121), and OPAQUE payloads that become text
checked as text, so ``parse`` never returns a model that ``serialize`` cannot write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from syncml_codec.limits import Limits

from .decode import decode, opaque_is_text, running_offset
from .header import Fail

if TYPE_CHECKING:
    from syncml_codec._builder import Builder

__all__ = ["decode_into"]


class _Locator:
    """``Builder.locate`` for WBXML: (0, byte offset), the WBXML form of a ``Position``."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at = 0  # for reports made outside the loop (the header)

    def __call__(self) -> tuple[int, int]:
        offset = running_offset()
        return 0, self.at if offset < 0 else offset


class _ModelTarget:
    """The builder's own callables, with OPAQUE payloads that become text checked as text
    (a payload the builder skips, such as a DS DevInf in an unknown element, may be binary)."""

    __slots__ = ("_builder", "data", "end", "start")

    def __init__(self, builder: Builder) -> None:
        self._builder = builder
        self.start = builder.start
        self.data = builder.data
        self.end = builder.end

    def opaque(self, payload: bytes) -> None:
        builder = self._builder
        if opaque_is_text(payload):
            builder.opaque(payload)
            return
        before = builder.pending_text()
        builder.opaque(payload)
        if builder.pending_text() != before:
            raise Fail("OPAQUE data holds a character XML 1.0 cannot carry", running_offset())


#: Deviations that strict mode does not turn into errors: the XML form of the same mismatch
#: (namespace against VerDTD) is a validator warning (DM209), not a parse error.
_ADVISORY: Final = frozenset({"P121"})


def decode_into(data: bytes, builder: Builder, limits: Limits) -> None:
    """Decode a WBXML document into ``builder`` (the exact path), which raises its own
    DecodeErrors and records deviations; positions are byte offsets (``Position(0, n)``).

    The decoder's own depth bound is one level beyond the builder's, so the builder, which
    knows the element table, reports a deep message as it does for XML.
    """
    locator = _Locator()

    def deviate(code: str, message: str, offset: int, path: str) -> None:
        if code in _ADVISORY and builder.strict:
            return
        locator.at = offset
        builder.deviate(code, message, extra=path or None)

    builder.locate = locator
    decode(data, _ModelTarget(builder), limits, deviate=deviate, max_depth=limits.max_depth + 1)
