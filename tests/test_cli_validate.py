"""``syncml-codec validate``: outputs, exit codes 0/1/2, progress rules."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from syncml_codec.cli import main

DATA = Path(__file__).parent / "data"
RICH = DATA / "validate" / "rich-valid.xml"
OMA = DATA / "corpus" / "oma-spec"
PKG2 = OMA / "oma-dmpro-2-6-1-2-pkg2-server-status-sequence-confirm.xml"
CONFIRM = OMA / "oma-dmpro-2-5-2-2-confirm-alert-1101.xml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["validate", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_valid_file_exits_0() -> None:
    code, out, err = run(str(RICH))
    assert code == 0
    assert out == ""
    assert "1 file(s) checked, 0 invalid" in err


def test_invalid_file_text_format() -> None:
    code, out, _ = run(str(PKG2))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"{PKG2}:17:")  # sorted by position: the Cred (DM269) first
    s102 = next(line for line in lines if "[S102]" in line)
    assert s102.startswith(f"{PKG2}:24:8: error: CmdID is out of DTD order")
    assert s102.endswith("[S102] - at /SyncML/SyncBody/Status[1]/CmdID")


def test_strict_makes_warnings_fail() -> None:
    assert run(str(CONFIRM))[0] == 0  # S115 warning only
    assert run("--strict", str(CONFIRM))[0] == 1


def test_profile_windows(tmp_path: Path) -> None:
    path = tmp_path / "ui-alert.xml"
    path.write_bytes(b'<Alert xmlns="SYNCML:SYNCML1.2"><CmdID>1</CmdID><Data>1101</Data></Alert>')
    assert run(str(path))[0] == 0
    code, out, _ = run("--profile", "windows", str(path))
    assert code == 1
    assert "[DM215]" in out


def test_json_format_is_one_document() -> None:
    code, out, err = run("--format", "json", str(RICH), str(PKG2))
    assert code == 1
    doc = json.loads(out)
    assert doc["version"] == 2
    assert [f["valid"] for f in doc["files"]] == [True, False]
    assert doc["summary"]["invalid"] == 1
    assert {d["code"] for d in doc["files"][1]["diagnostics"]} >= {"S102"}
    assert err == ""


def test_github_format_has_annotations_and_a_summary() -> None:
    code, out, _ = run("--format", "github", str(PKG2))
    assert code == 1
    assert f"::error file={PKG2},line=24,col=8,title=S102::" in out
    assert f"{PKG2}:24:8: error:" not in out  # each finding once, as an annotation
    assert "1 file(s) checked, 1 invalid: invalid\n" in out
    assert "  S102: " in out


def test_directory_is_searched_recursively(tmp_path: Path) -> None:
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "ok.xml").write_bytes(RICH.read_bytes())
    (tmp_path / "bad.xml").write_bytes(PKG2.read_bytes())
    (tmp_path / "notes.txt").write_text("not checked")
    code, out, _ = run("--format", "json", str(tmp_path))
    assert code == 1
    paths = [f["path"] for f in json.loads(out)["files"]]
    assert paths == [str(tmp_path / "a" / "b" / "ok.xml"), str(tmp_path / "bad.xml")]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stdin:
        buffer = io.BytesIO(PKG2.read_bytes())

    monkeypatch.setattr("sys.stdin", Stdin)
    code, out, _ = run("-")
    assert code == 1
    assert "<stdin>:24:8: error:" in out


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run(str(RICH), str(tmp_path / "nope.xml"))
    assert code == 2
    assert "nope.xml: no such file or directory" in err


def test_empty_directory_exits_2(tmp_path: Path) -> None:
    assert run(str(tmp_path))[0] == 2


def test_usage_errors_exit_2() -> None:
    assert run()[0] == 2
    assert run("--profile", "ios", str(RICH))[0] == 2


def test_request(tmp_path: Path) -> None:
    req = tmp_path / "req.xml"
    req.write_bytes(RICH.read_bytes())
    code, out, _ = run("--request", str(req), str(RICH))
    assert code == 1
    assert "[DM250]" in out or "[DM252]" in out
    bad_req = tmp_path / "bad.xml"
    bad_req.write_bytes(b"<SyncML")
    assert run("--request", str(bad_req), str(RICH))[0] == 2


def test_schema_option() -> None:
    code, out, _ = run("--schema", str(PKG2))
    assert code == 1
    assert "[XSD001]" in out


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_tty_outside_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(21):
        (tmp_path / f"m{i:02}.xml").write_bytes(RICH.read_bytes())
    monkeypatch.delenv("CI", raising=False)
    err = TTY()
    assert main(["validate", str(tmp_path)], stdout=io.StringIO(), stderr=err) == 0
    assert "\rchecked 21/21, 0 invalid" in err.getvalue()
    plain = io.StringIO()  # not a TTY
    main(["validate", str(tmp_path)], stdout=io.StringIO(), stderr=plain)
    assert "\r" not in plain.getvalue()
    err = TTY()  # json mode
    main(["validate", "--format", "json", str(tmp_path)], stdout=io.StringIO(), stderr=err)
    assert "\r" not in err.getvalue()
    monkeypatch.setenv("CI", "true")
    err = TTY()
    main(["validate", str(tmp_path)], stdout=io.StringIO(), stderr=err)
    assert "\r" not in err.getvalue()
