"""The encoder's code-page switches (issue 15 item 5), byte for byte.

Expected bytes are written by hand from WAP-192-WBXML (header, SWITCH_PAGE 0x00, END 0x01,
STR_I 0x03, content bit 0x40) and the SyncML (page 0) and MetInf (page 1) code-page tables of
OMA-TS-SyncML_RepPro §8: a SWITCH_PAGE comes only right before a tag of the other page, never
between MetInf siblings or before an END. Reference Toolkit decoders read one SWITCH_PAGE before
a token, not two in a row. libwbxml's ``wbxml2xml`` must read every one of them too.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import syncml_codec as sc

WBXML2XML = shutil.which("wbxml2xml")
needs_libwbxml = pytest.mark.skipif(
    WBXML2XML is None,
    reason="LOUD SKIP: libwbxml wbxml2xml not installed; libwbxml reading them is NOT tested",
)

HEAD = bytes.fromhex("02 a4 01 6a 00")  # WBXML 1.2, SyncML 1.2 (0x1201), UTF-8, no string table
M = 'xmlns="syncml:metinf"'
HDR = (
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>"
    "<MsgID>1</MsgID><Target><LocURI>d</LocURI></Target><Source><LocURI>s</LocURI></Source>"
)
# 6C SyncHdr, 71 VerDTD, 72 VerProto, 65 SessionID, 5B MsgID, 6E Target, 57 LocURI, 67 Source
HDR_BYTES = bytes.fromhex(
    "6c 71 03 312e32 00 01 72 03 444d2f312e32 00 01 65 03 31 00 01 5b 03 31 00 01"
    " 6e 57 03 64 00 01 01 67 57 03 73 00 01 01"
)


def _msg(hdr_tail: str, body: str) -> bytes:
    xml = f'<SyncML xmlns="SYNCML:SYNCML1.2">{HDR}{hdr_tail}</SyncHdr><SyncBody>{body}</SyncBody>'
    return (xml + "</SyncML>").encode()


def _get(cmd_id: str, item: str) -> str:
    return f"<Get><CmdID>{cmd_id}</CmdID><Item>{item}</Item></Get>"


CASES = {
    # Meta with Format and Type in an Item, then Data: one switch in, one back before Data.
    "format-type-then-data": (
        _msg("", _get("1", f"<Meta><Format {M}>chr</Format><Type {M}>text/plain</Type></Meta>"
                           "<Data>x</Data>")),
        "6b 53 4b 03 31 00 01 54"          # SyncBody, Get, CmdID "1", Item
        " 5a 00 01"                        # Meta, SWITCH_PAGE 1
        " 47 03 636872 00 01"              # Format "chr" END
        " 53 03 746578742f706c61696e 00 01"  # Type "text/plain" END (no switch between)
        " 01"                              # END Meta (a global token: no switch)
        " 00 00 4f 03 78 00 01"            # SWITCH_PAGE 0, Data "x" END
        " 01 01 01 01",                    # END Item, Get, SyncBody, SyncML
    ),
    # Meta last in SyncHdr: stay on page 1 through three ENDs, switch before SyncBody.
    "meta-last-in-header": (
        _msg(f"<Meta><MaxMsgSize {M}>5000</MaxMsgSize><MaxObjSize {M}>9</MaxObjSize></Meta>",
             "<Final/>"),
        "5a 00 01 4c 03 35303030 00 01 55 03 39 00 01"  # Meta, SW 1, MaxMsgSize, MaxObjSize
        " 01 01"                                         # END Meta, END SyncHdr
        " 00 00 6b 12 01 01",                            # SW 0, SyncBody, <Final/>, END, END
    ),
    # Meta last in one Item, next Item and next command: one switch, before the next tag only.
    "meta-last-then-next-item": (
        _msg("", _get("1", f"<Target><LocURI>a</LocURI></Target><Meta><Type {M}>t</Type></Meta>"
                           "</Item><Item><Target><LocURI>b</LocURI></Target>")
             + "<Final/>"),
        "6b 53 4b 03 31 00 01"
        " 54 6e 57 03 61 00 01 01 5a 00 01 53 03 74 00 01 01 01"  # Item ... Meta SW1 Type END
        " 00 00 54 6e 57 03 62 00 01 01 01"                        # SW 0, second Item
        " 01 12 01 01",                                            # END Get, <Final/>
    ),
    # Nested MetInf (Anchor/Last/Next, Mem/SharedMem/FreeMem/FreeID) stays on page 1.
    "nested-metinf": (
        _msg(f"<Meta><Anchor {M}><Last>1</Last><Next>2</Next></Anchor><Mem {M}><SharedMem/>"
             "<FreeMem>3</FreeMem><FreeID>4</FreeID></Mem></Meta>", "<Final/>"),
        "5a 00 01"
        " 45 4a 03 31 00 01 4f 03 32 00 01 01"          # Anchor, Last "1", Next "2", END
        " 4d 11 49 03 33 00 01 48 03 34 00 01 01"       # Mem, <SharedMem/>, FreeMem, FreeID, END
        " 01 01 00 00 6b 12 01 01",
    ),
}  # fmt: skip


def _expected(case: str) -> bytes:
    hexbody = CASES[case][1]
    body = bytes.fromhex(hexbody)
    if body.startswith(b"\x6b"):  # the case starts at SyncBody: the header closes plainly
        return HEAD + b"\x6d" + HDR_BYTES + b"\x01" + body
    return HEAD + b"\x6d" + HDR_BYTES + body


@pytest.mark.parametrize("case", sorted(CASES))
def test_exact_bytes(case: str) -> None:
    xml, _ = CASES[case]
    assert sc.serialize(sc.parse(xml), format="wbxml") == _expected(case)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_bytes_read_back(case: str) -> None:
    xml, _ = CASES[case]
    assert sc.parse(_expected(case)) == sc.parse(xml)


def _tree(e: ET.Element) -> tuple[str, str, list[object]]:
    return (e.tag, (e.text or "").strip(), [_tree(c) for c in e])


@needs_libwbxml
@pytest.mark.parametrize("case", sorted(CASES))
def test_libwbxml_reads_the_bytes(case: str, tmp_path: Path) -> None:
    assert WBXML2XML is not None
    src, out = tmp_path / "in.wbxml", tmp_path / "out.xml"
    src.write_bytes(_expected(case))
    subprocess.run([WBXML2XML, "-o", str(out), str(src)], check=True, capture_output=True)
    assert _tree(ET.fromstring(out.read_bytes())) == _tree(ET.fromstring(CASES[case][0]))
