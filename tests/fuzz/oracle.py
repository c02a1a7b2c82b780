"""The differential oracle and the mutators shared by the Hypothesis target and atheris.

``check(data, rng)`` holds one input to the four equalities of issue 13:

(a) ``parse`` == ``parse_exact``: the same message and diagnostics, or the same error class;
(b) ``iter_items`` over bytes, over a path and over random chunks of an iterable, and a
    ``StreamParser`` fed random chunks, give what ``parse`` gives (Items in document order,
    the header, the commands rebuilt from the events), or all raise ``parse``'s error class;
(c) ``parse(serialize(m)) == m`` for XML and WBXML whenever ``parse`` accepted the input and
    ``serialize`` does not refuse ``m`` (``EncodeError``: a model the DTD does not allow);
(d) ``validate(schema=False)`` and ``validate(schema=True)`` agree on the verdict (any error).

A failed equality raises ``Discrepancy`` (an ``AssertionError``, so atheris reports a crash and
Hypothesis shrinks it). Anything but a ``SyncMLError`` escaping an entry point propagates as it
is. The mutators work on bytes (flips, inserts, truncation), on the element tree (delete,
duplicate, reorder, wrap in Atomic/Sequence, deepen nesting, via ElementTree) and on markup
(whitespace, CDATA, comments and PIs between tags); they take a ``random.Random`` so that
Hypothesis (``st.randoms``) and atheris (a seed from libFuzzer) drive the same code.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import random
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import syncml_codec as sc
from syncml_codec.codes import NS_METINF
from syncml_codec.parse import parse_exact
from syncml_codec.stream import CommandEnd, Header, ItemEvent, StreamParser, iter_items

_TESTS = Path(__file__).resolve().parent.parent
if str(_TESTS) not in sys.path:  # run as a script (atheris): corpus.py and friends
    sys.path.insert(0, str(_TESTS))

from corpus import DATA, corpus_cases  # noqa: E402
from wbxml_tools import xml_to_wbxml  # noqa: E402

__all__ = [
    "Discrepancy",
    "check",
    "mutate",
    "mutate_bytes",
    "mutate_markup",
    "mutate_tree",
    "seeds",
]

#: Containers a subtree may be wrapped in ([OMA-TS-DM_RepPro] 6.6.2 Atomic, 6.6.14 Sequence).
_CONTAINERS = ("Atomic", "Sequence")
#: Extra nesting levels a mutation may add at most: validate() is exponential in container
#: depth on main (issue 13 item 1), so the CI target stays shallow; atheris may go deeper.
MAX_WRAPS = 2


class Discrepancy(AssertionError):
    """Two entry points that must agree on an input did not."""


Outcome = tuple[str, Any, Any]  # ("ok", value, diagnostics) or ("error", class, message)


def _run(fn: Callable[[], tuple[Any, Any]]) -> Outcome:
    try:
        value, extra = fn()
    except sc.SyncMLError as exc:
        return ("error", type(exc), str(exc))
    return ("ok", value, extra)


def _parse(data: bytes) -> Outcome:
    def go() -> tuple[Any, Any]:
        diags: list[sc.Diagnostic] = []
        return sc.parse(data, diagnostics=diags), diags

    return _run(go)


def _parse_exact(data: bytes) -> Outcome:
    def go() -> tuple[Any, Any]:
        diags: list[sc.Diagnostic] = []
        return parse_exact(data, diagnostics=diags), diags

    return _run(go)


def _items(commands: tuple[Any, ...]) -> Iterator[sc.Item]:
    """The Items of ``commands`` in document order (a container's members in turn)."""
    for command in commands:
        yield from getattr(command, "items", ())
        yield from _items(getattr(command, "commands", ()))


def _chunks(data: bytes, rng: random.Random) -> list[bytes]:
    cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randint(0, 12))))
    return [data[i:j] for i, j in zip([0, *cuts], [*cuts, len(data)], strict=True)]


