"""The one reading pipeline: what a source is, how it is read, and which path reads it.

Strategy: every reader (``parse``, ``parse_fragment``, ``parse_commands``, ``iterparse``,
``iter_items``, ``validate``) goes through here, so each decision is taken in one place:

* *source normalisation* (``open_input``): bytes-like, a ``str`` (always the XML itself, never
  a path), an ``os.PathLike`` path, a binary file object, or an iterable of byte chunks; any
  other type is a ``TypeError`` at the boundary, and a ``str`` that looks like a file name is a
  ``MalformedXML`` that says to pass a ``pathlib.Path``;
* *WBXML sniffing*: once, on the first non-empty chunk (``Input.wbxml``);
* *the small-input threshold* and *replayability* (``fast_path_source``): one-shot readers
  read bytes of at most ``PIECE`` whole (``_fast.parse_whole``); streaming readers leave bytes
  shorter than ``SMALL`` to the exact path; a source that cannot be read twice (an iterable of
  chunks) is kept in a ``Spill`` while the fast path reads it (``Spool``);
* *the policy* (``replay``): the fast path first, and when it bails, the exact path from the
  start, with the results the fast path already handed out skipped (they are a prefix of the
  exact path's: see ``_tree``);
* *the GC pause* (``read``): one-shot readers build a large acyclic model with the cyclic
  collector paused (``no_cyclic_gc``); streaming readers pause it per piece only, so a
  consumer's own loop never runs with it off.

``read`` is the one-shot form (a model and the parser's diagnostics); ``read_document`` is what
``validate`` needs in one pass: the whole input, whether it is WBXML, the model or the decode
error, and the diagnostics.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Literal, TypeAlias, TypeVar

from ._builder import Builder, body_spec, document_spec, fragment_spec, no_cyclic_gc
from ._expat import ExpatDriver
from ._fast import Head, parse_fast_input, parse_whole
from ._snippet import Mapper, bare_commands, looks_like_commands, wrap
from ._tree import PIECE, Bail, small
from ._tree import available as tree_available
from ._wbxml import is_wbxml
from .diagnostics import Diagnostic
from .errors import DecodeError, MalformedXML, Position
from .limits import DEFAULT_LIMITS, Limits
from .model import Command, SyncBody

__all__ = [
    "Document",
    "Format",
    "Input",
    "SourceLike",
    "Spill",
    "Spool",
    "fast_path_source",
    "open_input",
    "read",
    "read_commands",
    "read_document",
    "read_wrapped",
    "replay",
    "replayable",
]

#: What the readers accept as a message: the XML (or WBXML) itself as ``bytes``,
#: ``bytearray``, ``memoryview`` or ``str`` (a ``str`` is always the document, never a path), an
#: ``os.PathLike`` path (``pathlib.Path``), a binary file object (opened with ``"rb"``), or an
#: iterable of ``bytes`` chunks (an HTTP body).
SourceLike: TypeAlias = (
    bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes] | Iterable[bytes]
)
#: "auto" sniffs WBXML by its first byte; "xml" or "wbxml" force one.
Format = Literal["auto", "xml", "wbxml"]
#: Which elements the reader accepts as its root.
Root = Literal["document", "fragment"]

_CHUNK = 1 << 20
_TREE = tree_available()
#: What a ``Spill`` keeps in memory before it moves to a temporary file.
SPOOL_MEMORY = 1 << 20
_T = TypeVar("_T")


@dataclass(slots=True)
class Input:
    """A normalised source: its first non-empty chunk, the rest, and what it is."""

    first: bytes | str
    rest: Iterator[bytes | str]
    name: str | None
    wbxml: bool

    def chunks(self) -> Iterator[bytes | str]:
        """Every chunk, the first included."""
        if self.first:
            yield self.first
        yield from self.rest

    def whole(self) -> bytes:
        """The whole input as bytes (WBXML is decoded in one piece)."""
        first = self.first.encode("utf-8") if isinstance(self.first, str) else self.first
        rest = list(self.rest)
        if not rest:
            return first
        return first + b"".join(c.encode("utf-8") if isinstance(c, str) else c for c in rest)


def _looks_like_path(text: str) -> bool:
    """A short one-line str with no markup that names a file (``"file.xml"``, ``"a/b"``)."""
    if "<" in text or len(text) > 4096 or "\n" in text:
        return False
    text = text.strip()
    if not text:
        return False
    base = text.replace("\\", "/").rpartition("/")[2]
    stem, dot, ext = base.rpartition(".")
    return "/" in text or (bool(dot) and bool(stem) and 0 < len(ext) <= 5 and ext.isalnum())


def _file_chunks(fh: Any, chunk_size: int) -> Iterator[bytes]:
    while chunk := fh.read(chunk_size):
        if isinstance(chunk, str):
            raise TypeError("the file object must be opened in binary mode ('rb')")
        yield chunk


def _path_chunks(path: str, chunk_size: int) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        yield from _file_chunks(fh, chunk_size)


def _checked_chunks(chunks: Iterable[Any]) -> Iterator[bytes]:
    for chunk in chunks:
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError(
                f"an iterable source must yield bytes chunks, got {type(chunk).__name__}"
                " (pass a str document as one str, not a list of them)"
            )
        yield bytes(chunk) if not isinstance(chunk, bytes) else chunk


def _raw_chunks(source: object, chunk_size: int) -> tuple[Iterator[bytes | str], str | None]:
    """(chunks, name) for any accepted source; a ``TypeError`` for anything else."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return iter((bytes(source),)), None
    if isinstance(source, str):
        if _looks_like_path(source):
            raise MalformedXML(
                "not well-formed XML: this str looks like a path; pass a pathlib.Path to read"
                f" a file (a str such as {source[:80]!r} is always the XML itself)",
                Position(1, 1),
                "",
            )
        return iter((source,)), None
    if isinstance(source, os.PathLike):
        path = os.fspath(source)
        if not isinstance(path, str):
            path = os.fsdecode(path)
        return _path_chunks(path, chunk_size), path
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        return _file_chunks(source, chunk_size), name if isinstance(name, str) else None
    if isinstance(source, Iterable) and not isinstance(source, dict):
        return _checked_chunks(source), None
    raise TypeError(
        f"cannot read a {type(source).__name__}: pass bytes, a str (the XML itself), a binary"
        " file object, an os.PathLike path (pathlib.Path) or an iterable of bytes chunks"
    )


