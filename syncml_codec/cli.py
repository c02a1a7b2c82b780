"""Command line: ``syncml-codec`` / ``python -m syncml_codec``.

Sub-commands: ``inspect`` (a readable summary), ``fmt`` (canonical re-serialization),
``validate`` (structure and DM protocol rules, for CI: text, json or GitHub annotations),
``build`` (messages from the recipes in ``syncml_codec.helpers``: ``build unenroll-request``,
``build unenroll-exec``), ``convert`` (XML <-> WBXML).
Exit codes (STYLE.md B.5): 0 success / all valid, 1 bad input (findings), 2 could not run
(usage error, unreadable file). Results go to stdout, errors to stderr; never a traceback for
bad input.
"""

from __future__ import annotations

import argparse
import os
import platform
import pyexpat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from . import _version
from ._validate import PROFILES, validate
from .diagnostics import Diagnostic, render_github, render_json, render_text
from .errors import DecodeError, SyncMLError
from .helpers.message import CmdIdAllocator, new_message
from .helpers.unenroll import DevInfo, unenroll_exec, unenrollment_request
from .model import Item, Meta, SyncML
from .parse import parse, parse_fragment
from .serialize import serialize

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class _Usage(Exception):
    """Could not run: unreadable input and the like (exit 2)."""


class _UsageError(Exception):
    """Options that do not go together (exit 2, reported like argparse usage errors)."""


def _read(path: str) -> tuple[bytes, str]:
    """Read a file (or stdin for "-"); return (bytes, display name)."""
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    try:
        return Path(path).read_bytes(), path
    except OSError as exc:
        raise _Usage(f"{path}: cannot read: {exc.strerror or exc}") from None


def _report_decode_error(name: str, exc: DecodeError, err: TextIO) -> None:
    line = exc.line or 0
    col = exc.column or 0
    where = f"{name}:{line}:{col}" if line else name
    tail = f" - at {exc.xpath}" if exc.xpath else ""
    err.write(f"{where}: error: {exc.message}{tail}\n")


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


def _load(file: str, strict: bool, err: TextIO) -> Any:
    """Read and parse one input (XML or WBXML, any element as root); report its diagnostics.

    Returns the model object, or None after reporting a DecodeError.
    """
    data, name = _read(file)
    diags: list[Diagnostic] = []
    try:
        obj = parse_fragment(data, strict=strict, diagnostics=diags)
    except DecodeError as exc:
        _report_decode_error(name, exc, err)
        return None
    for d in diags:
        err.write(
            f"{name}:{d.line}:{d.column}: {d.severity}: {d.message} [{d.code}]"
            + (f" - at {d.xpath}" if d.xpath else "")
            + "\n"
        )
    return obj


def _cmd_inspect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    obj = _load(args.file, args.strict, err)
    if obj is None:
        return EXIT_INVALID
    lines: list[str] = []
    _describe(obj, lines)
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _cmd_fmt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    obj = _load(args.file, args.strict, err)
    if obj is None:
        return EXIT_INVALID
    text = serialize(obj, pretty=not args.compact, xml_declaration=args.xml_declaration)
    out.write(text.decode("utf-8"))
    if not args.compact:
        out.write("\n")
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    obj = _load(args.input, args.strict, err)
    if obj is None:
        return EXIT_INVALID
    if args.to == "wbxml":
        data = serialize(obj, format="wbxml")
    else:
        data = serialize(obj, pretty=not args.compact, xml_declaration=True) + b"\n"
    if args.output and args.output != "-":
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            raise _Usage(f"{args.output}: cannot write: {exc.strerror or exc}") from None
        return EXIT_OK
    binary = getattr(out, "buffer", None)
    if binary is not None:
        binary.write(data)
        binary.flush()
    elif args.to == "xml":
        out.write(data.decode("utf-8"))
    else:
        raise _Usage("WBXML is binary: name an OUT file")
    return EXIT_OK


def _write_xml(obj: Any, out: TextIO) -> int:
    out.write(serialize(obj, pretty=True).decode("utf-8"))
    out.write("\n")
    return EXIT_OK


