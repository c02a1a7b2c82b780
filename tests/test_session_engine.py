"""Session engine rules one at a time: MsgID checks, replays, out-of-turn calls, protocol
errors, the auth and clock plug-ins, and state that is tampered with."""

from __future__ import annotations

import base64
import copy
import dataclasses
import json
from collections.abc import Mapping
from typing import Any

import pytest
from session_wire import Wire, errors_of, reload

from syncml_codec import StatusCode, parse, serialize
from syncml_codec.helpers import new_message
from syncml_codec.model import (
    Alert,
    Chal,
    Cred,
    Get,
    Item,
    Meta,
    Results,
    Source,
    Status,
    SyncHdr,
    SyncML,
    Target,
)
from syncml_codec.session import (
    AuthChallenged,
    AuthDecision,
    AuthFailed,
    ClientSession,
    CommandOutcome,
    ProtocolError,
    ProtocolViolation,
    ResultsReceived,
    ServerSession,
    SessionEnded,
    SessionStarted,
    SessionStateError,
)

SERVER = "https://mdm.example.com/omadm"


def started() -> Wire:
    wire = Wire(ClientSession(device_id="dev-7", server_uri=SERVER), ServerSession())
    wire.client.start()
    return wire


def get(uri: str = "./DevDetail/SwV") -> Get:
    return Get(cmd_id="1", items=(Item(target=Target(loc_uri=uri)),))


def test_replayed_request_gets_the_same_answer_again() -> None:
    wire = started()
    first = wire.client.next_message()
    assert first is not None
    wire.server.receive(first.body)
    wire.server.send(get())
    answer = wire.server.next_message()
    assert answer is not None
    # the answer was lost; the client POSTs the same bytes again
    events = wire.server.receive(first.body)
    assert [e.kind for e in events if isinstance(e, ProtocolViolation)] == ["replayed-msg-id"]
    again = wire.server.next_message()
    assert again == answer
    with pytest.raises(SessionStateError):
        wire.server.next_message()  # now it is the client's turn


def test_msg_id_gap_is_an_event_not_a_crash() -> None:
    wire = started()
    first = wire.client.next_message()
    assert first is not None
    skipped = first.body.replace(b"<MsgID>1</MsgID>", b"<MsgID>2</MsgID>")
    (event,) = wire.server.receive(skipped)
    assert isinstance(event, ProtocolViolation) and event.kind == "msg-id-gap"
    assert event.status == 400
    assert any(isinstance(e, SessionStarted) for e in wire.server.receive(first.body))


def test_peer_sending_out_of_turn_is_reported() -> None:
    wire = started()
    first = wire.client.next_message()
    assert first is not None
    wire.server.receive(first.body)
    second = first.body.replace(b"<MsgID>1</MsgID>", b"<MsgID>2</MsgID>")
    (event,) = wire.server.receive(second)
    assert isinstance(event, ProtocolViolation) and event.kind == "out-of-turn"


def test_unreadable_bytes_and_foreign_session_raise_protocol_error() -> None:
    wire = started()
    first = wire.client.next_message()
    assert first is not None
    with pytest.raises(ProtocolError) as info:
        wire.server.receive(b"<SyncML><SyncHdr>")
    assert info.value.status == 400
    wire.server.receive(first.body)
    wire.server.next_message()
    foreign = first.body.replace(b"<SessionID>1</SessionID>", b"<SessionID>9</SessionID>")
    with pytest.raises(ProtocolError, match="SessionID"):
        wire.server.receive(foreign.replace(b"<MsgID>1</MsgID>", b"<MsgID>2</MsgID>"))


def test_local_misuse_raises_session_state_error() -> None:
    server = ServerSession()
    with pytest.raises(SessionStateError):
        server.next_message()  # nothing received yet
    with pytest.raises(SessionStateError):
        server.respond("1", 200)
    client = ClientSession(device_id="d", server_uri=SERVER)
    with pytest.raises(SessionStateError):
        client.send(Status(cmd_id="1", msg_ref="1", cmd_ref="1", cmd="Get", data=200))  # type: ignore[arg-type]


