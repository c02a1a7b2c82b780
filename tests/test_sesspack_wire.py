"""The session engine with ``syncml_codec.packing.pack`` as its packer, end to end through bytes.

A server queues more than one message can carry under the MaxMsgSize the client announced; a
large value goes out in chunks and comes back as one ``LargeObject``; a client uploads large
Results. Every message is checked on the wire: its size against the announced budget, its
validity against the message it answers (``Talk`` in tests/session_wire.py), the SyncHdr Status
MsgRef, the 1222 and 213 answers; and both sessions go through to_state -> JSON -> from_state
before every message.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from pathlib import Path

import pytest
from session_wire import Talk

from syncml_codec import Get, Item, Meta, Replace, Source, StatusCode, Target, parse
from syncml_codec.model import Alert, Results, Status, SyncML
from syncml_codec.packing import pack
from syncml_codec.session import (
    ClientSession,
    CommandOutcome,
    CommandReceived,
    LargeObjectReceived,
    MoreMessagesNeeded,
    ServerSession,
)

SERVER = "https://mdm.example.com/omadm"
BUDGET = {"xml": 1500, "wbxml": 700}


def _pair(fmt: str, tmp_path: Path, client_budget: int, server_budget: int | None = None) -> Talk:
    client = ClientSession(
        device_id="device-1",
        server_uri=SERVER,
        format=fmt,  # type: ignore[arg-type]
        packer=pack,
        announce_max_msg_size=client_budget,
        spool_dir=str(tmp_path),
    )
    server = ServerSession(
        packer=pack, announce_max_msg_size=server_budget, spool_dir=str(tmp_path)
    )
    return Talk(client, server, continuation_ok=True)


def _replace(i: int, data: str, fmt: str | None = None) -> Replace:
    meta = Meta(format=fmt) if fmt else None
    target = Target(loc_uri=f"./Vendor/MSFT/Policy/Config/Test/Node{i}")
    return Replace(cmd_id="1", items=(Item(target=target, meta=meta, data=data),))


def _messages(talk: Talk, sender: str) -> list[SyncML]:
    return [parse(body) for who, body in talk.log if who == sender]


def _alerts(msg: SyncML) -> set[int]:
    return {int(c.data) for c in msg.sync_body.commands if isinstance(c, Alert) and c.data}


def _check_replies(talk: Talk) -> None:
    """Every message's SyncHdr Status answers the message just before it; 1222 after non-final."""
    msgs = [(who, parse(body)) for who, body in talk.log]
    for (_, request), (who, reply) in itertools.pairwise(msgs):
        hdr_status = reply.sync_body.commands[0]
        assert isinstance(hdr_status, Status) and hdr_status.cmd_ref == "0"
        assert hdr_status.msg_ref == request.sync_hdr.msg_id
        if who == "client" and not request.sync_body.final:
            assert 1222 in _alerts(reply), "a non-final server message is answered with 1222"


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_server_package_spans_messages_within_the_client_budget(fmt: str, tmp_path: Path) -> None:
    talk = _pair(fmt, tmp_path, BUDGET[fmt])
    talk.start()
    handles = [talk.server.send(_replace(i, "v" * (i * 7))) for i in range(40)]
    talk.run()
    server_msgs = [body for who, body in talk.log if who == "server"]
    assert len(server_msgs) >= 4, "the package had to span several messages"
    assert all(len(body) <= BUDGET[fmt] for body in server_msgs)
    _check_replies(talk)
    outcomes = {e.handle: e.status for e in talk.server_events if isinstance(e, CommandOutcome)}
    assert set(handles) <= outcomes.keys()
    assert {outcomes[h] for h in handles} == {StatusCode.OK}
    received = [e for e in talk.client_events if isinstance(e, CommandReceived)]
    datas = [e.command.items[0].data for e in received if isinstance(e.command, Replace)]
    assert datas == ["v" * (i * 7) for i in range(40)]
    more = [e for e in talk.client_events if isinstance(e, MoreMessagesNeeded)]
    assert len(more) == len(server_msgs) - 2  # all but the package's last and the closing one


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_a_large_value_is_chunked_and_handed_out_once(fmt: str, tmp_path: Path) -> None:
    raw = bytes(range(256)) * 24
    blob = base64.b64encode(raw).decode("ascii")
    talk = _pair(fmt, tmp_path, BUDGET[fmt])
    talk.start()
    big = talk.server.send(_replace(0, blob, "b64"))
    small = talk.server.send(_replace(1, "after"))
    got: list[bytes] = []
    for _ in range(100):
        to_client, _ = talk.step()
        for event in to_client:
            if isinstance(event, LargeObjectReceived):
                assert event.object.size == len(blob)  # Size: the b64 text as transmitted
                got.append(b"".join(event.object.iter_decoded()))
                event.object.close()
        if talk.client.ended:
            break
    assert got == [raw]
    assert list(tmp_path.iterdir()) == [], "the spool file is deleted by close()"
    server_msgs = _messages(talk, "server")
    assert all(len(body) <= BUDGET[fmt] for who, body in talk.log if who == "server")
    chunks = [
        c for m in server_msgs for c in m.sync_body.commands if isinstance(c, Replace) and c.items
    ]
    pieces = [c for c in chunks if c.items[0].target == Target(loc_uri=_target(0))]
    assert len(pieces) >= 3
    assert [p.items[0].more_data for p in pieces] == [True] * (len(pieces) - 1) + [False]
    sizes = [p.items[0].meta.size if p.items[0].meta else None for p in pieces]
    assert sizes == [str(len(blob))] + [None] * (len(pieces) - 1)
    assert "".join(str(p.items[0].data) for p in pieces) == blob
    client_msgs = _messages(talk, "client")[1:]
    codes = [
        int(c.data)
        for m in client_msgs
        for c in m.sync_body.commands
        if isinstance(c, Status) and c.cmd == "Replace"
    ]
    assert codes.count(StatusCode.CHUNKED_ITEM_ACCEPTED) == len(pieces) - 1
    _check_replies(talk)
    outcomes = {e.handle: e.status for e in talk.server_events if isinstance(e, CommandOutcome)}
    assert outcomes[big] == StatusCode.OK and outcomes[small] == StatusCode.OK
    # the chunk's 213 is no outcome: each handle has exactly one
    handles = [e.handle for e in talk.server_events if isinstance(e, CommandOutcome)]
    assert handles.count(big) == 1