def open_input(source: object, format: Format = "auto", chunk_size: int = _CHUNK) -> Input:
    """Normalise ``source`` and sniff WBXML once, on its first non-empty chunk.

    Raises:
        TypeError: ``source`` is not one of the accepted types (see ``SourceLike``).
        MalformedXML: ``source`` is a ``str`` that looks like a file name.
    """
    if format not in ("auto", "xml", "wbxml"):
        raise ValueError(f"unknown format {format!r}; expected 'auto', 'xml' or 'wbxml'")
    chunks, name = _raw_chunks(source, chunk_size)
    first: bytes | str = b""
    for first in chunks:
        if first:
            break
    wbxml = format == "wbxml" or (format == "auto" and is_wbxml(first))
    return Input(first, chunks, name, wbxml)


def replayable(source: object) -> Callable[[], object] | None:
    """A function that gives ``source`` again from its start, when it can be read twice
    (bytes, a path, a seekable binary file); None for str, chunk iterables and pipes."""
    if isinstance(source, (bytes, bytearray, memoryview, os.PathLike)):
        return lambda: source
    seekable = getattr(source, "seekable", None)
    if callable(seekable) and hasattr(source, "seek") and hasattr(source, "tell"):
        try:
            if seekable():
                start = source.tell()

                def rewind() -> object:
                    source.seek(start)
                    return source

                return rewind
        except (OSError, ValueError):
            return None
    return None


def fast_path_source(source: object, *, whole: bool = False) -> Callable[[], object] | None:
    """How to read ``source`` (again) when the fast path should try it first, else None.

    The fast path needs the C tree parser's event queue and a source it can replay from the
    start: bytes, a path or a seekable file as they are; an iterable of chunks (an HTTP body)
    through a ``Spool``. A one-shot reader (``whole``) reads a small message whole
    (``_fast.parse_whole``); a streaming reader hands bytes shorter than ``SMALL`` to the
    exact path, which is faster for them than the piecewise engine.
    """
    if not tree_available() or (not whole and small(source)):
        return None
    again = replayable(source)
    if again is None and _chunk_iterable(source):
        return Spool(source).again  # type: ignore[arg-type]
    return again


