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


_SNIPPET = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b"<Replace>\n"
    b"  <Item>\n"
    b"    <Target><LocURI>./Device/Vendor/MSFT/Policy/Config/Camera/AllowCamera</LocURI></Target>\n"
    b'    <Meta><Format xmlns="syncml:metinf">int</Format></Meta>\n'
    b"    <Data>0</Data>\n"
    b"  </Item>\n"
    b"</Replace>\n"
    b"<Replace><Item><Target><LocURI>./b</LocURI></Target><Data>1</Data><Bogus/></Item></Replace>\n"
)


def test_parse_commands_reads_a_profile_snippet_file(tmp_path: Path) -> None:
    """Issue 15 item 3: top-level commands with no root and no CmdID (the server assigns it)."""
    from syncml_codec.parse import parse_commands, parse_commands_with_diagnostics

    path = tmp_path / "camera.xml"
    path.write_bytes(_SNIPPET)
    for source in (_SNIPPET, _SNIPPET.decode(), path):
        diags: list[sc.Diagnostic] = []
        commands = parse_commands(source, diagnostics=diags)
        assert [type(c).__name__ for c in commands] == ["Replace", "Replace"]
        assert [c.cmd_id for c in commands] == ["", ""]  # optional here: no P105
        first, second = commands
        assert isinstance(first, sc.Replace) and isinstance(second, sc.Replace)
        assert first.items[0].data == "0" and first.items[0].meta is not None
        assert second.items[0].target == sc.Target(loc_uri="./b")
        # each command keeps its own line and column; paths start at the snippet's top level
        assert [(d.code, d.line, d.column, d.xpath) for d in diags] == [
            ("P104", 9, 67, "/Replace[2]/Item[1]/Bogus")  # the "<" of <Bogus/>
        ]
    result = parse_commands_with_diagnostics(_SNIPPET)
    assert len(result.commands) == 2 and [d.code for d in result.diagnostics] == ["P104"]
    with pytest.raises(sc.UnknownElement) as info:
        parse_commands(_SNIPPET, strict=True)
    assert (info.value.line, info.value.column) == (9, 67)


def test_a_snippet_error_points_at_the_real_fault_with_its_line(tmp_path: Path) -> None:
    from syncml_codec.parse import parse_commands

    bad = _SNIPPET.replace(b"<Data>1</Data>", b"<Data>a&b=1</Data>")
    path = tmp_path / "bad.xml"
    path.write_bytes(bad)
    with pytest.raises(sc.MalformedXML) as info:
        parse_commands(path)
    assert info.value.line == 9 and "a literal '&' must be written &amp;" in str(info.value)
    assert info.value.xpath == "/Replace[2]/Item[1]/Data"
    assert str(info.value).startswith(f"{path}: line 9, column ")
    one_line = b"<Replace><Item><Data>x</Data></Item></Replace><Get><Item><Bad></Item></Get>"
    with pytest.raises(sc.MalformedXML) as info:
        parse_commands(one_line)
    assert (info.value.line, info.value.column) == (1, one_line.index(b"</Item></Get>") + 3)
    assert "SyncBody" not in str(info.value)


def test_parse_commands_on_a_whole_message_gives_its_commands() -> None:
    from syncml_codec.parse import parse_commands

    message = sc.parse(HEAD)
    assert parse_commands(HEAD) == message.sync_body.commands
    assert parse_commands(sc.serialize(message, format="wbxml")) == message.sync_body.commands


def test_looks_like_commands_recognises_the_kind() -> None:
    from syncml_codec._snippet import looks_like_commands

    assert looks_like_commands(_SNIPPET)
    assert looks_like_commands("<!-- camera -->\n<Exec/>")
    assert not looks_like_commands(HEAD)
    assert not looks_like_commands(b"<Item/>")


def test_builder_paths_have_the_one_form_local_names_and_table_indexes() -> None:
    """Element paths come from ``_paths`` (issue 12): local names, ``[n]`` exactly on the
    children the table says repeat, whatever prefix the input used."""
    body = (
        b'<s:Replace xmlns:s="SYNCML:SYNCML1.2"><s:CmdID>9</s:CmdID>'
        b"<s:Item><s:Data>1</s:Data></s:Item></s:Replace>"
    )
    diags: list[sc.Diagnostic] = []
    sc.parse(_message(body), diagnostics=diags)
    assert [(d.code, d.xpath) for d in diags] == [
        ("P108", "/SyncML/SyncBody/Replace[2]"),  # one Replace in the sample before it
        ("P108", "/SyncML/SyncBody/Replace[2]/CmdID"),
        ("P108", "/SyncML/SyncBody/Replace[2]/Item[1]"),
        ("P108", "/SyncML/SyncBody/Replace[2]/Item[1]/Data"),
    ]
