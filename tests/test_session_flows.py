"""End-to-end sessions between ClientSession and ServerSession, through bytes only, over XML
and WBXML; every message validates against the one it answers (tests/session_wire.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pytest
from session_wire import Wire, one_command_per_message

from syncml_codec import AlertCode, Exec, Get, Item, Replace, Source, StatusCode, Target
from syncml_codec.helpers import (
    UNENROLLMENT_ALERT_TYPE,
    AlertItem,
    find_unenroll_exec,
    unenroll_exec,
    unenrollment_request,
)
from syncml_codec.session import (
    ClientAlert,
    ClientSession,
    CommandOutcome,
    CommandReceived,
    MoreMessagesNeeded,
    ServerSession,
    SessionEnded,
    SessionStarted,
    UnenrollmentRequested,
)

T = TypeVar("T")
FORMATS = ["xml", "wbxml"]
SERVER = "https://mdm.example.com/omadm"


def of(events: Sequence[object], cls: type[T]) -> list[T]:
    return [e for e in events if isinstance(e, cls)]


def new_wire(fmt: str, **client_kw: object) -> Wire:
    client = ClientSession(device_id="dev-42", server_uri=SERVER, format=fmt, **client_kw)  # type: ignore[arg-type]
    return Wire(client, ServerSession())


def get(uri: str) -> Get:
    return Get(cmd_id="1", items=(Item(target=Target(loc_uri=uri)),))


@pytest.mark.parametrize("fmt", FORMATS)
def test_plain_management_session(fmt: str) -> None:
    wire = new_wire(fmt)
    wire.client.start(dev_info={"Man": "Contoso", "Mod": "X1"})
    events = wire.c2s()
    (started,) = of(events, SessionStarted)
    assert started.alert == AlertCode.CLIENT_INITIATED_MGMT
    assert started.dev_info == {"DevId": "dev-42", "Man": "Contoso", "Mod": "X1"}
    h_get = wire.server.send(get("./DevDetail/SwV"))
    h_rep = wire.server.send(
        Replace(cmd_id="1", items=(Item(target=Target(loc_uri="./Vendor/MSFT/X"), data="1"),))
    )
    events = wire.s2c()
    received = of(events, CommandReceived)
    assert [type(e.command).__name__ for e in received] == ["Get", "Replace"]
    swv = Item(source=Source(loc_uri="./DevDetail/SwV"), data="10.0.26100")
    wire.client.respond(received[0].cmd_id, 200, [swv])
    wire.client.respond(received[1].cmd_id, 404)
    events = wire.c2s()
    outcomes = {e.handle: e for e in of(events, CommandOutcome)}
    assert outcomes[h_get].status == 200 and outcomes[h_get].items == (swv,)
    assert outcomes[h_rep].status == 404 and outcomes[h_rep].cmd == "Replace"
    # a second round, then the server has nothing more: its package ends the session
    h2 = wire.server.send(get("./DevDetail/HwV"))
    events = wire.s2c()
    wire.client.respond(of(events, CommandReceived)[0].cmd_id, 200, [swv])
    assert of(wire.c2s(), CommandOutcome)[0].handle == h2
    events = wire.s2c()
    assert events == [SessionEnded(reason="normal", by="peer")]
    assert wire.server.ended and wire.client.ended
    assert wire.client.next_message() is None and wire.server.next_message() is None
    assert [b[:1] in (b"\x01", b"\x02", b"\x03") for b in wire.bodies] == [fmt == "wbxml"] * 6


@pytest.mark.parametrize("fmt", FORMATS)
def test_server_ends_the_session_at_once(fmt: str) -> None:
    wire = new_wire(fmt)
    wire.client.start()
    assert of(wire.c2s(), SessionStarted)
    events = wire.s2c()  # no command queued: Statuses and Final only
    assert [e.status for e in of(events, CommandOutcome)] == [200, 200]
    assert events[-1] == SessionEnded(reason="normal", by="peer")
    assert wire.server.end == SessionEnded(reason="normal", by="local")
    assert wire.client.next_message() is None  # a lone SyncHdr Status MUST NOT be sent


@pytest.mark.parametrize("fmt", FORMATS)
def test_client_aborts_with_1223(fmt: str) -> None:
    wire = new_wire(fmt)
    wire.client.start()
    wire.c2s()
    handle = wire.server.send(get("./DevDetail/SwV"))
    wire.s2c()
    wire.client.abort()
    events = wire.c2s()
    assert SessionEnded(reason="abort", by="peer") in events
    outcome = of(events, CommandOutcome)[0]
    assert outcome.handle == handle and outcome.status == 200  # pending Status went along
    assert wire.client.end == SessionEnded(reason="abort", by="local")
    reply = wire.s2c()  # Status for the SyncHdr and the Alert, no new command
    assert [e.cmd for e in of(reply, CommandOutcome)] == []  # the 1223 Alert has no handle
    assert wire.server.next_message() is None and wire.client.next_message() is None
    body = wire.bodies[-1]
    assert b"1223" not in body and (b"<Final/>" in body or fmt == "wbxml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_client_package_in_several_messages_gets_1222(fmt: str) -> None:
    wire = new_wire(fmt, packer=one_command_per_message)
    wire.plugins["client"] = {"packer": one_command_per_message}
    handles = wire.client.start(alerts=[AlertItem(type="com.example/x", format="chr", data="a")])
    assert len(handles) == 3
    events = wire.c2s()
    assert of(events, MoreMessagesNeeded)
    assert of(events, SessionStarted)
    events = wire.s2c()  # Status + Alert 1222, no Final
    assert [e.handle for e in of(events, CommandOutcome)] == [handles[0]]
    assert not wire.client.last_message().final  # type: ignore[union-attr]
    events = wire.c2s()
    assert of(events, MoreMessagesNeeded)
    wire.s2c()
    events = wire.c2s()  # the last message of package 1: Final
    assert not of(events, MoreMessagesNeeded)
    (alert,) = of(events, ClientAlert)
    assert alert.generic[0].type == "com.example/x"
    h = wire.server.send(get("./DevDetail/SwV"))
    events = wire.s2c()
    assert [e.handle for e in of(events, CommandOutcome)] == [handles[2]]
    wire.c2s()
    assert wire.s2c() == [SessionEnded(reason="normal", by="peer")]
    assert h == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_user_initiated_unenrollment(fmt: str) -> None:
    """Device 1226 in package 1 -> server Status -> session end (Learn "Unenrollment")."""
    wire = new_wire(fmt)
    package1 = unenrollment_request("dev-42", SERVER, include_session_alert=True)
    for cmd in package1.sync_body.commands:
        wire.client.send(cmd)
    events = wire.c2s()
    (started,) = of(events, SessionStarted)
    (unenroll,) = of(events, UnenrollmentRequested)
    assert unenroll.alert.type == UNENROLLMENT_ALERT_TYPE and not unenroll.probable
    assert started.generic_alerts == (unenroll.alert,)
    assert wire.s2c()[-1] == SessionEnded(reason="normal", by="peer")
    assert wire.server.ended and wire.client.next_message() is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_server_initiated_unenrollment(fmt: str) -> None:
    """Server Exec Unenroll -> device Status 200 -> session end ([L-DMC] DMClient Unenroll)."""
    wire = new_wire(fmt)
    wire.client.start()
    wire.c2s()
    handle = wire.server.send(unenroll_exec("MDM Provider", percent_encode=True))
    events = wire.s2c()
    (received,) = of(events, CommandReceived)
    assert isinstance(received.command, Exec)
    assert find_unenroll_exec(received.command) == "MDM Provider"
    wire.client.respond(received.cmd_id, 200)
    events = wire.c2s()
    assert of(events, CommandOutcome) == [
        CommandOutcome(handle=handle, cmd="Exec", msg_id=1, cmd_id="4", status=StatusCode.OK)
    ]
    assert wire.s2c() == [SessionEnded(reason="normal", by="peer")]
    assert wire.server.ended and wire.client.ended
