"""Messages that fit: MaxMsgSize packing, large objects (MoreData), and their reassembly.

OMA-TS-DM_Protocol-V1_2_1 §2.1 "Multiple Messages In Package" and §2.2 "Large Object Handling":

- ``pack`` cuts one package into messages within the peer's MaxMsgSize (measured on the
  serialized XML or WBXML bytes), chunking a one-Item command whose Data fits in no message;
- ``Reassembler`` takes received messages and hands out each chunked object once, spooled,
  with the Statuses (213, 424, 413, 411) and Alerts (1225) to answer;
- ``check_message`` and ``PACKING_RULES``: the validator rules one message can show (DM270-275).

See docs/pages/packing.md.
"""

from __future__ import annotations

from ._pack import CHUNKABLE, WireFormat, data_size, pack
from ._receive import (
    SPOOL_THRESHOLD,
    Answer,
    LargeObject,
    ObjectKey,
    PendingObject,
    Reassembler,
    Received,
)
from ._rules import PACKING_RULES, check_message

__all__ = [
    "CHUNKABLE",
    "PACKING_RULES",
    "SPOOL_THRESHOLD",
    "Answer",
    "LargeObject",
    "ObjectKey",
    "PendingObject",
    "Reassembler",
    "Received",
    "WireFormat",
    "check_message",
    "data_size",
    "pack",
]
