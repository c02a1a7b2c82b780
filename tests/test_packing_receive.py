"""Reassembler: a large-object upload written by hand from the rules of OMA-TS-DM_Protocol §2.2
(Size in the first chunk only, MoreData on all but the last, Target/Source and Meta repeated,
contiguous messages), then each rule broken in turn and answered as the spec says.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib

import pytest

from syncml_codec import (
    Alert,
    AlertCode,
    DecodeError,
    Replace,
    Source,
    Status,
    StatusCode,
    SyncBody,
    SyncML,
    Target,
    parse,
    serialize,
)
from syncml_codec.packing import LargeObject, Reassembler, Received

PAYLOAD = b"An installer, 18 bytes? No: longer." * 3
B64 = base64.b64encode(PAYLOAD).decode()  # 140 characters
PARTS = (B64[:50], B64[50:100], B64[100:])
URI = "./Vendor/MSFT/EnterpriseModernAppManagement/AppInstallation/App/HostedInstall"


def _message(msg_id: str, body: str, final: bool = False) -> bytes:
    """A client message (Windows uploads large objects as Results of a server Get)."""
    return f"""<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD>
<VerProto>DM/1.2</VerProto><SessionID>2A</SessionID><MsgID>{msg_id}</MsgID>
<Target><LocURI>https://mdm.example.com/omadm</LocURI></Target>
<Source><LocURI>{{6f1e8d7a-3c2b-4a59-9e0d-5b7c8a9f1e23}}</LocURI></Source></SyncHdr>
<SyncBody><Status><CmdID>1</CmdID><MsgRef>{msg_id}</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>
<Data>200</Data></Status>{body}{"<Final/>" if final else ""}</SyncBody></SyncML>""".encode()


def _chunk(
    cmd_id: str,
    data: str,
    *,
    size: int | None = None,
    more: bool = True,
    uri: str = URI,
    name: str = "Replace",
) -> str:
    size_el = f'<Size xmlns="syncml:metinf">{size}</Size>' if size is not None else ""
    return (
        f"<{name}><CmdID>{cmd_id}</CmdID><Item><Target><LocURI>{uri}</LocURI></Target>"
        f'<Meta><Format xmlns="syncml:metinf">b64</Format>'
        f'<Type xmlns="syncml:metinf">application/octet-stream</Type>{size_el}</Meta>'
        f"<Data>{data}</Data>{'<MoreData/>' if more else ''}</Item></{name}>"
    )


GOOD = [
    _message("1", _chunk("2", PARTS[0], size=len(B64))),
    _message("2", _chunk("2", PARTS[1])),
    _message("3", _chunk("2", PARTS[2], more=False), final=True),
]


def _feed(r: Reassembler, messages: list[bytes], fmt: str = "xml") -> list[Received]:
    out = []
    for m in messages:
        obj = parse(m)
        if fmt == "wbxml":
            obj = parse(serialize(obj, format="wbxml"))
        out.append(r.feed(obj))
    return out


def _codes(got: Received) -> list[int]:
    return [int(a.data) for a in got.answers if isinstance(a, (Status, Alert)) and a.data]


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_hand_written_upload_reassembles(fmt: str) -> None:
    r = Reassembler()
    got = _feed(r, GOOD, fmt)
    assert [_codes(g) for g in got] == [[213], [213], []]
    assert [g.more for g in got] == [True, True, False]
    first = got[0].answers[0]
    assert isinstance(first, Status)
    assert (first.msg_ref, first.cmd_ref, first.cmd, first.target_ref) == (
        "1",
        "2",
        "Replace",
        (URI,),
    )
    objects = [c for c in got[2].commands if isinstance(c, LargeObject)]
    assert len(objects) == 1
    obj = objects[0]
    assert obj.size == len(B64)
    assert obj.format == "b64"
    assert obj.item.target is not None and obj.item.target.loc_uri == URI
    assert obj.item.meta is not None and obj.item.meta.size is None  # Size was framing
    assert obj.open().read() == B64.encode()
    assert (
        hashlib.sha256(b"".join(obj.iter_decoded(7))).digest() == hashlib.sha256(PAYLOAD).digest()
    )
    cmd = obj.to_command()
    assert isinstance(cmd, Replace) and cmd.items[0].data == B64 and not cmd.items[0].more_data
    obj.close()
    # the SyncHdr Statuses of the messages pass through, chunks with MoreData do not
    assert [type(c).__name__ for c in got[0].commands] == ["Status"]
    assert r.pending is None


def test_size_mismatch_is_424_and_nothing_applied() -> None:
    r = Reassembler()
    bad = [_message("1", _chunk("2", PARTS[0], size=len(B64) + 1)), *GOOD[1:]]
    got = _feed(r, bad)
    assert [_codes(g) for g in got] == [[213], [213], [424]]
    assert not any(isinstance(c, LargeObject) for g in got for c in g.commands)
    last = got[2].answers[0]
    assert isinstance(last, Status) and last.cmd_ref == "2" and last.msg_ref == "3"


def test_more_data_than_size_is_424() -> None:
    got = _feed(Reassembler(), [_message("1", _chunk("2", PARTS[0], size=60)), *GOOD[1:]])
    assert _codes(got[2]) == [424]


def test_new_command_before_the_last_chunk_is_alert_1225() -> None:
    r = Reassembler()
    other = (
        "<Get><CmdID>3</CmdID><Item><Target><LocURI>./DevDetail/SwV</LocURI></Target></Item></Get>"
    )
    got = _feed(r, [GOOD[0], _message("2", other + _chunk("4", PARTS[1])), GOOD[2]])
    # the old object's chunk after the Get starts a new object, without Size: 411 to the end
    assert [_codes(g) for g in got] == [[213], [1225, 411], [411]]
    alert = got[1].answers[0]
    assert isinstance(alert, Alert) and alert.data == AlertCode.NO_END_OF_DATA
    assert alert.items[0].target is not None and alert.items[0].target.loc_uri == URI  # original
    assert [type(c).__name__ for c in got[1].commands] == ["Status", "Get"]  # the Get is applied
    assert r.pending is None
    assert not any(isinstance(c, LargeObject) for g in got for c in g.commands)


def test_new_object_before_the_last_chunk_is_1225_and_starts_the_new_one() -> None:
    r = Reassembler()
    other = _chunk("2", "QUJD", size=8, uri="./Vendor/MSFT/Other")
    got = _feed(r, [GOOD[0], _message("2", other)])
    assert _codes(got[1]) == [1225, 213]
    assert r.pending is not None and r.pending.key[1] == "./Vendor/MSFT/Other"
    r.close()
    assert r.pending is None


def test_new_item_in_the_continuation_is_1225() -> None:
    two_items = _chunk("2", PARTS[1]).replace(
        "</Replace>", "<Item><Target><LocURI>./x</LocURI></Target><Data>1</Data></Item></Replace>"
    )
    got = _feed(Reassembler(), [GOOD[0], _message("2", two_items)])
    assert _codes(got[1]) == [1225]


def test_command_after_a_chunk_in_the_same_message_is_1225() -> None:
    extra = (
        "<Replace><CmdID>3</CmdID><Item><Target><LocURI>./y</LocURI></Target>"
        "<Data>1</Data></Item></Replace>"
    )
    got = _feed(Reassembler(), [_message("1", _chunk("2", PARTS[0], size=len(B64)) + extra)])
    assert _codes(got[0]) == [213, 1225]


def test_object_over_our_max_obj_size_is_413_for_every_chunk() -> None:
    got = _feed(Reassembler(max_obj_size=100), GOOD)
    assert [_codes(g) for g in got] == [[413], [413], [413]]
    assert not any(isinstance(c, LargeObject) for g in got for c in g.commands)


def test_first_chunk_without_size_is_411() -> None:
    got = _feed(Reassembler(), [_message("1", _chunk("2", PARTS[0])), *GOOD[1:]])
    assert [_codes(g) for g in got] == [[411], [411], [411]]


@pytest.mark.parametrize(("threshold", "on_disk"), [(64, True), (1000, False)])
def test_spooling_to_disk_past_the_threshold(threshold: int, on_disk: bool) -> None:
    got = _feed(Reassembler(spool_threshold=threshold), GOOD)
    obj = next(c for c in got[2].commands if isinstance(c, LargeObject))
    assert obj.open().read() == B64.encode()
    assert obj.open()._rolled is on_disk  # type: ignore[attr-defined]  # SpooledTemporaryFile
    obj.close()


def test_invalid_base64_is_a_decode_error() -> None:
    bad = [
        _message("1", _chunk("2", "QUJ*", size=8)),
        _message("2", _chunk("2", "QUJD", more=False)),
    ]
    obj = next(
        c for g in _feed(Reassembler(), bad) for c in g.commands if isinstance(c, LargeObject)
    )
    with pytest.raises(DecodeError, match="not valid base64"):
        b"".join(obj.iter_decoded())
    obj.close()


def _atomic(members: int) -> str:
    replaces = "".join(
        f"<Replace><CmdID>{i + 3}</CmdID><Item><Target><LocURI>./Vendor/MSFT/P/{i}</LocURI>"
        f"</Target><Data>1</Data></Item></Replace>"
        for i in range(members)
    )
    return f"<Atomic><CmdID>2</CmdID>{replaces}</Atomic>"


def _with_max_msg_size(message: bytes, size: int) -> bytes:
    meta = f'<Meta><MaxMsgSize xmlns="syncml:metinf">{size}</MaxMsgSize></Meta></SyncHdr>'
    return message.replace(b"</SyncHdr>", meta.encode(), 1)


@pytest.mark.parametrize("fmt", ["xml", "wbxml"])
def test_atomic_whose_statuses_do_not_fit_is_517_and_not_handed_out(fmt: str) -> None:
    # 40 members: 41 Statuses plus the SyncHdr Status, about 3.6 KB as XML, 1.2 KB as WBXML
    message = _message("1", _atomic(40), final=True)
    tight = Reassembler(format=fmt)  # type: ignore[arg-type]
    got = tight.feed(parse(_with_max_msg_size(message, 1000)))
    assert _codes(got) == [517]
    status = got.answers[0]
    assert isinstance(status, Status) and (status.cmd, status.cmd_ref) == ("Atomic", "2")
    assert [type(c).__name__ for c in got.commands] == ["Status"]
    assert tight.peer_max_msg_size == 1000
    # MaxMsgSize stays in force for the session: the next message need not repeat it
    assert _codes(tight.feed(parse(_message("2", _atomic(40), final=True)))) == [517]
    roomy = Reassembler(format=fmt)  # type: ignore[arg-type]
    got = roomy.feed(parse(_with_max_msg_size(message, 16_000)))
    assert _codes(got) == []
    assert [type(c).__name__ for c in got.commands] == ["Status", "Atomic"]
    # no MaxMsgSize announced: no bound
    assert _codes(Reassembler().feed(parse(message))) == []


def test_517_bound_is_the_size_of_the_reply_statuses() -> None:
    """The bound is exactly the serialized reply: SyncHdr Status, then one per command."""
    message = _message("1", _atomic(10), final=True)
    request = parse(message)
    hdr = request.sync_hdr
    refs = [("0", "SyncHdr"), ("2", "Atomic"), *((str(i + 3), "Replace") for i in range(10))]
    reply = SyncML(
        sync_hdr=dataclasses.replace(
            hdr,
            target=Target(loc_uri=hdr.source.loc_uri),
            source=Source(loc_uri=hdr.target.loc_uri),
        ),
        sync_body=SyncBody(
            commands=tuple(
                Status(cmd_id=str(n + 1), msg_ref="1", cmd_ref=ref, cmd=cmd, data=StatusCode(200))
                for n, (ref, cmd) in enumerate(refs)
            ),
            final=True,
        ),
    )
    size = len(serialize(reply))
    assert _codes(Reassembler().feed(parse(_with_max_msg_size(message, size)))) == []
    assert _codes(Reassembler().feed(parse(_with_max_msg_size(message, size - 1)))) == [517]
