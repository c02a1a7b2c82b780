"""Hostile input: forbidden constructs, limits, broken bytes, fuzzing and the defusedxml reference.

Invariant (h11's fuzz invariant, STYLE.md 6): whatever the bytes, every entry point returns a
result or raises a ``SyncMLError``; each file in ``tests/data/hostile`` raises exactly the class
its ``MANIFEST.json`` names, with a 1-based position and an element path. Nothing is fetched.

New entry points (validate, the streaming API, WBXML) are added to ``ENTRY_POINTS`` only.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import socket
import subprocess
import sys
import threading
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DET
import pytest
from defusedxml import DefusedXmlException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import syncml_codec
from syncml_codec.cli import main
from syncml_codec.errors import (
    DecodeError,
    ForbiddenConstruct,
    LimitExceeded,
    MalformedXML,
    SyncMLError,
    UnknownElement,
)
from syncml_codec.limits import Limits
from syncml_codec.parse import parse, parse_fragment, parse_tree
from syncml_codec.serialize import serialize

DATA = Path(__file__).parent / "data"
HOSTILE = DATA / "hostile"
CORPUS = DATA / "corpus"
MANIFEST: dict[str, dict[str, Any]] = json.loads((HOSTILE / "MANIFEST.json").read_text("utf-8"))
ERRORS: dict[str, type[SyncMLError]] = {
    cls.__name__: cls
    for cls in (DecodeError, ForbiddenConstruct, LimitExceeded, MalformedXML, UnknownElement)
}

#: Well-formed corpus messages (whole messages, then one fragment) used for prefixes and mutation.
MESSAGES = [
    CORPUS / "oma-spec" / "oma-dmpro-2-6-1-1-pkg1-client-init-cred-maxmsgsize.xml",
    CORPUS / "oma-spec" / "oma-dmpro-2-6-1-2-pkg2-server-status-sequence-confirm.xml",
    CORPUS / "oma-spec" / "oma-dmpro-2-6-2-3-pkg3-status-results-no-cmdref.xml",
    CORPUS / "peers" / "syncml" / "funambol_sample.xml",
    CORPUS / "peers" / "txsyncml" / "sony-ericsson-k800i-package1.xml",
]
FRAGMENTS = [CORPUS / "oma-spec" / "oma-dmpro-2-5-2-2-confirm-alert-1101.xml"]

settings.register_profile(
    "hostile", max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("ci", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "hostile"))


def _data(msg: Any) -> Any:
    """The Data of the first Item of the first command."""
    return msg.sync_body.commands[0].items[0].data


def _chunks(data: bytes, size: int = 37) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


@dataclass(frozen=True)
class EntryPoint:
    """One way to hand bytes to the codec; ``whole`` is False for fragment readers."""

    name: str
    run: Callable[[bytes, bool], Any]
    whole: bool = True


def _via_file(data: bytes, strict: bool) -> Any:
    return parse(io.BytesIO(data), strict=strict)


#: Every entry point that reads untrusted bytes. Append validate / iter_items / StreamParser /
#: WBXML here when they land; every test below then covers them.
ENTRY_POINTS = [
    EntryPoint("parse", lambda b, s: parse(b, strict=s)),
    EntryPoint("parse-chunks", lambda b, s: parse(_chunks(b), strict=s)),
    EntryPoint("parse-file", _via_file),
    EntryPoint("parse_fragment", lambda b, s: parse_fragment(b, strict=s), whole=False),
    EntryPoint(
        "parse_fragment-chunks", lambda b, s: parse_fragment(_chunks(b, 5), strict=s), whole=False
    ),
]


def _stream(data: bytes, strict: bool) -> Any:
    sp = syncml_codec.StreamParser(strict=strict)
    for chunk in _chunks(data):
        sp.feed(chunk)
    return sp.close()


def _stream_with_limits(data: bytes, limits: Limits) -> Any:
    sp = syncml_codec.StreamParser(limits=limits)
    for chunk in _chunks(data):
        sp.feed(chunk)
    return sp.close()


ENTRY_POINTS += [
    EntryPoint("StreamParser", _stream),
    EntryPoint("iter_items", lambda b, s: list(syncml_codec.iter_items(_chunks(b), strict=s))),
    EntryPoint("iterparse", lambda b, s: list(syncml_codec.iterparse(b, strict=s))),
]
EP_IDS = [e.name for e in ENTRY_POINTS]


def _outcome(entry: EntryPoint, data: bytes, strict: bool = False) -> type[SyncMLError] | None:
    """Run one entry point; return the SyncMLError class raised or None. Anything else fails."""
    try:
        entry.run(data, strict)
    except SyncMLError as exc:
        return type(exc)
    return None


# -- the hostile corpus -----------------------------------------------------------------------


def test_manifest_matches_the_directory() -> None:
    files = {p.name for p in HOSTILE.iterdir() if p.name != "MANIFEST.json"}
    assert files == set(MANIFEST)
    for name, entry in MANIFEST.items():
        assert entry["error"] in ERRORS, name
        assert entry["exit"] in (1, 2), name


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=EP_IDS)
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_hostile_file_raises_exactly_its_class(name: str, entry: EntryPoint) -> None:
    expected = ERRORS[MANIFEST[name]["error"]]
    data = (HOSTILE / name).read_bytes()
    with pytest.raises(SyncMLError) as info:
        entry.run(data, MANIFEST[name]["strict"])
    exc = info.value
    assert type(exc) is expected, f"{name}: {exc!r}"
    assert isinstance(exc, DecodeError)
    assert exc.position is not None
    assert exc.line is not None
    assert exc.column is not None
    assert exc.line >= 1, str(exc)
    assert exc.column >= 1, str(exc)
    assert exc.xpath.startswith("/"), str(exc)
    assert exc.message
    if isinstance(exc, LimitExceeded):
        assert exc.limit
        assert exc.value > 0


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_hostile_file_through_a_path_names_the_file(name: str) -> None:
    path = HOSTILE / name
    strict = MANIFEST[name]["strict"]
    with pytest.raises(DecodeError) as info:
        parse_fragment(path, strict=strict)
    assert info.value.source == str(path)
    assert str(info.value).startswith(f"{path}: line ")


@pytest.mark.parametrize("command", ["inspect", "fmt"])
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_cli_exits_1_or_2_without_a_traceback(name: str, command: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = [command, str(HOSTILE / name)] + (["--strict"] if MANIFEST[name]["strict"] else [])
    code = main(argv, stdout=out, stderr=err)
    assert code == MANIFEST[name]["exit"], err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert err.getvalue().startswith(f"{HOSTILE / name}:")
    assert out.getvalue() == ""


def test_cli_subprocess_never_prints_a_traceback(tmp_path: Path) -> None:
    """The real console entry point, on a few representative files, in a fresh interpreter."""
    for name in ("billion-laughs.xml", "invalid-utf8.xml", "fuzz-unknown-encoding-vtf8.xml"):
        proc = subprocess.run(
            [sys.executable, "-m", "syncml_codec", "inspect", str(HOSTILE / name)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        )
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr


# -- heavy cases: a subprocess with a 1 GiB address-space limit ---------------------------------

_HEAVY = {
    "billion-laughs": "data = open(sys.argv[1] + '/billion-laughs.xml', 'rb').read()",
    "quadratic-blowup": "data = open(sys.argv[1] + '/quadratic-blowup.xml', 'rb').read()",
    "gigantic-line-garbage": "data = HDR + b'<Replace><CmdID>2</CmdID><Item><Data>'"
    " + b'x' * 10_000_000 + b'</Data></Item></Replace><Final/></SyncBody></SyncML>' + b'<'",
    "attributes-100k": "data = b'<SyncML ' + b' '.join(b'a%d=\"1\"' % i for i in range(100_000))"
    " + b'/>'",
    "attribute-50mb": "data = b'<SyncML xmlns=\"SYNCML:SYNCML1.2\" x=\"' + b'v' * 50_000_000"
    " + b'\"/>'",
    "text-200mb-in-chunks": "limits = Limits(max_bytes=None, max_text=1 << 20)\n"
    "def gen():\n"
    "    yield HDR + b'<Replace><CmdID>2</CmdID><Item><Data>'\n"
    "    for _ in range(3200):\n"
    "        yield b'A' * 65536\n"
    "data = gen()",
}
_HEAVY_EXPECTED = {
    "billion-laughs": "ForbiddenConstruct",
    "quadratic-blowup": "ForbiddenConstruct",
    "gigantic-line-garbage": "MalformedXML",
    "attributes-100k": "LimitExceeded",
    "attribute-50mb": "LimitExceeded",
    "text-200mb-in-chunks": "LimitExceeded",
}
_HEAVY_PRELUDE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from syncml_codec import parse
from syncml_codec.errors import SyncMLError
from syncml_codec.limits import Limits
HDR = (b'<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2'
       b'</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>a</LocURI></Target>'
       b'<Source><LocURI>b</LocURI></Source></SyncHdr><SyncBody>')
limits = None
"""
_HEAVY_RUN = """
try:
    parse(data, limits=limits)
    print("OK")
except SyncMLError as exc:
    print(type(exc).__name__, exc.line, exc.column, getattr(exc, "limit", ""))
"""


