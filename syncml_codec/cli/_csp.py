"""CSP checks (``syncml_codec.csp``): ``validate --csp/--ddf/--os-build``, ``csp show|search``."""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING, Any, TextIO, cast

from syncml_codec.diagnostics import Diagnostic
from syncml_codec.errors import SyncMLError

from ._common import EXIT_INVALID, EXIT_OK, Usage

if TYPE_CHECKING:
    from syncml_codec.csp import Catalogue

__all__ = ["add_parser", "add_validate_arguments", "applicability", "csp_option"]


def csp_catalogue(args: argparse.Namespace) -> Any:
    """The catalogue asked for (--ddf PATH, else the bundled one), loaded once per run."""
    from syncml_codec.csp import bundled_catalogue, load_catalogue

    cached = getattr(args, "_csp_cat", None)
    if cached is not None:
        return cached
    ddf = getattr(args, "ddf", None)
    if ddf:
        try:
            cat = load_catalogue(ddf)
        except (OSError, SyncMLError) as exc:
            raise Usage(f"--ddf {ddf}: cannot read the DDF release: {exc}") from None
    else:
        cat = bundled_catalogue()
    args._csp_cat = cat
    return cat


def csp_option(args: argparse.Namespace) -> Catalogue | None:
    """The catalogue for ``validate(csp=...)`` when --csp, --ddf or --os-build asked for it."""
    if not (args.csp or args.ddf or args.os_build):
        return None
    return cast("Catalogue", csp_catalogue(args))


def applicability(diags: list[Diagnostic], args: argparse.Namespace) -> list[Diagnostic]:
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
    cat = csp_catalogue(args)
    match = cat.lookup(args.uri)
    if match is None:
        raise Usage(f"{args.uri!r} is not a management-tree path (./...)")
    if match.node is None:
        other = cat.other_scope(args.uri)
        hints = [other.path] if other is not None else cat.suggest(args.uri)
        hint = f"; did you mean {' or '.join(hints)}?" if hints else ""
        err.write(f"syncml-codec: no node {match.missing!r} under {match.path}{hint}\n")
        return EXIT_INVALID
    _csp_show_node(match.path, match.node, match.read_only, out)
    return EXIT_OK


def _cmd_csp_search(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    found = csp_catalogue(args).search(args.word, limit=args.limit)
    for path, node in found:
        out.write(f"{path}  [{','.join(sorted(node.access))}; {node.format}]\n")
    if not found:
        err.write(f"syncml-codec: no node matches {args.word!r}\n")
        return EXIT_INVALID
    return EXIT_OK


def _os_build(text: str) -> str:
    from syncml_codec.csp import parse_os_build

    if parse_os_build(text) is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a Windows build like 10.0.22631")
    return text


def add_validate_arguments(p: argparse.ArgumentParser) -> None:
    """``validate --csp``, ``--ddf``, ``--os-build`` and ``--os-build-error``."""
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


def add_parser(sub: Any) -> None:
    """The ``csp`` sub-command (``show``, ``search``)."""
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