def _streamed(source: Any) -> tuple[Any, Any]:
    stream = iter_items(source)
    items = [item for _, item in stream]
    return (stream.header, items), None


def _bare(command: Any) -> Any:
    """A command as ``CommandEnd`` carries it: its Items and members were streamed."""
    fields = {k: () for k in ("items", "commands") if hasattr(command, k)}
    return dataclasses.replace(command, **fields)


def _ends(commands: tuple[Any, ...]) -> Iterator[Any]:
    """The commands in the order their end tags come (a container after its members)."""
    for command in commands:
        yield from _ends(getattr(command, "commands", ()))
        yield _bare(command)


def _fed(chunks: list[bytes], wbxml: bool) -> tuple[Any, Any]:
    """Header, Items and the ended commands a StreamParser hands out, fed ``chunks``."""
    parser = StreamParser()
    if wbxml:
        events = parser.decode_wbxml(b"".join(chunks))
    else:
        events = [event for chunk in chunks for event in parser.feed(chunk)]
        events += parser.close()
    headers = [e.header for e in events if isinstance(e, Header)]
    items = [e.item for e in events if isinstance(e, ItemEvent)]
    return (headers, items, [e.value for e in events if isinstance(e, CommandEnd)]), None


def _same(what: str, got: Outcome, expected: Outcome, *, objects: bool = True) -> None:
    if got[0] != expected[0] or (got[0] == "error" and got[1] is not expected[1]):
        raise Discrepancy(f"{what}: {got[:2]} but parse gave {expected[:2]} ({expected[2]!r})")
    if got[0] == "ok" and objects and got[1:] != expected[1:]:
        raise Discrepancy(f"{what}: a different result than parse")


def check_exact(data: bytes) -> Outcome:
    """(a): parse and parse_exact agree; returns parse's outcome."""
    fast = _parse(data)
    _same("parse_exact", _parse_exact(data), fast)
    return fast


def check_streams(data: bytes, parsed: Outcome, rng: random.Random) -> None:
    """(b): every streaming entry point gives what parse gave, or raises its error class."""
    expected: Outcome = parsed
    if parsed[0] == "ok":
        message = parsed[1]
        expected = ("ok", (message.sync_hdr, list(_items(message.sync_body.commands))), None)
    wbxml = data[:1] in (b"\x01", b"\x02", b"\x03")
    chunks = _chunks(data, rng) if len(data) > 1 else [data]
    _same("iter_items(bytes)", _run(lambda: _streamed(data)), expected)
    fd, name = tempfile.mkstemp(suffix=".wbxml" if wbxml else ".xml")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        _same("iter_items(path)", _run(lambda: _streamed(Path(name))), expected)
    finally:
        os.unlink(name)
    _same("iter_items(chunks)", _run(lambda: _streamed(iter(chunks))), expected)
    whole = parsed
    if parsed[0] == "ok":
        hdr, items = expected[1]
        whole = ("ok", ([hdr], items, list(_ends(parsed[1].sync_body.commands))), None)
    _same("StreamParser", _run(lambda: _fed(chunks, wbxml)), whole)


def check_roundtrip(parsed: Outcome) -> None:
    """(c): what parse accepted and serialize writes reads back as the same message."""
    if parsed[0] != "ok":
        return
    message = parsed[1]
    for fmt in ("xml", "wbxml"):
        try:
            written = sc.serialize(message, format=fmt)
        except sc.EncodeError:
            continue
        try:
            again = sc.parse(written)
        except sc.SyncMLError as exc:
            raise Discrepancy(f"parse(serialize(m, {fmt})) raised {exc!r}") from exc
        if again != message:
            raise Discrepancy(f"parse(serialize(m, {fmt})) != m")


def _verdict(data: bytes, schema: bool) -> bool:
    return any(d.severity == "error" for d in sc.validate(data, schema=schema))


