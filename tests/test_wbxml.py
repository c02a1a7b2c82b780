"""Tests for the token-level WBXML decoder (syncml_codec._wbxml.decode) and the test tools.

Interop tests run the real libwbxml tools (``xml2wbxml``/``wbxml2xml``, Debian package
``libwbxml2-utils``) and skip, loudly, only when they are not installed.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from xml.parsers import expat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wbxml_tools import WbxmlWriter, wbxml_to_xml, xml_to_wbxml

from syncml_codec._wbxml import NS_METINF, NS_SYNCML12, PUBLIC_ID_SYNCML11, decode
from syncml_codec.errors import (
    EncodeError,
    ForbiddenConstruct,
    LimitExceeded,
    MalformedXML,
    Position,
    SyncMLError,
)
from syncml_codec.limits import Limits

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "wbxml" / "sample.wbxml"
CORPUS = DATA / "corpus"

XML2WBXML = shutil.which("xml2wbxml")
WBXML2XML = shutil.which("wbxml2xml")
needs_libwbxml = pytest.mark.skipif(
    XML2WBXML is None or WBXML2XML is None,
    reason="LOUD SKIP: libwbxml tools xml2wbxml/wbxml2xml not installed "
    "(apt-get install libwbxml2-utils); WBXML interop with the real peer is NOT tested",
)

Event = tuple[Any, ...]


class Recorder:
    """Collects decode events; adjacent text is merged (expat splits text arbitrarily too)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def start(self, name: str, attrs: list[str]) -> None:
        self.events.append(("start", name, tuple(attrs)))

    def data(self, text: str) -> None:
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + text)
        else:
            self.events.append(("data", text))

    def opaque(self, payload: bytes) -> None:
        self.events.append(("opaque", payload))

    def end(self, name: str) -> None:
        self.events.append(("end", name))


def expat_events(xml: bytes) -> list[Event]:
    """What pyexpat without namespace processing reports (whitespace-only text dropped)."""
    rec = Recorder()
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartElementHandler = rec.start
    parser.EndElementHandler = rec.end
    parser.CharacterDataHandler = rec.data
    parser.Parse(xml, True)
    return [e for e in rec.events if not (e[0] == "data" and not e[1].strip())]


def decoded_events(wbxml: bytes) -> list[Event]:
    rec = Recorder()
    decode(wbxml, rec)
    return rec.events


Tree = tuple[str, str, list[Any]]


def tree(xml: bytes | str) -> Tree:
    """Element tree: (``{ns}name``, stripped direct text, children). Prefixes are ignored."""
    return _tree(ET.fromstring(xml))


def _tree(e: ET.Element) -> Tree:
    text = (e.text or "") + "".join(c.tail or "" for c in e)
    return (e.tag, text.strip(), [_tree(c) for c in e])


def libwbxml_encode(xml: bytes, tmp_path: Path, *flags: str) -> bytes:
    assert XML2WBXML is not None
    src, out = tmp_path / "in.xml", tmp_path / "out.wbxml"
    src.write_bytes(xml)
    subprocess.run([XML2WBXML, *flags, "-o", str(out), str(src)], check=True, capture_output=True)
    return out.read_bytes()


def libwbxml_decode(wbxml: bytes, tmp_path: Path) -> bytes:
    assert WBXML2XML is not None
    src, out = tmp_path / "in.wbxml", tmp_path / "out.xml"
    src.write_bytes(wbxml)
    subprocess.run(
        [WBXML2XML, "-m", "0", "-o", str(out), str(src)], check=True, capture_output=True
    )
    return out.read_bytes()


# ---------------------------------------------------------------------------------------------
# Hand-written DM 1.2 messages: every DM command, Meta Format/Type, SyncHdr MaxMsgSize, MoreData.

M = f'xmlns="{NS_METINF}"'
HDR = (
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1A</SessionID>"
    "<MsgID>2</MsgID><Target><LocURI>IMEI:493005100592800</LocURI></Target>"
    "<Source><LocURI>https://mdm.example.com/dm</LocURI><LocName>srv</LocName></Source>"
    f"<Meta><MaxMsgSize {M}>65000</MaxMsgSize><MaxObjSize {M}>1048576</MaxObjSize></Meta>"
    "</SyncHdr>"
)


def _msg(body: str) -> bytes:
    return f'<SyncML xmlns="{NS_SYNCML12}">{HDR}<SyncBody>{body}</SyncBody></SyncML>'.encode()


