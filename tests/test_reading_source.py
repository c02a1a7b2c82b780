"""The one reading pipeline (``_source``): every source form, wrong types at the boundary,
one verdict from every reader, and what ``validate`` gets from one read."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from wbxml_tools import xml_to_wbxml

import syncml_codec as sc
from syncml_codec._source import SourceLike, open_input, read_document
from syncml_codec.parse import parse_exact
from syncml_codec.stream import iter_items, iterparse

SAMPLES = Path(__file__).parent / "data" / "samples"
SMALL_MSG = (SAMPLES / "02-server-unenroll-exec.xml").read_bytes()
LARGE_MSG = (SAMPLES / "03-server-policies-and-inventory-request.xml").read_bytes()


def _forms(data: bytes, tmp_path: Path) -> list[tuple[str, Callable[[], SourceLike]]]:
    path = tmp_path / "message.bin"
    path.write_bytes(data)

    def gen() -> Iterator[bytes]:
        for i in range(0, len(data), 7):
            yield data[i : i + 7]

    return [
        ("bytes", lambda: data),
        ("bytearray", lambda: bytearray(data)),
        ("memoryview", lambda: memoryview(data)),
        ("path", lambda: path),
        ("file", lambda: io.BytesIO(data)),
        ("chunk list", lambda: [data[:100], data[100:]]),
        ("generator", gen),
    ]


@pytest.mark.parametrize("data", [SMALL_MSG, LARGE_MSG], ids=["small", "large"])
def test_every_source_form_reads_the_same_message(data: bytes, tmp_path: Path) -> None:
    expected = parse_exact(data)
    items = [pair.item for pair in iter_items(data)]
    for wbxml in (False, True):
        payload = sc.serialize(expected, format="wbxml") if wbxml else data
        for name, make in _forms(payload, tmp_path):
            assert sc.parse(make()) == expected, name
            assert [p.item for p in iter_items(make())] == items, name
    assert sc.parse(data.decode("utf-8")) == expected


@pytest.mark.parametrize(
    "entry",
    [sc.parse, sc.parse_fragment, sc.parse_with_diagnostics, parse_exact],
    ids=lambda f: f.__name__,
)
@pytest.mark.parametrize("bad", [["not", "bytes"], 123, {"a": b"<x/>"}, [b"<SyncML", 5]])
def test_a_wrong_source_type_is_a_type_error_at_the_boundary(entry: Any, bad: Any) -> None:
    with pytest.raises(TypeError, match="bytes"):
        entry(bad)


@pytest.mark.parametrize("bad", [["not", "bytes"], 123])
def test_streaming_rejects_a_wrong_source_type_too(bad: Any) -> None:
    with pytest.raises(TypeError):
        list(iter_items(bad))
    with pytest.raises(TypeError):
        list(iterparse(bad))


@pytest.mark.parametrize("text", ["file.xml", "msgs/reply.xml", "C:\\captures\\msg.wbxml"])
def test_a_str_that_looks_like_a_path_says_to_pass_a_path(text: str) -> None:
    for call in (lambda: sc.parse(text), lambda: list(iter_items(text))):
        with pytest.raises(sc.DecodeError, match=r"looks like a path; pass a pathlib\.Path"):
            call()
    doc = read_document(text)
    assert doc.error is not None and "pathlib.Path" in str(doc.error)


def test_a_str_document_is_never_taken_for_a_path() -> None:
    with pytest.raises(sc.DecodeError) as info:
        sc.parse("just some words")
    assert "path" not in str(info.value)


def test_wbxml_is_sniffed_once_on_the_first_non_empty_chunk() -> None:
    wbxml = sc.serialize(sc.parse(LARGE_MSG), format="wbxml")
    inp = open_input([b"", b"", wbxml[:1], wbxml[1:]])
    assert inp.wbxml and inp.whole() == wbxml
    assert not open_input([b"", LARGE_MSG]).wbxml
    assert open_input(LARGE_MSG, "wbxml").wbxml  # forced
    with pytest.raises(ValueError, match="unknown format"):
        open_input(LARGE_MSG, "wbxm")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data", [SMALL_MSG, LARGE_MSG, b"<Delete><CmdID>1</CmdID><Item/></Delete>"]
)
def test_read_document_gives_validate_the_model_and_diagnostics_in_one_pass(data: bytes) -> None:
    diags: list[sc.Diagnostic] = []
    expected = sc.parse_fragment(data, diagnostics=diags)
    doc = read_document(data)
    assert (doc.data, doc.wbxml, doc.error) == (data, False, None)
    assert doc.message == expected and doc.diagnostics == diags
    wbxml = sc.serialize(expected, format="wbxml")
    doc = read_document(io.BytesIO(wbxml))
    assert doc.wbxml and doc.data == wbxml and doc.message == expected


def test_read_document_returns_the_decode_error_instead_of_raising(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(LARGE_MSG[:-40])
    doc = read_document(path)
    assert doc.message is None and isinstance(doc.error, sc.MalformedXML)
    assert doc.error.source == str(path)


def test_deep_atomic_nesting_under_lifted_limits_is_read_not_a_recursion_error() -> None:
    """Issue 13 item 2: the fast path recursed per container level (RecursionError at ~900
    nested Atomics with max_depth=5000) in parse, iter_items(bytes) and WBXML parse."""
    n = 1500
    head = (SAMPLES / "01-device-unenrollment-request.xml").read_bytes()
    head = head[: head.index(b"<SyncBody>") + len(b"<SyncBody>")]
    pad = b"<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>" * 100  # > SMALL: the fast path
    get = b"<Get><CmdID>9999</CmdID><Item><Target><LocURI>./x</LocURI></Target></Item></Get>"
    nest = b"".join(b"<Atomic><CmdID>%d</CmdID>" % (i + 2) for i in range(n))
    data = head + pad + nest + get + b"</Atomic>" * n + b"<Final/></SyncBody></SyncML>"
    limits = sc.Limits(max_depth=5000)
    message = sc.parse(data, limits=limits)
    node: Any = message.sync_body.commands[-1]
    depth = 0
    while isinstance(node, sc.Atomic):
        node, depth = node.commands[0], depth + 1
    assert depth == n and isinstance(node, sc.Get)
    pairs = list(iter_items(data, limits=limits))
    assert [p.item for p in pairs] == [node.items[0]]
    assert len(pairs[0].command.path) == n
    assert sc.parse(xml_to_wbxml(data), limits=limits).sync_body.final
    with pytest.raises(sc.LimitExceeded):  # and the default limits still stop it
        sc.parse(data)


def test_reading_signatures_name_sourcelike_and_exact_returns() -> None:
    """Issue 16 item 2 (reading side): ``source`` is ``SourceLike``, never ``Any``; checked
    here at run time and by mypy over this file (``assert_type``)."""
    import importlib
    import typing

    from syncml_codec.parse import parse_commands, parse_commands_with_diagnostics

    parse_module = importlib.import_module("syncml_codec.parse")
    stream_module = importlib.import_module("syncml_codec.stream")
    functions = [
        parse_module.parse,
        parse_exact,
        parse_module.parse_fragment,
        parse_module.parse_with_diagnostics,
        parse_commands,
        parse_commands_with_diagnostics,
        stream_module.iter_items,
        stream_module.iterparse,
    ]
    for function in functions:
        assert typing.get_type_hints(function)["source"] == SourceLike, function.__name__
    typing.assert_type(sc.parse(LARGE_MSG), sc.SyncML)
    typing.assert_type(parse_commands(LARGE_MSG), tuple[sc.Command, ...])
