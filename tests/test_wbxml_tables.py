"""The WBXML token tables held to an independent copy, without libwbxml (issue 14).

``PAGE0``/``PAGE1`` below are transcribed by hand from the code-page tables of
OMA-TS-SyncML_RepPro-V1_2 §8 "WBXML" (SyncML, page 0) and the SyncML MetInf DTD 1.2 (MetInf,
page 1), as the project's specification notes list them, column by column; they were not copied
from ``syncml_codec._wbxml.tokens``. A swapped or shifted token in the package then fails here
even where the libwbxml tools are not installed, and the golden message at the end (every
command type, written token by token) pins the encoder's exact bytes.
"""

from __future__ import annotations

from typing import Any

import pytest

import syncml_codec as sc
from syncml_codec._wbxml import NS_METINF, NS_SYNCML11, NS_SYNCML12, decode
from syncml_codec._wbxml.tokens import LANGS, PUBLIC_ID_SYNCML11, PUBLIC_ID_SYNCML12

# RepPro 1.2 §8, code page 0 (SyncML); 0x30 is reserved; 0x35-0x3C are new in 1.2.
PAGE0 = {
    0x05: "Add", 0x06: "Alert", 0x07: "Archive", 0x08: "Atomic", 0x09: "Chal", 0x0A: "Cmd",
    0x0B: "CmdID", 0x0C: "CmdRef", 0x0D: "Copy", 0x0E: "Cred", 0x0F: "Data", 0x10: "Delete",
    0x11: "Exec", 0x12: "Final", 0x13: "Get", 0x14: "Item", 0x15: "Lang", 0x16: "LocName",
    0x17: "LocURI", 0x18: "Map", 0x19: "MapItem", 0x1A: "Meta", 0x1B: "MsgID", 0x1C: "MsgRef",
    0x1D: "NoResp", 0x1E: "NoResults", 0x1F: "Put", 0x20: "Replace", 0x21: "RespURI",
    0x22: "Results", 0x23: "Search", 0x24: "Sequence", 0x25: "SessionID", 0x26: "SftDel",
    0x27: "Source", 0x28: "SourceRef", 0x29: "Status", 0x2A: "Sync", 0x2B: "SyncBody",
    0x2C: "SyncHdr", 0x2D: "SyncML", 0x2E: "Target", 0x2F: "TargetRef", 0x31: "VerDTD",
    0x32: "VerProto", 0x33: "NumberOfChanges", 0x34: "MoreData", 0x35: "Field", 0x36: "Filter",
    0x37: "Record", 0x38: "FilterType", 0x39: "SourceParent", 0x3A: "TargetParent",
    0x3B: "Move", 0x3C: "Correlator",
}  # fmt: skip
# MetInf DTD 1.2, code page 1; FieldLevel (0x16) is new in 1.2.
PAGE1 = {
    0x05: "Anchor", 0x06: "EMI", 0x07: "Format", 0x08: "FreeID", 0x09: "FreeMem", 0x0A: "Last",
    0x0B: "Mark", 0x0C: "MaxMsgSize", 0x0D: "Mem", 0x0E: "MetInf", 0x0F: "Next",
    0x10: "NextNonce", 0x11: "SharedMem", 0x12: "Size", 0x13: "Type", 0x14: "Version",
    0x15: "MaxObjSize", 0x16: "FieldLevel",
}  # fmt: skip


def _named(page: tuple[str | None, ...]) -> dict[int, str]:
    return {tok: name for tok, name in enumerate(page) if name is not None}


@pytest.mark.parametrize(("page", "expected"), [(0, PAGE0), (1, PAGE1)])
def test_decoder_pages_equal_the_transcription(page: int, expected: dict[int, str]) -> None:
    assert _named(LANGS[PUBLIC_ID_SYNCML12].pages[page]) == expected


