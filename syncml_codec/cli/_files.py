"""``inspect``, ``fmt`` and ``convert``: one input read, then described or written again.

Each reads a message, a fragment (any element as root) or a profile snippet file (top-level
commands, no root: ``parse_commands``), recognised by itself. ``fmt`` says on stderr what the
model does not keep (comments, unknown elements such as SyncML DS commands, processing
instructions, repeated elements, stray text) and refuses to write under ``--strict``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TextIO
from xml.parsers import expat

from syncml_codec._snippet import bare_commands, looks_like_commands, wrap
from syncml_codec._wbxml import is_wbxml
from syncml_codec.diagnostics import Diagnostic
from syncml_codec.errors import DecodeError, MalformedXML
from syncml_codec.model import Item, Meta, SyncML
from syncml_codec.parse import parse_commands, parse_fragment
from syncml_codec.serialize import serialize

from ._common import EXIT_INVALID, EXIT_OK, Usage, read_input, report_decode_error

__all__ = ["add_parsers"]

#: Parser deviations after which the model lacks something the input had (what fmt drops).
_DROPPED: Final = frozenset(
    (
        "P104",  # unknown element (a SyncML DS command, a misspelt name): skipped
        "P106",  # an element given twice where once is allowed: the first is kept
        "P107",  # text in element-only content
        "P112",  # a processing instruction
    )
)


def _describe_meta(meta: Meta | None) -> str:
    if meta is None:
        return ""
    parts = [
        f"{name}={getattr(meta, name)}"
        for name in ("format", "type", "mark", "size")
        if getattr(meta, name)
    ]
    return f" [{' '.join(parts)}]" if parts else ""


def _describe_item(item: Item) -> str:
    where = []
    if item.target is not None:
        where.append(f"target={item.target.loc_uri}")
    if item.source is not None:
        where.append(f"source={item.source.loc_uri}")
    data = item.data
    shown = ""
    if data is not None:
        text = data if len(data) <= 60 else data[:57] + "..."
        shown = f" data={text!r}"
    more = " (more data follows)" if item.more_data else ""
    return f"Item {' '.join(where)}{_describe_meta(item.meta)}{shown}{more}"


def _describe(obj: Any, out: list[str], indent: str = "") -> None:
    """A readable outline of a message or fragment."""
    if isinstance(obj, SyncML):
        hdr = obj.sync_hdr
        out.append(
            f"SyncML {hdr.ver_proto} (VerDTD {hdr.ver_dtd}) session {hdr.session_id}"
            f" message {hdr.msg_id}"
        )
        out.append(
            f"  from {hdr.source.loc_uri} to {hdr.target.loc_uri}"
            + (f" (reply to {hdr.resp_uri})" if hdr.resp_uri else "")
        )
        if hdr.cred is not None:
            out.append(f"  credentials{_describe_meta(hdr.cred.meta)}")
        if hdr.meta is not None:
            out.append(
                f"  header meta{_describe_meta(hdr.meta)}"
                + (f" MaxMsgSize={hdr.meta.max_msg_size}" if hdr.meta.max_msg_size else "")
            )
        body = obj.sync_body
        out.append(f"  {len(body.commands)} command(s){', final' if body.final else ''}:")
        for cmd in body.commands:
            _describe(cmd, out, "    ")
        return
    name = type(obj).__name__
    head = f"{indent}{name}"
    cmd_id = getattr(obj, "cmd_id", None)
    if cmd_id is not None:
        head += f" #{cmd_id}"
    if name == "Status":
        head += (
            f" {int(obj.data)} {obj.data.name} for {obj.cmd} (MsgRef {obj.msg_ref},"
            f" CmdRef {obj.cmd_ref})"
        )
    elif name == "Results":
        head += f" for CmdRef {obj.cmd_ref}" + (f" ({obj.cmd})" if obj.cmd else "")
    elif name == "Alert" and obj.data is not None:
        head += f" {int(obj.data)} {obj.data.name}"
    meta = getattr(obj, "meta", None)
    if meta is not None and not isinstance(obj, Item):
        head += _describe_meta(meta)
    out.append(head)
    for sub in getattr(obj, "commands", ()):
        _describe(sub, out, indent + "  ")
    out.extend(f"{indent}  {_describe_item(item)}" for item in getattr(obj, "items", ()))
    if isinstance(obj, Item):
        out[-1] = f"{indent}{_describe_item(obj)}"


@dataclass(slots=True)
class _Loaded:
    """One input, read: the model object (a tuple of commands for a snippet file)."""

    name: str
    data: bytes
    obj: Any
    diagnostics: list[Diagnostic]

    @property
    def commands(self) -> tuple[Any, ...] | None:
        """The commands of a snippet file, else None."""
        return self.obj if isinstance(self.obj, tuple) else None


def _parse(data: bytes, strict: bool, diags: list[Diagnostic]) -> Any:
    """A message or fragment, or the commands of a snippet file: the kinds ``validate``
    recognises (``_source.read_document(commands=True)``)."""
    if not is_wbxml(data) and bare_commands(data):
        return parse_commands(data, strict=strict, diagnostics=diags)
    try:
        return parse_fragment(data, strict=strict, diagnostics=diags)
    except MalformedXML as exc:
        if "junk after document element" not in exc.message or not looks_like_commands(data):
            raise
    diags.clear()
    return parse_commands(data, strict=strict, diagnostics=diags)


def _load(file: str, strict: bool, err: TextIO) -> _Loaded | None:
    """Read and parse one input (XML or WBXML, any element as root, or a snippet file of
    top-level commands); report its diagnostics on ``err``.

    Returns None after reporting a DecodeError.
    """
    data, name = read_input(file)
    diags: list[Diagnostic] = []
    obj: Any
    try:
        obj = _parse(data, strict, diags)
    except DecodeError as exc:
        report_decode_error(name, exc, err)
        return None
    for d in diags:
        err.write(
            f"{name}:{d.line}:{d.column}: {d.severity}: {d.message} [{d.code}]"
            + (f" - at {d.xpath}" if d.xpath else "")
            + "\n"
        )
    return _Loaded(name, data, obj, diags)


def _cmd_inspect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loaded = _load(args.file, args.strict, err)
    if loaded is None:
        return EXIT_INVALID
    lines: list[str] = []
    commands = loaded.commands
    if commands is not None:
        lines.append(f"{len(commands)} command(s) (a profile snippet file, no SyncML root):")
        for cmd in commands:
            _describe(cmd, lines, "  ")
    else:
        _describe(loaded.obj, lines)
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _comments(data: bytes) -> list[tuple[int, int, str]]:
    """(line, column, text) of every comment in XML the parser already accepted (limits and
    DTD refusal checked first); a snippet file is scanned inside the wrapper it was read in."""
    text: bytes | str = data
    mapper = None
    if looks_like_commands(data):
        text, mapper = wrap(data)
    found: list[tuple[int, int, str]] = []
    scanner = expat.ParserCreate()

    def comment(body: str) -> None:
        line, col = scanner.CurrentLineNumber, scanner.CurrentColumnNumber + 1
        if mapper is not None:
            line, col = mapper.position(line, col)
        found.append((line, col, body))

    scanner.CommentHandler = comment
    with contextlib.suppress(expat.ExpatError):  # the parser accepted this input
        scanner.Parse(text, True)
    return found


def _dropped(loaded: _Loaded) -> list[str]:
    """What the written output will lack, one line each: ``line:column: what``."""
    lost = [
        (
            d.line,
            d.column,
            d.message + (f" - at {d.xpath}" if d.xpath else ""),
        )
        for d in loaded.diagnostics
        if d.code in _DROPPED
    ]
    if not is_wbxml(loaded.data):
        for line, col, body in _comments(loaded.data):
            shown = body.strip()
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            lost.append((line, col, f"comment <!--{shown}-->"))
    lost.sort()
    return [f"{loaded.name}:{line}:{col}: {what}" for line, col, what in lost]


def _cmd_fmt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loaded = _load(args.file, args.strict, err)
    if loaded is None:
        return EXIT_INVALID
    dropped = _dropped(loaded)
    if dropped and args.strict:
        err.write(
            f"syncml-codec: error: {loaded.name}: fmt would drop {len(dropped)} thing(s) the"
            " model does not keep (--strict refuses):\n"
        )
        err.write("".join(f"  {line}\n" for line in dropped))
        return EXIT_INVALID
    if dropped:
        err.write(f"syncml-codec: fmt dropped {len(dropped)} thing(s) the model does not keep:\n")
        err.write("".join(f"  {line}\n" for line in dropped))
    objs = loaded.commands if loaded.commands is not None else (loaded.obj,)
    for n, obj in enumerate(objs):
        declaration = args.xml_declaration and n == 0
        out.write(_written(obj, pretty=not args.compact, xml_declaration=declaration))
        if not args.compact:
            out.write("\n")
    return EXIT_OK


#: Stands in for a snippet command's missing CmdID while it is written (serialize requires
#: one); the element is taken out of the output again, so the file keeps leaving it out.
_UNASSIGNED: Final = "syncml-codec-unassigned"
_UNASSIGNED_RE: Final = re.compile(rf"[ \t]*<CmdID>{_UNASSIGNED}</CmdID>\n?")


def _assigned(cmd: Any) -> Any:
    """``cmd`` (and the commands inside it) with the stand-in for each empty CmdID."""
    changes: dict[str, Any] = {}
    if getattr(cmd, "cmd_id", None) == "":
        changes["cmd_id"] = _UNASSIGNED
    inner = getattr(cmd, "commands", None)
    if inner:
        changes["commands"] = tuple(_assigned(c) for c in inner)
    return dataclasses.replace(cmd, **changes) if changes else cmd


def _written(obj: Any, *, pretty: bool, xml_declaration: bool) -> str:
    """``obj`` as XML text; a snippet command without a CmdID is written without one."""
    text = serialize(_assigned(obj), pretty=pretty, xml_declaration=xml_declaration)
    return _UNASSIGNED_RE.sub("", text.decode("utf-8"))


def _cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    loaded = _load(args.input, args.strict, err)
    if loaded is None:
        return EXIT_INVALID
    commands = loaded.commands
    if commands is not None and args.to == "wbxml":
        raise Usage(
            f"{loaded.name}: a snippet file (commands with no SyncML root) has no WBXML form"
        )
    objs = commands if commands is not None else (loaded.obj,)
    if args.to == "wbxml":
        data = serialize(loaded.obj, format="wbxml")
    else:
        data = "".join(
            _written(obj, pretty=not args.compact, xml_declaration=n == 0) + "\n"
            for n, obj in enumerate(objs)
        ).encode("utf-8")
    if args.output and args.output != "-":
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            raise Usage(f"{args.output}: cannot write: {exc.strerror or exc}") from None
        return EXIT_OK
    binary = getattr(out, "buffer", None)
    if binary is not None:
        binary.write(data)
        binary.flush()
    elif args.to == "xml":
        out.write(data.decode("utf-8"))
    else:
        raise Usage("WBXML is binary: name an OUT file")
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    """The ``inspect``, ``fmt`` and ``convert`` sub-commands."""
    p = sub.add_parser("inspect", help="print a readable summary of a message or fragment")
    p.add_argument("file", help="a SyncML file (XML or WBXML), or - for stdin")
    p.add_argument("--strict", action="store_true", help="reject every deviation")
    p.set_defaults(func=_cmd_inspect)

    p = sub.add_parser("fmt", help="re-serialize canonically (DTD order, exact namespaces)")
    p.add_argument("file", help="a SyncML file (XML or WBXML), or - for stdin")
    p.add_argument(
        "--strict",
        action="store_true",
        help="reject every deviation, and refuse to drop anything (comments, unknown elements)",
    )
    p.add_argument("--compact", action="store_true", help="no indentation")
    p.add_argument("--xml-declaration", action="store_true", help="start with <?xml ...?>")
    p.set_defaults(func=_cmd_fmt)

    p = sub.add_parser(
        "convert", help="convert between XML and WBXML (application/vnd.syncml.dm+wbxml)"
    )
    p.add_argument("--to", choices=("xml", "wbxml"), required=True, help="output format")
    p.add_argument("input", metavar="IN", help="a SyncML file (XML or WBXML), or - for stdin")
    p.add_argument("output", metavar="OUT", nargs="?", help="output file (default stdout)")
    p.add_argument("--strict", action="store_true", help="reject every deviation")
    p.add_argument("--compact", action="store_true", help="XML output without indentation")
    p.set_defaults(func=_cmd_convert)
