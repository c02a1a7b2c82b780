"""``ServerSession``: the management server's side of one OMA DM session.

A web handler creates one for package 1 (or loads it with ``from_state``), feeds the request
body to ``receive``, queues commands with ``send``, returns ``next_message().body`` as the HTTP
response and stores ``to_state()`` for the next POST ([MS-MDM] 2.1: every client message is
an HTTP POST and the server's message comes back in its response).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from syncml_codec.codes import AlertCode, StatusCode
from syncml_codec.diagnostics import Diagnostic
from syncml_codec.errors import DecodeError
from syncml_codec.helpers.alerts import read_generic_alerts
from syncml_codec.helpers.unenroll import find_unenrollment_request
from syncml_codec.model import Alert, Chal, Command, Replace, SyncML
from syncml_codec.parse import parse

from . import _state
from ._engine import SessionCore
from ._large import object_events
from ._messages import control_alerts, header_status, management_commands, wire_format
from .errors import ProtocolError
from .events import (
    AuthFailed,
    ClientAlert,
    CommandReceived,
    Event,
    MoreMessagesNeeded,
    SessionStarted,
    UnenrollmentRequested,
    WireFormat,
)
from .plugins import Clock, NoAuth, Packer, ServerAuthenticator

__all__ = ["ServerSession"]

_SESSION_ALERTS = (AlertCode.SERVER_INITIATED_MGMT, AlertCode.CLIENT_INITIATED_MGMT)
_DEVINFO = "./DevInfo/"


def _is_devinfo(cmd: Command) -> bool:
    return isinstance(cmd, Replace) and any(
        i.source is not None and i.source.loc_uri.startswith(_DEVINFO) for i in cmd.items
    )


def _session_alert(cmd: Command) -> bool:
    return isinstance(cmd, Alert) and cmd.data is not None and int(cmd.data) in _SESSION_ALERTS


class ServerSession(SessionCore):
    """The server side of a session: answers every client package (OMA-TS-DM_Protocol §8.3).

    Args:
        authenticator: decides accept / challenge / reject for each received message
            (``NoAuth`` by default).
        format: force the wire format; by default ours follows the client's.
        packer: splits our packages into messages (``single_message_packer`` by default).
        clock: time source for ``timeout`` (``SystemClock`` by default).
        max_msg_size: our message budget until the client announces its MaxMsgSize.
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

    started: bool
    package1: bool
    peer_continues: bool

    ROLE: ClassVar[Literal["server", "client"]] = "server"
    # declared again with the base class's types: assigned in this class's methods too
    session_id: str | None
    peer_uri: str | None
    local_uri: str | None
    received: SyncML | None
    hdr_status: int
    hdr_chal: Chal | None

    def __init__(
        self,
        *,
        authenticator: ServerAuthenticator | None = None,
        format: WireFormat | None = None,
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
            session_id=None,
            local_uri=None,
            peer_uri=None,
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
        self._auth: ServerAuthenticator = authenticator or NoAuth()
        self.started = False
        self.package1 = True

    @staticmethod
    def identify(data: bytes, *, content_type: str | None = None) -> tuple[str, str]:
        """``(device id, SessionID)`` of a received message: the key to find its stored state.

        Raises:
            ProtocolError: the bytes are no SyncML message (status 400).
        """
        try:
            msg = parse(data, format=wire_format(data, content_type))
        except DecodeError as exc:
            raise ProtocolError(f"unreadable SyncML message: {exc}") from exc
        return msg.sync_hdr.source.loc_uri, msg.sync_hdr.session_id

    def to_state(self) -> dict[str, Any]:
        """The whole session as a JSON-able dict (versioned; see ``from_state``)."""
        state = _state.dump(self)
        state["started"] = self.started
        state["package1"] = self.package1
        return state

    @classmethod
    def from_state(
        cls,
        state: Mapping[str, Any],
        *,
        authenticator: ServerAuthenticator | None = None,
        packer: Packer | None = None,
        clock: Clock | None = None,
    ) -> ServerSession:
        """Rebuild a session from ``to_state()`` output, checking every field.

        Raises:
            SessionStateError: the dict is not a server session state of this version.
        """
        session = cls(authenticator=authenticator, packer=packer, clock=clock)
        _state.load(session, state)
        session.started = _state.get(state, "started", bool)
        session.package1 = _state.get(state, "package1", bool)
        return session

    def _accept(self, msg: SyncML, headers: dict[str, str], body: bytes) -> list[Event]:
        hdr = msg.sync_hdr
        if self.session_id is None:
            self.session_id = hdr.session_id
            self.peer_uri = hdr.source.loc_uri
            self.local_uri = hdr.target.loc_uri
        self.received = msg
        self.turn = True
        decision = self._auth.authenticate(msg, headers, body)
        self.hdr_status, self.hdr_chal = int(decision.status), decision.chal
        if decision.outcome != "accept":
            # OMA-TS-DM_Protocol §8.4: after an authentication failure the response holds
            # only Status commands; the commands are not executed.
            self.only_statuses = True
            out: list[Event] = [
                AuthFailed(
                    status=StatusCode(int(decision.status)),
                    challenged=decision.outcome == "challenge",
                )
            ]
            if decision.outcome == "reject":
                out.append(self._finish("error", "local", int(decision.status)))
            return out
        events: list[Event] = []
        got = self._take_chunks(msg)
        if not self.started:
            self.started = True
            events.append(self._started(msg))
        events.extend(self._read_answers(got.view))
        events.extend(object_events(got, int(hdr.msg_id), self.sent))
        events.extend(self._unenrollment(msg))
        events.extend(self._commands(got.view))
        hs = header_status(msg)
        if hs is not None and not 200 <= int(hs.data) < 300:
            events.append(self._finish("error", "peer", int(hs.data)))
        events.extend(self._package_end(msg))
        return events

    def _started(self, msg: SyncML) -> SessionStarted:
        hdr = msg.sync_hdr
        alert = next(
            (c.data for c in msg.sync_body.commands if isinstance(c, Alert) and _session_alert(c)),
            None,
        )
        dev_info = {
            i.source.loc_uri[len(_DEVINFO) :]: str(i.data or "")
            for c in msg.sync_body.commands
            if _is_devinfo(c) and isinstance(c, Replace)
            for i in c.items
            if i.source is not None and i.source.loc_uri.startswith(_DEVINFO)
        }
        return SessionStarted(
            session_id=hdr.session_id,
            device_id=hdr.source.loc_uri,
            server_uri=hdr.target.loc_uri,
            alert=AlertCode(int(alert)) if alert is not None else None,
            dev_info=dev_info,
            generic_alerts=tuple(read_generic_alerts(msg)),
        )

    def _unenrollment(self, msg: SyncML) -> list[Event]:
        diags: list[Diagnostic] = []
        found = find_unenrollment_request(msg, diags)
        if found is None:
            return []
        return [UnenrollmentRequested(alert=found, probable=bool(diags))]

    def _commands(self, msg: SyncML) -> list[Event]:
        n = int(msg.sync_hdr.msg_id)
        out: list[Event] = []
        for cmd in management_commands(msg):
            if self.package1 and (_session_alert(cmd) or _is_devinfo(cmd)):
                continue  # reported by SessionStarted
            if isinstance(cmd, Alert):
                code = int(cmd.data) if cmd.data is not None else None
                if code in (AlertCode.NEXT_MESSAGE, AlertCode.SESSION_ABORT):
                    continue
                generic = tuple(read_generic_alerts(cmd))
                out.append(ClientAlert(msg_id=n, cmd_id=cmd.cmd_id, alert=cmd, generic=generic))
            else:
                out.append(CommandReceived(msg_id=n, cmd_id=cmd.cmd_id, command=cmd))
        return out

    def _package_end(self, msg: SyncML) -> list[Event]:
        controls = control_alerts(msg)
        if AlertCode.SESSION_ABORT in controls:
            # OMA-TS-DM_Protocol §8.3: "The server replies with Status for the Alert and
            # SyncHdr and no new commands".
            self.peer_continues = False
            return [] if self.phase == "ended" else [self._finish("abort", "peer", None)]
        if not msg.sync_body.final and AlertCode.NEXT_MESSAGE not in controls:
            self.peer_continues = True
            return [MoreMessagesNeeded(msg_id=int(msg.sync_hdr.msg_id))]
        self.peer_continues = False
        if msg.sync_body.final:
            self.package1 = False
        return []

    def _after_send(self, message: SyncML) -> None:
        super()._after_send(message)
        ends = (
            self.phase == "open"
            and not self.only_statuses
            and message.sync_body.final
            and not any(management_commands(message))
        )
        if ends:
            # A server package with no management commands ends the session
            # (OMA-TS-DM_Protocol §8.3; the client's reply would hold only a SyncHdr Status).
            self._finish("normal", "local", None)
