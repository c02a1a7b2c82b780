"""WBXML decoding under ``Limits``, with real positions, one path form, XML-safe text and the
header forms devices send (issues 12, 13 items 4/7/9, 15 item 6).

Messages are assembled here byte by byte (WAP-192-WBXML and the RepPro §8 code pages).
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import syncml_codec as sc
from syncml_codec._wbxml import decode
from syncml_codec.limits import Limits

HEAD = b"\x02\xa4\x01\x6a"  # WBXML 1.2, SyncML 1.2, UTF-8; the string table length follows


def _s(text: bytes) -> bytes:
    return b"\x03" + text + b"\x00"


def _hdr(ver_dtd: bytes = b"1.2") -> bytes:
    # SyncHdr: VerDTD, VerProto, SessionID, MsgID, Target/LocURI, Source/LocURI
    return (
        b"\x6c\x71" + _s(ver_dtd) + b"\x01\x72" + _s(b"DM/" + ver_dtd) + b"\x01\x65" + _s(b"1")
        + b"\x01\x5b" + _s(b"1") + b"\x01\x6e\x57" + _s(b"d") + b"\x01\x01\x67\x57" + _s(b"s")
        + b"\x01\x01\x01"
    )  # fmt: skip


def _item(data: bytes) -> bytes:
    """<Item><Target><LocURI>x</LocURI></Target><Data>{data}</Data></Item>"""
    return b"\x54\x6e\x57" + _s(b"x") + b"\x01\x01\x4f" + data + b"\x01\x01"


def _message(items: bytes, table: bytes = b"", hdr: bytes | None = None) -> bytes:
    """A whole message: one Replace (CmdID 1) holding ``items``, then Final."""
    size = len(table)
    mb = bytes((0x80 | size >> 21 & 0x7F, 0x80 | size >> 14 & 0x7F, 0x80 | size >> 7 & 0x7F))
    head = HEAD + mb + bytes((size & 0x7F,)) + table
    body = b"\x6b\x60\x4b" + _s(b"1") + b"\x01" + items + b"\x01\x12\x01"
    return head + b"\x6d" + (hdr if hdr is not None else _hdr()) + body + b"\x01"


def _items(msg: sc.SyncML) -> tuple[sc.Item, ...]:
    replace = msg.sync_body.commands[0]
    assert isinstance(replace, sc.Replace)
    return replace.items


def test_the_message_builder_makes_a_valid_message() -> None:
    msg = sc.parse(_message(_item(_s(b"v"))))
    assert _items(msg)[0].data == "v"


# ---------------------------------------------------------------------------------------------
# Issue 12: Limits, not the decoder's own defaults; one path form


class _Null:
    def start(self, name: str, attrs: Any) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def opaque(self, payload: bytes) -> None:
        pass

    def end(self, name: str) -> None:
        pass


def test_decode_takes_limits() -> None:
    doc = _message(_item(_s(b"v" * 50)))
    decode(doc, _Null(), Limits())
    with pytest.raises(sc.LimitExceeded) as info:
        decode(doc, _Null(), Limits(max_bytes=len(doc) - 1))
    assert (info.value.limit, info.value.value) == ("max_bytes", len(doc) - 1)
    with pytest.raises(sc.LimitExceeded) as info:
        decode(doc, _Null(), Limits(max_text=49))
    assert info.value.limit == "max_text"


def test_error_paths_index_only_what_the_table_repeats() -> None:
    # An Item straight in SyncBody is not a place the table knows: no [n] (as _paths says);
    # in a Replace it repeats: [1].
    bad = b"\x4f\x03\xff\x00\x01"  # Data holding an inline string that is not UTF-8
    stray = b"\x54" + bad + b"\x01"
    doc = _message(_item(_s(b"v")))
    doc = doc.replace(b"\x6b\x60", b"\x6b" + stray + b"\x60", 1)
    with pytest.raises(sc.MalformedXML) as info:
        sc.parse(doc)
    assert info.value.xpath == "/SyncML/SyncBody/Item/Data"
    with pytest.raises(sc.MalformedXML) as info:
        sc.parse(_message(b"\x54" + bad + b"\x01"))
    assert info.value.xpath == "/SyncML/SyncBody/Replace[1]/Item[1]/Data"


# ---------------------------------------------------------------------------------------------
# Issue 13 item 9: structure errors at their real byte offset, on every entry point


def _twice_data() -> tuple[bytes, int]:
    doc = _message(b"\x54\x6e\x57" + _s(b"x") + b"\x01\x01\x4f" + _s(b"1") + b"\x01\x4f"
                   + _s(b"2") + b"\x01\x01")  # fmt: skip
    # the builder reports the second Data where it ends, as it does for XML (at its end tag)
    return doc, doc.index(b"\x4f\x03\x32\x00\x01") + 4


def test_parse_reports_the_byte_offset_of_a_structure_error() -> None:
    doc, offset = _twice_data()
    with pytest.raises(sc.DecodeError) as info:
        sc.parse(doc, strict=True)
    assert info.value.position == sc.Position(0, offset)
    assert info.value.xpath == "/SyncML/SyncBody/Replace[1]/Item[1]/Data"
    assert str(info.value).startswith(f"byte {offset}: ")


def test_iter_items_reports_the_same_offset() -> None:
    doc, offset = _twice_data()
    with pytest.raises(sc.DecodeError) as info:
        list(sc.iter_items(doc, strict=True))
    assert info.value.position == sc.Position(0, offset)


def test_tolerant_diagnostics_carry_the_offset() -> None:
    doc, offset = _twice_data()
    diags: list[sc.Diagnostic] = []
    sc.parse(doc, diagnostics=diags)
    assert [(d.line, d.column) for d in diags] == [(0, offset)]


# ---------------------------------------------------------------------------------------------
# Issue 13 item 4: string-table references count what they decode to


_SUBPROCESS = textwrap.dedent(
    """
    import resource, sys
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import syncml_codec as sc
    from syncml_codec.limits import Limits
    doc = sys.stdin.buffer.read()
    lifted = sys.argv[2] == "lifted"
    try:
        sc.parse(doc, limits=Limits(max_referenced_text=None) if lifted else None)
    except sc.LimitExceeded as exc:
        print("LimitExceeded", exc.limit)
    else:
        print("parsed")
    """
)


def _run_limited(doc: bytes, budget: str = "default", limit: int = 600 << 20) -> str:
    result = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS, str(limit), budget],
        input=doc,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return result.stdout.decode().strip() or result.stderr.decode()[-300:]


def test_many_references_to_a_big_entry_stop_at_the_budget() -> None:
    # 1 MB entry, 2000 Items referring to it: 2 GB of text from a 1 MB message.
    table = b"A" * 1_000_000 + b"\x00"
    doc = _message(_item(b"\x83\x00") * 2000, table)
    assert len(doc) < 1_100_000
    assert _run_limited(doc) == "LimitExceeded max_referenced_text"


def test_references_piling_up_in_one_element_stop_at_max_text() -> None:
    # 64 references to an 8 MB entry in one Data: 512 MB of text in one element.
    table = b"B" * 8_000_000 + b"\x00"
    doc = _message(_item(b"\x83\x00" * 64), table)
    assert _run_limited(doc) == "LimitExceeded max_referenced_text"
    assert _run_limited(doc, "lifted") == "LimitExceeded max_text"


def test_references_within_the_budget_decode() -> None:
    doc = _message(_item(b"\x83\x00") * 3, b"abc\x00")
    items = _items(sc.parse(doc))
    assert [i.data for i in items] == ["abc"] * 3
    with pytest.raises(sc.LimitExceeded) as info:
        sc.parse(doc, limits=Limits(max_referenced_text=8))
    assert info.value.limit == "max_referenced_text"


# ---------------------------------------------------------------------------------------------
# Issue 13 item 7: what XML 1.0 cannot carry is refused on every string path


@pytest.mark.parametrize(
    "data",
    [
        b"\xc3\x02\x31\x00",  # OPAQUE, UTF-8 text holding U+0000
        b"\xc3\x02\xff\x00",  # OPAQUE, not UTF-8 (read as Latin-1) holding U+0000
        b"\xc3\x03\xef\xbf\xbe",  # OPAQUE, U+FFFE
        b"\x02\x00",  # ENTITY U+0000
        b"\x03\x01\x00",  # STR_I holding U+0001
    ],
)
def test_characters_xml_cannot_carry_are_refused(data: bytes) -> None:
    with pytest.raises(sc.MalformedXML, match="XML"):
        sc.parse(_message(_item(data)))


def test_a_string_table_entry_xml_cannot_carry_is_refused() -> None:
    with pytest.raises(sc.MalformedXML, match="XML"):
        sc.parse(_message(_item(b"\x83\x00"), b"a\x01b\x00"))


def test_opaque_in_msg_id_is_refused_not_kept() -> None:
    doc = _message(_item(_s(b"v"))).replace(b"\x5b\x03\x31\x00", b"\x5b\xc3\x02\x31\x00", 1)
    with pytest.raises(sc.MalformedXML) as info:
        sc.parse(doc)
    assert info.value.xpath == "/SyncML/SyncHdr/MsgID"


@given(st.binary(max_size=12))
def test_what_parse_returns_serialize_can_write(payload: bytes) -> None:
    size = bytes((len(payload),))
    with contextlib.suppress(sc.DecodeError):
        msg = sc.parse(_message(_item(b"\xc3" + size + payload)))
        sc.serialize(msg)
        sc.serialize(msg, format="wbxml")


# ---------------------------------------------------------------------------------------------
# Issue 15 item 6: the public identifier as a string-table entry without its NUL

FPI = b"-//SYNCML//DTD SyncML 1.2//EN"


def _device_message(ver_dtd: bytes = b"1.2") -> bytes:
    assert len(FPI) == 0x1D
    body = _message(_item(_s(b"v")), hdr=_hdr(ver_dtd))[8:]  # after the (empty) table
    return b"\x02\x00\x00\x6a\x1d" + FPI + body


def test_unterminated_public_identifier_tolerated_with_a_diagnostic() -> None:
    diags: list[sc.Diagnostic] = []
    msg = sc.parse(_device_message(), diagnostics=diags)
    assert msg == sc.parse(_message(_item(_s(b"v"))))
    assert [(d.code, d.line, d.column) for d in diags] == [("P120", 0, 1)]


def test_unterminated_public_identifier_refused_when_strict() -> None:
    with pytest.raises(sc.DecodeError, match="not NUL-terminated"):
        sc.parse(_device_message(), strict=True)


def test_public_identifier_against_ver_dtd() -> None:
    diags: list[sc.Diagnostic] = []
    doc = _device_message(b"1.1")
    sc.parse(doc, diagnostics=diags)
    assert [d.code for d in diags] == ["P120", "P121"]
    assert diags[1].xpath == "/SyncML/SyncHdr/VerDTD"
    assert diags[1].column == doc.index(b"\x71\x03\x31\x2e\x31")  # the VerDTD tag
    terminated = _message(_item(_s(b"v")), hdr=_hdr(b"1.1"))
    diags = []
    sc.parse(terminated, diagnostics=diags)
    assert [d.code for d in diags] == ["P121"]
    sc.parse(terminated, strict=True)  # a warning, as the XML namespace/VerDTD mismatch is
