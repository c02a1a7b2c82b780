"""The fast path (``_tree``) against the exact, element-by-element path.

Whatever the input, the fast path either gives exactly what the exact path gives for a message
with no deviation, or it bails (None / ``Bail``) and the exact path decides. These tests also
hold it to taking the ordinary messages (a fast path that always bails would pass the first
half), and hold ``iterparse`` to handing out each event once when it switches paths midway.
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus import corpus_cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import messages

import syncml_codec as sc
from benchmarks.cases import generate_items, render_package
from syncml_codec import _fast, _tree
from syncml_codec.limits import DEFAULT_LIMITS
from syncml_codec.parse import parse_exact
from syncml_codec.stream import _EventParser, _events, _TreeStreamParser, iterparse

pytestmark = pytest.mark.skipif(not _tree.available(), reason="no xml.etree C event queue")


def _walk(obj: Any) -> Iterator[Any]:
    yield obj
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            for v in value if isinstance(value, tuple) else (value,):
                yield from _walk(v)


def _has_markup_data(message: Any) -> bool:
    """Data kept as CDATA or as markup: the fast path leaves those to the exact path."""
    return any(isinstance(v, (sc.CData, sc.XmlData)) for v in _walk(message))


def _exact(data: bytes) -> tuple[Any, list[sc.Diagnostic]] | type[sc.DecodeError]:
    diags: list[sc.Diagnostic] = []
    try:
        return parse_exact(data, diagnostics=diags), diags
    except sc.DecodeError as exc:
        return type(exc)


def _ordinary(data: bytes) -> bool:
    """No construct the fast path leaves to the exact path by design (module docstring)."""
    return not any(p in data for p in _tree._EXACT_ONLY[1:]) and data.count(b"<?") <= int(
        data.startswith(b"<?xml ")
    )


def check_agreement(data: bytes) -> bool:
    """Assert the fast path agrees with the exact path; return whether it took the message."""
    exact = _exact(data)
    took = False
    # both fast readers: a whole small message (parse_whole) and the piecewise engine
    for whole in (True, False):
        fast = _fast.parse_fast([data], DEFAULT_LIMITS, whole=whole)
        if fast is None:
            continue
        assert not isinstance(exact, type), (
            f"the fast path (whole={whole}) accepted what the exact path rejects: {exact}"
        )
        message, diags = exact
        assert diags == [], f"the fast path (whole={whole}) accepted a message with deviations"
        assert fast == message
        # equality cannot tell str from CData: the bytes can. A model the DTD does not allow
        # (an empty CmdID read from <CmdID/>) is refused by serialize, the same way for both.
        assert _written(fast) == _written(message)
        took = True
    return took


def _written(message: Any) -> bytes | str:
    """The serialized bytes, or the EncodeError's text when serialize refuses the model."""
    try:
        return sc.serialize(message)
    except sc.EncodeError as exc:
        return str(exc)


_OURS = Path(__file__).parent / "data"
SAMPLES = [
    (p.stem, p.read_bytes())
    for p in sorted([*(_OURS / "samples").glob("*.xml"), *(_OURS / "validate").glob("*.xml")])
]
CASES = corpus_cases() + SAMPLES


def _should_take(data: bytes) -> bool:
    """A whole message the exact path reads without a deviation, with nothing in it that the
    fast path leaves to the exact path by design: the fast path must take it."""
    exact = _exact(data)
    return (
        not isinstance(exact, type)
        and not exact[1]
        and isinstance(exact[0], sc.SyncML)
        and _ordinary(data)
        and not _has_markup_data(exact[0])
        and not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    )


@pytest.mark.parametrize(("name", "data"), CASES, ids=[n for n, _ in CASES])
def test_corpus_fast_path_agrees_or_bails(name: str, data: bytes) -> None:
    taken = check_agreement(data)
    if _should_take(data):
        assert taken, "an ordinary message went to the exact path"


