"""``fmt`` loses nothing silently (issue 15 item 8): what the model does not keep (comments,
unknown elements such as SyncML DS commands, processing instructions) is reported on stderr
with its line, and ``--strict`` refuses to write."""

from __future__ import annotations

import io
from pathlib import Path

import syncml_codec as sc
from syncml_codec.cli import main

HEAD = (
    '<SyncML xmlns="SYNCML:SYNCML1.2">\n'
    "  <SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID>"
    "<MsgID>1</MsgID>\n"
    "    <Target><LocURI>dev</LocURI></Target><Source><LocURI>srv</LocURI></Source></SyncHdr>\n"
    "  <SyncBody>\n"
)
GET = (
    "    <Get><CmdID>2</CmdID><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>\n"
)
TAIL = "    <Final/>\n  </SyncBody>\n</SyncML>\n"
#: a DM message carrying what a SyncML DS tool might leave in it
LOSSY = (
    HEAD
    + "    <!-- keep me -->\n    <Sync><CmdID>1</CmdID></Sync>\n"
    + GET
    + "    <?pi x?>\n"
    + TAIL
)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def dropped_lines(err: str) -> list[str]:
    return [line.strip() for line in err.splitlines() if line.startswith("  ")]


def test_fmt_reports_each_dropped_thing_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "lossy.xml"
    path.write_text(LOSSY, "utf-8")
    code, out, err = run("fmt", str(path))
    assert code == 0
    assert "fmt dropped 3 thing(s)" in err
    lines = dropped_lines(err)
    assert lines[0] == f"{path}:5:5: comment <!--keep me-->"
    assert lines[1].startswith(f"{path}:6:5: unknown element <Sync> in SyncBody")
    assert lines[1].endswith("at /SyncML/SyncBody/Sync")
    assert lines[2].startswith(f"{path}:8:5: processing instruction")
    # what was written is the message without them, and it reads back the same
    assert "Sync>" not in out and "keep me" not in out
    assert sc.parse(out) == sc.parse(LOSSY)


def test_fmt_strict_refuses_to_drop_a_comment(tmp_path: Path) -> None:
    path = tmp_path / "commented.xml"
    path.write_text(HEAD + "    <!-- note -->\n" + GET + TAIL, "utf-8")
    code, out, err = run("fmt", "--strict", str(path))
    assert code == 1 and out == ""
    assert "--strict refuses" in err and f"{path}:5:5: comment <!--note-->" in err


def test_fmt_strict_refuses_an_unknown_element(tmp_path: Path) -> None:
    path = tmp_path / "ds.xml"
    path.write_text(HEAD + "    <Sync><CmdID>1</CmdID></Sync>\n" + GET + TAIL, "utf-8")
    code, out, err = run("fmt", "--strict", str(path))
    assert code == 1 and out == ""
    assert f"{path}:5:5: error: unknown element <Sync>" in err


def test_fmt_says_nothing_when_nothing_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "clean.xml"
    path.write_text(HEAD + GET + TAIL, "utf-8")
    for strict in ((), ("--strict",)):
        code, out, err = run("fmt", *strict, str(path))
        assert code == 0 and err == ""
        assert sc.parse(out) == sc.parse(path)


def test_fmt_reports_a_comment_in_a_snippet_file_at_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "profile.xml"
    text = GET.strip() + "\n<!-- second -->" + GET.strip()
    path.write_text(text, "utf-8")
    code, _out, err = run("fmt", str(path))
    assert code == 0
    assert dropped_lines(err) == [f"{path}:2:1: comment <!--second-->"]