@pytest.mark.parametrize("case", sorted(_HEAVY))
def test_heavy_case_in_bounded_memory(case: str) -> None:
    code = _HEAVY_PRELUDE + _HEAVY[case] + "\n" + _HEAVY_RUN
    proc = subprocess.run(
        [sys.executable, "-c", code, str(HOSTILE)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
    )
    assert proc.returncode == 0, proc.stderr
    kind, line, column, *_ = proc.stdout.split()
    assert kind == _HEAVY_EXPECTED[case], proc.stdout
    assert int(line) >= 1
    assert int(column) >= 1
    if case == "gigantic-line-garbage":  # the error is on line 1, ten million columns in
        assert int(line) == 1
        assert int(column) > 10_000_000


def test_gigantic_single_line_parses() -> None:
    """10 MB of Data on one line is fine under the default limits (max_text is 16 MiB)."""
    body = b"x" * 10_000_000
    data = _message(b"<Replace><CmdID>2</CmdID><Item><Data>" + body + b"</Data></Item></Replace>")
    assert b"\n" not in data
    msg = parse(data)
    assert _data(msg) == body.decode()


# -- no fetch, no file read ----------------------------------------------------------------------


_Outcome = type[SyncMLError] | None


class _Listener:
    """A TCP server on 127.0.0.1 that records whether anyone connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> int:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()
        return self.connections


def _fetching_documents(url: str) -> dict[str, tuple[bytes, _Outcome, _Outcome]]:
    """Documents that would make a naive parser fetch ``url``; (data, tolerant, strict)."""
    h = _message(b"")
    use_e = _message(b"<Alert><CmdID>1</CmdID><Data>&e;</Data></Alert>")
    fc, ue = ForbiddenConstruct, UnknownElement
    schema_loc = (
        b'<SyncML xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        b' xsi:schemaLocation="SYNCML:SYNCML1.2 ' + url.encode() + b'/syncml.xsd" '
    )
    xinclude = b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="%s/x.xml"/>'
    return {
        # a bare DOCTYPE is tolerated with P109 and its DTD never fetched
        "doctype-system": (f'<!DOCTYPE SyncML SYSTEM "{url}/s.dtd">'.encode() + h, None, fc),
        "doctype-public": (
            f'<!DOCTYPE SyncML PUBLIC "-//SYNCML//DTD SyncML 1.2//EN" "{url}/s.dtd">'.encode() + h,
            None,
            fc,
        ),
        "external-entity": (
            f'<!DOCTYPE SyncML [<!ENTITY e SYSTEM "{url}/e">]>'.encode() + use_e,
            fc,
            fc,
        ),
        "parameter-entity": (
            f'<!DOCTYPE SyncML [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>'.encode() + h,
            fc,
            fc,
        ),
        "external-dtd-and-entity-use": (
            f'<!DOCTYPE SyncML SYSTEM "{url}/s.dtd">'.encode() + use_e,
            fc,
            fc,
        ),
        # a prefixed extension attribute: ignored, even when strict
        "xsi-schemaLocation": (h.replace(b"<SyncML ", schema_loc, 1), None, None),
        # an unknown element: skipped with P104, UnknownElement when strict
        "xinclude": (_message(xinclude % url.encode()), None, ue),
        "xml-stylesheet": (b'<?xml-stylesheet href="' + url.encode() + b'/s.xsl"?>' + h, None, fc),
    }


def test_nothing_is_fetched_from_a_url(tmp_path: Path) -> None:
    listener = _Listener()
    try:
        docs = _fetching_documents(f"http://127.0.0.1:{listener.port}")
        for name, (data, tolerant, strict) in docs.items():
            for entry in ENTRY_POINTS:
                assert _outcome(entry, data) is tolerant, (name, entry.name)
                assert _outcome(entry, data, strict=True) is strict, (name, entry.name)
            path = tmp_path / f"{name}.xml"
            path.write_bytes(data)
            for command in ("inspect", "fmt"):
                assert main([command, str(path)], stdout=io.StringIO(), stderr=io.StringIO()) in (
                    0,
                    1,
                )
        # Also the reference driver and the tree path: nothing of ours may fetch either.
        for data, _, _ in docs.values():
            with contextlib.suppress(DefusedXmlException, ET.ParseError, SyncMLError):
                parse_tree(DET.fromstring(data, forbid_dtd=True))
    finally:
        connections = listener.close()
    assert connections == 0


def test_a_local_file_is_never_read(tmp_path: Path) -> None:
    marker = "SECRET-MARKER-7f3a9c"
    secret = tmp_path / "secret.txt"
    secret.write_text(marker)
    uri = secret.as_uri()
    cases = [
        f'<!DOCTYPE SyncML [<!ENTITY x SYSTEM "{uri}">]>'.encode()
        + _message(b"<Alert><CmdID>1</CmdID><Data>&x;</Data></Alert>"),
        f'<!DOCTYPE SyncML [<!ENTITY % x SYSTEM "{uri}"> %x;]>'.encode() + _message(b""),
        f'<!DOCTYPE SyncML SYSTEM "{uri}">'.encode()
        + _message(b"<Replace><CmdID>1</CmdID><Item><Data>&x;</Data></Item></Replace>"),
    ]
    for i, data in enumerate(cases):
        for entry in ENTRY_POINTS:
            for strict in (False, True):
                with pytest.raises(ForbiddenConstruct) as info:
                    entry.run(data, strict)
                assert marker not in str(info.value)
                assert marker not in repr(info.value.args)
        path = tmp_path / f"case{i}.xml"
        path.write_bytes(data)
        for command in ("inspect", "fmt"):
            out, err = io.StringIO(), io.StringIO()
            assert main([command, str(path)], stdout=out, stderr=err) == 1
            assert marker not in out.getvalue() + err.getvalue()
    # A bare DOCTYPE naming the file is tolerated (P109) but the file is still not read.
    bare = f'<!DOCTYPE SyncML SYSTEM "{uri}">'.encode() + _message(b"")
    diags: list[Any] = []
    msg = parse(bare, diagnostics=diags)
    assert [d.code for d in diags] == ["P109"]
    assert marker.encode() not in serialize(msg)
    with pytest.raises(ForbiddenConstruct):
        parse(bare, strict=True)


# -- limits -----------------------------------------------------------------------------------


def _message(body: bytes, hdr_extra: bytes = b"") -> bytes:
    return (
        b'<SyncML xmlns="SYNCML:SYNCML1.2"' + hdr_extra + b"><SyncHdr><VerDTD>1.2</VerDTD>"
        b"<VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>"
        b"<Target><LocURI>a</LocURI></Target><Source><LocURI>b</LocURI></Source></SyncHdr>"
        b"<SyncBody>" + body + b"<Final/></SyncBody></SyncML>"
    )


_ITEM = b"<Item><Target><LocURI>./a</LocURI></Target><Data>v</Data></Item>"
_LIMIT_CASES: dict[str, tuple[Limits, bytes]] = {
    "max_bytes": (Limits(max_bytes=100), _message(b"")),
    "max_depth": (Limits(max_depth=2), _message(b"<Atomic><CmdID>1</CmdID></Atomic>")),
    # max_text bounds memory: it is checked on the text still open at a chunk boundary, at
    # least every max(64 KiB, max_text / 4) bytes, so the Data must exceed it by that much.
    "max_text": (
        Limits(max_text=1000),
        _message(
            b"<Replace><CmdID>1</CmdID><Item><Data>" + b"x" * 70_000 + b"</Data></Item></Replace>"
        ),
    ),
    "max_items": (
        Limits(max_items=2),
        _message(b"<Replace><CmdID>1</CmdID>" + _ITEM * 3 + b"</Replace>"),
    ),
    "max_commands": (
        Limits(max_commands=2),
        _message(b"".join(b"<Get><CmdID>%d</CmdID>" % i + _ITEM + b"</Get>" for i in (1, 2, 3))),
    ),
    "max_attributes": (Limits(max_attributes=2), _message(b"", b' a="1" b="2"')),
    "max_attribute_length": (Limits(max_attribute_length=5), _message(b"", b' a="123456"')),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=EP_IDS)
@pytest.mark.parametrize("field", sorted(_LIMIT_CASES))
def test_each_limit_raises_limit_exceeded(field: str, entry: EntryPoint) -> None:
    limits, data = _LIMIT_CASES[field]
    assert parse(data) is not None  # under the default limits the message is fine
    runners: dict[str, Callable[[], Any]] = {
        "parse": lambda: parse(data, limits=limits),
        "parse-chunks": lambda: parse(_chunks(data), limits=limits),
        "parse-file": lambda: parse(io.BytesIO(data), limits=limits),
        "parse_fragment": lambda: parse_fragment(data, limits=limits),
        "parse_fragment-chunks": lambda: parse_fragment(_chunks(data, 5), limits=limits),
        "StreamParser": lambda: _stream_with_limits(data, limits),
        "iter_items": lambda: list(syncml_codec.iter_items(_chunks(data), limits=limits)),
        "iterparse": lambda: list(syncml_codec.iterparse(data, limits=limits)),
    }
    if entry.name not in runners:
        pytest.skip(f"{entry.name}: add a limits runner")
    with pytest.raises(LimitExceeded) as info:
        runners[entry.name]()
    exc = info.value
    assert exc.limit == field
    assert exc.value == getattr(limits, field)
    assert exc.line is not None
    assert exc.line >= 1
    assert exc.column is not None
    assert exc.column >= 1
    assert f"limit {field}={exc.value} exceeded" in exc.message


def test_max_depth_counts_markup_inside_data() -> None:
    data = _message(
        b"<Replace><CmdID>1</CmdID><Item><Data><a><b><c/></b></a></Data></Item></Replace>"
    )
    parse(data, limits=Limits(max_depth=8))
    with pytest.raises(LimitExceeded) as info:
        parse(data, limits=Limits(max_depth=6))
    assert info.value.limit == "max_depth"


def test_max_diagnostics_keeps_a_bounded_list() -> None:
    """max_diagnostics does not raise: further deviations are counted, not kept."""
    data = _message(b"".join(b"<Unknown%d/>" % i for i in range(50)))
    diags: list[Any] = []
    parse(data, limits=Limits(max_diagnostics=5), diagnostics=diags)
    assert len(diags) == 5


def _huge_data_chunks(total: int, head: bytes, fill: bytes = b"A") -> Iterator[bytes]:
    yield head
    block = fill * 65536
    for _ in range(total // len(block)):
        yield block


@pytest.mark.parametrize(
    ("what", "head"),
    [
        ("text", _message(b"").split(b"<Final/>")[0] + b"<Replace><CmdID>1</CmdID><Item><Data>"),
        (
            "cdata",
            _message(b"").split(b"<Final/>")[0] + b"<Replace><CmdID>1</CmdID><Item><Data><![CDATA[",
        ),
        (
            "markup-text",
            _message(b"").split(b"<Final/>")[0] + b"<Replace><CmdID>1</CmdID><Item><Data><x>",
        ),
        ("comment", _message(b"").split(b"<Final/>")[0] + b"<!--"),
        ("attribute", b'<SyncML xmlns="SYNCML:SYNCML1.2" a="'),
        ("unknown-element-text", _message(b"").split(b"<Final/>")[0] + b"<Unknown>"),
    ],
)
def test_chunked_input_stays_bounded_without_max_bytes(what: str, head: bytes) -> None:
    """256 MB fed as a generator (never in memory) with max_bytes lifted: max_text caps it."""
    limits = Limits(max_bytes=None, max_text=1 << 20)
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded) as info:
            parse(_huge_data_chunks(256 << 20, head), limits=limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.limit == "max_text"
    assert peak < 16 << 20, f"{what}: peak {peak} bytes"


def test_many_small_chunks_are_linear() -> None:
    """1 MB of Data in 7-byte chunks: quadratic text accounting took minutes (no timing here,
    the bound is hypothesis-free: the test just has to finish under pytest's normal run)."""
    head = _message(b"").split(b"<Final/>")[0] + b"<Replace><CmdID>1</CmdID><Item><Data>"
    tail = b"</Data></Item></Replace><Final/></SyncBody></SyncML>"

    def gen() -> Iterator[bytes]:
        yield head
        for _ in range(150_000):
            yield b"abcdefg"
        yield tail

    msg = parse(gen(), limits=Limits(max_bytes=None))
    assert len(_data(msg)) == 1_050_000


# -- broken input: positions and messages --------------------------------------------------------


def _prefix_cases() -> list[tuple[str, bool]]:
    return [(str(p), True) for p in MESSAGES] + [(str(p), False) for p in FRAGMENTS]


@pytest.mark.parametrize(("path", "whole"), _prefix_cases(), ids=lambda v: Path(str(v)).name)
def test_every_truncation_is_a_positioned_malformed_xml(path: str, whole: bool) -> None:
    data = Path(path).read_bytes()
    complete = data.rstrip()
    reader = parse if whole else parse_fragment
    reader(data)  # the whole message is fine
    for n in range(len(data)):
        prefix = data[:n]
        if prefix.rstrip() == complete:
            continue
        # every prefix whole; every 17th also in chunks (the chunked path is quadratic here)
        for source in (prefix, list(_chunks(prefix, 512))) if n % 17 == 0 else (prefix,):
            with pytest.raises(MalformedXML) as info:
                reader(source)
            exc = info.value
            assert exc.line is not None, (n, str(exc))
            assert exc.line >= 1, (n, str(exc))
            assert exc.column is not None, (n, str(exc))
            assert exc.column >= 1, (n, str(exc))
            assert exc.xpath.startswith("/"), (n, str(exc))
            assert (
                "expected" in exc.message or "truncated" in exc.message or "unclosed" in str(exc)
            ), (n, str(exc))


def test_mismatched_tag_names_the_expected_end_tag() -> None:
    with pytest.raises(MalformedXML) as info:
        parse(_message(b"<Alert><CmdID>1</CmdId></Alert>"))
    assert "expected </CmdID>" in info.value.message
    assert info.value.xpath == "/SyncML/SyncBody/Alert[1]/CmdID"
    assert info.value.line == 1


def test_error_positions_are_one_based() -> None:
    with pytest.raises(MalformedXML) as info:
        parse(b"<SyncML>\n\x00")
    assert (info.value.line, info.value.column) == (2, 1)
    assert "U+0000" in info.value.message


def test_typographic_quotes_and_apos_entity_get_a_quote_hint() -> None:
    for attr in ("xmlns=“SYNCML:SYNCML1.2”".encode(), b"xmlns=&#39;SYNCML:SYNCML1.2&#39;"):
        data = _message(b"").replace(b'xmlns="SYNCML:SYNCML1.2"', attr)
        with pytest.raises(MalformedXML) as info:
            parse(data)
        assert "quote" in info.value.message


def test_a_non_syncml_root_is_for_parse_fragment() -> None:
    alert = b'<Alert xmlns="SYNCML:SYNCML1.2"><CmdID>1</CmdID><Data>1201</Data></Alert>'
    with pytest.raises(UnknownElement) as info:
        parse(alert)
    assert "expected SyncML" in info.value.message
    assert parse_fragment(alert).cmd_id == "1"


def test_unknown_element_is_skipped_tolerantly_and_rejected_strictly() -> None:
    data = _message(b"<Frobnicate><x/></Frobnicate>")
    diags: list[Any] = []
    parse(data, diagnostics=diags)
    assert [d.code for d in diags] == ["P104"]
    with pytest.raises(UnknownElement):
        parse(data, strict=True)


def test_xinclude_is_never_processed(tmp_path: Path) -> None:
    secret = tmp_path / "inc.txt"
    secret.write_text("INCLUDED-MARKER")
    inc = (
        b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="'
        + secret.as_uri().encode()
        + b'" parse="text"/>'
    )
    # In SyncBody: an unknown element.
    diags: list[Any] = []
    msg = parse(_message(inc), diagnostics=diags)
    assert [d.code for d in diags] == ["P104"]
    assert b"INCLUDED-MARKER" not in serialize(msg)
    with pytest.raises(UnknownElement):
        parse(_message(inc), strict=True)
    # Inside Data: inert markup, kept as text.
    data = _message(b"<Replace><CmdID>1</CmdID><Item><Data>" + inc + b"</Data></Item></Replace>")
    value = _data(parse(data, strict=True))
    assert "xi:include" in value
    assert "INCLUDED-MARKER" not in value


def test_processing_instructions_are_diagnosed_not_run() -> None:
    data = b'<?xml version="1.0"?><?php system("id"); ?>' + _message(b"")
    diags: list[Any] = []
    parse(data, diagnostics=diags)
    assert [d.code for d in diags] == ["P112"]
    with pytest.raises(ForbiddenConstruct):
        parse(data, strict=True)


def test_non_numeric_codes() -> None:
    for body in (
        b"<Alert><CmdID>1</CmdID><Data>DISPLAY</Data></Alert>",
        b"<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
        b"<Data>200 OK</Data></Status>",
        "<Alert><CmdID>1</CmdID><Data>１２００</Data></Alert>".encode(),
    ):
        with pytest.raises(DecodeError) as info:
            parse(_message(body))
        assert "must be a numeric code" in info.value.message
        assert info.value.xpath.endswith("/Data")


def test_utf8_bom_is_fine() -> None:
    assert parse(b"\xef\xbb\xbf" + _message(b"")) == parse(_message(b""))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_accepted(codec: str) -> None:
    """XML 1.0 4.3.3: processors must read UTF-16; with a BOM it is unambiguous."""
    text = '<?xml version="1.0" encoding="UTF-16"?>' + _message(
        "<Replace><CmdID>1</CmdID><Item><Data>é€😀</Data></Item></Replace>".encode()
    ).decode("utf-8")
    data = "\ufeff".encode(codec) + text.encode(codec)
    assert parse(data) == parse(text.encode("utf-8").replace(b"UTF-16", b"UTF-8"))
    assert parse(list(_chunks(data, 3))) == parse(data)  # chunk borders split code units


def test_utf16_declared_but_utf8_bytes_is_malformed() -> None:
    with pytest.raises(MalformedXML) as info:
        parse(b'<?xml version="1.0" encoding="UTF-16"?>' + _message(b""))
    assert "encoding" in info.value.message


def test_a_str_source_ignores_its_encoding_declaration() -> None:
    """A str is already decoded: the declared ISO-8859-1 is not applied a second time."""
    text = '<?xml version="1.0" encoding="ISO-8859-1"?>' + _message(
        b"<Replace><CmdID>1</CmdID><Item><Data>\xc3\xa9\xe2\x82\xac</Data></Item></Replace>"
    ).decode("utf-8")
    assert _data(parse(text)) == "é€"
    as_latin1 = text.replace("€", "").encode("iso-8859-1")
    assert _data(parse(as_latin1)) == "é"


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\n\t", "".encode("utf-16")])
def test_empty_and_whitespace_only(data: bytes) -> None:
    for entry in ENTRY_POINTS:
        with pytest.raises(MalformedXML) as info:
            entry.run(data, False)
        assert "expected a root element" in info.value.message or "no element" in str(info.value)


# -- fuzzing (bounded, hypothesis) ---------------------------------------------------------------

_SEEDS = [p.read_bytes() for p in MESSAGES + FRAGMENTS] + [
    (HOSTILE / n).read_bytes() for n in sorted(MANIFEST) if (HOSTILE / n).stat().st_size < 30_000
]


@st.composite
def _byte_mutants(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "splice", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=8),
                    st.sampled_from(
                        [
                            b"<",
                            b">",
                            b"&",
                            b"]]>",
                            b"<![CDATA[",
                            b"<!DOCTYPE x [",
                            b"&#0;",
                            b"\x00",
                            b"\xff",
                            b"<Item>",
                            b"</Data>",
                            b"xmlns:p='q' ",
                            b"<?pi?>",
                            b"<!--",
                        ]
                    ),
                )
            )
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif op == "splice":
            other = draw(st.sampled_from(_SEEDS))
            start = draw(st.integers(0, max(len(other) - 1, 0)))
            data[at:at] = other[start : start + draw(st.integers(1, 200))]
        elif op == "truncate":
            del data[at:]
    return bytes(data)