@pytest.mark.parametrize(("ns", "expected"), [(NS_SYNCML12, PAGE0), (NS_METINF, PAGE1)])
def test_encoder_tokens_equal_the_transcription(ns: str, expected: dict[int, str]) -> None:
    _, tokens = LANGS[PUBLIC_ID_SYNCML12].by_ns[ns]
    assert tokens == {name: tok for tok, name in expected.items()}


def test_syncml11_pages_end_where_1_1_ends() -> None:
    pages = LANGS[PUBLIC_ID_SYNCML11].pages
    assert _named(pages[0]) == {t: n for t, n in PAGE0.items() if t <= 0x34}
    assert _named(pages[1]) == {t: n for t, n in PAGE1.items() if t <= 0x15}
    assert LANGS[PUBLIC_ID_SYNCML11].namespaces == (NS_SYNCML11, NS_METINF)


@pytest.mark.parametrize(("tok", "name"), sorted(PAGE0.items()))
def test_every_page0_tag_decodes_to_its_name(tok: int, name: str) -> None:
    # <SyncML> with content, the tag (empty: no content bit), END
    doc = bytes((0x02, 0xA4, 0x01, 0x6A, 0x00, 0x6D, tok, 0x01))
    seen: list[str] = []
    decode(doc, _Names(seen))
    assert seen == ["SyncML", name]


@pytest.mark.parametrize(("tok", "name"), sorted(PAGE1.items()))
def test_every_page1_tag_decodes_to_its_name(tok: int, name: str) -> None:
    doc = bytes((0x02, 0xA4, 0x01, 0x6A, 0x00, 0x6D, 0x00, 0x01, tok, 0x01))
    seen: list[str] = []
    decode(doc, _Names(seen))
    assert seen == ["SyncML", name]


class _Names:
    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    def start(self, name: str, attrs: Any) -> None:
        self.seen.append(name)

    def data(self, text: str) -> None:
        pass

    def opaque(self, payload: bytes) -> None:
        pass

    def end(self, name: str) -> None:
        pass


# ---------------------------------------------------------------------------------------------
# A golden message with every command type, written token by token.

M = 'xmlns="syncml:metinf"'
EVERY_COMMAND = f"""<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD>
<VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>2</MsgID>
<Target><LocURI>dev</LocURI></Target><Source><LocURI>srv</LocURI></Source></SyncHdr><SyncBody>
<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data>
</Status>
<Add><CmdID>2</CmdID><Item><Target><LocURI>./a</LocURI></Target><Data>1</Data></Item></Add>
<Alert><CmdID>3</CmdID><Data>1201</Data></Alert>
<Atomic><CmdID>4</CmdID><Delete><CmdID>5</CmdID><Item><Target><LocURI>./b</LocURI></Target>
</Item></Delete></Atomic>
<Copy><CmdID>6</CmdID><Item><Target><LocURI>./c</LocURI></Target>
<Source><LocURI>./d</LocURI></Source></Item></Copy>
<Exec><CmdID>7</CmdID><Item><Target><LocURI>./e</LocURI></Target></Item></Exec>
<Get><CmdID>8</CmdID><Item><Target><LocURI>./f</LocURI></Target></Item></Get>
<Replace><CmdID>9</CmdID><Item><Target><LocURI>./g</LocURI></Target>
<Meta><Format {M}>int</Format><Type {M}>text/plain</Type></Meta><Data>2</Data></Item></Replace>
<Results><CmdID>10</CmdID><MsgRef>1</MsgRef><CmdRef>8</CmdRef>
<Item><Source><LocURI>./f</LocURI></Source><Data>x</Data></Item></Results>
<Sequence><CmdID>11</CmdID><Get><CmdID>12</CmdID><Item><Target><LocURI>./h</LocURI></Target>
</Item></Get></Sequence><Final/></SyncBody></SyncML>""".replace("\n", "").encode()

_TOKENS = {**PAGE0, **{t + 0x100: n for t, n in PAGE1.items()}}
_BY_NAME = {name: tok for tok, name in _TOKENS.items()}


