"""Streaming: Items handed out one at a time as the bytes arrive; memory flat in message size.

Strategy: the same table-driven ``Builder`` as ``parse()``, with the builder's streaming hook
(``sink``) switched on. When an Item of a command is complete the hook turns it into an
``ItemEvent`` and tells the builder not to keep it; completed commands become ``CommandEnd``
events and are not kept either (their ``items`` are ``()``: the Items went out as events). So
what stays in memory is the open element path, the header, and the events of the current piece:
nothing grows with the number of Items.

Two drivers feed that builder. ``iterparse``/``iter_items`` over a source that can be read twice
(bytes, a path, a seekable file) use the fast path (``_tree``: the C tree parser, walkers
generated from the table); when a message needs the exact path it is read again from the start
with the hardened pyexpat driver, and the events already handed out are skipped (``_tree``'s
docstring says why they are a prefix of the exact path's). Sources that cannot be read twice
take the fast path too, through a spill (``_source.Spill``: memory up to 1 MiB, then a
temporary file) that the exact path reads again: chunk iterables through ``_source.Spool``,
and ``StreamParser`` (sans-IO) itself, which gathers small chunks into 64 KiB pieces.

Per element, the fast path allocates one C ``Element`` (freed with its piece) and makes no
Python call; the exact path makes two handler calls (pyexpat passes a name and an attribute
list) and keeps nothing per element but its text.
Never done per element on either: a position or element path (computed only for a diagnostic or
an error), a namespace lookup beyond one comparison, a copy of the input. The hook is called
once per run of Items (the fast path hands over the Items of a command that one piece completes
together; the exact path one at a time) and makes the event tuples in C
(``map(tuple.__new__, ...)``); ``CommandInfo`` is built once per command
(when its first Item or its end arrives: CmdID, MsgRef/CmdRef and Meta precede Items in DTD order,
so they are known by then). Input is fed in 64 KiB pieces (files, paths, bytes, chunk iterables);
pieces may split anywhere, inside a tag or a UTF-8 sequence: expat buffers across them. Events
go out as one list per piece; ``ItemStream`` keeps each piece's ``ItemEvent`` tuples, which are
the ``(command, item)`` pairs, and ``itertools.chain`` hands them out: after the walker, no
Python code runs per Item on the fast path.

Events (``iterparse``, ``StreamParser.feed``): ``Header`` (SyncHdr, before the first command;
for a header-less message the empty one ``parse()`` fills in),
``CommandStart``, ``ItemEvent``, ``CommandEnd``, and ``End`` (with the body's Final flag). They
are NamedTuples: built in C, one per Item, where a frozen dataclass would cost about 3x.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, repeat
from typing import Any, NamedTuple, TypeAlias

from . import model
from ._builder import Builder, Frame, document_spec, no_cyclic_gc
from ._expat import ExpatDriver
from ._source import Input, SourceLike, Spill, open_input, replay
from ._table import COMMAND_CLASSES
from ._tree import Bail, TreeEngine
from ._tree import available as tree_available
from ._wbxml import is_wbxml
from .diagnostics import Diagnostic
from .errors import DecodeError
from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "CommandEnd",
    "CommandInfo",
    "CommandStart",
    "End",
    "Event",
    "Header",
    "ItemEvent",
    "ItemStream",
    "StreamParser",
    "iter_items",
    "iterparse",
]

_PIECE = 1 << 16  # events are handed out per piece: this bounds what waits in memory
_CONTAINERS = (model.Atomic, model.Sequence)


@dataclass(frozen=True, slots=True)
class CommandInfo:
    """The command an Item belongs to, as far as it is known when its first Item arrives.

    Attributes:
        kind: the command's element name ("Results", "Replace", "Status"...).
        cmd_id: its CmdID.
        msg_ref: MsgRef (Results, Status), else None.
        cmd_ref: CmdRef (Results, Status), else None.
        cmd: Cmd (Status; Results as Windows sends it), else None.
        meta: the command-level Meta, which applies to all its Items ([MS-MDM] 2.2.5.3).
        path: CmdIDs of the enclosing Atomic/Sequence containers, outermost first, as
            ``("Atomic:3", "Sequence:4")``; empty for a command directly in SyncBody.
    """

    kind: str
    cmd_id: str
    msg_ref: str | None = None
    cmd_ref: str | None = None
    cmd: str | None = None
    meta: model.Meta | None = None
    path: tuple[str, ...] = ()

    def effective_meta(self, item: model.Item) -> model.Meta | None:
        """The Item's Meta over the command's: an Item's Meta overrides single fields."""
        if self.meta is None:
            return item.meta
        return self.meta.merged_with(item.meta)