def _tree_seeds() -> list[ET.Element]:
    return [ET.fromstring(p.read_bytes()) for p in MESSAGES + FRAGMENTS]


_TREES = _tree_seeds()
_NAMES = sorted(
    {el.tag.rpartition("}")[2] for tree in _TREES for el in tree.iter() if isinstance(el.tag, str)}
)


@st.composite
def _structure_mutants(draw: st.DrawFn) -> bytes:
    root = ET.fromstring(ET.tostring(draw(st.sampled_from(_TREES))))
    for _ in range(draw(st.integers(1, 4))):
        parents = [el for el in root.iter() if len(el)]
        if not parents:
            break
        parent = draw(st.sampled_from(parents))
        index = draw(st.integers(0, len(parent) - 1))
        child = parent[index]
        op = draw(st.sampled_from(["drop", "duplicate", "reorder", "rename", "text", "move"]))
        if op == "drop":
            parent.remove(child)
        elif op == "duplicate":
            parent.insert(index, ET.fromstring(ET.tostring(child)))
        elif op == "reorder":
            kids = list(parent)
            draw(st.randoms(use_true_random=False)).shuffle(kids)
            parent[:] = kids
        elif op == "rename":
            ns = child.tag.rpartition("}")[0] + "}" if child.tag.startswith("{") else ""
            child.tag = ns + draw(st.sampled_from([*_NAMES, "Bogus", "xi:include"]))
        elif op == "text":
            child.text = draw(st.sampled_from(["", " ", "x", "-1", "99999999999", "\u0661"]))
        elif op == "move":
            target = draw(st.sampled_from(list(root.iter())))
            if child is not target and target not in list(child.iter()):
                parent.remove(child)
                target.append(child)
    if draw(st.booleans()):
        return ET.tostring(root)  # ns0:/ns1: prefixes everywhere
    try:  # the usual shape: SyncML as the default namespace
        return ET.tostring(root, default_namespace="SYNCML:SYNCML1.2")
    except ValueError:  # a renamed element outside any namespace
        return ET.tostring(root)


