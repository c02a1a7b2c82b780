"""WBXML <-> model glue (filled in by the WBXML work)."""

from __future__ import annotations

from ._builder import Builder
from .errors import EncodeError, MalformedXML
from .limits import Limits

__all__ = ["decode_into", "encode"]


def decode_into(data: bytes, builder: Builder, limits: Limits) -> None:
    """Decode WBXML into the builder."""
    raise MalformedXML("WBXML input is not supported yet")


def encode(obj: object) -> bytes:
    """Encode a model object as WBXML."""
    raise EncodeError("WBXML output is not supported yet")
