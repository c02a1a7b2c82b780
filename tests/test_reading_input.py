"""Real-world input shapes (issue 15, parser side): hints that match the mistake, header-less
messages, profile snippet files."""

from __future__ import annotations

from pathlib import Path

import pytest

import syncml_codec as sc
from syncml_codec.stream import iter_items

SAMPLES = Path(__file__).parent / "data" / "samples"
HEAD = (SAMPLES / "01-device-unenrollment-request.xml").read_bytes()
CUT = HEAD.index(b"<Final/>")


def _message(body: bytes) -> bytes:
    return HEAD[:CUT] + body + HEAD[CUT:]


@pytest.mark.parametrize(
    "text", [b"MAXDT=15&DR=1", b"Tom & Jerry", b"a&b", b"&#xZZ;", b"x=1&y=&amp;"]
)
def test_a_bare_ampersand_says_to_write_amp(text: bytes) -> None:
    """Issue 15 item 7: ``<Data>MAXDT=15&DR=1</Data>`` got the typographic-quotes hint."""
    data = _message(
        b"<Alert><CmdID>7</CmdID><Data>1100</Data><Item><Data>%s</Data></Item></Alert>" % text
    )
    for source in (data, data.decode("utf-8")):
        with pytest.raises(sc.MalformedXML) as info:
            sc.parse(source)
        assert "a literal '&' must be written &amp;" in str(info.value)
        assert "typographic" not in str(info.value)
        assert info.value.xpath == "/SyncML/SyncBody/Alert[3]/Item[1]/Data"  # two in the sample


def test_an_undefined_entity_says_the_same() -> None:
    with pytest.raises(sc.MalformedXML, match="a literal '&' must be written &amp;"):
        sc.parse(
            _message(
                b"<Alert><CmdID>7</CmdID><Data>1100</Data><Item><Data>a&b;</Data></Item></Alert>"
            )
        )


def test_typographic_quotes_still_get_their_own_hint() -> None:
    data = _message("<Alert x=\u201c1\u201d><CmdID>7</CmdID><Data>1100</Data></Alert>".encode())
    with pytest.raises(sc.MalformedXML, match="typographic quote") as info:
        sc.parse(data)
    assert "&amp;" not in str(info.value)


@pytest.mark.parametrize(
    ("wrong", "right"), [(b"GET", "Get"), (b"get", "Get"), (b"REPLACE", "Replace")]
)
def test_a_case_mistake_in_a_command_name_says_did_you_mean(wrong: bytes, right: str) -> None:
    """Issue 15 item 7: ``<GET>`` (a tool's default) is skipped with P104 and a hint."""
    cmd = b"<%s><CmdID>7</CmdID><Item><Target><LocURI>./a</LocURI></Target></Item></%s>" % (
        wrong,
        wrong,
    )
    data = _message(cmd)
    diags: list[sc.Diagnostic] = []
    sc.parse(data, diagnostics=diags)
    assert [d.code for d in diags] == ["P104"]
    assert f"did you mean <{right}>?" in diags[0].message
    with pytest.raises(sc.UnknownElement, match=f"did you mean <{right}>"):
        sc.parse(data, strict=True)
    stream = iter_items(data)
    list(stream)
    assert list(stream.diagnostics) == diags


def test_an_unknown_name_with_no_near_miss_gets_no_guess() -> None:
    diags: list[sc.Diagnostic] = []
    sc.parse(_message(b"<Bogus/>"), diagnostics=diags)
    assert [d.code for d in diags] == ["P104"] and "did you mean" not in diags[0].message


_BODY = (
    b"<SyncBody><Replace><CmdID>1</CmdID><Item><Target><LocURI>./Vendor/MSFT/Policy/Config/"
    b"Camera/AllowCamera</LocURI></Target><Meta><Format xmlns='syncml:metinf'>int</Format>"
    b"</Meta><Data>0</Data></Item></Replace><Final/></SyncBody>"
)


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (b"", ["SyncHdr"]),  # Microsoft's published samples, ApplyLocalManagementSyncML
        (b"<SyncHdr/>", ["SessionID", "MsgID", "Target", "Source"]),  # local MDM answers
        (
            b"<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>"
            b"<MsgID>1</MsgID><Source><LocURI>dev</LocURI></Source></SyncHdr>",
            ["Target"],
        ),
    ],
    ids=["no-header", "empty-header", "no-target"],
)
def test_a_header_less_message_is_read_tolerantly(header: bytes, missing: list[str]) -> None:
    """Issue 15 item 2: tolerant parsing raised "required element SyncHdr is missing"."""
    data = b'<SyncML xmlns="SYNCML:SYNCML1.2">' + header + _BODY + b"</SyncML>"
    for source in (data, data + b" " * 4096):  # both paths
        diags: list[sc.Diagnostic] = []
        message = sc.parse(source, diagnostics=diags)
        assert [d.code for d in diags] == ["P105"] * len(missing)
        assert [d.message.split()[2] for d in diags] == missing
        assert all(d.xpath in ("/SyncML", "/SyncML/SyncHdr") for d in diags)
        command = message.sync_body.commands[0]
        assert isinstance(command, sc.Replace) and command.items[0].data == "0"
        if header != b"" and b"Source" in header:
            assert message.sync_hdr.source.loc_uri == "dev"
        else:
            assert message.sync_hdr.source == sc.Source(loc_uri="")
        assert message.sync_hdr.target == sc.Target(loc_uri="")
        with pytest.raises(sc.DecodeError, match=f"required element {missing[0]} is missing"):
            sc.parse(source, strict=True)
        stream = iter_items(source)
        assert [p.item for p in stream] == list(command.items)
        assert list(stream.diagnostics) == diags


def test_a_message_with_no_body_still_raises() -> None:
    with pytest.raises(sc.DecodeError, match="required element SyncBody is missing"):
        sc.parse(b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr/></SyncML>')
