"""Diagnostic and its text, JSON and GitHub renderers (syncml_codec.diagnostics)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from syncml_codec.diagnostics import (
    JSON_VERSION,
    Diagnostic,
    render_github,
    render_json,
    render_text,
)

ERR = Diagnostic(
    "error",
    "XSD001",
    "Unexpected child with tag 'MsgRef' at position 1. Tag 'CmdID' expected.",
    22,
    8,
    "/SyncML/SyncBody/Status[1]/MsgRef",
)
WARN = Diagnostic("warning", "NS001", "namespace 'syncml:metinfo' read as 'syncml:metinf'", 3, 1)
NOPOS = Diagnostic("error", "XML002", "DOCTYPE is forbidden")


def test_diagnostic_is_frozen_and_slotted() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ERR.line = 1  # type: ignore[misc]
    assert not hasattr(ERR, "__dict__")
    assert (NOPOS.line, NOPOS.column, NOPOS.xpath) == (0, 0, "")


def test_render_text_gnu_style() -> None:
    assert render_text("pkg2.xml", [ERR, WARN, NOPOS]) == (
        "pkg2.xml:22:8: error: Unexpected child with tag 'MsgRef' at position 1. "
        "Tag 'CmdID' expected. [XSD001] - at /SyncML/SyncBody/Status[1]/MsgRef\n"
        "pkg2.xml:3:1: warning: namespace 'syncml:metinfo' read as 'syncml:metinf' [NS001]\n"
        "pkg2.xml: error: DOCTYPE is forbidden [XML002]\n"
    )


def test_render_text_line_without_column() -> None:
    diag = Diagnostic("info", "X", "m", 4, 0)
    assert render_text("a.xml", [diag]) == "a.xml:4: info: m [X]\n"
    assert render_text("a.xml", []) == ""


def test_render_json_document() -> None:
    doc = json.loads(render_json([("a.xml", [ERR, WARN]), ("b.xml", [WARN]), ("c.xml", [])]))
    assert doc["version"] == JSON_VERSION == 1
    assert [(f["path"], f["valid"]) for f in doc["files"]] == [
        ("a.xml", False),
        ("b.xml", True),
        ("c.xml", True),
    ]
    assert doc["files"][0]["diagnostics"][0] == {
        "line": 22,
        "column": 8,
        "severity": "error",
        "code": "XSD001",
        "message": ERR.message,
        "xpath": "/SyncML/SyncBody/Status[1]/MsgRef",
    }
    assert doc["summary"] == {
        "files": 3,
        "valid": 2,
        "invalid": 1,
        "errors": 1,
        "warnings": 2,
        "infos": 0,
    }


def test_render_json_empty_run() -> None:
    doc = json.loads(render_json([]))
    assert doc["files"] == []
    assert doc["summary"]["files"] == 0


def test_render_github_commands() -> None:
    out = render_github("dir/pkg2.xml", [ERR, WARN, NOPOS, Diagnostic("info", "I", "note")])
    assert out.splitlines() == [
        "::error file=dir/pkg2.xml,line=22,col=8,title=XSD001::"
        "Unexpected child with tag 'MsgRef' at position 1. Tag 'CmdID' expected."
        " - at /SyncML/SyncBody/Status[1]/MsgRef",
        "::warning file=dir/pkg2.xml,line=3,col=1,title=NS001::"
        "namespace 'syncml:metinfo' read as 'syncml:metinf'",
        "::error file=dir/pkg2.xml,title=XML002::DOCTYPE is forbidden",
        "::notice file=dir/pkg2.xml,title=I::note",
    ]


def test_render_github_escapes() -> None:
    diag = Diagnostic("error", "C", "100% bad\nsecond line", 1, 1)
    out = render_github("a,b:c.xml", [diag])
    assert out == "::error file=a%2Cb%3Ac.xml,line=1,col=1,title=C::100%25 bad%0Asecond line\n"