def _assemble(program: list[Any]) -> bytes:
    """Bytes from a hand-written token program: ``"Name"`` opens an element with content,
    ``("Name",)`` is an empty element, ``"/"`` is END, ``b"text"`` an inline string,
    ``("page", n)`` a SWITCH_PAGE. Tag values come from the transcription above."""
    out = bytearray((0x02, 0xA4, 0x01, 0x6A, 0x00))  # WBXML 1.2, SyncML 1.2, UTF-8, no table
    for step in program:
        if step == "/":
            out.append(0x01)
        elif isinstance(step, bytes):
            out += b"\x03" + step + b"\x00"
        elif isinstance(step, tuple) and step[0] == "page":
            out += bytes((0x00, step[1]))
        elif isinstance(step, tuple):
            out.append(_BY_NAME[step[0]] & 0xFF)
        else:
            out.append((_BY_NAME[step] & 0xFF) | 0x40)
    return bytes(out)


def _leaf(name: str, text: str) -> list[Any]:
    return [name, text.encode(), "/"]


def _target(uri: str, name: str = "Target") -> list[Any]:
    return [name, *_leaf("LocURI", uri), "/"]


def _item(uri: str) -> list[Any]:
    return ["Item", *_target(uri), "/"]


GOLDEN = _assemble(
    [
        "SyncML", "SyncHdr", *_leaf("VerDTD", "1.2"), *_leaf("VerProto", "DM/1.2"),
        *_leaf("SessionID", "1"), *_leaf("MsgID", "2"), *_target("dev"),
        *_target("srv", "Source"), "/",
        "SyncBody",
        "Status", *_leaf("CmdID", "1"), *_leaf("MsgRef", "1"), *_leaf("CmdRef", "0"),
        *_leaf("Cmd", "SyncHdr"), *_leaf("Data", "200"), "/",
        "Add", *_leaf("CmdID", "2"), "Item", *_target("./a"), *_leaf("Data", "1"), "/", "/",
        "Alert", *_leaf("CmdID", "3"), *_leaf("Data", "1201"), "/",
        "Atomic", *_leaf("CmdID", "4"), "Delete", *_leaf("CmdID", "5"), *_item("./b"), "/", "/",
        "Copy", *_leaf("CmdID", "6"), "Item", *_target("./c"), *_target("./d", "Source"),
        "/", "/",
        "Exec", *_leaf("CmdID", "7"), *_item("./e"), "/",
        "Get", *_leaf("CmdID", "8"), *_item("./f"), "/",
        "Replace", *_leaf("CmdID", "9"), "Item", *_target("./g"),
        "Meta", ("page", 1), *_leaf("Format", "int"), *_leaf("Type", "text/plain"), "/",
        ("page", 0), *_leaf("Data", "2"), "/", "/",
        "Results", *_leaf("CmdID", "10"), *_leaf("MsgRef", "1"), *_leaf("CmdRef", "8"),
        "Item", *_target("./f", "Source"), *_leaf("Data", "x"), "/", "/",
        "Sequence", *_leaf("CmdID", "11"), "Get", *_leaf("CmdID", "12"), *_item("./h"), "/", "/",
        ("Final",), "/", "/",
    ]
)  # fmt: skip


def test_golden_covers_every_command_type() -> None:
    body = sc.parse(EVERY_COMMAND).sync_body
    kinds = {type(c).__name__ for c in body.commands}
    kinds |= {type(c).__name__ for a in body.commands for c in getattr(a, "commands", ())}
    assert kinds >= {"Status", "Add", "Alert", "Atomic", "Copy", "Delete", "Exec", "Get"}
    assert kinds >= {"Replace", "Results", "Sequence"}


def test_encoder_writes_the_golden_bytes() -> None:
    assert sc.serialize(sc.parse(EVERY_COMMAND), format="wbxml") == GOLDEN


def test_golden_bytes_decode_to_the_message() -> None:
    diagnostics: list[sc.Diagnostic] = []
    assert sc.parse(GOLDEN, diagnostics=diagnostics) == sc.parse(EVERY_COMMAND)
    assert diagnostics == []
