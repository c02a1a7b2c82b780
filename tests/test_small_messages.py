"""Issue 21: the server's everyday case. A whole small message is read by one pooled C parser
and the generated document walkers (``_fast.parse_whole``); chunk iterables and
``StreamParser`` take the fast path with a spill they replay from where they bail.

Every test holds those paths to the exact path (``parse_exact``, the pyexpat event parser),
which shares none of their code, on what a pooled parser could get wrong: text outside the
root, a second root, an unclosed one, the wrapper's own names, declarations it never sees, a
reader dropped after a bail, several threads at once; and on what a spill could get wrong: a
bail after the spill moved to disk, a chunk source read only once, memory that must stay flat.
"""

from __future__ import annotations

import gc
import threading
import tracemalloc
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import syncml_codec as sc
from syncml_codec import _fast, _slow, _source, _tree
from syncml_codec.parse import parse_exact
from syncml_codec.stream import StreamParser, _EventParser, _events, iter_items, iterparse

pytestmark = pytest.mark.skipif(not _tree.available(), reason="no xml.etree C event queue")

SAMPLES = sorted((Path(__file__).parent / "data" / "samples").glob("*.xml"))
MSG = SAMPLES[3].read_bytes()  # the device's Statuses and Results
BODY = MSG[MSG.index(b"<SyncML") :]
DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _outcome(read: Any, data: Any) -> tuple[str, Any]:
    """("ok", model, diagnostics) or the error's class, position and path."""
    diags: list[sc.Diagnostic] = []
    try:
        return "ok", (read(data, diagnostics=diags), diags)
    except sc.DecodeError as exc:
        return type(exc).__name__, (exc.line, exc.column, exc.xpath)


def _same_as_exact(data: bytes) -> None:
    assert _outcome(sc.parse, data) == _outcome(parse_exact, data)


# -- the pooled parser --------------------------------------------------------------------------

POOL_CASES = {
    "plain": DECL + BODY,
    "no declaration": BODY,
    "single quotes, standalone": b"<?xml version='1.0' encoding='utf-8' standalone='yes'?>" + BODY,
    "BOM": b"\xef\xbb\xbf" + DECL + BODY,
    "BOM, no declaration": b"\xef\xbb\xbf" + BODY,
    "ISO-8859-1, ASCII": b'<?xml version="1.0" encoding="ISO-8859-1"?>' + BODY,
    "ISO-8859-1, e acute": b'<?xml version="1.0" encoding="ISO-8859-1"?>'
    + BODY.replace(b"Windows 11 Enterprise", b"Windows \xe9"),
    "UTF8 (no hyphen)": b'<?xml version="1.0" encoding="UTF8"?>' + BODY,
    "version 1.1": b'<?xml version="1.1"?>' + BODY,
    "Version (capital)": b'<?xml Version="1.0"?>' + BODY,
    "comment before the root": DECL + b"<!-- hi -->\n" + BODY,
    "text before the root": DECL + b"junk" + BODY,
    "text after the root": DECL + BODY + b"junk",
    "whitespace after the root": DECL + BODY + b"\n\n  ",
    "two roots": DECL + BODY + BODY,
    "unclosed root": DECL + BODY[: BODY.rindex(b"</SyncML>")],
    "the wrapper's end tag": DECL + BODY.replace(b"</SyncML>", b"</r></SyncML>"),
    "the wrapper's end tag after the root": DECL + BODY + b"</r>",
    "the marker's name": DECL + BODY.replace(b"<Final/>", b"<z/><Final/>"),
    "a wrapper element": DECL + BODY.replace(b"<Final/>", b"<r><z/></r><Final/>"),
    "a second declaration": DECL + DECL + BODY,
    "undeclared prefix": DECL + BODY.replace(b"<Final/>", b"<x:Final/>"),
    "declared prefix": DECL
    + BODY.replace(b"<SyncBody>", b'<SyncBody xmlns:x="SYNCML:SYNCML1.2">', 1),
    "redeclared namespace": DECL
    + BODY.replace(b"<SyncBody>", b'<SyncBody xmlns="SYNCML:SYNCML1.2">', 1),
    "character reference for a space": DECL + BODY.replace(b"<SyncBody>", b"<SyncBody>&#xA0;"),
    "no-break space between elements": DECL
    + BODY.replace(b"<SyncBody>", "<SyncBody>\u00a0".encode()),
    "an = in a value": DECL + BODY.replace(b"Windows 11 Enterprise", b"a=b"),
    "an = in a value and an attribute": DECL
    + BODY.replace(b"Windows 11 Enterprise", b"a=b").replace(b"<Final/>", b'<Final a="1"/>'),
    "an attribute in place of an =": DECL
    + BODY.replace(b"<Final/>", b'<Final a="1"/>').replace(b'xmlns="syncml:metinf"', b"", 1),
    "empty": b"",
    "only a declaration": DECL,
}