def check_validate(data: bytes) -> None:
    """(d): the fast structural check and xmlschema give the same verdict."""
    fast = _verdict(data, False)
    try:
        reference = _verdict(data, True)
    except (ValueError, KeyError) as exc:  # validate() promises never to raise
        raise Discrepancy(f"validate: schema=True raised {exc!r}") from exc
    if fast != reference:
        raise Discrepancy(f"validate: schema=False invalid={fast}, schema=True invalid={reference}")


def check(data: bytes, rng: random.Random, *, validate: bool = True) -> Outcome:
    """Hold ``data`` to the four equalities; return parse's outcome."""
    parsed = check_exact(data)
    check_streams(data, parsed, rng)
    check_roundtrip(parsed)
    if validate:
        check_validate(data)
    return parsed


# -- what main gets wrong today -------------------------------------------------------------------

#: Parse diagnostics for a SyncHdr/SyncBody that is missing (assumed empty) or repeated.
_HEADER_CODES = frozenset(("P105", "P106"))
_MARKUP_DATA = re.compile(rb"<Data>\s*<[^!]")
#: A namespace name holding Unicode whitespace, which xmlschema's defusing SAX pass splits.
_SPACED_NS = re.compile(
    rb"xmlns(:[^=]*)?=[\"'][^\"']*(\xc2\x85|\xc2\xa0|\xe2\x80[\x80-\x8a\xa8\xa9]|\xe3\x80\x80)"
)


def known_issue(data: bytes, parsed: Outcome, found: Discrepancy) -> str | None:
    """The open finding ``found`` is an instance of, or None for a new one.

    The hook for findings that are reported but not fixed yet: name each with an ``F<n>``
    entry here (tests/fuzz/README.md, "Findings") so the targets keep running, and delete the
    entry with its fix. F1-F5 of the first runs are fixed; none is open.
    """
    return None


# -- mutators ------------------------------------------------------------------------------------

_INSERTS = (
    b" ",
    b"\n  ",
    b"\t",
    b"<!-- c -->",
    b"<?pi x?>",
    b"<![CDATA[x]]>",
    b"<![CDATA[]]>",
    b"&amp;",
    b"&#32;",
    b"\xc2\xa0",
    b"\xe2\x80\x83",
)
_FLIPS = b" <>/&;\"'=:\t\nxA0\x00\xc3\xa9\x01\x02\x03\x04\x43\x44\x80\xff\x6d\x4f"


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """One byte-level change: flip, insert a snippet, delete a run, or truncate."""
    buf = bytearray(data)
    op = rng.choice(("flip", "insert", "delete", "truncate"))
    i = rng.randrange(len(buf) + 1)
    if op == "flip" and buf:
        buf[min(i, len(buf) - 1)] = rng.choice(_FLIPS)
    elif op == "insert":
        buf[i:i] = rng.choice((*_INSERTS, b"<x/>", b"</Item>", b"<Item>", b"\x01", b"\x03x\x00"))
    elif op == "delete":
        del buf[i : i + rng.randint(1, 8)]
    else:
        del buf[i:]
    return bytes(buf)


_TAG = re.compile(rb"<[^!?/][^>]*>|</[^>]+>")


def mutate_markup(rng: random.Random, data: bytes) -> bytes:
    """Insert whitespace, a comment, a PI or a CDATA section next to a random tag."""
    tags = [m.end() for m in _TAG.finditer(data)] or [0]
    i = rng.choice(tags)
    return data[:i] + rng.choice(_INSERTS) + data[i:]