class Header(NamedTuple):
    """The SyncHdr is complete (it comes before any command)."""

    header: model.SyncHdr


class CommandStart(NamedTuple):
    """A command's first Item is about to be delivered (or it ended without Items)."""

    command: CommandInfo


class ItemEvent(NamedTuple):
    """One Item of a command, typed exactly as ``parse()`` builds it."""

    command: CommandInfo
    item: model.Item


class CommandEnd(NamedTuple):
    """A command is complete. ``value`` is the command with ``items=()`` (they were streamed);
    a container's members were streamed too, so its ``commands`` is ``()``."""

    command: CommandInfo
    value: model.Command


class End(NamedTuple):
    """The message is complete."""

    final: bool
    diagnostics: tuple[Diagnostic, ...]


Event: TypeAlias = Header | CommandStart | ItemEvent | CommandEnd | End

_new_tuple = tuple.__new__
_SINK_CLASSES = frozenset((model.Item, model.SyncHdr, *COMMAND_CLASSES))


class _EventParser:
    """Events from one driver over one builder: the exact path (``ExpatDriver``), or the fast
    path in ``_TreeStreamParser``. ``StreamParser`` chooses between them."""

    limits: Limits

    def __init__(self, *, limits: Limits | None = None, strict: bool = False) -> None:
        self.limits = limits or DEFAULT_LIMITS
        self._events: list[Event] = []
        self._infos: dict[int, CommandInfo] = {}
        self._last_kw: dict[str, Any] | None = None  # the open command of the last Item
        self._last_info = CommandInfo(kind="", cmd_id="")
        self.header: model.SyncHdr | None = None
        self._builder = Builder(
            document_spec(),
            strict=strict,
            limits=self.limits,
            sink=self._sink,
            sink_classes=_SINK_CLASSES,
        )
        self._driver = self._new_driver()
        self._closed = False

    def _new_driver(self) -> ExpatDriver | TreeEngine:
        return ExpatDriver(self._builder, self.limits)

    @property
    def nbytes(self) -> int:
        """How many bytes have been fed so far."""
        return self._driver.nbytes

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The deviations accepted so far (tolerant mode)."""
        return self._builder.diagnostics

    def _info(self, frames: list[Frame]) -> CommandInfo:
        """The CommandInfo of the open command whose state is ``frames[-1]`` (built once).

        Open commands are keyed by their depth: two commands at one depth never overlap.
        """
        kw: dict[str, Any] = frames[-1].fields
        key = len(frames) - 1
        info = self._infos.get(key)
        if info is None:
            path = tuple(
                f"{f.node.name}:{f.fields.get('cmd_id', '')}"
                for f in frames[:-1]
                if f.node.cls in _CONTAINERS
            )
            info = CommandInfo(
                kind=frames[-1].node.name,
                cmd_id=kw.get("cmd_id", ""),
                msg_ref=kw.get("msg_ref"),
                cmd_ref=kw.get("cmd_ref"),
                cmd=kw.get("cmd"),
                meta=kw.get("meta"),
                path=path,
            )
            self._infos[key] = info
            self._start_command(frames, info)
        return info

    def _start_command(self, frames: list[Frame], info: CommandInfo) -> None:
        """``CommandStart``, after a ``Header``: a command before any SyncHdr means the message
        has none (DTD order puts it first), and the Header carries the empty one that ``parse``
        fills in (the builder reports that P105 when the message ends)."""
        if self.header is None:
            for frame in frames:
                if frame.node.cls is model.SyncML:
                    header = self._builder.assumed(frame.node, "SyncHdr")
                    if header is not None:
                        self.header = header
                        self._events.append(Header(header))
                    break
        self._events.append(CommandStart(info))

    def _sink(self, frames: list[Frame], values: list[Any]) -> bool:
        if values[0].__class__ is model.Item:
            kw = frames[-1].fields
            if kw is not self._last_kw:  # a new command: look its CommandInfo up once
                self._last_kw, self._last_info = kw, self._info(frames)
            # ItemEvent(info, item) for each, without a Python call per Item
            self._events += map(_new_tuple, repeat(ItemEvent), zip(repeat(self._last_info), values))
            return True
        if values[0].__class__ is model.SyncHdr:
            for value in values:  # (a second one is the builder's to report: it is kept)
                self.header = value
                self._events.append(Header(value))
            return False
        for value in values:
            self._command_end(frames, value)
        return True

    def _command_end(self, frames: list[Frame], value: Any) -> None:
        """A command is complete: its state was popped, so frames[-1] is its parent (see
        ``_info`` for the key)."""
        info = self._infos.pop(len(frames), None)
        if info is None:
            info = CommandInfo(
                kind=type(value).XML_NAME,
                cmd_id=value.cmd_id,
                msg_ref=getattr(value, "msg_ref", None),
                cmd_ref=getattr(value, "cmd_ref", None),
                cmd=getattr(value, "cmd", None),
                meta=getattr(value, "meta", None),
                path=tuple(
                    f"{f.node.name}:{f.fields.get('cmd_id', '')}"
                    for f in frames
                    if f.node.cls in _CONTAINERS
                ),
            )
            self._start_command(frames, info)
        self._events.append(CommandEnd(info, value))

    def feed(self, chunk: bytes) -> list[Event]:
        """Parse one more piece of the message; return the events it completed."""
        if self._closed:
            raise RuntimeError("feed() after close()")
        with no_cyclic_gc():
            self._driver.feed(chunk)
        events, self._events = self._events, []
        return events

    def decode_wbxml(self, document: bytes) -> list[Event]:
        """Decode a whole WBXML document (WBXML is not fed in pieces); return all its events.

        The events are the same as for XML; memory holds the document and its events.
        """
        if self._closed:
            raise RuntimeError("decode_wbxml() after close()")
        self._closed = True
        with no_cyclic_gc():
            self._decode_wbxml(document)
        self._end()
        events, self._events = self._events, []
        return events

    def _decode_wbxml(self, document: bytes) -> None:
        from ._wbxml import decode_into

        decode_into(document, self._builder, self.limits)

    def close(self) -> list[Event]:
        """Finish the message; return the last events (ending with ``End``)."""
        if not self._closed:
            self._closed = True
            self._driver.feed(b"", True)
            self._end()
        events, self._events = self._events, []
        return events

    def _end(self) -> None:
        message: model.SyncML = self._builder.close()
        if self.header is None:  # a header-less message with no command: its empty header
            self.header = message.sync_hdr
            self._events.append(Header(message.sync_hdr))
        self._events.append(End(message.sync_body.final, tuple(self.diagnostics)))


class _TreeStreamParser(_EventParser):
    """The fast path (``_tree``): raises ``Bail`` or ``DecodeError`` where the message needs
    the exact path; the events handed out until then are a prefix of the exact path's."""

    def __init__(self, *, limits: Limits | None = None) -> None:
        super().__init__(limits=limits, strict=True)

    def _new_driver(self) -> ExpatDriver | TreeEngine:
        return TreeEngine(self._builder, self.limits)

    def _decode_wbxml(self, document: bytes) -> None:
        self._driver.decode_wbxml(document)  # type: ignore[union-attr]