@pytest.mark.parametrize("data", POOL_CASES.values(), ids=POOL_CASES.keys())
def test_the_pooled_parser_reads_as_the_exact_path(data: bytes) -> None:
    _same_as_exact(data)


def test_every_pool_case_is_its_own_input() -> None:
    assert len(set(POOL_CASES.values())) == len(POOL_CASES)  # no edit silently missed


def test_good_and_bad_messages_in_turn_share_the_pool() -> None:
    """A reader that met a bail is dropped; the next message gets a good one."""
    cases = list(POOL_CASES.values()) * 3
    expected = [_outcome(parse_exact, data) for data in cases]
    for _ in range(2):
        assert [_outcome(sc.parse, data) for data in cases] == expected
    assert len(_fast._POOL) <= _fast._POOL_SIZE


def test_a_reader_that_met_a_bail_is_not_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fast, "_POOL", [])
    sc.parse(MSG)
    (reader,) = _fast._POOL
    sc.parse(MSG.replace(b"<Final/>", b"<Unknown/><Final/>"))  # parsed, with a deviation
    assert _fast._POOL == []  # the reader saw an unknown name: dropped with its name cache
    sc.parse(MSG)
    assert len(_fast._POOL) == 1 and _fast._POOL[0] is not reader
    # elements inside a Data may have any names: past a bounded set, the reader is dropped
    monkeypatch.setattr(_slow, "_MARKUP_NAMES", set())
    msi = SAMPLES[2].read_bytes()
    assert b"<MsiInstallJob" in msi
    for _ in range(2):
        assert sc.parse(msi) == parse_exact(msi)
    assert len(_fast._POOL) == 1  # its names were learnt, the reader kept
    monkeypatch.setattr(_slow, "_MAX_MARKUP_NAMES", len(_slow._MARKUP_NAMES))
    other = msi.replace(b"MsiInstallJob", b"Other")
    assert sc.parse(other) == parse_exact(other)
    assert _fast._POOL == []  # a name past the bound: dropped with its cache
    assert sc.parse(msi) == parse_exact(msi)
    assert len(_fast._POOL) == 1


def test_a_reader_retires_after_its_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fast, "_POOL", [])
    monkeypatch.setattr(_fast, "_USES", 3)
    sc.parse(MSG)
    first = _fast._POOL[0]
    for _ in range(3):
        sc.parse(MSG)
    assert first not in _fast._POOL


def test_threads_parse_at_once() -> None:
    datas = [path.read_bytes() for path in SAMPLES]
    expected = [parse_exact(data) for data in datas]
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(150):
                j = (i + k) % len(datas)
                assert sc.parse(datas[j]) == expected[j]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_every_sample_is_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """No sample needs the exact path now, the one with an MSI job in its Data included."""
    calls: list[str] = []
    real = _source.feed_exact

    def exact(*args: Any) -> None:
        calls.append("exact")
        real(*args)

    monkeypatch.setattr(_source, "feed_exact", exact)
    for path in SAMPLES:
        data = path.read_bytes()
        assert sc.parse(data) == parse_exact(data)
        assert sc.validate(data, profile="windows") == []
    assert calls == ["exact"] * len(SAMPLES)  # parse_exact's own reads only


# -- spills: chunk iterables and StreamParser on the fast path ----------------------------------