def _ns(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def _wrap(rng: random.Random, parent: ET.Element, child: ET.Element) -> None:
    """Replace ``child`` by an Atomic/Sequence holding it (a CmdID first, as the DTD wants)."""
    ns = _ns(child.tag)
    box = ET.Element(ns + rng.choice(_CONTAINERS))
    ET.SubElement(box, ns + "CmdID").text = str(rng.randint(1, 99))
    i = list(parent).index(child)
    parent.remove(child)
    box.append(child)
    box.tail, child.tail = child.tail, None
    parent.insert(i, box)


def mutate_tree(rng: random.Random, data: bytes) -> bytes | None:
    """One structural change on the element tree: delete, duplicate or move a subtree, wrap a
    command in Atomic/Sequence, or deepen an existing container. None if not well-formed."""
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError):
        return None
    pairs = [(p, c) for p in root.iter() for c in p]
    if not pairs:
        return None
    parent, child = rng.choice(pairs)
    i = list(parent).index(child)
    op = rng.choice(("delete", "duplicate", "swap", "wrap", "deepen", "move"))
    if op == "delete":
        parent.remove(child)
    elif op == "duplicate":
        parent.insert(i + 1, copy.deepcopy(child))
    elif op == "swap" and i + 1 < len(parent):
        nxt = parent[i + 1]
        parent.remove(nxt)
        parent.insert(i, nxt)
    elif op in ("wrap", "deepen"):
        if op == "deepen":  # wrap a command of a container already there: one level more
            boxes = [(p, c) for p, c in pairs if c.tag.endswith(_CONTAINERS) and len(c) > 1]
            if boxes:
                parent, child = rng.choice(boxes)
                parent, child = child, child[-1]
        depth = sum(1 for el in root.iter() if el.tag.endswith(_CONTAINERS))
        if depth < MAX_WRAPS + 2:
            _wrap(rng, parent, child)
    else:  # move the subtree into another element
        inside = set(child.iter())
        parent.remove(child)
        rng.choice([el for el in root.iter() if el not in inside]).append(child)
    return _serialize(root)


def _serialize(root: ET.Element) -> bytes:
    """The tree as bytes, its root namespace as the default one (no ``ns0:`` prefixes)."""
    ET.register_namespace("mi", NS_METINF)
    out: bytes = ET.tostring(root, encoding="utf-8")
    return out.replace(b"xmlns:ns0=", b"xmlns=").replace(b"<ns0:", b"<").replace(b"</ns0:", b"</")


def mutate(rng: random.Random, data: bytes, *, steps: int) -> bytes:
    """``steps`` mutations of any kind, tree ones first so later byte noise survives."""
    for _ in range(steps):
        kind = rng.choice(("tree", "tree", "markup", "bytes"))
        if kind == "tree":
            data = mutate_tree(rng, data) or data
        elif kind == "markup":
            data = mutate_markup(rng, data)
        else:
            data = mutate_bytes(rng, data)
    return data


# -- seeds ---------------------------------------------------------------------------------------


def _wbxml_form(data: bytes) -> bytes | None:
    """WBXML of an XML message: the model's form, else the test converter's (keeps unknown
    elements out, whitespace in); None if neither writes it."""
    try:
        return sc.serialize(sc.parse(data), format="wbxml")
    except sc.SyncMLError:
        pass
    try:
        return xml_to_wbxml(data)
    except (sc.SyncMLError, ValueError):
        return None


def to_wbxml(data: bytes) -> bytes | None:
    """A (mutated) XML input carried to WBXML, or None when it cannot be."""
    try:
        return xml_to_wbxml(data)
    except (sc.SyncMLError, ValueError):
        return _wbxml_form(data)


def seeds(wbxml: bool = False) -> list[tuple[str, bytes]]:
    """The corpus messages and our samples; with ``wbxml``, their WBXML forms."""
    xml = corpus_cases() + [
        (p.stem, p.read_bytes()) for p in sorted((DATA / "samples").glob("*.xml"))
    ]
    if not wbxml:
        return xml
    forms = [(name, doc) for name, data in xml if (doc := _wbxml_form(data)) is not None]
    return [*forms, ("sample.wbxml", (DATA / "wbxml" / "sample.wbxml").read_bytes())]