def _assert_invariant(data: bytes) -> None:
    for entry in ENTRY_POINTS:
        for strict in (False, True):
            with contextlib.suppress(SyncMLError):
                entry.run(data, strict)


@given(_byte_mutants())
def test_byte_mutations_raise_only_syncml_errors(data: bytes) -> None:
    _assert_invariant(data)


@given(_structure_mutants())
def test_structure_mutations_raise_only_syncml_errors(data: bytes) -> None:
    _assert_invariant(data)
    # what the tolerant parser accepts, the tree driver reads the same way (except markup in
    # Data written with prefixes: parse keeps the prefixes, the tree re-declares namespaces)
    if b"xmlns:" in data:  # any prefix (the mutators write ns0:, ns1:...)
        return
    try:
        expected = parse_fragment(data)
        tree = ET.fromstring(data)
    except SyncMLError:
        return
    except ET.ParseError:  # namespace errors: ET rejects, the tolerant parser reports P113
        return
    assert parse_tree(tree) == expected


@given(st.binary(max_size=300))
def test_random_bytes_raise_only_syncml_errors(data: bytes) -> None:
    _assert_invariant(data)


# -- defusedxml reference driver -----------------------------------------------------------------


def _defused(data: bytes, forbid_dtd: bool = True) -> ET.Element | type[Exception]:
    try:
        return DET.fromstring(data, forbid_dtd=forbid_dtd)
    except DefusedXmlException as exc:
        return type(exc)
    except ET.ParseError:
        return ET.ParseError
    except (LookupError, ValueError):
        # ElementTree lets pyexpat's codec errors for a declared encoding escape (LookupError,
        # ValueError, UnicodeError); our driver maps them to MalformedXML.
        return ET.ParseError


