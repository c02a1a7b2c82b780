"""The fast path held to the exact path on small variations of every element (issue 14).

Issue 14's first surviving mutant was an attribute inside an Item that the fast path accepted:
nothing varied the input element by element. Here a base message holding every command type
is varied at each distinct element, one change at a time: an attribute, a namespace prefix, a
comment and a processing instruction inside it, its text as CDATA, whitespace around its
content, and the whole message without ``<Final/>``. Each variant is read at two sizes, below
and above the 3 KiB small-input threshold (``_tree.SMALL``, where ``parse`` starts to use the
fast path), as XML and, where the variant has a WBXML form (``wbxml_tools.xml_to_wbxml``), as
WBXML. For every variant:

* ``_fast.parse_fast`` either bails or gives exactly what the exact path gives, and then only
  for a message the exact path reads with no deviation (``test_tree.check_agreement``);
* ``parse`` (which picks the path by size) gives the exact path's model and diagnostics, or
  raises the same error class at the same position, tolerant and strict;
* ``iterparse`` hands out the exact path's events, or fails the same way.

The counts at the end keep the generator honest: it must produce hundreds of variants, the
fast path must take some of them (whitespace, comments) and leave others (attributes, PIs,
CDATA) to the exact path, so a fast path that always bails cannot pass.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Any
from xml.parsers import expat

import pytest
from test_tree import check_agreement
from wbxml_tools import xml_to_wbxml

import syncml_codec as sc
from syncml_codec import _tree
from syncml_codec.parse import parse_exact
from syncml_codec.stream import StreamParser, _EventParser, _events, iterparse

pytestmark = pytest.mark.skipif(not _tree.available(), reason="no xml.etree C event queue")

_NS = "SYNCML:SYNCML1.2"
_MI = "syncml:metinf"
_META = f"<Meta><Format xmlns='{_MI}'>chr</Format><Type xmlns='{_MI}'>text/plain</Type></Meta>"
_ITEM = (
    "<Item><Target><LocURI>./a/b</LocURI></Target><Source><LocURI>./c</LocURI></Source>"
    f"{_META}<Data>v</Data><MoreData/></Item>"
)
_BODY = (
    "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
    "<TargetRef>a</TargetRef><SourceRef>b</SourceRef><Data>200</Data></Status>"
    f"<Alert><CmdID>2</CmdID><Data>1201</Data></Alert>"
    f"<Add><CmdID>3</CmdID>{_META}{_ITEM}</Add>"
    "<Delete><CmdID>4</CmdID><Item><Target><LocURI>./d</LocURI></Target></Item></Delete>"
    "<Exec><CmdID>5</CmdID><Correlator>c1</Correlator>"
    "<Item><Target><LocURI>./e</LocURI></Target><Data>x</Data></Item></Exec>"
    "<Atomic><CmdID>6</CmdID><Copy><CmdID>7</CmdID><Item><Target><LocURI>./f</LocURI></Target>"
    "<Source><LocURI>./g</LocURI></Source></Item></Copy></Atomic>"
    "<Sequence><CmdID>8</CmdID><Get><CmdID>9</CmdID><Item><Target><LocURI>./h</LocURI></Target>"
    "</Item></Get><Replace><CmdID>10</CmdID><Item><Target><LocURI>./i</LocURI></Target>"
    "<Data>y</Data></Item></Replace></Sequence>"
    "<Results><CmdID>11</CmdID><MsgRef>1</MsgRef><CmdRef>9</CmdRef>"
    "<Item><Source><LocURI>./h</LocURI></Source><Data>z</Data></Item></Results>"
)
_PAD_ONE = (
    "<Replace><CmdID>{n}</CmdID><Item><Target><LocURI>./p/{n}</LocURI></Target>"
    "<Data>q</Data></Item></Replace>"
)


def _message(pad: int) -> bytes:
    body = _BODY + "".join(_PAD_ONE.format(n=100 + i) for i in range(pad))
    return (
        f'<SyncML xmlns="{_NS}"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
        "<SessionID>1</SessionID><MsgID>2</MsgID><Target><LocURI>IMEI:1</LocURI></Target>"
        "<Source><LocURI>https://dm.example/x</LocURI></Source>"
        f"<Meta><MaxMsgSize xmlns='{_MI}'>10000</MaxMsgSize></Meta></SyncHdr>"
        f"<SyncBody>{body}<Final/></SyncBody></SyncML>"
    ).encode()


SMALL_BASE = _message(0)
LARGE_BASE = _message(30)


class _Element:
    """Byte offsets of one element in a document: its start tag and its end tag."""

    def __init__(self, name: str, ns: str, path: str, start: int, data: bytes) -> None:
        self.name, self.ns, self.path, self.start = name, ns, path, start
        self.start_end = data.index(b">", start) + 1
        self.empty = data[self.start_end - 2 : self.start_end] == b"/>"
        self.end = self.start_end  # set by the end event unless empty
        self.end_start = self.start_end


def _elements(data: bytes) -> list[_Element]:
    """Every element of ``data``, the first of each distinct path (``/SyncML/SyncBody/Add/...``)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[_Element] = []
    out: dict[str, _Element] = {}

    def start(tag: str, attrs: Any) -> None:
        ns, _, name = tag.rpartition(" ")
        path = (stack[-1].path if stack else "") + "/" + name
        el = _Element(name, ns, path, parser.CurrentByteIndex, data)
        stack.append(el)
        out.setdefault(path, el)

    def end(tag: str) -> None:
        el = stack.pop()
        if not el.empty:
            el.end_start = parser.CurrentByteIndex
            el.end = data.index(b">", el.end_start) + 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)
    return list(out.values())


