"""Typed, frozen events that ``receive`` returns, and the outgoing message ``next_message`` gives.

One class per thing that happened (h11 ``_events``): the application matches on the class.
A ``Handle`` is the number ``send`` returned for a command; outcomes carry it back, correlated
across messages by MsgRef/CmdRef (OMA-TS-DM_RepPro 4.1.5; [MS-MDM] 2.2.6.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, NewType, TypeAlias

from syncml_codec.codes import AlertCode, StatusCode
from syncml_codec.helpers.alerts import GenericAlert
from syncml_codec.model import Alert, Chal, Command, Item
from syncml_codec.packing import LargeObject

__all__ = [
    "AuthChallenged",
    "AuthFailed",
    "ClientAlert",
    "CommandOutcome",
    "CommandReceived",
    "EndReason",
    "Event",
    "Handle",
    "LargeObjectDropped",
    "LargeObjectReceived",
    "MoreMessagesNeeded",
    "OutgoingMessage",
    "ProtocolViolation",
    "ResultsReceived",
    "SessionEnded",
    "SessionStarted",
    "UnenrollmentRequested",
    "WireFormat",
]

#: The number ``send`` returns for a queued command (unique within the session).
Handle = NewType("Handle", int)

#: The two encodings of [MS-MDM] 2.1: ``application/vnd.syncml.dm+xml`` or ``+wbxml``.
WireFormat: TypeAlias = Literal["xml", "wbxml"]

#: How a session ended: ``normal`` (a package with no commands), ``abort`` (Alert 1223) or
#: ``error`` (a failure Status on the SyncHdr, or a rejected authentication).
EndReason: TypeAlias = Literal["normal", "abort", "error"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionStarted:
    """The server received package 1 (OMA-TS-DM_Protocol §8.3 "Package 1").

    Attributes:
        session_id: the SessionID the client chose.
        device_id: the client's SyncHdr Source LocURI.
        server_uri: the SyncHdr Target LocURI the client addressed.
        alert: 1200 (server-initiated) or 1201 (client-initiated), or None when package 1 had
            neither (the published Windows unenrollment package has none).
        dev_info: the DevInfo Replace Items, ``./DevInfo/<name>`` -> Data.
        generic_alerts: every 1224/1226 Item of package 1.
    """

    session_id: str
    device_id: str
    server_uri: str
    alert: AlertCode | None
    dev_info: Mapping[str, str] = field(default_factory=dict)
    generic_alerts: tuple[GenericAlert, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class UnenrollmentRequested:
    """The device announced a user-initiated unenrollment (1226, [MS-MDM] / Learn "Unenrollment").

    Attributes:
        alert: the matching generic alert (``find_unenrollment_request``).
        probable: True when the alert had no Type (Windows 1803-2004 sent an empty Meta).
    """

    alert: GenericAlert
    probable: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandReceived:
    """The peer sent a command that we answer with a Status (``respond`` sets its code).

    Attributes:
        msg_id: the MsgID of the message that carried it.
        cmd_id: its CmdID (the key for ``respond``).
        command: the command itself.
    """

    msg_id: int
    cmd_id: str
    command: Command


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientAlert:
    """The client sent an Alert other than the session alerts (1200/1201/1222/1223).

    Attributes:
        msg_id: the MsgID of the message that carried it.
        cmd_id: its CmdID (the key for ``respond``).
        alert: the Alert command.
        generic: its Items as generic-alert records (1224/1226), else empty.
    """

    msg_id: int
    cmd_id: str
    alert: Alert
    generic: tuple[GenericAlert, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CommandOutcome:
    """The peer's Status for a command we sent, with the Results of the same message.

    Attributes:
        handle: what ``send`` returned (the container's handle for an Atomic/Sequence member).
        cmd: the command's element name (``Get``, ``Exec``...).
        msg_id: the MsgID of our message that carried the command.
        cmd_id: its CmdID in that message.
        status: the Status code.
        items: the Items of the Results for it that came in the same message.
    """

    handle: Handle
    cmd: str
    msg_id: int
    cmd_id: str
    status: StatusCode
    items: tuple[Item, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultsReceived:
    """Results for a command whose Status came in an earlier message."""

    handle: Handle
    msg_id: int
    cmd_id: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MoreMessagesNeeded:
    """The peer's package spans messages: our next message asks for more with Alert 1222.

    OMA-TS-DM_Protocol §8.7 ("Multiple messages in package").
    """

    msg_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthChallenged:
    """(Client) the server answered our SyncHdr with 401/407 and a Chal; the package is resent.

    OMA-TS-DM_Security §5.3; OMA-TS-DM_Protocol §8.4 (authentication).
    """

    status: StatusCode
    chal: Chal | None


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthFailed:
    """(Server) the authenticator did not accept the message: it is answered with ``status``."""

    status: StatusCode
    challenged: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionEnded:
    """The session is over (``next_message`` returns None from now on, or one last reply).

    Attributes:
        reason: ``normal``, ``abort`` (Alert 1223) or ``error``.
        by: ``peer`` when the received message ended it, ``local`` when we did.
        status: the failure Status code for ``error``, else None.
    """

    reason: EndReason
    by: Literal["local", "peer"]
    status: StatusCode | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProtocolViolation:
    """The peer broke a rule; the message was not processed (a replay, a MsgID gap...).

    Attributes:
        kind: ``replayed-msg-id``, ``msg-id-gap``, ``unmatched-status``, ``out-of-turn`` or
            ``after-end``.
        status: the Status code that describes it (400 for all of these).
        message: what happened, for a log.
    """

    kind: str
    status: StatusCode
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LargeObjectReceived:
    """The last chunk of a large object arrived and its Size matched ([DMPRO] §2.2).

    The application gets the object once, as the packing module's ``LargeObject`` (the
    command without its Data, the Data in a spool: ``open()``, ``iter_decoded()``,
    ``to_command()``); it must ``close()`` it (that deletes a spool file).

    Attributes:
        msg_id: the MsgID of the message with the last chunk.
        cmd_id: the last chunk's CmdID: ``respond(cmd_id, ...)`` answers the whole command
            (default 200). For Results there is nothing to answer.
        object: the reassembled Item and its command.
        handle: for Results, the handle of the Get they answer (its ``CommandOutcome`` came
            with the first chunk); None for a command the peer sent.
    """

    msg_id: int
    cmd_id: str
    object: LargeObject
    handle: Handle | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LargeObjectDropped:
    """A large object the peer sent was refused or broken, and is not handed out.

    Attributes:
        msg_id: the MsgID of the message where it happened.
        cmd_id: the chunk's CmdID, or None for an interruption (its chunks came earlier).
        code: what our reply says: 424 (Size mismatch), 413 (over our MaxObjSize), 411 (no
            Size), 517 (an Atomic whose Statuses fit in no message), or 1225 (Alert: a new
            command or Item came before the last chunk).
    """

    msg_id: int
    cmd_id: str | None
    code: int


#: Everything ``receive`` can return.
Event: TypeAlias = (
    SessionStarted
    | UnenrollmentRequested
    | CommandReceived
    | ClientAlert
    | CommandOutcome
    | ResultsReceived
    | MoreMessagesNeeded
    | AuthChallenged
    | AuthFailed
    | SessionEnded
    | ProtocolViolation
    | LargeObjectReceived
    | LargeObjectDropped
)


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingMessage:
    """A message to put on the wire: POST it (client) or return it as the response (server).

    Attributes:
        body: the exact bytes to send (sign these, never a re-serialization).
        content_type: ``application/vnd.syncml.dm+xml`` or ``+wbxml`` ([MS-MDM] 2.1).
        headers: HTTP headers to add (``Content-Type``, and ``x-syncml-hmac`` from an
            authenticator).
        msg_id: its MsgID.
        final: whether it closes our package.
    """

    body: bytes
    content_type: str
    headers: Mapping[str, str]
    msg_id: int
    final: bool
