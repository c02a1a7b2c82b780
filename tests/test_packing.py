"""pack(): every message within MaxMsgSize (XML and WBXML), nothing lost or split, messages full.

The properties check the packer from the outside: sizes by serializing each message, contents by
parsing the bytes and feeding them to the Reassembler, and "full" by serializing the message with
the next piece added (never by trusting the packer's own arithmetic).
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from syncml_codec import (
    Add,
    Atomic,
    CData,
    Command,
    EncodeError,
    Get,
    Item,
    Meta,
    Replace,
    Results,
    Sequence,
    Source,
    Status,
    StatusCode,
    SyncBody,
    SyncHdr,
    SyncML,
    Target,
    XmlData,
    parse,
    serialize,
)
from syncml_codec.packing import (
    LargeObject,
    Reassembler,
    WireFormat,
    check_message,
    data_size,
    pack,
)
from syncml_codec.packing import _pack as pack_module

HDR = SyncHdr(
    session_id="1A",
    msg_id="100",  # three digits for every message here: MsgID growth is tested on its own
    target=Target(loc_uri="https://mdm.example.com/omadm"),
    source=Source(loc_uri="{6f1e8d7a-3c2b-4a59-9e0d-5b7c8a9f1e23}"),
)
HDR_STATUS = Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=StatusCode(200))

# --- strategies ---------------------------------------------------------------------------------

_chars = st.sampled_from("abcXYZ0189 &<>\"'é€\n/+=")
_text = st.text(_chars, min_size=1, max_size=40)
_uri = st.text(st.sampled_from("abcdefXYZ019/._-"), min_size=1, max_size=24).map("./".__add__)
_b64 = st.binary(min_size=1, max_size=4000).map(lambda b: base64.b64encode(b).decode())
_big_text = st.text(_chars, min_size=200, max_size=3000)
_meta = st.none() | st.sampled_from(
    [Meta(format="b64", type="application/octet-stream"), Meta(format="chr", type="text/plain")]
)
_item = st.builds(
    Item,
    target=st.none() | st.builds(Target, loc_uri=_uri),
    source=st.none() | st.builds(Source, loc_uri=_uri),
    meta=_meta,
    data=_text | _text.filter(lambda s: "\r" not in s).map(CData),
)
_big_item = st.builds(
    Item,
    target=st.builds(Target, loc_uri=_uri),
    meta=_meta,
    data=_b64 | _big_text | _big_text.map(CData),
)


def _cmds(cls: Any, items: Any) -> Any:
    return st.builds(cls, cmd_id=st.just("0"), items=items)


def _tuples(of: Any, most: int) -> Any:
    return st.lists(of, min_size=1, max_size=most).map(tuple)


_one_big = _big_item.map(lambda i: (i,))
_item_cmd = _cmds(Replace, _tuples(_item, 3)) | _cmds(Add, _tuples(_item, 2))
_big_cmd = _cmds(Replace, _one_big) | _cmds(Add, _one_big)
_get = _cmds(Get, _tuples(st.builds(Item, target=st.builds(Target, loc_uri=_uri)), 3))
_container = st.builds(Atomic, cmd_id=st.just("0"), commands=_tuples(_item_cmd, 3)) | st.builds(
    Sequence, cmd_id=st.just("0"), commands=_tuples(_item_cmd | _get, 3)
)
_command = _item_cmd | _big_cmd | _get | _container
_results = st.builds(
    Results, cmd_id=st.just("0"), msg_ref=st.just("1"), cmd_ref=st.just("3"),
    items=_tuples(_item, 2),
) | st.builds(
    Results, cmd_id=st.just("0"), msg_ref=st.just("1"), cmd_ref=st.just("4"), items=_one_big
)  # fmt: skip
_status = st.builds(
    Status, cmd_id=st.just("0"), msg_ref=st.just("1"), cmd_ref=st.just("2"), cmd=st.just("Replace"),
    target_ref=st.lists(_uri, max_size=2).map(tuple), data=st.sampled_from([200, 404, 500]),
)  # fmt: skip


def _numbered(entries: list[Any], start: int) -> list[Any]:
    """CmdIDs 1, 2, ... (containers before members), as a sender numbers a package."""
    out = []
    n = start
    for e in entries:
        if isinstance(e, (Atomic, Sequence)):
            members = []
            e = dataclasses.replace(e, cmd_id=str(n))
            n += 1
            for m in e.commands:
                members.append(dataclasses.replace(m, cmd_id=str(n)))
                n += 1
            out.append(dataclasses.replace(e, commands=tuple(members)))
        else:
            out.append(dataclasses.replace(e, cmd_id=str(n)))
            n += 1
    return out


# --- helpers ------------------------------------------------------------------------------------


def _size(message: SyncML, fmt: WireFormat) -> int:
    return len(serialize(message, format=fmt))


def _with(message: SyncML, commands: tuple[Command, ...], final: bool) -> SyncML:
    return dataclasses.replace(message, sync_body=SyncBody(commands=commands, final=final))


def _envelope(fmt: WireFormat, head: tuple[Command, ...] = (HDR_STATUS,)) -> int:
    """The smallest message: SyncHdr, its Status (``head``), Final."""
    return _size(SyncML(sync_hdr=HDR, sync_body=SyncBody(commands=head, final=True)), fmt)


def _unpack(messages: list[SyncML], fmt: WireFormat) -> list[Command]:
    """The receive side: parse each message's bytes and reassemble."""
    r = Reassembler()
    out: list[Command] = []
    for m in messages:
        got = r.feed(parse(serialize(m, format=fmt)))
        assert all(a.data == 213 for a in got.answers), got.answers
        for c in got.commands:
            if isinstance(c, LargeObject):
                out.append(c.to_command())
                c.close()
            elif not (isinstance(c, Status) and c.cmd == "SyncHdr"):
                out.append(c)
    assert r.pending is None
    return out