def _leaf(data: bytes, el: _Element) -> bool:
    return not el.empty and b"<" not in data[el.start_end : el.end_start]


def _attribute(data: bytes, el: _Element) -> bytes | None:
    cut = el.start_end - (2 if el.empty else 1)
    return data[:cut] + b' a="1"' + data[cut:]


def _prefixed_attribute(data: bytes, el: _Element) -> bytes | None:
    cut = el.start_end - (2 if el.empty else 1)
    return data[:cut] + b' xmlns:x="urn:x" x:a="1"' + data[cut:]


def _prefix(data: bytes, el: _Element) -> bytes | None:
    """The element's own namespace through a prefix: ``<p:Data xmlns:p="SYNCML:SYNCML1.2">``."""
    name, decl = el.name.encode(), f' xmlns:p="{el.ns}"'.encode()
    start = data[el.start : el.start_end].replace(b"<" + name, b"<p:" + name + decl, 1)
    if el.empty:
        return data[: el.start] + start + data[el.start_end :]
    end = b"</p:" + name + b">"
    middle = data[el.start_end : el.end_start]
    return data[: el.start] + start + middle + end + data[el.end :]


def _inside(insert: bytes) -> Callable[[bytes, _Element], bytes | None]:
    def vary(data: bytes, el: _Element) -> bytes | None:
        if el.empty:
            return None
        return data[: el.start_end] + insert + data[el.start_end :]

    return vary


def _cdata(data: bytes, el: _Element) -> bytes | None:
    if not _leaf(data, el) or el.start_end == el.end_start:
        return None
    text = data[el.start_end : el.end_start]
    return data[: el.start_end] + b"<![CDATA[" + text + b"]]>" + data[el.end_start :]


def _whitespace(data: bytes, el: _Element) -> bytes | None:
    if el.empty:
        return None
    inner = data[el.start_end : el.end_start]
    return data[: el.start_end] + b"\n  " + inner + b"\n" + data[el.end_start :]


VARIATIONS: dict[str, Callable[[bytes, _Element], bytes | None]] = {
    "attribute": _attribute,
    "prefixed attribute": _prefixed_attribute,
    "namespace prefix": _prefix,
    "comment": _inside(b"<!-- c -->"),
    "processing instruction": _inside(b"<?pi x?>"),
    "CDATA": _cdata,
    "whitespace": _whitespace,
    # elements inside Data (a whole message reads them on the fast path: _slow.TreeMarkup)
    "markup": _inside(b'\n <m a="1&amp;&quot;&lt;" b="t&#9;x">a&gt;b<n/> </m>\r\n<k/>'),
    "markup redeclaring the namespace": _inside(b'<m><n xmlns="SYNCML:SYNCML1.2"/></m>'),
    "markup in another namespace": _inside(b'<m xmlns="urn:x"><n/></m>'),
    "markup with a prefixed attribute": _inside(b'<m xml:lang="en"/>'),
    "markup nested deep": _inside(b"<m>" * 70 + b"</m>" * 70),
}