def _item(uri: str, data: str = "", meta: str = "") -> str:
    meta_xml = f"<Meta>{meta}</Meta>" if meta else ""
    data_xml = f"<Data>{data}</Data>" if data else ""
    return f"<Item><Target><LocURI>{uri}</LocURI></Target>{meta_xml}{data_xml}</Item>"


CHR = f"<Format {M}>chr</Format><Type {M}>text/plain</Type>"
SERVER_MSG = _msg(
    "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
    "<TargetRef>https://mdm.example.com/dm</TargetRef><SourceRef>IMEI:493005100592800</SourceRef>"
    f"<Chal><Meta><Format {M}>b64</Format><Type {M}>syncml:auth-md5</Type>"
    f"<NextNonce {M}>ZG9ub3R1c2U=</NextNonce></Meta></Chal><Data>212</Data></Status>"
    f"<Add><CmdID>2</CmdID>{_item('./Vendor/MSFT/Node', 'v &amp; &lt;x&gt;', CHR)}</Add>"
    f"<Alert><CmdID>3</CmdID><Data>1101</Data><Item></Item>{_item('x', 'Ok? é€😀')}</Alert>"
    "<Atomic><CmdID>4</CmdID>"
    f"<Replace><CmdID>5</CmdID>{_item('./a', '1', f'<Format {M}>int</Format>')}</Replace>"
    f"<Delete><CmdID>6</CmdID>{_item('./b')}</Delete></Atomic>"
    "<Copy><CmdID>7</CmdID><Item><Target><LocURI>./c</LocURI></Target>"
    "<Source><LocURI>./d</LocURI></Source></Item></Copy>"
    f"<Delete><CmdID>8</CmdID><NoResp/>{_item('./e')}</Delete>"
    f"<Exec><CmdID>9</CmdID>{_item('./DMClient/Provider/P1/Unenroll', 'P1', CHR)}</Exec>"
    f"<Get><CmdID>10</CmdID>{_item('./DevInfo/Mod')}</Get>"
    f"<Replace><CmdID>11</CmdID>{_item('./f', 'AAEC', f'<Format {M}>b64</Format>')}</Replace>"
    "<Sequence><CmdID>12</CmdID>"
    f"<Get><CmdID>13</CmdID>{_item('./g')}</Get><Exec><CmdID>14</CmdID>{_item('./h')}</Exec>"
    "</Sequence><Final/>"
)
CLIENT_MSG = _msg(
    "<Status><CmdID>1</CmdID><MsgRef>2</MsgRef><CmdRef>10</CmdRef><Cmd>Get</Cmd>"
    "<TargetRef>./DevInfo/Mod</TargetRef><Data>200</Data></Status>"
    "<Results><CmdID>2</CmdID><MsgRef>2</MsgRef><CmdRef>10</CmdRef>"
    f"<Meta><Format {M}>chr</Format><Type {M}>text/plain</Type><Size {M}>9000</Size></Meta>"
    "<Item><Source><LocURI>./DevInfo/Mod</LocURI></Source><Data>part one</Data><MoreData/></Item>"
    "</Results>"
    "<Alert><CmdID>3</CmdID><Data>1226</Data><Correlator>abc123</Correlator>"
    "<Item><Source><LocURI>./SyncML/Sample</LocURI></Source>"
    f"<Meta><Type {M}>Reversed-Domain-Name: org.domain.samplealert</Type><Format {M}>xml</Format>"
    f"<Mark {M}>critical</Mark><EMI {M}>e1</EMI><EMI {M}>e2</EMI></Meta>"
    "<Data>&lt;x/&gt;</Data></Item></Alert>"
    "<Alert><CmdID>4</CmdID><Data>1201</Data></Alert>"
    "<Sync><CmdID>5</CmdID><Target><LocURI>db</LocURI></Target><NumberOfChanges>1</NumberOfChanges>"
    f"<Meta><Anchor {M}><Last>1</Last><Next>2</Next></Anchor>"
    f"<Mem {M}><SharedMem/><FreeMem>10</FreeMem><FreeID>3</FreeID></Mem></Meta></Sync>"
)
MESSAGES = {"server": SERVER_MSG, "client": CLIENT_MSG}


