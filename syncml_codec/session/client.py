"""``ClientSession``: the device's side of one OMA DM session.

The client opens the session (package 1: Alert 1200/1201, the DevInfo Replace, generic alerts),
POSTs each message and feeds the HTTP response to ``receive`` ([MS-MDM] 2.1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from syncml_codec.codes import AlertCode, StatusCode
from syncml_codec.helpers.alerts import AlertItem, generic_alert
from syncml_codec.helpers.message import CmdIdAllocator
from syncml_codec.model import Alert, Command, Item, Replace, Source, Status, SyncHdr, SyncML

from . import _state
from ._engine import SessionCore
from ._large import object_events
from ._messages import control_alerts, header_status, management_commands
from .events import (
    AuthChallenged,
    CommandReceived,
    Event,
    Handle,
    MoreMessagesNeeded,
    WireFormat,
)
from .plugins import ClientAuthenticator, Clock, NoAuth, Packer

__all__ = ["ClientSession"]

_CHALLENGES = (StatusCode.INVALID_CREDENTIALS, StatusCode.MISSING_CREDENTIALS)


class ClientSession(SessionCore):
    """The client side of a session (a device, or a test double of one).

    Args:
        device_id: our SyncHdr Source LocURI (``./DevInfo/DevId``'s value).
        server_uri: the server's URI, our SyncHdr Target LocURI.
        session_id: the SessionID (at most 4 bytes; the notification's for 1200).
        authenticator: produces Cred and ``x-syncml-hmac`` (``NoAuth`` by default).
        format: our wire format (``xml`` by default; later messages follow the server's).
        packer: splits our packages into messages (``single_message_packer`` by default).
        clock: time source for ``timeout``.
        max_msg_size: our message budget until the server announces its MaxMsgSize.
        timeout: seconds without traffic after which ``expired`` is True, or None.
        default_status: the Status code of received commands not given one with ``respond``.
        announce_max_msg_size: the MaxMsgSize we accept, announced in our SyncHdr Meta (the
            peer's packer must honour it), or None.
        announce_max_obj_size: the MaxObjSize we accept, announced likewise; a larger object
            is answered 413.
        spool_dir: a directory for the spool files of large objects we receive: with it the
            state records each open object's file name (the state stays small); without it
            an object's bytes go into the state as base64 (for small objects).
    """

    peer_continues: bool

    ROLE: ClassVar[Literal["server", "client"]] = "client"
    # declared again with the base class's types: assigned in this class's methods too
    turn: bool
    queue: list[tuple[Handle | None, Command]]
    in_flight: list[tuple[Handle | None, Command]]

    def __init__(
        self,
        *,
        device_id: str,
        server_uri: str,
        session_id: str = "1",
        authenticator: ClientAuthenticator | None = None,
        format: WireFormat = "xml",
        packer: Packer | None = None,
        clock: Clock | None = None,
        max_msg_size: int = 65536,
        timeout: float | None = None,
        default_status: int = StatusCode.OK,
        announce_max_msg_size: int | None = None,
        announce_max_obj_size: int | None = None,
        spool_dir: str | None = None,
    ) -> None:
        super().__init__(
            session_id=session_id,
            local_uri=device_id,
            peer_uri=server_uri,
            format=format,
            packer=packer,
            clock=clock,
            max_msg_size=max_msg_size,
            timeout=timeout,
            default_status=default_status,
            announce_max_msg_size=announce_max_msg_size,
            announce_max_obj_size=announce_max_obj_size,
            spool_dir=spool_dir,
        )
        self._auth: ClientAuthenticator = authenticator or NoAuth()

    def start(
        self,
        *,
        alert: int | None = AlertCode.CLIENT_INITIATED_MGMT,
        dev_info: Mapping[str, str] | None = None,
        alerts: Sequence[AlertItem] = (),
    ) -> list[Handle]:
        """Queue package 1: the session Alert, the DevInfo Replace, then generic alerts.

        OMA-TS-DM_Protocol §8.3 "Package 1": Alert 1200 (after a notification) or 1201, and
        "Replace of DevInfo (one Item per node, with Source LocURI)". ``dev_info`` maps node
        names under ``./DevInfo/`` to values (``DevId`` defaults to ``device_id``); ``alert``
        None leaves the session Alert out (the Windows unenrollment package has none).
        """
        ids = CmdIdAllocator()  # CmdIDs are reassigned when the message is built
        nodes = {"DevId": self.local_uri or "", **(dev_info or {})}
        handles = []
        if alert is not None:
            handles.append(self.send(Alert(cmd_id=ids.next(), data=AlertCode(int(alert)))))
        items = tuple(
            Item(source=Source(loc_uri=f"./DevInfo/{name}"), data=value)
            for name, value in nodes.items()
        )
        handles.append(self.send(Replace(cmd_id=ids.next(), items=items)))
        handles.extend(self.send(generic_alert(a, ids=ids)) for a in alerts)
        return handles

    def to_state(self) -> dict[str, Any]:
        """The whole session as a JSON-able dict (versioned; see ``from_state``)."""
        return _state.dump(self)

    @classmethod
    def from_state(
        cls,
        state: Mapping[str, Any],
        *,
        authenticator: ClientAuthenticator | None = None,
        packer: Packer | None = None,
        clock: Clock | None = None,
    ) -> ClientSession:
        """Rebuild a session from ``to_state()`` output, checking every field.

        Raises:
            SessionStateError: the dict is not a client session state of this version.
        """
        session = cls(
            device_id="-", server_uri="-", authenticator=authenticator, packer=packer, clock=clock
        )
        _state.load(session, state)
        return session

    def _accept(self, msg: SyncML, headers: dict[str, str], body: bytes) -> list[Event]:
        self.received = msg
        self.turn = True
        hs = header_status(msg)
        if hs is not None and int(hs.data) in _CHALLENGES and hs.chal is not None:
            return [self._challenged(int(hs.data), hs)]
        if hs is not None and hs.chal is not None and 200 <= int(hs.data) < 300:
            self._auth.challenged(int(hs.data), hs.chal)  # 212/200: the next nonce
        if hs is not None and not 200 <= int(hs.data) < 300:
            self.received, self.turn = None, False
            return [self._finish("error", "peer", int(hs.data))]
        got = self._take_chunks(msg)
        n = int(msg.sync_hdr.msg_id)
        events: list[Event] = list(self._read_answers(got.view))
        events.extend(object_events(got, n, self.sent))
        commands = [c for c in management_commands(got.view) if not _is_control(c)]
        events.extend(CommandReceived(msg_id=n, cmd_id=c.cmd_id, command=c) for c in commands)
        chunked = any(not _is_control(c) for c in management_commands(msg))
        controls = control_alerts(msg)
        if AlertCode.SESSION_ABORT in controls:
            self.received, self.turn = None, False  # no reply to the server's abort
            events.append(self._finish("abort", "peer", None))
        elif not msg.sync_body.final and AlertCode.NEXT_MESSAGE not in controls:
            self.peer_continues = True
            events.append(MoreMessagesNeeded(msg_id=n))
        else:
            self.peer_continues = False
            if msg.sync_body.final and not chunked and not controls:
                # OMA-TS-DM_Protocol §8.3: the server's package holds no management command,
                # so our reply would hold only the SyncHdr Status: it MUST NOT be sent.
                self.received, self.turn = None, False
                events.append(self._finish("normal", "peer", None))
        return events

    def _challenged(self, code: int, hs: Status) -> AuthChallenged:
        """401/407 with Chal: take the nonce, resend what the challenged message carried."""
        self._auth.challenged(code, hs.chal)
        prefix = f"{self.out_msg_id}:"
        for key in [k for k in self.sent if k.startswith(prefix)]:
            del self.sent[key]
        self.queue = self.in_flight + self.queue
        self.in_flight = []
        return AuthChallenged(status=StatusCode(code), chal=hs.chal)

    def _sign_header(self, header: SyncHdr) -> SyncHdr:
        return self._auth.prepare(header)

    def _http_headers(self, header: SyncHdr, body: bytes) -> Mapping[str, str]:
        return self._auth.headers(header, body)


def _is_control(cmd: Any) -> bool:
    return (
        isinstance(cmd, Alert)
        and cmd.data is not None
        and int(cmd.data) in (AlertCode.NEXT_MESSAGE, AlertCode.SESSION_ABORT)
    )