def test_our_samples_and_a_clean_corpus_message_take_the_fast_path() -> None:
    taken = [check_agreement(data) for _, data in SAMPLES]
    assert sum(taken) >= len(SAMPLES) - 1  # one sample carries an MSI job as markup in Data
    # the corpus is mostly quirky devices and documentation with DOCTYPEs: the exact path's
    assert 1 <= sum(check_agreement(data) for _, data in corpus_cases()) < len(corpus_cases())


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(messages, st.booleans())
def test_generated_messages_take_the_fast_path(message: sc.SyncML, pretty: bool) -> None:
    data = sc.serialize(message, pretty=pretty)
    taken = check_agreement(data)
    if not _has_markup_data(message):
        assert taken


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([d for _, d in CASES]), st.data())
def test_byte_mutations_agree_or_bail(data: bytes, draw: st.DataObject) -> None:
    buf = bytearray(data)
    for _ in range(draw.draw(st.integers(1, 4))):
        op = draw.draw(st.sampled_from(["flip", "insert", "delete"]))
        i = draw.draw(st.integers(0, max(len(buf) - 1, 0)))
        if op == "flip" and buf:
            buf[i] = draw.draw(st.sampled_from(b" <>/&;\"'=:\t\nxA0\x00\xc3\xa9"))
        elif op == "insert":
            buf[i:i] = draw.draw(
                st.sampled_from(
                    [b" ", b"<x/>", b"</Item>", b"<Item>", b"text", b"<!--c-->", b" a='1'"]
                )
            )
        elif buf:
            del buf[i : i + draw.draw(st.integers(1, 8))]
    check_agreement(bytes(buf))


def _message(body: str, hdr: str = "") -> bytes:
    return (
        '<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
        "<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>a</LocURI></Target>"
        f"<Source><LocURI>b</LocURI></Source>{hdr}</SyncHdr><SyncBody>{body}<Final/></SyncBody>"
        "</SyncML>"
    ).encode()


_ITEM = "<Item><Source><LocURI>./a</LocURI></Source><Data>x</Data></Item>"
_GET = f"<Get><CmdID>2</CmdID>{_ITEM}</Get>"
_FORMAT = "<Format xmlns='syncml:metinf'>chr</Format>"
_TYPE = "<Type xmlns='syncml:metinf'>text/plain</Type>"