def corpus_inputs() -> dict[str, bytes]:
    """The well-formed corpus XML files, made self-describing for both tools.

    Fragments get a SyncML envelope, a root without a namespace gets ``SYNCML:SYNCML1.2``
    (libwbxml and our encoder both pick the language from the root namespace), and the DOCTYPE
    (which our converter refuses) is removed; libwbxml does not need it.
    """
    out: dict[str, bytes] = {}
    for path in sorted(CORPUS.glob("*/*.xml")) + sorted(CORPUS.glob("*/*/*.xml")):
        raw = path.read_bytes()
        try:
            expat.ParserCreate().Parse(raw, True)
        except expat.ExpatError:
            continue  # deliberately not well-formed (see the corpus README)
        raw = re.sub(rb"<!DOCTYPE[^>]*>", b"", raw)
        raw = re.sub(rb"<\?xml[^>]*\?>", b"", raw).strip()
        if raw.startswith(b"<SyncML>"):
            raw = raw.replace(b"<SyncML>", f'<SyncML xmlns="{NS_SYNCML12}">'.encode(), 1)
        elif not raw.startswith((b"<SyncML", b"<DevInf")):
            raw = _msg(raw.decode())
        out[path.name] = raw
    return out


CORPUS_INPUTS = corpus_inputs()
K800I = "sony-ericsson-k800i-package1.xml"
ALL_INPUTS = {**MESSAGES, **CORPUS_INPUTS}


def test_corpus_inputs_found() -> None:
    assert len(CORPUS_INPUTS) >= 6, sorted(CORPUS_INPUTS)


# ---------------------------------------------------------------------------------------------
# (a) the real capture


def test_sample_capture_decodes() -> None:
    events = decoded_events(SAMPLE.read_bytes())
    assert events[0] == ("start", "SyncML", ("xmlns", NS_SYNCML12))
    assert events[-1] == ("end", "SyncML")
    # MetInf elements declare their namespace; nested MetInf (Anchor/Last) inherit it.
    assert ("start", "MaxMsgSize", ("xmlns", NS_METINF)) in events
    i = events.index(("start", "Anchor", ("xmlns", NS_METINF)))
    assert events[i + 1] == ("start", "Last", ())
    # The nested DevInf arrives as OPAQUE, untouched, and is itself a DevInf 1.2 document.
    opaques = [e[1] for e in events if e[0] == "opaque"]
    assert len(opaques) == 1
    assert opaques[0][:4] == b"\x03\xa4\x03\x6a"
    inner = decoded_events(opaques[0])
    assert inner[0] == ("start", "DevInf", ("xmlns", "syncml:devinf"))
    assert ("data", "Funambol") in inner
    texts = [e[1] for e in events if e[0] == "data"]
    assert "1333380097" in texts  # from the string table (STR_T)
    assert "http://UKR-029-RMA.ads.deltek.com:8881" in texts  # inline (STR_I)


def test_sample_xml_round_trip() -> None:
    xml = wbxml_to_xml(SAMPLE.read_bytes())
    assert tree(wbxml_to_xml(xml_to_wbxml(xml.encode()))) == tree(xml)


@needs_libwbxml
def test_sample_matches_libwbxml(tmp_path: Path) -> None:
    ours = tree(wbxml_to_xml(SAMPLE.read_bytes()))
    theirs = tree(libwbxml_decode(SAMPLE.read_bytes(), tmp_path))
    assert ours == theirs


# ---------------------------------------------------------------------------------------------
# (b) interop with libwbxml


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_decode_matches_expat_events(name: str) -> None:
    xml = MESSAGES[name]
    assert decoded_events(xml_to_wbxml(xml)) == expat_events(xml)


@needs_libwbxml
@pytest.mark.parametrize("name", sorted(ALL_INPUTS))
def test_our_encoder_to_libwbxml(name: str, tmp_path: Path) -> None:
    xml = ALL_INPUTS[name]
    theirs = libwbxml_decode(xml_to_wbxml(xml, version=0x02), tmp_path)
    assert tree(theirs) == tree(xml)


@needs_libwbxml
@pytest.mark.parametrize("name", sorted(ALL_INPUTS))
def test_libwbxml_encoder_to_our_decoder(name: str, tmp_path: Path) -> None:
    xml = ALL_INPUTS[name]
    for flags in ((), ("-n", "-v", "1.2"), ("-k",)):
        if "-n" in flags and name == K800I:
            # A DevInf 1.1 with 1.2 elements needs LITERAL tags, hence a string table.
            with pytest.raises(subprocess.CalledProcessError, match="exit status 100"):
                libwbxml_encode(xml, tmp_path, *flags)
            continue
        wbxml = libwbxml_encode(xml, tmp_path, *flags)
        assert tree(wbxml_to_xml(wbxml)) == tree(xml), flags


