"""The session engine both roles share: the rules of OMA-TS-DM_Protocol §8, encoded once.

Strategy: sans-IO (h11). ``receive`` parses bytes into events and records what the next message
owes (the Statuses of the received message); ``send`` queues commands; ``next_message`` builds
exactly one message from that record and the queue, then waits for the peer. All state is in
plain attributes that ``_state`` turns into a JSON-able dict and back.

The rules and where they are enforced:

- SessionID fixed for the session; MsgID per sender from 1, +1 per message, checked on receive
  (a replay or a gap is a ``ProtocolViolation`` event; a replay of the message we last answered
  makes ``next_message`` resend our answer): [MS-MDM] 2.2.3.6, OMA-TS-DM_RepPro 4.1.1.
- CmdIDs unique per message and never 0 (one ``CmdIdAllocator`` per message); the SyncHdr
  Status first; one Status per received command in request order, Alerts included, none for
  Results or Status; Results after their Status: all by ``helpers.build_reply``
  (OMA-TS-DM_RepPro 4.1.5, 4.1.6.12; [MS-MDM] 2.2.6.1).
- Final only on a package's last message; Alert 1222 when the peer's package spans messages;
  a package with only Final (or Alert 1223) ends the session; the server answers every client
  package; the client never sends a message holding only a successful SyncHdr Status
  (OMA-TS-DM_Protocol §8.7 "Multiple messages in package", §8.3 "Session termination";
  [MS-MDM] 2.2.6.1).
- Large messages (OMA-TS-DM_Protocol §8.7 "Multiple messages in package", "Large object
  handling"): the packer cuts each package part to the peer's MaxMsgSize; only its first message
  goes out and the rest is re-packed after the peer's reply, so every SyncHdr Status answers the
  message it replies to; a large object's rest continues in the next message (``_large``). What
  we receive goes through a ``Reassembler`` (213 per chunk, 424, 1225, one ``LargeObject``).
  MaxMsgSize and MaxObjSize we accept are announced in our SyncHdr Meta.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from syncml_codec.codes import AlertCode, CommandName, StatusCode
from syncml_codec.errors import DecodeError, EncodeError
from syncml_codec.helpers.message import CmdIdAllocator, iter_commands, renumber
from syncml_codec.helpers.reply import build_reply, is_empty_reply
from syncml_codec.model import (
    Alert,
    Chal,
    Command,
    Get,
    Item,
    Results,
    Source,
    Status,
    SyncBody,
    SyncHdr,
    SyncML,
    Target,
)
from syncml_codec.packing import Reassembler
from syncml_codec.parse import parse
from syncml_codec.serialize import serialize

from ._large import Sorted, announce, begin_chunking, split_continuation, view_of
from ._messages import (
    CONTROL_ALERTS,
    alert_code,
    is_management,
    management_commands,
    positive,
    wire_format,
)
from .errors import ProtocolError, SessionStateError
from .events import (
    CommandOutcome,
    EndReason,
    Event,
    Handle,
    OutgoingMessage,
    ProtocolViolation,
    ResultsReceived,
    SessionEnded,
    WireFormat,
)
from .plugins import Clock, Packer, SystemClock, single_message_packer

__all__ = ["CONTENT_TYPES", "SessionCore", "wire_format"]

#: Content type per wire format ([MS-MDM] 2.1).
CONTENT_TYPES: Mapping[WireFormat, str] = {
    "xml": "application/vnd.syncml.dm+xml",
    "wbxml": "application/vnd.syncml.dm+wbxml",
}

#: Bytes of a received object kept in memory (and inline in ``to_state``) when no
#: ``spool_dir`` is given; past it the object spools to an anonymous temporary file.
SESSION_SPOOL_THRESHOLD = 256 * 1024


class SessionCore:
    """State and rules shared by ``ServerSession`` and ``ClientSession`` (not public)."""

    default_status: int
    in_msg_id: int
    out_msg_id: int
    turn: bool
    hdr_status: int
    only_statuses: bool
    aborting: bool
    resend: bool
    next_handle: int
    last_activity: float

    ROLE: ClassVar[Literal["server", "client"]]

    def __init__(
        self,
        *,
        session_id: str | None,
        local_uri: str | None,
        peer_uri: str | None,
        format: WireFormat | None,
        packer: Packer | None,
        clock: Clock | None,
        max_msg_size: int,
        timeout: float | None,
        default_status: int,
        announce_max_msg_size: int | None = None,
        announce_max_obj_size: int | None = None,
        spool_dir: str | None = None,
    ) -> None:
        self._packer: Packer = packer or single_message_packer
        self._clock: Clock = clock or SystemClock()
        self.session_id: str | None = session_id
        self.local_uri: str | None = local_uri
        self.peer_uri: str | None = peer_uri
        self.format: WireFormat | None = format
        self.max_msg_size = max_msg_size
        self.timeout = timeout
        self.default_status = int(default_status)
        self.in_msg_id = 0
        self.out_msg_id = 0
        self.phase: Literal["open", "ended"] = "open"
        self.end: SessionEnded | None = None
        self.turn = self.ROLE == "client"
        self.received: SyncML | None = None
        self.responses: dict[str, tuple[int, tuple[Item, ...]]] = {}
        self.hdr_status = int(StatusCode.OK)
        self.hdr_chal: Chal | None = None
        self.only_statuses = False
        self.queue: list[tuple[Handle | None, Command]] = []
        self.carry: list[Command] = []
        self.in_flight: list[tuple[Handle | None, Command]] = []
        self.sent: dict[str, tuple[Handle | None, str, bool]] = {}
        self.peer_continues = False
        self.aborting = False
        self.last_out: OutgoingMessage | None = None
        self.resend = False
        self.next_handle = 1
        self.peer_max_msg_size: int | None = None
        self.peer_max_obj_size: int | None = None
        self.last_activity = self._clock.now()
        self.announce_max_msg_size = announce_max_msg_size
        self.announce_max_obj_size = announce_max_obj_size
        self.spool_dir = spool_dir
        self.continuation: Literal["carry", "queue"] | None = None
        self.extra: list[Status] = []
        self.alerts: list[Alert] = []
        self.reassembler = self.new_reassembler()

    def new_reassembler(self, state: Mapping[str, Any] | None = None) -> Reassembler:
        """The reassembler for what we receive: fresh, or from its ``to_state()`` dict."""
        options: dict[str, Any] = {
            "max_obj_size": self.announce_max_obj_size,
            "spool_threshold": SESSION_SPOOL_THRESHOLD,
            "format": self.format or "xml",
            "spool_dir": self.spool_dir,
        }
        if state is None:
            return Reassembler(**options)
        return Reassembler.from_state(state, **options)

    # --- public surface shared by both roles ---------------------------------------------

    @property
    def ended(self) -> bool:
        """True once the session is over (a last owed reply may still come from next_message)."""
        return self.phase == "ended"

    @property
    def expired(self) -> bool:
        """True when ``timeout`` seconds passed since the last message in or out (the clock)."""
        return self.timeout is not None and self._clock.now() - self.last_activity > self.timeout

    @property
    def pending(self) -> int:
        """How many queued commands have not gone out yet."""
        return len(self.queue)

    def send(self, command: Command) -> Handle:
        """Queue ``command`` for our next package; return its handle.

        The CmdID is assigned when the message is built (unique in its message, never 0).

        Raises:
            SessionStateError: the session is over, or the command is a Status or Results
                (answers are built by the engine; use ``respond``).
        """
        if self.phase == "ended" or self.aborting:
            raise SessionStateError("the session is over (or aborting): nothing more can be sent")
        if not is_management(command):
            raise SessionStateError(
                f"{type(command).XML_NAME} is an answer; the engine writes answers (use respond)"
            )
        handle = Handle(self.next_handle)
        self.next_handle += 1
        self.queue.append((handle, command))
        return handle

    def respond(self, cmd_id: str, status: int = StatusCode.OK, items: Sequence[Item] = ()) -> None:
        """Set the Status code (and, for a Get, the Results Items) for a received command.

        Commands not answered this way get ``default_status`` (200). Members of Atomic and
        Sequence are addressed by their own CmdID; a failed member turns the Atomic into 507
        and its other members into 216 (OMA-TS-DM_RepPro 4.1.6.3).

        Raises:
            SessionStateError: no received message is waiting for an answer, or it has no
                command with that CmdID.
        """
        if self.received is None:
            raise SessionStateError("no received message is waiting for an answer")
        if not any(c.cmd_id == cmd_id for c in iter_commands(self.received)):
            raise SessionStateError(f"the received message has no command with CmdID {cmd_id!r}")
        self.responses[cmd_id] = (int(status), tuple(items))

    def abort(self) -> None:
        """End the session with Alert 1223 in our next message (with pending Statuses, Final).

        OMA-TS-DM_Protocol §8.3: "the sender may include pending Status and Results and must
        include Final". Queued commands are dropped.
        """
        if self.phase == "ended":
            raise SessionStateError("the session is already over")
        self.aborting = True

    def last_message(self) -> OutgoingMessage | None:
        """The message we sent last (to send it again after a transport loss), or None."""
        return self.last_out

    def next_message(self) -> OutgoingMessage | None:
        """Build our next message, or return None when nothing must be sent (session over).

        Raises:
            SessionStateError: it is the peer's turn (we wait for its message).
            EncodeError: a queued command cannot be written, or the packer broke its contract.
        """
        if self.resend and self.last_out is not None:
            self.resend = False
            return self.last_out
        if self.phase == "ended" and self.received is None:
            return None
        if not self.turn:
            raise SessionStateError("it is the peer's turn: feed its message to receive() first")
        self.last_activity = self._clock.now()
        return self._build()

    # --- receiving -----------------------------------------------------------------------

    def receive(
        self,
        data: bytes,
        *,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> list[Event]:
        """Read one message from the peer and return what happened, in order.

        A replayed or skipped MsgID, a message out of turn or after the end is a
        ``ProtocolViolation`` event and the message is not processed.

        Raises:
            ProtocolError: the bytes are no SyncML message, the SessionID is not the session's,
                or the MsgID is not a number (``status`` is the code to answer with).
        """
        fmt = wire_format(data, content_type)
        try:
            msg = parse(data, format=fmt)
        except DecodeError as exc:
            raise ProtocolError(f"unreadable SyncML message: {exc}") from exc
        n = self._check_header(msg.sync_hdr)
        violation = self._sequence_violation(n)
        if violation is not None:
            return [violation]
        self.in_msg_id = n
        self.last_activity = self._clock.now()
        if self.format is None:
            self.format = fmt
        self._read_meta(msg.sync_hdr)
        if self.phase == "ended":
            return self._read_answers(msg)  # the reply to our last message: outcomes only
        return self._accept(msg, dict(headers or {}), data)

    def _check_header(self, hdr: SyncHdr) -> int:
        if self.session_id is not None and hdr.session_id != self.session_id:
            raise ProtocolError(
                f"SessionID {hdr.session_id!r} is not this session's {self.session_id!r}"
                " (OMA-TS-DM_Protocol §8.1: the same SessionID in every message)"
            )
        return positive(hdr.msg_id, "MsgID")

    def _sequence_violation(self, n: int) -> ProtocolViolation | None:
        bad = StatusCode.BAD_REQUEST
        if n <= self.in_msg_id:
            if self.ROLE == "server" and n == self.in_msg_id and self.last_out and not self.turn:
                self.resend = True  # our answer was lost: the client POSTed the request again
            return ProtocolViolation(
                kind="replayed-msg-id",
                status=bad,
                message=f"MsgID {n} was received before (last was {self.in_msg_id})",
            )
        if n != self.in_msg_id + 1:
            return ProtocolViolation(
                kind="msg-id-gap",
                status=bad,
                message=f"MsgID {n} skips {self.in_msg_id + 1} (MsgIDs increase by 1)",
            )
        if self.phase == "ended" and self.last_out is None:
            return ProtocolViolation(kind="after-end", status=bad, message="session is over")
        if self.turn and self.phase == "open":
            return ProtocolViolation(
                kind="out-of-turn",
                status=bad,
                message=f"MsgID {n} arrived before we answered MsgID {self.in_msg_id}",
            )
        return None

    def _read_meta(self, hdr: SyncHdr) -> None:
        meta = hdr.meta
        if meta is None:
            return
        for name in ("max_msg_size", "max_obj_size"):
            text = getattr(meta, name)
            if text is not None and text.strip().isdigit():
                setattr(self, f"peer_{name}", int(text.strip()))

    def _accept(self, msg: SyncML, headers: dict[str, str], body: bytes) -> list[Event]:
        """Process a message in sequence (role hooks decide auth and the role's events)."""
        raise NotImplementedError

    def _read_answers(self, msg: SyncML) -> list[Event]:
        """Outcome events for the Statuses and Results in ``msg`` (SyncHdr Status excluded)."""
        out: list[Event] = []
        results: dict[str, list[Item]] = {}
        statused: set[str] = set()
        body = msg.sync_body.commands
        for cmd in body:
            if isinstance(cmd, Results):
                key = f"{cmd.msg_ref or '1'}:{cmd.cmd_ref}"  # [MS-MDM] 2.2.7.8: no MsgRef = 1
                results.setdefault(key, []).extend(cmd.items)
        for cmd in body:
            if isinstance(cmd, Status) and cmd.cmd_ref != "0":
                key = f"{cmd.msg_ref}:{cmd.cmd_ref}"
                statused.add(key)
                out.extend(self._outcome(key, cmd, tuple(results.get(key, ()))))
        for key, items in results.items():
            if key not in statused:
                out.extend(self._late_results(key, tuple(items)))
        return out

    def _outcome(self, key: str, status: Status, items: tuple[Item, ...]) -> list[Event]:
        entry = self.sent.get(key)
        if int(status.data) == StatusCode.CHUNKED_ITEM_ACCEPTED:
            # [DMPRO] §2.2: a chunk was buffered; the object goes on in our next message, and
            # the command's outcome is the Status of its last chunk. (A chunk of our Results
            # was never recorded as sent: Results get no Status of their own.)
            self.sent.pop(key, None)
            return []
        if entry is None:
            return [
                ProtocolViolation(
                    kind="unmatched-status",
                    status=StatusCode.BAD_REQUEST,
                    message=f"Status for MsgRef/CmdRef {key} answers no command we sent",
                )
            ]
        handle, name, _ = entry
        if handle is not None and self.continuation == "queue" and self.queue[0][0] == handle:
            self.queue.pop(0)  # the peer refused the object mid-way: its rest is not sent
            self.continuation = None
        if name == CommandName.GET.value and not items and int(status.data) == StatusCode.OK:
            self.sent[key] = (handle, name, True)  # Results may follow in a later message
        else:
            del self.sent[key]
        if handle is None:
            return []
        msg_id, cmd_id = key.split(":", 1)
        return [
            CommandOutcome(
                handle=handle,
                cmd=name,
                msg_id=int(msg_id),
                cmd_id=cmd_id,
                status=StatusCode(int(status.data)),
                items=items,
            )
        ]

    def _late_results(self, key: str, items: tuple[Item, ...]) -> list[Event]:
        entry = self.sent.get(key)
        if entry is None or not entry[2]:
            return [
                ProtocolViolation(
                    kind="unmatched-status",
                    status=StatusCode.BAD_REQUEST,
                    message=f"Results for MsgRef/CmdRef {key} answer no Get we sent",
                )
            ]
        del self.sent[key]
        handle = entry[0]
        if handle is None:
            return []
        msg_id, cmd_id = key.split(":", 1)
        return [ResultsReceived(handle=handle, msg_id=int(msg_id), cmd_id=cmd_id, items=items)]

    def _take_chunks(self, msg: SyncML) -> Sorted:
        """Feed ``msg`` to the reassembler; record the codes, Statuses and Alerts it owes."""
        self.reassembler.format = self.format or "xml"
        got = view_of(msg, self.reassembler.feed(msg))
        for cmd_id, code in got.codes.items():
            self.responses[cmd_id] = (code, ())
        self.extra.extend(got.extra)
        self.alerts.extend(got.alerts)
        return got

    def _finish(
        self, reason: EndReason, by: Literal["local", "peer"], status: int | None
    ) -> SessionEnded:
        event = SessionEnded(
            reason=reason, by=by, status=StatusCode(status) if status is not None else None
        )
        self.phase = "ended"
        self.end = event
        self.reassembler.close()  # an object still open is dropped with its spool file
        return event

    # --- building ------------------------------------------------------------------------

    def _status_for(self, cmd: Command) -> int:
        if self.only_statuses:
            return self.hdr_status
        answer = self.responses.get(cmd.cmd_id)
        return answer[0] if answer is not None else self.default_status

    def _results_for(self, get: Get) -> Sequence[Item] | None:
        if self.only_statuses:
            return None
        answer = self.responses.get(get.cmd_id)
        if answer is None or not answer[1] or answer[0] != StatusCode.OK:
            return None
        return answer[1]

    def _answers(self, ids: CmdIdAllocator, msg_id: int) -> tuple[SyncHdr, list[Command]]:
        """Our header and the Statuses (and Results) we owe, SyncHdr Status first."""
        if self.received is None:
            if self.session_id is None or self.local_uri is None or self.peer_uri is None:
                raise SessionStateError("no message to answer and no session to start")
            if not self.queue and not self.aborting:
                raise SessionStateError("nothing to send: queue package 1 first (start, send)")
            header = SyncHdr(
                session_id=self.session_id,
                msg_id=str(msg_id),
                target=Target(loc_uri=self.peer_uri),
                source=Source(loc_uri=self.local_uri),
            )
            pending: list[Command] = [*self.carry, *self.extra]
            pending.extend(self.alerts)
            return header, [renumber(c, ids) for c in pending]
        reply = build_reply(
            self.received,
            msg_id=str(msg_id),
            statuses=self._status_for,
            results=self._results_for,
            header_status=self.hdr_status,
            chal=self.hdr_chal,
            ids=ids,
        )
        # Statuses (the SyncHdr's, then those held back from earlier messages, then this
        # reply's and the reassembler's 213s), then Results: held-back ones first, so that
        # the rest of a large object goes on before any new one ([DMPRO] §2.2: "A new data
        # object MUST NOT be added ... until the previous data object has been completed"),
        # each Results still after its own Status (OMA-TS-DM_RepPro 4.1.6.12); then our
        # Alerts 1225. Statuses first also keeps a large Results from holding any back.
        owed = list(reply.sync_body.commands)
        carried = [renumber(c, ids) for c in self.carry]
        extra = [renumber(c, ids) for c in self.extra]
        alerts = [renumber(c, ids) for c in self.alerts]
        answers = owed[:1] + carried + owed[1:] + extra
        ordered = sorted(answers, key=lambda c: isinstance(c, Results))
        return reply.sync_hdr, [*ordered, *alerts]

    def _control(self, code: AlertCode, ids: CmdIdAllocator) -> tuple[Handle | None, Command]:
        return None, Alert(cmd_id=ids.next(), data=code)

    def _plan(self, ids: CmdIdAllocator) -> tuple[list[tuple[Handle | None, Command]], bool]:
        """The commands for this message and whether they go through the packer."""
        if self.phase == "ended" or self.only_statuses:
            return [], False
        if self.peer_continues:
            return [self._control(AlertCode.NEXT_MESSAGE, ids)], False
        if self.aborting:
            return [self._control(AlertCode.SESSION_ABORT, ids)], False
        return [(h, renumber(c, ids)) for h, c in self.queue], True

    def _pack(
        self,
        header: SyncHdr,
        statuses: list[Command],
        planned: list[tuple[Handle | None, Command]],
    ) -> tuple[list[Command], list[tuple[Handle | None, Command]]]:
        """Run the packer; return the first message's body and the commands it sent."""
        fmt: WireFormat = self.format or "xml"
        messages = self._packer(
            header,
            statuses,
            [c for _, c in planned],
            max_msg_size=self.peer_max_msg_size or self.max_msg_size,
            max_obj_size=self.peer_max_obj_size,
            format=fmt,
        )
        if not messages:
            raise EncodeError("the packer returned no message (it must return at least one)")
        body = list(messages[0].sync_body.commands)
        sent_ids = [c.cmd_id for c in body]
        known = {c.cmd_id for c in statuses} | {c.cmd_id for _, c in planned}
        if len(set(sent_ids)) != len(sent_ids) or not set(sent_ids) <= known:
            raise EncodeError("the packer must keep the CmdIDs it was given (Packer contract)")
        consumed = [(h, c) for h, c in planned if c.cmd_id in set(sent_ids)]
        if consumed != planned[: len(consumed)]:
            raise EncodeError("the packer must send commands in order (Packer contract)")
        self.carry = [s for s in statuses if s.cmd_id not in set(sent_ids)]
        return body, consumed

    def _packed(
        self, header: SyncHdr, statuses: list[Command], planned: list[tuple[Handle | None, Command]]
    ) -> tuple[list[Command], list[tuple[Handle | None, Command]]]:
        """The first packed message's body; the rest (and a large object's rest) waits."""
        body, sent = self._pack(header, statuses, planned)
        if (self.carry or planned) and self._stalled(body):
            # The next message would owe the same Statuses and the packer would again move
            # the head entry whole to a later message: cut it into chunks from here.
            statuses, planned = self._force_head(statuses, planned)
            body, sent = self._pack(header, statuses, planned)
            if self._stalled(body):
                raise EncodeError(
                    f"MaxMsgSize {self.peer_max_msg_size or self.max_msg_size} leaves no room"
                    " for one chunk of the next object after the Statuses each message owes"
                    " (OMA-TS-DM_Protocol §8.7)"
                )
        self.queue = self.queue[len(sent) :]
        split = split_continuation(body, statuses, [c for _, c in planned])
        self.continuation = None
        if split is not None:
            where, index, rest = split
            if where == "carry":
                self.carry.insert(0, rest)
            else:
                self.queue.insert(0, (planned[index][0], rest))
            self.continuation = where
        return body, sent

    def _stalled(self, body: list[Command]) -> bool:
        """``body`` holds only this reply's Statuses, and the reply answers only 1222/1223."""
        received = self.received
        if received is None or not self._only_controls_received():
            return False
        ref = received.sync_hdr.msg_id
        return all(isinstance(c, Status) and c.msg_ref == ref for c in body)

    def _force_head(
        self, statuses: list[Command], planned: list[tuple[Handle | None, Command]]
    ) -> tuple[list[Command], list[tuple[Handle | None, Command]]]:
        """The first entry that did not go out, marked to be cut into chunks from here."""
        head = self.carry[0] if self.carry else planned[0][1]
        forced = begin_chunking(head)
        if forced is None:
            raise EncodeError(
                f"MaxMsgSize {self.peer_max_msg_size or self.max_msg_size} leaves no room for"
                f" the next {type(head).XML_NAME} after the Statuses each message owes, and it"
                " cannot be cut into chunks (OMA-TS-DM_Protocol §8.7)"
            )
        if self.carry:
            return [forced if c is head else c for c in statuses], planned
        return statuses, [(planned[0][0], forced), *planned[1:]]

    def _only_controls_received(self) -> bool:
        """The message we answer holds no command but Alert 1222/1223 (or nothing)."""
        received = self.received
        return received is None or all(
            alert_code(c) in CONTROL_ALERTS for c in management_commands(received)
        )

    def _build(self) -> OutgoingMessage | None:
        ids = CmdIdAllocator()
        msg_id = self.out_msg_id + 1
        header, statuses = self._answers(ids, msg_id)
        header = announce(
            self._sign_header(header), self.announce_max_msg_size, self.announce_max_obj_size
        )
        planned, packed = self._plan(ids)
        if packed:
            body, sent = self._packed(header, statuses, planned)
        elif self.peer_continues and planned:
            # the "Next Message" reply: Alert 1222 right after the SyncHdr Status, so that it
            # is in this message whatever the packer must hold back of our Statuses/Results
            alert = [c for _, c in planned]
            body, _ = self._packed(header, [*statuses[:1], *alert, *statuses[1:]], [])
            sent = planned
        else:
            body, sent, self.carry = [*statuses, *(c for _, c in planned)], planned, []
        final = not (self.peer_continues and self.phase == "open") and not self.queue
        final = final and not self.carry
        if self.aborting or self.phase == "ended":
            final = True
        message = SyncML(sync_hdr=header, sync_body=SyncBody(commands=tuple(body), final=final))
        if self.ROLE == "client" and is_empty_reply(message) and not self.aborting:
            # [MS-MDM] 2.2.6.1 / OMA-TS-DM_Protocol §8.3: this message MUST NOT be sent.
            self.received = None
            self._finish("normal", "local", None)
            return None
        return self._emit(message, sent)

    def _emit(self, message: SyncML, sent: list[tuple[Handle | None, Command]]) -> OutgoingMessage:
        header = message.sync_hdr  # signed before packing: the packer measured it
        fmt: WireFormat = self.format or "xml"
        body = serialize(message, format=fmt)
        headers = {"Content-Type": CONTENT_TYPES[fmt], **self._http_headers(header, body)}
        msg_id = int(header.msg_id)
        for handle, cmd in sent:
            for member in iter_commands(cmd):
                self.sent[f"{msg_id}:{member.cmd_id}"] = (handle, type(member).XML_NAME, False)
        for cmd in message.sync_body.commands:
            if isinstance(cmd, Alert):  # our Alerts 1225 (from the reassembler) get a Status
                self.sent.setdefault(f"{msg_id}:{cmd.cmd_id}", (None, Alert.XML_NAME, False))
        self.extra, self.alerts = [], []
        self.in_flight = [(h, c) for h, c in sent if h is not None]
        self.out_msg_id = msg_id
        self._after_send(message)
        self.received = None
        self.responses = {}
        self.hdr_status, self.hdr_chal, self.only_statuses = int(StatusCode.OK), None, False
        self.turn = False
        out = OutgoingMessage(
            body=body,
            content_type=CONTENT_TYPES[fmt],
            headers=headers,
            msg_id=msg_id,
            final=message.sync_body.final,
        )
        self.last_out = out
        return out

    def _after_send(self, message: SyncML) -> None:
        """Role hook: end the session after the message that ends it."""
        if self.aborting and self.phase == "open":
            self._finish("abort", "local", None)

    def _sign_header(self, header: SyncHdr) -> SyncHdr:
        """Role hook: the client adds its Cred."""
        return header

    def _http_headers(self, header: SyncHdr, body: bytes) -> Mapping[str, str]:
        """Role hook: the client adds ``x-syncml-hmac``."""
        return {}