def _cmd_build_unenroll_request(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    dev_info = None
    if any(v is not None for v in (args.man, args.mod, args.dmv, args.lang)):
        dev_info = DevInfo(man=args.man, mod=args.mod, dmv=args.dmv, lang=args.lang)
    message = unenrollment_request(
        args.device_id,
        args.server,
        session_id=args.session,
        dev_info=dev_info,
        include_session_alert=args.session_alert,
    )
    return _write_xml(message, out)


def _cmd_build_unenroll_exec(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not args.message:
        extra = [
            name
            for name, value in (
                ("--session", args.session),
                ("--server", args.server),
                ("--device-id", args.device_id),
                ("--msg-id", args.msg_id),
            )
            if value is not None
        ]
        if extra:
            raise _UsageError(f"{', '.join(extra)} only make sense with --message")
        exec_cmd = unenroll_exec(
            args.provider_id,
            cmd_id=args.cmd_id,
            scope=args.scope,
            percent_encode=args.percent_encode,
        )
        return _write_xml(exec_cmd, out)
    missing = [
        name
        for name, value in (("--server", args.server), ("--device-id", args.device_id))
        if value is None
    ]
    if missing:
        raise _UsageError(f"--message needs {' and '.join(missing)}")
    ids = CmdIdAllocator(int(args.cmd_id)) if args.cmd_id.isdigit() else CmdIdAllocator()
    exec_cmd = unenroll_exec(
        args.provider_id,
        cmd_id=args.cmd_id,
        scope=args.scope,
        percent_encode=args.percent_encode,
    )
    message = new_message(
        [exec_cmd],
        session_id=args.session or "1",
        msg_id=args.msg_id or "1",
        target=args.device_id,
        source=args.server,
        ids=ids,
    )
    return _write_xml(message, out)


_SUFFIXES = (".xml", ".wbxml")
_PROGRESS_MIN_FILES = 20


def _inputs(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """Expand PATH arguments: files as given, directories recursively (*.xml, *.wbxml).

    Returns (inputs, problems); a problem is a path that does not exist.
    """
    inputs: list[str] = []
    problems: list[str] = []
    for path in paths:
        if path == "-":
            inputs.append(path)
        elif os.path.isdir(path):
            found = sorted(
                str(p) for p in Path(path).rglob("*") if p.suffix in _SUFFIXES and p.is_file()
            )
            inputs.extend(found)
        elif os.path.exists(path):
            inputs.append(path)
        else:
            problems.append(f"{path}: no such file or directory")
    return inputs, problems


def _show_progress(args: argparse.Namespace, count: int, err: TextIO) -> bool:
    """Progress only on a TTY, in text mode, for many files, outside CI (STYLE.md B.7)."""
    return (
        args.format == "text"
        and not args.quiet
        and count > _PROGRESS_MIN_FILES
        and not os.environ.get("CI")
        and hasattr(err, "isatty")
        and err.isatty()
    )


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    inputs, problems = _inputs(args.paths)
    request = None
    if args.request is not None:
        data, name = _read(args.request)
        try:
            request = parse(data)
        except DecodeError as exc:
            raise _Usage(f"--request {name}: cannot read the request: {exc}") from None
    results: list[tuple[str, list[Diagnostic]]] = []
    progress = _show_progress(args, len(inputs), err)
    invalid = 0
    for n, path in enumerate(inputs, 1):
        try:
            data, name = _read(path)
        except _Usage as exc:
            problems.append(str(exc))
            continue
        diags = validate(data, profile=args.profile, request=request, schema=args.schema)
        failing = ("error", "warning") if args.strict else ("error",)
        bad = any(d.severity in failing for d in diags)
        invalid += bad
        results.append((name, diags))
        if args.format != "json":
            if args.format == "github":
                out.write(render_github(name, diags))
            out.write(render_text(name, diags))
        if progress:
            err.write(f"\rchecked {n}/{len(inputs)}, {invalid} invalid")
            err.flush()
    if progress:
        err.write("\n")
    if args.format == "json":
        out.write(render_json(results))
    for problem in problems:
        err.write(f"syncml-codec: error: {problem}\n")
    if args.format == "text" and not args.quiet:
        err.write(f"{len(results)} file(s) checked, {invalid} invalid\n")
    if problems or not inputs:
        if not inputs and not problems:
            err.write("syncml-codec: error: no *.xml or *.wbxml input found\n")
        return EXIT_USAGE
    return EXIT_INVALID if invalid else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="syncml-codec",
        description="Read, write and check SyncML / OMA DM 1.2 messages.",
    )
    parser.add_argument(
        "--version",
        action="version",
        # the expat in use matters: entity blow-up mitigations depend on its version (B.14)
        version=f"syncml-codec {_version.__version__} ({pyexpat.EXPAT_VERSION},"
        f" Python {platform.python_version()})",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("inspect", help="print a readable summary of a message or fragment")
    p.add_argument("file", help="a SyncML file (XML or WBXML), or - for stdin")
    p.add_argument("--strict", action="store_true", help="reject every deviation")
    p.set_defaults(func=_cmd_inspect)

    p = sub.add_parser("fmt", help="re-serialize canonically (DTD order, exact namespaces)")
    p.add_argument("file", help="a SyncML file (XML or WBXML), or - for stdin")
    p.add_argument("--strict", action="store_true", help="reject every deviation")
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

    p = sub.add_parser("build", help="write a message from a recipe (pretty XML to stdout)")
    recipes = p.add_subparsers(dest="recipe", required=True, metavar="RECIPE")
    r = recipes.add_parser(
        "unenroll-request",
        help="device package 1 with the 1226 unenrollment alert and the DevInfo Replace",
    )
    r.add_argument("--device-id", required=True, help="./DevInfo/DevId; the header Source")
    r.add_argument("--server", required=True, help="server URL; the header Target")
    r.add_argument("--session", default="1", help="SessionID (at most 4 bytes; default 1)")
    r.add_argument("--man", help="./DevInfo/Man")
    r.add_argument("--mod", help="./DevInfo/Mod")
    r.add_argument("--dmv", help="./DevInfo/DmV")
    r.add_argument("--lang", help="./DevInfo/Lang")
    r.add_argument(
        "--session-alert", action="store_true", help="add Alert 1201 (client-initiated session)"
    )
    r.set_defaults(func=_cmd_build_unenroll_request)
    r = recipes.add_parser(
        "unenroll-exec", help="the server's DMClient Unenroll Exec (a fragment, or --message)"
    )
    r.add_argument("--provider-id", required=True, help="the provisioned DMClient ProviderID")
    r.add_argument("--cmd-id", default="1", help="CmdID of the Exec (default 1)")
    r.add_argument(
        "--scope",
        choices=("vendor", "device", "legacy"),
        default="vendor",
        help="./Vendor/... (default), ./Device/Vendor/... or the legacy"
        " ./Vendor/MSFT/DMClient/Unenroll",
    )
    r.add_argument(
        "--percent-encode",
        action="store_true",
        help="percent-encode the ProviderID in the LocURI (for IDs with spaces such as"
        " 'MS DM Server')",
    )
    r.add_argument("--message", action="store_true", help="wrap the Exec in a whole message")
    r.add_argument("--session", help="SessionID of the message (default 1)")
    r.add_argument("--msg-id", help="MsgID of the message (default 1)")
    r.add_argument("--server", help="server URL; the header Source (with --message)")
    r.add_argument("--device-id", help="device ID; the header Target (with --message)")
    r.set_defaults(func=_cmd_build_unenroll_exec)
    p = sub.add_parser(
        "validate",
        help="check messages: structure (the bundled XSD) and OMA DM protocol rules",
        description="Exit 0 when every input is valid, 1 when any is invalid, 2 when an input"
        " could not be checked.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files, directories (searched recursively for *.xml and *.wbxml), or - for stdin",
    )
    p.add_argument("--profile", choices=PROFILES, default="oma", help="rule set (default oma)")
    p.add_argument(
        "--format", choices=("text", "json", "github"), default="text", help="report format"
    )
    p.add_argument("--strict", action="store_true", help="warnings make a file invalid too")
    p.add_argument("--schema", action="store_true", help="judge structure with xmlschema")
    p.add_argument(
        "--request", metavar="FILE", help="the request these messages answer (Status matching)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary line")
    p.set_defaults(func=_cmd_validate)
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the CLI; return the exit code (0 ok, 1 bad input, 2 could not run)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    func: Callable[[argparse.Namespace, TextIO, TextIO], int] = args.func
    try:
        return func(args, out, err)
    except _UsageError as exc:
        err.write(f"syncml-codec: usage error: {exc}\n")
        return EXIT_USAGE
    except _Usage as exc:
        err.write(f"syncml-codec: error: {exc}\n")
        return EXIT_USAGE
    except SyncMLError as exc:
        err.write(f"syncml-codec: error: {exc}\n")
        return EXIT_INVALID
    except BrokenPipeError:  # pragma: no cover - `| head`
        return EXIT_OK