@needs_libwbxml
@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_libwbxml_events_equal_expat_events(name: str, tmp_path: Path) -> None:
    # libwbxml writes Data text holding '<', '>' or '&' (and CDATA) as OPAQUE: read it as text.
    class TextRecorder(Recorder):
        def opaque(self, payload: bytes) -> None:
            self.data(payload.decode())

    xml = MESSAGES[name]
    rec = TextRecorder()
    decode(libwbxml_encode(xml, tmp_path), rec)
    assert rec.events == expat_events(xml)


@needs_libwbxml
@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_bytes_identical_to_libwbxml_inline_strings(name: str, tmp_path: Path) -> None:
    # xml2wbxml -n (no string table) -v 1.2 makes the same choices as our writer, except that
    # it writes text holding markup characters as OPAQUE: leave those out here.
    # It also writes an Item's Data as OPAQUE (depending on the Meta Type): drop those Data.
    xml = re.sub(rb"&(amp|lt|gt);", b"+", MESSAGES[name])
    xml = re.sub(rb"(<Item>(?:(?!</Item>).)*?)<Data>[^<]*</Data>", rb"\1", xml)
    assert xml.count(b"<Item>") >= 2
    assert xml.count(b"<Data>") >= 2
    assert xml_to_wbxml(xml) == libwbxml_encode(xml, tmp_path, "-n", "-v", "1.2")


# ---------------------------------------------------------------------------------------------
# Header forms and tables


BODY = b"\x6d\x6b\x12\x01\x01"  # <SyncML><SyncBody><Final/></SyncBody></SyncML>


@pytest.mark.parametrize(
    ("header", "ns"),
    [
        (b"\x02\xa4\x01\x6a\x00", NS_SYNCML12),
        (b"\x01\xa4\x01\x6a\x00", NS_SYNCML12),
        (b"\x03\x9f\x53\x6a\x00", "SYNCML:SYNCML1.1"),
        (b"\x02\x9f\x51\x6a\x00", "SYNCML:SYNCML1.0"),
    ],
)
def test_public_ids(header: bytes, ns: str) -> None:
    assert decoded_events(header + BODY) == [
        ("start", "SyncML", ("xmlns", ns)),
        ("start", "SyncBody", ()),
        ("start", "Final", ()),
        ("end", "Final"),
        ("end", "SyncBody"),
        ("end", "SyncML"),
    ]


@pytest.mark.parametrize(
    ("fpi", "ns"),
    [
        ("-//SYNCML//DTD SyncML 1.2//EN", NS_SYNCML12),
        ("-//SYNCML//DTD SYNCML 1.2//EN", NS_SYNCML12),
        ("-//syncml//dtd syncml 1.1//en", "SYNCML:SYNCML1.1"),
    ],
)
def test_string_table_fpi(fpi: str, ns: str) -> None:
    table = fpi.encode() + b"\0"
    doc = b"\x02\x00\x00\x6a" + bytes([len(table)]) + table + BODY
    assert decoded_events(doc)[0] == ("start", "SyncML", ("xmlns", ns))


def test_devinf_document() -> None:
    table = b"-//SYNCML//DTD DevInf 1.2//EN\0"
    doc = b"\x02\x00\x00\x6a" + bytes([len(table)]) + table + b"\x4a\x55\x03x\x00\x01\x28\x01"
    assert decoded_events(doc) == [
        ("start", "DevInf", ("xmlns", "syncml:devinf")),
        ("start", "Mod", ()),
        ("data", "x"),
        ("end", "Mod"),
        ("start", "UTC", ()),
        ("end", "UTC"),
        ("end", "DevInf"),
    ]


def test_literal_tags() -> None:
    # libwbxml writes elements missing from a page as LITERAL / LITERAL_C (string-table name).
    doc = b"\x02\xa4\x01\x6a\x08Ext-Tag\x00\x6d\x44\x00\x03x\x00\x01\x04\x00\x01"
    assert decoded_events(doc) == [
        ("start", "SyncML", ("xmlns", NS_SYNCML12)),
        ("start", "Ext-Tag", ()),
        ("data", "x"),
        ("end", "Ext-Tag"),
        ("start", "Ext-Tag", ()),
        ("end", "Ext-Tag"),
        ("end", "SyncML"),
    ]