def _chunk_iterable(source: object) -> bool:
    return (
        isinstance(source, Iterable)
        and not isinstance(source, (str, bytes, bytearray, memoryview, dict))
        and not hasattr(source, "read")
    )


class Spill:
    """Bytes kept to be read again, with memory flat: in memory up to ``SPOOL_MEMORY``, then in
    an anonymous temporary file (closed with its owner, even one that is dropped unfinished)."""

    def __init__(self) -> None:
        self._held: list[bytes] = []
        self._size = 0
        self._file: IO[bytes] | None = None

    def write(self, data: bytes) -> None:
        if self._file is not None:
            self._file.write(data)
            return
        self._held.append(data)
        self._size += len(data)
        if self._size > SPOOL_MEMORY:
            import tempfile  # (only here: importing it costs a reader's start-up 10 ms)

            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the finalizer
            weakref.finalize(self, self._file.close)
            self._file.writelines(self._held)
            self._held = []

    def replay(self, size: int) -> Iterator[bytes]:
        """What was written, in pieces of at most ``size`` bytes; the spill is then empty."""
        held, self._held = self._held, []
        for data in held:
            for start in range(0, len(data), size):
                yield data[start : start + size]
        spill, self._file = self._file, None
        if spill is not None:
            with spill:
                spill.seek(0)
                yield from _file_chunks(spill, size)


class Spool:
    """An iterable of chunks made readable twice, with memory still flat: the first pass keeps
    every chunk it hands out in a ``Spill``; the second reads that back, then goes on with the
    chunks nobody read yet. ``again`` gives the first pass, then the second."""

    def __init__(self, chunks: Iterable[Any]) -> None:
        self._chunks = iter(chunks)
        self._spill: Spill | None = None

    def again(self) -> Iterator[bytes]:
        """The chunks from the start: as they arrive the first time, replayed the second."""
        if self._spill is None:
            self._spill = Spill()
            return self._first(self._spill)
        return self._replay(self._spill)

    def _first(self, spill: Spill) -> Iterator[bytes]:
        for chunk in _checked_chunks(self._chunks):
            spill.write(chunk)
            yield chunk

    def _replay(self, spill: Spill) -> Iterator[bytes]:
        yield from spill.replay(_CHUNK)
        yield from _checked_chunks(self._chunks)


def replay(
    source: object,
    *,
    fast: Callable[[Input], Iterable[list[_T]]] | None,
    exact: Callable[[Input], Iterable[list[_T]]],
    format: Format = "auto",
    whole: bool = False,
) -> Iterator[list[_T]]:
    """The one policy: ``fast`` first, else ``exact`` from the start, never a result twice.

    Both produce lists of results (one per piece of input). ``fast`` raises ``Bail`` or a
    ``DecodeError`` where the message needs the exact path; the results it handed out until
    then are a prefix of what ``exact`` produces, so that many are skipped on the replay. A
    ``DecodeError`` from ``exact`` names the file it read.
    """
    again = fast_path_source(source, whole=whole) if fast is not None else None
    handed = 0
    if again is not None:
        assert fast is not None
        try:
            for batch in fast(open_input(again(), format, PIECE)):
                yield batch
                handed += len(batch)
            return
        except (Bail, DecodeError, RecursionError):
            pass
        source = again()
    inp = open_input(source, format)
    try:
        for batch in exact(inp):
            if handed >= len(batch):
                handed -= len(batch)
                continue
            yield batch[handed:] if handed else batch
            handed = 0
    except DecodeError as exc:
        if inp.name:
            exc.with_source(inp.name)
        raise


# -- one-shot reading -------------------------------------------------------------------------


