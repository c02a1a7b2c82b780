"""A client session receiving a large object written by hand from OMA-TS-DM_Protocol §8.7
"Large object handling" (Size in the first chunk, MoreData, Target repeated): each rule broken
in turn is answered as the spec says (424, 1225, 413), and an open object survives
to_state -> JSON -> from_state, spooled in a named file or inline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syncml_codec import AlertCode, Item, Meta, Replace, StatusCode, Target, parse, serialize
from syncml_codec.model import Alert, Command, Source, Status, SyncBody, SyncHdr, SyncML
from syncml_codec.session import (
    ClientSession,
    CommandReceived,
    LargeObjectDropped,
    LargeObjectReceived,
    MoreMessagesNeeded,
    SessionEnded,
    SessionStateError,
)

SERVER = "https://mdm.example.com/omadm"
URI = "./Vendor/MSFT/Big"


def _server_message(msg_id: int, commands: list[Command], final: bool) -> bytes:
    hdr = SyncHdr(
        session_id="1",
        msg_id=str(msg_id),
        target=Target(loc_uri="device-1"),
        source=Source(loc_uri=SERVER),
    )
    status = Status(cmd_id="1", msg_ref=str(msg_id), cmd_ref="0", cmd="SyncHdr", data=StatusCode.OK)
    body = SyncBody(commands=(status, *commands), final=final)
    return serialize(SyncML(sync_hdr=hdr, sync_body=body))


def _chunk(
    cmd_id: str, data: str, *, size: int | None = None, more: bool, uri: str = URI
) -> Replace:
    meta = Meta(format="chr", size=None if size is None else str(size))
    item = Item(target=Target(loc_uri=uri), meta=meta, data=data, more_data=more)
    return Replace(cmd_id=cmd_id, items=(item,))


def _client(**options: object) -> ClientSession:
    client = ClientSession(device_id="device-1", server_uri=SERVER, **options)  # type: ignore[arg-type]
    client.start()
    assert client.next_message() is not None
    return client


def _reply(client: ClientSession) -> list[Command]:
    out = client.next_message()
    assert out is not None
    return list(parse(out.body).sync_body.commands)


def _codes(commands: list[Command]) -> list[tuple[str, int]]:
    return [(c.cmd, int(c.data)) for c in commands if isinstance(c, Status)]


def _first_chunk(client: ClientSession) -> None:
    events = client.receive(
        _server_message(1, [_chunk("2", "0123456789", size=20, more=True)], False)
    )
    assert [type(e) for e in events] == [MoreMessagesNeeded]
    reply = _reply(client)
    assert _codes(reply) == [("SyncHdr", 200), ("Replace", StatusCode.CHUNKED_ITEM_ACCEPTED)]
    assert [int(c.data or 0) for c in reply if isinstance(c, Alert)] == [1222]


def test_size_mismatch_is_answered_424_and_nothing_is_handed_out() -> None:
    client = _client()
    _first_chunk(client)
    events = client.receive(_server_message(2, [_chunk("2", "abc", more=False)], True))
    assert events == [LargeObjectDropped(msg_id=2, cmd_id="2", code=StatusCode.SIZE_MISMATCH)]
    assert _codes(_reply(client)) == [("SyncHdr", 200), ("Replace", StatusCode.SIZE_MISMATCH)]


def test_a_new_command_before_the_last_chunk_is_answered_1225() -> None:
    client = _client()
    _first_chunk(client)
    other = _chunk("2", "small", more=False, uri="./Vendor/MSFT/Other")
    events = client.receive(_server_message(2, [other], True))
    assert [type(e) for e in events] == [LargeObjectDropped, CommandReceived]
    assert events[0] == LargeObjectDropped(msg_id=2, cmd_id=None, code=1225)
    reply = _reply(client)
    assert _codes(reply) == [("SyncHdr", 200), ("Replace", 200)]
    alerts = [c for c in reply if isinstance(c, Alert)]
    assert [int(a.data or 0) for a in alerts] == [1225]
    assert alerts[0].items[0].target == Target(loc_uri=URI)  # the original Item's Target


def test_an_object_over_our_max_obj_size_is_answered_413() -> None:
    client = _client(announce_max_obj_size=15)
    events = client.receive(
        _server_message(1, [_chunk("2", "0123456789", size=20, more=True)], False)
    )
    assert events == [
        LargeObjectDropped(msg_id=1, cmd_id="2", code=StatusCode.REQUEST_ENTITY_TOO_LARGE),
        MoreMessagesNeeded(msg_id=1),
    ]
    out = client.next_message()
    assert out is not None
    msg = parse(out.body)
    assert msg.sync_hdr.meta is not None and msg.sync_hdr.meta.max_obj_size == "15"
    assert ("Replace", 413) in _codes(list(msg.sync_body.commands))


def _reload(client: ClientSession) -> tuple[ClientSession, dict[str, object]]:
    state = json.loads(json.dumps(client.to_state()))
    return ClientSession.from_state(state), state


@pytest.mark.parametrize("named", [True, False])
def test_an_open_object_survives_the_state_round_trip(named: bool, tmp_path: Path) -> None:
    client = _client(spool_dir=str(tmp_path) if named else None)
    _first_chunk(client)
    client, state = _reload(client)
    pending = state["reassembly"]["pending"]  # type: ignore[index]
    if named:
        (spool,) = tmp_path.iterdir()
        assert pending["spool"] == {"path": str(spool.resolve()), "length": 10}
        spool.write_bytes(b"0123456789-written-by-a-lost-worker")  # cut back to 10 on load
        client, state = _reload(client)
    else:
        assert pending["spool"] == {"inline": "MDEyMzQ1Njc4OQ=="}
    events = client.receive(_server_message(2, [_chunk("2", "abcdefghij", more=False)], True))
    (event,) = events
    assert isinstance(event, LargeObjectReceived) and event.cmd_id == "2"
    assert event.object.open().read() == b"0123456789abcdefghij"
    assert event.object.item.target == Target(loc_uri=URI) and event.object.size == 20
    event.object.close()
    assert list(tmp_path.iterdir()) == []
    assert _codes(_reply(client)) == [("SyncHdr", 200), ("Replace", 200)]


def test_a_spool_file_outside_the_spool_dir_is_refused(tmp_path: Path) -> None:
    spools = tmp_path / "spools"
    spools.mkdir()
    client = _client(spool_dir=str(spools))
    _first_chunk(client)
    state = json.loads(json.dumps(client.to_state()))
    elsewhere = tmp_path / "passwd"
    elsewhere.write_bytes(b"0123456789")
    state["reassembly"]["pending"]["spool"]["path"] = str(elsewhere)
    with pytest.raises(SessionStateError, match="not in"):
        ClientSession.from_state(state)
    state["reassembly"]["pending"]["spool"] = {"path": str(spools / "gone"), "length": 10}
    with pytest.raises(SessionStateError, match="cannot be opened"):
        ClientSession.from_state(state)
    state["reassembly"]["pending"]["spool"] = {"inline": "MDEy"}
    with pytest.raises(SessionStateError, match="does not hold"):
        ClientSession.from_state(state)
    client.reassembler.close()


def test_a_state_written_before_large_messages_still_loads() -> None:
    client = _client()
    state = json.loads(json.dumps(client.to_state()))
    for key in ("announce_max_msg_size", "spool_dir", "continuation", "extra", "reassembly"):
        del state[key]
    again = ClientSession.from_state(state)
    assert again.announce_max_msg_size is None and again.reassembler.pending is None
    state["continuation"] = "queue"  # names a continuation the empty queue does not hold
    with pytest.raises(SessionStateError, match="continuation"):
        ClientSession.from_state(state)


def test_an_abort_mid_object_deletes_its_spool_file(tmp_path: Path) -> None:
    client = _client(spool_dir=str(tmp_path))
    _first_chunk(client)
    assert len(list(tmp_path.iterdir())) == 1
    abort = Alert(cmd_id="2", data=AlertCode.SESSION_ABORT)
    events = client.receive(_server_message(2, [abort], True))
    assert events[-1] == SessionEnded(reason="abort", by="peer")
    assert list(tmp_path.iterdir()) == []