def test_entity_and_str_t() -> None:
    doc = b"\x02\xa4\x01\x6a\x03ab\0" + b"\x6d\x6b\x4f\x02\x81\x00\x83\x01\x01\x01\x01"
    assert decoded_events(doc)[2:5] == [("start", "Data", ()), ("data", "\u0080b"), ("end", "Data")]


def test_metinf_page_back_to_syncml_inside_meta() -> None:
    # SyncML 1.1 has no 1.2-only tags on either page.
    w = WbxmlWriter(public_id=PUBLIC_ID_SYNCML11)
    with pytest.raises(EncodeError):
        w.start("Correlator", "SYNCML:SYNCML1.1")
    doc = b"\x02\x9f\x53\x6a\x00\x6d\x7c\x01\x01"  # 0x3C Correlator in a 1.1 document
    with pytest.raises(MalformedXML, match="unknown tag token 0x3C"):
        decode(doc, Recorder())


# ---------------------------------------------------------------------------------------------
# Writer


def test_writer_empty_element_and_page_switches() -> None:
    w = WbxmlWriter()
    w.start("SyncML", NS_SYNCML12)
    w.start("SyncHdr", NS_SYNCML12)
    w.start("Meta", NS_SYNCML12)
    w.start("Format", NS_METINF)
    w.text("chr")
    w.end()
    w.start("Type", NS_METINF)
    w.text("text/plain")
    w.end()
    w.end()
    w.end()
    w.start("SyncBody", NS_SYNCML12)
    w.start("Final", NS_SYNCML12)
    w.end()
    w.end()
    w.end()
    assert w.getvalue() == (
        b"\x02\xa4\x01\x6a\x00\x6d\x6c\x5a\x00\x01\x47\x03chr\x00\x01\x53\x03text/plain\x00"
        b"\x01\x01\x01\x00\x00\x6b\x12\x01\x01"
    )


def test_writer_opaque_and_empty_text() -> None:
    w = WbxmlWriter(version=0x03)
    w.start("SyncML", NS_SYNCML12)
    w.start("Data", NS_SYNCML12)
    w.text("")
    w.end()
    w.start("Data", NS_SYNCML12)
    w.opaque(b"\x00\xff")
    w.end()
    w.end()
    assert w.getvalue() == b"\x03\xa4\x01\x6a\x00\x6d\x0f\x4f\xc3\x02\x00\xff\x01\x01"


@pytest.mark.parametrize(
    "action",
    [
        lambda w: w.text("a\0b"),
        lambda w: w.text("a\x01b"),
        lambda w: w.start("Nope", NS_SYNCML12),
        lambda w: w.start("SyncML", "urn:other"),
        lambda w: w.start("Format", NS_SYNCML12),
        lambda w: (w.end(), w.end()),
        lambda w: w.getvalue(),
    ],
)
def test_writer_errors(action: Any) -> None:
    w = WbxmlWriter()
    w.start("SyncML", NS_SYNCML12)
    with pytest.raises(EncodeError):
        action(w)


def test_writer_rejects_second_root_and_bad_header() -> None:
    w = WbxmlWriter()
    w.start("SyncML", NS_SYNCML12)
    w.end()
    with pytest.raises(EncodeError):
        w.start("SyncML", NS_SYNCML12)
    with pytest.raises(EncodeError):
        WbxmlWriter(version=7)
    with pytest.raises(EncodeError):
        WbxmlWriter(public_id=0x1234)


def test_xml_to_wbxml_refuses_doctype_entities_pi_and_attributes() -> None:
    with pytest.raises(ForbiddenConstruct):
        xml_to_wbxml(b'<!DOCTYPE SyncML [<!ENTITY e "x">]><SyncML xmlns="SYNCML:SYNCML1.2"/>')
    with pytest.raises(ForbiddenConstruct):
        xml_to_wbxml(b'<SyncML xmlns="SYNCML:SYNCML1.2"><?pi x?></SyncML>')
    with pytest.raises(EncodeError, match="attribute"):
        xml_to_wbxml(b'<SyncML xmlns="SYNCML:SYNCML1.2"><Data a="1"/></SyncML>')
    with pytest.raises(MalformedXML) as info:
        xml_to_wbxml(b'<SyncML xmlns="SYNCML:SYNCML1.2">\n<Data></Final></SyncML>')
    assert info.value.line == 2


