"""CLI: inspect, fmt and convert; exit codes 0 / 1 (bad input) / 2 (could not run)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

import syncml_codec as sc
from syncml_codec.cli import main

CORPUS = Path(__file__).parent / "data" / "corpus" / "oma-spec"
PKG1 = CORPUS / "oma-dmpro-2-6-1-1-pkg1-client-init-cred-maxmsgsize.xml"
PKG2 = CORPUS / "oma-dmpro-2-6-1-2-pkg2-server-status-sequence-confirm.xml"
BROKEN = CORPUS / "oma-dmpro-2-4-4-1-pkg2-basic-auth-challenge-407.xml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_inspect_summarises_header_commands_and_items() -> None:
    code, out, err = run("inspect", str(PKG2))
    assert code == 0
    assert out.splitlines()[:2] == [
        "SyncML DM/1.2 (VerDTD 1.2) session 1 message 1",
        "  from http://www.syncml.org/mgmt-server to IMEI:493005100592800",
    ]
    assert "    Status #6 212 AUTHENTICATION_ACCEPTED for SyncHdr (MsgRef 1, CmdRef 0)" in out
    assert "        Item target=./settings/wap_settings/CNN data=''" in out
    assert f"{PKG2}:24:8: warning: CmdID is out of DTD order in Status" in err


def test_fmt_writes_canonical_xml() -> None:
    code, out, _ = run("fmt", str(PKG1))
    assert code == 0
    assert out.startswith('<SyncML xmlns="SYNCML:SYNCML1.2">\n  <SyncHdr>\n')
    assert sc.parse(out) == sc.parse(PKG1.read_bytes())
    code, compact, _ = run("fmt", "--compact", "--xml-declaration", str(PKG1))
    assert compact.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<SyncML xmlns=')
    assert "<SyncHdr>\n" not in compact  # (Data keeps its own whitespace)


def test_bad_input_exits_1_with_position_and_path() -> None:
    code, out, err = run("inspect", str(BROKEN))
    assert code == 1
    assert out == ""
    assert err.startswith(f"{BROKEN}:19:23: error: not well-formed XML")
    assert err.rstrip().endswith("- at /SyncML/SyncBody/Status[1]/Chal/Meta")


def test_strict_turns_deviations_into_errors() -> None:
    code, _, err = run("fmt", "--strict", str(PKG2))
    assert code == 1
    assert "(strict mode)" in err


def test_unreadable_file_and_usage_exit_2(tmp_path: Path) -> None:
    assert run("inspect", str(tmp_path / "missing.xml"))[0] == 2
    assert run("frobnicate")[0] == 2
    assert run()[0] == 2
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run("--version")[0] == 0
    assert "syncml-codec 0.1.0 (expat_" in out.getvalue()


def test_convert_both_ways(tmp_path: Path) -> None:
    wbxml = tmp_path / "pkg1.wbxml"
    assert run("convert", "--to", "wbxml", str(PKG1), str(wbxml))[0] == 0
    assert wbxml.read_bytes()[:4] == b"\x02\xa4\x01\x6a"
    code, out, _ = run("convert", "--to", "xml", str(wbxml))
    assert code == 0
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert sc.parse(out.split("\n", 1)[1]) == sc.parse(PKG1.read_bytes())
    code, _, err = run("convert", "--to", "wbxml", str(PKG1))
    assert code == 2
    assert "name an OUT file" in err


def test_python_dash_m_and_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "syncml_codec", "inspect", "-"],
        input=PKG1.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0
    assert b"Replace #3" in proc.stdout


@pytest.mark.parametrize("data", [b"", b"<SyncML", b"\x02\xa4\x01", b"\xff\xfe\x00<"])
def test_garbage_never_gives_a_traceback(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "in.xml"
    path.write_bytes(data)
    for command in ("inspect", "fmt"):
        code, _, err = run(command, str(path))
        assert code == 1
        assert "Traceback" not in err
        assert err.startswith(str(path))
