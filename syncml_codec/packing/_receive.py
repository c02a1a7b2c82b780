"""The receiving side: large-object chunks back into one Item, with the answers the spec asks for.

Strategy: at most one object is open at a time (DM Protocol 2.2: "A new data object MUST NOT be
added by a sender to any message until the previous data object has been completed"), so the
whole state is one ``PendingObject`` (or None): the chunked command without its Data, the
announced Size, the bytes received, and a spool. Chunk text is written to the spool as UTF-8 as
it arrives (the Data "as transmitted", the unit of ``Meta/Size``); the spool is a
``SpooledTemporaryFile`` that moves to disk past ``spool_threshold`` bytes, so memory stays flat
in the object's size: one message's Data at a time plus the spool's buffer.

Answers (OMA-TS-DM_Protocol = OMA-TS-DM_Protocol-V1_2_1 §2.2, status codes from OMA-TS-DM_RepPro):

* each chunk with MoreData: Status 213 ("the recipient MUST respond with a status response 213
  - Chunked item accepted and buffered");
* the last chunk: nothing here; the application applies the reassembled command and answers it
  ("The appropriate status MUST then be sent to the originator");
* total bytes differ from Size: Status 424 on the last chunk and nothing handed out ("If the
  size does not match then error status 424 ... The recipient MUST NOT commit the command");
* a new command or Item before the last chunk: Alert 1225 carrying the original Item's Target and
  Source ("the recipient MUST respond with an Alert 1225 ... The Alert SHOULD contain the source
  and/or target information from the original command"), the object dropped;
* Size larger than our MaxObjSize: 413 (RepPro "Request entity too large"); a first chunk
  without Size: 411 ("Size required"; DM Protocol 2.2: "the <Size> element ... MUST be used"); the
  rest of such an object is answered with the same code and dropped;
* an Atomic whose Statuses (one per member, and its own, after the SyncHdr Status) would not fit
  in one reply message of the MaxMsgSize the peer announced: 517 ("Atomic response too large to
  fit", OMA-TS-DM_RepPro §4.1.6.3; OMA-TS-DM_Protocol §2.1.1: an Atomic fits in one message),
  and the Atomic is not handed out (nothing to roll back).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import io
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any, Final, TypeAlias

from syncml_codec.codes import AlertCode, StatusCode
from syncml_codec.errors import DecodeError, EncodeError
from syncml_codec.limits import DEFAULT_LIMITS, Limits
from syncml_codec.model import Alert, Atomic, Command, Item, Meta, Source, Status, SyncML, Target
from syncml_codec.model import Sequence as SequenceCmd
from syncml_codec.parse import parse_fragment
from syncml_codec.serialize import serialize

from ._pack import WireFormat, pack, parse_size, with_items

__all__ = [
    "SPOOL_THRESHOLD",
    "Answer",
    "LargeObject",
    "ObjectKey",
    "PendingObject",
    "Reassembler",
    "Received",
]

#: Bytes of one object kept in memory before the spool moves to a temporary file. A module
#: constant until ``Limits`` grows a field for it.
SPOOL_THRESHOLD: Final = 1024 * 1024
_READ: Final = 64 * 1024
_WHITESPACE: Final = b" \t\r\n"

#: A Status (213, 424, 413, 411) or an Alert 1225 the receiver sends back.
Answer: TypeAlias = Status | Alert
#: What identifies one object across messages: (command name, Target LocURI, Source LocURI).
ObjectKey: TypeAlias = tuple[str, str | None, str | None]


def _key(command: Command, item: Item) -> ObjectKey:
    return (
        command.XML_NAME,
        item.target.loc_uri if item.target is not None else None,
        item.source.loc_uri if item.source is not None else None,
    )


def _effective_meta(command: Command, item: Item) -> Meta | None:
    meta: Meta | None = getattr(command, "meta", None)
    return meta.merged_with(item.meta) if meta is not None else item.meta


def _without_size(meta: Meta | None) -> Meta | None:
    if meta is None or meta.size is None:
        return meta
    stripped = dataclasses.replace(meta, size=None)
    return None if stripped == Meta() else stripped


@dataclass(slots=True)
class LargeObject:
    """One reassembled Item, handed out once its last chunk arrived and its Size matched.

    The Data is not in ``command``: it is in a spool (memory, then a temporary file), read with
    ``open()`` (the bytes as transmitted: UTF-8 text, for b64 the base64 text) or
    ``iter_decoded()`` (b64 decoded). ``to_command()`` builds the ordinary command with the Data
    as a ``str`` (the whole object in memory: for small objects). ``close()`` frees the spool
    (an object dropped unclosed is a ``ResourceWarning``, as for any temporary file).

    Attributes:
        command: the chunked command as the first chunk had it, its last Item without Data,
            MoreData and Meta/Size.
        size: the object's size in bytes as transmitted (the Size the sender announced).
    """

    command: Command
    size: int
    _spool: IO[bytes] = field(repr=False)
    _path: str | None = field(default=None, repr=False)

    @property
    def item(self) -> Item:
        """The reassembled Item (without its Data)."""
        items: tuple[Item, ...] = getattr(self.command, "items", ())
        return items[-1]

    @property
    def format(self) -> str | None:
        """The Item's Format (its Meta over the command's), such as ``"b64"``."""
        meta = _effective_meta(self.command, self.item)
        return meta.format if meta is not None else None

    def open(self) -> IO[bytes]:
        """The Data as transmitted (UTF-8), positioned at its start; do not close it."""
        self._spool.seek(0)
        return self._spool

    def iter_decoded(self, chunk_size: int = _READ) -> Iterator[bytes]:
        """The Data in pieces: base64-decoded when Format is b64, else the bytes as transmitted.

        Raises:
            DecodeError: the b64 Data is not valid base64.
        """
        spool = self.open()
        b64 = self.format == "b64"
        carry = b""
        while piece := spool.read(chunk_size):
            if not b64:
                yield piece
                continue
            piece = carry + piece.translate(None, _WHITESPACE)
            cut = len(piece) - len(piece) % 4
            carry = piece[cut:]
            yield _b64decode(piece[:cut])
        if carry:
            yield _b64decode(carry)

    def to_command(self) -> Command:
        """The command with the whole Data as ``str`` in its last Item (memory: the object)."""
        text = self.open().read().decode("utf-8")
        items: tuple[Item, ...] = getattr(self.command, "items", ())
        last = dataclasses.replace(items[-1], data=text)
        return with_items(self.command, (*items[:-1], last))

    def close(self) -> None:
        """Free the spool (the temporary file, if there is one; a named spool file is deleted)."""
        _discard(self._spool, self._path)


def _discard(spool: IO[bytes] | None, path: str | None) -> None:
    if spool is not None:
        spool.close()
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _b64decode(data: bytes) -> bytes:
    try:
        return binascii.a2b_base64(data, strict_mode=True)
    except binascii.Error as exc:
        raise DecodeError(f"the reassembled b64 Data is not valid base64: {exc}") from None


@dataclass(slots=True)
class PendingObject:
    """The one open object: everything the Reassembler remembers between messages.

    Attributes:
        key: (command name, Target LocURI, Source LocURI) that continuation chunks must repeat.
        command: the first chunk's command, its last Item without Data, MoreData, Meta/Size.
        size: the announced Size (bytes as transmitted); None for a rejected object.
        received: bytes of Data received so far.
        rejected: the status code every further chunk gets (413, 411), or None.
        spool: where the Data goes (None for a rejected object).
        path: the spool's file name when it is a named file in ``spool_dir``, else None.
    """

    key: ObjectKey
    command: Command
    size: int | None
    received: int = 0
    rejected: int | None = None
    spool: IO[bytes] | None = field(default=None, repr=False)
    path: str | None = None

    @property
    def spooled(self) -> int:
        """Bytes in the spool: what was received, never more than Size."""
        return min(self.received, self.size or 0)

    def write(self, text: str) -> None:
        """Append one chunk's Data, never spooling more than Size (the rest is only counted)."""
        data = text.encode("utf-8")
        if self.spool is not None and self.spool.closed and self.path is not None:
            self.spool = open(self.path, "r+b")  # noqa: SIM115  # handed off by to_state
            self.spool.seek(0, os.SEEK_END)
        if self.spool is not None and self.size is not None:
            room = self.size - self.received
            if room > 0:
                self.spool.write(data[:room])
        self.received += len(data)


