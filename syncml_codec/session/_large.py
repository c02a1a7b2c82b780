"""Large messages in a session: what the engine does around the packer and the reassembler.

Sending (OMA-TS-DM_Protocol §8.7 "Multiple messages in package" and "Large object handling",
numbered §2.1-§2.2 in OMA-TS-DM_Protocol-V1_2_1): the engine sends only the first message the
packer returns and re-packs the rest for the next one, so each message's SyncHdr Status answers
the message it replies to. When that first message ends with a chunk of a large object
(``<MoreData/>``), ``split_continuation`` cuts the object's rest off as a *continuation*: the
same command with the Data not yet sent, no ``Meta/Size`` ("The <Size> element MUST only be
specified in the first chunk") and ``MoreData`` set, which tells ``packing.pack`` to go on
cutting it in the next message rather than move it whole to a later one. ``begin_chunking``
marks a command the same way (with Size) when the Statuses every message owes leave room for
a chunk of it but not for all of it.

Receiving: ``view_of`` turns what ``Reassembler.feed`` returned into the message the engine
reads for events (chunks out, one ``LargeObject`` per completed object reported separately) and
sorts the reassembler's answers: a Status for a command sets that command's code (213, 424, 413,
411), a Status for a chunk of Results is an extra answer (Results get no Status of their own),
and an Alert 1225 is a command to send.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Literal

from syncml_codec.model import (
    Alert,
    Command,
    Item,
    Meta,
    Results,
    Status,
    SyncBody,
    SyncHdr,
    SyncML,
)
from syncml_codec.packing import CHUNKABLE, LargeObject, Received, data_size
from syncml_codec.packing._pack import with_items

from .events import Event, Handle, LargeObjectDropped, LargeObjectReceived

__all__ = [
    "Sorted",
    "announce",
    "begin_chunking",
    "object_events",
    "split_continuation",
    "view_of",
]


def _last_item(cmd: Command) -> Item | None:
    items: tuple[Item, ...] = getattr(cmd, "items", ())
    return items[-1] if len(items) == 1 else None


def _without_size(meta: Meta | None) -> Meta | None:
    if meta is None or meta.size is None:
        return meta
    stripped = dataclasses.replace(meta, size=None)
    return None if stripped == Meta() else stripped


def begin_chunking(cmd: Command) -> Command | None:
    """``cmd`` marked to be cut from the current message on (MoreData, Meta/Size), or None."""
    item = _last_item(cmd)
    if not isinstance(cmd, CHUNKABLE) or item is None or not isinstance(item.data, str):
        return None
    meta = dataclasses.replace(item.meta or Meta(), size=str(data_size(item.data)))
    return with_items(cmd, (dataclasses.replace(item, meta=meta, more_data=True),))


def split_continuation(
    body: Sequence[Command], statuses: Sequence[Command], commands: Sequence[Command]
) -> tuple[Literal["carry", "queue"], int, Command] | None:
    """The rest of a large object whose chunk ends ``body``, or None.

    Returns ``(where, index, rest)``: the object is ``statuses[index]`` (``carry``: a Results)
    or ``commands[index]`` (``queue``), and ``rest`` is it with the Data after the chunk sent,
    Meta without Size, MoreData set (see ``packing.pack``: cut on from the next message).
    """
    if not body:
        return None
    tail = body[-1]
    chunk = _last_item(tail)
    if not isinstance(tail, CHUNKABLE) or chunk is None or not chunk.more_data:
        return None
    for where, pool in (("carry", statuses), ("queue", commands)):
        for index, original in enumerate(pool):
            item = _last_item(original)
            if original.cmd_id != tail.cmd_id or item is None or not isinstance(item.data, str):
                continue
            sent = len(chunk.data) if isinstance(chunk.data, str) else 0
            rest = item.data[sent:]
            data = type(item.data)(rest) if type(item.data) is not str else rest
            meta = _without_size(item.meta)
            item = dataclasses.replace(item, data=data, meta=meta, more_data=True)
            return where, index, with_items(original, (item,))  # type: ignore[return-value]
    return None


@dataclasses.dataclass(slots=True)
class Sorted:
    """One received message as the engine reads it after reassembly.

    Attributes:
        view: the message without chunks (what events are read from).
        objects: each completed object with the CmdID of its last chunk.
        codes: Status codes for received commands (CmdID -> 213, 424, 413, 411, 517).
        extra: Statuses for chunks of Results (213...), sent after the owed Statuses.
        alerts: Alerts 1225 to send (an object was interrupted).
        dropped: (CmdID, code) of each object refused or broken (424, 413, 411; for 1225 the
            CmdID is None: the interrupted object's chunks came in earlier messages).
    """

    view: SyncML
    objects: list[tuple[str, LargeObject]]
    codes: dict[str, int]
    extra: list[Status]
    alerts: list[Alert]
    dropped: list[tuple[str | None, int]]


def view_of(message: SyncML, got: Received) -> Sorted:
    """Sort ``Reassembler.feed(message)``'s output for the engine (see the module docstring)."""
    kept = [c for c in got.commands if not isinstance(c, LargeObject)]
    kept_ids = {id(c) for c in kept}
    chunks = [c for c in message.sync_body.commands if id(c) not in kept_ids]
    by_id = {c.cmd_id: c for c in chunks}
    sorted_ = Sorted(
        view=dataclasses.replace(
            message, sync_body=SyncBody(commands=tuple(kept), final=message.sync_body.final)
        ),
        objects=[],
        codes={},
        extra=[],
        alerts=[],
        dropped=[],
    )
    last_chunks = [c for c in chunks if (i := _last_item(c)) is not None and not i.more_data]
    for obj in (c for c in got.commands if isinstance(c, LargeObject)):
        sorted_.objects.append((last_chunks[0].cmd_id if last_chunks else obj.command.cmd_id, obj))
    for answer in got.answers:
        if isinstance(answer, Alert):
            sorted_.alerts.append(answer)
            sorted_.dropped.append((None, int(answer.data or 0)))
            continue
        code = int(answer.data)
        if isinstance(by_id.get(answer.cmd_ref), Results):
            sorted_.extra.append(answer)
        else:
            sorted_.codes[answer.cmd_ref] = code
        if code != 213:
            sorted_.dropped.append((answer.cmd_ref, code))
    return sorted_


def object_events(
    got: Sorted, msg_id: int, sent: dict[str, tuple[Handle | None, str, bool]]
) -> list[Event]:
    """One event per completed object and per object refused or broken.

    A completed Results answers a Get we sent: its entry leaves ``sent`` (the Get's outcome
    came with the first chunk, which ``_read_answers`` marked as waiting for late Results).
    """
    out: list[Event] = []
    for cmd_id, obj in got.objects:
        handle = None
        if isinstance(obj.command, Results):  # [MS-MDM] 2.2.7.8: no MsgRef = 1
            entry = sent.pop(f"{obj.command.msg_ref or '1'}:{obj.command.cmd_ref}", None)
            handle = entry[0] if entry is not None else None
        out.append(LargeObjectReceived(msg_id=msg_id, cmd_id=cmd_id, object=obj, handle=handle))
    out.extend(LargeObjectDropped(msg_id=msg_id, cmd_id=c, code=k) for c, k in got.dropped)
    return out


def announce(header: SyncHdr, max_msg_size: int | None, max_obj_size: int | None) -> SyncHdr:
    """``header`` with the MaxMsgSize / MaxObjSize we accept in its Meta ([DMPRO] §2.2)."""
    if max_msg_size is None and max_obj_size is None:
        return header
    meta = header.meta or Meta()
    meta = dataclasses.replace(
        meta,
        max_msg_size=meta.max_msg_size if max_msg_size is None else str(max_msg_size),
        max_obj_size=meta.max_obj_size if max_obj_size is None else str(max_obj_size),
    )
    return dataclasses.replace(header, meta=meta)
