"""Diagnostics: what validation found, the rule record, and three ways to print findings.

Validation collects ``Diagnostic`` values instead of raising. The renderers are
pure functions returning text; the caller decides where it goes (results to stdout).

- ``render_text``: GNU style ``path:line:col: error: message [CODE] - at /SyncML/...``.
- ``render_json``: a versioned JSON document of ``(path, diagnostics)`` pairs. The CLI writes
  the fuller run report of ``syncml_codec.report`` (options, unreadable inputs, verdict).
- ``render_github``: GitHub Actions workflow commands (``::error file=...``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

__all__ = [
    "JSON_VERSION",
    "Diagnostic",
    "Rule",
    "Severity",
    "render_github",
    "render_json",
    "render_text",
]

#: Severity of a diagnostic; only ``"error"`` makes a document invalid.
Severity: TypeAlias = Literal["error", "warning", "info"]

#: Version of the ``render_json`` document shape; bumped on incompatible changes.
JSON_VERSION = 1


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about one document.

    Attributes:
        severity: ``"error"``, ``"warning"`` or ``"info"``.
        code: stable rule code, such as ``"XSD001"`` (schema) or ``"XML001"`` (not well-formed).
        message: what is wrong, without the position.
        line: 1-based line, 0 when unknown.
        column: 1-based column, 0 when unknown.
        xpath: the element path, like ``/SyncML/SyncBody/Status[2]/Data``; empty when unknown.
    """

    severity: Severity
    code: str
    message: str
    line: int = 0
    column: int = 0
    xpath: str = ""

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line else ""
        tail = f" - at {self.xpath}" if self.xpath else ""
        return f"{where}{self.severity}: {self.message} [{self.code}]{tail}"


@dataclass(frozen=True, slots=True)
class Rule:
    """One validation rule.

    Attributes:
        code: stable rule code (``S1xx`` structure, ``DM2xx`` protocol, ``C3xx`` CSP
            definitions, ``XML00x``, ``LIMIT``).
        layer: 1 = structural (what the bundled XSD decides), 2 = protocol rule, 3 = the
            device's CSP definitions (DDF).
        oma: severity under ``profile="oma"``, or None when the rule is off.
        windows: severity under ``profile="windows"``, or None when the rule is off.
        summary: one line saying what is expected.
        cite: the primary documents and sections the rule comes from.
        note: a decision the citation leaves open, or the evidence for a relaxation.
    """

    code: str
    layer: int
    oma: Severity | None
    windows: Severity | None
    summary: str
    cite: str
    note: str = ""


def _location(path: str, diag: Diagnostic) -> str:
    if diag.line <= 0:
        return path
    if diag.column <= 0:
        return f"{path}:{diag.line}"
    return f"{path}:{diag.line}:{diag.column}"


def render_text(path: str, diags: Iterable[Diagnostic]) -> str:
    """Render diagnostics in the GNU compiler style, one per line.

    ``path:line:col: severity: message [CODE] - at /xpath``; line and column are left out when
    unknown (0).

    Args:
        path: the file name to show.
        diags: the diagnostics of that file.

    Returns:
        The lines, each ending with a newline; an empty string when there are none.
    """
    lines = []
    for d in diags:
        tail = f" - at {d.xpath}" if d.xpath else ""
        lines.append(f"{_location(path, d)}: {d.severity}: {d.message} [{d.code}]{tail}\n")
    return "".join(lines)


def render_json(results: Iterable[tuple[str, Sequence[Diagnostic]]]) -> str:
    """Render a whole run as one versioned JSON document.

    Shape: ``{"version": 1, "files": [{"path", "valid", "diagnostics": [{"line", "column",
    "severity", "code", "message", "xpath"}]}], "summary": {"files", "valid", "invalid",
    "errors", "warnings", "infos"}}``. A file is valid when it has no ``error`` diagnostic.

    Args:
        results: ``(path, diagnostics)`` pairs, one per checked file, in output order.

    Returns:
        The JSON text, with a final newline.
    """
    files = []
    counts = {"error": 0, "warning": 0, "info": 0}
    valid_files = 0
    for path, diags in results:
        valid = not any(d.severity == "error" for d in diags)
        valid_files += valid
        for d in diags:
            counts[d.severity] += 1
        files.append(
            {
                "path": path,
                "valid": valid,
                "diagnostics": [
                    {
                        "line": d.line,
                        "column": d.column,
                        "severity": d.severity,
                        "code": d.code,
                        "message": d.message,
                        "xpath": d.xpath,
                    }
                    for d in diags
                ],
            }
        )
    document = {
        "version": JSON_VERSION,
        "files": files,
        "summary": {
            "files": len(files),
            "valid": valid_files,
            "invalid": len(files) - valid_files,
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    # Workflow command escaping (actions/toolkit core/src/command.ts escapeData).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # escapeProperty additionally escapes ':' and ','.
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(path: str, diags: Iterable[Diagnostic]) -> str:
    """Render diagnostics as GitHub Actions workflow commands.

    ``::error file=path,line=12,col=7,title=XSD001::message - at /xpath``; warnings use
    ``::warning`` and infos ``::notice``. Line and column are left out when unknown.

    Args:
        path: the file name, as the workflow sees it.
        diags: the diagnostics of that file.

    Returns:
        One command per line, each ending with a newline.
    """
    command = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for d in diags:
        props = [f"file={_escape_property(path)}"]
        if d.line > 0:
            props.append(f"line={d.line}")
            if d.column > 0:
                props.append(f"col={d.column}")
        props.append(f"title={_escape_property(d.code)}")
        tail = f" - at {d.xpath}" if d.xpath else ""
        message = _escape_data(f"{d.message}{tail}")
        lines.append(f"::{command[d.severity]} {','.join(props)}::{message}\n")
    return "".join(lines)
