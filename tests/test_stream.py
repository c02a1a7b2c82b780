"""Streaming: the events rebuild exactly what parse() builds; chunks may split anywhere."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from corpus import corpus_cases
from hypothesis import given
from hypothesis import strategies as st
from strategies import messages

import syncml_codec as sc
from syncml_codec.stream import (
    CommandEnd,
    CommandStart,
    End,
    Header,
    ItemEvent,
    StreamParser,
    iter_items,
    iterparse,
)


def rebuild(events: list[Any]) -> sc.SyncML:
    """Put the streamed Items and commands back together (what parse() builds)."""
    header = None
    final = False
    open_items: dict[tuple[tuple[str, ...], str, str], list[sc.Item]] = {}
    done: dict[tuple[str, ...], list[Any]] = {}
    for ev in events:
        if isinstance(ev, Header):
            header = ev.header
        elif isinstance(ev, ItemEvent):
            c = ev.command
            open_items.setdefault((c.path, c.kind, c.cmd_id), []).append(ev.item)
        elif isinstance(ev, CommandEnd):
            c = ev.command
            value: Any = ev.value
            items = tuple(open_items.pop((c.path, c.kind, c.cmd_id), []))
            if hasattr(value, "items"):
                value = dataclasses.replace(value, items=items)
            if hasattr(value, "commands"):
                key = (*c.path, f"{c.kind}:{c.cmd_id}")
                value = dataclasses.replace(value, commands=tuple(done.pop(key, [])))
            done.setdefault(c.path, []).append(value)
        elif isinstance(ev, End):
            final = ev.final
    assert header is not None
    return sc.SyncML(
        sync_hdr=header, sync_body=sc.SyncBody(commands=tuple(done.get((), [])), final=final)
    )


MESSAGES = [(n, d) for n, d in corpus_cases() if d.lstrip().startswith((b"<SyncML", b"<?xml"))]


@pytest.mark.parametrize(("name", "data"), MESSAGES, ids=[n for n, _ in MESSAGES])
def test_stream_matches_parse_on_corpus(name: str, data: bytes) -> None:
    try:
        expected = sc.parse(data)
    except sc.DecodeError as exc:
        with pytest.raises(type(exc)):
            list(iterparse(data))
        return
    events = list(iterparse(data))
    assert rebuild(events) == expected
    assert isinstance(events[0], Header)
    assert isinstance(events[-1], End)


@given(messages, st.integers(1, 64))
def test_stream_matches_parse_on_generated_messages(message: sc.SyncML, size: int) -> None:
    data = sc.serialize(message)
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    assert rebuild(list(iterparse(iter(chunks)))) == message


def test_chunks_split_inside_utf8_and_tags() -> None:
    msg = sc.parse(
        sc.serialize(
            sc.SyncML(
                sync_hdr=sc.SyncHdr(
                    session_id="1",
                    msg_id="1",
                    target=sc.Target(loc_uri="ß"),
                    source=sc.Source(loc_uri="device"),
                ),
                sync_body=sc.SyncBody(
                    commands=(
                        sc.Results(
                            cmd_id="2",
                            cmd_ref="1",
                            items=(
                                sc.Item(
                                    source=sc.Source(loc_uri="./Vendor/MSFT/é"), data="日本語 &<>"
                                ),
                            ),
                        ),
                    )
                ),
            )
        )
    )
    data = sc.serialize(msg)
    parser = StreamParser()
    events: list[Any] = []
    for i in range(len(data)):  # one byte at a time: every split point
        events += parser.feed(data[i : i + 1])
    events += parser.close()
    assert rebuild(events) == msg
    assert [type(e).__name__ for e in events] == [
        "Header",
        "CommandStart",
        "ItemEvent",
        "CommandEnd",
        "End",
    ]


def test_iter_items_gives_header_command_and_inherited_meta() -> None:
    data = sc.serialize(
        sc.SyncML(
            sync_hdr=sc.SyncHdr(
                session_id="7",
                msg_id="2",
                target=sc.Target(loc_uri="srv"),
                source=sc.Source(loc_uri="dev"),
            ),
            sync_body=sc.SyncBody(
                commands=(
                    sc.Atomic(
                        cmd_id="3",
                        commands=(
                            sc.Replace(
                                cmd_id="4",
                                meta=sc.Meta(format="int", type="text/plain"),
                                items=(
                                    sc.Item(target=sc.Target(loc_uri="./a"), data="1"),
                                    sc.Item(
                                        target=sc.Target(loc_uri="./b"),
                                        meta=sc.Meta(format="chr"),
                                        data="x",
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
                final=True,
            ),
        )
    )
    stream = iter_items(data)
    pairs = list(stream)
    assert stream.header is not None and stream.header.session_id == "7"
    assert stream.final is True
    (c1, i1), (c2, i2) = pairs
    assert c1 is c2
    assert (c1.kind, c1.cmd_id, c1.path) == ("Replace", "4", ("Atomic:3",))
    eff1, eff2 = c1.effective_meta(i1), c2.effective_meta(i2)
    assert eff1 is not None and (eff1.format, eff1.type) == ("int", "text/plain")
    assert eff2 is not None and (eff2.format, eff2.type) == ("chr", "text/plain")


def test_events_for_a_command_without_items() -> None:
    data = sc.serialize(
        sc.SyncML(
            sync_hdr=sc.SyncHdr(
                session_id="1",
                msg_id="1",
                target=sc.Target(loc_uri="s"),
                source=sc.Source(loc_uri="d"),
            ),
            sync_body=sc.SyncBody(commands=(sc.Alert(cmd_id="1", data=sc.AlertCode(1201)),)),
        )
    )
    events = list(iterparse(data))
    assert [type(e) for e in events] == [Header, CommandStart, CommandEnd, End]


def test_stream_errors_are_positioned() -> None:
    data = b"<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr><VerDTD>1.2</VerDTD>\n<MsgID></SyncHdr>"
    with pytest.raises(sc.MalformedXML) as info:
        list(iterparse(data))
    assert info.value.line == 2 and "expected </MsgID>" in str(info.value)


def _inventory(n: int) -> bytes:
    head = (
        b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2'
        b"</VerProto><SessionID>1</SessionID><MsgID>2</MsgID><Target><LocURI>s</LocURI>"
        b"</Target><Source><LocURI>d</LocURI></Source></SyncHdr><SyncBody><Results>"
        b"<CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef>"
    )
    item = (
        b"<Item><Source><LocURI>./DevDetail/Ext/Microsoft/X</LocURI></Source><Meta>"
        b'<Format xmlns="syncml:metinf">chr</Format></Meta><Data>v &amp; w</Data></Item>'
    )
    return head + item * n + b"</Results><Final/></SyncBody></SyncML>"


def test_memory_stays_flat_in_the_number_of_items() -> None:
    """Peak traced memory of iter_items over 2k and 60k Items differs by far less than the
    60k Items themselves would take (each Item with Source and Meta is about 500 bytes)."""
    code = textwrap.dedent("""
        import sys, tracemalloc
        from syncml_codec import iter_items
        n = int(sys.argv[1])
        head, item, tail = sys.stdin.buffer.read().split(b"|")
        def chunks():
            yield head
            for _ in range(n // 100):
                yield item * 100
            yield tail
        tracemalloc.start()
        count = sum(1 for _ in iter_items(chunks()))
        assert count == n // 100 * 100, count
        print(tracemalloc.get_traced_memory()[1])
    """)
    parts = _inventory(1).replace(b"<Item>", b"|<Item>", 1).replace(b"</Results>", b"|</Results>")
    peaks = []
    for n in (2_000, 60_000):
        out = subprocess.run(
            [sys.executable, "-c", code, str(n)], input=parts, capture_output=True, check=True
        )
        peaks.append(int(out.stdout))
    assert peaks[1] - peaks[0] < 1_000_000, peaks  # 58k more Items would be ~29 MB


def test_wbxml_streams_the_same_events() -> None:
    data = _inventory(5)
    xml_events = list(iterparse(data))
    wbxml_events = list(iterparse(sc.serialize(sc.parse(data), format="wbxml")))
    assert rebuild(wbxml_events) == rebuild(xml_events) == sc.parse(data)
    assert [type(e) for e in wbxml_events] == [type(e) for e in xml_events]
