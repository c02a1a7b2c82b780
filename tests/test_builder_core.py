"""The builder's hot core and its named slow modes (issue 12 item 4), and the streaming side
agreeing with ``parse()`` on a header-less message."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import syncml_codec as sc
from syncml_codec._builder import Builder, document_spec
from syncml_codec.parse import parse_exact
from syncml_codec.stream import (
    CommandEnd,
    CommandStart,
    End,
    Header,
    ItemEvent,
    _EventParser,
    _events,
    iter_items,
    iterparse,
)

_OPEN = b'<SyncML xmlns="SYNCML:SYNCML1.2">'
_ITEM = b"<Item><Source><LocURI>./Vendor/MSFT/a</LocURI></Source><Data>0</Data></Item>"


def _body(commands: int) -> bytes:
    replaces = b"".join(
        b"<Replace><CmdID>%d</CmdID>%s</Replace>" % (i, _ITEM * 3) for i in range(1, commands + 1)
    )
    return b"<SyncBody>" + replaces + b"<Final/></SyncBody>"


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize(
    "body",
    [
        _body(1),  # one piece
        _body(2000),  # ~450 KB: the fast path hands out pieces, bails at </SyncML>, replays
        b"<SyncBody><Final/></SyncBody>",  # no command at all
        b"<SyncBody><Replace><CmdID>1</CmdID></Replace></SyncBody>",  # a command with no Item
    ],
    ids=["small", "large", "no-command", "no-item"],
)
def test_a_header_less_stream_carries_the_header_parse_fills_in(body: bytes) -> None:
    data = _OPEN + body + b"</SyncML>"
    diagnostics: list[sc.Diagnostic] = []
    message = sc.parse(data, diagnostics=diagnostics)
    assert [d.code for d in diagnostics] == ["P105"]
    expected = Header(message.sync_hdr)

    events = list(iterparse(data))
    assert events[0] == expected
    assert [type(e) for e in events].count(Header) == 1
    assert type(events[1]) in (CommandStart, End)
    assert events[-1] == End(message.sync_body.final, tuple(diagnostics))
    # the exact path alone, and chunks (read once) give the same events
    assert list(_events(_EventParser(), data)) == events
    assert list(iterparse(_chunks(data, 1000))) == events

    stream = iter_items(data)
    first = next(stream, None)
    assert stream.header == message.sync_hdr  # set before the first pair, as documented
    items = [] if first is None else [first.item, *(pair.item for pair in stream)]
    commands = message.sync_body.commands
    assert items == [item for c in commands if isinstance(c, sc.Replace) for item in c.items]
    assert list(stream.diagnostics) == diagnostics


def test_a_header_is_handed_out_once_and_first() -> None:
    """With a header the events are unchanged: one Header, before the first command."""
    data = parse_exact(
        _OPEN + b"<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1"
        b"</SessionID><MsgID>1</MsgID><Target><LocURI>a</LocURI></Target><Source><LocURI>b"
        b"</LocURI></Source></SyncHdr>" + _body(2) + b"</SyncML>"
    )
    events = list(iterparse(sc.serialize(data)))
    assert events[0] == Header(data.sync_hdr)
    assert [type(e) for e in events].count(Header) == 1
    kinds = [type(e) for e in events]
    assert kinds[1:6] == [CommandStart, ItemEvent, ItemEvent, ItemEvent, CommandEnd]


# -- slow modes -----------------------------------------------------------------------------------


def test_events_outside_the_root_element_are_positioned_errors() -> None:
    """``BeforeRoot``/``AfterRoot``: a driver that sends an end tag with no open element, or a
    second root, gets a ``DecodeError`` (the one error tree), not an IndexError."""
    builder = Builder(document_spec())
    with pytest.raises(sc.DecodeError, match="outside the root element"):
        builder.end("SyncML")
    builder = Builder(document_spec())
    builder.start("SyncML", ["xmlns", "SYNCML:SYNCML1.2"])
    builder.start("SyncBody", [])
    builder.end("SyncBody")
    builder.end("SyncML")
    with pytest.raises(sc.DecodeError, match="a second root element <SyncML>"):
        builder.start("SyncML", [])
    with pytest.raises(sc.DecodeError, match="outside the root element"):
        builder.end("SyncML")


def test_close_before_the_root_ends_raises() -> None:
    builder = Builder(document_spec())
    with pytest.raises(sc.DecodeError, match="ended before its root element was closed"):
        builder.close()
    builder.start("SyncML", ["xmlns", "SYNCML:SYNCML1.2"])
    with pytest.raises(sc.DecodeError, match="ended before its root element was closed"):
        builder.close()


@pytest.mark.parametrize(
    ("inner", "code", "check"),
    [
        # the WrapperNode: a <MetInf> wrapper's children belong to the Meta
        (
            b"<Meta><MetInf><Format xmlns='syncml:metinf'>int</Format>"
            b"<Type xmlns='syncml:metinf'>text/plain</Type></MetInf></Meta><Data>1</Data>",
            "P108",
            lambda item: (
                (item.meta.format, item.meta.type, item.data) == ("int", "text/plain", "1")
            ),
        ),
        # the SkipNode: an unknown element's whole subtree is passed over
        (
            b"<Bogus><Data>x</Data><Deeper><Item/></Deeper></Bogus><Data>1</Data>",
            "P104",
            lambda item: item.data == "1" and item.meta is None,
        ),
        # the SkipNode inside a text-only leaf
        (
            b"<Source><LocURI>./a<b>c</b></LocURI></Source><Data>1</Data>",
            "P104",
            lambda item: item.data == "1",
        ),
        # the RawDataNode: markup inside Data is kept verbatim
        (
            b"<Data><x a='1'>t<![CDATA[<y/>]]></x><z/></Data>",
            None,
            lambda item: item.data == '<x a="1">t<![CDATA[<y/>]]></x><z/>',
        ),
        # a second singleton node (Meta): the first is kept, the second skipped whole
        (
            b"<Meta><Format xmlns='syncml:metinf'>int</Format></Meta>"
            b"<Meta><Format xmlns='syncml:metinf'>chr</Format></Meta><Data>1</Data>",
            "P106",
            lambda item: item.meta.format == "int",
        ),
    ],
    ids=["wrapper", "skip-unknown", "skip-in-leaf", "raw-data", "duplicate-node"],
)
def test_slow_modes_read_alike_on_every_path(inner: bytes, code: str | None, check: object) -> None:
    """Each slow mode: the value it builds, its deviation, and the same result from
    ``parse`` (fast path first), ``parse_exact``, the streaming reader and chunked input."""
    command = b"<Replace><CmdID>2</CmdID><Item>" + inner + b"</Item></Replace>"
    data = _OPEN + b"<SyncHdr/>" + b"<SyncBody>" + command + b"</SyncBody></SyncML>"
    data += b" " * 4096  # past the small-input threshold: the fast path is tried first
    diagnostics: list[sc.Diagnostic] = []
    message = sc.parse(data, diagnostics=diagnostics)
    exact: list[sc.Diagnostic] = []
    assert parse_exact(data, diagnostics=exact) == message
    assert exact == diagnostics
    codes = [d.code for d in diagnostics if d.code != "P105"]
    assert codes == ([code] if code else [])
    replace = message.sync_body.commands[0]
    assert isinstance(replace, sc.Replace)
    item = replace.items[0]
    assert callable(check) and check(item)
    stream = iter_items(_chunks(data, 7))
    assert [pair.item for pair in stream] == [item]
    assert list(stream.diagnostics) == diagnostics