def _one_char_chunk(command: Command, first: bool) -> Command:
    item: Any = _first(command)
    meta = item.meta or Meta()
    if first:
        meta = dataclasses.replace(meta, size=str(data_size(item.data)))
    piece = dataclasses.replace(
        item, data=type(item.data)(item.data[:1]), meta=meta, more_data=True
    )
    return pack_module.with_items(command, (piece,))


def _first(command: Command) -> Any:
    """The first Item of a command (typed loosely for the checks)."""
    return command.items[0]  # type: ignore[union-attr]


def _chunkable(c: Command) -> bool:
    return (
        isinstance(c, pack_module.CHUNKABLE)
        and len(c.items) == 1
        and isinstance(c.items[0].data, str)
        and not isinstance(c.items[0].data, XmlData)
    )


def _justified(
    entries: list[Command], max_msg: int, fmt: WireFormat, head: tuple[Command, ...]
) -> bool:
    """Some entry fits in no message, and cannot be chunked into one-character chunks."""
    base = SyncML(sync_hdr=HDR, sync_body=SyncBody(commands=head))
    for i, c in enumerate(entries):
        last = i == len(entries) - 1
        if _size(_with(base, (*head, c), last), fmt) <= max_msg:
            continue
        if not _chunkable(c):
            return True
        if _size(_with(base, (*head, _one_char_chunk(c, True)), False), fmt) > max_msg:
            return True
    return False


def _check_full(
    messages: list[SyncML],
    entries: list[Command],
    fmt: WireFormat,
    max_msg: int,
    head: tuple[Command, ...],
) -> None:
    """Every message but the last is full: the next piece, serialized into it, goes over."""
    pieces = [c for m in messages for c in m.sync_body.commands[len(head) :]]
    # map each piece to its original entry (chunks share one), in order
    origin: list[tuple[int, bool]] = []  # (entry index, is a chunk)
    k = 0
    for i, e in enumerate(entries):
        if pieces[k] == e:
            origin.append((i, False))
            k += 1
            continue
        while True:
            origin.append((i, True))
            k += 1
            if not _first(pieces[k - 1]).more_data:
                break
    assert k == len(pieces)
    pos = 0
    for m in messages[:-1]:
        pos += len(m.sync_body.commands) - len(head)
        i, chunk = origin[pos]
        last_entry = i == len(entries) - 1
        holds = len(m.sync_body.commands) > len(head)
        ends_in_chunk = holds and origin[pos - 1] == (i, True)
        if ends_in_chunk:
            # the chunk at the end of m could not have carried one more character
            tail = m.sync_body.commands[-1]
            item = _first(tail)
            whole = _first(entries[i]).data
            done = sum(
                len(_first(p).data)
                for p, o in zip(pieces[:pos], origin[:pos], strict=True)
                if o == (i, True)
            )
            more = dataclasses.replace(
                item, data=type(item.data)(whole[done - len(item.data) : done + 1])
            )
            grown = (*m.sync_body.commands[:-1], pack_module.with_items(tail, (more,)))
            assert _size(_with(m, grown, False), fmt) > max_msg
            continue
        nxt = entries[i]
        if chunk:  # the object started in the next message: not even its first character fitted
            nxt = _one_char_chunk(nxt, True)
        final = last_entry and not chunk
        assert _size(_with(m, (*m.sync_body.commands, nxt), final), fmt) > max_msg


