"""The fast path held to the exact path where a mutant once slipped through (issue 14):
attributes inside an Item, and the last Item arriving together with End."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import syncml_codec as sc
from syncml_codec import _fast, _tree
from syncml_codec.parse import parse_exact
from syncml_codec.stream import StreamParser, iter_items, iterparse

SAMPLES = Path(__file__).parent / "data" / "samples"
HEAD = (SAMPLES / "01-device-unenrollment-request.xml").read_bytes()
CUT = HEAD.index(b"<Final/>")  # commands go last: their last Item arrives with End
ITEM = b"<Item><Source><LocURI>./a</LocURI></Source><Data>1</Data></Item>"


def _message(body: bytes, final: bool = True) -> bytes:
    data = HEAD[:CUT] + body + HEAD[CUT:]
    return data if final else data.replace(b"<Final/>", b"")


def _all_items(commands: Any) -> list[sc.Item]:
    out: list[sc.Item] = []
    for cmd in commands:
        out += getattr(cmd, "items", ())
        out += _all_items(getattr(cmd, "commands", ()))
    return out


@pytest.mark.parametrize(
    ("inner", "where"),
    [
        (b'<Source><LocURI x="1">./b</LocURI></Source>', "Item[61]/Source/LocURI"),
        (b'<Source a="b"><LocURI>./b</LocURI></Source>', "Item[61]/Source"),
        (b'<Meta><Format xmlns="syncml:metinf" f="1">int</Format></Meta>', "Item[61]/Meta/Format"),
        (b"<Data y='2'>1</Data>", "Item[61]/Data"),
    ],
)
def test_an_attribute_inside_an_item_is_p110_on_both_paths(inner: bytes, where: str) -> None:
    """Mutant 1: the fast path accepted ``<LocURI x="1">`` in a 4.4 KB message."""
    data = _message(
        b"<Replace><CmdID>1</CmdID>" + ITEM * 60 + b"<Item>" + inner + b"</Item></Replace>"
    )
    assert len(data) > 3 * 1024 >= _tree.SMALL
    assert _fast.parse_fast([data], sc.DEFAULT_LIMITS) is None
    for read in (sc.parse, parse_exact):
        with pytest.raises(sc.DecodeError, match="not part of SyncML") as info:
            read(data, strict=True)
        assert info.value.xpath == f"/SyncML/SyncBody/Replace[2]/{where}"
        diags: list[sc.Diagnostic] = []
        read(data, diagnostics=diags)
        assert [d.code for d in diags] == ["P110"]
    stream = iter_items(data)
    list(stream)
    assert [d.code for d in stream.diagnostics] == ["P110"]


@pytest.mark.parametrize("count", [45, 100, 1000])
@pytest.mark.parametrize("final", [False, True])
def test_iter_items_hands_out_the_last_item_that_arrives_with_end(count: int, final: bool) -> None:
    """Mutant 4: on the fast path, a message of 3 KB or more with no <Final/> lost its last
    Item (99 of 100) when it arrived in the same piece as End."""
    data = _message(b"<Replace><CmdID>1</CmdID>" + ITEM * count + b"</Replace>", final)
    assert len(data) >= 3 * 1024
    message = sc.parse(data)
    expected = _all_items(message.sync_body.commands)
    assert len(expected) == count + len(_all_items(sc.parse(HEAD).sync_body.commands))
    assert expected[-1].source == sc.Source(loc_uri="./a")
    assert message.sync_body.final is final
    for source in (data, io.BytesIO(data)):
        stream = iter_items(source)
        assert [pair.item for pair in stream] == expected
        assert stream.final is final
    events = list(iterparse(data))
    assert sum(type(e) is sc.ItemEvent for e in events) == len(expected)
    assert isinstance(events[-1], sc.End) and events[-1].final is final
    assert events == list(_exact_events(data))


def _exact_events(data: bytes) -> list[Any]:
    parser = StreamParser()
    return [*parser.feed(data), *parser.close()]
