"""``session explain`` (``syncml_codec.session``; docs/pages/session.md)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from syncml_codec.errors import DecodeError
from syncml_codec.model import SyncML
from syncml_codec.parse import parse

from ._common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, Usage, read_input, report_decode_error

__all__ = ["add_parser"]


def add_parser(sub: Any) -> None:
    """The ``session`` sub-command (``explain``)."""
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
    from syncml_codec.session.explain import explain_session
    from syncml_codec.session.explain import render_json as render_explain_json
    from syncml_codec.session.explain import render_text as render_explain_text

    messages = []
    for path in args.files:
        data, name = read_input(path)
        try:
            msg = parse(data)
        except DecodeError as exc:
            report_decode_error(name, exc, err)
            return EXIT_USAGE
        if not isinstance(msg, SyncML):  # pragma: no cover - parse returns a message
            raise Usage(f"{name}: not a SyncML message")
        messages.append((name, msg))
    report = explain_session(messages)
    out.write(render_explain_json(report) if args.format == "json" else render_explain_text(report))
    return EXIT_OK if report.ok else EXIT_INVALID