# --- properties ---------------------------------------------------------------------------------


def _whole_need(entries: list[Command], fmt: WireFormat, head: tuple[Command, ...]) -> int:
    """The smallest MaxMsgSize that carries each entry that cannot be chunked, alone."""
    base = SyncML(sync_hdr=HDR, sync_body=SyncBody(commands=head, final=True))
    sizes = [_size(_with(base, (*head, c), True), fmt) for c in entries if not _chunkable(c)]
    return max(sizes, default=0)


@settings(max_examples=150)
@given(
    statuses=st.lists(_status | _results, max_size=4),
    commands=st.lists(_command, max_size=8),
    extra=st.integers(0, 1500),
    anywhere=st.booleans(),
    with_hdr_status=st.booleans(),
    fmt=st.sampled_from(["xml", "wbxml"]),
)
def test_packed_messages_fit_and_unpack_to_the_original(
    statuses: list[Any],
    commands: list[Any],
    extra: int,
    anywhere: bool,
    with_hdr_status: bool,
    fmt: WireFormat,
) -> None:
    head: tuple[Command, ...] = (HDR_STATUS,) if with_hdr_status else ()
    statuses = _numbered(statuses, 2)
    commands = _numbered(commands, 2 + len(statuses) * 4)
    entries = [*statuses, *commands]
    # from the smallest budget that carries the envelope; or above what every whole entry needs
    envelope = _envelope(fmt, head)
    floor = envelope if anywhere else max(envelope, _whole_need(entries, fmt, head))
    max_msg = floor + extra
    try:
        pending: list[Any] = [*head, *statuses]
        messages = pack(HDR, pending, commands, max_msg_size=max_msg, format=fmt)
    except EncodeError:
        event("EncodeError")
        assert _justified(entries, max_msg, fmt, head)
        return
    if not entries and not head:
        assert messages == []
        return
    event(
        f"{min(len(messages), 5)}+ messages" if len(messages) >= 5 else f"{len(messages)} messages"
    )
    event(
        "chunked"
        if any(
            i.more_data
            for m in messages
            for c in m.sync_body.commands
            for i in getattr(c, "items", ())
        )
        else "unchunked"
    )
    assert messages
    request = SyncML(
        sync_hdr=dataclasses.replace(HDR, meta=Meta(max_msg_size=str(max_msg))),
        sync_body=SyncBody(commands=(HDR_STATUS,)),
    )
    for i, m in enumerate(messages):
        assert _size(m, fmt) <= max_msg
        assert check_message(m, request=request, size=_size(m, fmt)) == []
        assert m.sync_body.final == (i == len(messages) - 1)
        assert m.sync_body.commands[: len(head)] == head
        assert m.sync_hdr.msg_id == str(100 + i)
        assert m.sync_hdr.session_id == HDR.session_id
    assert _unpack(messages, fmt) == entries
    if entries:
        _check_full(messages, entries, fmt, max_msg, head)


@settings(max_examples=40)
@given(
    data=st.binary(min_size=1, max_size=20000),
    extra=st.integers(400, 3000),
    fmt=st.sampled_from(["xml", "wbxml"]),
)
def test_large_object_chunks(data: bytes, extra: int, fmt: WireFormat) -> None:  # fmt: skip
    text = base64.b64encode(data).decode()
    item = Item(target=Target(loc_uri="./Vendor/MSFT/App/X"), meta=Meta(format="b64"), data=text)
    cmd = Add(cmd_id="2", items=(item,))
    max_msg = _envelope(fmt) + extra
    messages = pack(HDR, [HDR_STATUS], [cmd], max_msg_size=max_msg, format=fmt)
    chunks = [_first(m.sync_body.commands[1]) for m in messages]
    assert all(len(m.sync_body.commands) == 2 for m in messages)  # nothing between chunks
    if len(chunks) > 1:
        assert chunks[0].meta.size == str(len(text))  # the base64 text's length
        assert all(c.meta.size is None for c in chunks[1:])  # Size in the first chunk only
        assert all(c.meta.format == "b64" for c in chunks)  # Meta repeated
        assert all(c.target == item.target for c in chunks)  # Target repeated
        assert [c.more_data for c in chunks] == [True] * (len(chunks) - 1) + [False]
    else:
        assert chunks[0] == item  # fits: no MoreData, no Size
    assert "".join(c.data for c in chunks) == text
    assert _unpack(messages, fmt) == [cmd]