class StreamParser:
    """A sans-IO push parser: ``feed(chunk) -> events``, then ``close() -> events``.

    Example::

        parser = StreamParser()
        for chunk in http_body_chunks:
            for event in parser.feed(chunk):
                ...
        for event in parser.close():
            ...

    The fast path reads the chunks first (``_tree``), in pieces of 64 KiB (small chunks are
    gathered, so an event may wait for up to 64 KiB more input, or for ``close``). What it was
    fed is kept in a spool (in memory up to 1 MiB, then in a temporary file), so that when the
    message needs the exact path, that path reads it again from the start and the events
    already handed out are skipped: the events are those of the exact path, each handed out
    once, and memory stays flat. (Past 1 MiB, the temporary file grows as large as the message
    until ``close``.)

    Args:
        limits: resource limits; lift ``max_bytes``/``max_items`` for huge inventories
            (memory stays bounded by ``max_text`` and the open element depth).
        strict: raise on the first deviation instead of recording a diagnostic.
    """

    limits: Limits

    def __init__(self, *, limits: Limits | None = None, strict: bool = False) -> None:
        self.limits = limits or DEFAULT_LIMITS
        self._strict = strict
        self._parser: _EventParser
        self._spool: Spill | None = None
        if tree_available():
            self._parser = _TreeStreamParser(limits=self.limits)
            self._spool = Spill()
        else:
            self._parser = _EventParser(limits=self.limits, strict=strict)
        self._pending: list[bytes] = []  # chunks not fed yet (the fast path feeds pieces)
        self._pending_size = 0
        self._handed = 0  # events the fast path handed out
        self._closed = False

    @property
    def nbytes(self) -> int:
        """How many bytes have been fed so far."""
        return self._parser.nbytes + self._pending_size

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The deviations accepted so far (tolerant mode)."""
        return self._parser.diagnostics

    @property
    def header(self) -> model.SyncHdr | None:
        """The SyncHdr, once its ``Header`` event was handed out."""
        return self._parser.header

    def feed(self, chunk: bytes) -> list[Event]:
        """Parse one more piece of the message; return the events it completed.

        The chunk is copied when it is not ``bytes`` (a ``bytearray`` or ``memoryview`` the
        caller reuses for the next read stays the caller's)."""
        if self._closed:
            raise RuntimeError("feed() after close()")
        if self._spool is not None:
            given: object = chunk  # (a str too: the exact path has always read one)
            fresh = not self._parser.nbytes and not self._pending
            if isinstance(given, str) or (fresh and is_wbxml(chunk)):
                # a str, read as that path reads one; WBXML, which it points elsewhere
                return self._to_exact() + self._parser.feed(chunk)
        if self._spool is None:
            return self._parser.feed(chunk)
        if type(chunk) is not bytes:
            chunk = bytes(chunk)
        self._pending.append(chunk)
        self._pending_size += len(chunk)
        if self._pending_size < _PIECE:
            return []
        return self._fast(lambda parser: parser.feed(self._take_pending()))

    def close(self) -> list[Event]:
        """Finish the message; return the last events (ending with ``End``)."""
        if self._closed or self._spool is None:
            self._closed = True
            return self._parser.close()
        self._closed = True

        def finish(parser: _EventParser) -> list[Event]:
            pending = self._take_pending()
            return parser.feed(pending) + parser.close() if pending else parser.close()

        events = self._fast(finish)
        self._spool = None  # (nothing is read again now)
        return events

    def decode_wbxml(self, document: bytes) -> list[Event]:
        """Decode a whole WBXML document (WBXML is not fed in pieces); return all its events.

        The events are the same as for XML; memory holds the document and its events.
        """
        if self._closed or self._spool is None or self._parser.nbytes or self._pending:
            self._closed = True
            return self._parser.decode_wbxml(document)
        self._closed = True
        try:
            return self._parser.decode_wbxml(document)
        except (Bail, DecodeError, RecursionError):
            self._spool = None
            self._parser = _EventParser(limits=self.limits, strict=self._strict)
            return self._parser.decode_wbxml(document)

    def _take_pending(self) -> bytes:
        data = self._pending[0] if len(self._pending) == 1 else b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        assert self._spool is not None
        self._spool.write(data)
        return data

    def _fast(self, step: Callable[[_EventParser], list[Event]]) -> list[Event]:
        """One step of the fast path; where it bails, the exact path from the start."""
        try:
            events = step(self._parser)
        except (Bail, DecodeError, RecursionError):
            return self._exact(final=self._closed)
        self._handed += len(events)
        return events

    def _to_exact(self) -> list[Event]:
        """Leave the fast path now (what is pending goes to the spill unread)."""
        if self._pending:
            self._take_pending()
        return self._exact(final=False)

    def _exact(self, *, final: bool) -> list[Event]:
        """Replay the spool on the exact path; the events not handed out yet."""
        spool, self._spool = self._spool, None
        assert spool is not None
        exact = self._parser = _EventParser(limits=self.limits, strict=self._strict)
        skip, out = self._handed, []
        for piece in spool.replay(_PIECE):
            batch = exact.feed(piece)
            if skip >= len(batch):
                skip -= len(batch)
            else:
                out += batch[skip:]
                skip = 0
        if final:
            batch = exact.close()
            out += batch[skip:]
            skip = max(0, skip - len(batch))
        # The fast path's events are a prefix of this path's (``_tree``), so the replay has
        # handed them all again by now: nothing is left to skip.
        assert skip == 0, f"{skip} events handed out by the fast path were not replayed"
        return out


def iterparse(
    source: SourceLike, *, limits: Limits | None = None, strict: bool = False
) -> Iterator[Event]:
    """Yield ``Header``, ``CommandStart``, ``ItemEvent``, ``CommandEnd`` and ``End`` events.

    ``source`` is bytes, a binary file object, an ``os.PathLike`` path, or an iterable of
    byte chunks; it is read in pieces, so a 200 MB inventory never sits in memory.

    A source that can be read twice (bytes, a path, a seekable file) is read by the fast
    path first (``_tree``); when the message needs the exact path, it is read again from the
    start and the events already handed out are skipped, so the events are the same.
    """
    for batch in _batches(source, limits, strict):
        yield from batch


def _batches(source: SourceLike, limits: Limits | None, strict: bool) -> Iterator[list[Event]]:
    """The events, one list per piece of input (see ``iterparse``), by the one reading policy
    (``_source.replay``): the fast path first when the source can be read twice."""

    def fast(inp: Input) -> Iterator[list[Event]]:
        return _parse_pieces(_TreeStreamParser(limits=limits), inp)

    def exact(inp: Input) -> Iterator[list[Event]]:
        return _parse_pieces(_EventParser(limits=limits, strict=strict), inp)

    return replay(source, fast=fast, exact=exact)


def _parse_pieces(parser: _EventParser | StreamParser, inp: Input) -> Iterator[list[Event]]:
    if inp.wbxml:
        yield parser.decode_wbxml(inp.whole())
        return
    for piece in _pieces(inp.chunks()):
        yield parser.feed(piece)
    yield parser.close()


def _pieces(chunks: Iterator[bytes | str]) -> Iterator[bytes]:
    """The input in pieces of ``_PIECE`` bytes: long chunks cut, short ones gathered (an HTTP
    body often comes in chunks of a few KiB, and each piece costs the fast path one walk)."""
    pending: list[bytes] = []
    size = 0
    for chunk in chunks:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        if size + len(data) < _PIECE:
            pending.append(data)
            size += len(data)
            continue
        if pending:
            pending.append(data)
            data = b"".join(pending)
            pending, size = [], 0
        for start in range(0, len(data), _PIECE):
            piece = data[start : start + _PIECE]
            if len(piece) < _PIECE:
                pending, size = [piece], len(piece)
                break
            yield piece
    if pending:
        yield b"".join(pending)


def _events(parser: _EventParser | StreamParser, source: SourceLike) -> Iterator[Event]:
    """The events of one parser over ``source`` (no fast path: tests compare the two)."""
    inp = open_input(source, "auto", _PIECE)
    for batch in _parse_pieces(parser, inp):
        yield from batch


class ItemStream:
    """Iterator of ``(CommandInfo, Item)`` pairs; ``header`` is set before the first pair.

    Also exposes ``final`` and ``diagnostics`` once the iteration is complete. The pairs are
    the ``ItemEvent`` tuples themselves (``command, item = pair`` unpacks them).
    """

    def __init__(
        self, source: SourceLike, *, limits: Limits | None = None, strict: bool = False
    ) -> None:
        # per Item, only C code runs here: chain hands out the items of one list per piece
        self._pairs: Iterator[ItemEvent] = chain.from_iterable(
            self._items(_batches(source, limits, strict))
        )
        self.header: model.SyncHdr | None = None
        self.final: bool | None = None
        self.diagnostics: tuple[Diagnostic, ...] = ()

    def __iter__(self) -> Iterator[ItemEvent]:
        return self._pairs

    def __next__(self) -> ItemEvent:
        return next(self._pairs)

    def _items(self, batches: Iterator[list[Event]]) -> Iterator[list[ItemEvent]]:
        """The ItemEvents of each piece; ``header``, ``final`` and ``diagnostics`` are set
        before the Items of the piece that completes them are handed out."""
        for batch in batches:
            items = [event for event in batch if type(event) is ItemEvent]
            if len(items) < len(batch):
                for event in batch:
                    if type(event) is Header:
                        self.header = event.header
                    elif type(event) is End:
                        self.final = event.final
                        self.diagnostics = event.diagnostics
            yield items


def iter_items(
    source: SourceLike, *, limits: Limits | None = None, strict: bool = False
) -> ItemStream:
    """Yield ``(command, item)`` pairs in document order, with flat memory.

    ``command`` is a ``CommandInfo`` (kind, CmdID, MsgRef/CmdRef, Meta, enclosing containers);
    ``item`` is the typed ``Item`` that ``parse()`` would build. The returned iterator's
    ``header`` attribute holds the SyncHdr once the first pair has been produced.
    """
    return ItemStream(source, limits=limits, strict=strict)
