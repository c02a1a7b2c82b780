"""check_message (DM270-DM275) and interop: chunked messages read by libwbxml and our validator."""

from __future__ import annotations

import base64
import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from syncml_codec import (
    RULES,
    Add,
    Command,
    Item,
    Meta,
    Replace,
    Rule,
    Source,
    Status,
    StatusCode,
    SyncBody,
    SyncHdr,
    SyncML,
    Target,
    parse,
    serialize,
    validate,
)
from syncml_codec.packing import PACKING_RULES, check_message, pack

WBXML2XML = shutil.which("wbxml2xml")

HDR = SyncHdr(
    session_id="1",
    msg_id="1",
    target=Target(loc_uri="{6f1e8d7a-3c2b-4a59-9e0d-5b7c8a9f1e23}"),
    source=Source(loc_uri="https://mdm.example.com/omadm"),
)
HDR_STATUS = Status(cmd_id="1", msg_ref="1", cmd_ref="0", cmd="SyncHdr", data=StatusCode(200))
URI = "./Vendor/MSFT/EnterpriseModernAppManagement/AppInstallation/App/HostedInstall"
PAYLOAD = bytes(range(256)) * 40
TEXT = base64.b64encode(PAYLOAD).decode()


def _request(max_msg: int | None = None, max_obj: int | None = None) -> SyncML:
    meta = Meta(
        max_msg_size=str(max_msg) if max_msg else None,
        max_obj_size=str(max_obj) if max_obj else None,
    )
    hdr = dataclasses.replace(
        HDR,
        target=Target(loc_uri=HDR.source.loc_uri),
        source=Source(loc_uri=HDR.target.loc_uri),
        meta=meta,
    )
    return SyncML(sync_hdr=hdr, sync_body=SyncBody(commands=(HDR_STATUS,), final=True))


def _item(data: str, *, size: int | None = None, more: bool = False) -> Item:
    meta = Meta(format="b64", size=str(size) if size is not None else None)
    return Item(target=Target(loc_uri=URI), meta=meta, data=data, more_data=more)


def _msg(*items: Item, final: bool = False) -> SyncML:
    commands: tuple[Command, ...] = (
        HDR_STATUS,
        *(Replace(cmd_id=str(i + 2), items=(it,)) for i, it in enumerate(items)),
    )
    return SyncML(sync_hdr=HDR, sync_body=SyncBody(commands=commands, final=final))


def _codes(message: SyncML, **kw: object) -> list[tuple[str, str]]:
    return [(d.code, d.xpath) for d in check_message(message, **kw)]  # type: ignore[arg-type]


CHUNKED = pack(
    HDR,
    [HDR_STATUS],
    [
        Add(
            cmd_id="2",
            items=(Item(target=Target(loc_uri=URI), meta=Meta(format="b64"), data=TEXT),),
        )
    ],
    max_msg_size=2000,
    max_obj_size=len(TEXT),
    format="wbxml",
)


def test_packed_chunks_break_no_rule_and_validate() -> None:
    assert len(CHUNKED) > 3
    request = _request(2000, len(TEXT))
    for m in CHUNKED:
        wire = serialize(m, format="wbxml")
        assert check_message(m, request=request, size=len(wire)) == []
        assert [d for d in validate(wire) if d.severity == "error"] == []
        assert [d for d in validate(serialize(m)) if d.severity == "error"] == []


@pytest.mark.skipif(WBXML2XML is None, reason="LOUD SKIP: libwbxml's wbxml2xml not installed")
def test_chunked_wbxml_decodes_with_libwbxml(tmp_path: Path) -> None:
    for i, m in enumerate(CHUNKED):
        src, out = tmp_path / f"{i}.wbxml", tmp_path / f"{i}.xml"
        src.write_bytes(serialize(m, format="wbxml"))
        tool = [str(WBXML2XML), "-k", "-o", str(out), str(src)]
        subprocess.run(tool, check=True, capture_output=True)
        xml = out.read_bytes()
        assert parse(xml) == m
        # wbxml2xml writes the SyncML 1.2 DOCTYPE, which the validator refuses on principle
        xml = re.sub(rb"<!DOCTYPE[^>]*>", b"", xml)
        assert [d for d in validate(xml) if d.severity == "error"] == []


def test_tools_present_where_required() -> None:
    if os.environ.get("SYNCML_REQUIRE_WBXML_TOOLS"):
        assert WBXML2XML, "libwbxml2-utils must be installed in CI"