def test_xml_to_wbxml_prefixes_and_whitespace() -> None:
    xml = (
        b'<s:SyncML xmlns:s="SYNCML:SYNCML1.2" xmlns:m="syncml:metinf">\n <s:Meta>\n'
        b"  <m:Type> a b </m:Type></s:Meta><s:Data>  </s:Data></s:SyncML>"
    )
    assert decoded_events(xml_to_wbxml(xml)) == [
        ("start", "SyncML", ("xmlns", NS_SYNCML12)),
        ("start", "Meta", ()),
        ("start", "Type", ("xmlns", NS_METINF)),
        ("data", " a b "),
        ("end", "Type"),
        ("end", "Meta"),
        ("start", "Data", ()),
        ("data", "  "),  # whitespace is the whole content: kept
        ("end", "Data"),
        ("end", "SyncML"),
    ]


def test_wbxml_to_xml_opaque_rendering() -> None:
    w = WbxmlWriter()
    w.start("SyncML", NS_SYNCML12)
    for payload in (b"<a&b>", b"\xff\x00"):
        w.start("Data", NS_SYNCML12)
        w.opaque(payload)
        w.end()
    w.end()
    xml = wbxml_to_xml(w.getvalue())
    assert xml.endswith("<Data>&lt;a&amp;b&gt;</Data><Data>/wA=</Data></SyncML>")


# ---------------------------------------------------------------------------------------------
# (c) property: random trees round-trip

SYNCML_TAGS = ["Add", "Alert", "Atomic", "CmdID", "Data", "Final", "Item", "LocURI", "Meta"]
METINF_TAGS = ["Format", "Type", "Anchor", "Last", "MaxMsgSize", "Mem", "FreeMem"]
TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00\ufffe\uffff"
    ).filter(lambda c: c >= " " or c in "\t\n\r"),
    max_size=20,
)


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> Any:
    ns = draw(st.sampled_from([NS_SYNCML12, NS_METINF]))
    name = draw(st.sampled_from(SYNCML_TAGS if ns == NS_SYNCML12 else METINF_TAGS))
    children: list[Any] = []
    if depth < 4:
        children = draw(st.lists(st.one_of(TEXT, element(depth + 1)), max_size=4))
    return (ns, name, children)


def _write(w: WbxmlWriter, node: Any) -> None:
    ns, name, children = node
    w.start(name, ns)
    for child in children:
        if isinstance(child, str):
            w.text(child)
        else:
            _write(w, child)
    w.end()


def _expected(node: Any, parent_ns: str, out: Recorder) -> None:
    ns, name, children = node
    out.start(name, [] if ns == parent_ns else ["xmlns", ns])
    for child in children:
        if isinstance(child, str):
            if child:
                out.data(child)
        else:
            _expected(child, ns, out)
    out.end(name)


@settings(max_examples=300, deadline=None)
@given(root=element(), version=st.sampled_from([1, 2, 3]))
def test_random_trees_round_trip(root: Any, version: int) -> None:
    root = (NS_SYNCML12, "SyncML", root[2])
    w = WbxmlWriter(version=version)
    _write(w, root)
    encoded = w.getvalue()
    expected = Recorder()
    _expected(root, "", expected)
    assert decoded_events(encoded) == expected.events
    # and the XML converter round-trips the same tree
    assert xml_to_wbxml(wbxml_to_xml(encoded).encode(), version=version) == _drop_ws_only(
        root, version
    )


def _drop_ws_only(root: Any, version: int) -> bytes:
    """What xml_to_wbxml writes: whitespace-only text dropped when there are element children."""

    def walk(w: WbxmlWriter, node: Any) -> None:
        ns, name, children = node
        has_child = any(not isinstance(c, str) for c in children)
        w.start(name, ns)
        # adjacent texts merge in XML
        merged: list[Any] = []
        for c in children:
            if isinstance(c, str) and merged and isinstance(merged[-1], str):
                merged[-1] += c
            else:
                merged.append(c)
        for c in merged:
            if isinstance(c, str):
                if c.strip() or not has_child:
                    w.text(c)
            else:
                walk(w, c)
        w.end()

    w = WbxmlWriter(version=version)
    walk(w, root)
    return w.getvalue()


# ---------------------------------------------------------------------------------------------
# (d) hostile input