#: Files where the two drivers legitimately differ, and why.
_DEFUSED_DIFFERENCES = {
    "processing-instruction.xml": "defusedxml has no PI policy; strict mode forbids PIs",
}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_defusedxml_rejects_exactly_what_we_forbid(name: str) -> None:
    data = (HOSTILE / name).read_bytes()
    ours_forbidden = MANIFEST[name]["error"] == "ForbiddenConstruct"
    theirs = _defused(data)
    theirs_forbidden = isinstance(theirs, type) and issubclass(theirs, DefusedXmlException)
    if name in _DEFUSED_DIFFERENCES:
        assert ours_forbidden != theirs_forbidden, _DEFUSED_DIFFERENCES[name]
        return
    assert ours_forbidden == theirs_forbidden, f"defusedxml: {theirs}"
    if theirs is ET.ParseError:  # not well-formed for both
        assert MANIFEST[name]["error"] == "MalformedXML"


_ACCEPTED = [
    *MESSAGES,
    *FRAGMENTS,
    HOSTILE / "xinclude.xml",
    HOSTILE / "unknown-element-strict.xml",
]


@pytest.mark.parametrize("path", _ACCEPTED, ids=lambda p: p.name)
def test_defusedxml_tree_reads_the_same_model(path: Path) -> None:
    data = path.read_bytes()
    # forbid_dtd=False: a bare DOCTYPE (the K800i capture) is tolerated by both, entities not
    element = _defused(data, forbid_dtd=False)
    assert isinstance(element, ET.Element)
    assert parse_tree(element) == parse_fragment(data)
    if path in MESSAGES:
        assert parse_tree(element) == parse(data)


