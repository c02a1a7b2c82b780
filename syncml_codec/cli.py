"""Command line: ``syncml-codec`` / ``python -m syncml_codec``.

Sub-commands: ``inspect`` (a readable summary), ``fmt`` (canonical re-serialization),
``validate`` (structure and DM protocol rules, for CI: text, json or GitHub annotations),
``build`` (messages from the recipes in ``syncml_codec.helpers``: ``build unenroll-request``,
``build unenroll-exec``), ``convert`` (XML <-> WBXML).
Exit codes: 0 success / all valid, 1 bad input (findings), 2 could not run
(usage error, unreadable file). Results go to stdout, errors to stderr; never a traceback for
bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import os
import platform
import pyexpat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from . import _version
from ._validate import PROFILES, RULES, Rule, validate
from .diagnostics import Diagnostic, render_text
from .errors import DecodeError, SyncMLError
from .helpers.message import CmdIdAllocator, new_message
from .helpers.unenroll import DevInfo, unenroll_exec, unenrollment_request
from .model import Item, Meta, SyncML
from .parse import parse, parse_fragment
from .report import FileOutcome, Report, RuleInfo, RunOptions
from .serialize import serialize

if TYPE_CHECKING:
    from .csp import Catalogue

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


def _inputs(paths: Sequence[str], report: Report) -> list[str | FileOutcome]:
    """Expand PATH arguments: files as given, directories recursively (*.xml, *.wbxml).

    A path that does not exist, or a broken link found in a directory, is recorded in the
    report as an unreadable input; a directory with no input is a run-level problem.
    Suffixes match without regard to case (``.XML`` counts).
    """
    inputs: list[str | FileOutcome] = []
    for path in paths:
        if path == "-":
            inputs.append(path)
        elif os.path.isdir(path):
            found: list[str | FileOutcome] = []
            for p in sorted(Path(path).rglob("*")):
                if p.suffix.lower() not in _SUFFIXES:
                    continue
                if p.is_file():
                    found.append(str(p))
                elif p.is_symlink() and not p.exists():
                    found.append(FileOutcome(str(p), error="broken symbolic link"))
            if not found:
                report.problems.append(f"{path}: no *.xml or *.wbxml file in this directory")
            inputs.extend(found)
        elif os.path.exists(path):
            inputs.append(path)
        else:
            inputs.append(FileOutcome(path, error="no such file or directory"))
    return inputs


class _Progress:
    """``checked N/M`` on stderr, only on a TTY, in text mode, for many files, outside CI.

    Findings are printed above it: the line is cleared before anything else is written and
    drawn again after.
    """

    def __init__(self, args: argparse.Namespace, total: int, err: TextIO) -> None:
        self.err = err
        self.total = total
        self.on = (
            args.format == "text"
            and not args.quiet
            and total > _PROGRESS_MIN_FILES
            and not os.environ.get("CI")
            and hasattr(err, "isatty")
            and err.isatty()
        )
        self.drawn = False

    def clear(self) -> None:
        if self.drawn:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self.drawn = False

    def draw(self, done: int, invalid: int) -> None:
        if self.on:
            self.err.write(f"\rchecked {done}/{self.total}, {invalid} invalid")
            self.err.flush()
            self.drawn = True


def _read_request(args: argparse.Namespace) -> SyncML | None:
    if args.request is None:
        return None
    data, name = _read(args.request)
    try:
        return parse(data)
    except DecodeError as exc:
        raise _Usage(f"--request {name}: cannot read the request: {exc}") from None


def _check_schema_support(args: argparse.Namespace) -> None:
    if not args.schema:
        return
    try:
        import xmlschema  # noqa: F401
    except ImportError:
        raise _Usage(
            "--schema needs the xmlschema package, which is not installed:"
            " pip install 'xmlschema>=4.3'"
        ) from None


def _cmd_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _check_schema_support(args)
    options = RunOptions(
        profile=args.profile, strict=args.strict, schema=args.schema, request=args.request
    )
    report = Report(options)
    inputs = _inputs(args.paths, report)
    if not inputs and not report.problems:
        report.problems.append("no *.xml or *.wbxml input found")
    request = _read_request(args)
    progress = _Progress(args, len(inputs), err)
    invalid = 0
    for n, path in enumerate(inputs, 1):
        if isinstance(path, FileOutcome):
            report.add(path)
            continue
        try:
            data, name = _read(path)
        except _Usage as exc:
            report.add(FileOutcome(path, error=str(exc).removeprefix(f"{path}: ")))
            continue
        diags = validate(
            data,
            profile=args.profile,
            request=request,
            schema=args.schema,
            csp=_csp_option(args) or False,
            os_build=args.os_build,
        )
        diags = _applicability(diags, args)
        outcome = FileOutcome(name, tuple(diags))
        report.add(outcome)
        invalid += outcome.outcome(args.strict) == "invalid"
        if args.format == "text" and diags:
            progress.clear()
            out.write(render_text(name, diags))
            out.flush()
        progress.draw(n, invalid)
    progress.clear()
    _write_report(args, report, out, err)
    return report.exit_code


def _write_report(args: argparse.Namespace, report: Report, out: TextIO, err: TextIO) -> None:
    if args.format == "json":
        out.write(report.to_json())
    elif args.format == "github":
        out.write(report.to_github())
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as fh:
                fh.write(report.github_step_summary())
    elif args.format == "sarif":
        out.write(report.to_sarif(_rule_infos()))
    elif args.format == "junit":
        out.write(report.to_junit())
    else:  # text: the findings were written as they came; now the unreadable inputs
        for f in report.files:
            if f.error is not None:
                err.write(f"syncml-codec: error: {f.path}: {f.error}\n")
        for problem in report.problems:
            err.write(f"syncml-codec: error: {problem}\n")
        if not args.quiet:
            err.write(report.summary_line() + "\n")


def _rule_infos() -> dict[str, RuleInfo]:
    return {code: RuleInfo(rule.summary, rule.cite) for code, rule in RULES.items()}


def _cmd_rules(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._rule_pages import all_rules, markdown_page, markdown_rule

    rules = all_rules()  # RULES plus the auth (DM26x) and CSP (C3xx) rules
    if args.code is None:
        if args.format == "markdown":
            out.write(markdown_page())
            return EXIT_OK
        for code, rule in rules.items():
            out.write(f"{code:7} {rule.oma or 'off':7} {rule.windows or 'off':7} {rule.summary}\n")
        return EXIT_OK
    code = args.code.upper()
    found = rules.get(code)
    if found is None:
        close = difflib.get_close_matches(code, list(rules), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise _Usage(f"unknown rule code {args.code!r}{hint}; `syncml-codec rules` lists them")
    if args.format == "markdown":
        out.write(markdown_rule(code, found))
        return EXIT_OK
    out.write(_explain_rule(code, found))
    return EXIT_OK


def _explain_rule(code: str, rule: Rule) -> str:
    from ._rule_pages import LAYERS, explain_examples

    layer = LAYERS.get(rule.layer, str(rule.layer))
    lines = [
        f"{code}: {rule.summary}",
        f"  layer:    {layer}",
        f"  severity: {rule.oma or 'off'} (profile oma), {rule.windows or 'off'} (profile windows)",
        f"  source:   {rule.cite}",
    ]
    return "\n".join(lines) + "\n" + explain_examples(code)


# --- CSP checks (syncml_codec.csp): validate --csp/--ddf/--os-build, csp show|search --------


def _csp_catalogue(args: argparse.Namespace) -> Any:
    """The catalogue asked for (--ddf PATH, else the bundled one), loaded once per run."""
    from .csp import bundled_catalogue, load_catalogue

    cached = getattr(args, "_csp_cat", None)
    if cached is not None:
        return cached
    ddf = getattr(args, "ddf", None)
    if ddf:
        try:
            cat = load_catalogue(ddf)
        except (OSError, SyncMLError) as exc:
            raise _Usage(f"--ddf {ddf}: cannot read the DDF release: {exc}") from None
    else:
        cat = bundled_catalogue()
    args._csp_cat = cat
    return cat


def _csp_option(args: argparse.Namespace) -> Catalogue | None:
    """The catalogue for ``validate(csp=...)`` when --csp, --ddf or --os-build asked for it."""
    if not (args.csp or args.ddf or args.os_build):
        return None
    return cast("Catalogue", _csp_catalogue(args))


def _applicability(diags: list[Diagnostic], args: argparse.Namespace) -> list[Diagnostic]:
    """--os-build-error: C308 (not applicable to the OS build) becomes an error."""
    if not args.os_build_error:
        return diags
    return [dataclasses.replace(d, severity="error") if d.code == "C308" else d for d in diags]


def _csp_show_node(path: str, node: Any, read_only: bool, out: TextIO) -> None:
    access = ["Get"] if read_only else sorted(node.access)
    lines = [
        path,
        f"  access:      {', '.join(access) or '(none)'}",
        f"  format:      {node.format or '-'}" + (f" ({node.mime})" if node.mime else ""),
        f"  occurrence:  {node.occurrence or '-'}   DDF scope: {node.scope or '-'}",
    ]
    if node.default is not None:
        lines.append(f"  default:     {node.default}")
    allowed = node.allowed
    if allowed is not None:
        lines.append(f"  allowed:     {allowed.kind}")
        descriptions = [*allowed.descriptions, *[""] * len(allowed.values)]
        pairs = zip(allowed.values, descriptions[: len(allowed.values)], strict=True)
        lines.extend(f"    {v}" + (f"  {d}" if d else "") for v, d in pairs)
        if allowed.admx:
            lines.append(f"    ADMX {allowed.admx[2]}: {allowed.admx[1]} ({allowed.admx[0]})")
    if node.applicability is not None:
        a = node.applicability
        lines.append(
            f"  applies:     OS build {a.os_build or '-'}, CSP version {a.csp_version or '-'}"
        )
    if node.atomic_required:
        lines.append("  atomic:      required (write inside Atomic)")
    if node.deprecated is not None:
        lines.append(f"  deprecated:  yes{' since ' + node.deprecated if node.deprecated else ''}")
    kids = [*node.children]
    if node.dynamic is not None:
        kids.append(node.dynamic.display)
    if kids:
        lines.append(f"  children:    {', '.join(kids)}")
    lines.append(f"  source:      {node.source}")
    if node.description:
        lines.append(f"  description: {node.description}")
    out.write("\n".join(lines) + "\n")


def _cmd_csp_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    cat = _csp_catalogue(args)
    match = cat.lookup(args.uri)
    if match is None:
        raise _Usage(f"{args.uri!r} is not a management-tree path (./...)")
    if match.node is None:
        other = cat.other_scope(args.uri)
        hints = [other.path] if other is not None else cat.suggest(args.uri)
        hint = f"; did you mean {' or '.join(hints)}?" if hints else ""
        err.write(f"syncml-codec: no node {match.missing!r} under {match.path}{hint}\n")
        return EXIT_INVALID
    _csp_show_node(match.path, match.node, match.read_only, out)
    return EXIT_OK


def _cmd_csp_search(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    found = _csp_catalogue(args).search(args.word, limit=args.limit)
    for path, node in found:
        out.write(f"{path}  [{','.join(sorted(node.access))}; {node.format}]\n")
    if not found:
        err.write(f"syncml-codec: no node matches {args.word!r}\n")
        return EXIT_INVALID
    return EXIT_OK


def _add_csp_arguments(validate_parser: argparse.ArgumentParser, sub: Any) -> None:
    p = validate_parser
    p.add_argument(
        "--csp", action="store_true", help="also check LocURIs, commands and values against the"
        " bundled Windows CSP catalogue (rules C301-C308)",
    )  # fmt: skip
    p.add_argument(
        "--ddf", metavar="PATH", help="use this DDF release (directory or zip); implies --csp"
    )
    p.add_argument(
        "--os-build", metavar="BUILD", type=_os_build,
        help="a Windows build like 10.0.22631: C308 (info) for nodes it lacks",
    )  # fmt: skip
    p.add_argument("--os-build-error", action="store_true", help="make C308 an error")
    c = sub.add_parser("csp", help="look Windows CSP nodes up in the catalogue (DDF)")
    cmds = c.add_subparsers(dest="csp_command", required=True, metavar="ACTION")
    r = cmds.add_parser("show", help="what the catalogue knows about one node")
    r.add_argument(
        "uri", metavar="URI", help="a LocURI such as ./Vendor/MSFT/DMClient/Provider/X/Unenroll"
    )
    r.add_argument("--ddf", metavar="PATH", help="use this DDF release (directory or zip)")
    r.set_defaults(func=_cmd_csp_show)
    r = cmds.add_parser("search", help="nodes whose path (then description) contains WORD")
    r.add_argument("word", metavar="WORD")
    r.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    r.add_argument("--ddf", metavar="PATH", help="use this DDF release (directory or zip)")
    r.set_defaults(func=_cmd_csp_search)


def _os_build(text: str) -> str:
    from .csp import parse_os_build

    if parse_os_build(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a Windows build like 10.0.22631")
    return text


def _add_build_parser(sub: Any) -> None:
    """``build RECIPE``: the message recipes (helpers.unenroll)."""
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

    _add_build_parser(sub)
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
        "--format",
        choices=("text", "json", "github", "sarif", "junit"),
        default="text",
        help="report format: text; json (the whole run, see report.schema.json); github"
        " (annotations and a summary); sarif (2.1.0, code scanning); junit (GitLab, Jenkins)",
    )
    p.add_argument("--strict", action="store_true", help="warnings make a file invalid too")
    p.add_argument("--schema", action="store_true", help="judge structure with xmlschema")
    p.add_argument(
        "--request", metavar="FILE", help="the request these messages answer (Status matching)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary line")
    p.set_defaults(func=_cmd_validate)
    _add_csp_arguments(p, sub)

    p = sub.add_parser("rules", help="list the validation rules, or explain one")
    p.add_argument("code", nargs="?", help="a rule code such as DM224 (exit 2 if unknown)")
    p.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="text, or markdown (the docs page: every rule with its examples)",
    )
    p.set_defaults(func=_cmd_rules)
    _add_session_parser(sub)
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


# --- session explain (syncml_codec.session; docs/pages/session.md) ---------------------------


def _add_session_parser(sub: Any) -> None:
    p = sub.add_parser("session", help="OMA DM sessions: explain a captured session")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    e = actions.add_parser(
        "explain",
        help="replay captured messages in order and give every command's outcome",
        description="Exit 0 when every command is answered, 1 when one is not (or a Status"
        " answers nothing, or a MsgID is skipped), 2 when an input cannot be read.",
    )
    e.add_argument("files", nargs="+", metavar="FILE", help="the messages, in session order")
    e.add_argument("--format", choices=("text", "json"), default="text", help="report format")
    e.set_defaults(func=_cmd_session_explain)


def _cmd_session_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .session.explain import explain_session
    from .session.explain import render_json as render_explain_json
    from .session.explain import render_text as render_explain_text

    messages = []
    for path in args.files:
        data, name = _read(path)
        try:
            msg = parse(data)
        except DecodeError as exc:
            _report_decode_error(name, exc, err)
            return EXIT_USAGE
        if not isinstance(msg, SyncML):  # pragma: no cover - parse returns a message
            raise _Usage(f"{name}: not a SyncML message")
        messages.append((name, msg))
    report = explain_session(messages)
    out.write(render_explain_json(report) if args.format == "json" else render_explain_text(report))
    return EXIT_OK if report.ok else EXIT_INVALID