@pytest.mark.parametrize(
    ("why", "data"),
    [
        ("processing instruction", _message(_GET).replace(b"<SyncBody>", b"<SyncBody><?pi x?>")),
        ("CDATA", _message(_GET.replace("<Data>x</Data>", "<Data><![CDATA[x]]></Data>"))),
        (
            "long comment",
            _message(_GET).replace(b"<SyncBody>", b"<SyncBody><!--" + b"c" * 70000 + b"-->"),
        ),
        (
            "DOCTYPE",
            b'<!DOCTYPE SyncML PUBLIC "-//SYNCML//DTD SyncML 1.2//EN" "x.dtd">' + _message(_GET),
        ),
        ("prefix", _message(_GET.replace("<Data>x</Data>", '<Data xmlns:m="urn:m">x</Data>'))),
        ("attribute", _message(_GET.replace("<Item>", '<Item a="1">'))),
        ("attribute on a command", _message(_GET.replace("<Get>", '<Get a="1">'))),
        ("text in a command", _message(_GET.replace("<CmdID>", "x<CmdID>"))),
        ("text after an Item", _message(_GET.replace("</Item>", "</Item>x"))),
        ("whitespace around a value", _message(_GET.replace("./a", " ./a"))),
        ("unknown element", _message(_GET.replace("<Data>", "<Foo/><Data>"))),
        (
            "repeated field",
            _message(_GET.replace("<Data>x</Data>", "<Data>x</Data><Data>y</Data>")),
        ),
        ("out of order", _message(_GET.replace(_ITEM, _ITEM + "<Meta/>"))),
        (
            "out of order in an Item",
            _message(
                _GET.replace("<Data>x</Data>", "").replace("<Source>", "<Data>x</Data><Source>")
            ),
        ),
        (
            "repeated MetInf field (any order, no repeats)",
            _message(_GET.replace("<Data>", f"<Meta>{_FORMAT}{_FORMAT}</Meta><Data>")),
        ),
        ("repeated flag", _message(_GET.replace("</Item>", "<MoreData/><MoreData/></Item>"))),
        ("missing LocURI", _message(_GET.replace("<LocURI>./a</LocURI>", "<LocName>a</LocName>"))),
        (
            "a run of two command Metas",
            _message(_GET.replace("<Item>", f"<Meta>{_FORMAT}</Meta><Meta>{_FORMAT}</Meta><Item>")),
        ),
        ("a second SyncHdr", _message(_GET).replace(b"<SyncBody>", b"<SyncHdr/><SyncBody>")),
        ("missing CmdID", _message(_GET.replace("<CmdID>2</CmdID>", ""))),
        (
            "MetInf wrapper",
            _message(
                _GET.replace(
                    "<Data>",
                    "<Meta><MetInf><Format xmlns='syncml:metinf'>chr</Format></MetInf></Meta>"
                    "<Data>",
                )
            ),
        ),
        (
            "MetInf without its namespace",
            _message(_GET.replace("<Data>", "<Meta><Format>chr</Format></Meta><Data>")),
        ),
        ("no namespace", _message(_GET).replace(b' xmlns="SYNCML:SYNCML1.2"', b"")),
        ("UTF-16", _message(_GET).decode().encode("utf-16")),
        ("malformed", _message(_GET)[:-3]),
        ("DS command", _message("<Sync><CmdID>3</CmdID></Sync>")),
    ],
)
def test_what_the_fast_path_leaves_to_the_exact_path(why: str, data: bytes) -> None:
    _assert_left_to_the_exact_path(data, why)


@pytest.mark.parametrize(
    "inner",
    [
        b"<a/>",
        b'<MsiInstallJob id="{0F1D}"><Product Version="1.0"><Download/></Product></MsiInstallJob>',
        b"\n  <a b='&lt;&amp;\"'>x &gt; y<c/>\n</a>\n",
    ],
)
def test_markup_in_data_is_read_whole_and_left_by_the_engine(inner: bytes) -> None:
    """A whole message reads elements inside Data from the tree (``_slow.TreeMarkup``) as the
    exact path writes them from its events; the piecewise engine leaves them to that path."""
    data = _message(_GET).replace(b"<Data>x</Data>", b"<Data>" + inner + b"</Data>")
    read = _exact(data)
    assert not isinstance(read, type), read
    exact, diags = read
    assert diags == []
    value = exact.sync_body.commands[0].items[0].data
    assert isinstance(value, sc.XmlData)
    assert _fast.parse_fast([data], DEFAULT_LIMITS) == exact
    assert _fast.parse_fast([data], DEFAULT_LIMITS, whole=False) is None
    assert check_agreement(data)
    # an outside reader sees the same elements in the value as in the input
    assert ET.tostring(ET.fromstring(f"<x>{value}</x>")) == ET.tostring(
        ET.fromstring(b"<x>" + inner + b"</x>")
    )


def _assert_left_to_the_exact_path(data: bytes, why: str) -> None:
    """The fast path bails, and parse() gives the exact path's result, diagnostics or error."""
    assert _fast.parse_fast([data], DEFAULT_LIMITS) is None, why
    exact = _exact(data)
    if isinstance(exact, type):
        with pytest.raises(exact):
            sc.parse(data)
    else:
        diags: list[sc.Diagnostic] = []
        assert sc.parse(data, diagnostics=diags) == exact[0]
        assert diags == exact[1]