@dataclass(slots=True)
class Received:
    """What one received message gives the application.

    Attributes:
        commands: the message's commands in order, each chunked object replaced by one
            ``LargeObject`` at the place of its last chunk (chunks with MoreData are not here).
        answers: the Statuses (213, 424, 413, 411) and Alerts (1225) to put in the reply, with
            CmdIDs "1", "2"... (renumber them into the reply, e.g. ``helpers.renumber``).
        more: an object is still open: unless the reply carries other commands, ask for the next
            message with Alert 1222 (OMA-TS-DM_Protocol 2.2).
    """

    commands: list[Command | LargeObject]
    answers: list[Answer]
    more: bool


class _Reply:
    """Answers for one message: CmdIDs counted from 1, MsgRef the message's MsgID."""

    def __init__(self, msg_ref: str) -> None:
        self.msg_ref = msg_ref
        self.answers: list[Answer] = []

    def status(self, command: Command, item: Item, code: int) -> None:
        self.answers.append(
            Status(
                cmd_id=str(len(self.answers) + 1),
                msg_ref=self.msg_ref,
                cmd_ref=command.cmd_id,
                cmd=command.XML_NAME,
                target_ref=(item.target.loc_uri,) if item.target is not None else (),
                source_ref=(item.source.loc_uri,) if item.source is not None else (),
                data=StatusCode(code),
            )
        )

    def no_end_of_data(self, pending: PendingObject) -> None:
        items: tuple[Item, ...] = getattr(pending.command, "items", ())
        original = items[-1]
        self.answers.append(
            Alert(
                cmd_id=str(len(self.answers) + 1),
                data=AlertCode.NO_END_OF_DATA,
                items=(Item(target=original.target, source=original.source),),
            )
        )