P1 = "/SyncML/SyncBody/Replace[1]/Item[1]"
P2 = "/SyncML/SyncBody/Replace[2]/Item[1]"


def test_dm270_more_data_on_data_that_fits() -> None:
    assert _codes(_msg(_item("QUJD", size=4, more=True))) == [("DM270", f"{P1}/MoreData")]
    # the rest would have fitted in the MaxMsgSize the peer announced
    m = _msg(_item("QUJD", size=8, more=True))
    assert _codes(m) == []
    assert _codes(m, request=_request(100_000)) == [("DM270", f"{P1}/MoreData")]
    assert _codes(m, request=_request(len(serialize(m)) + 3)) == []


def test_dm271_size_outside_the_first_chunk() -> None:
    assert _codes(_msg(_item("QUJD", size=8), final=True)) == [("DM271", f"{P1}/Meta/Size")]
    assert _codes(_msg(_item("QUJD", size=4), final=True)) == []


def test_dm272_more_data_with_final() -> None:
    assert _codes(_msg(_item("QUJD", size=8, more=True), final=True)) == [
        ("DM272", f"{P1}/MoreData")
    ]


def test_dm273_nothing_after_a_chunk() -> None:
    m = _msg(_item("QUJD", size=8, more=True), _item("QUJD"))
    assert _codes(m) == [("DM273", P2)]


def test_dm274_message_over_the_peers_max_msg_size() -> None:
    m = _msg(_item("QUJD"), final=True)
    size = len(serialize(m))
    assert _codes(m, request=_request(size)) == []
    assert _codes(m, request=_request(size - 1)) == [("DM274", "/SyncML")]
    assert _codes(m, request=_request(size), size=size + 1) == [("DM274", "/SyncML")]


def test_dm275_object_over_the_peers_max_obj_size() -> None:
    m = _msg(_item("QUJD", size=8, more=True))
    assert _codes(m, request=_request(max_obj=8)) == []
    assert _codes(m, request=_request(max_obj=7)) == [("DM275", f"{P1}/Data")]
    assert _codes(_msg(_item("QUJDRA"), final=True), request=_request(max_obj=5)) == [
        ("DM275", f"{P1}/Data")
    ]


def test_rule_table_entries_are_validate_rules() -> None:
    codes = [r.code for r in PACKING_RULES]
    assert codes == [f"DM27{i}" for i in range(6)]
    assert all(r.layer == 2 and r.summary and "OMA-TS-DM_Protocol" in r.cite for r in PACKING_RULES)
    assert all(isinstance(r, Rule) for r in PACKING_RULES)
    assert all(RULES[r.code] is r for r in PACKING_RULES)  # registered, no clash


def test_max_msg_size_counts_bytes_for_a_str_source() -> None:
    """validate() sizes the message in UTF-8 bytes (what the transport carries), not str
    characters: 550 characters of text can be over a 600-byte MaxMsgSize."""
    hdr = (
        '<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
        "<SessionID>1</SessionID><MsgID>1</MsgID>"
    )
    request = (
        f"{hdr}<Target><LocURI>s</LocURI></Target><Source><LocURI>d</LocURI></Source>"
        '<Meta><MaxMsgSize xmlns="syncml:metinf">600</MaxMsgSize></Meta></SyncHdr>'
        "<SyncBody><Alert><CmdID>1</CmdID><Data>1201</Data></Alert><Final/></SyncBody></SyncML>"
    )

    def reply(value: str) -> str:
        return (
            f"{hdr}<Target><LocURI>d</LocURI></Target><Source><LocURI>s</LocURI></Source>"
            "</SyncHdr><SyncBody><Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>"
            "<Cmd>SyncHdr</Cmd><Data>200</Data></Status><Status><CmdID>2</CmdID><MsgRef>1</MsgRef>"
            "<CmdRef>1</CmdRef><Cmd>Alert</Cmd><Data>200</Data></Status><Replace><CmdID>3</CmdID>"
            f"<Item><Target><LocURI>./a</LocURI></Target><Data>{value}</Data></Item></Replace>"
            "<Final/></SyncBody></SyncML>"
        )

    text = reply("é" * 50)
    assert len(text) < 600 < len(text.encode("utf-8"))
    for source in (text, text.encode("utf-8")):
        assert [d.code for d in validate(source, request=request)] == ["DM274"]
    ascii_text = reply("e" * 50)
    assert len(ascii_text.encode()) < 600
    assert validate(ascii_text, request=request) == []