def test_status_answering_nothing_is_reported() -> None:
    wire = started()
    wire.c2s()
    out = wire.server.next_message()  # server ends the session at once
    assert out is not None
    msg = parse(out.body)
    stray = Status(cmd_id="9", msg_ref="1", cmd_ref="77", cmd="Get", data=200)  # type: ignore[arg-type]
    bumped = SyncML(
        sync_hdr=msg.sync_hdr,
        sync_body=type(msg.sync_body)(commands=(*msg.sync_body.commands, stray), final=True),
    )
    events = wire.client.receive(serialize(bumped))
    assert [e.kind for e in events if isinstance(e, ProtocolViolation)] == ["unmatched-status"]


OK_CRED = base64.b64encode(b"dev-7:ok").decode()


class Challenger:
    """Challenges the first message, then accepts OK_CRED (a toy, not real auth)."""

    def authenticate(
        self, message: SyncML, headers: Mapping[str, str], body: bytes
    ) -> AuthDecision:
        cred = message.sync_hdr.cred
        if cred is not None and cred.data == OK_CRED and headers.get("x-test") == str(len(body)):
            return AuthDecision(outcome="accept", status=212)
        chal = Chal(meta=Meta(type="syncml:auth-basic", format="b64"))
        return AuthDecision(outcome="challenge", status=407, chal=chal)


class Answerer:
    def __init__(self) -> None:
        self.challenges: list[int] = []

    def prepare(self, header: SyncHdr) -> SyncHdr:
        if not self.challenges:
            return header
        cred = Cred(meta=Meta(type="syncml:auth-basic", format="b64"), data=OK_CRED)
        return dataclasses.replace(header, cred=cred)

    def headers(self, header: SyncHdr, body: bytes) -> Mapping[str, str]:
        return {"x-test": str(len(body))}

    def challenged(self, status: int, chal: Chal | None) -> None:
        self.challenges.append(status)


def test_auth_plugins_challenge_then_accept() -> None:
    answerer = Answerer()
    client = ClientSession(device_id="dev-7", server_uri=SERVER, authenticator=answerer)
    wire = Wire(client, ServerSession(authenticator=Challenger()))
    wire.plugins = {
        "client": {"authenticator": answerer},
        "server": {"authenticator": Challenger()},
    }
    handles = wire.client.start()
    events = wire.c2s()
    assert events == [AuthFailed(status=StatusCode(407), challenged=True)]  # commands not executed
    events = wire.s2c()
    assert events == [
        AuthChallenged(
            status=StatusCode(407), chal=Chal(meta=Meta(type="syncml:auth-basic", format="b64"))
        )
    ]
    assert answerer.challenges == [407]
    events = wire.c2s()  # package 1 again, now with Cred
    assert any(isinstance(e, SessionStarted) for e in events)
    events = wire.s2c()
    assert [e.handle for e in events if isinstance(e, CommandOutcome)] == handles
    assert events[-1] == SessionEnded(reason="normal", by="peer")


class Rejecter:
    def authenticate(
        self, message: SyncML, headers: Mapping[str, str], body: bytes
    ) -> AuthDecision:
        return AuthDecision(outcome="reject", status=403)


def test_auth_reject_ends_both_sides_with_error() -> None:
    wire = Wire(
        ClientSession(device_id="d", server_uri=SERVER), ServerSession(authenticator=Rejecter())
    )
    wire.plugins = {"server": {"authenticator": Rejecter()}}
    wire.client.start()
    assert wire.c2s()[-1] == SessionEnded(reason="error", by="local", status=StatusCode(403))
    assert wire.s2c() == [SessionEnded(reason="error", by="peer", status=StatusCode(403))]
    assert wire.server.next_message() is None and wire.client.next_message() is None


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def now(self) -> float:
        return self.t


def test_clock_plugin_drives_expiry_and_survives_state() -> None:
    clock = FakeClock()
    client = ClientSession(device_id="d", server_uri=SERVER, clock=clock, timeout=30)
    client.start()
    assert client.next_message() is not None and not client.expired
    clock.t += 31
    assert expired(client)
    again = ClientSession.from_state(json.loads(json.dumps(client.to_state())), clock=clock)
    assert again.expired and again.timeout == 30


def expired(session: ClientSession) -> bool:
    return session.expired


