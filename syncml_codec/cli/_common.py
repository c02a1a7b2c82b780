"""What every sub-command shares: exit codes, the two could-not-run errors, reading a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from syncml_codec.errors import DecodeError

__all__ = [
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "Usage",
    "UsageError",
    "read_input",
    "report_decode_error",
]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class Usage(Exception):
    """Could not run: unreadable input and the like (exit 2)."""


class UsageError(Exception):
    """Options that do not go together (exit 2, reported like argparse usage errors)."""


def read_input(path: str) -> tuple[bytes, str]:
    """Read a file (or stdin for "-"); return (bytes, display name)."""
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    try:
        return Path(path).read_bytes(), path
    except OSError as exc:
        raise Usage(f"{path}: cannot read: {exc.strerror or exc}") from None


def report_decode_error(name: str, exc: DecodeError, err: TextIO) -> None:
    line = exc.line or 0
    col = exc.column or 0
    where = f"{name}:{line}:{col}" if line else name
    tail = f" - at {exc.xpath}" if exc.xpath else ""
    err.write(f"{where}: error: {exc.message}{tail}\n")
