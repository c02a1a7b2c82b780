"""Mutants that mutmut found surviving, killed where it was cheap (docs/pages/testing.md).

The mutation run over ``_validate/protocol.py`` and ``serialize.py`` left LocURI checks on
Source unobserved (only Target was tested), the DM224 problem words and the byte-count element
names unpinned, the query part and absolute-URI exemptions of the LocURI check untested, and
the SyncML 1.1 namespace choice of the writer untested. Each test below fails with one of
those mutants and passes without it.
"""

from __future__ import annotations

import dataclasses

import pytest

import syncml_codec as sc

_HDR = (
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>"
    "<MsgID>1</MsgID><Target><LocURI>IMEI:1</LocURI></Target>"
    "<Source><LocURI>https://dm.example/x</LocURI></Source>{meta}</SyncHdr>"
)


def _msg(body: str, hdr_meta: str = "") -> bytes:
    return (
        f'<SyncML xmlns="SYNCML:SYNCML1.2">{_HDR.format(meta=hdr_meta)}<SyncBody>{body}'
        "<Final/></SyncBody></SyncML>"
    ).encode()


def _results(source: str) -> str:
    return (
        "<Results><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>1</CmdRef>"
        f"<Item><Source><LocURI>{source}</LocURI></Source><Data>1</Data></Item></Results>"
    )


def _dm224(data: bytes) -> list[tuple[str, str]]:
    return [(d.xpath, d.message) for d in sc.validate(data) if d.code == "DM224"]


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("/Vendor/MSFT/A", "starts with '/'"),
        ("./Vendor/MSFT/A/", "has an empty segment"),
        ("./Vendor//A", "has an empty segment"),
        ("./Vendor/./A", "has a '.' segment after the first"),
        ("./Vendor/A/.", "has a '.' segment after the first"),
        ("./Vendor/a:b//c", "has an empty segment"),  # a colon alone is no URI scheme
    ],
)
def test_a_source_locuri_is_checked_and_the_message_names_the_problem(
    uri: str, problem: str
) -> None:
    assert _dm224(_msg(_results(uri))) == [
        (
            "/SyncML/SyncBody/Results[1]/Item[1]/Source/LocURI",
            f"LocURI {uri!r} {problem}; expected ./Segment/Segment",
        )
    ]


def test_the_dm224_message_quotes_at_most_80_characters() -> None:
    uri = "./" + "a" * 100 + "/"
    ((_, message),) = _dm224(_msg(_results(uri)))
    assert message.startswith(f"LocURI {uri[:80]!r} has an empty segment")


@pytest.mark.parametrize(
    "uri",
    [
        "https://dm.example//a/",  # an absolute URI: its own syntax ([MS-MDM] 2.2.3.5)
        "urn:oma:mo:oma-dm-dmacc:1.0",
        "./Vendor/MSFT/A?list=a//b/",  # the query part is not a path
        "./Vendor/MSFT/A",
    ],
)
def test_absolute_uris_and_query_parts_are_not_dm224(uri: str) -> None:
    assert _dm224(_msg(_results(uri))) == []


@pytest.mark.parametrize(
    ("where", "meta"),
    [
        (
            "SyncHdr/Meta/MaxMsgSize",
            "<Meta><MaxMsgSize xmlns='syncml:metinf'>1k</MaxMsgSize></Meta>",
        ),
        (
            "SyncHdr/Meta/MaxObjSize",
            "<Meta><MaxObjSize xmlns='syncml:metinf'>1k</MaxObjSize></Meta>",
        ),
    ],
)
def test_dm223_names_the_byte_count_element(where: str, meta: str) -> None:
    (hit,) = [d for d in sc.validate(_msg("", hdr_meta=meta)) if d.code == "DM223"]
    name = where.rsplit("/", 1)[1]
    assert (hit.xpath, hit.message) == (
        f"/SyncML/{where}",
        f"{name} '1k' is not a decimal byte count",
    )


def test_dm223_names_size_in_an_item() -> None:
    body = (
        "<Replace><CmdID>2</CmdID><Item><Target><LocURI>./a</LocURI></Target>"
        "<Meta><Size xmlns='syncml:metinf'>x1</Size></Meta><Data>1</Data></Item></Replace>"
    )
    (hit,) = [d for d in sc.validate(_msg(body)) if d.code == "DM223"]
    assert hit.message == "Size 'x1' is not a decimal byte count"
    assert hit.xpath == "/SyncML/SyncBody/Replace[1]/Item[1]/Meta/Size"


def test_s121_lists_the_formats_separated_by_commas() -> None:
    body = (
        "<Replace><CmdID>2</CmdID><Item><Target><LocURI>./a</LocURI></Target>"
        "<Meta><Format xmlns='syncml:metinf'>json</Format></Meta><Data>1</Data></Item></Replace>"
    )
    (hit,) = [d for d in sc.validate(_msg(body)) if d.code == "S121"]
    assert "expected one of b64, bin, bool, chr, " in hit.message


@pytest.mark.parametrize(
    ("ver_dtd", "ver_proto", "ns"),
    [
        ("1.2", "DM/1.2", b"SYNCML:SYNCML1.2"),
        ("1.1", "DM/1.2", b"SYNCML:SYNCML1.1"),
        ("1.2", "DM/1.1", b"SYNCML:SYNCML1.1"),
        ("1.1", "DM/1.1", b"SYNCML:SYNCML1.1"),
    ],
)
def test_the_writer_picks_the_11_namespace_from_verdtd_or_verproto(
    ver_dtd: str, ver_proto: str, ns: bytes
) -> None:
    message = sc.parse(_msg(""))
    hdr = dataclasses.replace(message.sync_hdr, ver_dtd=ver_dtd, ver_proto=ver_proto)
    out = sc.serialize(dataclasses.replace(message, sync_hdr=hdr))
    assert out.startswith(b'<SyncML xmlns="' + ns + b'">')