def _variants(base: bytes) -> Iterator[tuple[str, bytes]]:
    for el in _elements(base):
        for kind, vary in VARIATIONS.items():
            data = vary(base, el)
            if data is not None:
                assert data != base
                yield f"{kind} {el.path}", data
    yield "no Final", base.replace(b"<Final/>", b"")


def _outcome(read: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, Any]:
    try:
        return "ok", read(*args, **kwargs)
    except sc.DecodeError as exc:
        return type(exc).__name__, (exc.line, exc.column, exc.xpath)


def _agree(data: bytes) -> bool:
    """``data`` read every way agrees with the exact path; True when the fast path took it."""
    took = False
    with contextlib.suppress(sc.DecodeError):  # raised only as the exact path does: see below
        took = check_agreement(data)
    for strict in (False, True):
        exact_diags: list[sc.Diagnostic] = []
        public_diags: list[sc.Diagnostic] = []
        exact = _outcome(parse_exact, data, strict=strict, diagnostics=exact_diags)
        public = _outcome(sc.parse, data, strict=strict, diagnostics=public_diags)
        assert public == exact, (strict, public[0], exact[0])
        assert public_diags == exact_diags
    reference = _outcome(lambda: list(_events(_EventParser(), data)))
    for read in (
        lambda: list(iterparse(data)),
        lambda: list(iterparse(data[i : i + 700] for i in range(0, len(data), 700))),
        lambda: _fed(StreamParser(), data, 700),
    ):
        events = _outcome(read)
        assert events[0] == reference[0]
        if events[0] == "ok":
            assert events[1] == reference[1]
    return took


def _fed(parser: StreamParser, data: bytes, size: int) -> list[Any]:
    """The events of ``parser`` fed ``data`` in chunks of ``size`` bytes (the public parser:
    the fast path, and the exact path replayed from its spool where it bails)."""
    if data[:1] in (b"\x01", b"\x02", b"\x03"):
        return parser.decode_wbxml(data)
    events = []
    for start in range(0, len(data), size):
        events += parser.feed(data[start : start + size])
    return events + parser.close()


def test_the_two_sizes_sit_on_both_sides_of_the_threshold() -> None:
    assert len(SMALL_BASE) < _tree.SMALL < len(LARGE_BASE)
    assert _tree.small(SMALL_BASE) and not _tree.small(LARGE_BASE)
    for base in (SMALL_BASE, LARGE_BASE):
        assert check_agreement(base)  # the unvaried message takes the fast path
        names = {re.sub(r"\[\d+\]", "", e.path).rsplit("/", 1)[-1] for e in _elements(base)}
        assert {"Add", "Delete", "Exec", "Copy", "Atomic", "Sequence", "Get"} <= names


@pytest.mark.parametrize("base", [SMALL_BASE, LARGE_BASE], ids=["below-3KiB", "above-3KiB"])
def test_xml_variants_agree_with_the_exact_path(base: bytes) -> None:
    taken: dict[str, int] = {}
    left: dict[str, int] = {}
    count = 0
    for name, data in _variants(base):
        kind = name.split(" /")[0]
        count += 1
        try:
            took = _agree(data)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None
        (taken if took else left)[kind] = (taken if took else left).get(kind, 0) + 1
    assert count > 300
    # the fast path takes harmless variants and leaves the rest to the exact path
    assert taken.get("whitespace", 0) > 0 and taken.get("comment", 0) > 0
    assert taken.get("no Final") == 1
    assert taken.get("markup", 0) > 0  # in Data
    kinds = ("attribute", "prefixed attribute", "processing instruction", "CDATA")
    for kind in (*kinds, "markup redeclaring the namespace", "markup in another namespace"):
        assert taken.get(kind, 0) == 0, kind
        assert left[kind] > 0


@pytest.mark.parametrize("base", [SMALL_BASE, LARGE_BASE], ids=["below-3KiB", "above-3KiB"])
def test_wbxml_variants_agree_with_the_exact_path(base: bytes) -> None:
    converted = taken = 0
    for name, data in _variants(base):
        try:
            doc = xml_to_wbxml(data)
        except (sc.EncodeError, sc.DecodeError):
            continue  # no WBXML form (an attribute, a PI): nothing to vary as WBXML
        converted += 1
        try:
            taken += _agree(doc)
        except AssertionError as exc:
            raise AssertionError(f"WBXML {name}: {exc}") from None
    assert converted > 200
    assert taken > 100
