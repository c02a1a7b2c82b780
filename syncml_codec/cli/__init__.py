"""Command line: ``syncml-codec`` / ``python -m syncml_codec``.

Sub-commands: ``inspect`` (a readable summary), ``fmt`` (canonical re-serialization),
``validate`` (structure and DM protocol rules, for CI: text, json or GitHub annotations),
``build`` (messages from the recipes in ``syncml_codec.helpers``: ``build unenroll-request``,
``build unenroll-exec``), ``convert`` (XML <-> WBXML), ``rules``, ``csp show|search``,
``session explain``. One module per family: ``_files`` (inspect, fmt, convert), ``_build``,
``_validate`` (validate, rules), ``_csp``, ``_session``; ``_common`` holds what they share.
Exit codes: 0 success / all valid, 1 bad input (findings), 2 could not run
(usage error, unreadable file). Results go to stdout, errors to stderr; never a traceback for
bad input.
"""

from __future__ import annotations

import argparse
import platform
import pyexpat
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from syncml_codec import _version
from syncml_codec.errors import SyncMLError

from . import _build, _files, _session, _validate
from ._common import EXIT_INVALID, EXIT_OK, EXIT_USAGE, Usage, UsageError

__all__ = ["main"]


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
    _files.add_parsers(sub)
    _build.add_parser(sub)
    _validate.add_parsers(sub)
    _session.add_parser(sub)
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
    except UsageError as exc:
        err.write(f"syncml-codec: usage error: {exc}\n")
        return EXIT_USAGE
    except Usage as exc:
        err.write(f"syncml-codec: error: {exc}\n")
        return EXIT_USAGE
    except SyncMLError as exc:
        err.write(f"syncml-codec: error: {exc}\n")
        return EXIT_INVALID
    except BrokenPipeError:  # pragma: no cover - `| head`
        return EXIT_OK