class Reassembler:
    """Feed received messages in order; get their commands with large objects reassembled.

    Example::

        receiver = Reassembler()
        got = receiver.feed(parse(body))  # got.commands, got.answers (213, 424, 1225...)

    The state between messages is ``pending`` (one ``PendingObject`` or None). Memory is bounded
    by one message's Data plus ``spool_threshold``; disk by ``max_obj_size``.
    """

    spool_threshold: int

    __slots__ = (
        "format",
        "max_obj_size",
        "peer_max_msg_size",
        "pending",
        "spool_dir",
        "spool_threshold",
    )

    def __init__(
        self,
        *,
        limits: Limits | None = None,
        max_obj_size: int | None = None,
        spool_threshold: int = SPOOL_THRESHOLD,
        format: WireFormat = "xml",
        spool_dir: str | None = None,
    ) -> None:
        """Create an empty reassembler.

        Args:
            limits: resource limits; an object may not exceed ``limits.max_bytes`` (when set)
                nor ``max_obj_size``.
            max_obj_size: the MaxObjSize we announced; a larger Size is answered 413.
            spool_threshold: bytes of one object kept in memory before spooling to disk.
            format: the wire format of our replies, in which an Atomic's Statuses must fit.
            spool_dir: a directory for named spool files: each object is written to its own
                file there from its first chunk (``spool_threshold`` is then unused), so that
                ``to_state`` can record the file instead of the bytes. None: an anonymous
                ``SpooledTemporaryFile`` per object.
        """
        lim = limits or DEFAULT_LIMITS
        bounds = [b for b in (max_obj_size, lim.max_bytes) if b is not None]
        self.max_obj_size: int | None = min(bounds) if bounds else None
        self.spool_threshold = spool_threshold
        self.pending: PendingObject | None = None
        self.format: WireFormat = format
        self.spool_dir = spool_dir
        #: the MaxMsgSize the peer announced last (it stays in force for the session)
        self.peer_max_msg_size: int | None = None

    def close(self) -> None:
        """Drop an open object (the session ended before its last chunk)."""
        if self.pending is not None:
            _discard(self.pending.spool, self.pending.path)
        self.pending = None

    def feed(self, message: SyncML) -> Received:
        """Take one received message (in order) and return its commands and the answers."""
        reply = _Reply(message.sync_hdr.msg_id)
        announced = message.sync_hdr.meta.max_msg_size if message.sync_hdr.meta else None
        self.peer_max_msg_size = parse_size(announced) or self.peer_max_msg_size
        out: list[Command | LargeObject] = []
        continuation = True  # the first data command of a message may continue the object
        for command in message.sync_body.commands:
            if isinstance(command, (Status, Alert)):  # not "new DM commands or new Items"
                out.append(command)
                continue
            items: tuple[Item, ...] = getattr(command, "items", ())
            pending = self.pending
            if pending is not None:
                if continuation and len(items) == 1 and _key(command, items[0]) == pending.key:
                    self._continue(pending, command, items[0], reply, out)
                    continuation = False
                    continue
                reply.no_end_of_data(pending)  # interrupted by a new command or Item
                self.close()
            continuation = False
            if isinstance(command, Atomic) and not self._atomic_fits(message, command):
                reply.status(command, Item(), StatusCode.ATOMIC_RESPONSE_TOO_LARGE)
            elif isinstance(command, (Atomic, SequenceCmd)) or not items or not items[-1].more_data:
                out.append(command)
            else:
                self._start(command, items[-1], reply)
        return Received(out, reply.answers, self.pending is not None)

    def _atomic_fits(self, message: SyncML, atomic: Atomic) -> bool:
        """Do the Atomic's Statuses fit in one reply within the peer's MaxMsgSize?

        Measured by packing the reply's minimal Statuses (code, MsgRef, CmdRef, Cmd; CmdIDs
        from 1) after a SyncHdr Status, with a header mirroring the request's.
        """
        if self.peer_max_msg_size is None:
            return True
        hdr = message.sync_hdr
        reply_hdr = dataclasses.replace(
            hdr,
            target=Target(loc_uri=hdr.source.loc_uri),
            source=Source(loc_uri=hdr.target.loc_uri),
            cred=None,
            meta=None,
        )
        members = [atomic, *_members(atomic)]
        statuses = [
            Status(
                cmd_id=str(i + 1),
                msg_ref=hdr.msg_id,
                cmd_ref="0" if c is None else c.cmd_id,
                cmd="SyncHdr" if c is None else c.XML_NAME,
                data=StatusCode.OK,
            )
            for i, c in enumerate([None, *members])
        ]
        try:
            packed = pack(
                reply_hdr, statuses, [], max_msg_size=self.peer_max_msg_size, format=self.format
            )
        except EncodeError:
            return False
        return len(packed) == 1

    def _start(self, command: Command, item: Item, reply: _Reply) -> None:
        meta = _effective_meta(command, item)
        stripped = dataclasses.replace(
            item, data=None, more_data=False, meta=_without_size(item.meta)
        )
        items: tuple[Item, ...] = getattr(command, "items", ())
        skeleton = with_items(command, (*items[:-1], stripped))
        size = parse_size(meta.size if meta is not None else None)
        pending = PendingObject(_key(command, item), skeleton, size)
        if size is None:
            pending.rejected = StatusCode.SIZE_REQUIRED
        elif self.max_obj_size is not None and size > self.max_obj_size:
            pending.rejected = StatusCode.REQUEST_ENTITY_TOO_LARGE
        else:
            pending.spool, pending.path = self._new_spool()
            pending.write(item.data or "")
        self.pending = pending
        reply.status(command, item, pending.rejected or StatusCode.CHUNKED_ITEM_ACCEPTED)

    def _continue(
        self,
        pending: PendingObject,
        command: Command,
        item: Item,
        reply: _Reply,
        out: list[Command | LargeObject],
    ) -> None:
        if pending.rejected is not None:
            reply.status(command, item, pending.rejected)
            if not item.more_data:
                self.close()
            return
        pending.write(item.data or "")
        if item.more_data:
            reply.status(command, item, StatusCode.CHUNKED_ITEM_ACCEPTED)
            return
        self.pending = None
        assert pending.spool is not None
        assert pending.size is not None
        if pending.received != pending.size:
            _discard(pending.spool, pending.path)
            reply.status(command, item, StatusCode.SIZE_MISMATCH)
            return
        out.append(LargeObject(pending.command, pending.size, pending.spool, pending.path))

    def _new_spool(self) -> tuple[IO[bytes], str | None]:
        """A spool for one object; closed by LargeObject.close, close() or a failed Size."""
        if self.spool_dir is None:
            return tempfile.SpooledTemporaryFile(max_size=self.spool_threshold), None
        fd, path = tempfile.mkstemp(prefix="syncml-object-", suffix=".spool", dir=self.spool_dir)
        return os.fdopen(fd, "w+b"), path

    def to_state(self) -> dict[str, Any]:
        """What the reassembler remembers between messages, as a JSON-able dict.

        The open object's spool goes in as the name of its file when ``spool_dir`` is set (the
        file stays where it is: the state is small whatever the object's size), else as its
        bytes in base64 (the whole spool is read: for objects below a few hundred KiB).

        The spool is handed off: a named spool file is closed (reopened by the next chunk),
        an anonymous spool becomes a ``BytesIO`` of its bytes, so that this reassembler can be
        dropped without a ``ResourceWarning`` once its state is stored.
        """
        pending = self.pending
        state: dict[str, Any] = {"peer_max_msg_size": self.peer_max_msg_size, "pending": None}
        if pending is None:
            return state
        spool: dict[str, Any] | None = None
        if pending.spool is not None:
            if pending.path is not None:
                pending.spool.close()
                spool = {"path": pending.path, "length": pending.spooled}
            else:
                pending.spool.seek(0)
                data = pending.spool.read()
                pending.spool.close()
                pending.spool = io.BytesIO(data)
                pending.spool.seek(0, os.SEEK_END)
                spool = {"inline": base64.b64encode(data).decode("ascii")}
        state["pending"] = {
            "key": list(pending.key),
            "command": serialize(pending.command).decode("utf-8"),
            "size": pending.size,
            "received": pending.received,
            "rejected": pending.rejected,
            "spool": spool,
        }
        return state

    @classmethod
    def from_state(
        cls,
        state: Mapping[str, Any],
        *,
        limits: Limits | None = None,
        max_obj_size: int | None = None,
        spool_threshold: int = SPOOL_THRESHOLD,
        format: WireFormat = "xml",
        spool_dir: str | None = None,
    ) -> Reassembler:
        """A reassembler from ``to_state()`` output (the options are given again).

        A named spool file must lie in ``spool_dir`` and hold at least the bytes recorded; it
        is cut back to them (a worker that wrote more and was lost is forgotten).

        Raises:
            DecodeError: the dict is not a reassembler state, or its spool file is missing.
        """
        receiver = cls(
            limits=limits,
            max_obj_size=max_obj_size,
            spool_threshold=spool_threshold,
            format=format,
            spool_dir=spool_dir,
        )
        receiver.peer_max_msg_size = _opt_int(state, "peer_max_msg_size")
        raw = state.get("pending")
        if raw is not None:
            receiver.pending = receiver._load_pending(_mapping(raw, "pending"))
        return receiver

    def _load_pending(self, raw: Mapping[str, Any]) -> PendingObject:
        key = raw.get("key")
        if not isinstance(key, list) or len(key) != 3 or not isinstance(key[0], str):
            raise DecodeError("reassembler state 'key' must be [command, target, source]")
        if not all(k is None or isinstance(k, str) for k in key[1:]):
            raise DecodeError("reassembler state 'key' must be [command, target, source]")
        text = raw.get("command")
        if not isinstance(text, str):
            raise DecodeError("reassembler state 'command' must be XML text")
        command = parse_fragment(text.encode("utf-8"), strict=True)
        if not isinstance(command, Command) or not getattr(command, "items", ()):
            raise DecodeError("reassembler state 'command' is not a command with an Item")
        pending = PendingObject(
            key=(key[0], key[1], key[2]),
            command=command,
            size=_opt_int(raw, "size"),
            received=_opt_int(raw, "received") or 0,
            rejected=_opt_int(raw, "rejected"),
        )
        spool = raw.get("spool")
        if spool is not None:
            if pending.size is None:
                raise DecodeError("reassembler state has a spool but no Size")
            pending.spool, pending.path = self._load_spool(_mapping(spool, "spool"), pending)
        return pending

    def _load_spool(
        self, raw: Mapping[str, Any], pending: PendingObject
    ) -> tuple[IO[bytes], str | None]:
        if "inline" in raw:
            try:
                data = base64.b64decode(str(raw["inline"]), validate=True)
            except binascii.Error:
                raise DecodeError("reassembler state 'spool.inline' is not base64") from None
            if len(data) != pending.spooled:
                raise DecodeError("reassembler state spool does not hold the bytes received")
            spool, path = self._new_spool()
            spool.write(data)
            return spool, path
        path, length = raw.get("path"), _opt_int(raw, "length")
        if not isinstance(path, str) or length != pending.spooled or self.spool_dir is None:
            raise DecodeError("reassembler state 'spool' must be {path, length} in spool_dir")
        real, home = os.path.realpath(path), os.path.realpath(self.spool_dir)
        if os.path.commonpath([real, home]) != home:
            raise DecodeError(f"reassembler spool file {path!r} is not in {self.spool_dir!r}")
        try:
            spool = open(real, "r+b")  # noqa: SIM115  # closed below, reopened by the next chunk
        except OSError as exc:
            raise DecodeError(f"reassembler spool file {path!r} cannot be opened: {exc}") from None
        with spool:
            if spool.seek(0, os.SEEK_END) < length:
                raise DecodeError(
                    f"reassembler spool file {path!r} holds fewer than {length} bytes"
                )
            spool.truncate(length)
        return spool, real


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise DecodeError(f"reassembler state {what!r} must be a dict")
    return value


def _opt_int(state: Mapping[str, Any], key: str) -> int | None:
    value = state.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DecodeError(f"reassembler state {key!r} must be a non-negative integer")
    return value


def _members(container: Atomic | SequenceCmd) -> Iterator[Command]:
    for member in container.commands:
        yield member
        if isinstance(member, (Atomic, SequenceCmd)):
            yield from _members(member)
