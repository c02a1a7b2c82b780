"""The Packer hook: what the engine passes (the peer's MaxMsgSize, the format) and how it holds
a packer to its contract (keep CmdIDs, in order, at least one message)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Literal

import pytest

from syncml_codec import EncodeError, parse, serialize
from syncml_codec.model import Command, Get, Item, Meta, Status, SyncBody, SyncHdr, SyncML, Target
from syncml_codec.session import (
    ClientSession,
    MoreMessagesNeeded,
    ServerSession,
    single_message_packer,
)

SERVER = "https://mdm.example.com/omadm"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int | None, str, int, int]] = []

    def __call__(
        self,
        header: SyncHdr,
        statuses: Sequence[Command],
        commands: Sequence[Command],
        *,
        max_msg_size: int,
        max_obj_size: int | None = None,
        format: Literal["xml", "wbxml"] = "xml",
    ) -> list[SyncML]:
        self.calls.append((max_msg_size, max_obj_size, format, len(statuses), len(commands)))
        return single_message_packer(
            header, statuses, commands, max_msg_size=max_msg_size, format=format
        )


def test_packer_gets_the_peer_limits_and_format() -> None:
    recorder = Recorder()
    client = ClientSession(device_id="d", server_uri=SERVER, format="wbxml")
    client.start()
    first = client.next_message()
    assert first is not None
    msg = parse(first.body)
    meta = Meta(max_msg_size="20000", max_obj_size="100000")
    with_meta = dataclasses.replace(msg, sync_hdr=dataclasses.replace(msg.sync_hdr, meta=meta))
    server = ServerSession(packer=recorder)
    server.receive(serialize(with_meta, format="wbxml"))
    server.send(Get(cmd_id="1", items=(Item(target=Target(loc_uri="./DevDetail/SwV")),)))
    reply = server.next_message()
    assert reply is not None and reply.content_type == "application/vnd.syncml.dm+wbxml"
    assert recorder.calls == [(20000, 100000, "wbxml", 3, 1)]


def _renumbering(
    header: SyncHdr,
    statuses: Sequence[Command],
    commands: Sequence[Command],
    *,
    max_msg_size: int,
    max_obj_size: int | None = None,
    format: Literal["xml", "wbxml"] = "xml",
) -> list[SyncML]:
    moved = [dataclasses.replace(c, cmd_id=str(100 + n)) for n, c in enumerate(commands)]
    return [SyncML(sync_hdr=header, sync_body=SyncBody(commands=(*statuses, *moved)))]


def _nothing(
    header: SyncHdr,
    statuses: Sequence[Command],
    commands: Sequence[Command],
    *,
    max_msg_size: int,
    max_obj_size: int | None = None,
    format: Literal["xml", "wbxml"] = "xml",
) -> list[SyncML]:
    return []


@pytest.mark.parametrize(
    ("packer", "message"), [(_renumbering, "keep the CmdIDs"), (_nothing, "no message")]
)
def test_packer_contract_is_checked(packer: object, message: str) -> None:
    client = ClientSession(device_id="d", server_uri=SERVER, packer=packer)  # type: ignore[arg-type]
    client.start()
    with pytest.raises(EncodeError, match=message):
        client.next_message()


def _statuses_later(
    header: SyncHdr,
    statuses: Sequence[Command],
    commands: Sequence[Command],
    *,
    max_msg_size: int,
    max_obj_size: int | None = None,
    format: Literal["xml", "wbxml"] = "xml",
) -> list[SyncML]:
    """Only the SyncHdr Status and the commands fit; the other Statuses go next time."""
    if not commands:
        return single_message_packer(header, statuses, commands, max_msg_size=max_msg_size)
    first = SyncML(sync_hdr=header, sync_body=SyncBody(commands=(*statuses[:1], *commands)))
    return [first, SyncML(sync_hdr=header, sync_body=SyncBody(commands=tuple(statuses[1:])))]


def test_statuses_the_packer_leaves_out_go_in_the_next_message() -> None:
    client = ClientSession(device_id="d", server_uri=SERVER)
    server = ServerSession(packer=_statuses_later)
    client.start()
    package1 = client.next_message()
    assert package1 is not None
    server.receive(package1.body)
    server.send(Get(cmd_id="1", items=(Item(target=Target(loc_uri="./DevDetail/SwV")),)))
    first = server.next_message()
    assert first is not None and not first.final  # Statuses are still owed: no Final
    body = parse(first.body).sync_body.commands
    assert [type(c).__name__ for c in body] == ["Status", "Get"]
    assert any(isinstance(e, MoreMessagesNeeded) for e in client.receive(first.body))
    asked = client.next_message()  # Status + Alert 1222
    assert asked is not None
    server.receive(asked.body)
    second = server.next_message()
    assert second is not None and second.final
    carried = [c for c in parse(second.body).sync_body.commands if isinstance(c, Status)]
    assert [(c.msg_ref, c.cmd_ref, c.cmd) for c in carried] == [
        ("2", "0", "SyncHdr"),
        ("1", "1", "Alert"),
        ("1", "2", "Replace"),
        ("2", "3", "Alert"),
    ]