# --- examples -----------------------------------------------------------------------------------


def _replaces(n: int, size: int = 30) -> list[Command]:
    return [
        Replace(
            cmd_id=str(i + 2),
            items=(Item(target=Target(loc_uri=f"./Vendor/MSFT/P/{i}"), data="x" * size),),
        )
        for i in range(n)
    ]


def test_serializations_are_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real = serialize

    def counting(obj: Any, **kw: Any) -> bytes:
        nonlocal calls
        calls += 1
        return real(obj, **kw)

    monkeypatch.setattr(pack_module, "serialize", counting)
    counts = {}
    for n in (100, 400):
        calls = 0
        messages = pack(HDR, [HDR_STATUS], _replaces(n), max_msg_size=2000)
        assert len(messages) > n // 30
        counts[n] = calls
    # one per command, plus a few for the envelope per MsgID length (1, 2, 3 digits here)
    assert counts[100] <= 100 + 20, counts
    assert counts[400] - counts[100] <= 300 + 7, counts


def test_atomic_is_never_split_and_too_big_is_an_error() -> None:
    atomic = Atomic(cmd_id="2", commands=tuple(_replaces(20)))
    alone = SyncML(sync_hdr=HDR, sync_body=SyncBody(commands=(HDR_STATUS, atomic), final=True))
    size = _size(alone, "xml")  # exactly the message it needs
    messages = pack(HDR, [HDR_STATUS], [*_replaces(3), atomic], max_msg_size=size)
    assert messages[-1].sync_body.commands[1] == atomic
    with pytest.raises(EncodeError, match=r"never split.*DM Protocol 2.1.1"):
        pack(HDR, [HDR_STATUS], [atomic], max_msg_size=size - 1)


def test_multi_item_command_that_fits_nowhere_is_an_error() -> None:
    cmd = Replace(cmd_id="2", items=(Item(data="a" * 900), Item(data="b" * 900)))
    with pytest.raises(EncodeError, match="single Item"):
        pack(HDR, [HDR_STATUS], [cmd], max_msg_size=1200)


def test_max_obj_size() -> None:
    cmd = Replace(cmd_id="2", items=(Item(target=Target(loc_uri="./a"), data="é" * 100),))
    assert pack(HDR, [], [cmd], max_msg_size=10_000, max_obj_size=200)
    with pytest.raises(
        EncodeError, match="Data of 200 bytes is larger than the peer's MaxObjSize 199"
    ):
        pack(HDR, [], [cmd], max_msg_size=10_000, max_obj_size=199)


def test_envelope_too_small_and_bad_arguments() -> None:
    with pytest.raises(EncodeError, match="cannot carry even the envelope"):
        pack(HDR, [HDR_STATUS], _replaces(1), max_msg_size=_envelope("xml") - 1)
    with pytest.raises(EncodeError, match="unknown format"):
        pack(HDR, [], _replaces(1), max_msg_size=5000, format="json")  # type: ignore[arg-type]
    with pytest.raises(EncodeError, match="MsgID 'x' is not an integer"):
        pack(dataclasses.replace(HDR, msg_id="x"), [], _replaces(1), max_msg_size=5000)
    with pytest.raises(EncodeError, match="markup"):
        pack(
            HDR,
            [],
            [Replace(cmd_id="2", items=(Item(data=XmlData("<a/>" * 500)),))],
            max_msg_size=1000,
        )
    assert pack(HDR, [], [], max_msg_size=5000) == []


def test_only_the_syncHdr_status() -> None:
    (m,) = pack(HDR, [HDR_STATUS], [], max_msg_size=_envelope("wbxml"), format="wbxml")
    assert m.sync_body.commands == (HDR_STATUS,)
    assert m.sync_body.final


def test_msg_id_growing_a_digit_is_accounted() -> None:
    hdr = dataclasses.replace(HDR, msg_id="7")
    messages = pack(hdr, [HDR_STATUS], _replaces(200), max_msg_size=900)
    assert [m.sync_hdr.msg_id for m in messages[:4]] == ["7", "8", "9", "10"]
    assert all(_size(m, "xml") <= 900 for m in messages)
    for m, nxt in itertools.pairwise(messages):
        grown = _with(m, (*m.sync_body.commands, nxt.sync_body.commands[1]), False)
        assert _size(grown, "xml") > 900  # full, across the 9 -> 10 boundary too