def test_defusedxml_parity_on_hostile_mutants() -> None:
    """Every mutant either side calls forbidden, the other does too (seeded, bounded)."""
    rng = random.Random(1234)
    forbidden = [HOSTILE / n for n, e in MANIFEST.items() if e["error"] == "ForbiddenConstruct"]
    for path in forbidden:
        if path.name in _DEFUSED_DIFFERENCES:
            continue
        data = path.read_bytes()
        for _ in range(20):
            cut = rng.randrange(len(data))
            mutant = data[:cut] + data[cut + rng.randrange(1, 4) :]
            ours = _outcome(ENTRY_POINTS[0], mutant, strict=MANIFEST[path.name]["strict"])
            theirs = _defused(mutant)
            if ours is ForbiddenConstruct:
                # we stop at the first forbidden construct; defusedxml may first hit a syntax
                # error later in the same DOCTYPE, never accept it
                assert not isinstance(theirs, ET.Element), mutant[:80]


@pytest.mark.parametrize("schema", [False, True])
@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_validate_reports_every_hostile_file_as_an_error(name: str, schema: bool) -> None:
    """validate() turns hostile input into error diagnostics, never an exception (atheris found
    a bogus declared encoding escaping its position re-scan as a UnicodeError)."""
    data = (HOSTILE / name).read_bytes()
    diags = syncml_codec.validate(data, schema=schema)
    assert any(d.severity == "error" for d in diags), (name, MANIFEST[name]["error"])
