"""Resource limits applied by every entry point (parse, stream, validate, WBXML)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Bounds on what one message may make us do; ``None`` lifts a bound.

    Exceeding one raises ``LimitExceeded`` naming the field, its value and the position. The
    stream parser keeps memory bounded by ``max_text`` even when ``max_bytes`` is lifted.

    Attributes:
        max_bytes: total input size (bytes). Inventory packages reach hundreds of MB.
        max_depth: element nesting depth, embedded XML in Data included.
        max_text: characters of text in one element (one Data).
        max_items: Items in the whole message.
        max_commands: commands in the whole message (nested ones included).
        max_attributes: attributes (namespace declarations included) on one element.
        max_attribute_length: characters in one attribute value.
        max_diagnostics: tolerant-mode diagnostics handed out; past it, the last one (P100)
            counts the deviations not kept.
        max_referenced_text: characters that the WBXML string-table references (STR_T,
            LITERAL) of one message may decode to, all together: each reference is a few
            bytes that stand for a whole entry, so without a bound a 4 MB message can decode
            to gigabytes.
    """

    max_bytes: int | None = 512 * 1024 * 1024
    max_depth: int = 64
    max_text: int = 16 * 1024 * 1024
    max_items: int | None = 1_000_000
    max_commands: int | None = 100_000
    max_attributes: int = 32
    max_attribute_length: int = 4096
    max_diagnostics: int = 1000
    max_referenced_text: int | None = 16 * 1024 * 1024


#: The limits used when an entry point is given ``limits=None``.
DEFAULT_LIMITS = Limits()
