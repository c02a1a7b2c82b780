"""The sending side: commands -> messages within the peer's MaxMsgSize, large objects chunked.

Strategy: every entry (a pending Status/Results or a command) is serialized once, alone, and its
size inside a message is that fragment's size minus a constant calibrated per call (the root
``xmlns`` of an XML fragment, the WBXML header); the envelope (SyncHdr, SyncBody, the SyncHdr
Status every message opens with) and the ``Final`` flag are measured once per MsgID length.
A message's size is then the envelope plus the sum of its entries, exactly (neither writer has
cross-element state: XML declares namespaces per element, WBXML has no string table), so packing
N entries costs N serializations, plus about one Item serialization per chunk of a large object.

Rules enforced (OMA-TS-DM_Protocol = OMA-TS-DM_Protocol-V1_2_1):

* DM Protocol 2.1.1: "a command must fit entirely into one message. This includes the Sequence
  and Atomic commands" - entries are placed whole, in order; one that fits in no message is an
  ``EncodeError`` (unless it is a large object).
* DM Protocol 2.1.2: "the last message in the package MUST include the Final element ... Other
  messages belonging to the package MUST NOT include the Final element."
* OMA-TS-DM_Protocol 2.2: a large object is split into chunks with ``<MoreData/>`` "after all chunks
  except the last chunk"; "The <Size> element MUST only be specified in the first chunk";
  "Meta and Item information SHOULD be repeated on each subsequent message"; "the chunks MUST be
  sent in contiguous messages", and nothing is placed between chunks; "Data objects that fit
  within a single message MUST NOT be followed by the <MoreData/> element"; the peer's
  MaxObjSize "MUST be respected by the recipient, who MUST NOT send any single object larger".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Final, Literal, TypeAlias, cast

from syncml_codec.errors import EncodeError
from syncml_codec.model import (
    Add,
    Alert,
    Atomic,
    CData,
    Command,
    Copy,
    Exec,
    Item,
    Meta,
    Replace,
    Results,
    Status,
    SyncBody,
    SyncHdr,
    SyncML,
    XmlData,
)
from syncml_codec.model import Sequence as SequenceCmd
from syncml_codec.serialize import serialize

__all__ = ["CHUNKABLE", "WireFormat", "data_size", "pack", "parse_size", "with_items"]

#: The wire formats a message is measured in (``serialize(..., format=...)``).
WireFormat: TypeAlias = Literal["xml", "wbxml"]

#: Commands whose one Item may be sent as a large object in chunks (OMA-TS-DM_Protocol 2.2).
CHUNKABLE: Final = (Add, Copy, Exec, Replace, Results)
_PROBE: Final = Alert(cmd_id="1")
_EMPTY_ITEM: Final = Item()


def data_size(data: str) -> int:
    """The size of a Data value as transmitted: the bytes of its text in UTF-8.

    This is what ``Meta/Size`` of a chunked object carries. For Format ``b64`` it is the length
    of the base64 text (not of the decoded bytes), as the open-source Motorola OMA DM client
    computes it; markup and entity escaping are not counted.
    """
    return len(data) if data.isascii() else len(data.encode("utf-8"))


def parse_size(text: str | None) -> int | None:
    """A MetInf size (Size, MaxMsgSize, MaxObjSize) as an int; None when absent or not digits."""
    if text is None:
        return None
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


class _Sizer:
    """Serialized sizes in one wire format, with the envelope accounted exactly."""

    __slots__ = ("_envelopes", "_extra", "fmt", "hdr_status", "header")

    def __init__(self, header: SyncHdr, hdr_status: Status | None, fmt: WireFormat) -> None:
        self.fmt = fmt
        self.header = header
        self.hdr_status = hdr_status
        self._envelopes: dict[int, tuple[int, int]] = {}
        one = self._message("1", (_PROBE,), False)
        two = self._message("1", (_PROBE, _PROBE), False)
        self._extra = len(serialize(_PROBE, format=fmt)) - (two - one)

    def _message(self, msg_id: str, commands: tuple[Command, ...], final: bool) -> int:
        hdr = dataclasses.replace(self.header, msg_id=msg_id)
        body = SyncBody(commands=commands, final=final)
        return len(serialize(SyncML(sync_hdr=hdr, sync_body=body), format=self.fmt))

    def fragment(self, obj: Command | Item) -> int:
        """The bytes ``obj`` adds to a message (one serialization)."""
        return len(serialize(obj, format=self.fmt)) - self._extra

    def shell(self, command: Command) -> int:
        """The bytes of ``command`` without its Items.

        A command with no Item cannot be serialized (the DTD says ``Item+``), so this is the
        command with one empty Item less that empty Item: every writer emits an Item's bytes
        as a unit, the same inside a command as alone.
        """
        return self.fragment(with_items(command, (_EMPTY_ITEM,))) - self.fragment(_EMPTY_ITEM)

    def envelope(self, msg_id: str) -> tuple[int, int]:
        """(bytes of a message holding only the SyncHdr Status, bytes ``Final`` adds)."""
        key = len(msg_id)
        cached = self._envelopes.get(key)
        if cached is None:
            base = self._message(msg_id, (_PROBE,), False) - self.fragment(_PROBE)
            final = self._message(msg_id, (_PROBE,), True) - base - self.fragment(_PROBE)
            if self.hdr_status is not None:
                base += self.fragment(self.hdr_status)
            cached = self._envelopes[key] = (base, final)
        return cached


def _items_of(command: Command) -> Iterator[tuple[Command, Item]]:
    if isinstance(command, (Atomic, SequenceCmd)):
        for member in command.commands:
            yield from _items_of(member)
    else:
        for item in getattr(command, "items", ()):
            yield command, item


def with_items(command: Command, items: tuple[Item, ...]) -> Command:
    """A copy of an Item-carrying command (Add, Replace, Results...) with other Items."""
    copy: Command = dataclasses.replace(cast(Replace, command), items=items)
    return copy


def _check_objects(command: Command, max_obj_size: int) -> None:
    for cmd, item in _items_of(command):
        if item.data is not None and data_size(item.data) > max_obj_size:
            where = item.target or item.source
            uri = f" ({where.loc_uri})" if where is not None else ""
            raise EncodeError(
                f"{cmd.XML_NAME} {cmd.cmd_id}{uri}: Data of {data_size(item.data)} bytes is larger"
                f" than the peer's MaxObjSize {max_obj_size}; the peer would answer 413"
                " (OMA-TS-DM_Protocol 2.2: no single object larger than MaxObjSize may be sent)"
            )


def _strip_size(meta: Meta | None) -> Meta | None:
    return meta if meta is None or meta.size is None else dataclasses.replace(meta, size=None)


class _Packer:
    """Greedy, in order: the current message is closed when the next entry does not fit."""

    def __init__(self, sizer: _Sizer, max_msg_size: int, first_msg_id: int) -> None:
        self.sizer = sizer
        self.max = max_msg_size
        self.first = first_msg_id
        self.bodies: list[list[Command]] = []
        self.room = 0
        self.final = 0
        self.used = False  # the current message holds an entry besides the SyncHdr Status

    def _next_envelope(self) -> tuple[int, int]:
        return self.sizer.envelope(str(self.first + len(self.bodies)))

    def open(self) -> None:
        envelope, final = self._next_envelope()
        if envelope + final > self.max:
            raise EncodeError(
                f"MaxMsgSize {self.max} cannot carry even the envelope: a message with only the"
                f" SyncHdr (and its Status) and Final takes {envelope + final} bytes"
                f" as {self.sizer.fmt.upper()}"
            )
        hdr = self.sizer.hdr_status
        self.bodies.append([hdr] if hdr is not None else [])
        self.room, self.final, self.used = self.max - envelope, final, False

    def place(self, command: Command, size: int) -> None:
        self.bodies[-1].append(command)
        self.room -= size
        self.used = True

    def add(self, command: Command, last: bool) -> None:
        if _begun(command):  # cut it from here on, whatever its size
            self._chunk(command, command.items[0], last)  # type: ignore[union-attr]
            return
        size = self.sizer.fragment(command)
        need = size + (self.final if last else 0)
        if need <= self.room:
            self.place(command, size)
            return
        # the current message, when it holds nothing yet, is the fresh one
        envelope, final = self._next_envelope() if self.used else (self.max - self.room, self.final)
        if self.used and size + envelope + (final if last else 0) <= self.max:
            self.open()
            self.place(command, size)
        elif isinstance(command, CHUNKABLE) and len(command.items) == 1:
            self._chunk(command, command.items[0], last)
        else:
            what = "an Atomic" if isinstance(command, Atomic) else f"a {command.XML_NAME}"
            raise EncodeError(
                f"{command.XML_NAME} {command.cmd_id} takes {size} bytes as"
                f" {self.sizer.fmt.upper()} and fits in no message of MaxMsgSize {self.max}"
                f" (envelope {envelope}); {what} is never split across messages (DM Protocol 2.1.1)"
                "; only a command with a single Item can be sent as a large object"
            )

    def _chunk(self, command: Command, item: Item, last: bool) -> None:
        data = item.data
        if data is None or isinstance(data, XmlData):
            why = (
                "has no Data" if data is None else "has markup Data (XmlData), which cannot be cut"
            )
            raise EncodeError(
                f"{command.XML_NAME} {command.cmd_id} fits in no message of MaxMsgSize {self.max}"
                f" and its Item {why} into large-object chunks"
            )
        kind = CData if isinstance(data, CData) else str
        meta = _strip_size(item.meta)
        base = with_items(command, ())
        base_size = self.sizer.shell(command)
        if item.more_data:  # begun: its Meta as given (with Size only on a first chunk)
            first_meta = item.meta
        else:
            first_meta = dataclasses.replace(meta or Meta(), size=str(data_size(data)))
        chunk = dataclasses.replace(item, meta=first_meta, more_data=True)
        pos = 0
        while True:
            rest = len(data) - pos
            tail = dataclasses.replace(chunk, more_data=False)
            if rest <= self.room:  # the rest might fit whole: the last chunk, with Final if last
                room = self.room - base_size - (self.final if last else 0)
                size = _fit(self.sizer, tail, data, pos, room, kind)
                if size == rest:
                    self._put(base, tail, kind(data[pos:]), base_size)
                    return
            k = min(_fit(self.sizer, chunk, data, pos, self.room - base_size, kind), rest - 1)
            if k <= 0:
                if not self.used:
                    raise EncodeError(
                        f"MaxMsgSize {self.max} leaves no room for even one character of the"
                        f" Data of {command.XML_NAME} {command.cmd_id} in a chunk"
                    )
                self.open()
                continue
            self._put(base, chunk, kind(data[pos : pos + k]), base_size)
            pos += k
            chunk = dataclasses.replace(chunk, meta=meta)  # Size in the first chunk only
            self.open()  # the chunks go in contiguous messages, nothing between them

    def _put(self, base: Command, item: Item, data: str, base_size: int) -> None:
        piece = dataclasses.replace(item, data=data)
        self.place(with_items(base, (piece,)), base_size + self.sizer.fragment(piece))

    def messages(self, header: SyncHdr) -> list[SyncML]:
        out = []
        for i, body in enumerate(self.bodies):
            hdr = dataclasses.replace(header, msg_id=str(self.first + i))
            sync_body = SyncBody(commands=tuple(body), final=i == len(self.bodies) - 1)
            out.append(SyncML(sync_hdr=hdr, sync_body=sync_body))
        return out


def _begun(command: Command) -> bool:
    """A one-Item command whose Item already carries MoreData: an object to cut from here."""
    items: tuple[Item, ...] = getattr(command, "items", ())
    return isinstance(command, CHUNKABLE) and len(items) == 1 and items[0].more_data


def _fit(sizer: _Sizer, item: Item, data: str, pos: int, room: int, kind: type[str]) -> int:
    """The most characters of ``data[pos:]`` that ``item`` can carry in ``room`` bytes.

    Each character takes at least one byte, so a first guess from the bytes left is at most one
    serialization off for ASCII text; otherwise a bisection between a size known to fit and one
    known not to (the size grows monotonically with the number of characters).
    """
    rest = len(data) - pos

    def size(k: int) -> int:
        return sizer.fragment(dataclasses.replace(item, data=kind(data[pos : pos + k])))

    empty = size(0)
    if empty > room:
        return 0
    lo, hi = 0, rest + 1  # size(lo) fits; size(hi) does not (rest + 1: a sentinel)
    k = min(rest, room - empty)
    while True:
        s = size(k)
        if s > room:
            hi = k
            lo = max(lo, k - (s - room))  # removing s - room characters removes enough bytes
            break
        lo = k
        if k == rest or s == room:
            return k
        k = min(rest, k + room - s)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if size(mid) <= room:
            lo = mid
        else:
            hi = mid
    return lo


def _split_hdr_status(
    statuses: Sequence[Command],
) -> tuple[Status | None, Sequence[Command]]:
    if statuses:
        first = statuses[0]
        if isinstance(first, Status) and (first.cmd == "SyncHdr" or first.cmd_ref == "0"):
            return first, statuses[1:]
    return None, statuses


def pack(
    header: SyncHdr,
    statuses: Sequence[Command],
    commands: Sequence[Command],
    *,
    max_msg_size: int,
    max_obj_size: int | None = None,
    format: WireFormat = "xml",
) -> list[SyncML]:
    """Pack one package into messages that each serialize within the peer's MaxMsgSize.

    Order (DM Protocol 2.1, [MS-MDM] 2.2.6.1): the Status for the SyncHdr first, then the pending
    Statuses and Results in request order, then the commands in order. Every entry goes whole
    into one message (Atomic and Sequence included); a message is closed when the next entry
    does not fit. ``Final`` is on the last message only. A command with one Item whose Data
    does not fit in any message is sent as a large object: its Data is cut into chunks, one per
    message, in contiguous messages; the first chunk's Item Meta carries ``Size`` (see
    ``data_size``), every chunk but the last carries ``MoreData``, Target/Source and the rest of
    the Meta are repeated.

    A command whose one Item is given with ``MoreData`` is cut into chunks from the current
    message on, even when it would fit whole in a fresh one: a session passes the rest of an
    object begun in an earlier message this way (its Meta without Size), or an object it wants
    cut now (its Meta with Size, for the first chunk). Its last chunk goes without MoreData.

    The receiver asks for each next message with Alert 1222 (DM Protocol 2.1.2), answering 213 to
    each chunk; the SyncHdr Status given here is repeated at the head of every message (sized
    exactly as given: a session that learns the MsgRef of each next request may re-pack the
    rest, or replace the MsgRef by one of the same length).

    Args:
        header: the SyncHdr of the first message; later messages get MsgID + 1, + 2, ...
        statuses: pending Status and Results in request order; when the first one is the Status
            for the SyncHdr (Cmd ``SyncHdr``, CmdRef 0), it opens every message.
        commands: the commands to send, in order (CmdIDs as given: unique per message).
        max_msg_size: the peer's MaxMsgSize, in bytes of the serialized message.
        max_obj_size: the peer's MaxObjSize (None: no limit).
        format: the wire format sizes are measured in: ``"xml"`` or ``"wbxml"``.

    Returns:
        The messages, in order; empty when there is nothing to send. A package of only the
        SyncHdr Status gives that one message (DM Protocol 2.3: a client MUST NOT send it; the
        session decides).

    Raises:
        EncodeError: MaxMsgSize cannot carry the envelope, an entry fits in no message and
            cannot be chunked (an Atomic or Sequence, a command with several Items), a Data
            is larger than MaxObjSize, or a model object cannot be serialized.
    """
    if format not in ("xml", "wbxml"):
        raise EncodeError(f"unknown format {format!r}; expected 'xml' or 'wbxml'")
    try:
        first_msg_id = int(header.msg_id)
    except (TypeError, ValueError):
        raise EncodeError(
            f"MsgID {header.msg_id!r} is not an integer; pack() counts up from it"
        ) from None
    hdr_status, pending = _split_hdr_status(statuses)
    entries: list[Command] = [*pending, *commands]
    if not entries and hdr_status is None:
        return []
    if max_obj_size is not None:
        for entry in entries:
            _check_objects(entry, max_obj_size)
    packer = _Packer(_Sizer(header, hdr_status, format), max_msg_size, first_msg_id)
    packer.open()
    last = len(entries) - 1
    for i, entry in enumerate(entries):
        packer.add(entry, i == last)
    return packer.messages(header)