def _big(items: int, deviation: bool) -> bytes:
    """A Results of ``items`` Items; with ``deviation``, an unknown element near the end."""
    start = MSG.index(b"<Item>", MSG.index(b"<Results>"))
    item = MSG[start : MSG.index(b"</Item>", start) + len(b"</Item>")]
    data = MSG.replace(item, item * items, 1)
    if deviation:
        at = data.rindex(b"</Results>")
        data = data[:at] + b"<Unknown/>" + data[at:]
    return data


class _Once:
    """An iterable of chunks that fails if it is iterated twice or read past its end."""

    def __init__(self, data: bytes, size: int) -> None:
        self.data, self.size, self.used = data, size, False

    def __iter__(self) -> Iterator[bytes]:
        assert not self.used, "the chunk source was iterated twice"
        self.used = True
        for i in range(0, len(self.data), self.size):
            yield self.data[i : i + self.size]


@pytest.mark.parametrize("items", [200, 1500], ids=["spill in memory", "spill on disk"])
@pytest.mark.parametrize("deviation", [False, True], ids=["clean", "deviation at the end"])
def test_chunk_sources_read_once_agree_with_the_exact_path(
    deviation: bool, items: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_source, "SPOOL_MEMORY", 256 * 1024)
    data = _big(items, deviation)
    assert (len(data) > _source.SPOOL_MEMORY) is (items == 1500)
    reference = list(_events(_EventParser(), [data]))
    assert list(iterparse(_Once(data, 5000))) == reference
    stream = iter_items(_Once(data, 70_000))
    assert [p.item for p in stream] == [e.item for e in reference if type(e) is sc.ItemEvent]
    end = reference[-1]
    assert isinstance(end, sc.End)
    assert stream.diagnostics == end.diagnostics
    assert (deviation and stream.diagnostics != ()) or (not deviation and not stream.diagnostics)
    assert _outcome(sc.parse, _Once(data, 3000)) == _outcome(parse_exact, data)


@pytest.mark.parametrize("items", [200, 1500], ids=["spill in memory", "spill on disk"])
@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("size", [999, 64 * 1024, 200_000])
def test_stream_parser_replays_its_spill_where_it_bails(
    strict: bool, size: int, items: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_source, "SPOOL_MEMORY", 256 * 1024)
    data = _big(items, deviation=True)
    assert (len(data) > _source.SPOOL_MEMORY) is (items == 1500)

    def feed(parser: _EventParser | StreamParser) -> tuple[str, Any]:
        events: list[Any] = []
        try:
            for i in range(0, len(data), size):
                events += parser.feed(data[i : i + size])
            return "ok", events + parser.close()
        except sc.DecodeError as exc:
            return type(exc).__name__, (exc.line, exc.column, exc.xpath, len(events))

    public, exact = feed(StreamParser(strict=strict)), feed(_EventParser(strict=strict))
    if strict:  # raised where the exact path raises; events before it are not compared
        assert public[0] == exact[0] == "UnknownElement"
        assert public[1][:3] == exact[1][:3]
    else:
        assert public == exact


def test_a_dropped_spill_closes_its_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_source, "SPOOL_MEMORY", 10)
    spill = _source.Spill()
    spill.write(b"0123456789abcdef")
    spill.write(b"ghij")
    assert b"".join(spill.replay(7)) == b"0123456789abcdefghij"
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        dropped = _source.Spill()
        dropped.write(b"x" * 100)  # on disk
        del dropped
        parser = StreamParser()
        parser.feed(_big(300, deviation=False)[:200_000])
        del parser  # never closed
        gc.collect()


def test_stream_parser_memory_stays_flat() -> None:
    """Peak traced memory of the public StreamParser over 2 MB and over 16 MB (a spill past
    1 MiB is on disk): it does not grow with the message."""

    def peak(items: int) -> int:
        data = _big(items, deviation=False)
        tracemalloc.start()
        parser = StreamParser()
        count = 0
        for i in range(0, len(data), 64 * 1024):
            count += sum(type(e) is sc.ItemEvent for e in parser.feed(data[i : i + 64 * 1024]))
        count += sum(type(e) is sc.ItemEvent for e in parser.close())
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert count == items + 2  # the Results' Items, and the Replace's two
        return top

    small, large = peak(5_000), peak(40_000)
    assert large - small < 2 * 1024 * 1024, (small, large)