def feed_exact(inp: Input, builder: Builder, limits: Limits) -> None:
    """Drive ``builder`` over the whole input on the exact path (pyexpat or WBXML)."""
    if inp.wbxml:
        from ._wbxml import decode_into

        decode_into(inp.whole(), builder, limits)
        return
    driver = ExpatDriver(builder, limits)
    if isinstance(inp.first, str):
        rest = "".join(str(c) for c in inp.rest)
        driver.feed(inp.first + rest, True)
        return
    driver.feed(inp.first)
    for chunk in inp.rest:
        driver.feed(chunk)
    driver.feed(b"", True)


@dataclass(frozen=True, slots=True)
class _Parsed:
    value: Any
    diagnostics: list[Diagnostic]


def read(
    source: object,
    *,
    root: Root = "document",
    strict: bool = False,
    limits: Limits | None = None,
    format: Format = "auto",
    fast: bool = True,
    prepare: Callable[[Builder], None] | None = None,
    head: list[Head] | None = None,
) -> tuple[Any, list[Diagnostic]]:
    """Read one whole message (or fragment): (model object, the parser's diagnostics).

    The fast path reads ordinary whole messages with no deviation (so it has no diagnostics);
    everything else is read on the exact path, with the cyclic GC paused throughout.
    ``fast=False`` reads on the exact path only (``parse_exact``). ``prepare`` is applied to
    the exact path's builder before it reads (snippet files use it); it turns the fast path off.
    ``head`` receives the message's ``Head`` when it was read whole (``_fast.parse_whole``).
    """
    lim = limits or DEFAULT_LIMITS
    use_fast = fast and prepare is None
    with no_cyclic_gc():
        if use_fast and type(source) is bytes and len(source) <= PIECE and _TREE:
            try:  # a server's request: read whole, or exactly
                wbxml = format == "wbxml" or (format == "auto" and is_wbxml(source[:1]))
                return parse_whole(source, lim, wbxml_input=wbxml, head=head), []
            except (Bail, DecodeError, RecursionError):
                use_fast = False
        return _replayed(source, root, strict, lim, format, use_fast, prepare)


def _replayed(
    source: object,
    root: Root,
    strict: bool,
    lim: Limits,
    format: Format,
    use_fast: bool,
    prepare: Callable[[Builder], None] | None,
) -> tuple[Any, list[Diagnostic]]:
    """``read`` by the one policy (``replay``): the piecewise fast path, else the exact path."""

    def fast_path(inp: Input) -> Iterator[list[_Parsed]]:
        yield [_Parsed(parse_fast_input(inp, lim), [])]

    def exact(inp: Input) -> Iterator[list[_Parsed]]:
        spec = document_spec() if root == "document" else fragment_spec()
        builder = Builder(spec, strict=strict, limits=lim)
        if prepare is not None:
            prepare(builder)
        feed_exact(inp, builder, lim)
        yield [_Parsed(builder.close(), builder.diagnostics)]

    fast = fast_path if use_fast else None
    for batch in replay(source, fast=fast, exact=exact, format=format, whole=True):
        return batch[0].value, batch[0].diagnostics
    raise AssertionError("unreachable: the exact path always produces one result")


@dataclass(slots=True)
class Document:
    """What ``validate`` needs from one read of its input (``read_document``).

    Attributes:
        data: the whole input (``str`` when it was given as text).
        name: the file name, when the source was a path or a named file.
        wbxml: the input is WBXML.
        message: the model object (a ``SyncML`` or a fragment's root), or None when
            ``error`` is set.
        diagnostics: the deviations the tolerant parser accepted.
        error: the decode error that stopped the reading, if any.
        head: the root's namespace and SyncHdr's children, when the message was read whole
            by the fast path (else None: ``validate`` scans the input for them).
        snippet: for a profile snippet file (``read_document(commands=True)``), what maps
            the wrapped text's positions and paths back to the file's own; ``data`` is then
            the wrapped text, ``message`` its ``SyncBody``, and ``diagnostics`` and ``error``
            are in the wrapped text's terms. None for any other input.
    """

    data: bytes | str
    name: str | None
    wbxml: bool
    message: Any = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: DecodeError | None = None
    head: Head | None = None
    snippet: Mapper | None = None