@pytest.mark.parametrize(
    "data",
    [
        _message(_GET),
        _message(_GET).replace(b"><", b">\n  <"),  # indented (whitespace between elements)
        _message(_GET).replace(b"<SyncBody>", b"<SyncBody><!-- a comment -->"),
        _message(_GET).replace(b"./a", b"./<!-- inside a value -->a"),
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + _message(_GET).replace(b"x<", b"\xe9<"),
        b"\xef\xbb\xbf" + _message(_GET),
        _message(_GET).replace(b"1.2", b"1.1"),
        _message(
            "<Atomic><CmdID>3</CmdID>"
            + _GET
            + "<Sequence><CmdID>4</CmdID>"
            + _GET
            + "</Sequence></Atomic>"
        ),
        _message(_GET, hdr="<Meta><MaxMsgSize xmlns='syncml:metinf'>10</MaxMsgSize></Meta>"),
        # MetInf fields come in any order; VerDTD may be left out (its default is 1.2)
        _message(_GET.replace("<Data>", f"<Meta>{_TYPE}{_FORMAT}</Meta><Data>")),
        _message(_GET).replace(b"<VerDTD>1.2</VerDTD>", b""),
        # runs of Items broken by other children: Items of two commands, a command Meta
        _message(_GET + _GET.replace("<Item>", f"<Meta>{_TYPE}</Meta><Item>") + _GET),
        _message(_GET.replace(_ITEM, _ITEM * 3)),
        _message(
            "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
            "<TargetRef>a</TargetRef><SourceRef>b</SourceRef><Data>212</Data></Status>"
        ),
    ],
)
def test_ordinary_variants_take_the_fast_path(data: bytes) -> None:
    assert check_agreement(data)


def test_the_benchmark_workload_takes_the_fast_path() -> None:
    data = render_package(list(generate_items(300)))
    assert check_agreement(data)
    fast = list(_events(_TreeStreamParser(), data))  # raises Bail if it needed the exact path
    assert fast == list(_events(_EventParser(), [data]))


def _source(data: bytes, how: str, tmp_path: Path) -> Any:
    """``data`` as bytes, a path, or a file already 4 bytes in (the readers start where the
    file is, and go back there to read it again)."""
    if how == "bytes":
        return data
    path = tmp_path / "m.xml"
    path.write_bytes(data)
    if how == "path":
        return path
    source = io.BytesIO(b"junk" + data)
    source.read(4)
    return source


def _late_deviation(tail: bytes) -> bytes:
    """A package whose first ~100 KB are ordinary, with ``tail`` spliced in near its end."""
    data = render_package(list(generate_items(300)))
    cut = data.rindex(b"</Item>") + len(b"</Item>")
    return data[:cut] + tail + data[cut:]


@pytest.mark.parametrize(
    "tail",
    [
        b"<!-- a late comment -->",
        b"<Item><Source><LocURI> ./padded </LocURI></Source><Data>1</Data></Item>",
        b"<Item><Data><![CDATA[<x/>]]></Data></Item>",
        b"<Item><Data>1</Data><Unknown/></Item>",
        b"junk",
        b"<Item><Data>1</Data>",  # malformed: the Results end tag now closes an Item
    ],
)
@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("how", ["bytes", "path", "file"])
def test_iterparse_switching_paths_hands_out_each_event_once(
    tail: bytes, strict: bool, how: str, tmp_path: Path
) -> None:
    data = _late_deviation(tail)
    source = _source(data, how, tmp_path)

    def collect(events: Iterator[Any]) -> tuple[list[Any], type[BaseException] | None]:
        out: list[Any] = []
        try:
            for ev in events:
                out.append(ev)
        except sc.DecodeError as exc:
            return out, type(exc)
        return out, None

    expected = collect(_events(_EventParser(strict=strict), [data]))
    got = collect(iterparse(source, strict=strict))
    assert got[1] == expected[1]
    if expected[1] is None:
        assert got[0] == expected[0]
    else:  # the same events up to the error; the fast path may have handed out more valid ones
        assert got[0][: len(expected[0])] == expected[0]
        assert len(got[0]) >= len(expected[0])


