"""Data holding CDATA beside text or markup (issue 15 item 1): the value is what an XML parser
reports, checked against ElementTree over many generated shapes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import syncml_codec as sc

HEAD = (
    Path(__file__).parent / "data" / "samples" / "01-device-unenrollment-request.xml"
).read_bytes()
CUT = HEAD.index(b"<Final/>")
NS = "{SYNCML:SYNCML1.2}"

_chars = st.sampled_from(["a", " ", "\n", "\t", "&", "<", ">", "]", "é", "\U0001f600", "x y"])
_text = st.lists(_chars, max_size=6).map("".join)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_piece = st.one_of(
    _text.map(lambda t: ("text", _escape(t))),
    _text.filter(lambda t: "]]>" not in t).map(lambda t: ("cdata", f"<![CDATA[{t}]]>")),
    _text.map(lambda t: ("element", f'<a k="1">{_escape(t)}</a>')),
    st.just(("element", "<b/>")),
)


def _message(data_xml: str) -> bytes:
    item = f"<Replace><CmdID>9</CmdID><Item><Data>{data_xml}</Data></Item></Replace>"
    return HEAD[:CUT] + item.encode() + HEAD[CUT:]


def _data_of(message: sc.SyncML) -> Any:
    command: Any = message.sync_body.commands[-1]
    return command.items[0].data


def _canonical(el: ET.Element) -> Any:
    return (
        el.tag,
        sorted(el.attrib.items()),
        el.text or "",
        [(*_canonical(child), child.tail or "") for child in el],
    )


def _et_data(xml: bytes) -> ET.Element:
    return ET.fromstring(xml).findall(f"{NS}SyncBody/{NS}Replace/{NS}Item/{NS}Data")[-1]


def test_cdata_beside_whitespace_is_the_text_an_xml_parser_reports() -> None:
    data = _message("\n  <![CDATA[<enabled/>]]>\n")
    value = _data_of(sc.parse(data))
    assert value == "\n  <enabled/>\n" == (_et_data(data).text)
    assert isinstance(value, sc.CData)
    wbxml = sc.serialize(sc.parse(data), format="wbxml")
    assert b"<![CDATA[" not in wbxml and b"\n  <enabled/>\n" in wbxml
    assert _data_of(sc.parse(wbxml)) == "\n  <enabled/>\n"


@settings(max_examples=300)
@given(st.lists(_piece, min_size=1, max_size=6))
def test_data_reads_as_elementtree_reads_it(pieces: list[tuple[str, str]]) -> None:
    data = _message("".join(xml for _, xml in pieces))
    message = sc.parse(data)
    value = _data_of(message)
    expected = _et_data(data)
    has_elements = any(kind == "element" for kind, _ in pieces)
    if not has_elements:  # text and CDATA only: the value is the element's text
        assert value == (expected.text or "")
        again = sc.parse(sc.serialize(message, format="wbxml"))
        assert _data_of(again) == value
    else:  # markup: the inner XML, which reads back to the same elements, texts and tails
        assert isinstance(value, sc.XmlData)
    written = sc.serialize(message)
    assert _canonical(_et_data(written)) == _canonical(expected)
    assert sc.parse(written) == message