HEADER = b"\x02\xa4\x01\x6a\x00"


def test_every_prefix_of_sample_is_malformed() -> None:
    data = SAMPLE.read_bytes()
    for i in range(len(data)):
        with pytest.raises(MalformedXML) as info:
            decode(data[:i], Recorder())
        assert info.value.position is not None
        assert info.value.position.line == 0
        assert 0 <= info.value.position.column <= i


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_every_prefix_of_message_is_malformed(name: str) -> None:
    data = xml_to_wbxml(MESSAGES[name])
    for i in range(len(data)):
        with pytest.raises(MalformedXML):
            decode(data[:i], Recorder())


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pos=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_bit_flips_raise_only_syncml_errors(pos: int, bit: int) -> None:
    data = bytearray(SAMPLE.read_bytes())
    data[pos % len(data)] ^= 1 << bit
    with contextlib.suppress(SyncMLError):
        decode(bytes(data), Recorder())


@settings(max_examples=500, deadline=None)
@given(body=st.binary(max_size=200), with_header=st.booleans())
def test_random_bytes_raise_only_syncml_errors(body: bytes, with_header: bool) -> None:
    with contextlib.suppress(SyncMLError):
        decode((HEADER if with_header else b"") + body, Recorder())


def test_huge_opaque_length_fails_fast() -> None:
    doc = HEADER + b"\x6d\x4f\xc3\x8f\xff\xff\xff\x7f" + b"x" * 10
    t0 = time.perf_counter()
    with pytest.raises(MalformedXML, match="OPAQUE length 4294967295") as info:
        decode(doc, Recorder())
    assert time.perf_counter() - t0 < 0.1
    assert info.value.position == Position(0, 7)
    assert info.value.xpath == "/SyncML/Data"


def test_huge_string_table_fails_fast() -> None:
    with pytest.raises(MalformedXML, match="string table length 4294967295"):
        decode(b"\x02\xa4\x01\x6a\x8f\xff\xff\xff\x7f", Recorder())


def test_deep_nesting_hits_max_depth() -> None:
    doc = HEADER + b"\x6d\x6b" + b"\x48" * 10_000  # SyncML, SyncBody, Atomic, Atomic...
    with pytest.raises(LimitExceeded) as info:
        decode(doc, Recorder(), Limits(max_depth=50))
    assert info.value.limit == "max_depth"
    assert info.value.value == 50
    assert info.value.position == Position(0, 5 + 50)
    # the _paths form: [n] on what the table says repeats (Atomic is a command)
    assert info.value.xpath == "/SyncML/SyncBody" + "/Atomic[1]" * 49


def test_limits_text_and_bytes() -> None:
    doc = HEADER + b"\x6d\x4f\x03" + b"a" * 100 + b"\x00\x01\x01"
    with pytest.raises(LimitExceeded) as info:
        decode(doc, Recorder(), Limits(max_text=99))
    assert info.value.limit == "max_text"
    decode(doc, Recorder(), Limits(max_text=100))
    with pytest.raises(LimitExceeded) as info:
        decode(doc, Recorder(), Limits(max_bytes=len(doc) - 1))
    assert info.value.limit == "max_bytes"
    opaque = HEADER + b"\x6d\x4f\xc3\x0a" + b"b" * 10 + b"\x01\x01"
    with pytest.raises(LimitExceeded):
        decode(opaque, Recorder(), Limits(max_text=9))


DATA_PATH = "/SyncML/SyncBody/Status[1]/Data"
STATUS_DATA = HEADER + b"\x6d\x6b\x69\x4b\x03" + b"1\x00\x01\x4f\x03"