@pytest.mark.parametrize("how", ["bytes", "path", "file"])
@pytest.mark.parametrize(
    "late", [b"", b"<Item><Source><LocURI> ./padded </LocURI></Source></Item>"]
)
def test_parse_switching_paths_reads_the_source_again(
    how: str, late: bytes, tmp_path: Path
) -> None:
    data = _late_deviation(late)
    source = _source(data, how, tmp_path)
    got: list[sc.Diagnostic] = []
    expected: list[sc.Diagnostic] = []
    assert sc.parse(source, diagnostics=got) == parse_exact(data, diagnostics=expected)
    assert got == expected
    assert bool(expected) == bool(late)


# -- WBXML: the same walk over a tree the WBXML decoder builds -----------------------------------


def _to_wbxml(data: bytes) -> bytes:
    """The message as WBXML, through the exact path's model (Data as the codec writes it)."""
    exact = _exact(data)
    assert not isinstance(exact, type)
    return sc.serialize(exact[0], format="wbxml")


_WBXML_HEAD = b"\x02\xa4\x01\x6a\x00"  # WBXML 1.2, SyncML 1.2, UTF-8, empty string table


def _with_strtab(doc: bytes, strtab: bytes) -> bytes:
    assert doc.startswith(_WBXML_HEAD)
    return _WBXML_HEAD[:4] + bytes((len(strtab),)) + strtab + doc[len(_WBXML_HEAD) :]


def _wbxml_form(data: bytes) -> bytes | None:
    """The WBXML the codec writes for a message it reads, or None (not a whole SyncML
    message, a SyncML 1.0 namespace, a DS element: no WBXML form)."""
    exact = _exact(data)
    if isinstance(exact, type) or not isinstance(exact[0], sc.SyncML):
        return None
    try:
        return sc.serialize(exact[0], format="wbxml")
    except sc.EncodeError:
        return None


WBXML_CASES = [(name, doc) for name, data in CASES if (doc := _wbxml_form(data)) is not None]


def test_most_cases_have_a_wbxml_form() -> None:
    whole = [name for name, data in CASES if b"<SyncML" in data]  # fragments have none
    assert len(WBXML_CASES) >= len(whole) - 4


@pytest.mark.parametrize(("name", "doc"), WBXML_CASES, ids=[n for n, _ in WBXML_CASES])
def test_wbxml_fast_path_agrees_and_takes_what_the_codec_writes(name: str, doc: bytes) -> None:
    assert check_agreement(doc), "a message the codec wrote as WBXML went to the exact path"


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(messages)
def test_generated_messages_take_the_wbxml_fast_path(message: sc.SyncML) -> None:
    assert check_agreement(sc.serialize(message, format="wbxml"))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([_to_wbxml(_message(_GET)), _to_wbxml(SAMPLES[0][1])]), st.data())
def test_wbxml_byte_mutations_agree_or_bail(data: bytes, draw: st.DataObject) -> None:
    buf = bytearray(data)
    for _ in range(draw.draw(st.integers(1, 4))):
        i = draw.draw(st.integers(5, len(buf) - 1))
        op = draw.draw(st.sampled_from(["flip", "insert", "delete"]))
        if op == "flip":
            buf[i] = draw.draw(st.sampled_from(b"\x00\x01\x02\x03\x04\x43\x44\x80\xc3\xff\x6d\x4f"))
        elif op == "insert":
            buf[i:i] = draw.draw(
                st.sampled_from([b"\x01", b"\x03x\x00", b"\x00\x01", b"\xc3\x01\xff"])
            )
        else:
            del buf[i : i + draw.draw(st.integers(1, 4))]
    check_agreement(bytes(buf))


_GET_WBXML = _to_wbxml(_message(_GET))