def test_validate_reads_a_clean_message_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """One read of the bytes: the pooled parser once, no pyexpat scan after it (the start of
    the message comes from that read); a message missing VerDTD is scanned for its position."""
    from xml.parsers import expat

    created: list[int] = []
    real = expat.ParserCreate

    def counting(*args: Any, **kwargs: Any) -> Any:
        created.append(1)
        return real(*args, **kwargs)

    fed: list[int] = []
    tree = _fast._Reader.tree

    def counting_tree(self: Any, markup: Any) -> Any:
        fed.append(1)
        return tree(self, markup)

    monkeypatch.setattr(expat, "ParserCreate", counting)
    monkeypatch.setattr(_fast._Reader, "tree", counting_tree)
    for path in SAMPLES:
        created.clear()
        fed.clear()
        assert sc.validate(path.read_bytes(), profile="windows") == []
        assert (len(fed), len(created)) == (1, 0), path.name
    created.clear()
    found = sc.validate(MSG.replace(b"<VerDTD>1.2</VerDTD>", b""), profile="windows")
    assert [(d.code, d.line) for d in found] == [("S105", 3)]
    assert created  # the position came from a scan


# -- elements inside Data: the tree's writer against the events' writer ------------------------

_NAMES = st.sampled_from(["a", "b", "Product", "wap-provisioningdoc", "x.y", "_z"])
_TEXT = st.text(
    alphabet=st.sampled_from(list("ab &<>\"'\t\n\r]é")), max_size=6
)  # what escaping and whitespace handling must agree on


def _markup_trees(depth: int) -> st.SearchStrategy[str]:
    """Well-formed markup of elements in the default namespace, as text to put in a Data."""
    attrs = st.dictionaries(st.sampled_from(["id", "v", "Version"]), _TEXT, max_size=3)
    children = st.lists(_markup_trees(depth - 1), max_size=3) if depth > 0 else st.just([])

    def element(name: str, attributes: dict[str, str], text: str, kids: list[str]) -> str:
        def escape(value: str) -> str:
            return (
                value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\r", "&#13;")
            )

        pairs = "".join(
            f' {k}="{escape(v).replace(chr(34), "&quot;").replace(chr(9), "&#9;")}"'
            for k, v in attributes.items()
        )
        inner = escape(text) + "".join(kids)
        return (
            f"<{name}{pairs}/>"
            if not inner and text == "" and not kids
            else (f"<{name}{pairs}>{inner}</{name}>")
        )

    return st.builds(element, _NAMES, attrs, _TEXT, children)


@settings(max_examples=150, deadline=None)
@given(st.lists(_markup_trees(3), min_size=1, max_size=3), _TEXT, _TEXT)
def test_markup_in_data_is_written_as_the_exact_path_writes_it(
    trees: list[str], before: str, after: str
) -> None:
    esc = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
    lead = "".join(esc.get(c, c) for c in before)
    tail = "".join(esc.get(c, c) for c in after)
    inner = lead + tail.join(trees) + tail
    data = DECL + BODY.replace(b"<Data>4</Data>", f"<Data>{inner}</Data>".encode(), 1)
    assert b"<Data>" + inner.encode() in data
    diags: list[sc.Diagnostic] = []
    exact = parse_exact(data, diagnostics=diags)
    assert _outcome(sc.parse, data) == _outcome(parse_exact, data)
    fast = _fast.parse_fast([data], sc.DEFAULT_LIMITS)
    assert fast is not None  # the whole path took it (not the exact path behind parse)
    assert fast == exact and diags == []
    assert sc.serialize(fast) == sc.serialize(exact)


# -- what the fresh-eyes review found (each failed before its fix) -----------------------------

_M = (
    b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
    b"<SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>a</LocURI></Target><Source>"
    b"<LocURI>b</LocURI></Source></SyncHdr><SyncBody><Final/></SyncBody></SyncML>"
)