@pytest.mark.parametrize(
    ("doc", "message", "offset", "xpath"),
    [
        (b"", "empty input", 0, ""),
        (b"\x05\xa4\x01\x6a\x00" + BODY, "WBXML version", 0, ""),
        (b"\x02\xa4\x01\x04\x00" + BODY, "charset", 3, ""),
        (b"\x02\xa4\x02\x6a\x00" + BODY, "public id 0x1202", 1, ""),
        (b"\x02\x00\x05\x6a\x00" + BODY, "string table index 5", 1, ""),
        (b"\x02\x00\x00\x6a\x02ab" + BODY, "not NUL-terminated", 1, ""),
        (b"\x02\x00\x00\x6a\x02a\x00" + BODY, "unsupported document type", 1, ""),
        (b"\x02\xff\xff\xff\xff\xff\x01", "longer than 5 bytes", 1, ""),
        (b"\x02\xff\xff\xff\xff\x7f", "overflows 32 bits", 1, ""),
        (b"\x02\xa4", "truncated multi-byte integer", 1, ""),
        (HEADER, "no root element", 5, ""),
        (HEADER + b"\x01", "END token with no open element", 5, ""),
        (HEADER + b"\x03x\x00", "text outside the root", 5, ""),
        (HEADER + b"\x6d\x04\x00", "string table index 0 out of range", 6, "/SyncML"),
        (b"\x02\xa4\x01\x6a\x031a\x00\x6d\x04\x00\x01", "'1a' is not an XML name", 9, "/SyncML"),
        (b"\x02\xa4\x01\x6a\x02a\x00\x6d\xc4\x00\x01", "<a> has attributes", 8, "/SyncML/a"),
        (HEADER + b"\x6d\xc0", "global token EXT_0", 6, "/SyncML"),
        (HEADER + b"\x6d\x43", "global token PI", 6, "/SyncML"),
        (HEADER + b"\x6d\x7f\x01\x01", "unknown tag token 0x3F", 6, "/SyncML"),
        (HEADER + b"\x6d\x70\x01\x01", "unknown tag token 0x30", 6, "/SyncML"),
        (HEADER + b"\x6d\x00\x05", "unknown code page 5", 6, "/SyncML"),
        (HEADER + b"\x6d\x00", "truncated SWITCH_PAGE", 6, "/SyncML"),
        (HEADER + b"\x6d\xcf", "has attributes", 6, "/SyncML/Data"),
        (HEADER + b"\x12\x12", "1 trailing bytes", 6, ""),
        (HEADER + b"\x6d\x01\x00", "trailing bytes", 7, ""),
        (HEADER + b"\x6d\x83\x00\x01", "string table index 0 out of range", 6, "/SyncML"),
        (HEADER + b"\x6d\x02\x00\x01", "ENTITY U+0000", 6, "/SyncML"),
        (HEADER + b"\x6d\x02\x83\xb0\x00\x01", "ENTITY U+D800", 6, "/SyncML"),
        (HEADER + b"\x6d\x03abc", "not NUL-terminated", 6, "/SyncML"),
        (STATUS_DATA + b"\xff\x00\x01\x01\x01\x01", "not UTF-8", 14, DATA_PATH),
        (STATUS_DATA + b"\x01\x00\x01\x01\x01\x01", "XML does not allow", 14, DATA_PATH),
        (STATUS_DATA + b"ok\x00\x01", "<Status> is not closed", 19, "/SyncML/SyncBody/Status[1]"),
    ],
)  # fmt: skip
def test_malformed(doc: bytes, message: str, offset: int, xpath: str) -> None:
    with pytest.raises(MalformedXML, match=re.escape(message)) as info:
        decode(doc, Recorder())
    assert info.value.position == Position(0, offset)
    assert info.value.xpath == xpath
    assert str(info.value).startswith(f"byte {offset}: ")


def test_callback_exceptions_propagate_unchanged() -> None:
    class Boom(Recorder):
        def data(self, text: str) -> None:
            raise KeyError(text)

    with pytest.raises(KeyError):
        decode(SAMPLE.read_bytes(), Boom())


def test_accepts_bytearray_and_memoryview() -> None:
    data = SAMPLE.read_bytes()
    expected = decoded_events(data)
    for view in (bytearray(data), memoryview(data)):
        rec = Recorder()
        decode(view, rec)
        assert rec.events == expected


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=200))
def test_wbxml_to_xml_on_random_bytes_raises_only_syncml_errors(body: bytes) -> None:
    with contextlib.suppress(SyncMLError):
        ET.fromstring(wbxml_to_xml(HEADER + body))  # and what it returns is well-formed XML


def test_deeply_nested_opaque_documents_do_not_recurse() -> None:
    inner = HEADER + b"\x6d\x01"
    for _ in range(3000):
        w = WbxmlWriter()
        w.start("SyncML", NS_SYNCML12)
        w.start("Data", NS_SYNCML12)
        w.opaque(inner)
        w.end()
        w.end()
        inner = w.getvalue()
    xml = wbxml_to_xml(inner)
    assert xml.count("<SyncML") == 2  # one level inlined, the rest is text