def _state() -> dict[str, Any]:
    wire = started()
    wire.c2s()
    wire.server.send(get())
    wire.s2c()
    wire.server.send(get("./DevDetail/HwV"))  # queued for the next package
    state: dict[str, Any] = json.loads(json.dumps(wire.server.to_state()))
    return state


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("kind",), "something-else", "not a session state"),
        (("version",), 99, "version 99"),
        (("role",), "client", "'client' state"),
        (("in_msg_id",), "1", "must be int"),
        (("turn",), 1, "must be bool"),
        (("phase",), "paused", "phase"),
        (("format",), "json", "format"),
        (("queue", 0, 1), "<Get><CmdID>1</CmdID>", "does not read back"),
        (("queue", 0, 1), '<Item xmlns="SYNCML:SYNCML1.2"><Data>x</Data></Item>', "is a Item"),
        (("queue", 0, 0), 999, "bad handle"),
        (("last_out", "body"), "%%%", "not base64"),
        (("end",), ["done", "peer", None], "'end'"),
    ],
)
def test_tampered_state_is_refused(path: tuple[Any, ...], value: object, message: str) -> None:
    state = _state()
    target: Any = state
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(SessionStateError, match=message):
        ServerSession.from_state(state)


def test_missing_field_and_foreign_objects_are_refused() -> None:
    state = _state()
    broken = copy.deepcopy(state)
    del broken["queue"]
    with pytest.raises(SessionStateError, match="no 'queue' field"):
        ServerSession.from_state(broken)
    with pytest.raises(SessionStateError):
        ServerSession.from_state([1, 2])  # type: ignore[arg-type]
    with pytest.raises(SessionStateError, match="'server' state"):
        ClientSession.from_state(state)
    assert isinstance(SessionStateError("x"), ValueError)


def test_state_round_trip_keeps_the_last_body_bytes() -> None:
    wire = started()
    wire.c2s()
    out = wire.server.next_message()
    assert out is not None
    state = wire.server.to_state()
    assert base64.b64decode(state["last_out"]["body"]) == out.body
    assert reload(wire.server).last_message() == out
    assert errors_of(out.body, wire.previous) == []


def test_results_in_a_later_message_are_correlated_by_msgref_cmdref() -> None:
    """The client's Status for a Get in one message, its Results in the next ([DMREP] 4.1.6.12)."""
    wire = started()
    wire.c2s()
    handle = wire.server.send(get())
    wire.s2c()
    server_msg = parse(wire.previous or b"")
    get_id = next(c.cmd_id for c in server_msg.sync_body.commands if isinstance(c, Get))
    hdr_status = Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=StatusCode.OK)
    status = Status(cmd_id="2", msg_ref="1", cmd_ref=get_id, cmd="Get", data=StatusCode.OK)
    first = new_message(
        [hdr_status, status],
        session_id="1",
        msg_id="2",
        target=SERVER,
        source="dev-7",
        final=False,
    )
    events = wire.server.receive(serialize(first))
    assert [type(e).__name__ for e in events] == ["CommandOutcome", "MoreMessagesNeeded"]
    assert isinstance(events[0], CommandOutcome) and events[0].items == ()  # Results pending
    reply = wire.server.next_message()
    assert reply is not None and not reply.final and b"1222" in reply.body
    alert_id = next(c.cmd_id for c in parse(reply.body).sync_body.commands if isinstance(c, Alert))
    item = Item(source=Source(loc_uri="./DevDetail/SwV"), data="10.0")
    second = new_message(
        [
            Status(cmd_id="1", msg_ref="2", cmd_ref="0", cmd="SyncHdr", data=StatusCode.OK),
            Status(cmd_id="2", msg_ref="2", cmd_ref=alert_id, cmd="Alert", data=StatusCode.OK),
            Results(cmd_id="3", msg_ref="1", cmd_ref=get_id, cmd="Get", items=(item,)),
        ],
        session_id="1",
        msg_id="3",
        target=SERVER,
        source="dev-7",
    )
    events = wire.server.receive(serialize(second))
    assert events[0] == ResultsReceived(handle=handle, msg_id=1, cmd_id=get_id, items=(item,))


def test_client_with_nothing_queued_cannot_open_a_session() -> None:
    client = ClientSession(device_id="d", server_uri=SERVER)
    with pytest.raises(SessionStateError, match="package 1"):
        client.next_message()
