"""WBXML for SyncML (OMA-TS-SyncML_RepPro §8), a wing of its own.

* ``tokens``: the header constants, global tokens and code-page tables (the one place a token
  value is written);
* ``header``: the document header and the string table (with its decoded-text budget);
* ``decode``: bytes -> pyexpat-style events (``decode``), under ``Limits``;
* ``join``: the exact path, the decoder joined to the table-driven ``Builder`` (``decode_into``);
* ``encode``: model objects -> bytes, through the generated table walk (``encode``).

Everything the rest of the package uses is re-exported here.
"""

from __future__ import annotations

from .decode import TICK, WbxmlTarget, decode
from .encode import encode
from .header import Deviate
from .join import decode_into
from .tokens import (
    NS_DEVINF12,
    NS_METINF,
    NS_SYNCML10,
    NS_SYNCML11,
    NS_SYNCML12,
    PUBLIC_ID_DEVINF11,
    PUBLIC_ID_DEVINF12,
    PUBLIC_ID_SYNCML10,
    PUBLIC_ID_SYNCML11,
    PUBLIC_ID_SYNCML12,
    is_wbxml,
)

__all__ = [
    "NS_DEVINF12",
    "NS_METINF",
    "NS_SYNCML10",
    "NS_SYNCML11",
    "NS_SYNCML12",
    "PUBLIC_ID_DEVINF11",
    "PUBLIC_ID_DEVINF12",
    "PUBLIC_ID_SYNCML10",
    "PUBLIC_ID_SYNCML11",
    "PUBLIC_ID_SYNCML12",
    "TICK",
    "Deviate",
    "WbxmlTarget",
    "decode",
    "decode_into",
    "encode",
    "is_wbxml",
]