def read_document(
    source: object,
    *,
    limits: Limits | None = None,
    format: Format = "auto",
    commands: bool = False,
) -> Document:
    """Read a whole message or fragment tolerantly for validation; never raises a
    ``DecodeError`` (it is returned in ``error``). ``TypeError`` for a wrong source type.

    With ``commands``, a profile snippet file (see ``_snippet``) is recognised by itself and
    read as the commands of a ``SyncBody`` (``Document.snippet``): a first element that is a
    command declaring no namespace (the documented layout), or several top-level commands. A
    single command that declares its namespace is a message fragment, read as before.
    """
    try:
        inp = open_input(source, format)
    except DecodeError as exc:  # a str that looks like a path
        return Document(source if isinstance(source, str) else b"", None, False, error=exc)
    data: bytes | str
    if isinstance(inp.first, str):
        data = inp.first + "".join(str(c) for c in inp.rest)
    else:
        data = inp.whole()
    doc = Document(data, inp.name, inp.wbxml)
    if commands and not inp.wbxml and bare_commands(data):
        return _snippet_file(doc, limits)
    head: list[Head] = []
    try:
        doc.message, doc.diagnostics = read(
            data,
            root="fragment",
            limits=limits,
            format="wbxml" if inp.wbxml else "xml",
            head=head,
        )
        doc.head = head[0] if head else None
    except DecodeError as exc:
        if commands and _several_roots(exc) and looks_like_commands(data):
            return _snippet_file(Document(data, inp.name, False), limits)
        if inp.name:
            exc.with_source(inp.name)
        doc.error = exc
    return doc


def _several_roots(exc: DecodeError) -> bool:
    """The decode error is expat's for a second top-level element."""
    return isinstance(exc, MalformedXML) and "junk after document element" in exc.message


def _snippet_file(doc: Document, limits: Limits | None) -> Document:
    """Read ``doc`` as a profile snippet file, in the ``SyncBody`` wrapper (see ``_snippet``)."""
    doc.data, doc.snippet = wrap(doc.data)
    try:
        doc.message, doc.diagnostics = read_wrapped(doc.data, limits=limits)
    except DecodeError as exc:
        if doc.name:
            exc.with_source(doc.name)
        doc.error = exc
    return doc


# -- profile snippet files (see _snippet) ------------------------------------------------


def read_commands(
    source: SourceLike,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    format: Format = "auto",
) -> tuple[tuple[Command, ...], list[Diagnostic]]:
    """The commands of a snippet file and the parser's diagnostics (see the module docstring).

    A whole ``<SyncML>`` message (or WBXML) is read as one too: its body's commands are
    returned, read as ``parse`` reads them.
    """
    lim = limits or DEFAULT_LIMITS
    inp = open_input(source, format)
    raw: str | bytes = (
        inp.first + "".join(map(str, inp.rest)) if isinstance(inp.first, str) else inp.whole()
    )
    if inp.wbxml or not looks_like_commands(raw):
        message, found = read(
            raw, strict=strict, limits=lim, format="wbxml" if inp.wbxml else "xml"
        )
        commands: tuple[Command, ...] = message.sync_body.commands
        return commands, found
    wrapped, mapper = wrap(raw)
    try:
        body, found = read_wrapped(wrapped, strict=strict, limits=lim)
    except DecodeError as exc:
        if inp.name:
            exc.with_source(inp.name)
        raise mapper.error(exc) from None
    return body.commands, [mapper.diagnostic(d) for d in found]


def read_wrapped(
    wrapped: str | bytes, *, strict: bool = False, limits: Limits | None = None
) -> tuple[SyncBody, list[Diagnostic]]:
    """Read a snippet already wrapped (``wrap``): the ``SyncBody`` and the parser's
    diagnostics, both in the wrapped text's terms (``validate`` scans that text again for
    positions, then maps every finding back with the ``Mapper``).

    Raises:
        DecodeError: as ``parse``, with the wrapped text's position and path.
    """
    lim = limits or DEFAULT_LIMITS
    builder = Builder(body_spec(), strict=strict, limits=lim, optional=frozenset(("CmdID",)))
    feed_exact(open_input(wrapped, "xml"), builder, lim)
    body: SyncBody = builder.close()
    return body, builder.diagnostics