@pytest.mark.parametrize(
    "data",
    [
        _M + b"<a>",  # an element left open after the root holds the marker
        _M + b"<a>junk",
        _M + b'<SyncML xmlns="SYNCML:SYNCML1.2">',
        _M + b"&#32;",  # character references outside the root: whitespace to the tree
        b"&#10;" + _M,
        DECL + b"&#9;" + _M,
        b"<!-- c -->&#13;" + _M,
        _M + b"<!-- c -->&#32;<!-- d -->\n",
        _M + b"\n<!-- fine -->\n",
    ],
)
def test_what_surrounds_the_root_reads_as_the_exact_path(data: bytes) -> None:
    _same_as_exact(data)
    _same_as_exact(_M)  # and the pool goes on reading ordinary messages
    _same_as_exact(b"</a>" + _M)


@pytest.mark.parametrize(
    "limits",
    [sc.Limits(max_attributes=0), sc.Limits(max_attribute_length=15)],
    ids=["max_attributes=0", "max_attribute_length=15"],
)
def test_namespace_declarations_count_against_the_attribute_limits(limits: sc.Limits) -> None:
    """The exact path counts xmlns as an attribute (WBXML's root gets one); so does every
    fast reader, whole or piecewise."""
    big = _big(300, deviation=False)
    for data in (_M, sc.serialize(sc.parse(_M), format="wbxml"), big):
        assert _outcome(lambda d, **kw: sc.parse(d, limits=limits, **kw), data) == _outcome(
            lambda d, **kw: parse_exact(d, limits=limits, **kw), data
        )


def test_wbxml_count_limits_hold_for_one_byte_items() -> None:
    head = (
        b"\x02\xa4\x01j\x00mlq\x031.2\x00\x01r\x03DM/1.2\x00\x01e\x031\x00\x01[\x031\x00\x01"
        b"nW\x03a\x00\x01\x01gW\x03b\x00\x01\x01\x01"
    )
    items = head + b"kSK\x031\x00\x01" + b"\x14" * 20 + b"\x01\x12\x01\x01"  # empty Items
    commands = head + b"k" + b"S\x0b\x01" * 20 + b"\x12\x01\x01"  # Gets with an empty CmdID
    for data, limits in (
        (items, sc.Limits(max_items=15)),
        (commands, sc.Limits(max_commands=18)),
    ):
        with pytest.raises(sc.LimitExceeded):
            parse_exact(data, limits=limits)
        with pytest.raises(sc.LimitExceeded):
            sc.parse(data, limits=limits)


def test_stream_parser_copies_a_reused_buffer() -> None:
    """A caller that reads into one bytearray (``readinto``) may reuse it after feed()."""
    for data in (MSG, _big(800, deviation=False).replace(b"<Final/>", b"<?pi x?><Final/>")):
        reference = list(_events(_EventParser(), [data]))
        buffer = bytearray(65536)
        parser, events = StreamParser(), []
        for i in range(0, len(data), 65536):
            piece = data[i : i + 65536]
            buffer[: len(piece)] = piece
            events += parser.feed(memoryview(buffer)[: len(piece)])  # type: ignore[arg-type]
            buffer[:] = b"\0" * len(buffer)
        assert events + parser.close() == reference


def test_stream_parser_reads_str_chunks_as_before() -> None:
    text = MSG.decode()
    reference = list(_events(_EventParser(), [MSG]))
    parser = StreamParser()
    events = parser.feed(text[:500]) + parser.feed(text[500:])  # type: ignore[arg-type]
    assert events + parser.close() == reference


def test_parsers_held_at_exit_do_not_crash_the_interpreter(tmp_path: Path) -> None:
    """CPython 3.12 crashed (SIGSEGV) freeing a fast-path C parser in its last garbage
    collection at exit: a StreamParser the program still held, open or closed. The engines and
    the pool free theirs first (``atexit``)."""
    import subprocess
    import sys

    script = tmp_path / "held.py"
    script.write_text(
        "import syncml_codec as sc\n"
        f"data = {MSG!r}\n"
        "open_one = sc.StreamParser()\n"
        "open_one.feed(data[:1000])\n"
        "closed = sc.StreamParser()\n"
        "closed.feed(data)\n"
        "closed.close()\n"
        "message = sc.parse(data)\n"
        "events = sc.iterparse(data + b' ' * 4096)\n"
        "next(events)\n"
        "print('exit')\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-X", "faulthandler", str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (proc.returncode, proc.stdout.strip()) == (0, "exit"), proc.stderr[-2000:]
