"""``build``: messages from the recipes in ``syncml_codec.helpers`` (pretty XML to stdout)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from syncml_codec.helpers.message import CmdIdAllocator, new_message
from syncml_codec.helpers.unenroll import DevInfo, unenroll_exec, unenrollment_request
from syncml_codec.serialize import serialize

from ._common import EXIT_OK, UsageError

__all__ = ["add_parser"]


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
            raise UsageError(f"{', '.join(extra)} only make sense with --message")
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
        raise UsageError(f"--message needs {' and '.join(missing)}")
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


def add_parser(sub: Any) -> None:
    """The ``build`` sub-command and its recipes."""
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