@pytest.mark.parametrize(
    ("why", "doc"),
    [
        # OPAQUE Data that is not UTF-8: the exact path keeps it as Latin-1 with a P111
        ("binary OPAQUE", _GET_WBXML.replace(b"\x03x\x00", b"\xc3\x01\xff", 1)),
        # a LITERAL tag (name from the string table) for Data: the tree would see "Data"
        (
            "LITERAL tag",
            _with_strtab(_GET_WBXML.replace(b"\x4f\x03x", b"\x44\x00\x03x", 1), b"Data\0"),
        ),
        ("truncated", _GET_WBXML[:-3]),
        ("PI token", _GET_WBXML.replace(b"\x03x\x00", b"\x43", 1)),
        ("SyncML 1.0", _GET_WBXML.replace(_WBXML_HEAD, b"\x02\x9f\x51\x6a\x00", 1)),
    ],
)
def test_what_the_wbxml_fast_path_leaves_to_the_exact_path(why: str, doc: bytes) -> None:
    assert doc != _GET_WBXML
    _assert_left_to_the_exact_path(doc, why)


def test_wbxml_fast_path_frees_the_tree_as_it_decodes(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _to_wbxml(render_package(list(generate_items(2000))))
    held: list[int] = []
    walk = _tree.TreeEngine._walk

    def counting(self: _tree.TreeEngine, final: bool, nbytes: int) -> None:
        if self._root is not None:  # the most children any element holds right now
            held.append(max(len(el) for el in self._root.iter()))
        walk(self, final, nbytes)

    monkeypatch.setattr(_tree.TreeEngine, "_walk", counting)
    assert check_agreement(doc)
    assert len(held) >= len(doc) // _WBXML_TICK - 1
    assert max(held) < 1000  # of 2,000 Items: one tick's worth at a time


_WBXML_TICK = 1 << 16


@pytest.mark.parametrize("late", [False, True])
def test_wbxml_iterparse_fast_and_exact_hand_out_the_same_events(late: bool) -> None:
    doc = _to_wbxml(_late_deviation(b"<Item><Data>LATE</Data></Item>"))
    if late:  # an OPAQUE payload near the end that is not UTF-8: the exact path decides
        doc = doc.replace(b"\x03LATE\x00", b"\xc3\x01\xff")
    expected = list(_events(_EventParser(), [doc]))
    assert list(iterparse(doc)) == expected
    end = expected[-1]
    assert isinstance(end, sc.End)
    assert [d.code for d in end.diagnostics] == (["P111"] if late else [])
    fast = _TreeStreamParser()
    if late:
        with pytest.raises(_tree.Bail):
            fast.decode_wbxml(doc)
    else:
        assert fast.decode_wbxml(doc) == expected


def test_small_bytes_are_read_whole_and_stream_on_the_exact_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``parse`` reads bytes up to ``PIECE`` whole (``_fast.parse_whole``, no engine);
    streaming takes the exact path below ``SMALL`` and the engine from there."""
    source_module = importlib.import_module("syncml_codec._source")
    stream_module = importlib.import_module("syncml_codec.stream")

    tried: list[str] = []
    whole = source_module.parse_whole
    fast_parse = source_module.parse_fast_input

    def parse_whole(*args: Any, **kw: Any) -> Any:
        tried.append("whole")
        return whole(*args, **kw)

    def parse_fast(*args: Any) -> Any:
        tried.append("engine")
        return fast_parse(*args)

    class Recording(_TreeStreamParser):
        def __init__(self, **kw: Any) -> None:
            tried.append("iterparse")
            super().__init__(**kw)

    monkeypatch.setattr(source_module, "parse_whole", parse_whole)
    monkeypatch.setattr(source_module, "parse_fast_input", parse_fast)
    monkeypatch.setattr(stream_module, "_TreeStreamParser", Recording)
    small = _message(_GET)
    large = _message(_GET.replace(_ITEM, _ITEM * 60))
    huge = _message(_GET.replace(_ITEM, _ITEM * 2000))
    assert len(small) < _tree.SMALL <= len(large) <= _tree.PIECE < len(huge)
    for data, expected in (
        (small, ["whole"]),
        (large, ["whole", "iterparse"]),
        (huge, ["engine", "iterparse"]),
    ):
        tried.clear()
        assert sc.parse(data) == parse_exact(data)
        assert list(iterparse(data)) == list(_events(_EventParser(), [data]))
        assert tried == expected