def _target(i: int) -> str:
    return f"./Vendor/MSFT/Policy/Config/Test/Node{i}"


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_a_client_uploads_large_results(fmt: str, tmp_path: Path) -> None:
    log = base64.b64encode(hashlib.sha512(b"log").digest() * 60).decode("ascii")
    talk = _pair(fmt, tmp_path, 60000, server_budget=BUDGET[fmt])
    talk.start()
    uri = "./Vendor/MSFT/DiagnosticLog/Upload"
    get = talk.server.send(Get(cmd_id="1", items=(Item(target=Target(loc_uri=uri)),)))
    uploads: list[tuple[object, str]] = []
    for _ in range(100):
        to_client = talk.s2c()
        talk.log.append(("server", talk.bodies[-1]))
        for event in to_client:
            if isinstance(event, CommandReceived) and isinstance(event.command, Get):
                item = Item(source=Source(loc_uri=uri), meta=Meta(format="b64"), data=log)
                talk.client.respond(event.cmd_id, StatusCode.OK, [item])
        if talk.client.ended:
            break
        to_server = talk.c2s()
        talk.log.append(("client", talk.bodies[-1]))
        talk.server_events += to_server
        for event in to_server:
            if isinstance(event, LargeObjectReceived):
                uploads.append((event.handle, event.object.open().read().decode("ascii")))
                assert isinstance(event.object.command, Results)
                event.object.close()
    assert uploads == [(get, log)]
    client_msgs = [body for who, body in talk.log if who == "client"]
    assert all(len(body) <= BUDGET[fmt] for body in client_msgs[1:])
    results = [
        c for b in client_msgs for c in parse(b).sync_body.commands if isinstance(c, Results)
    ]
    assert len(results) >= 3 and [r.items[0].more_data for r in results][-1] is False
    outcome = [e for e in talk.server_events if isinstance(e, CommandOutcome)]
    assert [(e.handle, e.status, e.items) for e in outcome if e.handle == get] == [
        (get, StatusCode.OK, ())
    ]
    # the server answered each chunk with 213 (Results get no Status otherwise) and asked
    # for the next message with 1222
    server_msgs = _messages(talk, "server")
    on_results = [
        int(c.data)
        for m in server_msgs
        for c in m.sync_body.commands
        if isinstance(c, Status) and c.cmd == "Results"
    ]
    assert on_results == [StatusCode.CHUNKED_ITEM_ACCEPTED] * (len(results) - 1)
    assert sum(1222 in _alerts(m) for m in server_msgs) == len(results) - 1
